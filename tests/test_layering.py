"""Heavy libraries load only when needed; the public API is pinned."""

from __future__ import annotations

import subprocess
import sys

import consentgen

from .conftest import ROOT


def test_cli_import_stays_light():
    code = ("import sys, consentgen.frontends.cli, consentgen.inputs.answers, consentgen.law.load; "
            "print('weasyprint' in sys.modules, 'questionary' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_public_api():
    assert set(consentgen.__all__) == {
        "Clinician", "ConsentForm", "ConsentgenError", "Document", "Jurisdiction", "LawView", "Practice",
        "RenderOptions", "__version__", "build_document", "build_form", "generate", "list_jurisdictions",
        "load_jurisdiction", "read_jurisdiction", "read_practice", "render_html", "render_pdf", "resolve",
        "write_practice",
    }
    for name in consentgen.__all__:
        assert getattr(consentgen, name) is not None, name


def test_python_holds_no_statutes():
    import re

    for path in (ROOT / "consentgen").rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"§|\bU\.S\.C\b|\bCFR\b|Code Ann", text), f"{path.name} mentions a statute"


def test_checkout_uses_its_own_folders_so_edits_show_without_reinstalling():
    from consentgen.files.assets import jurisdictions_dir, templates_dir

    assert templates_dir() == ROOT / "templates" and jurisdictions_dir() == ROOT / "jurisdictions"


def test_wheel_carries_templates_and_jurisdictions(tmp_path):
    import zipfile

    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        import pytest

        pytest.skip(f"cannot build a wheel here: {out.stderr[-300:]}")
    wheel = next(tmp_path.glob("consentgen-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("consentgen/templates/consent/consent_form.html.j2", "consentgen/templates/consent/document.yaml",
                   "consentgen/templates/common/style.css",
                   "consentgen/templates/common/fonts/AtkinsonHyperlegible-Regular.ttf",
                   "consentgen/jurisdictions/US.yaml", "consentgen/jurisdictions/US-CA.yaml",
                   "consentgen/jurisdictions/US-WY.yaml", "consentgen/frontends/cli.py"):
        assert needed in names, needed
