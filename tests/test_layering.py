"""Heavy libraries load only when needed; the public API is pinned."""

from __future__ import annotations

import subprocess
import sys

import consentgen
import pytest

from .conftest import ROOT


@pytest.mark.slow
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


@pytest.mark.slow
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
                   "consentgen/jurisdictions/US-WY.yaml", "consentgen/frontends/cli/entry.py"):
        assert needed in names, needed


LAYERS = {  # a module may import only from lower layers (and its own package)
    "errors": 0, "version": 0, "files": 1, "model": 2, "law": 3, "inputs": 4, "documents": 4, "render": 5,
    "checks": 6, "pipeline": 6, "batch": 7, "outdated": 7, "verify": 8, "frontends": 9,
}


def test_imports_only_point_down():
    import ast

    bad = []
    for path in sorted((ROOT / "consentgen").rglob("*.py")):
        rel = path.relative_to(ROOT / "consentgen").with_suffix("")
        top = rel.parts[0]
        if top in ("__init__", "__main__"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("consentgen."):
                target = node.module.split(".")[1]
            elif isinstance(node, ast.Import):
                names = [a.name.split(".")[1] for a in node.names if a.name.startswith("consentgen.")]
                if not names:
                    continue
                target = names[0]
            else:
                continue
            if target != top and LAYERS[target] >= LAYERS[top]:
                bad.append(f"{rel} imports consentgen.{target}")
    assert set(LAYERS) >= {p.stem for p in (ROOT / "consentgen").iterdir()
                           if not p.name.startswith("__") and p.suffix in ("", ".py")}
    assert not bad, bad


def test_pdf_engine_renders_a_minimal_page():
    """The fast lane's one PDF: the engine loads, serves the bundled fonts and writes a tagged PDF."""
    from consentgen.render.pdf import render_pdf

    html = ('<html lang="en"><head><title>t</title><style>@font-face { font-family: A; '
            'src: url("consentgen-asset:fonts/AtkinsonHyperlegible-Regular.ttf"); } body { font-family: A; }'
            '</style></head><body><p>Hello</p></body></html>')
    assert render_pdf(html).startswith(b"%PDF-")


def test_long_modules_say_why():
    """A module over 400 lines says at its top why it is one module (issue 23)."""
    unexplained = []
    for path in sorted((ROOT / "consentgen").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > 400 and not any(line.startswith("Over 400 lines:") for line in lines[:20]):
            unexplained.append(f"{path.relative_to(ROOT)} ({len(lines)} lines)")
    assert not unexplained, "add a line 'Over 400 lines: <why>' to the docstring of " + ", ".join(unexplained)


def test_lane_marks_sit_on_tests():
    """A lane mark (pdf, slow, matrix) on a helper does nothing: the test below it runs in the fast lane. Session 11
    put a helper between the marks and the packet batch test, which then cost the fast lane about 20 s."""
    import ast

    stray = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("test_"):
                marks = [ast.unparse(d) for d in node.decorator_list if "pytest.mark." in ast.unparse(d)]
                stray += [f"{path.name}: {node.name} ({', '.join(marks)})"] if marks else []
    assert not stray, "move these marks onto the test they were meant for: " + "; ".join(stray)
