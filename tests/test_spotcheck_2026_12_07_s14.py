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
        assert "It does not apply to records of treatment for alcohol or drug use." in text
    spanish = _say_es(valid_answers, "US-WI", profession, "individual")
    assert "dar información limitada a un familiar cercano que ayuda con su cuidado, si me la pide" in spanish


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
