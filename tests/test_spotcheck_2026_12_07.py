"""The findings of the 2026-12-07 fresh spot-check (CT, MO, ID) that were fixed, each on the form it was found in.

The report is jurisdictions/reviews/spotchecks/2026-12-07-CT-MO-ID.md; each state's record lists what stays open.
"""

from __future__ import annotations

import pytest

from tests.test_law_to_words import _form, _say

PROFESSIONS = ("psychologist", "counselor", "social_worker", "marriage_family_therapist", "psychiatrist")


@pytest.mark.parametrize("profession", PROFESSIONS)
def test_mo_s1_a_missouri_teen_learns_the_exceptions_to_parent_consent(valid_answers, profession):
    mo = _say(valid_answers, "US-MO", profession, "minor")  # § 431.056.1, § 431.061.1(3)-(4)
    assert "a parent or legal guardian must agree to therapy for someone under 18" in mo
    assert "So may a teen who is 16 or 17, is homeless or a victim of domestic violence" in mo
    assert "A teen who is married or is a parent may agree to therapy alone" in mo


def test_ct_s2_the_connecticut_risk_report_needs_immediate_danger(valid_answers):
    ct = _say(valid_answers, "US-CT", "counselor", "individual")  # § 17a-101b(a): "imminent risk"
    assert "if I suspect a child is in immediate danger of serious harm" in ct
    assert "a child is at risk of serious harm" not in ct


def test_ct_s7_the_records_deadline_cites_hipaa_not_a_section_that_excludes_therapy_records(valid_answers):
    form, _ = _form(valid_answers, "US-CT", "psychologist", "individual")
    cited = {ref.topic: ref for ref in form.references}
    deadline = next(ref for topic, ref in cited.items() if "deadline" in topic or "request" in topic)
    assert "Conn. Gen. Stat. § 20-7c" not in deadline.citations  # § 20-7c(f)
    assert "45 CFR § 164.524(b)(2)" in deadline.citations


def test_id_s1_the_idaho_exceptions_are_the_statute_s_narrow_ones(valid_answers):
    idaho = _say(valid_answers, "US-ID", "counselor", "minor")  # § 32-1015(4)
    assert "a medical emergency that puts your life or health in serious danger" in idaho
    assert "this does not apply if there is a court order or an emergency" not in idaho


# Spot-check 7 (CA, IA, AK; jurisdictions/reviews/spotchecks/2026-12-07-CA-IA-AK.md): the two serious findings.

@pytest.mark.parametrize("profession", PROFESSIONS)
def test_ia_1_an_iowa_teen_learns_they_may_seek_help_for_alcohol_or_drugs_alone(valid_answers, profession):
    iowa = _say(valid_answers, "US-IA", profession, "minor")  # Iowa Code § 125.33(1)
    assert "there is an exception for help with alcohol or drug use" in iowa
    assert "I will not tell your parent or guardian that you asked for it or are getting it" in iowa
    assert "help with alcohol or drug use" not in _say(valid_answers, "US-IA", profession, "individual")


def test_ak_1_an_alaska_psychiatrists_teen_learns_who_may_agree_to_medical_care_alone(valid_answers):
    alaska = _say(valid_answers, "US-AK", "psychiatrist", "minor")  # AS 25.20.025
    assert "those who live apart from their parents and handle their own money" in alaska
    assert "young people who are parents themselves" in alaska
    assert "those who live apart" not in _say(valid_answers, "US-AK", "counselor", "minor")  # medical care only
