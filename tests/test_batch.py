"""Clinic mode: roster parsing, bad rows, manifest, and identity with single renders."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from consentgen.batch import run_batch, slug
from consentgen.errors import DataFileError
from consentgen.inputs.roster import read_roster

from .conftest import ROOT

CLINIC = ROOT / "examples" / "clinic.yaml"
HEADER = "name,credentials,profession,license,supervisor_name,supervisor_credentials,supervisor_license"


def write(tmp_path, text, name="roster.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_header_variations_bom_quoting_and_blank_lines(tmp_path):
    text = ("\ufeffName, Credentials ,PROFESSION,License,Supervisor Name,supervisor-credentials,Supervisor_License\n"
            "\n"
            '"Ortega, Luis",AMFT,marriage_family_therapist,"AMFT 1",Karen Liu,LMFT,LMFT 2\n'
            "   ,  ,,,,,\n"
            "Grace Kim,LCSW,social_worker,LCSW 3,,,\n")
    rows = read_roster(write(tmp_path, text))
    assert [r.values["name"] for r in rows] == ["Ortega, Luis", "Grace Kim"]
    assert [r.number for r in rows] == [3, 5]
    assert rows[0].values["supervisor_name"] == "Karen Liu"


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("name,credentials\nA,B\n", "utf-8", "missing column(s): profession, license"),
        (HEADER + ",favourite_color\n", "utf-8", "unknown column(s): favourite_color"),
        ("", "utf-8", "the roster is empty"),
        (HEADER + "\n", "utf-8", "has a header but no clinicians"),
        (HEADER + "\nJosé Núñez,LPC,counselor,C1,,,\n", "latin-1", "not UTF-8"),
    ],
)
def test_bad_rosters(tmp_path, text, encoding, expected):
    path = write(tmp_path, text, encoding=encoding)
    with pytest.raises(DataFileError) as info:
        read_roster(path)
    assert str(path) in info.value.message and expected in info.value.message


def test_slug():
    assert slug("Dr. José Núñez-Pérez") == "dr-jose-nunez-perez"
    assert slug("<script>") == "script" and slug("!!!") == "clinician"


@pytest.mark.pdf
def test_bad_rows_are_reported_and_good_rows_rendered(tmp_path):
    roster = write(tmp_path, HEADER + ",minors\n"
                   "Dana Whitfield,PhD,psychologist,PSY 1,,,,no\n"
                   "Bad Profession,MD,wizard,X 1,,,,\n"
                   "No License,LPC,counselor,,,,,\n"
                   "Half Supervisor,AMFT,marriage_family_therapist,AMFT 9,Karen Liu,,,maybe\n")
    result = run_batch(CLINIC, roster, tmp_path / "out", today=__import__("datetime").date(2026, 11, 22), jobs=1)
    assert sorted({w["clinician"] for w in result.written}) == ["Dana Whitfield"]
    text = "\n".join(result.failed)
    assert f"{roster} row 3: profession: 'wizard' is not one of" in text
    assert f"{roster} row 4: license: is required" in text
    assert f"{roster} row 5: minors: 'maybe' is not yes or no" in text
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert len(manifest["forms"]) == len(result.written) and len(manifest["failed"]) == len(result.failed)


@pytest.mark.pdf
def test_manifest_matches_files_and_batch_equals_single_render(tmp_path):
    import datetime as dt

    from consentgen.inputs.answers import parse_practice, read_clinic
    from consentgen.inputs.roster import row_answers
    from consentgen.pipeline import make_form

    from tests.conftest import render_bytes as render_document

    roster = ROOT / "examples" / "roster.csv"
    out = tmp_path / "out"
    today = dt.date(2026, 11, 22)
    result = run_batch(CLINIC, roster, out, today=today, jobs=2)
    assert not result.failed
    lines = (out / "manifest.csv").read_text().splitlines()
    assert lines[0].startswith("row,file,clinician") and len(lines) == 1 + len(result.written)
    for item in result.written:
        data = (out / item["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == item["sha256"] and len(data) == item["bytes"]
        assert item["form_version"] and item["rules_verified_on"]
    # the same clinician rendered alone gives the same bytes
    clinic = read_clinic(CLINIC)
    row = read_roster(roster)[1]
    answers, _ = row_answers(clinic, row)
    practice = parse_practice(answers, "row")
    alone = render_document(make_form(practice, today=today, client_type="minor"), "pdf",
                            template_dir=practice.templates)
    assert alone == (out / "luis-ortega" / "minor.pdf").read_bytes()
    assert {item["client_type"] for item in result.written if item["clinician"] == "Luis Ortega"} >= {"minor"}
    assert practice.services.minors and practice.clinician.supervisor.name == "Karen Liu"


def test_clinic_file_must_not_name_a_clinician(tmp_path):
    bad = tmp_path / "clinic.yaml"
    bad.write_text(CLINIC.read_text() + "clinician: {name: X}\n")
    roster = tmp_path / "r.csv"
    shutil.copy(ROOT / "examples" / "roster.csv", roster)
    with pytest.raises(DataFileError, match="clinician: a clinic file has no clinician"):
        run_batch(bad, roster, tmp_path / "out", today=__import__("datetime").date(2026, 11, 22), jobs=1)


@pytest.mark.pdf
def test_clinic_templates_key_applies_to_every_form(tmp_path):
    import datetime as dt
    import io

    import pypdf

    overrides = tmp_path / "clinic-templates" / "sections"
    overrides.mkdir(parents=True)
    (overrides / "crisis.html.j2").write_text(
        '{% include "builtin/sections/crisis.html.j2" %}<p>Sunrise after-hours line: 555-0188.</p>')
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(CLINIC.read_text() + "templates: clinic-templates\n")
    roster = tmp_path / "roster.csv"
    roster.write_text(HEADER + "\nDana Whitfield,PhD,psychologist,PSY 1,,,\n")
    result = run_batch(clinic, roster, tmp_path / "out", today=dt.date(2026, 11, 22), jobs=1)
    assert not result.failed
    reader = pypdf.PdfReader(io.BytesIO((tmp_path / "out" / "dana-whitfield" / "individual.pdf").read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Sunrise after-hours line: 555-0188." in text
