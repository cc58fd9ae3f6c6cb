"""Session 11's fresh spot-check of nine states nobody had spot-checked (LA MN NJ, KY OR AZ, TN MD NV; reports in
jurisdictions/reviews/spotchecks/2026-12-07-*-s11.md): each fixed finding on the form where it was found."""

from __future__ import annotations

import pytest

from tests.test_law_to_words import _say

PROFESSIONS = ("psychologist", "counselor", "social_worker", "marriage_family_therapist", "psychiatrist")


@pytest.mark.parametrize("profession", ["psychologist", "counselor", "social_worker", "marriage_family_therapist"])
def test_or_1_a_teen_is_not_promised_that_parents_stay_out(valid_answers, profession):
    """Serious: ORS 109.675(2) makes the provider involve the parents before treatment ends (unless they refuse or
    documented clinical reasons say otherwise); the form promised not to tell them without the teen's OK."""
    text = _say(valid_answers, "US-OR", profession)
    assert "I will not tell your parent or guardian without your OK" not in text
    assert "I will not tell them without your OK" not in text
    assert "Oregon law still lets me tell your parent or guardian about your counseling, even without your OK" in text
    assert "the law expects me to involve your parents before treatment ends" in text


@pytest.mark.parametrize("profession", ["psychologist", "psychiatrist"])
def test_or_2_psychologists_and_psychiatrists_report_abuse_of_adults_with_mental_illness(valid_answers, profession):
    """Serious: ORS 430.765(2) excuses a psychiatrist or psychologist only for privileged communications; their
    forms left the duty out."""
    for edition in ("individual", "minor"):
        text = _say(valid_answers, "US-OR", profession, edition)
        assert "Some adults with a mental illness or a developmental disability" in text
        assert "One exception: if I learn it only from something you tell me in therapy" in text.split(
            "Some adults with a mental illness")[1]


def test_or_3_danger_to_self_rests_on_the_federal_rule(valid_answers):
    text = _say(valid_answers, "US-OR", "counselor", "individual")
    assert "Oregon law allows me to share information to keep you safe" not in text
    assert "federal privacy law allows me to share information with people who can help keep you safe" in text
    assert "Or. Rev. Stat. § 109.680(2)" not in text.split("Laws behind this form")[1].split("Danger to self")[1][:200]


def test_ky_1_a_parents_access_to_a_teens_records_promises_nothing(valid_answers):
    """Serious (provisional): 2024 Ky. Acts ch. 164 sets parents' access to the records of patients under 18; the
    psychiatrist's form said 'The law lets me decide what your parent or guardian may see'."""
    for profession in PROFESSIONS:
        text = _say(valid_answers, "US-KY", profession)
        assert "The law lets me decide what your parent or guardian may see" not in text
        assert "What your parent or guardian may see in your records depends on Kentucky law" in text
    psychiatrist = _say(valid_answers, "US-KY", "psychiatrist")
    assert psychiatrist.count("What your parent or guardian may see in your records depends on Kentucky law") == 1


def test_ky_3_the_psychology_board_rule_is_cited_for_psychologists_only(valid_answers):
    for profession in PROFESSIONS:
        laws = _say(valid_answers, "US-KY", profession, "individual").split("Laws behind this form")[1]
        assert ("201 KAR 26:145" in laws) == (profession == "psychologist"), profession


def test_tn_1_a_school_mass_violence_threat_goes_to_the_police(valid_answers):
    """Serious (provisional): § 39-16-517(d)(1) requires anyone who knows of a threat of mass violence at a school
    to report it to the police right away; the form offered a crisis service instead for general threats."""
    for profession in PROFESSIONS:
        text = _say(valid_answers, "US-TN", profession, "individual")
        assert "A threat of mass violence at a school must be reported to the police right away." in text
        assert "I only contact a crisis service instead of the police" not in text
        assert "Tenn. Code Ann. § 39-16-517(d)(1)" in text


def test_tn_2_and_3(valid_answers):
    text = _say(valid_answers, "US-TN", "counselor", "individual")
    assert "Since 2024" not in text and "(self-neglect)" in text  # § 71-6-102(1)(A) had it in 2021
    assert "and I believe you are able and likely to carry it out, Tennessee law requires me" in text  # § 33-3-210


def test_la_1_a_teen_may_agree_alone_to_a_psychiatrists_care(valid_answers):
    """Serious: R.S. 40:1079.1 lets a minor who is or believes himself ill consent to a physician's care, and the
    physician may tell a parent or not; the psychiatrist's form said a parent must agree."""
    text = _say(valid_answers, "US-LA", "psychiatrist")
    assert "a young person who is ill, or believes they are, may agree on their own to care from a doctor" in text
    assert "In Louisiana, a parent or legal guardian must agree" not in text
    assert ("Louisiana law still lets me tell your parent or guardian about your counseling, even without your OK"
            in text)
    assert "Parent or legal guardian (only when a parent or guardian agrees to the therapy)" in text
    for profession in ("psychologist", "counselor", "social_worker", "marriage_family_therapist"):
        other = _say(valid_answers, "US-LA", profession)
        assert "doctor's care" not in other
        assert "licensed mental health treatment facility" in other


def test_minor_wording_findings(valid_answers):
    az = _say(valid_answers, "US-AZ", "counselor")
    assert "the one exception" not in az and "Another law or a court order can also allow it." in az  # § 36-2272(A)
    assert "If the person I suspect does not care for the child, the report goes to the police." in az  # § 13-3620(A)
    md = _say(valid_answers, "US-MD", "psychologist", "individual")
    assert "history of violence" not in md and "tend to be violent" in md  # CJ § 5-609: propensity
    assert "when the adult is someone I see or treat" in md  # FL § 14-302(a)
    assert "your own OK does not cover medicine" in _say(valid_answers, "US-MD", "psychiatrist")  # HG § 20-104
    assert "your own OK does not cover medicine" not in _say(valid_answers, "US-MD", "psychologist")
    nv = _say(valid_answers, "US-NV", "psychologist")
    assert "until 1 year after they turn 21" not in nv and "at least until they turn 23" in nv  # NRS 629.051
    assert "isolating or abandoning" in nv  # NRS 200.5093(1)
    ky = _say(valid_answers, "US-KY", "counselor", "individual")
    assert "human trafficking" in ky  # KRS 620.030(3)-(4)
    assert "a partner you live with or have a child with" in ky  # KRS 209A.020, 403.720
    nj = _say(valid_answers, "US-NJ", "counselor", "individual").split("Laws behind this form")[1]
    assert "2A:84A-22.1" not in nj and "13:42-8.3" not in nj and "13:44G-12.4" not in nj
    nj_psychiatrist = _say(valid_answers, "US-NJ", "psychiatrist", "individual").split("Laws behind this form")[1]
    assert "2A:84A-22.1" in nj_psychiatrist


@pytest.mark.parametrize("code", ["US-VA", "US-LA", "US-CA"])
def test_va_1_no_form_promises_a_subpoena_is_never_enough(valid_answers, code):
    """Serious (VA-1; LA-4): Va. Code § 32.1-127.1:03(H)(5) makes a provider comply with an attorney's subpoena
    no one moved to quash, and La. R.S. 13:3715.1(B)(1) makes one disclose a party's records on a subpoena with
    notice; the template promised every state's clients 'only with your written OK or a judge's order'. The
    forms now promise only to tell the client first, and leave the rest to the state's law."""
    from consentgen.law import load as rules

    from tests.test_law_to_words import _text
    from tests.test_privacy_notice import _notice

    name = rules.load_jurisdiction(code).name
    consent = _say(valid_answers, code, "counselor", "individual")
    for page in (consent, _text(_notice(valid_answers, code)[1])):
        assert "will not make me share your records" not in page
        assert "unless you agree in writing or a judge orders it" not in page
        assert f"without your OK also depends on {name} law" in page
    assert "If a lawyer sends me a subpoena for your records, I will tell you when I can" in consent


def test_second_wave_fixes(valid_answers):
    """Session 11's second wave (NY FL CO, VA AL WI, NM DE NE): the findings fixed, on their forms."""
    # AL-1, DE-3: where the duty is unknown the short version says what the body says ("I will act").
    for code, profession in (("US-AL", "psychologist"), ("US-DE", "marriage_family_therapist")):
        text = _say(valid_answers, code, profession, "individual")
        assert "If you make a serious threat to hurt someone, I will act to protect them." in text
        assert "I may act to protect them" not in text
    # AL-3: the MFT privilege exception is cited only on the MFT form.
    for profession in PROFESSIONS:
        laws = _say(valid_answers, "US-AL", profession, "individual").split("Laws behind this form")[1]
        assert ("34-17A-21(2)" in laws.split("Danger to self")[1].split("\n")[0]) == (
            profession == "marriage_family_therapist"), profession
    # CO-2: § 13-21-117(2)(b) says "shall"; CO-3: § 12-245-216 binds article 245 licensees, not psychiatrists.
    assert "Then I must try to warn the people in charge of that place" in _say(valid_answers, "US-CO", "counselor")
    assert "Mandatory disclosure" not in _say(valid_answers, "US-CO", "psychiatrist", "individual")
    assert "Mandatory disclosure" in _say(valid_answers, "US-CO", "counselor", "individual")
    # VA-3, VA-4
    va = _say(valid_answers, "US-VA", "counselor")
    assert "take steps to keep you from hurting anyone while we wait for the police" in va
    assert "what your parent may see of those records depends on Virginia law" not in va  # VA-17.1 (session 17)


def test_third_wave_serious_findings(valid_answers):
    """Session 11's third wave (AR KS OK, ME NH VT, MT ND SD, UT WY WV, DC RI): the six serious findings."""
    # WV-1: 2018 S.B. 465 cut the child-abuse report time from 48 to 24 hours.
    for profession in PROFESSIONS:
        wv = _say(valid_answers, "US-WV", profession, "individual")
        assert "no later than 24 hours" in wv and "no later than 48 hours. If I believe there was serious" not in wv
    # DC-1: § 7-1202.05(b): the teen controls the records only when no parent consented.
    dc = _say(valid_answers, "US-DC", "counselor")
    assert "If you agreed to counseling on your own: The law lets you decide who may see your records." in dc
    assert "If your parent or guardian agreed to it: What your parent or guardian may see" in dc
    assert "your parent's written OK if you are under 14, and written OKs from both of you if you are 14 or older" in dc
    # re-check S1: general news to a parent is also bounded by the state's law (D.C. needs both OKs at 14 to 17)
    assert "how things are going in general, as far as District of Columbia law allows" in dc or \
        "how things are going in general, as far as D.C. law allows" in dc
    # RI-1: § 40-11-6 reaches every "healthcare provider" (§ 40-11-2) who cares for the child.
    for profession in PROFESSIONS:
        assert "I must report it right away to both child protective services and the police" in _say(
            valid_answers, "US-RI", profession, "individual")
    # OK-1: 59 O.S. § 1376(3)(a): a psychologist's duty to seek commitment.
    assert "I must seek a hospital stay for you" in _say(valid_answers, "US-OK", "psychologist", "individual")
    assert "I must seek a hospital stay for you" not in _say(valid_answers, "US-OK", "counselor", "individual")
    # ME-1 (provisional): 22 M.R.S. § 1502 as shown in LD 746 (2011).
    assert "treatment for emotional or psychological problems" in _say(valid_answers, "US-ME", "counselor")
    # NH-1 (provisional): RSA 330-C:25's real-property clause.
    assert "a serious threat to badly damage a building or land" in _say(valid_answers, "US-NH", "psychologist",
                                                                          "individual")


def test_citations_name_the_law_each_profession_rests_on(valid_answers):
    """Citation findings of the second and third waves (WY-1, SD-2, ND-2 to ND-4, WV-4, NM-5/6, DE-6, NE-4, NY-4/5)."""
    def laws(code, profession):
        return _say(valid_answers, code, profession, "individual").split("Laws behind this form")[1]

    assert "repealed" not in laws("US-WY", "counselor") and "33-26-402" not in laws("US-WY", "counselor")
    assert "33-26-402(a)(xxvii)(Q)" in laws("US-WY", "psychiatrist")
    for code in ("US-SD", "US-ND", "US-WY"):
        assert "45 CFR § 164.524(b)(2)" in laws(code, "psychologist"), code
    for profession in PROFESSIONS:
        assert "31-01-06.5" not in laws("US-ND", profession)
    assert "30-30-24" not in laws("US-WV", "psychologist") and "30-31-16" not in laws("US-WV", "psychiatrist")
    assert "61-6-15" not in laws("US-NM", "counselor") and "61-6-15" in laws("US-NM", "psychiatrist")
    assert "3913" not in laws("US-DE", "psychologist") and "3913" in laws("US-DE", "social_worker")
    assert "38-2136" not in laws("US-NE", "psychologist").split("Records after a client")[1].split("\n")[0]


def test_couple_and_family_rules_of_north_and_south_dakota(valid_answers):
    """ND-5: § 43-53-11(1) bars an MFT's divorce testimony when both spouses were in therapy; SD-5: § 36-33-56(5) needs
    every family member in therapy to agree. The couple edition's release line is the practice's own rule."""
    nd = _say(valid_answers, "US-ND", "marriage_family_therapist", "couple_family")
    assert "I may not testify about what I learned in therapy in a divorce or spousal support case" in nd
    assert "I may not testify" not in _say(valid_answers, "US-ND", "counselor", "couple_family")
    sd = _say(valid_answers, "US-SD", "marriage_family_therapist", "couple_family")
    assert "each of them must agree before I use a signed permission to share what any of them told me" in sd  # s14
    assert "I release records from joint sessions only if each adult who took part agrees in writing" in sd
    assert "each adult who took part must agree in writing" not in sd


def test_late_minor_fixes(valid_answers):
    """NH-4 (RSA 161-F:46 hazardous conditions), SD-3 (§ 25-5-25(1) emancipated minors), ND-6 (§§ 14-10-17, 14-10-20:
    a self-consenting teen is not told a parent may see everything), MT-1 (§ 52-3-811(1) routing, psychiatrists)."""
    assert "or is living in dangerous conditions" in _say(valid_answers, "US-NH", "counselor", "individual")
    assert "an emancipated young person may agree to care on their own" in _say(valid_answers, "US-SD", "counselor")
    nd = _say(valid_answers, "US-ND", "counselor")
    assert "In these cases, what your parent may see of those records depends on North Dakota law." in nd
    mt = _say(valid_answers, "US-MT", "psychiatrist", "individual")
    assert "both adult protective services and the long-term care ombudsman" in mt


def test_dc_8_group_members_are_bound_in_dc(valid_answers):
    """DC-8: D.C. Code § 7-1201.02(b) forbids a group member to disclose another member's information; the group
    edition said in every state that other members are not bound by law."""
    dc = _say(valid_answers, "US-DC", "counselor", "group")
    assert "the law also forbids group members to share what another member says in group" in dc
    for code in ("US-DC", "US-CA"):
        group = _say(valid_answers, code, "counselor", "group")
        assert "not bound by the law" not in group
        assert "Other members do not have the professional duties I have" in group
    assert "forbids group members" not in _say(valid_answers, "US-DC", "counselor", "individual")


def test_wv_2_and_nd_7(valid_answers):
    """WV-2: the form cited Belcher (1992) yet denied its mature-minor exception; ND-7: the Spanish defines."""
    assert "a mature young person's own consent may count for a doctor's care" in _say(valid_answers, "US-WV",
                                                                                        "counselor")
    from consentgen.law import load as rules
    from consentgen.law.translations import Translator

    english = rules.load_jurisdiction("US-ND").data["elder_abuse_reporting"]["client_note"]
    assert "this means" in english and "se refiere a" in Translator("US-ND", "es")("elder_abuse_reporting.client_note",
                                                                                   english)
