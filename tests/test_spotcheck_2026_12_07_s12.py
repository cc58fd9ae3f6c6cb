"""Session 12's second round of fresh spot-checks (21 states: CA MI OH, PA WA NC, MA TX IL, GA IN MS, CT MO ID,
IA HI SC, AK FL NY; reports in jurisdictions/reviews/spotchecks/2026-12-07-*-s12.md): each serious finding on the
form where it was found, and the two template sentences that stated law by default."""

from __future__ import annotations

import pytest
from consentgen.law import load as rules

from tests.test_law_to_words import _say

PROFESSIONS = ("psychologist", "counselor", "social_worker", "marriage_family_therapist", "psychiatrist")


@pytest.mark.parametrize("code", ["US-GA", "US-IN", "US-MS", "US-CA"])
def test_a_minor_is_not_told_that_only_their_own_permission_releases_information(valid_answers, code):
    """Serious (GA-1, IN-2, MS-2, a template sentence in every state): a parent who consented holds the say over
    releases (Ga. r. 135-7-.03(2)(a)2, IC 16-39-2-9(a)(1), 45 CFR 164.502(g)(3)); the minor edition said 'I share
    it only with your written permission' and 'You can sign a form (a "release")'."""
    for profession in ("psychologist", "counselor"):
        text = _say(valid_answers, code, profession, "minor")
        assert "only with your written permission" not in text
        assert "unless you give me written permission" not in text
        assert 'You can sign a form (a "release")' not in text
        state = rules.load_jurisdiction(code).name
        assert (f"Who may sign it, you or your parent or guardian, depends on {state} law and on who agreed to "
                "your counseling") in text
        assert "I share it only with written permission, except in the cases below." in text
    adult = _say(valid_answers, code, "psychologist", "individual")
    assert "I share it only with your written permission, except in the cases below." in adult


@pytest.mark.parametrize("code,professions", [("US-IL", PROFESSIONS), ("US-AK", ("psychologist", "psychiatrist"))])
def test_access_to_records_is_not_refused_where_the_state_gives_a_stronger_right(valid_answers, code, professions):
    """Serious (IL-1, AK-1, a template sentence in every state): 740 ILCS 110/4(a)(2) and AS 18.23.005 give a client
    access with no harm ground; every form said 'In rare cases, I may refuse'. (AS 18.23.005 binds only the
    providers AS 18.23.070 lists: the session 13 re-check, tests/test_spotcheck_2026_12_07_s13.py.)"""
    for profession in professions:
        text = _say(valid_answers, code, profession, "individual")
        assert "In rare cases, I may refuse" not in text
        assert "law gives you this right even where federal law would let me refuse for safety reasons" in text


def test_where_the_state_is_unread_the_refusal_is_the_federal_rule_with_its_condition(valid_answers):
    text = _say(valid_answers, "US-PA", "psychologist", "individual")
    assert "In rare cases, I may refuse" not in text
    assert ("Federal law lets me refuse in rare cases, if seeing the record is likely to put your life or someone "
            "else's physical safety in danger, unless Pennsylvania law gives you a stronger right.") in text


def test_hi_1_a_vulnerable_adult_in_danger_of_abuse_is_reported(valid_answers):
    """Serious: HRS § 346-224(a) also requires a report when a vulnerable adult 'is in danger of abuse if
    immediate action is not taken'."""
    for edition in ("individual", "minor"):
        text = _say(valid_answers, "US-HI", "counselor", edition)
        assert "a vulnerable adult is in danger of abuse if nothing is done right away" in text


def test_sc_1_a_child_who_may_be_abused_is_reported(valid_answers):
    """Serious: S.C. Code § 63-7-310(A) requires a report when a child 'has been or may be' abused or neglected."""
    for profession in PROFESSIONS:
        text = _say(valid_answers, "US-SC", profession, "individual")
        assert "I must also report if I have reason to believe a child may be abused or neglected." in text


def test_in_1_some_indiana_minors_consent_to_their_own_care(valid_answers):
    """Serious: IC 16-36-1-3(a)(2) lets emancipated, married, military and self-supporting 14+ minors living apart
    consent to their own health care; the form said a parent must always agree under 18."""
    for profession in PROFESSIONS:
        text = _say(valid_answers, "US-IN", profession)
        assert "In Indiana, a parent or legal guardian must agree to therapy for someone under 18." not in text
        assert "may agree to their own health care, including counseling" in text
        assert "living apart from your parents, supporting yourself and managing your own affairs" in text
        assert "what your parent or guardian may learn depends on Indiana law" in text


def test_ms_1_at_18_a_mississippian_consents_to_all_care(valid_answers):
    """Serious: Miss. Code § 41-41-203(a) makes 18 adult for health care; the form said a parent usually must agree
    under 21 and that 18-year-olds may agree to 'some' counseling."""
    text = _say(valid_answers, "US-MS", "counselor")
    assert "must agree to therapy for someone under 21" not in text
    assert "some outpatient counseling" not in text
    assert "Usually a parent or legal guardian must agree to therapy for someone under 18." in text
    assert "In Mississippi, a young person age 18 or older may agree to their own health care, including counseling." \
        in text


def test_nc_1_an_mft_keeps_a_minors_records_until_22(valid_answers):
    """Serious: G.S. 90-270.51(h) keeps a minor client's records until 22 (or longer); the MFT minor form said they
    are destroyed 5 years after the last session."""
    text = _say(valid_answers, "US-NC", "marriage_family_therapist")
    assert "For a client who was under 18, I keep them at least until they turn 22" in text


def test_tx_1_a_psychiatrist_may_treat_some_minors_who_consent_alone(valid_answers):
    """Serious: Tex. Fam. Code § 32.003(a) lets some minors consent to a physician's psychological treatment; the
    psychiatrist's minor form said 'only' for three topics."""
    psychiatrist = _say(valid_answers, "US-TX", "psychiatrist")
    assert "on their own only for suicide prevention" not in psychiatrist
    assert "Because I am a physician, Texas law also lets some young people agree to my care on their own" \
        in psychiatrist
    counselor = _say(valid_answers, "US-TX", "counselor")
    assert "on their own only for suicide prevention" not in counselor
    assert "Because I am a physician" not in counselor


@pytest.mark.parametrize("profession", PROFESSIONS)
def test_ny_1_nursing_home_abuse_is_reported_by_the_professions_named(valid_answers, profession):
    """Serious: Pub. Health Law § 2803-d(1) makes physicians, psychologists and licensed social workers report abuse
    of residents of residential health care facilities; their forms left it out."""
    text = _say(valid_answers, "US-NY", profession, "individual")
    said = "New York law requires me to report it right away to the state Department of Health" in text
    assert said == (profession in ("psychologist", "psychiatrist", "social_worker"))


@pytest.mark.parametrize("profession", PROFESSIONS)
def test_oh_1_pet_cruelty_is_reported_by_counselors_social_workers_and_mfts(valid_answers, profession):
    """Serious: Ohio Rev. Code § 959.07(B)(2)(c) makes Chapter 4757 licensees report cruelty to companion animals."""
    text = _say(valid_answers, "US-OH", profession, "individual")
    said = "Ohio law requires me to report it to an officer right away" in text
    assert said == (profession in ("counselor", "social_worker", "marriage_family_therapist"))


def test_ct_1_a_parent_who_consented_is_not_told_they_get_only_some_information(valid_answers):
    """Serious: Conn. Gen. Stat. § 19a-14c(c)(2) limits a parent only when the minor consented alone; the form told
    every minor 'your parent or guardian can get some information, but not your whole record'."""
    text = _say(valid_answers, "US-CT", "psychologist")
    parent_part = text.split("If your parent or guardian agreed to it:")[1][:300]
    assert "not your whole record" not in parent_part
    assert "right to see your records" in parent_part
    assert "If you agreed to counseling on your own:" in text


def test_mo_1_an_adult_at_risk_of_harming_themselves_is_reported(valid_answers):
    """Serious: Mo. Rev. Stat. § 192.2405.1(1) with § 192.2400(14)(b) makes a report mandatory when an eligible
    adult is likely to suffer serious physical harm, including harm they would inflict on themselves."""
    text = _say(valid_answers, "US-MO", "counselor", "individual")
    assert "is at serious risk of physical harm and needs protective services, even if the harm would come from " \
        "themselves" in text


@pytest.mark.parametrize("profession", PROFESSIONS)
def test_id_1_an_idaho_social_worker_names_the_crime_exception(valid_answers, profession):
    """Serious: Idaho Code § 54-3213(2)-(3): a social worker need not keep confidential a communication revealing
    the contemplation or execution of a crime or harmful act."""
    text = _say(valid_answers, "US-ID", profession, "individual")
    assert ("Idaho law does not require me to keep private what you tell me about planning or carrying out a crime"
            in text) == (profession == "social_worker")
