"""Session 13: minor findings of session 12's second round of spot-checks (reports in
jurisdictions/reviews/spotchecks/2026-12-07-*-s12.md) worked on the forms where they were found, and the fixes of the
fresh re-check of that round's serious findings."""

from __future__ import annotations

import pytest
from consentgen.documents.document import build_document
from consentgen.inputs.answers import parse_practice
from consentgen.law import load as rules
from consentgen.model.options import RenderOptions
from consentgen.render.html import render_html

from tests.test_law_to_words import TODAY, _say, _text
from tests.test_spanish import _form as _spanish_form

PROFESSIONS = ("psychologist", "counselor", "social_worker", "marriage_family_therapist", "psychiatrist")


def _say_es(valid_answers, code, profession, edition):
    return _text(_spanish_form(valid_answers, code, profession, edition)[1])


@pytest.mark.parametrize("code,state", [("US-NY", "New York"), ("US-IA", "Iowa"), ("US-NC", "North Carolina"),
                                        ("US-GA", "Georgia")])
def test_the_parent_only_rule_does_not_deny_a_minor_the_law_treats_as_an_adult(valid_answers, code, state):
    """NY-4, IA-6, NC-2, GA-4 (minor): 'a parent must agree to therapy for someone under 18' with no exception,
    where the law makes a married or emancipated minor an adult (PHL § 2504(1), Iowa Code § 599.1, G.S. 90-21.5(b))."""
    text = _say(valid_answers, code, "psychologist", "minor")
    assert (f"In {state}, a parent or legal guardian must agree to therapy for someone under 18, unless the law "
            "treats that young person as an adult.") in text
    spanish = _say_es(valid_answers, code, "psychologist", "minor")
    assert "salvo que la ley la trate como adulta" in spanish


def test_ma_6_a_minor_within_an_exception_signs_alone(valid_answers):
    """MA-6 (minor): the form lists the c. 112 § 12F exceptions, yet its only signature line was the parent's."""
    text = _say(valid_answers, "US-MA", "counselor", "minor")
    assert "Parent or legal guardian (only when a parent or guardian agrees to the therapy)" in text
    assert "A young person who agrees to therapy on their own, as Massachusetts law allows, signs alone." in text


@pytest.mark.parametrize("code,words", [
    ("US-MO", "I must also report if I suspect a child may be abused or neglected, or if I see a child in conditions "
              "that would likely lead to it."),
    ("US-ID", "I must also report if a child has been abandoned, or if I see a child in conditions that would likely "
              "lead to abuse, abandonment or neglect."),
    ("US-NC", "has no parent or caregiver able to care for them (the law calls this a dependent child), or has died "
              "because of abuse or neglect."),
])
def test_child_abuse_triggers_the_statute_adds_are_on_every_form(valid_answers, code, words):
    """MO-2 (§ 210.115.1 'has been or may be'), ID-5 (§ 16-1605(1) abandonment and conditions), NC-5 (G.S. 7B-301(a)
    dependency and death): the form named only abuse or neglect that has happened."""
    for profession in PROFESSIONS:
        for edition in ("individual", "minor"):
            assert words in _say(valid_answers, code, profession, edition)


def test_ak_2_a_child_abuse_report_goes_to_the_department_not_to_the_police_instead(valid_answers):
    """AK-2 (minor): AS 47.17.020(a) sends the report to the department (and to the police as well for a suspected
    sex offense); 'child protective services or the police' offered the police as an alternative."""
    text = _say(valid_answers, "US-AK", "psychologist", "individual")
    assert "I must report it to child protective services." in text
    assert "child protective services or the police" not in text
    assert "the report goes to both child protective services and the police" in text


def test_wa_1_the_duty_to_report_child_abuse_is_tied_to_work_for_every_profession(valid_answers):
    """WA-1 (minor): State v. James-Buhl, 190 Wn.2d 470 (2018): the RCW 26.44.030(1)(a) duty must have some
    connection to the reporter's professional identity; psychologists' and psychiatrists' forms said 'no matter how
    I learn about it'."""
    for profession in PROFESSIONS:
        text = _say(valid_answers, "US-WA", profession, "individual")
        assert "This is true no matter how I learn about it." not in text
        assert "This applies to what I learn in my work." in text


def test_ny_2_the_child_abuse_duty_says_when_it_applies(valid_answers):
    """NY-2 (minor): Soc. Serv. Law § 413(1)(a) binds when the child, or a parent who states facts, comes before the
    professional in that capacity; other reports are voluntary (§ 414)."""
    text = _say(valid_answers, "US-NY", "social_worker", "couple_family")
    assert ("This duty applies when the child comes to me in my work, or when the child's parent or guardian comes to "
            "me in my work and tells me what happened. In other cases, the law allows me to report.") in text


def test_alaska_promises_no_safety_refusal_only_for_the_providers_its_statute_binds(valid_answers):
    """Re-check of AK-1 (new serious finding): AS 18.23.005 gives access 'notwithstanding any other law', but its
    'health care provider' (AS 18.23.070) names physicians and psychologists, not counselors, social workers or
    MFTs, whose forms said 'Alaska law gives you this right ... So I will not refuse for those reasons.'"""
    for profession in ("psychologist", "psychiatrist"):
        assert "So I will not refuse for those reasons." in _say(valid_answers, "US-AK", profession, "individual")
    for profession in ("counselor", "social_worker", "marriage_family_therapist"):
        text = _say(valid_answers, "US-AK", profession, "individual")
        assert "So I will not refuse for those reasons." not in text
        assert "unless Alaska law gives you a stronger right" in text


@pytest.mark.parametrize("code,profession,refuse", [
    ("US-CT", "counselor", "In rare cases, I may refuse if seeing the record is likely to put your life"),
    ("US-SD", "social_worker", "So I will not refuse for those reasons."),
    ("US-TN", "counselor", "So I will not refuse for those reasons."),
    ("US-KY", "psychiatrist", "So I will not refuse for those reasons."),
    ("US-KY", "psychologist", "unless Kentucky law gives you a stronger right"),
    ("US-DC", "psychologist", "District of Columbia law lets me refuse in fewer cases than federal law does"),
])
def test_the_refusal_sentence_follows_each_states_access_law(valid_answers, code, profession, refuse):
    """Session 13's reading of every state's access statute (reports spotchecks/2026-12-07-access-s13-*.md): where
    the state's ground is broader than HIPAA's or it gives no right, the federal ground stands (CT § 20-7c(f));
    SDCL § 36-2-16.2, Tenn. Code § 63-2-101(a)(1) and KRS 422.317 (physicians) give access with no ground;
    D.C. Code § 7-1205.02 allows refusal only for a substantial risk of imminent and serious physical injury."""
    assert refuse in _say(valid_answers, code, profession, "individual")


def test_dc_states_its_narrower_ground_in_the_consent_form_and_the_privacy_notice(valid_answers):
    text = _say(valid_answers, "US-DC", "counselor", "individual")
    assert ("I may hold back parts of your record only if I believe seeing them would put you or someone else at "
            "substantial risk of serious physical injury very soon.") in text
    assert "In rare cases, I may refuse if seeing the record" not in text
    answers = {**valid_answers, "jurisdiction": "US-DC"}
    practice = parse_practice(answers, "s13")
    notice = _text(render_html(build_document(practice, rules.load_jurisdiction("US-DC"), today=TODAY, version="t",
                                              options=RenderOptions(document="privacy-notice"))))
    assert "District of Columbia law lets me say no in fewer cases than federal law does." in notice
    assert "substantial risk of serious physical injury very soon" in notice


def test_ny_answers_within_ten_days_only_for_the_professions_public_health_law_18_names(valid_answers):
    """Pub. Health Law § 18(1)-(2): 10 days to inspect for physicians, psychologists and social workers; counselors
    and MFTs (Educ. Law art. 163) have the federal 30 days, and their forms do not cite § 18."""
    for profession in ("psychologist", "social_worker", "psychiatrist"):
        assert "I will respond within 10 days." in _say(valid_answers, "US-NY", profession, "individual")
    for profession in ("counselor", "marriage_family_therapist"):
        text = _say(valid_answers, "US-NY", profession, "individual")
        assert "I will respond within 30 days." in text
        assert "Pub. Health Law § 18" not in text


def test_new_mexico_and_massachusetts_no_longer_state_a_broader_ground_to_refuse(valid_answers):
    """NM (a4) and MA-5: the state notes said the clinician may refuse if the record 'would not be good for you' or
    'would likely harm you', grounds broader than HIPAA's, which governs, beside the form's federal sentence."""
    nm = _say(valid_answers, "US-NM", "psychologist", "individual")
    assert "would not be good for you" not in nm
    assert "In New Mexico, if I refuse, I will write my reason in your record" in nm
    ma = _say(valid_answers, "US-MA", "counselor", "individual")
    assert "would likely harm you" not in ma


@pytest.mark.parametrize("code,state", [("US-CA", "California"), ("US-HI", "Hawaii")])
def test_a_parent_should_be_involved_unless_the_clinician_finds_it_inappropriate(valid_answers, code, state):
    """CA-1 (Fam. Code § 6924(d)) and HI-6 (HRS § 577-29(b)): treatment a teen consents to 'shall include
    involvement' of a parent unless the professional, after consulting the teen, finds it inappropriate; the forms
    said only that the law 'lets me tell them'."""
    text = _say(valid_answers, code, "counselor", "minor")
    assert (f"If you agree to counseling on your own, {state} law says your parent or guardian should be involved in "
            "it, unless I decide, after talking with you, that this would not be right for you.") in text
    assert "the law lets me tell them about it" not in text
    assert "the law says they should usually be involved" in text
    spanish = _say_es(valid_answers, code, "counselor", "minor")
    assert "debería participar en ella, salvo que yo decida" in spanish


def test_ct_2_a_parent_is_told_without_the_teens_ok_only_when_truly_necessary(valid_answers):
    """CT-2: § 19a-14c(c): no provider notifies a parent without the minor's consent unless necessary for the minor's
    well-being (mental health only, after a chance to object)."""
    text = _say(valid_answers, "US-CT", "psychologist", "minor")
    assert "the law lets me tell them about it" not in text
    assert "I will not tell your parent or guardian without your OK, unless I decide it is truly necessary." in text


def test_the_records_rule_is_titled_for_both_its_answers_and_cites_the_federal_rule(valid_answers):
    """AK-5, GA-5, HI-4, MI-1, PA-1, SC-3: 'Time to answer a request to see records' cited state sections that set no
    time; the 30 days come from 45 CFR § 164.524, and the state sections decide the refusal answer."""
    for code in ("US-GA", "US-MI", "US-PA", "US-SC", "US-HI", "US-AK"):
        text = _say(valid_answers, code, "counselor", "individual")
        line = text.split("Seeing your records: time to answer and grounds to refuse:", 1)[1][:400]
        assert "45 CFR § 164.524" in line, code
        assert "Time to answer a request to see records" not in text


def _cites(text: str, title: str) -> str:
    """The citations printed for one rule in 'Laws behind this form'."""
    return text.split(f"{title}:", 1)[1].split(" • ", 1)[0][:300]


@pytest.mark.parametrize("code,profession,title,absent,present", [
    ("US-FL", "counselor", "Danger to self", "491.0147", "§ 394.463"),          # FL-2
    ("US-GA", "psychiatrist", "Danger to self", "24-5-501", "164.512(j)"),       # GA-3
    ("US-IA", "psychologist", "Records after a client's death", "154C.5", "228.3"),  # IA-8
    ("US-CT", "psychologist", "Minors' consent", "52-146s", "19a-14c"),          # CT-5
    ("US-CT", "social_worker", "Records after a client's death", "52-146c", "52-146q"),  # CT-5
    ("US-NY", "psychologist", "Threats to others (duty to protect)", "33.13", "9.46"),  # NY-3
])
def test_each_profession_cites_only_what_supports_its_sentence(valid_answers, code, profession, title, absent,
                                                               present):
    """Session 12 minor findings on citations: a form cited a section that does not support the sentence, or another
    profession's statute."""
    edition = "minor" if title == "Minors' consent" else "individual"
    line = _cites(_say(valid_answers, code, profession, edition), title)
    assert absent not in line and present in line, line


def test_de_1_social_workers_name_the_violent_crime_planning_exception(valid_answers):
    """Third round, DE-1 (serious): 24 Del. C. § 3913(2): a social worker need not keep confidential a communication
    that reveals the planning of any violent crime or act; the form said the threat limit applies 'only if' explicit."""
    text = _say(valid_answers, "US-DE", "social_worker", "individual")
    assert "Delaware law does not require me to keep private what you tell me about planning a violent crime" in text
    assert "planning a violent crime" not in _say(valid_answers, "US-DE", "psychologist", "individual")


def test_ri_1_program_and_facility_abuse_duties_are_told(valid_answers):
    """Third round, RI-1 (serious): R.I. Gen. Laws § 40.1-27-2 (participants in developmental disability programs) and
    § 23-17.8-2 (patients and residents of health care facilities) bind any person in a professional capacity; the
    form described adult-abuse reporting only for people 60 and older."""
    for profession in PROFESSIONS:
        text = _say(valid_answers, "US-RI", profession, "individual")
        assert "This covers a person in a program for people with developmental disabilities." in text
        assert "It also covers a patient or resident of a health care place, such as a nursing home." in text


def test_nj_1_psychiatrists_must_report_abuse_of_vulnerable_adults(valid_answers):
    """Third round, NJ-1 (serious for psychiatrists): N.J.S.A. 52:27D-409 requires health care professionals to
    report; the psychiatrist's form said it 'depends on New Jersey law'."""
    text = _say(valid_answers, "US-NJ", "psychiatrist", "individual")
    assert "Whether I must or may report the abuse of an older adult" not in text
    assert "I must report it to adult protective services" in text


def test_dc_1_one_ground_to_refuse_records_in_the_dc_form(valid_answers):
    """Third round, DC-1: a D.C. note still stated the psychological-impairment ground (broader than HIPAA's) beside
    the records section's physical-injury ground."""
    text = _say(valid_answers, "US-DC", "psychologist", "individual")
    assert "psychological harm" not in text


@pytest.mark.parametrize("code,profession,words", [
    # WA-2, RCW 74.34.035(3), (5)
    ("US-WA", "counselor", "or an act that made the person fear harm right away, I must also tell the police. If I "
                           "suspect abuse or neglect caused a death, I must also tell the coroner."),
    # MI-3, MCL 330.1946(2)(c)
    ("US-MI", "psychologist", "or an adult who is legally unable to make their own decisions"),  # MI-15.2
    ("US-ID", "counselor", "If the police ask, I must give them what I know about the threat."),  # ID-4, § 6-1903(1)
])
def test_state_notes_name_what_the_statute_adds(valid_answers, code, profession, words):
    assert words in _say(valid_answers, code, profession, "individual")


@pytest.mark.parametrize("code,profession,title,absent,edition", [
    ("US-AL", "psychologist", "Records after a client's death", "34-17A-21", "individual"),
    ("US-OR", "counselor", "Records after a client's death", "40.235", "individual"),
    ("US-SD", "psychologist", "Minors' consent", "34-23-16", "minor"),
    ("US-ND", "counselor", "Danger to self", "43-47-09", "individual"),
])
def test_third_round_citations_that_support_no_sentence_are_gone(valid_answers, code, profession, title, absent,
                                                                 edition):
    assert absent not in _cites(_say(valid_answers, code, profession, edition), title)


def test_md_danger_to_self_follows_the_emergency_clause_and_leaves_out_family(valid_answers):
    """Fresh reading h1: Md. Health-Gen. § 4-305(b)(6) allows an immediate disclosure for a patient's emergency health
    care needs; (b)(7)'s family clause excludes mental health records. The form said only 'depends on Maryland law'."""
    text = _say(valid_answers, "US-MD", "counselor", "individual")
    danger = text.split("If you may seriously harm yourself If I believe", 1)[1].split("If you threaten to harm", 1)[0]
    assert "Maryland law allows me to share information to keep you safe" in danger
    assert "call 911 or a crisis team" in danger and "tell doctors or hospital staff" in danger
    assert "family" not in danger


def test_nj_psychiatrists_duty_names_vulnerable_adults_only(valid_answers):
    """Re-check r3 (new minor from the NJ-1 fix): the APS duty covers vulnerable adults; the form said 'a vulnerable
    adult or an older adult'."""
    text = _say(valid_answers, "US-NJ", "psychiatrist", "individual")
    assert "a vulnerable adult or an older adult" not in text


def test_ky_psychiatrists_say_the_first_copy_is_free_and_ri_gives_the_whole_deadline(valid_answers):
    """Re-checks r4 (KY-R4: KRS 422.317(1), the first copy free) and r3 (RI-R3: §§ 40.1-27-2 and 23-17.8-2 allow
    '24 hours or by the end of the next business day')."""
    assert "In Kentucky, your first copy is free." in _say(valid_answers, "US-KY", "psychiatrist", "individual")
    assert "your first copy is free" not in _say(valid_answers, "US-KY", "psychologist", "individual")
    assert "within 24 hours, or by the end of the next business day." in _say(valid_answers, "US-RI", "counselor",
                                                                             "individual")
