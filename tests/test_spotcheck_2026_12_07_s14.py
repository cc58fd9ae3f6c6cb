"""Session 14: the verification pass (fresh reviewers reading each rule that needs review against the statute text;
reports in jurisdictions/reviews/spotchecks/2026-12-07-verify-s14-*.md), each fix checked on the form where it was
found, in English and Spanish."""

from __future__ import annotations

import pytest

from tests.test_law_to_words import _say
from tests.test_spotcheck_2026_12_07_s13 import _say_es

EDITIONS = ("individual", "couple_family", "group", "minor")


def test_hi_a_counselor_may_share_to_prevent_an_imminent_danger_and_an_mft_an_immediate_one(valid_answers):
    """HI-14.1 (minor): § 453D-13(2) says 'clear and imminent danger' (both versions, read in the crawl of
    capitol.hawaii.gov); the counselor's note and joint-counseling text said 'immediate', § 451J-12(2)'s word."""
    counselor = _say(valid_answers, "US-HI", "counselor", "couple_family")
    assert "needed to prevent a clear and imminent danger." in counselor
    assert "for example to prevent a clear and imminent danger" in counselor
    assert "clear and immediate" not in counselor
    assert "needed to prevent a clear and immediate danger." in _say(valid_answers, "US-HI",
                                                                     "marriage_family_therapist", "individual")
    spanish = _say_es(valid_answers, "US-HI", "counselor", "couple_family")
    assert "peligro claro e inminente" in spanish and "peligro claro e inmediato" not in spanish


def test_hi_the_hawaii_ground_for_every_profession_is_cited_and_danger_to_self_is_verified(valid_answers):
    """HI-14.2 (minor): § 323B-3(a) deems a disclosure HIPAA permits compliant with Hawaii law; it is now cited, and the
    danger-to-self rule, read in full, no longer prints as not yet verified."""
    for profession in ("psychologist", "social_worker", "psychiatrist"):
        text = _say(valid_answers, "US-HI", profession, "individual")
        line = text.split("Danger to self:")[1].split("Seeing your records")[0]
        assert "Haw. Rev. Stat. § 323B-3(a)" in line and "not yet verified" not in line


def test_sd_the_family_agreement_rule_governs_sharing_on_a_permission_not_the_other_limits(valid_answers):
    """SD-14.1 (minor): the MFT family-therapy text read as an absolute bar; § 36-33-56(5) ties it to the written
    waiver, and the other exceptions of § 36-33-56 need no one's agreement."""
    text = _say(valid_answers, "US-SD", "marriage_family_therapist", "couple_family")
    assert ("each of them must agree before I use a signed permission to share what any of them told me. The other "
            "limits in this form, such as reports the law requires, still apply.") in text
    assert "todos deben estar de acuerdo antes de que yo use un permiso firmado" in _say_es(
        valid_answers, "US-SD", "marriage_family_therapist", "couple_family")


@pytest.mark.parametrize("profession", ["psychologist", "counselor", "social_worker", "marriage_family_therapist"])
def test_wi_a_relative_gets_limited_information_only_when_they_ask(valid_answers, profession):
    """WI-14.1 (minor): § 51.30(4)(b)20. releases a summary to a spouse, partner, parent, adult child or sibling who
    helps with care, on their request, never for alcohol or drug treatment records; the form said 'contact a family
    member or someone close to you'."""
    for edition in EDITIONS:
        text = _say(valid_answers, "US-WI", profession, edition)
        assert "give limited information to a close relative who helps with your care, if they ask for it" in text
        assert "someone close to you" not in text
        assert "It does not apply if you are getting, or have had, treatment for alcohol or drug use." in text
    spanish = _say_es(valid_answers, "US-WI", profession, "individual")
    assert "a un familiar cercano que ayude con su cuidado, si ese familiar me la pide" in spanish


def test_in_the_minor_consent_conditions_are_not_a_closed_list(valid_answers):
    """IN-14.1 (minor): IC 16-36-1-3(a)(2) adds section 3.5 and any other statute to the conditions the note listed."""
    text = _say(valid_answers, "US-IN", "counselor", "minor")
    assert "The conditions include being emancipated" in text
    assert "Another Indiana law may also allow it in some cases." in text
    assert "Otra ley de Indiana también puede permitirlo" in _say_es(valid_answers, "US-IN", "counselor", "minor")


@pytest.mark.parametrize("profession,board", [("psychologist", "Montana Board of Psychologists"),
                                              ("psychiatrist", "Montana Board of Medical Examiners")])
def test_mt_the_complaints_part_names_the_board(valid_answers, profession, board):
    """MT-14.2: the psychologists' and psychiatrists' boards were unknown, so their forms named no board."""
    assert f"you can contact the {board}" in _say(valid_answers, "US-MT", profession, "individual")


def test_ia_the_duty_to_protect_read_in_full_prints_as_verified(valid_answers):
    """IA: §§ 228.7A and 228.1 re-read in full by a fresh reviewer; every field and the wording match."""
    text = _say(valid_answers, "US-IA", "counselor", "individual")
    line = text.split("Threats to others (duty to protect):")[1].split("Danger to self:")[0]
    assert "Iowa Code § 228.7A" in line and "not yet verified" not in line


def _laws_line(text, title, following):
    return text.split(f"{title}:")[1].split(following)[0]


def test_la_the_records_statute_reaches_four_professions_and_sets_15_days(valid_answers):
    """LA-14.1/14.2 (minor): R.S. 40:1165.1 (read in full in a copy of legis.la.gov) binds the providers of
    40:1231.1(A)(10): 15 days to provide a copy, and the family of a deceased patient; MFTs are not named."""
    counselor = _say(valid_answers, "US-LA", "counselor", "individual")
    assert "I will respond within 15 days." in counselor
    # LA-15.1 (session 15) replaced 'in some cases, a close family member may decide' with each relative's own right.
    assert "Louisiana law also gives your husband or wife, your parents and your children the right" in counselor
    mft = _say(valid_answers, "US-LA", "marriage_family_therapist", "individual")
    assert "I will respond within 30 days." in mft and "the right to get a copy" not in mft
    assert "La. R.S. 40:1165.1" not in _laws_line(mft, "Records after a client's death", "Serious threats")


def test_la_child_abuse_reports_do_not_depend_on_how_i_learn_and_social_workers_may_act_on_imminent_risk(
        valid_answers):
    """LA-14.3 and LA-14.5 (minor): Ch.C. art. 609(A)(1)(a) has no capacity limit; R.S. 37:2718(B)(3)."""
    for profession in ("psychologist", "counselor", "social_worker"):
        assert "This is true no matter how I learn about it." in _say(valid_answers, "US-LA", profession, "individual")
    social = _say(valid_answers, "US-LA", "social_worker", "individual")
    assert "protect you from a clear and imminent risk of serious harm." in social
    assert "La. R.S. 37:2718(B)(3)" in _laws_line(social, "Danger to self", "Seeing your records")
    assert "riesgo claro e inminente de daño grave" in _say_es(valid_answers, "US-LA", "social_worker", "individual")


def test_ms_heirs_may_get_the_records_of_a_client_who_died(valid_answers):
    """MS-14.1/14.2 (minor): § 41-10-3 lets heirs obtain a copy until an executor is appointed, for every custodian."""
    for profession in ("psychologist", "counselor", "social_worker", "marriage_family_therapist", "psychiatrist"):
        text = _say(valid_answers, "US-MS", profession, "individual")
        assert "In some cases, a close family member may make these decisions, as Mississippi law sets." in text
        assert "Miss. Code Ann. § 41-10-3" in _laws_line(text, "Records after a client's death", "Serious threats")


def test_md_the_three_ways_to_discharge_the_duty_are_on_the_form(valid_answers):
    """MD-14.1 (minor): § 5-609(c)(2): civil commitment, a documented treatment plan, or police and the victim."""
    text = _say(valid_answers, "US-MD", "counselor", "individual")
    assert ("The law lists these ways to do this: help arrange a hospital stay; or change our treatment plan; or tell "
            "the police and warn the person at risk.") in text


def test_me_a_psychologist_keeps_a_treatment_summary_for_15_years(valid_answers):
    """ME-14.1 (minor): 02-415 ch. 9 § 2(2) keeps a summary 15 years; the form said everything is destroyed."""
    text = _say(valid_answers, "US-ME", "psychologist", "individual")
    assert ("After that, I destroy them securely, except a short summary of your treatment, which I keep for at least "
            "15 years after our last session.") in text  # the re-check: not "I destroy the rest" after the summary
    assert "salvo un resumen breve de su tratamiento, que guardo durante al menos 15 años" in _say_es(
        valid_answers, "US-ME", "psychologist", "individual")
    assert "short summary" not in _say(valid_answers, "US-ME", "counselor", "individual")


def test_pa_a_psychiatrist_keeps_records_7_years(valid_answers):
    """PA-14.1 (minor): 49 Pa. Code §§ 16.95(e), 25.213(b)."""
    text = _say(valid_answers, "US-PA", "psychiatrist", "minor")
    assert ("Pennsylvania rules say I must keep your records for at least 7 years after our last session. For a client "
            "who was under 18, I keep them until at least 1 year after they turn 18 (2 years if I am a doctor of "
            "osteopathic medicine), if that is longer.") in text  # PA-15.1 (session 15) split the MD and DO periods


@pytest.mark.parametrize("code,title,following", [
    ("US-NE", "Seeing your records: time to answer and grounds to refuse", "Records after a client's death"),
    ("US-SC", "Records after a client's death", "Serious threats"),
    ("US-CA", "Records after a client's death", "Serious threats"),
])
def test_rules_read_in_full_this_session_print_as_verified(valid_answers, code, title, following):
    """NE access deadline (§ 71-8403), SC records after death (§ 19-11-95: state silent), CA records after death
    (Civ. Code §§ 56.11, 56.05): read in full by a fresh reviewer, checked by the lead."""
    line = _laws_line(_say(valid_answers, code, "counselor", "individual"), title, following)
    assert line and "not yet verified" not in line


def test_wa_a_parent_is_contacted_unasked_only_for_an_immediate_danger(valid_answers):
    """WA-14.1 (minor): RCW 70.02.265(1)(a) says imminent threat; the note said 'at serious risk'."""
    text = _say(valid_answers, "US-WA", "counselor", "minor")
    assert "unless you want me to, someone's health or safety is in immediate danger, or the law requires it." in text
    assert "peligro inmediato" in _say_es(valid_answers, "US-WA", "counselor", "minor")


def test_al_an_mft_may_share_to_prevent_a_clear_and_immediate_danger(valid_answers):
    """AL-14.1 (minor): § 34-17A-21(2); MFTs were told only federal law allowed it."""
    text = _say(valid_answers, "US-AL", "marriage_family_therapist", "individual")
    assert "Alabama law allows me to share information to keep you safe" in text
    assert "Under Alabama law, I may do this only when it is needed to prevent a clear and immediate danger." in text


@pytest.mark.parametrize("code,profession,state", [("US-NE", "counselor", "Nebraska"),
                                                   ("US-SD", "counselor", "South Dakota"),
                                                   ("US-SD", "marriage_family_therapist", "South Dakota"),
                                                   ("US-NM", "social_worker", "New Mexico")])
def test_a_beneficiary_or_a_person_who_may_sue_may_also_consent_after_death(valid_answers, code, profession, state):
    """NE-14.1, NM-14.1 (minor): §§ 38-2136(1), 36-33-56(5), 61-31-24(B)(1) let another person authorized to sue or
    a life or health insurance beneficiary consent after the client's death; the form named only the executor."""
    text = _say(valid_answers, code, profession, "individual")
    assert (f"Under {state} law, another person with the legal right to act for you in court, or a beneficiary of "
            "your life or health insurance, may also give permission.") in text
    assert "un beneficiario de su seguro de vida o de salud" in _say_es(valid_answers, code, profession, "individual")
    assert "beneficiary of your life" not in _say(valid_answers, code, "psychiatrist", "individual")


def test_later_readings_ok_mo_la_danger_to_self(valid_answers):
    """OK-14.2 (§ 1925.11(A)(2)), MO-14.3 (20 CSR 2263-3.100(3)(B)), LA-14.9 (no state rule for four professions:
    the federal rule governs): the forms named no one, or only 'depends on STATE law'."""
    ok = _say(valid_answers, "US-OK", "marriage_family_therapist", "individual")
    assert "Under Oklahoma law, I may do this when keeping it private would put your health or safety in clear and " \
           "present danger." in ok
    # A duty since session 16 (MO-16.1: 20 CSR 2263-3.100(1) says "shall").
    assert "Missouri law requires me to act to keep you safe" in _say(valid_answers, "US-MO", "social_worker",
                                                                      "individual")
    for profession in ("psychologist", "counselor", "marriage_family_therapist", "psychiatrist"):
        la = _say(valid_answers, "US-LA", profession, "individual")
        assert "federal privacy law allows me to share information with people who can help keep you safe" in la
    psychologist = _say(valid_answers, "US-OK", "psychologist", "individual")
    assert ("The law's duty applies only if the threat is stated plainly, and you seem to mean it and be able to carry "
            "it out.") in psychologist


def test_nc_social_workers_keep_records_10_years(valid_answers):
    """NC-14.2: G.S. 90B-6(i) (official 2022 release, read in full): the longer of 10 years or a payer's period."""
    text = _say(valid_answers, "US-NC", "social_worker", "individual")
    assert "North Carolina rules say I must keep your records for at least 10 years after our last session." in text


def test_de_clinical_social_workers_keep_records_7_years(valid_answers):
    """DE-14.2: 24 Del. C. § 3921(g) lets a licensed clinical social worker dispose of a record 7 years after the last
    entry made after the relationship ends."""
    text = _say(valid_answers, "US-DE", "social_worker", "individual")
    assert "Delaware rules say I must keep your records for at least 7 years after our last session." in text


def test_md_the_person_at_risk_is_warned_when_that_is_possible(valid_answers):
    """MD-14.4 (re-check rc2): § 5-609(c)(2)(iii) asks for a warning to the victim only if feasible."""
    assert "If I tell the police, I will also warn the person at risk when that is possible." in _say(
        valid_answers, "US-MD", "counselor", "individual")
