"""Read YAML data files safely: size limit, text check, syntax errors with line and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from consentgen.errors import DataFileError, Problem

MAX_BYTES = 1_000_000
# libyaml's safe loader when available (several times faster), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 20


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def _check_nesting(text: str, name: str) -> None:
    """Refuse deep flow nesting before the parser recurses into it."""
    depth = 0
    for char in text:
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise DataFileError(name, [Problem("", f"is nested too deeply (more than {MAX_DEPTH} levels)")])
        elif char in "]}":
            depth = max(0, depth - 1)


def read_text(path: Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Return a file's text, refusing missing, huge, binary or non-UTF-8 files."""
    name = str(path)
    try:
        if path.is_dir():
            raise DataFileError(name, [Problem("", "is a folder, not a file")])
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise DataFileError(name, [Problem("", "file not found")]) from None
    except PermissionError:
        raise DataFileError(name, [Problem("", "permission denied")]) from None
    except OSError as exc:
        raise DataFileError(name, [Problem("", f"cannot be read ({exc.strerror or exc})")]) from None
    if len(data) > max_bytes:
        raise DataFileError(name, [Problem("", f"is too large (more than {max_bytes // 1000} KB)")])
    if b"\x00" in data:
        raise DataFileError(name, [Problem("", "is a binary file, not a text file")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            name, [Problem("", f"is not UTF-8 text (bad byte at position {exc.start}); save it as UTF-8")]
        ) from None


def read_yaml(path: Path) -> Any:
    """Load one YAML document from ``path`` safely; raise DataFileError on any problem."""
    text = read_text(path)
    name = str(path)
    if not text.strip():
        raise DataFileError(name, [Problem("", "the file is empty")])
    _check_nesting(text, name)
    try:
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, chosen above
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise DataFileError(name, [Problem("", f"{where}YAML syntax error: {exc.problem}")]) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise DataFileError(name, [Problem("", f"YAML error: {exc}")]) from None
    if _depth(data) > MAX_DEPTH:
        raise DataFileError(name, [Problem("", f"is nested too deeply (more than {MAX_DEPTH} levels)")])
    return data


def dump_yaml(data: Any) -> str:
    """Return ``data`` as block-style YAML in key order (for answers files)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
