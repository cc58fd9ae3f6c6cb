"""Session 15: a fresh reviewer's spot-check of three states others fixed (Louisiana, Oklahoma, Maryland; report in
jurisdictions/reviews/spotchecks/2026-12-08-freshcheck-s15.md), each fix checked on the form where it was found, in
English and Spanish."""

from __future__ import annotations

import pytest

from tests.test_law_to_words import _say
from tests.test_spotcheck_2026_12_07_s13 import _say_es

EDITIONS = ("individual", "couple_family", "group", "minor")
FAMILY = "Louisiana law also gives your husband or wife, your parents and your children the right to get a copy"


@pytest.mark.parametrize("profession", ["psychologist", "counselor", "social_worker", "psychiatrist"])
def test_la_a_dead_clients_spouse_parents_and_children_each_may_get_a_copy(valid_answers, profession):
    """LA-15.1 (serious): R.S. 40:1165.1(A)(2)(b)(i) gives the executor, the administrator, the surviving spouse, the
    parents and the children of a deceased patient each a right to a copy of the whole record; the form said a
    family member decides only 'in some cases'."""
    for edition in ("individual", "couple_family", "group"):
        text = _say(valid_answers, "US-LA", profession, edition)
        assert FAMILY in text, (profession, edition)
        assert "In some cases, a close family member" not in text
    minor = _say(valid_answers, "US-LA", profession, "minor")
    assert "Louisiana law also gives your parents the right to get a copy of your records." in minor
    spanish = _say_es(valid_answers, "US-LA", profession, "individual")
    assert ("La ley de Luisiana también les da a su esposo o esposa, sus padres y sus hijos el derecho a obtener una "
            "copia del expediente que tengo sobre usted.") in spanish


def test_la_social_workers_add_the_person_who_may_sue_and_a_beneficiary_and_mfts_keep_the_federal_rule(
        valid_answers):
    """LA-15.1: R.S. 37:2718(B)(1) (social workers) adds a person authorized to sue and an insurance beneficiary;
    marriage and family therapists are not 'health care providers' under R.S. 40:1231.1(A)(10)."""
    social = _say(valid_answers, "US-LA", "social_worker", "individual")
    assert "a beneficiary of your life or health insurance, may also give permission" in social
    assert FAMILY in social
    mft = _say(valid_answers, "US-LA", "marriage_family_therapist", "individual")
    assert "the right to get a copy of your records" not in mft and "beneficiary" not in mft


def test_ok_a_psychologist_may_tell_family_only_when_the_client_also_refuses_treatment(valid_answers):
    """OK-15.1 (serious): 59 O.S. § 1376(3)(a) lets a psychologist disclose for danger to self only when the client
    also refuses further appropriate treatment; the form gave the family permission for any serious danger."""
    for edition in EDITIONS:
        text = _say(valid_answers, "US-OK", "psychologist", edition)
        assert ("If I believe you are in serious and immediate danger of harming yourself, and you will not accept "
                "the treatment you need, Oklahoma law allows me to share information to keep you safe.") in text
    assert "y usted no acepta el tratamiento que necesita" in _say_es(valid_answers, "US-OK", "psychologist",
                                                                      "individual")
    mft = _say(valid_answers, "US-OK", "marriage_family_therapist", "individual")  # § 1925.11(A)(2): no such condition
    assert "Oklahoma law allows me to share information to keep you safe" in mft
    assert "will not accept the treatment" not in mft


def test_the_json_shows_the_new_fields(valid_answers):
    """The two new fields are part of `jurisdictions show --json`."""
    import contextlib
    import io
    import json

    from consentgen.frontends.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["jurisdictions", "show", "US-LA", "--json"]) == 0
    death = json.loads(out.getvalue())["records_after_death"]
    assert death["family_copy"] == ["spouse", "parents", "children"] and death["family_copy_minor"] == ["parents"]
    assert death["by_profession_fields"]["marriage_family_therapist"]["family_copy"] == []
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["jurisdictions", "show", "US-OK", "--json"]) == 0
    harm = json.loads(out.getvalue())["self_harm"]
    assert harm["condition_by_profession"] == {"psychologist": "refuses_treatment"}


@pytest.mark.parametrize(("state", "profession", "words"), [
    ("US-FL", "psychiatrist", "Florida rules say I must keep your records for at least 5 years after our last"),
    ("US-CT", "psychologist", "Connecticut rules say I must keep your records for at least 7 years after our last"),
    ("US-CT", "psychiatrist", "Connecticut rules say I must keep your records for at least 7 years after our last"),
    ("US-OR", "psychologist", "Oregon rules say I must keep your records for at least 7 years after our last"),
    ("US-KS", "psychiatrist", "Kansas rules say I must keep each part of your records for at least 10 years after it"),
])
def test_retention_rules_read_in_full_this_session_print_their_period(valid_answers, state, profession, words):
    """Retention readers (spotchecks/2026-12-08-retention-s15-A.md, -B.md): Fla. Admin. Code R. 64B8-10.002(2), Conn.
    Agencies Regs. § 19a-14-42, Or. Admin. R. 858-010-0060(1), K.A.R. 100-24-2(a) (ten years from the date of the
    service recorded: counted per record, not from the last session)."""
    assert words in _say(valid_answers, state, profession, "individual")


def test_a_period_counted_from_each_record_is_said_so_in_spanish(valid_answers):
    assert ("Las reglas de Kansas dicen que debo guardar cada parte de su expediente por lo menos 10 años a partir de "
            "la fecha en que se crea esa parte.") in _say_es(valid_answers, "US-KS", "psychiatrist", "individual")


def test_illinois_names_the_mft_and_medical_boards(valid_answers):
    """Leads reader (spotchecks/2026-12-08-leads-s15.md): 225 ILCS 55/25 and 225 ILCS 60/7.1."""
    assert "Marriage and Family Therapy Licensing and Disciplinary Board" in _say(
        valid_answers, "US-IL", "marriage_family_therapist", "individual")
    assert "Illinois State Medical Board" in _say(valid_answers, "US-IL", "psychiatrist", "individual")


@pytest.mark.parametrize("profession", ["psychologist", "counselor", "social_worker", "marriage_family_therapist"])
def test_md_the_short_version_keeps_the_limit_on_telling_a_parent(valid_answers, profession):
    """MD-15.1 (minor): Health-Gen. § 20-104(c) lets the provider tell a parent, but not where that would harm the
    minor or deter care; the long version said so in a note, the short version (the part many teens read) did not."""
    text = _say(valid_answers, "US-MD", profession, "minor")
    short = text.split("If you agree to counseling on your own, Maryland law")[0]
    assert ("the law lets me tell them about it, unless I believe that would harm you or keep you from getting help."
            in short)
    assert "even without your OK, unless I believe that would harm you or keep you from getting help." in text
    assert "salvo que yo crea que eso le haría daño a usted o le impediría recibir ayuda" in _say_es(
        valid_answers, "US-MD", profession, "minor")


def test_la_the_threat_must_be_against_a_clearly_identified_person(valid_answers):
    """LA-15.3 (minor): R.S. 9:2800.2(A) asks for a threat against a 'clearly identified victim'."""
    for profession in ("psychologist", "counselor", "social_worker", "marriage_family_therapist", "psychiatrist"):
        assert "The law's duty applies only if the threat is made against a person who is clearly identified" in _say(
            valid_answers, "US-LA", profession, "individual")
    assert "contra una persona claramente identificada" in _say_es(valid_answers, "US-LA", "counselor", "individual")


def test_la_a_psychiatrists_teen_is_told_the_illness_rule_is_not_plainly_about_mental_health(valid_answers):
    """LA-15.2 (minor): R.S. 40:1079.1 speaks of 'illness or disease'; the form presented its reach to mental health
    care as settled."""
    text = _say(valid_answers, "US-LA", "psychiatrist", "minor")
    assert "The law does not say plainly whether this covers care for mental health from a psychiatrist" in text


# Four more fresh readers (spotchecks/2026-12-08-freshcheck-s15-f1..f4.md): 12 states, 7 serious findings.

@pytest.mark.parametrize("profession", ["social_worker", "marriage_family_therapist"])
def test_mo_social_workers_and_mfts_name_family_and_the_beneficiary_after_death(valid_answers, profession):
    """MO-15.1 (serious): §§ 337.636(1) and 337.736(1) add a person authorized to sue and an insurance beneficiary to
    § 191.227.7's family order; the form named only the executor and the family."""
    text = _say(valid_answers, "US-MO", profession, "individual")
    assert "In some cases, a close family member may make these decisions, as Missouri law sets." in text
    assert "or a beneficiary of your life or health insurance, may also give permission." in text
    counselor = _say(valid_answers, "US-MO", "counselor", "individual")
    assert "close family member" in counselor and "beneficiary" not in counselor


@pytest.mark.parametrize("profession", ["psychologist", "social_worker", "marriage_family_therapist", "psychiatrist"])
def test_ct_a_teen_is_told_a_parent_can_have_the_whole_record_sent_to_another_provider(valid_answers, profession):
    """CT-15.1 (serious): § 19a-14c(c)(2) makes the provider release a minor's entire record to another provider when
    the minor or a parent asks; the teen read only 'some information, but not your whole record'."""
    text = _say(valid_answers, "US-CT", profession, "minor")
    assert "If you or your parent or guardian asks, the law says I must send your whole record to another" in text
    assert "debo enviar todo su expediente a otro proveedor de atención médica" in _say_es(
        valid_answers, "US-CT", profession, "minor")


def test_ma_a_psychologist_may_tell_family_only_when_the_client_also_refuses_treatment(valid_answers):
    """MA-15.1 (serious): c. 112 § 129A(c)(1), as Oklahoma's § 1376(3)(a)."""
    text = _say(valid_answers, "US-MA", "psychologist", "individual")
    assert "and you will not accept the treatment you need, Massachusetts law allows me to share" in text


def test_ma_a_teen_who_agrees_alone_under_an_exception_is_not_told_parents_have_a_right_to_the_records(
        valid_answers):
    """MA-15.2 (serious): a teen who lawfully consents alone is the individual under 45 CFR 164.502(g)(3)(i); the
    minor edition said without condition that a parent has a right to see the records."""
    text = _say(valid_answers, "US-MA", "counselor", "minor")
    assert ("If you agree on your own under an exception, your parent or guardian does not have the right to see those "
            "records just because they are your parent") in text


@pytest.mark.parametrize("profession", ["psychologist", "counselor", "social_worker", "psychiatrist"])
def test_fl_danger_to_self_states_the_emergency_evaluation_conditions(valid_answers, profession):
    """FL-15.1 (serious): §§ 490.0147, 491.0147 and 456.059 have no danger-to-self exception; § 394.463's route needs a
    mental illness, a refused voluntary evaluation and likely serious harm soon; the form gave a general permission."""
    for edition in EDITIONS:
        text = _say(valid_answers, "US-FL", profession, edition)
        assert ("because of a mental illness, you are likely to seriously harm yourself soon, and you have refused to "
                "be evaluated voluntarily or cannot decide, Florida law lets me start an emergency evaluation") in text
        assert "Florida law allows me to share information to keep you safe" not in text
    spanish = _say_es(valid_answers, "US-FL", profession, "individual")
    assert "me permite iniciar una evaluación de emergencia" in spanish


def test_oh_a_teen_is_told_first_before_a_parent_is_told(valid_answers):
    """OH-15.1 (serious): § 5122.04(A): a compelling need from a substantial probability of harm, and notice to the
    minor first; the form said 'a serious risk' and left out the notice."""
    text = _say(valid_answers, "US-OH", "counselor", "minor")
    assert "unless I decide there is a strong need because you or someone else is likely to be harmed. If so, I will " \
           "tell you first." in text
    assert "se lo diré a usted primero" in _say_es(valid_answers, "US-OH", "counselor", "minor")


@pytest.mark.parametrize("edition", EDITIONS)
def test_az_the_vulnerable_adult_duty_is_for_adults_in_my_care(valid_answers, edition):
    """AZ-15.1 (serious): A.R.S. § 46-454(A) binds a professional who has responsibility for the care of the vulnerable
    adult; the form stated the duty for any vulnerable adult."""
    text = _say(valid_answers, "US-AZ", "counselor", edition)
    # the threshold became 'reason to believe' after the re-check (AZ-15.rc1; test below)
    assert "If a vulnerable adult is in my care, I must report it if I have reason to believe they have been" in text
    assert "If I am responsible for the care of a vulnerable adult" in text
    assert "a mi cuidado" in _say_es(valid_answers, "US-AZ", "counselor", edition)


def test_mi_the_incompetent_adult_needs_no_court_finding_and_spanish_names_the_state_one_way(valid_answers):
    """MI-15.2 (minor): MCL 330.1946(2)(c) says 'incompetent by other than age', not 'found by a court'; MI-15.6: the
    Spanish wrote the state two ways."""
    text = _say(valid_answers, "US-MI", "counselor", "individual")
    assert "an adult who is legally unable to make their own decisions for a reason other than age" in text
    assert "a court has found" not in text
    spanish = _say_es(valid_answers, "US-MI", "counselor", "minor")
    assert "En Míchigan" in spanish and "En Michigan" not in spanish


def test_ok_an_mfts_threat_needs_no_identifiable_person(valid_answers):
    """OK-15.7 (minor): 59 O.S. § 1925.11(A)(2) asks only for a clear and present danger to any person."""
    text = _say(valid_answers, "US-OK", "marriage_family_therapist", "individual")
    assert "If you make a serious threat to physically hurt someone, the law allows me to share information" in text


def test_pa_an_mds_minor_records_are_kept_one_year_past_18_and_a_dos_two(valid_answers):
    """PA-15.1 (minor): 49 Pa. Code § 16.95(e) (MDs) says 1 year after majority; § 25.213(b) (DOs) 2 years after the
    18th birthday; the form said 2 years for every psychiatrist."""
    text = _say(valid_answers, "US-PA", "psychiatrist", "individual")
    assert "until at least 1 year after they turn 18 (2 years if I am a doctor of osteopathic medicine)" in text


@pytest.mark.parametrize("profession", ["psychologist", "counselor", "social_worker", "marriage_family_therapist"])
def test_wi_doctors_are_told_only_in_a_medical_emergency_when_the_client_cannot_agree(valid_answers, profession):
    """WI-15.1 (serious): Wis. Stat. § 51.30(4)(b)8 releases to a health care provider only for treatment in a medical
    emergency when the client cannot consent; the form said 'tell doctors or hospital staff' without the condition."""
    text = _say(valid_answers, "US-WI", profession, "individual")
    assert ("tell doctors or hospital staff who treat you in a medical emergency, if you cannot agree yourself or "
            "the emergency leaves no time to ask you") in text
    assert "si usted no puede dar su aprobación" in _say_es(valid_answers, "US-WI", profession, "individual")


def test_nv_a_social_worker_may_tell_family_professionals_and_authorities_only(valid_answers):
    """NV-15.1 (serious): NAC 641B.210(3): in a clear and immediate danger, only family members, professional workers,
    public authorities or the person in danger; the form added 'someone close to you' and 'others who can help'."""
    for edition in EDITIONS:
        text = _say(valid_answers, "US-NV", "social_worker", edition)
        assert "contact members of your family" in text and "Nevada law allows me to share information" in text
        assert "someone close to you" not in text and "tell others who can help keep you safe" not in text
    assert "comunicarme con miembros de su familia" in _say_es(valid_answers, "US-NV", "social_worker", "individual")


def test_nc_the_disabled_adult_duty_is_for_an_adult_with_no_one_able_to_help(valid_answers):
    """NC-15.1 (serious): G.S. 108A-102 requires a report only for a disabled adult 'in need of protective services'
    (108A-101: unable to perform or obtain essential services, with no able, responsible and willing person); the
    form said any adult with a disability."""
    text = _say(valid_answers, "US-NC", "counselor", "individual")
    assert "I must report it if I suspect an adult with a disability who has no one able to help them" in text
    assert ("an adult with a disability who cannot get the care or protection they need and has no one able and "
            "willing to help, I must report it") in text
    assert "no tiene a nadie capaz y dispuesto a ayudarle" in _say_es(valid_answers, "US-NC", "counselor", "individual")


def test_wa_a_parent_who_consented_may_see_the_records_except_harmful_parts(valid_answers):
    """WA-15.1 (serious): RCW 70.02.130(1): a parent who consented exercises the child's right to see and copy the
    records (70.02.080), deniable only on 70.02.090's grounds; the clinician decides only for a teen who consented
    alone. The form told every minor the clinician decides. Session 16 (WA-16.1) narrowed the parent's right to a
    child under 13: a 13-17-year-old who agreed holds the rights even if a parent also signed."""
    text = _say(valid_answers, "US-WA", "counselor", "minor")
    assert "If you agreed to counseling on your own: The law lets me decide what your parent or guardian" in text
    assert ("If your parent or guardian agreed to it: If you are under 13: The law gives your parent or guardian a "
            "right to see") in text


# The last four fresh readers (spotchecks/2026-12-08-freshcheck-s15-f9..f12.md): 20 states, 5 serious findings.

def test_ak_counselors_and_dc_clinicians_name_only_the_family_the_law_names(valid_answers):
    """AK-15.1, DC-15.1 (serious): AS 08.29.200(a)(1) names family, law enforcement or appropriate authorities; D.C.
    Code § 7-1203.03(a) the spouse, parent or legal guardian; both forms added 'someone close to you'."""
    alaska = _say(valid_answers, "US-AK", "counselor", "individual")
    assert "contact members of your family" in alaska and "someone close to you" not in alaska
    for profession in ("psychologist", "counselor", "social_worker", "marriage_family_therapist", "psychiatrist"):
        dc = _say(valid_answers, "US-DC", profession, "individual")
        assert "contact members of your family" in dc and "someone close to you" not in dc
        assert "your spouse, a parent or your legal guardian" in dc


@pytest.mark.parametrize("profession", ["psychologist", "counselor", "social_worker"])
def test_vt_the_short_version_says_other_rules_apply_to_a_teen_who_agrees_alone(valid_answers, profession):
    """VT-15.1 (serious): the short version told every teen the law lets parents see the records, though for a teen
    who agrees alone under 18 V.S.A. § 8350 the form's own body says the clinician decides."""
    text = _say(valid_answers, "US-VT", profession, "minor")
    short = text.split("About me")[0]
    assert "If you agree to counseling on your own, other rules decide what they may see, as explained below." in short
    assert "otras reglas deciden lo que pueden ver" in _say_es(valid_answers, "US-VT", profession, "minor")


@pytest.mark.parametrize("edition", EDITIONS)
def test_me_a_child_likely_to_be_abused_is_reported_too(valid_answers, edition):
    """ME-15.1 (serious): 22 M.R.S. § 4011-A(1) covers a child who has been or is likely to be abused or neglected;
    § 3477(1) the same for adults; the forms said only 'has been or is being'."""
    text = _say(valid_answers, "US-ME", "counselor", edition)
    assert "I must report it if I suspect a child has been, is being or is likely to be abused or neglected." in text
    assert "I must also report it if I suspect that a dependent or incapacitated adult is likely to be abused" in text
    assert "es probable que sufra abuso o descuido" in _say_es(valid_answers, "US-ME", "counselor", edition)


def test_nm_a_parent_gets_only_a_summary_and_only_if_it_will_not_seriously_harm_the_teen(valid_answers):
    """NM-15.1 (serious): § 32A-6A-24(D)(3): a summary to the legal custodian, if the clinician determines it will not
    cause the child substantial harm; the form said the clinician may tell a parent with no condition."""
    text = _say(valid_answers, "US-NM", "counselor", "minor")
    assert "the law lets me give them a summary of your care, if I decide it will not seriously harm you." in text
    assert ("still lets me give your parent or guardian a summary of your care, even without your OK, if I decide it "
            "will not seriously harm you.") in text
    assert "la ley me permite darles un resumen de su atención" in _say_es(valid_answers, "US-NM", "counselor", "minor")


@pytest.mark.parametrize(("state", "short", "body"), [
    ("US-AZ", "If a vulnerable adult is in my care, I must report it if I have reason to believe they have been",
     "If I am responsible for the care of a vulnerable adult or an adult who cannot protect themselves and I have "
     "reason to believe they are being abused"),
    ("US-IA", "I must report it if I have reason to believe", "If I have reason to believe that"),
    ("US-ND", "I must report it if I learn that a vulnerable adult has been abused or neglected.",
     "or I see them in conditions that would likely lead to it, I must report it"),
])
def test_the_adult_duty_starts_where_the_statute_says(valid_answers, state, short, body):
    """AZ-15.rc1, IA (f10), ND-15.1 (minor): A.R.S. § 46-454(A) 'a reasonable basis to believe', Iowa Code
    § 235B.3(2) 'reasonably believes', N.D.C.C. § 50-25.2-03 knowledge or observed conditions; the forms said
    'suspect' (new elder field threshold)."""
    text = _say(valid_answers, state, "counselor", "individual")
    assert short in text and body in text


def test_nd_the_vulnerable_adult_has_a_functional_impairment(valid_answers):
    """ND-15.2 (minor): N.D.C.C. § 50-25.2-01: 'a substantial mental or functional impairment'."""
    assert "a substantial mental or functional impairment" in _say(valid_answers, "US-ND", "counselor", "individual")


def test_tn_the_adult_duty_is_for_an_adult_with_no_one_able_to_help(valid_answers):
    """TN-15.5 (minor): Tenn. Code Ann. § 71-6-102's 'adult' has no available, willing and responsibly able person
    for assistance."""
    text = _say(valid_answers, "US-TN", "counselor", "individual")
    assert "It applies only to an adult who has no one available, willing and able to help them." in text
