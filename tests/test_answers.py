"""The answers file: valid input builds a Practice; every bad input gives FILE: field: message."""

from __future__ import annotations

import datetime as dt

import pytest
from consentgen.errors import DataFileError
from consentgen.inputs.answers import check_email, check_license, check_phone, read_practice, write_practice


def messages(exc: DataFileError) -> list[str]:
    return exc.message.splitlines()


def test_valid_answers_build_a_practice(write_yaml, valid_answers):
    practice = read_practice(write_yaml(valid_answers))
    assert practice.clinician.profession == "marriage_family_therapist"
    assert practice.services.individual and not practice.services.minors
    assert practice.practice.website is None
    assert practice.jurisdiction == "US-CA"


def test_round_trip(tmp_path, write_yaml, valid_answers):
    valid_answers["clinician"]["supervisor"] = {"name": "Sam Roe", "credentials": "LMFT", "license": "LMFT 99"}
    valid_answers["form"] = {"date": "2026-01-05"}
    practice = read_practice(write_yaml(valid_answers))
    out = tmp_path / "again.yaml"
    write_practice(practice, out)
    again = read_practice(out)
    assert again == practice
    assert again.form.date == dt.date(2026, 1, 5)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda a: a["practice"].pop("phone"), "practice.phone: is required"),
        (lambda a: a["practice"].update(emial="x"), "practice.emial: unknown field (did you mean 'email'?)"),
        (lambda a: a.update(servises={}), "servises: unknown field (did you mean 'services'?)"),
        (lambda a: a["practice"].update(email="not-an-email"), "practice.email: 'not-an-email' is not an email"),
        (lambda a: a["practice"].update(phone="call me"), "practice.phone: 'call me' is not a phone number"),
        (lambda a: a["clinician"].update(profession="therapist"), "clinician.profession: 'therapist' is not one of"),
        (lambda a: a["clinician"].update(license=""), "clinician.license: must not be empty"),
        (lambda a: a["clinician"].update(license="<script>"), "clinician.license: '<script>' is not a license"),
        (lambda a: a.update(jurisdiction="US-CX"), "jurisdiction: unknown jurisdiction 'US-CX' (did you mean"),
        (lambda a: a["services"].update(minors="yes please"), "services.minors: must be true or false"),
        (lambda a: a.update(form={"date": "22/11/2026"}), "form.date: must be a date written YYYY-MM-DD"),
        (lambda a: a["practice"].update(name="x" * 500), "practice.name: is too long"),
        (lambda a: a.update(services={"individual": False}), "services: switch on at least one service"),
        (lambda a: a["clinician"].update(supervisor={"name": "Sam"}), "clinician.supervisor.credentials: is required"),
    ],
)
def test_bad_fields_are_reported_with_their_path(write_yaml, valid_answers, mutate, expected):
    mutate(valid_answers)
    path = write_yaml(valid_answers)
    with pytest.raises(DataFileError) as info:
        read_practice(path)
    assert any(line.startswith(f"{path}: {expected}") for line in messages(info.value)), info.value.message


def test_unknown_jurisdiction_suggests_the_closest(write_yaml, valid_answers):
    valid_answers["jurisdiction"] = "US-CX"
    with pytest.raises(DataFileError) as info:
        read_practice(write_yaml(valid_answers))
    assert "did you mean" in info.value.message and "'US-CA'" in info.value.message.split("; known")[0]
    assert "consentgen jurisdictions" in info.value.message


def test_several_problems_are_all_reported(write_yaml, valid_answers):
    valid_answers["practice"]["email"] = "bad"
    valid_answers["clinician"].pop("license")
    with pytest.raises(DataFileError) as info:
        read_practice(write_yaml(valid_answers))
    assert len(messages(info.value)) == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "the file is empty"),
        ("   \n\n", "the file is empty"),
        ("practice: [unclosed\n", "YAML syntax error"),
        ("practice:\n  name: a\n bad-indent: b\n", "line 3"),
        ("- just\n- a list\n", "must be a mapping of fields, not a list"),
        ("just text", "must be a mapping of fields"),
        ("[" * 500, "nested too deeply"),
    ],
)
def test_malformed_files(write_yaml, content, expected):
    path = write_yaml(content)
    with pytest.raises(DataFileError) as info:
        read_practice(path)
    assert info.value.message.startswith(f"{path}: ")
    assert expected in info.value.message


def test_binary_non_utf8_missing_folder_and_huge_files(tmp_path):
    binary = tmp_path / "logo.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("practice:\n  name: Caf\xe9\n".encode("latin-1"))
    huge = tmp_path / "huge.yaml"
    huge.write_text("a: " + "x" * 2_000_000)
    cases = {binary: "binary file", latin: "not UTF-8", tmp_path / "missing.yaml": "file not found",
             tmp_path: "is a folder", huge: "too large"}
    for path, expected in cases.items():
        with pytest.raises(DataFileError) as info:
            read_practice(path)
        assert expected in info.value.message, (path, info.value.message)


def test_field_checkers():
    assert check_email("x@example.org") is None and check_email("x@y") is not None
    assert check_phone("+1 (555) 123-4567 ext 2") is None and check_phone("12") is not None
    assert check_license("PSY 12345") is None and check_license("a") is not None
