"""consentgen doctor: ready only when a test render worked; a failing part is named with what to install."""

from __future__ import annotations

import json

import pytest
from consentgen.errors import EXIT_NOT_READY
from consentgen.frontends import doctor
from consentgen.frontends.cli import main


@pytest.mark.pdf
def test_ready_here_after_a_real_test_render(capsys, tmp_path):
    assert main(["doctor", "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "ok    Test render: a " in out and " KB PDF in " in out
    assert out.rstrip().endswith("Ready: this computer can make forms.")
    assert not list(tmp_path.iterdir())  # nothing written


@pytest.mark.pdf
def test_json_lists_every_check(capsys, tmp_path):
    assert main(["doctor", "--json", "-o", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ready"] is True
    assert [c["name"] for c in data["checks"]] == [
        "Python", "Law data and templates", "PDF engine", "Pango", "Font subsetting", "Fonts", "Output folder",
        "Test render", "Web page (optional)"]


@pytest.mark.slow
def test_an_unwritable_folder_is_not_ready(capsys, tmp_path):
    missing = tmp_path / "no-such-folder"
    assert main(["doctor", "-o", str(missing)]) == EXIT_NOT_READY
    out = capsys.readouterr().out
    assert f"FAIL  Output folder: {missing}: cannot write there" in out
    assert "what to do: choose a folder you can write to" in out
    assert "Test render" not in out  # not tried while something it needs is missing
    assert out.rstrip().endswith("Not ready: fix the lines marked FAIL, then run 'consentgen doctor' again.")


def test_an_engine_that_cannot_start_names_what_to_install(capsys, monkeypatch, tmp_path):
    def no_pango() -> list[doctor.Finding]:
        return [doctor.Finding("PDF engine", False, "WeasyPrint cannot start: cannot load library 'pango-1.0-0'",
                               doctor._libraries_hint())]

    monkeypatch.setattr(doctor, "check_engine", no_pango)
    monkeypatch.setattr(doctor.sys, "platform", "linux")
    assert main(["doctor", "-o", str(tmp_path)]) == EXIT_NOT_READY
    out = capsys.readouterr().out
    assert "FAIL  PDF engine: WeasyPrint cannot start" in out
    assert "sudo apt install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in out


def test_a_missing_web_extra_is_a_warning_not_a_failure(monkeypatch):
    import builtins

    real = builtins.__import__

    def without_uvicorn(name, *args, **kwargs):
        if name == "uvicorn":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_uvicorn)
    found = doctor.check_web()
    assert found.ok is None and not found.needed and "consentgen[web]" in found.fix


@pytest.mark.parametrize("platform, words", [("darwin", "brew install pango"),
                                             ("win32", "WEASYPRINT_DLL_DIRECTORIES")])
def test_the_install_hint_fits_the_computer(monkeypatch, platform, words):
    monkeypatch.setattr(doctor.sys, "platform", platform)
    assert words in doctor._libraries_hint()
