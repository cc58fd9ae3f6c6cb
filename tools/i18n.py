#!/usr/bin/env python3
"""Keep the form's translations in step with the English (Babel's extract, update and compile).

    .venv/bin/python tools/i18n.py extract        templates -> templates/locale/messages.pot
    .venv/bin/python tools/i18n.py update [LANG]  merge the .pot into LANG's catalog (changed English becomes fuzzy)
    .venv/bin/python tools/i18n.py compile [LANG] compile each catalog (as the renderer does) and report
                                                  missing or fuzzy messages; exits 1 when any
    .venv/bin/python tools/i18n.py data [LANG]    every string missing or stale in LANG, in the jurisdiction
                                                  data and the catalog ('check --jurisdictions' lists the same)

The renderer compiles a catalog when it first reads it, so no compiled file is kept in the tree.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "templates" / "locale"
POT = LOCALE / "messages.pot"


def _babel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def extract() -> None:
    _babel("extract", "-F", str(LOCALE / "babel.cfg"), "-o", str(POT), "--no-location", "--sort-output",
           "--omit-header", "-k", "_", "-k", "gettext", "-k", "pgettext:1c,2", "--project", "consentgen",
           "templates")


def update(language: str) -> None:
    po = LOCALE / language / "LC_MESSAGES" / "messages.po"
    if po.exists():
        _babel("update", "-i", str(POT), "-o", str(po), "-l", language, "--no-wrap")  # keeps the header
    else:
        _babel("init", "-i", str(POT), "-o", str(po), "-l", language, "--no-wrap")


def compile_check(language: str) -> int:
    sys.path.insert(0, str(ROOT))
    from consentgen.render import i18n

    i18n.translations(language)
    missing = i18n.missing_messages(language)
    for message in missing:
        print(f"{i18n.catalog_path(language)}: missing or fuzzy: {message[:100]!r}")
    print(f"{language}: {len(missing)} message(s) missing or fuzzy")
    return 1 if missing else 0


def data(language: str) -> int:
    sys.path.insert(0, str(ROOT))
    from consentgen.frontends.report import translation_lines
    from consentgen.law.load import catalogue

    lines: list[str] = []
    bad = translation_lines(lines, ["US", *catalogue()], (language,))
    print("\n".join(lines))
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("extract", "update", "compile", "data"):
        print(__doc__)
        return 2
    language = argv[1] if len(argv) > 1 else "es"
    if argv[0] == "extract":
        extract()
        return 0
    if argv[0] == "update":
        update(language)
        return 0
    if argv[0] == "compile":
        return compile_check(language)
    return data(language)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
