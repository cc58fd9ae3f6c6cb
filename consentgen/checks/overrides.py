"""Report what a clinic's template folder replaces among the built-in templates."""

from __future__ import annotations

from pathlib import Path

from consentgen.errors import DataFileError, Problem
from consentgen.files.assets import common_dir, document_dir

TEMPLATE_SUFFIXES = (".j2", ".css")


def builtin_names(document: str = "consent") -> set[str]:
    """Names (as templates look them up) of the built-in template files of ``document``."""
    names: set[str] = set()
    for root in (document_dir(document), common_dir()):
        names |= {p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and p.suffix in TEMPLATE_SUFFIXES}
    return names


def describe_overrides(folder: Path) -> tuple[list[str], bool]:
    """Lines describing ``folder``'s files, and whether any name matches no built-in."""
    if not folder.is_dir():
        raise DataFileError(str(folder), [Problem("", "is not a folder")])
    known = builtin_names()
    lines = [f"Templates in {folder}:"]
    bad = False
    if (folder / "builtin").exists():  # the rules render applies, checked here too
        lines.append("  REFUSED            builtin: a clinic folder may not contain 'builtin' (render refuses it)")
        bad = True
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in files:
        name = path.relative_to(folder).as_posix()
        refused = _refused(folder, path)
        if refused:
            lines.append(f"  REFUSED            {name}: {refused} (render refuses it)")
            bad = True
        elif name in known:
            lines.append(f"  replaces built-in  {name}")
        elif path.suffix in TEMPLATE_SUFFIXES:
            lines.append(f"  UNKNOWN            {name}: matches no built-in template (a typo?); it is used only "
                         "if another template includes it")
            bad = True
        else:
            lines.append(f"  ignored            {name}: not a template")
    if not files:
        lines.append("  (empty)")
    untranslated = [path.relative_to(folder).as_posix() for path in files
                    if path.suffix == ".j2" and path.relative_to(folder).as_posix() in known
                    and not _marks_messages(path)]
    if untranslated:
        lines.append(f"  Note: {', '.join(untranslated)} print their own wording as written, in every form language "
                     "(a Spanish form too); wording inside {% trans %}...{% endtrans %} that matches a built-in "
                     "message uses its translation.")
    return lines, bad


def _refused(folder: Path, path: Path) -> str | None:
    """Why render's loader would refuse a file of the folder: too large, a link outside it, not UTF-8."""
    import os

    from consentgen.render.sandbox import MAX_TEMPLATE

    real = Path(os.path.realpath(path))
    root = Path(os.path.realpath(folder))
    if real != root and root not in real.parents:
        return f"is a link to a file outside the folder ({real})"
    try:
        if path.stat().st_size > MAX_TEMPLATE:
            return f"is too large (more than {MAX_TEMPLATE // 1_000_000} MB)"
        if path.suffix in TEMPLATE_SUFFIXES:
            path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"is not UTF-8 text (bad byte at position {exc.start})"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return None


def _marks_messages(path: Path) -> bool:
    """Whether a template marks any wording for translation."""
    try:
        if path.stat().st_size > 1_000_000:
            return True
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    return "{% trans" in text or "{%- trans" in text or "_(" in text or "gettext(" in text
