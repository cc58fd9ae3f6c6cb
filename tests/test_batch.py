"""Clinic mode: roster parsing, bad rows, manifest, and identity with single renders."""

from __future__ import annotations

import csv
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
        # B19: 20 000 unknown columns: ten are named, the rest counted (the message stays one readable line)
        (HEADER + "".join(f",extra{i}" for i in range(20_000)) + "\n", "utf-8", "extra9 and 19990 more;"),
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
    assert f"{roster} row 3 (Bad Profession): profession: 'wizard' is not" in text
    assert f"{roster} row 4 (No License): license: is required" in text
    assert f"{roster} row 5 (Half Supervisor): minors: 'maybe' is not yes or no" in text
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert len(manifest["forms"]) == len(result.written) and len(manifest["failed"]) == len(result.failed)
    rows = list(csv.DictReader((tmp_path / "out" / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [r["status"] for r in rows].count("failed") == 3  # every row is in the CSV, written or failed
    assert {r["clinician"] for r in rows if r["status"] == "failed"} == {"Bad Profession", "No License",
                                                                          "Half Supervisor"}


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
    lines = (out / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()
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


def _files(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def _manifest_is_true(out):
    """Every form the manifest lists is present with its sha256, and every form present is listed."""
    manifest = json.loads((out / "manifest.json").read_text())
    listed = {f["file"]: f["sha256"] for f in manifest["forms"]}
    present = {k: v for k, v in _files(out).items() if k.endswith((".pdf", ".html"))
               and not k.startswith("superseded/")}
    assert listed == present
    return manifest


SHORT = ("name,credentials,profession,license\n"
         "Ann Lee,PhD,Psychologist,PSY 2\n"
         "Bo Chan,LPC,LPC,C 7\n"
         "Ann Lee,LCSW,lcsw,LCSW 9\n"
         "=HYPERLINK(\"http://x\"),@SUM(1),md,MD 4\n")


def test_names_come_from_the_clinician_not_the_row_order(tmp_path):
    import datetime as dt

    today = dt.date(2026, 11, 22)
    lines = SHORT.splitlines()
    first = run_batch(CLINIC, write(tmp_path, SHORT, "a.csv"), tmp_path / "a", today=today, jobs=1,
                      options=__import__("consentgen").RenderOptions(format="html"))
    reordered = "\n".join([lines[0], *reversed(lines[1:])]) + "\n"
    second = run_batch(CLINIC, write(tmp_path, reordered, "b.csv"), tmp_path / "b", today=today, jobs=1,
                       options=__import__("consentgen").RenderOptions(format="html"))
    assert not first.failed and not second.failed
    forms = {k: v for k, v in _files(tmp_path / "a").items() if k.endswith(".html")}
    assert forms == {k: v for k, v in _files(tmp_path / "b").items() if k.endswith(".html")}
    assert {"ann-lee-psy-2/individual.html", "ann-lee-lcsw-9/individual.html", "bo-chan/individual.html"} <= set(forms)
    assert {w["profession"] for w in first.written} == {"psychologist", "counselor", "social_worker", "psychiatrist"}
    raw = (tmp_path / "a" / "manifest.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the names as UTF-8
    text = raw.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text and ",=HYPERLINK" not in text
    _manifest_is_true(tmp_path / "a")


def test_a_shorter_roster_sets_old_forms_aside_and_the_manifest_stays_true(tmp_path):
    import datetime as dt

    from consentgen import RenderOptions

    out = tmp_path / "out"
    html = RenderOptions(format="html")
    run_batch(CLINIC, write(tmp_path, SHORT), out, today=dt.date(2026, 11, 22), jobs=1, options=html)
    shorter = "name,credentials,profession,license\nBo Chan,LPC,counselor,C 7\n"
    result = run_batch(CLINIC, write(tmp_path, shorter, "short.csv"), out, today=dt.date(2026, 11, 23), jobs=1,
                       options=html)
    manifest = _manifest_is_true(out)
    assert {f["file"] for f in manifest["forms"]} == {"bo-chan/individual.html", "bo-chan/couple_family.html"}
    assert "bo-chan/individual.html" not in result.replaced  # the same page a day later: left as it was
    assert {f["file"]: f["change"] for f in manifest["forms"]}["bo-chan/individual.html"] == "unchanged"
    assert {f["file"]: f["form_date"] for f in manifest["forms"]}["bo-chan/individual.html"] == "2026-11-22"
    rows = list(csv.DictReader((out / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()))
    aside = {r["file"]: (r["status"], r["change"]) for r in rows if r["file"].startswith("superseded/")}
    assert aside["superseded/ann-lee-psy-2/individual.html"] == ("superseded", "superseded")
    assert set(result.superseded) >= {"ann-lee-psy-2/individual.html", "ann-lee-lcsw-9/individual.html"}
    assert (out / "superseded" / "ann-lee-psy-2" / "individual.html").is_file()
    assert not (out / "ann-lee-psy-2").exists() and not (out / ".cg-staging").exists()


def test_same_name_and_license_twice_fails_both_rows_clearly(tmp_path):
    import datetime as dt

    roster = write(tmp_path, "name,credentials,profession,license\nAnn Lee,PhD,psychologist,PSY 2\n"
                             "Ann Lee,PhD,psychologist,PSY 2\n")
    result = run_batch(CLINIC, roster, tmp_path / "out", today=dt.date(2026, 11, 22), jobs=1,
                       options=__import__("consentgen").RenderOptions(format="html"))
    assert {w["row"] for w in result.written} == {2}
    assert "row 3 (Ann Lee): license: same name and license as row 2" in result.failed[0]


def test_ctrl_c_leaves_the_output_folder_as_it_was(tmp_path):
    import datetime as dt

    from consentgen import RenderOptions
    from consentgen.errors import WizardAborted

    out = tmp_path / "out"
    run_batch(CLINIC, write(tmp_path, SHORT), out, today=dt.date(2026, 11, 22), jobs=1,
              options=RenderOptions(format="html"))
    before = _files(out)

    def interrupt(written, failed, total):
        if written == 2:
            raise KeyboardInterrupt

    with pytest.raises(WizardAborted, match="nothing in .* was changed"):
        run_batch(CLINIC, write(tmp_path, SHORT), out, today=dt.date(2026, 12, 1), jobs=1, progress=interrupt,
                  options=RenderOptions(format="html"))
    assert _files(out) == before


def test_one_bad_row_never_stops_the_others(tmp_path):
    import datetime as dt

    roster = write(tmp_path, "name,credentials,profession,license,jurisdiction\nAnn Lee,PhD,psychologist,PSY 2,NY\n"
                             "Bo Chan,LPC,counselor,C 7,ZZ\n")
    result = run_batch(CLINIC, roster, tmp_path / "out", today=dt.date(2026, 11, 22), jobs=1,
                       options=__import__("consentgen").RenderOptions(format="html"))
    assert {w["jurisdiction"] for w in result.written} == {"US-NY"}  # a short code works
    assert "row 3 (Bo Chan): jurisdiction: unknown jurisdiction 'ZZ'" in result.failed[0]


def test_dry_run_and_check_write_nothing(tmp_path):
    from .test_cli import run

    roster = write(tmp_path, SHORT)
    out = run("batch", CLINIC, roster, "-o", tmp_path / "out", "--dry-run")
    assert out.returncode == 0 and "write" in out.stdout and "Nothing was written (dry run)" in out.stdout
    assert not (tmp_path / "out").exists()
    checked = run("check", CLINIC, roster)
    assert checked.returncode == 0, checked.stderr
    assert "4 clinician(s) ready" in checked.stdout and not (tmp_path / "out").exists()


def test_license_state_is_stated_and_warned_about(valid_answers, today):
    from consentgen.frontends.report import review_lines

    from .test_form import make

    valid_answers["clinician"]["license_state"] = "oh"
    form = make(valid_answers, today)
    assert form.practice.clinician.license_state == "US-OH"
    from consentgen.render.html import render_html

    assert "licensed in Ohio" in render_html(form)
    assert any("the license is from Ohio, but the form is for clients in California" in line
               for line in review_lines([form]))


def test_a_small_batch_needs_no_workers_and_a_large_one_uses_every_core():
    """Starting a worker (about 1.2 s) costs more than it saves on fewer than 6 forms; `--jobs` still decides."""
    from consentgen.batch.work import SMALL_BATCH, default_workers

    assert default_workers(1, 8) == default_workers(SMALL_BATCH - 1, 8) == 1
    assert default_workers(SMALL_BATCH, 8) == 8 and default_workers(200, 2) == 2


@pytest.mark.pdf
def test_a_small_batch_without_jobs_renders_in_this_process(tmp_path, monkeypatch):
    import datetime as dt

    import consentgen.batch.work as work

    def no_pool(*args, **kwargs):
        raise AssertionError("a batch of 3 forms started worker processes")

    monkeypatch.setattr(work.cf, "ProcessPoolExecutor", no_pool)
    roster = write(tmp_path, HEADER + "\nAnn Lee,PhD,psychologist,PSY 1,,,\nBo Park,LCSW,social_worker,LCSW 2,,,\n")
    result = run_batch(CLINIC, roster, tmp_path / "out", today=dt.date(2026, 11, 22))
    assert not result.failures and len(result.written) >= 2
