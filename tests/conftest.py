"""Shared fixtures: example answers, a fixed date, and the golden-file comparer."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

# What consentgen made is remembered per user (consentgen.files.made): the tests keep their own list, in a
# folder of their own, so they neither read nor grow the developer's. Subprocesses (and xdist workers)
# inherit it; the process that made the folders removes them when the run ends.
_MADE_HERE: list[str] = []


def _own_dir(variable: str, prefix: str) -> None:
    if variable not in os.environ:
        os.environ[variable] = tempfile.mkdtemp(prefix=prefix)
        _MADE_HERE.append(os.environ[variable])


_own_dir("CONSENTGEN_STATE_DIR", "consentgen-test-state-")
# Compiled templates are cached per user (consentgen.files.userdirs): the tests use a cache of their own.
_own_dir("CONSENTGEN_CACHE_DIR", "consentgen-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _MADE_HERE:
        shutil.rmtree(folder, ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.yaml") if not p.name.startswith("clinic"))
GOLDEN = Path(__file__).resolve().parent / "golden"
TODAY = dt.date(2026, 11, 22)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from current output")


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with tests/golden/NAME (or rewrite it with --update-golden)."""
    update = request.config.getoption("--update-golden")

    def compare(name: str, text: str) -> None:
        path = GOLDEN / name
        if update or not path.exists():
            if not update:
                pytest.fail(f"golden file {path} is missing; run pytest --update-golden and review it")
            path.write_text(text, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        if text != expected:
            diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                                 f"golden/{name}", "rendered", n=2))
            pytest.fail(f"output differs from golden/{name} (run pytest --update-golden if intended):\n"
                        + diff[:6000])

    return compare


VALID = {
    "practice": {
        "name": "Test Practice", "address": "1 Main St\nTown, CA 90000", "phone": "555-123-4567",
        "email": "a@example.com",
    },
    "clinician": {"name": "Alex Doe", "credentials": "LMFT", "profession": "marriage_family_therapist",
                  "license": "LMFT 1234"},
    "jurisdiction": "US-CA",
    "services": {"individual": True},
}


@pytest.fixture
def valid_answers() -> dict:
    import copy

    return copy.deepcopy(VALID)


@pytest.fixture
def write_yaml(tmp_path: Path):
    import yaml

    def write(data, name: str = "answers.yaml") -> Path:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    return write


def render_bytes(form, fmt: str, *, template_dir=None, variant="ua", fields=True) -> bytes:
    """Render a built document to bytes in ``fmt``, with a clinic's template folder when given."""
    from dataclasses import replace

    from consentgen.model.options import Output
    from consentgen.render.registry import render_document

    if template_dir:
        form = replace(form, templates=str(template_dir))
    return render_document(form, Output(format=fmt, variant=variant, fields=fields)).data


# The matrices over every jurisdiction run in full in `./dev test`; the fast lane keeps three states that
# between them use most of the data's shapes (California: per-profession rules; New York: a state deadline
# and disclosures; Texas: conservator access and a permissive duty), and marks the rest `matrix`.
FAST_STATES = {"US-CA", "US-NY", "US-TX"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        callspec = getattr(item, "callspec", None)
        code = callspec.params.get("code") if callspec else None
        if isinstance(code, str) and code.startswith("US-") and code not in FAST_STATES:
            item.add_marker(pytest.mark.matrix)


def fill_and_draw(path: Path, field: str, value: str, tmp_path: Path) -> None:
    """Fill one field of a consentgen PDF with pypdf (no appearance regenerated), check the value is stored, and
    that poppler draws it (the page image changes) with NeedAppearances off: the form fills in any viewer."""
    import shutil
    import subprocess

    import pypdf

    reader = pypdf.PdfReader(str(path))
    assert str(reader.trailer["/Root"]["/AcroForm"].get("/NeedAppearances", False)).lower() == "false"
    page_of = next(i for i, page in enumerate(reader.pages)
                   if any(a.get_object().get("/T") == field for a in page.get("/Annots", [])))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.update_page_form_field_values(writer.pages[page_of], {field: value}, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    with open(filled, "wb") as handle:
        writer.write(handle)
    assert pypdf.PdfReader(str(filled)).get_fields()[field]["/V"] == value
    if shutil.which("pdftoppm"):
        images = []
        for name, source in (("before", path), ("after", filled)):
            subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", str(page_of + 1), "-l", str(page_of + 1),
                            str(source), str(tmp_path / name)], check=True)
            images.append(next(tmp_path.glob(f"{name}*.png")).read_bytes())
        assert images[0] != images[1]


# The fast lane leaves out tests that start processes (pyproject: "slow: runs subprocesses ..."). A test that starts
# one without the slow (or pdf) mark would run in the fast lane unnoticed: record every process a test starts and fail
# the test, naming the mark it needs and the commands it started.
_RUNNING: dict[str, pytest.Item | None] = {"item": None}
_STARTED: list[str] = []  # the commands the running test started
_popen_init = subprocess.Popen.__init__


def _watched_popen_init(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
    item = _RUNNING["item"]  # the test's own thread only: a background thread of the product is not the test's
    if item is not None and threading.current_thread() is threading.main_thread() and not _library_lookup() \
            and not any(item.get_closest_marker(mark) for mark in ("slow", "pdf")):
        command = args[0] if args else kwargs.get("args")
        _STARTED.append(str(command[0] if isinstance(command, (list, tuple)) else command))
    return _popen_init(self, *args, **kwargs)


def _library_lookup() -> bool:
    """Whether this process start is ctypes looking a native library up (ldconfig, gcc) while WeasyPrint loads."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.endswith(os.path.join("ctypes", "util.py")):
            return True
        frame = frame.f_back
    return False


subprocess.Popen.__init__ = _watched_popen_init  # type: ignore[method-assign]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    _RUNNING["item"], _STARTED[:] = item, []
    try:
        result = yield
    finally:
        _RUNNING["item"] = None
    if _STARTED:
        pytest.fail(f"this test starts a process ({', '.join(_STARTED)}): mark it @pytest.mark.slow so the fast lane "
                    "leaves it out", pytrace=False)
    return result
