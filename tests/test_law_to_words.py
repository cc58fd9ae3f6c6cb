"""The law-to-words matrix: every jurisdiction x profession x edition says what its resolved law says.

Each check reads the resolved view (``consentgen.law.resolve``) and asserts the sentence it calls
for in the rendered HTML, so a generic sentence can never stand beside a rule that contradicts it.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest
from consentgen.documents.document import build_form
from consentgen.inputs.answers import parse_practice
from consentgen.law import load as rules
from consentgen.model.practice import PROFESSIONS
from consentgen.render.html import render_html

from tests.law_phrases import ages_named, check_form, without_state_notes

EDITIONS = {"individual": "individual", "couple_family": "couples_family", "group": "group", "minor": "minors"}
TODAY = dt.date(2026, 11, 22)


def _text(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html.split("<body>")[1])).split())


def _render(answers, code, profession, edition):
    answers["jurisdiction"] = code
    answers["clinician"]["profession"] = profession
    answers["services"] = {service: True for service in EDITIONS.values()}
    practice = parse_practice(answers, "matrix")
    form = build_form(practice, rules.load_jurisdiction(code), today=TODAY, version="t", client_type=edition)
    return form, render_html(form)


def _form(answers, code, profession, edition):
    form, page = _render(answers, code, profession, edition)
    return form, _text(page)


def _section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


CONTRADICTIONS = [  # a form must never say both
    ("you can start without your parent or guardian knowing", "I will tell your parent or guardian general things"),
    ("I will not tell your parent or guardian without your OK", "I will tell your parent or guardian general things"),
    ("does not require me to report it", "This is true no matter how I learn about it"),
]


@pytest.mark.parametrize("code", list(rules.catalogue()))
def test_every_form_says_what_its_law_says(code, valid_answers):
    """Every law-dependent sentence prints exactly when its field calls for it (tests/law_phrases.py)."""
    for profession in PROFESSIONS:
        for edition in EDITIONS:
            form, page = _render(valid_answers, code, profession, edition)
            text, law = _text(page), form.law
            where = f"{code} {profession} {edition}"
            check_form(_text(without_state_notes(page)), law, edition, "en", where)
            threats = _section(text, "If you threaten to harm someone else", "Courts and lawsuits")
            if law.duty.kind in ("mandatory", "permissive") and (law.duty.discharge or law.duty.discharge_options):
                joined = {"all": "take all of these steps that fit the situation",
                          "options": "The law lists these ways to do this:",
                          "any_one": "one or more of these:", "unknown": "Steps can include:"}[law.duty.discharge_how]
                if law.duty.framing == "liability_limit" and law.duty.discharge_how in ("all", "any_one"):
                    joined = "The steps the law describes are:"
                assert joined in threats, where
                if law.duty.imminent:
                    assert "soon cause serious physical harm" in threats or "immediate danger" in threats, where
            child = _section(text, "If a child may be abused or neglected", "If a")
            assert "I must report it" in child, where
            assert ("no matter how I learn about it" in child) == (law.child.capacity == "any"
                                                                 and not law.child.privileged_excused), where
            assert ("does not require me to report it" in child) == law.child.privileged_excused, where
            elder = _section(text, "may be abused", "If you may seriously harm yourself")
            if law.elder.kind == "mandatory":
                assert "I must report it" in elder and "the law allows me to report" not in elder, where
            elif law.elder.kind == "permissive":
                assert "the law allows me to report" in elder, where  # a state note may add a narrower "must"
            elif law.elder.kind == "none":
                assert "does not require me to report" in elder and "I must report it" not in elder, where
            assert ("minors" in form.sections) == (edition == "minor"), where
            assert ("couples_family" in form.sections) == (edition == "couple_family"), where
            assert ("group" in form.sections) == (edition == "group"), where
            keys = [s.key for s in form.signers]
            assert ("parent_guardian" in keys) == (edition == "minor"), where
            assert ("second_adult" in keys) == (edition == "couple_family"), where
            if edition == "minor":
                age = law.minors.age_of_majority
                assert f"If you are under {age}" in text, where
                assert (f"(for a client under {age})" in text) == (law.minors.parent_signs == "required"), where
                ages = ages_named(law)
                assert not re.search(rf"(someone|a client) under (?!(?:{ages})\b)\d+\b", text), where
            assert ("Rules verified" in text) == form.all_verified, where
            assert ("(not yet verified)" in text) == any(r.status != "verified" for r in form.references), where
            for one, other in CONTRADICTIONS:
                assert not (one in text and other in text), (where, one, other)


def _say(valid_answers, code, profession, edition="minor"):
    return _form(valid_answers, code, profession, edition)[1]


def test_six_state_review_errors_are_fixed(valid_answers):
    """Each client-text error of the six-state review, checked on the form it was found in."""
    az = _say(valid_answers, "US-AZ", "psychologist")
    assert ("The steps the law describes are: warn the person at risk, tell the police and "
            "help arrange a hospital stay") in az  # § 36-517.02(B): all of them (a liability limit, 2026-12-07)
    assert "soon cause serious physical harm" in az  # imminent
    assert "gives your parent or guardian a right to see your records" in az  # § 1-602
    assert "I will not share the details of what you tell me" not in az
    assert "This applies to what I learn while treating a client." in az  # § 13-3620(A)
    mi = _say(valid_answers, "US-MI", "counselor")
    assert ("The law lists these ways to do this: help arrange a hospital stay; or warn the person at risk and tell "
            "the police") in mi  # § 946(2)
    assert "I will not tell your parent or guardian without your OK" in mi
    assert "If your parent or guardian agreed to your counseling, I will tell them general things" in mi
    oh = _say(valid_answers, "US-OH", "psychologist")
    assert "Steps can include: tell the police or warn the person at risk" in oh  # OH-17.1: (B)(1)-(3) unread
    assert "soon cause serious physical harm" in oh
    assert "who has trouble caring for themselves" in oh  # § 5101.60: 60+ and impaired
    assert "This applies to what I learn in my work." in oh  # § 2151.421: professional capacity
    # § 5122.04(A): a compelling need from a substantial probability of harm, and the minor told first (session 15,
    # OH-15.1, replaced 'a serious risk').
    assert ("I will not tell your parent or guardian without your OK, unless I decide there is a strong need because "
            "you or someone else is likely to be harmed. If so, I will tell you first.") in oh
    assert "Rules checked" in oh and "(not yet verified)" in oh  # Ohio minors: H.B. 172 pending
    assert "some not yet verified" not in oh  # the status lives in the law list, not the footer
    for profession in ("psychologist", "psychiatrist"):
        ore = _say(valid_answers, "US-OR", profession)
        assert "Oregon law does not require me to report it" in ore  # ORS 419B.010(1), 124.060
        assert "no matter how I learn about it" not in ore
    assert "no matter how I learn about it" in _say(valid_answers, "US-OR", "counselor")
    # ORS 109.680(2)(c): a parent is told of a serious and imminent suicide risk (2026-12-07 review), and ORS
    # 109.675(2) makes the provider involve the parents before treatment ends (session 11 spot-check, OR-1)
    assert "Oregon law still lets me tell your parent or guardian about your counseling, even without your OK" in _say(
        valid_answers, "US-OR", "counselor")
    ga = _say(valid_answers, "US-GA", "counselor", "individual")
    assert "adult protective services and the police" in ga  # report to both
    for code in ("US-OR", "US-OH", "US-GA"):
        assert "older or dependent adult" not in _say(valid_answers, code, "counselor")
    assert "right away, and never later than 24 hours" in ga  # § 19-7-5: immediately, at most 24 hours
    assert "within 24 hours" not in ga
    nj = _say(valid_answers, "US-NJ", "psychologist", "individual")
    assert "I must also give your name to the police so they can check whether you have a gun permit" in nj
    assert "If I tell the police, they may then check" not in nj  # the notice is the practitioner's duty
    nj_lpc = _say(valid_answers, "US-NJ", "counselor", "individual")
    assert "threaten to seriously hurt yourself" not in nj_lpc  # 2A:62A-16 does not name LPCs
    assert "the law allows me to share information to protect that person" in nj_lpc  # N.J.A.C. 13:34-18.5
    assert "I must report it to adult protective services" not in nj and "long-term care" not in nj
    assert "every adult must report" not in nj and "anyone who suspects this must report it" in nj  # any person
    lmsw = _say(valid_answers, "US-OR", "social_worker")
    assert "only a licensed clinical social worker (LCSW) see a teen without a parent's consent" in lmsw  # 109.675
    assert "LCSW" not in _say(valid_answers, "US-OR", "counselor")
    az_note = _say(valid_answers, "US-AZ", "counselor")
    assert "this does not apply in an emergency" not in az_note
    assert "when it is needed to prevent serious injury or to save your life" in az_note  # § 36-2272
    assert "If you are under 19" in _say(valid_answers, "US-NE", "counselor")
    assert "If you are under 21" in _say(valid_answers, "US-MS", "counselor")


@pytest.mark.parametrize("code", list(rules.catalogue()))
def test_client_copy_lists_only_primary_sources_on_listed_sites(code, valid_answers):
    """The 'Laws behind this form' part never points a client at a summary or an unlisted site."""
    from consentgen.law.publishers import listed

    for edition in EDITIONS:
        form, _ = _form(valid_answers, code, "counselor", edition)
        for src in form.source_list:
            assert src.type == "primary" and listed(src.url), (code, edition, src.url)
        html = render_html(form)
        part = html.split('id="references"')[1]
        linked = {htmllib.unescape(url) for url in re.findall(r'<a href="([^"]+)"', part)}
        assert linked <= {src.url for src in form.source_list}, (code, edition, linked)  # never a summary
        sites = {re.sub(r"^www\.", "", src.url.split("/")[2]) for src in form.source_list}
        assert sites == set(re.findall(r'<a href="[^"]+">([^<]+)</a>', part)), (code, edition)  # each site linked


def test_oregon_lpc_gets_the_disclosure_content_or_a_warning_naming_the_statute(valid_answers):
    """ORS 675.755: without the disclosure content a warning names the statute; with it, the form carries it."""
    from consentgen.frontends.report import review_lines

    form, text = _form(dict(valid_answers), "US-OR", "counselor", "individual")
    lines = "\n".join(review_lines([form]))
    assert "Or. Rev. Stat. § 675.755" in lines and "policies.fees" in lines and "clinician.education" in lines
    assert "professional disclosure statement" in text
    valid_answers["clinician"].update(education="MA in Counseling, Portland State University",
                                      approach="I use cognitive behavioral therapy.")
    valid_answers["policies"] = {"fees": "A 50-minute session is $150.\n\nI offer a sliding scale."}
    form, text = _form(valid_answers, "US-OR", "counselor", "individual")
    lines = "\n".join(review_lines([form]))
    assert "policies.fees" not in lines and "clinician.education" not in lines and "clinician.approach" not in lines
    assert "My education: MA in Counseling, Portland State University" in text
    assert "How I work: I use cognitive behavioral therapy." in text
    assert "Fees and office policies Fees A 50-minute session is $150. I offer a sliding scale." in text
    assert "to know what a service costs before you get it" in text  # OAR 833-075-0050 bill of rights


def test_required_content_is_only_for_the_professions_a_rule_names(valid_answers):
    _, psychologist = _form(valid_answers, "US-OR", "psychologist", "individual")
    assert "professional disclosure statement" not in psychologist  # ORS 675.755 covers LPCs and LMFTs
    assert "Fees and office policies" not in psychologist  # no policies given, no section
    form, text = _form(valid_answers, "US-AZ", "counselor", "individual")
    assert "in making and reviewing your treatment plan" in text  # R4-6-1101
    _, az_psych = _form(valid_answers, "US-AZ", "psychologist", "individual")
    assert "in making and reviewing your treatment plan" not in az_psych  # R4-6-1101 is not for psychologists


def test_six_state_review_citation_findings_are_fixed(valid_answers):
    """The review's citation and missing-item findings, each on the form (or data) it concerns."""
    def cites(code, profession, edition="minor"):
        form, _ = _form(valid_answers, code, profession, edition)
        return [c for ref in form.references for c in ref.citations]

    oh = cites("US-OH", "counselor")
    assert "Ohio Adm. Code 5122-3-12" not in oh  # a state-hospital rule
    assert "Ohio Rev. Code § 3129.03" in oh  # parental consent for gender-related care
    assert "Ohio Rev. Code § 5123.61" in oh  # developmental-disability reporting
    assert not any(c.startswith("Ohio Adm. Code 4732-17-01") for c in oh)  # the psychology board's records rule
    assert any(c.startswith("Ohio Adm. Code 4732-17-01") for c in cites("US-OH", "psychologist"))
    assert "Or. Rev. Stat. § 675.765(3)" in cites("US-OR", "counselor")  # ORS 40.252 does not cover LPCs
    assert any("250 Ga. 199" in c for c in cites("US-GA", "psychologist"))  # Bradley Center, affirmed
    assert "Ga. Comp. R. & Regs. r. 135-7-.03(2)(a)4" in cites("US-GA", "counselor")  # own board rule
    assert not any("135-7-" in c for c in cites("US-GA", "psychologist"))  # not the counselors' board rule
    assert "N.J. Admin. Code § 13:34-18.5" in cites("US-NJ", "counselor")
    assert "A.R.S. § 32-3283(C)" in cites("US-AZ", "counselor")


def test_who_decides_about_records_after_death_follows_each_state(valid_answers):
    """Issue 25: the minor edition names who decides about a teen's records after death, from the state's data."""
    def death(code, edition, profession="counselor"):
        _, text = _form(valid_answers, code, profession, edition)
        return _section(text, "Your privacy does not end", "When I may or must share without your permission")

    nevada = death("US-NV", "minor")  # NRS 629.061(1): the representative, and a deceased minor's parent
    assert "the person the law puts in charge of your affairs" in nevada and "close family member" in nevada
    assert "executor of your will" not in nevada  # a teen has no will to name
    assert "such as the executor of your will" in death("US-NV", "individual")
    assert "close family member" not in death("US-OH", "minor")  # R.C. 2317.02 names a spouse, never a parent
    connecticut = death("US-CT", "minor")  # §§ 52-146c(a)(5), 52-146q(a)(5): representative or next of kin
    assert "the person the law puts in charge of your affairs" in connecticut
    assert "a close family member may make these decisions, as Connecticut law sets" in connecticut
    georgia = death("US-GA", "minor")  # left unknown: the privilege survives death (Cooksey v. Landry)
    assert "depends on Georgia law. I can explain it if you ask." in georgia
    assert "makes decisions about your records." not in georgia
    assert "50 years after death" in georgia  # the federal rule still prints


def test_a_parent_named_by_law_is_the_one_who_decides_in_the_minor_edition(valid_answers):
    """The parent_or_guardian value (no state has it today) has its own sentence, in the minor edition only."""
    import dataclasses

    form, _ = _render(valid_answers, "US-NV", "counselor", "minor")
    after = dataclasses.replace(form.law.after_death, who_minor="parent_or_guardian")
    form = dataclasses.replace(form, law=dataclasses.replace(form.law, after_death=after))
    text = _text(render_html(form))
    assert "If you die, your parent or guardian makes decisions about your records." in text
    assert "puts in charge of your affairs" not in text


def test_session_ten_leads_are_on_the_forms(valid_answers):
    """A Georgia psychiatrist's teen may agree alone to drug treatment (O.C.G.A. § 37-7-8), so a parent signs only
    when a parent consents; Nebraska's statute steps are not printed for psychiatrists (finding 26)."""
    form, text = _form(valid_answers, "US-GA", "psychiatrist", "minor")
    assert form.law.minors.parent_signs == "when_parent_consents" and form.law.minors.parent_told == "discretion"
    assert "law still lets me tell your parent or guardian" in text
    assert "signs alone" in text
    _, counselor = _form(valid_answers, "US-GA", "counselor", "minor")
    assert "signs alone" not in counselor
    _, ne_psychiatrist = _form(valid_answers, "US-NE", "psychiatrist", "individual")
    assert "The steps the law describes are" not in ne_psychiatrist
    _, ne_psychologist = _form(valid_answers, "US-NE", "psychologist", "individual")
    assert "The steps the law describes are: warn the person at risk and tell the police" in ne_psychologist
