"""The findings of session 8's fresh spot-check (MS, GA, IN; report in
jurisdictions/reviews/spotchecks/2026-12-07-MS-GA-IN.md) that were fixed, each on the form it was found in."""

from __future__ import annotations

import pytest

from tests.test_law_to_words import _say

PROFESSIONS = ("psychologist", "counselor", "social_worker", "marriage_family_therapist", "psychiatrist")


@pytest.mark.parametrize("profession", PROFESSIONS)
def test_ga_1_no_form_says_a_lawsuit_opens_the_records(valid_answers, profession):
    """O.C.G.A. § 24-5-501(a)(5)-(7) names no patient-litigant exception; the form said 'a court may let the
    other side see your records' in every state, from a template sentence no state's data backed."""
    for code in ("US-GA", "US-MS", "US-IN"):
        text = _say(valid_answers, code, profession, "individual")
        assert "a court may let the other side see your records" not in text
        assert "the other side may ask the court to see your records" in text
        assert "Whether it can depends on" in text
