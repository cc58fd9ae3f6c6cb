"""The findings of the 2026-12-06 legal spot-check (TX, PA, IL, WA, NC, MA), each on the form it was found in.

The review is ../shared/reviews/2026-12-06/legal-spotcheck.md; each state's fixes are recorded in
jurisdictions/reviews/US-XX.md. Each test names its finding (TX-1, PA-2, ...).
"""

from __future__ import annotations

import pytest

from tests.test_law_to_words import _form, _say


def _cites(answers, code, profession, edition="individual"):
    form, _ = _form(answers, code, profession, edition)
    return {ref.topic: ref for ref in form.references}


PROFESSIONS = ("psychologist", "counselor", "social_worker", "marriage_family_therapist", "psychiatrist")


@pytest.mark.parametrize("profession", ["psychologist", "counselor", "social_worker", "psychiatrist"])
def test_tx_1_a_texas_teen_is_not_promised_what_a_conservator_parent_can_see(valid_answers, profession):
    tx = _say(valid_answers, "US-TX", profession)
    assert "I will not share the details of what you tell me" not in tx  # Fam. Code § 153.073(a)(3)
    assert "The law gives your parent or guardian a right to see your records" in tx
    assert "Texas law still lets me tell your parent or guardian about your counseling" in tx  # § 32.004(b)(2)


def test_tx_2_3_texas_threat_and_self_harm_name_only_medical_or_law_enforcement(valid_answers):
    for profession in PROFESSIONS:
        tx = _say(valid_answers, "US-TX", profession, "individual")
        assert "tell others who can help prevent harm" not in tx  # TX-2: § 611.004(a)(2)
        assert "contact a family member" not in tx and "I might call 988 or 911" not in tx  # TX-3
        assert "tell doctors or hospital staff" in tx and "tell the police" in tx
    assert "tell other mental health professionals" in _say(valid_answers, "US-TX", "psychiatrist", "individual")


def test_tx_4_texas_child_report_is_right_away_at_most_48_hours(valid_answers):
    tx = _say(valid_answers, "US-TX", "counselor", "individual")
    assert "I must report right away, and never later than 48 hours" in tx
    assert "In Texas, I must report within 48 hours." not in tx


def test_tx_5_each_texas_profession_cites_its_own_record_rule(valid_answers):
    own = {"counselor": "§ 681.36", "social_worker": "§ 781.309", "psychiatrist": "§ 165.1"}
    for profession, section in own.items():
        cited = " ".join(_cites(valid_answers, "US-TX", profession)["records"].citations)
        assert section in cited and all(s not in cited for s in own.values() if s != section), profession


def test_pa_1_a_pennsylvania_teen_who_consents_alone_is_not_told_parents_hear_general_things(valid_answers):
    for profession in PROFESSIONS:
        pa = _say(valid_answers, "US-PA", profession)
        assert "you can start without your parent or guardian knowing" in pa
        assert "The law lets you decide who may see your records" in pa
        assert "I will tell your parent or guardian general things" not in pa  # only "if your parent agreed"


def test_pa_2_pennsylvania_threat_is_specific_and_immediate(valid_answers):
    pa = _say(valid_answers, "US-PA", "psychologist", "individual")
    assert "a threat to soon cause serious physical harm" in pa
    assert "The law's duty applies only if the threat is specific." in pa


def test_pa_3_the_minors_source_is_the_act_65_text(valid_answers):
    ref = _cites(valid_answers, "US-PA", "counselor", "minor")["minors"]
    assert all("legis.state.pa.us" not in s.url for s in ref.sources)
    assert any("westlaw" in s.url for s in ref.sources if s.type == "primary")


@pytest.mark.parametrize("profession", PROFESSIONS)
def test_il_1_2_an_illinois_teen_is_told_the_law_not_a_promise(valid_answers, profession):
    il = _say(valid_answers, "US-IL", profession)
    assert "I will tell your parent or guardian general things" not in il  # IL-1: § 3-501(a)
    assert "unless I decide it is truly necessary. If so, I will tell you first." in il
    assert "If you are under 12: The law gives your parent or guardian a right to see your records" in il  # IL-2
    # re-check R1: 740 ILCS 110/4(a)(3), a parent may see the record unless the minor objects and the therapist agrees;
    # session 17 (IL-17.1): P.A. 103-0474 may let a parent who consented see it regardless of age, so it is unknown
    assert "If you are 12 to 17: What your parent or guardian may see in your records depends on Illinois law." in il


@pytest.mark.parametrize("profession", ["counselor", "social_worker", "marriage_family_therapist"])
def test_il_3_5_illinois_counselors_hear_of_the_state_report_and_their_own_permission(valid_answers, profession):
    il = _say(valid_answers, "US-IL", profession, "individual")
    assert "Report to the state" in il  # IL-3: § 6-103.3 binds qualified examiners
    assert "the law allows me to share information to protect that person" in il  # IL-5: 740 ILCS 110/11
    assert "a person who can be identified" not in il.split("If you threaten to harm someone else", 1)[1][:300]
    assert "The law lists these ways to do this" not in il


def test_il_4_6_illinois_psychologists_are_not_told_the_law_requires_and_the_8th_session_rule(valid_answers):
    il = _say(valid_answers, "US-IL", "psychologist")
    assert "the law requires me to act to protect that person" not in il  # IL-4: § 6-103 limits liability
    assert "I will act to protect that person, in the ways Illinois law describes" in il
    assert "By the 8th session, I will decide with you whether a parent needs to be asked" in il  # IL-6


def test_wa_1_washington_covers_an_older_adult_only_if_unable_to_care_for_themselves(valid_answers):
    wa = _say(valid_answers, "US-WA", "counselor", "individual")
    assert "an adult age 60 or older who has trouble caring for themselves" in wa  # RCW 74.34.020
    assert "an older adult (age 60 or older)" not in wa and "frail older" in wa


def test_wa_2_3_washington_disclosure_sentence_and_no_notes_option(valid_answers):
    wa = _say(valid_answers, "US-WA", "counselor", "individual")
    assert "asks me to give you a disclosure information" not in wa and "Please ask me for it" not in wa  # WA-2
    assert "Washington law also requires me to give you a separate document before we begin" in wa
    assert "You may ask that no treatment notes be kept" in _say(valid_answers, "US-WA", "psychologist",
                                                                 "individual")  # WA-3


def test_wa_4_a_washington_psychologist_cites_only_the_psychologists_record_rule(valid_answers):
    cited = _cites(valid_answers, "US-WA", "psychologist")["records"].citations
    assert any("246-924-354" in c for c in cited) and not any("246-809-035" in c for c in cited)


def test_nc_1_a_north_carolina_psychiatrist_does_not_involve_parents_without_the_teen(valid_answers):
    nc = _say(valid_answers, "US-NC", "psychiatrist")
    assert "A parent or guardian will still be involved." not in nc  # G.S. 90-21.4(b)
    assert "without your OK, unless it is essential to your life or health" in nc
    assert "only when a parent or guardian agrees to the therapy" in nc


def test_nc_2_the_crimes_against_children_report_is_not_claimed_verified_of_me(valid_answers):
    form, text = _form(valid_answers, "US-NC", "counselor", "individual")
    assert "This includes me." not in text  # § 14-318.6(h) privilege exemptions not read
    crimes = [r for r in form.references if "14-318.6" in " ".join(r.citations)]
    assert crimes and all(r.status != "verified" for r in crimes)


def test_nc_3_4_5_north_carolina_agency_felony_ground_and_minor_retention(valid_answers):
    nc = _say(valid_answers, "US-NC", "counselor", "individual")
    child = nc.split("If a child may be abused or neglected", 1)[1].split("If a", 1)[0]
    assert "I must report it to child protective services." in child and "or the police" not in child  # NC-3
    assert "a felony or a violent crime" in nc  # NC-4: 122C-55's felony or violent misdemeanor ground (NC-17.1)
    mft = _say(valid_answers, "US-NC", "marriage_family_therapist")
    assert "at least 5 years after our last session" not in mft or "22" in mft  # NC-5: minors to 22


@pytest.mark.parametrize("profession", ["psychologist", "social_worker", "psychiatrist"])
def test_ma_1_massachusetts_names_disabled_adults_18_to_59(valid_answers, profession):
    ma = _say(valid_answers, "US-MA", profession, "individual")
    assert "an adult with a disability" in ma and "18 to 59" in ma  # c. 19C


def test_ma_2_3_massachusetts_threat_words_and_mature_minors(valid_answers):
    ma = _say(valid_answers, "US-MA", "psychologist", "individual")
    assert "the threat is stated plainly, and you seem to mean it and be able to carry it out" in ma  # § 36B
    assert "mature teens" in _say(valid_answers, "US-MA", "counselor")  # MA-3: Baird


def test_cross_cutting_2_the_parent_line_says_when_a_parent_signs(valid_answers):
    for code in ("US-IL", "US-PA", "US-WA", "US-TX"):
        text = _say(valid_answers, code, "counselor")
        assert "(only when a parent or guardian agrees to the therapy)" in text, code
        assert "signs alone" in text, code


def test_recheck_wa_records_request_is_answered_within_washingtons_15_working_days(valid_answers):
    wa = _say(valid_answers, "US-WA", "counselor", "individual")
    assert "I will respond within 15 working days." in wa and "within 30 days" not in wa  # RCW 70.02.080(1)
    assert "I will respond within 30 days" not in _say(valid_answers, "US-TX", "counselor", "individual")  # unread
    assert "I will not tell your parent or guardian on my own" in _say(valid_answers, "US-WA", "counselor")


def test_spanish_minor_edition_keeps_the_guardian(valid_answers):
    from tests.test_spanish import _form as _form_es
    from tests.test_spanish import _text

    _, page = _form_es(valid_answers, "US-IL", "psychologist", "minor")
    assert "hablaré con usted sobre si hace falta preguntarle a su padre o a su madre" not in _text(page)
