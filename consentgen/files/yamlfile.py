"""Read YAML data files safely: size limit, text check, syntax errors with line and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from consentgen.errors import DataFileError, Problem

MAX_BYTES = 1_000_000
MAX_DEPTH = 20
MAX_NODES = 200_000  # values after aliases are expanded: a real file has a few hundred


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader when available (several times faster), else the pure-Python one.

    Dates stay text: the fields that hold dates parse them, so an impossible date such as
    2026-02-30 gets the field's own message instead of a parser crash.
    """


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _mapping_without_duplicates(loader: Any, node: Any, deep: bool = False) -> Any:
    """A mapping; a key given twice is an error (YAML would silently keep the last one)."""
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, (str, int, float, bool)) or key is None:
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' appears twice (lines {seen[key] + 1} and "
                                f"{key_node.start_mark.line + 1}); keep one", key_node.start_mark)
            seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping_without_duplicates)


def _shape(value: Any, memo: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """(depth, number of values) of ``value`` with aliases expanded, each shared node measured once."""
    if not isinstance(value, (dict, list)):
        return 0, 1
    key = id(value)
    if key in memo:
        return memo[key]
    memo[key] = (MAX_DEPTH + 1, MAX_NODES + 1)  # a node that contains itself is too deep
    children = value.values() if isinstance(value, dict) else value
    depth, count = 0, 1
    for child in children:
        d, n = _shape(child, memo)
        depth, count = max(depth, d), count + n
        if count > MAX_NODES or depth > MAX_DEPTH:
            break
    memo[key] = (depth + 1, count)
    return memo[key]


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
    return parse_yaml_text(read_text(path), str(path))


def parse_yaml_text(text: str, name: str) -> Any:
    """Load one YAML document from text already read (an upload), with every check of ``read_yaml``."""
    if not text.strip():
        raise DataFileError(name, [Problem("", "the file is empty")])
    _check_nesting(text, name)
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader, chosen above
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise DataFileError(name, [Problem("", f"{where}YAML syntax error: {exc.problem}")]) from None
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        raise DataFileError(name, [Problem("", f"YAML error: {exc}")]) from None
    depth, count = _shape(data, {})
    if depth > MAX_DEPTH:
        raise DataFileError(name, [Problem("", f"is nested too deeply (more than {MAX_DEPTH} levels)")])
    if count > MAX_NODES:
        raise DataFileError(name, [Problem("", f"has too many values (more than {MAX_NODES}, counting what "
                                               "YAML aliases repeat)")])
    return data


def dump_yaml(data: Any) -> str:
    """Return ``data`` as block-style YAML in key order (for answers files)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
