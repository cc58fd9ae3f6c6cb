"""Find the built-in templates/ and jurisdictions/ folders, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def _find(name: str) -> Path:
    # A wheel carries the folders inside the package; a checkout (and an editable
    # install, which points at the checkout) has them beside it, so edits show at once.
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"consentgen is installed without its {name}/ folder")


def templates_dir() -> Path:
    """The built-in templates folder."""
    return _find("templates")


def jurisdictions_dir() -> Path:
    """The built-in jurisdictions folder."""
    return _find("jurisdictions")
