"""``consentgen doctor``: whether this computer can make a form, and what to install when it cannot.

Each check says what it found in plain words; the ones a render needs decide the exit status (a missing web
extra or font-subsetting library is a warning: forms are still made). The last check renders a real form in
memory, so "ready" means a render worked here, not that the parts look right.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MIN_PANGO = (1, 44)  # WeasyPrint's documented minimum


@dataclass(frozen=True)
class Finding:
    """One check: its name, whether it passed (None: a warning), what was found, and what to do."""

    name: str
    ok: bool | None
    found: str
    fix: str = ""

    @property
    def needed(self) -> bool:
        """Whether this check failing stops a render (warnings do not)."""
        return self.ok is False


def _libraries_hint() -> str:
    """How to install the PDF engine's system libraries on this kind of computer (from WeasyPrint's own
    installation guide)."""
    if sys.platform == "darwin":
        return "install Pango with Homebrew: brew install pango (then open a new terminal)"
    if sys.platform.startswith("win"):
        return ("install MSYS2, run 'pacman -S mingw-w64-ucrt-x86_64-pango' in its UCRT64 shell, then "
                r"set WEASYPRINT_DLL_DIRECTORIES=C:\msys64\ucrt64\bin")
    return ("on Debian or Ubuntu: sudo apt install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 "
            "(other systems: the Pango package of your distribution)")


def check_python() -> Finding:
    """The Python running consentgen (the package itself asks for 3.11 or newer when it is installed)."""
    return Finding("Python", True, f"Python {'.'.join(map(str, sys.version_info[:3]))} at {sys.executable}")


def check_data() -> Finding:
    """The templates and the law data that ship with consentgen."""
    from consentgen.files.assets import jurisdictions_dir, templates_dir

    try:
        from consentgen.law.load import catalogue

        states = len(catalogue())
    except Exception as exc:  # a damaged install: say so, whatever the error
        return Finding("Law data and templates", False, f"cannot be read ({type(exc).__name__}: {exc})",
                       "reinstall consentgen")
    if not (templates_dir() / "common").is_dir():
        return Finding("Law data and templates", False, f"templates missing from {templates_dir()}",
                       "reinstall consentgen")
    return Finding("Law data and templates", True, f"{states} jurisdictions in {jurisdictions_dir()}")


def check_engine() -> list[Finding]:
    """The PDF engine (WeasyPrint), the Pango it draws text with, and HarfBuzz's font subsetting."""
    try:
        import weasyprint
        from weasyprint.text import ffi
    except (ImportError, OSError) as exc:
        return [Finding("PDF engine", False, f"WeasyPrint cannot start: {exc}", _libraries_hint())]
    encoded = ffi.pango.pango_version()
    pango = (encoded // 10000, encoded // 100 % 100, encoded % 100)
    found = [Finding("PDF engine", True, f"WeasyPrint {weasyprint.__version__}")]
    if pango[:2] < MIN_PANGO:
        found.append(Finding("Pango", False, f"Pango {'.'.join(map(str, pango))} (needs 1.44 or newer)",
                             _libraries_hint()))
    else:
        found.append(Finding("Pango", True, f"Pango {'.'.join(map(str, pango))}"))
    if getattr(ffi, "harfbuzz_subset", None) is None:
        found.append(Finding("Font subsetting", None, "HarfBuzz subset library missing: forms are made, "
                             "but each carries whole fonts (larger files)", _libraries_hint()))
    else:
        found.append(Finding("Font subsetting", True, "HarfBuzz subset library found"))
    return found


def check_fonts() -> Finding:
    """The fonts consentgen embeds in every form."""
    from consentgen.files.assets import FONTS, common_dir

    missing = [name for name in FONTS.values() if not (common_dir() / name).is_file()]
    if missing:
        return Finding("Fonts", False, f"missing: {', '.join(missing)}", "reinstall consentgen")
    return Finding("Fonts", True, f"{len(FONTS)} bundled font files")


def check_output(folder: Path) -> Finding:
    """Whether forms can be written where the user will write them."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".consentgen-doctor-"):
            pass
    except OSError as exc:
        return Finding("Output folder", False, f"{folder}: cannot write there ({exc.strerror or exc})",
                       "choose a folder you can write to (-o DIR), or fix its permissions")
    return Finding("Output folder", True, f"{folder.resolve()} is writable")


def check_render() -> Finding:
    """Render a real consent form to PDF in memory (nothing is written)."""
    from consentgen.inputs.answers import parse_practice
    from consentgen.model.options import RenderOptions
    from consentgen.pipeline import render

    answers = {  # a made-up practice; any state works, the check is the engine
        "practice": {"name": "Doctor Check", "address": "1 Main St", "phone": "555-123-4567",
                     "email": "check@example.com"},
        "clinician": {"name": "Pat Check", "credentials": "LPC", "profession": "counselor", "license": "0000"},
        "jurisdiction": "US-CA", "services": {"individual": True},
    }
    started = time.perf_counter()
    try:
        _doc, made = render(parse_practice(answers, "doctor"), RenderOptions(), today=dt.date.today())
    except Exception as exc:  # whatever stops a render is what the user needs to see
        return Finding("Test render", False, f"a test form could not be made ({type(exc).__name__}: {exc})",
                       _libraries_hint())
    seconds = time.perf_counter() - started
    if not made.data.startswith(b"%PDF-"):
        return Finding("Test render", False, "the test render did not give a PDF", "report this as a bug")
    return Finding("Test render", True, f"a {len(made.data) // 1024 + 1} KB PDF in {seconds:.1f} s")


def check_web() -> Finding:
    """The optional web page (``consentgen serve``)."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        return Finding("Web page (optional)", None, "not installed: 'consentgen serve' will not start",
                       "pipx install 'consentgen[web]' (or pip install 'consentgen[web]')")
    return Finding("Web page (optional)", True, "installed")


def diagnose(output: Path | None = None) -> list[Finding]:
    """Every check, in order; the test render only when the engine starts."""
    findings = [check_python(), check_data(), *check_engine(), check_fonts(), check_output(output or Path.cwd())]
    if not any(f.needed for f in findings):
        findings.append(check_render())
    findings.append(check_web())
    return findings


def report_lines(findings: list[Finding]) -> list[str]:
    """The findings as the terminal shows them, ending with one verdict line."""
    mark: dict[bool | None, str] = {True: "ok  ", False: "FAIL", None: "warn"}
    lines = []
    for f in findings:
        lines.append(f"{mark[f.ok]}  {f.name}: {f.found}")
        if f.ok is not True and f.fix:
            lines.append(f"      what to do: {f.fix}")
    ready = not any(f.needed for f in findings)
    lines.append("Ready: this computer can make forms." if ready else
                 "Not ready: fix the lines marked FAIL, then run 'consentgen doctor' again.")
    return lines

