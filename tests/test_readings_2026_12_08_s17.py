"""Session 17: a reading pass over every rule that needed review (reports in
jurisdictions/reviews/spotchecks/2026-12-08-readings-s17-r*.md). Each change it led to is checked on the form where
it shows, in English and, where the wording is the state's own, in Spanish."""

from __future__ import annotations

import pytest

from tests.test_law_to_words import _say
from tests.test_spotcheck_2026_12_07_s13 import _say_es

EDITIONS = ("individual", "couple_family", "group", "minor")


@pytest.mark.parametrize("profession", ["psychologist", "counselor", "social_worker"])
def test_sc_teen_consent_promises_nothing_while_the_parental_rights_act_is_unread(valid_answers, profession):
    """SC-17.3: H. 4757 (parent's consent for a minor's health care from 2026-07-01) passed the House; whether it is
    law could not be read, so a South Carolina teen is not told they may start counseling alone."""
    text = _say(valid_answers, "US-SC", profession, "minor")
    assert "Who can agree to therapy for someone under 18 depends on age and on South Carolina law." in text
    assert "on their own" not in text.split("If you are under 18", 1)[1].split("What your parents", 1)[0]
    assert "if I decide it is necessary" not in text
    assert "If you are 16 to 17: What your parent or guardian may see in your records depends on South Carolina law." \
        in text
    assert "I will tell you before we start whether a parent or guardian needs to sign." in text


def test_mo_social_workers_duty_arises_on_clear_and_imminent_danger_without_a_threat(valid_answers):
    """MO-17.2: 20 CSR 2263-3.100(1) makes a social worker act, by telling the authorities or the persons at risk,
    when a client is a clear and imminent danger; the form spoke only of a serious threat."""
    for edition in EDITIONS:
        text = _say(valid_answers, "US-MO", "social_worker", edition)
        assert ("If I believe you are likely to soon cause serious physical harm to a person who can be identified, "
                "even if you have not made a threat, the law requires me to act to protect that person.") in text
        assert "I must do one or more of these: tell the authorities who can respond or warn the person at risk." \
            in text
        assert "20 CSR 2263-3.100(1)" in text
    counselor = _say(valid_answers, "US-MO", "counselor", "individual")  # Bradley v. Ray only: a threat
    assert "If you make a serious threat" in counselor
    assert "20 CSR 2263-3.100(1)" not in counselor


@pytest.mark.parametrize("edition", EDITIONS)
def test_oh_the_form_does_not_say_the_police_and_a_warning_are_the_only_ways(valid_answers, edition):
    """OH-17.1: § 2305.51's other ways to protect (hospitalization, a treatment plan) were not read, so the form
    names the steps read as examples, not as the law's whole list."""
    text = _say(valid_answers, "US-OH", "counselor", edition)
    assert "Steps can include: tell the police or warn the person at risk." in text
    assert "The law lists these ways to do this" not in text


@pytest.mark.parametrize("edition", EDITIONS)
def test_wi_family_release_needs_a_treater_to_confirm_a_written_request_and_notice(valid_answers, edition):
    """WI-17.2: Wis. Stat. § 51.30(4)(b)20 lets a relative who helps with care get a summary only when another
    treater verifies the involvement, on a written request except in an emergency, and the client is told."""
    text = _say(valid_answers, "US-WI", "counselor", edition)
    assert "when someone else who treats you confirms that they help" in text
    assert "They must ask in writing, except in an emergency, and you will be told about it." in text
    assert "Deben pedirlo por escrito, salvo en una emergencia" in _say_es(valid_answers, "US-WI", "counselor", edition)


def test_wi_a_threatened_child_is_reported_on_reason_to_believe_that_abuse_will_occur(valid_answers):
    """WI-17.3: § 48.981(2)(a) asks, for a threatened child seen at work, reason to believe abuse will occur."""
    text = _say(valid_answers, "US-WI", "psychologist", "individual")
    assert ("I must also report if I have reason to believe that a child I see in my work has been threatened with "
            "abuse or neglect and that it will happen.") in text
    assert "if I suspect a child is threatened" not in text


def test_wa_teen_note_names_every_exception_to_not_telling_a_parent(valid_answers):
    """WA-17.3: RCW 70.02.265(1)(a) has three exceptions: the teen wants it, an imminent threat, or as law requires."""
    text = _say(valid_answers, "US-WA", "counselor", "minor")
    assert "someone's health or safety is in immediate danger, or the law requires it." in text
    assert "o que la ley diga que debo hacerlo" in _say_es(valid_answers, "US-WA", "counselor", "minor")


# Session 17 fresh spot-check (reports 2026-12-08-freshcheck-s17-f*.md): its serious findings, each on its form.

@pytest.mark.parametrize("edition", EDITIONS)
def test_wy_a_child_in_conditions_likely_to_lead_to_abuse_is_reported_too(valid_answers, edition):
    """WY-17.1 (serious): W.S. 14-3-205(a) also binds anyone who sees a child in conditions that would reasonably
    result in abuse or neglect."""
    assert "a child has been, is being or is likely to be abused or neglected" in _say(
        valid_answers, "US-WY", "counselor", edition)


def test_va_a_teen_who_consents_alone_is_told_a_parent_may_still_see_the_records(valid_answers):
    """VA-17.1 (serious): § 54.1-2969(K) and § 20-124.6(A) keep a parent's access to a minor's records, save a court
    order or the treating clinician's written harm statement; the teen was told only that it depends on the law."""
    for profession in ("psychologist", "counselor", "social_worker"):
        text = _say(valid_answers, "US-VA", profession, "minor")
        assert "The law gives your parent or guardian a right to see your records." in text
        assert "What your parent or guardian may see in your records depends on Virginia law" not in text


@pytest.mark.parametrize("edition", EDITIONS)
def test_wa_the_duty_to_protect_does_not_wait_for_a_threat(valid_answers, edition):
    """WA-17.1 (serious): in Volk v. DeMeerleer the duty reached victims the patient never threatened by name."""
    text = _say(valid_answers, "US-WA", "psychologist", edition)
    assert "even if you have not made a threat, the law requires me to act to protect that person" in text
    assert "If you make a serious threat" not in text


def test_mi_a_psychiatrist_form_does_not_name_family_after_death(valid_answers):
    """MI-17.1 (serious): MCL 333.26263(e) leaves out a psychiatrist who gives only mental health services."""
    text = _say(valid_answers, "US-MI", "psychiatrist", "individual")
    assert "a close family member may make these decisions" not in text
    assert "Who makes decisions about your records after your death depends on Michigan law." in text


@pytest.mark.parametrize("edition", EDITIONS)
def test_sd_a_social_worker_may_share_a_planned_crime_or_harmful_act(valid_answers, edition):
    """SD-17.1 (serious): SDCL § 36-26-30(2) lifts a social worker's confidentiality for the contemplation of a crime
    or a harmful act, with no threat test."""
    text = _say(valid_answers, "US-SD", "social_worker", edition)
    assert "lets me share what you tell me if it shows you are thinking about committing a crime" in text
    assert "pensando en cometer un delito" in _say_es(valid_answers, "US-SD", "social_worker", edition)
    assert "thinking about committing a crime" not in _say(valid_answers, "US-SD", "counselor", edition)


def test_ia_child_abuse_duty_is_for_a_child_seen_in_my_work(valid_answers):
    """IA-17.1 (serious): Iowa Code § 232.69(1)(a) binds a health practitioner (a psychiatrist) for the child they
    examine or treat. Re-check: limb (b) binds psychologists, counselors, social workers and MFTs who counsel or treat
    a child in their work for any child they believe was abused, so a teen is never told a sibling's abuse is not
    reported: they keep 'what I learn in my work'."""
    for edition in EDITIONS:
        text = _say(valid_answers, "US-IA", "psychiatrist", edition)
        assert "This applies to a child I examine, counsel or treat in my work." in text
        assert "abused or neglected. This applies to a child I see in my work." in text  # the key point too
        counselor = _say(valid_answers, "US-IA", "counselor", edition)
        assert "This applies to what I learn in my work." in counselor
        assert "a child I see in my work" not in counselor
    assert "un niño o niña que examino, aconsejo o trato en mi trabajo" in _say_es(
        valid_answers, "US-IA", "psychiatrist", "individual")


def test_va_parents_access_note_no_longer_contradicts_the_teen_sentence(valid_answers):
    """VA-17.1 re-check: the parents'-access note ended 'depends on Virginia law' beside the new sentence, and an
    MFT (not named in § 20-124.6(B)) cannot write the harm statement."""
    for profession in ("psychologist", "marriage_family_therapist"):
        text = _say(valid_answers, "US-VA", profession, "minor")
        assert "what your parent may see of those records depends on Virginia law" not in text
    mft = _say(valid_answers, "US-VA", "marriage_family_therapist", "minor")
    assert "The law gives your parent or guardian a right to see your records, so I cannot promise" in mft
    assert "I may hold back parts" not in mft


def test_nc_crime_disclosure_names_a_felony_or_violent_crime_and_says_may(valid_answers):
    """NC-17.1: G.S. 122C-55(d) names a felony or violent misdemeanor and binds a 122C facility (whether a solo
    practice is one is open)."""
    text = _say(valid_answers, "US-NC", "counselor", "individual")
    assert "North Carolina law may also let me share information if I believe a felony or a violent crime" in text


def test_id_a_social_workers_client_may_be_represented_after_death_by_a_person_who_may_sue(valid_answers):
    """ID-17.1 (serious): Idaho Code § 54-3213(1) lets a personal representative, another person authorized to sue,
    or an insurance beneficiary consent after a social worker's client dies."""
    for edition in EDITIONS:
        assert "or a beneficiary of your life or health insurance" in _say(
            valid_answers, "US-ID", "social_worker", edition)
    assert "beneficiary" not in _say(valid_answers, "US-ID", "counselor", "individual")


def test_il_a_teen_of_12_is_not_promised_that_an_objection_keeps_records_from_a_parent(valid_answers):
    """IL-17.1 (serious): P.A. 103-0474 lets a HIPAA personal representative see the record regardless of the
    recipient's age; until the enacted 740 ILCS 110/4 is read, the 12-17 band promises nothing."""
    text = _say(valid_answers, "US-IL", "counselor", "minor")
    assert "If you are 12 to 17: What your parent or guardian may see in your records depends on Illinois law." in text
    assert "unless you object" not in text


@pytest.mark.parametrize("edition", EDITIONS)
def test_wi_the_duty_to_protect_does_not_wait_for_a_threat(valid_answers, edition):
    """WI-17.1 (serious): in Schuster v. Altenberg the patient made no threat; the duty reaches foreseeable victims."""
    text = _say(valid_answers, "US-WI", "psychiatrist", edition)
    assert "even if you have not made a threat, the law requires me to act to protect that person" in text
    assert "my duty can reach anyone who could foreseeably be hurt" in text
    assert "If you make a serious threat" not in text


def test_dc_after_death_the_form_promises_nothing_while_two_statutes_disagree(valid_answers):
    """DC-17.1 (serious): § 3-1210.11(a)(6) lets any survivor get a dead client's records; the form named only the
    personal representative."""
    for edition in EDITIONS:
        text = _say(valid_answers, "US-DC", "counselor", edition)
        assert "Who makes decisions about your records after your death depends on District of Columbia law." in text
        assert "the person who handles your affairs (such as the executor of your will)" not in text


@pytest.mark.parametrize("profession", ["counselor", "marriage_family_therapist"])
def test_ma_counselors_and_mfts_are_not_told_adult_abuse_reports_are_only_allowed(valid_answers, profession):
    """MA-17.1 (serious): c. 19A § 15(a) and c. 19C § 1 name a 'family counselor' among mandated reporters; until the
    definitions are read, the form promises nothing for counselors and MFTs."""
    text = _say(valid_answers, "US-MA", profession, "individual")
    assert "Whether I must or may report the abuse" in text
    assert "the law allows me to report it" not in text
    assert "I must report" in _say(valid_answers, "US-MA", "psychologist", "individual")
