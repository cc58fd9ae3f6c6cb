"""Which sections, signers and rules a form gets (pure logic, no rendering)."""

from __future__ import annotations

import dataclasses

import pytest

from consentgen.inputs.answers import parse_practice
from consentgen.documents.document import build_form
from consentgen.law.load import load_jurisdiction


def make(valid_answers, today, **services):
    valid_answers["services"] = {"individual": True, **services}
    practice = parse_practice(valid_answers, "test")
    return build_form(practice, load_jurisdiction(practice.jurisdiction), today=today, version="test")


@pytest.mark.parametrize(
    ("services", "present", "absent"),
    [
        ({}, {"limits", "records", "electronic", "recording", "signatures", "references"},
         {"insurance", "couples_family", "group", "minors", "telehealth"}),
        ({"insurance": True}, {"insurance"}, {"minors"}),
        ({"couples_family": True}, {"couples_family"}, {"group"}),
        ({"group": True}, {"group"}, {"couples_family"}),
        ({"minors": True}, {"minors"}, {"telehealth"}),
        ({"telehealth": True}, {"telehealth"}, {"minors"}),
    ],
)
def test_sections_follow_services(valid_answers, today, services, present, absent):
    form = make(valid_answers, today, **services)
    assert present <= set(form.sections)
    assert not absent & set(form.sections)


def test_signers_follow_services(valid_answers, today):
    assert [s.key for s in make(valid_answers, today).signers] == ["client", "clinician"]
    form = make(valid_answers, today, couples_family=True, minors=True)
    assert [s.key for s in form.signers] == ["client", "second_adult", "parent_guardian", "clinician"]


def test_form_date_defaults_to_today_and_answers_date_wins(valid_answers, today):
    assert make(valid_answers, today).date == today
    valid_answers["form"] = {"date": "2026-01-02"}
    assert make(valid_answers, today).date.isoformat() == "2026-01-02"


def test_duty_by_profession_overrides_the_default(valid_answers, today):
    form = make(valid_answers, today)
    j = form.jurisdiction
    data = dict(j.data)
    data["duty_to_protect"] = {**data["duty_to_protect"], "by_profession": {"marriage_family_therapist": "permissive"}}
    patched = dataclasses.replace(j, data=data)
    again = build_form(form.practice, patched, today=today, version="test")
    assert again.duty_kind == "permissive"


def test_telehealth_only_disclosures_need_telehealth(valid_answers, today):
    ids = {d["id"] for d in make(valid_answers, today).disclosures}
    ids_tele = {d["id"] for d in make(valid_answers, today, telehealth=True).disclosures}
    assert "ca-telehealth-consent" not in ids and "ca-telehealth-consent" in ids_tele


def test_mismatched_jurisdiction_is_a_caller_bug(valid_answers, today):
    practice = parse_practice(valid_answers, "test")
    with pytest.raises(ValueError):
        build_form(practice, load_jurisdiction("US-NY"), today=today, version="test")


def test_fingerprint_changes_with_content(valid_answers, today):
    a = make(valid_answers, today).fingerprint
    b = make(valid_answers, today, group=True).fingerprint
    assert a != b and len(a) == 12


def test_minors_consent_age_can_differ_by_profession(valid_answers, today):
    valid_answers["jurisdiction"] = "US-CT"
    valid_answers["clinician"]["profession"] = "counselor"
    assert make(valid_answers, today, minors=True).minor_consent_age == "unknown"
    valid_answers["clinician"]["profession"] = "psychologist"
    assert make(valid_answers, today, minors=True).minor_consent_age == 0


def test_client_note_for_limits_notes_to_some_professions(valid_answers, today):
    valid_answers["jurisdiction"] = "US-TX"
    valid_answers["clinician"]["profession"] = "counselor"
    form = make(valid_answers, today, minors=True)
    assert form.note(form.state["minors"])
    valid_answers["clinician"]["profession"] = "marriage_family_therapist"
    form = make(valid_answers, today, minors=True)
    assert form.note(form.state["minors"]) is None
