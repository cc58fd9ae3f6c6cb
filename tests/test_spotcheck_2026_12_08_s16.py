"""Session 16: a second round of fresh readers over every jurisdiction (reports in
jurisdictions/reviews/spotchecks/2026-12-08-freshcheck-s16-g*.md). Each serious finding is checked on the form where
it was found, in English and, where the wording is the state's own, in Spanish."""

from __future__ import annotations

import pytest

from tests.test_law_to_words import _say
from tests.test_spotcheck_2026_12_07_s13 import _say_es

EDITIONS = ("individual", "couple_family", "group", "minor")


@pytest.mark.parametrize("edition", EDITIONS)
def test_tx_a_child_who_may_be_abused_is_reported_too(valid_answers, edition):
    """TX-16.1 (serious): Fam. Code § 261.101(b) binds a professional who believes a child 'may be abused or
    neglected'; the form spoke only of a child who has been or is being abused."""
    text = _say(valid_answers, "US-TX", "counselor", edition)
    assert "a child has been, is being or is likely to be abused or neglected" in text
    assert "a child has been or is being abused or neglected" not in text


@pytest.mark.parametrize("profession", ["social_worker", "counselor", "marriage_family_therapist"])
def test_wv_a_person_who_may_sue_or_an_insurance_beneficiary_may_also_consent_after_death(valid_answers, profession):
    """WV-16.1 (serious): W. Va. Code §§ 30-30-24(a)(3) and 30-31-16(a) let a personal representative, another person
    authorized to sue, or an insurance beneficiary consent after the client's death; the form named only the first."""
    for edition in EDITIONS:
        assert "or a beneficiary of your life or health insurance" in _say(valid_answers, "US-WV", profession, edition)
    psychologist = _say(valid_answers, "US-WV", "psychologist", "individual")  # § 16-29-1 only: the federal rule
    assert "beneficiary" not in psychologist


@pytest.mark.parametrize("edition", EDITIONS)
def test_ky_partner_violence_is_reported_on_request_except_for_a_child_or_a_vulnerable_adult(valid_answers, edition):
    """KY-16.1 (serious) and KY-16.2: KRS 209A.110(2)-(3) keep the child and adult abuse reporting duties, so a teen
    (or an adult who cannot protect themself) hurt by a partner is not promised a report 'only if you ask'."""
    text = _say(valid_answers, "US-KY", "psychologist", edition)
    assert ("I will report it to the police only if you ask, and I will talk with you first. But if you are under 18, "
            "I may have to report it anyway. The same is true if you are an adult who cannot protect yourself.") in text
    assert "Pero si usted tiene menos de 18 años" in _say_es(valid_answers, "US-KY", "psychologist", edition)


@pytest.mark.parametrize("profession", ["counselor", "social_worker", "marriage_family_therapist", "psychiatrist"])
def test_me_danger_to_self_is_a_duty_that_can_mean_a_hospital_stay(valid_answers, profession):
    """ME-16.1 (serious): P.L. 2019, c. 317 and 32 M.R.S. § 7007 make acting on a client's likely violence to self a
    duty, met by telling the police or seeking involuntary hospitalization; the form gave a permission and the police
    only."""
    for edition in EDITIONS:
        text = _say(valid_answers, "US-ME", profession, edition)
        assert "Maine law requires me to act to keep you safe. I may:" in text
        assert "ask a hospital to admit you, even if you do not agree" in text
        assert "If you may seriously harm yourself, the law requires me to act to keep you safe." in text
        assert "Maine law allows me to share information to keep you safe" not in text
    spanish = _say_es(valid_answers, "US-ME", profession, "individual")
    assert "la ley de Maine me exige actuar para que esté a salvo" in spanish
    assert "pedir que un hospital le interne" in spanish
    psychologist = _say(valid_answers, "US-ME", "psychologist", "individual")  # not read: promises nothing
    assert "Whom I may tell without your OK depends on Maine law" in psychologist
    assert "If you may seriously harm yourself, I may act to keep you safe." in psychologist


def test_mo_a_social_worker_must_act_on_a_clear_and_imminent_danger_to_self(valid_answers):
    """MO-16.1 (serious): 20 CSR 2263-3.100(1) says a social worker 'shall' take reasonable action when a client is a
    clear and imminent danger to self; the form said the law only allows it."""
    for edition in EDITIONS:
        text = _say(valid_answers, "US-MO", "social_worker", edition)
        assert "Missouri law requires me to act to keep you safe. I may:" in text
    counselor = _say(valid_answers, "US-MO", "counselor", "individual")
    assert "federal privacy law allows me to share information" in counselor


def test_wa_a_teen_13_or_older_keeps_the_records_rights_even_if_a_parent_also_signed(valid_answers):
    """WA-16.1 (serious): RCW 70.02.130(1) gives only the minor the records rights for care a 13-17-year-old lawfully
    agreed to; the form told every teen whose parent agreed that the parent has a right to the records."""
    text = _say(valid_answers, "US-WA", "counselor", "minor")
    assert ("If your parent or guardian agreed to it: If you are under 13: The law gives your parent or guardian a "
            "right to see your records.") in text
    assert "If you are 13 to 17: The law lets me decide what your parent or guardian may see from your records." in text
    assert "The law lets them see your records, so I cannot promise" not in text
    assert "What they may see in your records depends on your age." in text


@pytest.mark.parametrize("profession", ["psychologist", "counselor", "psychiatrist"])
def test_de_a_teen_of_14_may_agree_to_outpatient_treatment(valid_answers, profession):
    """DE-16.1 (serious): 16 Del. C. § 5003(f)(3) lets a 14- to 17-year-old consent alone to voluntary outpatient
    treatment; the form said a parent must agree for anyone under 18."""
    text = _say(valid_answers, "US-DE", profession, "minor")
    assert "In Delaware, a young person age 14 or older may agree to some outpatient counseling on their own." in text
    assert "a parent or legal guardian must agree to therapy for someone under 18, unless" not in text
    assert "cannot agree alone to medicine for mental health" in text
    assert "If you agreed to counseling on your own: The law lets me decide what your parent" in text
    spanish = _say_es(valid_answers, "US-DE", profession, "minor")
    assert "no puede dar permiso por su cuenta para tomar medicamentos" in spanish


@pytest.mark.parametrize("edition", EDITIONS)
def test_dc_reports_an_adult_with_no_one_to_protect_them_on_reason_to_believe(valid_answers, edition):
    """DC-16.1 (serious): D.C. Code § 7-1903(a)(1) asks for substantial cause to believe that an adult is in need of
    protective services (§ 7-1901: impaired, and no one willing and able to protect them); the form reported any
    suspicion about any vulnerable adult, a disclosure § 7-1203.02(2) does not allow."""
    text = _say(valid_answers, "US-DC", "psychologist", edition)
    assert ("If I have reason to believe that an adult with a disability who cannot get the care or protection they "
            "need and has no one able and willing to help") in text
    assert "If I suspect abuse, neglect or exploitation of a vulnerable adult" not in text


@pytest.mark.parametrize("profession", ["psychologist", "social_worker", "psychiatrist"])
def test_ny_a_program_the_justice_center_oversees_means_a_required_report(valid_answers, profession):
    """NY-16.1 (serious): Soc. Serv. Law § 491(1) requires a mandated reporter to report a suspected reportable
    incident in a covered program to the Justice Center; the form said only that 'different rules apply'."""
    for edition in EDITIONS:
        text = _say(valid_answers, "US-NY", profession, edition)
        assert "New York law requires me to report it right away to the Justice Center." in text
    assert "me exige reportarlo de inmediato al Centro de Justicia" in _say_es(valid_answers, "US-NY", profession,
                                                                              "individual")
    counselor = _say(valid_answers, "US-NY", "counselor", "individual")  # § 488's list not read for counselors
    assert "Justice Center" not in counselor


@pytest.mark.parametrize("edition", EDITIONS)
def test_az_only_bounds_the_duty_not_what_may_be_shared(valid_answers, edition):
    """AZ-16.1 (serious): 'This applies only if the threat is stated plainly' after 'I will act to protect that person'
    told the client nothing is shared without a plain threat; § 36-517.02(C) and the federal rule allow more. Under a
    duty, 'only' now bounds the duty."""
    text = _say(valid_answers, "US-AZ", "psychologist", edition)
    assert ("The law's duty applies only if the threat is stated plainly, and you seem to mean it and be able to carry "
            "it out.") in text
    assert "This applies only if the threat" not in text
    assert "El deber que impone la ley se aplica solo si la amenaza es" in _say_es(valid_answers, "US-AZ",
                                                                                   "psychologist", edition)


def test_la_a_social_worker_may_also_share_to_prevent_an_intended_crime_or_harmful_act(valid_answers):
    """LA-16.1 (serious): R.S. 37:2718(B)(3) lets a social worker disclose an intended crime or harmful act to protect
    anyone from a clear, imminent risk of serious harm; the form limited sharing to threats against a clearly
    identified person."""
    for edition in EDITIONS:
        text = _say(valid_answers, "US-LA", "social_worker", edition)
        assert "As a social worker, Louisiana law also lets me share information if what you tell me shows you plan" \
            in text
    assert "La. R.S. 37:2718(B)(3)" in _say(valid_answers, "US-LA", "social_worker", "individual")
    assert "As a social worker" not in _say(valid_answers, "US-LA", "counselor", "individual")


@pytest.mark.parametrize(("state", "profession"), [("US-OK", "marriage_family_therapist"),
                                                   ("US-IA", "social_worker")])
def test_ok_mfts_and_ia_social_workers_name_the_person_who_may_sue_and_a_beneficiary(valid_answers, state,
                                                                                      profession):
    """OK-16.2, IA-16.4 (serious): 59 O.S. § 1925.11(A)(5) and Iowa Code § 154C.5(3) let another person authorized to
    sue, or an insurance beneficiary, consent after the client's death; the forms named only the representative."""
    for edition in EDITIONS:
        assert "or a beneficiary of your life or health insurance" in _say(valid_answers, state, profession, edition)
    assert "beneficiary" not in _say(valid_answers, state, "psychologist", "individual")


@pytest.mark.parametrize("edition", EDITIONS)
def test_oh_a_child_who_faces_a_threat_of_abuse_is_reported_too(valid_answers, edition):
    """OH-16.1 (serious): R.C. 2151.421(A)(1)(a) also covers a child who 'faces a threat of suffering' abuse."""
    assert "a child has been, is being or is likely to be abused or neglected" in _say(valid_answers, "US-OH",
                                                                                       "counselor", edition)


def test_ia_the_police_only_when_the_client_seems_to_mean_it_and_a_dependent_adult_in_my_care(valid_answers):
    """IA-16.1 (serious): § 228.7A(1) lets the police be told only when the client also has the apparent intent and
    ability to act. IA-16.3 (serious): § 235B.3(2) binds a person who counsels or treats the dependent adult."""
    for edition in EDITIONS:
        text = _say(valid_answers, "US-IA", "counselor", edition)
        assert "tell the police, if you seem to mean to harm yourself and be able to do it" in text
        assert "If, in my work, I examine, counsel or treat an adult who depends on others for care" in text
    assert "avisar a la policía, si parece que usted quiere hacerse daño y puede hacerlo" in _say_es(
        valid_answers, "US-IA", "counselor", "individual")


def test_sc_a_teen_of_16_keeps_the_records_rights_even_if_a_parent_also_signed(valid_answers):
    """SC-16.1 (serious): § 63-5-340 needs no one else's consent at 16, so the federal rule makes the teen, not a
    parent who also signed, the one who holds the records rights. Session 17 (SC-17.3): H. 4757 may have ended
    consent at 16, so the 16-17 band now promises nothing either way (no flat parent's right)."""
    text = _say(valid_answers, "US-SC", "social_worker", "minor")
    assert "If you are under 16: The law gives your parent or guardian a right to see your records." in text
    assert "If you are 16 to 17: What your parent or guardian may see in your records depends on" in text


def test_ct_an_mft_form_promises_nothing_on_elder_abuse_reports(valid_answers):
    """CT-16.1 (serious): an MFT's disclosures are limited by § 52-146p(c); 'I may report' had no condition."""
    for edition in EDITIONS:
        text = _say(valid_answers, "US-CT", "marriage_family_therapist", edition)
        assert "depends on Connecticut law" in text
        assert "I may report it if I suspect an older adult" not in text
    assert "I must report" in _say(valid_answers, "US-CT", "psychologist", "individual")


def test_ok_an_mft_tells_that_a_crime_has_no_privilege(valid_answers):
    """OK-16.1 (serious): 59 O.S. § 1925.11(B) gives no privilege to what relates to a crime; the MFT form listed its
    exceptions as complete."""
    for edition in EDITIONS:
        assert "So a court can order me to tell what you said about it." in _say(
            valid_answers, "US-OK", "marriage_family_therapist", edition)
    assert "a court can order me" not in _say(valid_answers, "US-OK", "psychologist", "individual")


@pytest.mark.parametrize(("state", "words"), [
    ("US-VT", "If I believe you pose a serious risk of physically hurting a person who can be identified, even if "
              "you have not made a threat, the law requires me to act to protect that person."),
    ("US-NJ", "If I believe you are likely to soon cause serious physical harm to a person who can be identified, "
              "even if you have not made a threat, the law requires me to act to protect that person.")])
def test_vt_and_nj_the_duty_does_not_wait_for_a_threat(valid_answers, state, words):
    """VT-16.1, NJ-16.1 (serious): 18 V.S.A. § 1882(b) (Peck) and N.J.S.A. 2A:62A-16(b)(2) make the duty arise from a
    serious risk to an identifiable person, with or without a threat (New Jersey: when the client is believed to
    intend it); the forms tied it to a threat."""
    for edition in EDITIONS:
        text = _say(valid_answers, state, "psychologist", edition)
        assert words in text
        assert "If I believe you may seriously hurt someone, even without a threat, the law requires me" in text
    assert "aunque usted no haya hecho una amenaza" in _say_es(valid_answers, state, "psychologist", "individual")


def test_recheck_iowa_names_the_adult_the_clinician_counsels_and_delaware_splits_records_by_age(valid_answers):
    """Re-check of the session's fixes (spotchecks/2026-12-08-recheck-s16.md): 'responsible for the care of' is Iowa's
    word for a caretaker (§ 235B.2), so a dependent-adult client read that their own abuse was not reported; the duty
    is for an adult the clinician examines, counsels or treats (§ 235B.3(2)). Delaware's parent who also signed for a
    14- to 17-year-old is not the personal representative, as in Washington and South Carolina."""
    iowa = _say(valid_answers, "US-IA", "counselor", "individual")
    assert "If, in my work, I examine, counsel or treat an adult who depends on others for care" in iowa
    assert "If I counsel or treat a dependent adult in my work, I must report it if I have reason to believe" in iowa
    assert "responsible for the care of" not in iowa
    spanish = _say_es(valid_answers, "US-IA", "counselor", "individual")
    assert "Si, en mi trabajo, examino, aconsejo o trato a" in spanish
    delaware = _say(valid_answers, "US-DE", "counselor", "minor")
    assert "If you are under 14: The law gives your parent or guardian a right to see your records." in delaware
    assert "If you are 14 to 17: The law lets me decide what your parent or guardian may see" in delaware
