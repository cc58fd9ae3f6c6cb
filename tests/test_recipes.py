"""The CONTRIBUTING.md recipes that change code, each tried end to end (issue 23, "the recipes each tried once").

The language recipe is tried in ``test_languages.py``; the state-rule and document recipes by the state files and
the release. These two try "An output format" and "A front end" the way a contributor would follow them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
import yaml
from consentgen.frontends import asking
from consentgen.frontends import questions as q
from consentgen.model.options import RenderOptions
from consentgen.pipeline import generate_editions

from .conftest import ROOT


@pytest.mark.slow
def test_an_output_format_is_one_registry_entry(tmp_path, valid_answers):
    """The recipe, in a copy of the project: one entry in render/registry.py (a plain-text format) and nothing
    else. `render --format` offers it, a folder gets one file per edition with its suffix, and a file name ending
    in the suffix picks it."""
    copy = tmp_path / "project"
    for name in ("consentgen", "templates", "jurisdictions"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "reviews"))
    registry = copy / "consentgen" / "render" / "registry.py"
    source = registry.read_text(encoding="utf-8")
    entry = '''

def _text(doc: Document, options: Output) -> Rendered:
    import html as markup

    from consentgen.render.html import render_page

    page, fingerprint, wording = render_page(doc, options.but(fields=False), inline_assets=True)
    body = re.sub(r"(?s)<(style|script)\\b.*?</\\1>", "", page)
    text = markup.unescape(re.sub(r"[ \\t]+", " ", re.sub(r"<[^>]+>", " ", body)))
    return Rendered("\\n".join(line.strip() for line in text.splitlines() if line.strip()).encode(), fingerprint,
                    wording)


FORMATS: dict[str, Format] = {
    "text": Format("text", (".txt",), "text/plain", _text),'''
    assert source.count("\n\nFORMATS: dict[str, Format] = {") == 1
    registry.write_text(source.replace("\n\nFORMATS: dict[str, Format] = {", entry), encoding="utf-8")
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({**valid_answers, "jurisdiction": "US-NY"}), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy)}

    def consentgen(*argv: str) -> subprocess.CompletedProcess[str]:
        script = textwrap.dedent(f"""
            import sys
            from consentgen.frontends.cli import main
            sys.exit(main({list(argv)!r}))
        """)
        return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300,
                              cwd=tmp_path)

    done = consentgen("render", str(answers), "--format", "text", "-o", str(tmp_path / "forms") + "/")
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (tmp_path / "forms").iterdir())
    assert written and all(name.endswith(".txt") for name in written), written
    text = (tmp_path / "forms" / written[0]).read_text(encoding="utf-8")
    assert "New York" in text and "<" not in text
    one = consentgen("render", str(answers), "-o", str(tmp_path / "one.txt"))
    assert one.returncode == 0, one.stderr
    assert "New York" in (tmp_path / "one.txt").read_text(encoding="utf-8")
    helped = consentgen("render", "--help")
    assert "text" in helped.stdout.split("--format")[1].split("\n")[0]


class ScriptedFrontEnd:
    """A third front end, built only from the recipe's parts: it shows ``questions.QUESTIONS``, takes a whole
    page of answers at once (as a chat bot or a form service would), checks them with ``asking.check_answers``
    and writes through ``pipeline.generate_editions`` (which never replaces a file consentgen did not make). It
    reads no law data and no template itself."""

    def __init__(self, answers: dict[str, object]) -> None:
        self.answers = answers

    def shown(self) -> list[str]:
        return asking.active_keys(self.answers)

    def submit(self, folder, today):
        errors, practice = asking.check_answers(self.answers)
        if practice is None:
            return errors, []
        results = generate_editions(practice, folder, RenderOptions(format="html"), today=today)
        return {}, [result.path for result in results]


def _page_answers() -> dict[str, object]:
    flat: dict[str, object] = {question.key: question.default for question in q.QUESTIONS}
    flat.update({
        "practice.name": "Harbor Counseling", "practice.address": "1 Main St, Albany, NY 12207",
        "practice.phone": "(518) 555-0100", "practice.email": "office@example.org",
        "clinician.name": "Dana Lee", "clinician.credentials": "LMHC", "clinician.profession": "counselor",
        "clinician.license": "012345", "jurisdiction": "New York", "services": ("individual", "minors"),
    })
    return flat


def test_a_front_end_needs_only_the_questions_the_check_and_the_pipeline(tmp_path):
    page = _page_answers()
    front = ScriptedFrontEnd(page)
    assert "practice.name" in front.shown() and "clinician.supervisor.name" not in front.shown()
    errors, files = front.submit(tmp_path / "out", dt.date(2026, 12, 7))
    assert errors == {} and files, errors
    assert any("minor" in path.name for path in files)
    assert all("New York" in path.read_text(encoding="utf-8") for path in files)
    page["practice.email"] = "not an email"  # the same checks as the wizard and the web page, on the field
    errors, files = ScriptedFrontEnd(page).submit(tmp_path / "bad", dt.date(2026, 12, 7))
    assert set(errors) == {"practice.email"} and files == []
    assert not (tmp_path / "bad").exists()


def test_the_estimates_identifiers_are_asked_with_the_practice_details_and_checked():
    """Issue 26: the wizard and the web page ask for the NPI and the EIN among the optional practice details (the
    good faith estimate prints them), with the answers file's own checks."""
    page = _page_answers()
    assert "clinician.npi" not in asking.active_keys(page)  # only with the practice details
    page["extras"] = True
    assert {"clinician.npi", "practice.tin"} <= set(asking.active_keys(page))
    page.update({"clinician.npi": "1234567890", "practice.tin": "123-45-6789"})
    errors, practice = asking.check_answers(page)
    assert practice is None and "check digit" in errors["clinician.npi"] and "Social Security" in errors["practice.tin"]
    page.update({"clinician.npi": "1234567893", "practice.tin": "12-3456789"})
    errors, practice = asking.check_answers(page)
    assert errors == {} and practice is not None
    assert (practice.clinician.npi, practice.practice.tin) == ("1234567893", "12-3456789")
