"""The CLI end to end: in-process through ``cli.main`` (fast), and as a real subprocess where that is the point."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import EXAMPLES, ROOT


def subprocess_run(*args, cwd=None, timeout=120):
    """The real command, in a fresh process (start-up, entry point, exit status as the shell sees it)."""
    return subprocess.run([sys.executable, "-m", "consentgen", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})


def run(*args):
    """The command in this process: the same ``main`` the console script calls."""
    import contextlib
    import io
    import types

    from consentgen.frontends.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main([str(a) for a in args])
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            status = exc.code if isinstance(exc.code, int) else 2
    return types.SimpleNamespace(returncode=status, stdout=out.getvalue(), stderr=err.getvalue())


@pytest.mark.slow
def test_version_and_help():
    run = subprocess_run
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("consentgen ")
    out = run("--help")
    assert out.returncode == 0
    for verb in ("new", "render", "check", "jurisdictions"):
        assert verb in out.stdout
    assert run().returncode == 2


@pytest.mark.pdf
def test_render_pdf_and_html(tmp_path):
    pdf, html = tmp_path / "form.pdf", tmp_path / "form.html"
    out = run("render", EXAMPLES[0], "--for", "individual", "-o", pdf)
    assert out.returncode == 0, out.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and "Wrote" in out.stdout
    out = run("render", EXAMPLES[0], "--for", "individual", "-o", html)
    assert out.returncode == 0, out.stderr
    text = html.read_text()
    assert text.startswith("<!DOCTYPE html>") and "data:font/ttf;base64," in text
    assert "consentgen-asset:" not in text


def test_unknown_output_type(tmp_path):
    out = run("render", EXAMPLES[0], "--for", "individual", "-o", tmp_path / "form.docx")
    assert out.returncode == 3 and "use a name ending in .pdf or .html" in out.stderr
    assert not (tmp_path / "form.docx").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("practice: [", "YAML syntax error"),
        ("", "the file is empty"),
        ("practice: {}\n", "practice.name: is required"),
        ("jurisdiction: US-ZZ\n", "unknown jurisdiction"),
    ],
)
def test_bad_input_gives_file_field_message_and_no_output(tmp_path, content, expected):
    answers = tmp_path / "answers.yaml"
    answers.write_text(content)
    target = tmp_path / "form.pdf"
    out = run("render", answers, "-o", target)
    assert out.returncode == 1
    assert f"{answers}: " in out.stderr and expected in out.stderr
    assert "Traceback" not in out.stderr
    assert not target.exists() and [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]


def test_missing_and_binary_answers(tmp_path):
    out = run("render", tmp_path / "nope.yaml", "-o", tmp_path / "f.pdf")
    assert out.returncode == 1 and "file not found" in out.stderr
    binary = tmp_path / "b.yaml"
    binary.write_bytes(bytes(range(256)))
    out = run("check", binary)
    assert out.returncode == 1 and "binary file" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.slow
def test_unwritable_output_folder(tmp_path):
    out = run("render", EXAMPLES[0], "--for", "individual", "-o", tmp_path / "no" / "such" / "form.pdf")
    assert out.returncode == 3 and "does not exist" in out.stderr


def test_check_answers_reports_ok_and_reading_level():
    out = run("check", EXAMPLES[0])
    assert out.returncode == 0, out.stderr
    assert "OK" in out.stdout and "Reading level" in out.stdout


def test_check_jurisdictions_review_report():
    out = run("check", "--jurisdictions")
    assert out.returncode == 0, out.stderr
    assert "US-CA" in out.stdout and "unknown facts left to verify" in out.stdout


def test_jurisdictions_list_and_json():
    out = run("jurisdictions")
    assert out.returncode == 0 and "US-CA" in out.stdout and "California" in out.stdout
    data = json.loads(run("jurisdictions", "--json").stdout)
    assert isinstance(data, list) and {"US-CA", "US-NY", "US-TX"} <= {d["code"] for d in data}
    for item in data:
        for key in ("code", "name", "verified_on", "sources", "duty_to_protect", "child_abuse_reporting",
                    "elder_abuse_reporting", "minors"):
            assert key in item, (item["code"], key)
        assert item["duty_to_protect"]["kind"] in ("mandatory", "permissive", "none", "unknown")
        assert item["elder_abuse_reporting"]["kind"] in ("mandatory", "permissive", "none", "unknown")
        assert item["self_harm"]["kind"] in ("mandatory", "permissive", "federal_only", "unknown")
        assert item["minors"]["parent_told"] and item["minors"]["parent_signs"] and item["minors"]["parent_records"]
        review = item["review"]
        assert review is None or review["findings"] == review["fixed"] + review["open"]
        assert item["minors"]["consent_age"] is None or isinstance(item["minors"]["consent_age"], int)
        assert isinstance(item["child_abuse_reporting"]["citations"], list)
        assert all({"label", "url"} <= set(s) for s in item["sources"])


def test_jurisdictions_show():
    out = run("jurisdictions", "show", "US-CA")
    assert out.returncode == 0 and "Cal. Civ. Code § 43.92" in out.stdout and "verified on" in out.stdout
    one = json.loads(run("jurisdictions", "show", "ca", "--json").stdout)
    assert one["code"] == "US-CA"
    out = run("jurisdictions", "show", "US-QQ")
    assert out.returncode == 1 and "unknown jurisdiction" in out.stderr


def test_check_templates_lists_overrides(tmp_path):
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "crisis.html.j2").write_text("x")
    (tmp_path / "sections" / "crisiss.html.j2").write_text("x")
    out = run("check", "--templates", tmp_path)
    assert "replaces built-in  sections/crisis.html.j2" in out.stdout
    assert "UNKNOWN" in out.stdout and out.returncode == 1


@pytest.mark.pdf
@pytest.mark.slow
def test_batch_end_to_end(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text((ROOT / "examples" / "roster.csv").read_text() + "Bad Row,PhD,astrologer,X1,,,,,\n")
    out = subprocess_run("batch", ROOT / "examples" / "clinic.yaml", roster, "-o", tmp_path / "forms", "--jobs", "2")
    assert out.returncode == 1
    assert f"{roster} row 5 (Bad Row): profession: 'astrologer' is not one of" in out.stderr
    assert sorted(p.name for p in (tmp_path / "forms").iterdir()) == [
        "dana-whitfield", "grace-kim", "luis-ortega", "manifest.csv", "manifest.json", "manifest.xlsx"]
    assert sorted(p.name for p in (tmp_path / "forms" / "dana-whitfield").iterdir()) == [
        "couple_family.pdf", "individual.pdf"]
    assert "form(s)" in out.stdout


@pytest.mark.parametrize(("args", "status"), [
    (["batch", "examples/clinic.yaml", "examples/roster.csv", "-o", "x", "--jobs", "0"], 2),
    (["check"], 2),
    (["render"], 2),
    (["render", "examples/ca-solo-psychologist.yaml", "-o", "form.pdf"], 2),
    (["render", "examples/ca-solo-psychologist.yaml", "--for", "individual", "-o", "form.docx"], 3),
    (["jurisdictions", "show", "US-QQ"], 1),
])
def test_each_error_carries_its_exit_status(args, status, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = run(*args)
    assert out.returncode == status, out.stderr
    assert "Traceback" not in out.stderr


def test_render_says_verified_only_of_fully_verified_rules(tmp_path, monkeypatch):
    import yaml

    answers = yaml.safe_load(EXAMPLES[0].read_text())
    answers.update(jurisdiction="US-OH", services={"individual": True, "minors": True})
    path = tmp_path / "oh.yaml"
    path.write_text(yaml.safe_dump(answers))
    out = run("render", path, "--for", "minor", "-o", tmp_path / "minor.html")
    assert out.returncode == 0, out.stderr
    assert "Ohio rules checked" in out.stdout and "rules verified" not in out.stdout
    assert "minors' consent: not yet confirmed against the official text" in out.stderr
    # The same state with every rule it rests on verified (a copy of the data, statuses set): "verified".
    import shutil

    from consentgen.files import assets
    from consentgen.law import load

    data = tmp_path / "jurisdictions"
    shutil.copytree(assets.jurisdictions_dir(), data)
    for name in ("US-OH.yaml", "US.yaml"):
        text = (data / name).read_text(encoding="utf-8").replace("status: needs_review", "status: verified")
        (data / name).write_text(text, encoding="utf-8")
    ohio = yaml.safe_load((data / "US-OH.yaml").read_text(encoding="utf-8"))
    for name, rule in ohio.items():  # a rule still unknown is never verified: give each one a read value
        if name == "self_harm" and rule["kind"] == "unknown":
            rule.update(kind="federal_only", may_tell=["family"], citations=["45 CFR 164.512(j)"],
                        sources=ohio["duty_to_protect"]["sources"][:1])
        if name == "access_deadline" and rule["kind"] == "unknown":
            rule.update(kind="federal", citations=["Ohio Rev. Code § 3701.74"],
                        sources=ohio["duty_to_protect"]["sources"][:1])
        if name == "records_after_death" and rule["who"] == "unknown":
            rule.update(who="personal_representative", who_minor="personal_representative", state_silent=True,
                        citations=["45 CFR 164.502(g)(4)"], sources=ohio["duty_to_protect"]["sources"][:1])
    (data / "US-OH.yaml").write_text(yaml.safe_dump(ohio, sort_keys=False, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(load, "jurisdictions_dir", lambda: data)
    load._catalogue.cache_clear()
    out = run("render", path, "--for", "individual", "-o", tmp_path / "individual.html")
    load._catalogue.cache_clear()
    assert out.returncode == 0, out.stderr
    assert "Ohio rules verified" in out.stdout and "not yet confirmed" not in out.stderr


def test_jurisdictions_show_lists_required_content_and_marks_secondary_sources():
    out = run("jurisdictions", "show", "US-OR", "--json")
    data = json.loads(out.stdout)
    pds = [r for r in data["required_content"] if r["id"] == "or-professional-disclosure-statement"][0]
    assert "fees" in pds["elements"] and pds["separate_document"] and pds["citations"] == ["Or. Rev. Stat. § 675.755"]
    assert {s["type"] for s in data["duty_to_protect"]["sources"]} <= {"primary", "secondary"}
    text = run("jurisdictions", "show", "US-OR").stdout
    assert "Required content in Oregon: Professional disclosure statement" in text
    assert "source (secondary):" in text


def test_jurisdictions_show_keeps_research_notes_behind_notes_and_prints_the_review():
    plain = run("jurisdictions", "show", "US-TX")
    full = run("jurisdictions", "show", "US-TX", "--notes")
    assert plain.returncode == 0 and full.returncode == 0
    import re

    reviewed = re.search(r"^reviewed_on: (\S+)$", (ROOT / "jurisdictions/reviews/US-TX.md").read_text(), re.M).group(1)
    assert f"Independent review: {reviewed}" in plain.stdout and "(jurisdictions/reviews/US-TX.md)" in plain.stdout
    assert "  notes: " not in plain.stdout and "--notes" in plain.stdout
    assert "  notes: " in full.stdout
    data = json.loads(run("jurisdictions", "show", "US-TX", "--json").stdout)
    assert data["review"]["file"] == "reviews/US-TX.md" and data["self_harm"]["kind"] == "permissive"


def test_clinician_warnings_are_one_line_each_without_research_notes(tmp_path):
    import yaml

    answers = yaml.safe_load(EXAMPLES[0].read_text())
    answers.update(jurisdiction="US-TX", services={"individual": True, "minors": True})
    answers["clinician"]["profession"] = "marriage_family_therapist"
    path = tmp_path / "tx.yaml"
    path.write_text(yaml.safe_dump(answers))
    out = run("render", path, "--for", "minor", "-o", tmp_path / "minor.html")
    assert out.returncode == 0, out.stderr
    warnings = [line for line in out.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings and all(len(line) < 400 for line in warnings)
    assert not any("read only on" in line or "Pass 2" in line for line in warnings)  # research notes stay out
    assert any("explain to clients what applies" in line for line in warnings)
