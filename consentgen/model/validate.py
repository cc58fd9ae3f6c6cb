"""A small declarative validator: turns loaded YAML into checked Python values.

Why not pydantic: the design card limits dependencies, and users need messages in the
exact ``field.path: message`` shape with suggestions for typos, which this gives directly.
Each spec's ``check`` returns the cleaned value, or ``INVALID`` after recording problems.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from consentgen.errors import Problem

INVALID: Any = object()


def join(path: str, key: str | int) -> str:
    """Return the dotted path of ``key`` inside ``path`` (list items as ``[n]``)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__


class Spec:
    """Base class of all specs."""

    def check(self, value: Any, path: str, problems: list[Problem]) -> Any:
        """Validate ``value``; return the cleaned value or ``INVALID``."""
        raise NotImplementedError


# Bidirectional overrides and isolates, zero-width characters and separators a reader cannot see.
HIDDEN_CHARS = frozenset("\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                         "\ufeff\u2028\u2029\u00ad\u180e\u2060")


# Drawn blank, yet not spaces: Hangul fillers, the combining grapheme joiner.
BLANK_LETTERS = frozenset("\u3164\u115f\u1160\uffa0\u034f")
# Format characters a name legitimately needs: the joiners of emoji sequences and of some scripts.
KEPT_FORMAT = frozenset("\u200c\u200d")


def _hidden(char: str) -> bool:
    """Whether a reader cannot see ``char``: every format character (Unicode category Cf: direction marks,
    invisible operators, tags, annotation controls...) but the joiners, C1 controls, blank letters and the
    supplementary variation selectors."""
    import unicodedata

    code = ord(char)
    if char in HIDDEN_CHARS or char in BLANK_LETTERS or 0x80 <= code < 0xA0 or 0xE0100 <= code <= 0xE01EF:
        return True
    return unicodedata.category(char) == "Cf" and char not in KEPT_FORMAT


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")  # control characters other than tab and newline
MAX_UNKNOWN_SHOWN = 3  # unknown keys named in one message; the rest are counted


@dataclass
class Text(Spec):
    """A string, stripped, with length limits, an optional pattern and choices."""

    max_len: int = 200
    min_len: int = 1
    pattern: str | None = None
    hint: str = ""
    choices: tuple[str, ...] | None = None
    multiline: bool = False

    def check(self, value: Any, path: str, problems: list[Problem]) -> Any:
        """Validate a text value."""
        if isinstance(value, (int, float)) and not isinstance(value, bool) and self.choices is None:
            # YAML has already turned it into a number (012345 into 5349, +1415... into 1415...),
            # so what the user typed is lost: ask for quotes rather than print a changed value.
            problems.append(Problem(path, f"must be text, not a number; put it in quotes to keep it exactly "
                                          f"as typed (for example \"{value}\")"))
            return INVALID
        if not isinstance(value, str):
            if self.choices:
                problems.append(Problem(path, f"must be one of: {', '.join(self.choices)}"))
            else:
                problems.append(Problem(path, f"must be text, not {_kind(value)}"))
            return INVALID
        value = value.strip()
        if _CONTROL.search(value):
            problems.append(Problem(path, "contains control characters"))
            return INVALID
        hidden = sorted({f"U+{ord(c):04X}" for c in set(value) if c >= "\x80" and _hidden(c)})
        if hidden:
            # Direction overrides and invisible characters make what is shown differ from what is stored.
            problems.append(Problem(path, f"contains invisible or text-direction characters ({', '.join(hidden)}); "
                                          "retype it without them"))
            return INVALID
        if not self.multiline and "\n" in value:
            problems.append(Problem(path, "must be a single line"))
            return INVALID
        if len(value) < self.min_len:
            problems.append(Problem(path, "must not be empty"))
            return INVALID
        if len(value) > self.max_len:
            problems.append(Problem(path, f"is too long ({len(value)} characters; at most {self.max_len})"))
            return INVALID
        if self.choices is not None and value not in self.choices:
            close = difflib.get_close_matches(value, self.choices, n=1)
            tip = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(path, f"'{value}' is not one of: {', '.join(self.choices)}{tip}"))
            return INVALID
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            problems.append(Problem(path, self.hint or f"'{value}' is not valid"))
            return INVALID
        return value


@dataclass
class Custom(Spec):
    """Text checked by a function that returns an error message or None."""

    validate: Callable[[str], str | None]
    max_len: int = 200

    def check(self, value: Any, path: str, problems: list[Problem]) -> Any:
        """Validate with the text rules first, then the function."""
        text = Text(max_len=self.max_len).check(value, path, problems)
        if text is INVALID:
            return INVALID
        message = self.validate(text)
        if message:
            problems.append(Problem(path, message))
            return INVALID
        return text


@dataclass
class Int(Spec):
    """An integer within bounds."""

    minimum: int = 0
    maximum: int = 1000

    def check(self, value: Any, path: str, problems: list[Problem]) -> Any:
        """Validate an integer."""
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(Problem(path, f"must be a whole number, not {_kind(value)}"))
            return INVALID
        if not self.minimum <= value <= self.maximum:
            problems.append(Problem(path, f"must be between {self.minimum} and {self.maximum}"))
            return INVALID
        return value


@dataclass
class Money(Spec):
    """An amount of US dollars, written 150, 150.00 or $1,250.50; returned as text with cents ("150.00")."""

    maximum: int = 100_000

    def check(self, value: Any, path: str, problems: list[Problem]) -> Any:
        """Validate an amount."""
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            problems.append(Problem(path, f"must be an amount of dollars like 150 or 150.00, not {_kind(value)}"))
            return INVALID
        if isinstance(value, float) and round(value, 2) != value:
            problems.append(Problem(path, f"{value} has more than two decimals (write cents, e.g. 150.50)"))
            return INVALID
        written = str(value).strip().removeprefix("$").strip() if isinstance(value, str) else (
            f"{value:.2f}" if isinstance(value, float) else str(value))
        # ASCII digits only (a full-width digit is not one), commas only between thousands
        if not re.fullmatch(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,7})(?:\.[0-9]{1,2})?", written):
            problems.append(Problem(path, f"{str(value)[:40]!r} is not an amount of dollars (e.g. 150 or 150.00)"))
            return INVALID
        whole, _, cents = written.replace(",", "").partition(".")
        if int(whole) > self.maximum:
            problems.append(Problem(path, f"must be at most {self.maximum:,} dollars"))
            return INVALID
        return f"{int(whole)}.{cents.ljust(2, '0')}"


class Bool(Spec):
    """A yes/no value (YAML true/false)."""

    def check(self, value: Any, path: str, problems: list[Problem]) -> Any:
        """Validate a boolean."""
        if not isinstance(value, bool):
            problems.append(Problem(path, f"must be true or false, not {_kind(value)}"))
            return INVALID
        return value


@dataclass
class Date(Spec):
    """A calendar date written YYYY-MM-DD."""

    def check(self, value: Any, path: str, problems: list[Problem]) -> Any:
        """Validate a date (YAML may already have parsed it)."""
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                problems.append(Problem(path, f"'{value.strip()}' is not a real date"))
                return INVALID
        problems.append(Problem(path, f"must be a date written YYYY-MM-DD, not {value!r}"))
        return INVALID


@dataclass
class Nullable(Spec):
    """``None`` or a value matching ``inner``; ``unknown_ok`` also accepts the word unknown."""

    inner: Spec
    unknown_ok: bool = False

    def check(self, value: Any, path: str, problems: list[Problem]) -> Any:
        """Validate an optional value."""
        if value is None:
            return None
        if self.unknown_ok and value == "unknown":
            return "unknown"
        return self.inner.check(value, path, problems)


@dataclass
class ListOf(Spec):
    """A list whose items match ``item``."""

    item: Spec
    min_items: int = 0
    max_items: int = 500
    unique: bool = False

    def check(self, value: Any, path: str, problems: list[Problem]) -> Any:
        """Validate a list."""
        if value is None and self.min_items == 0:
            return []
        if not isinstance(value, list):
            problems.append(Problem(path, f"must be a list, not {_kind(value)}"))
            return INVALID
        if len(value) < self.min_items:
            problems.append(Problem(path, f"must list at least {self.min_items} item(s)"))
            return INVALID
        if len(value) > self.max_items:
            problems.append(Problem(path, f"has too many items (at most {self.max_items})"))
            return INVALID
        out = [self.item.check(v, join(path, i), problems) for i, v in enumerate(value)]
        if any(v is INVALID for v in out):
            return INVALID
        if self.unique and len({repr(v) for v in out}) != len(out):
            problems.append(Problem(path, "lists the same item twice"))
            return INVALID
        return out


@dataclass
class Field:
    """One key of a ``Record``: its spec, whether it is required, and its default."""

    spec: Spec
    required: bool = True
    default: Any = None


@dataclass
class Record(Spec):
    """A mapping with known keys; unknown keys are errors, with a suggestion."""

    fields: Mapping[str, Field]
    check_all: Callable[[dict[str, Any], str, list[Problem]], None] | None = None

    def check(self, value: Any, path: str, problems: list[Problem]) -> Any:
        """Validate a mapping and return a dict with every declared key."""
        if not isinstance(value, dict):
            problems.append(Problem(path, f"must be a mapping of fields, not {_kind(value)}"))
            return INVALID
        out: dict[str, Any] = {}
        ok = True
        unknown = [key for key in value if not isinstance(key, str) or key not in self.fields]
        for key in unknown[:MAX_UNKNOWN_SHOWN]:
            close = difflib.get_close_matches(str(key), list(self.fields), n=1)
            tip = f" (did you mean '{close[0]}'?)" if close else ""
            allowed = ", ".join(self.fields)
            shown = str(key) if len(str(key)) <= 60 else str(key)[:57] + "..."
            problems.append(Problem(join(path, shown), f"unknown field{tip}; allowed: {allowed}"))
        if len(unknown) > MAX_UNKNOWN_SHOWN:
            # A file that is mostly unknown keys is probably the wrong file: do not echo all of it.
            problems.append(Problem(path, f"and {len(unknown) - MAX_UNKNOWN_SHOWN} more unknown fields (is this the "
                                          "right file?)"))
        ok = ok and not unknown
        for name, fld in self.fields.items():
            sub = join(path, name)
            if name not in value or (value[name] is None and not isinstance(fld.spec, Nullable)):
                if fld.required:
                    problems.append(Problem(sub, "is required"))
                    ok = False
                else:
                    default = fld.default() if callable(fld.default) else fld.default
                    out[name] = default
                continue
            checked = fld.spec.check(value[name], sub, problems)
            if checked is INVALID:
                ok = False
            out[name] = checked
        if not ok:
            return INVALID
        if self.check_all is not None:
            before = len(problems)
            self.check_all(out, path, problems)
            if len(problems) > before:
                return INVALID
        return out


@dataclass
class MapOf(Spec):
    """A mapping from slug keys to values matching ``value``."""

    value: Spec
    key_pattern: str = r"[a-z0-9][a-z0-9._-]*"
    min_items: int = 0
    key_hint: str = "key must be lowercase letters, digits, '.', '-' or '_'"

    def check(self, value: Any, path: str, problems: list[Problem]) -> Any:
        """Validate a mapping of ids to records."""
        if not isinstance(value, dict):
            problems.append(Problem(path, f"must be a mapping, not {_kind(value)}"))
            return INVALID
        if len(value) < self.min_items:
            problems.append(Problem(path, f"must have at least {self.min_items} entr(y/ies)"))
            return INVALID
        out: dict[str, Any] = {}
        ok = True
        for key, item in value.items():
            sub = join(path, str(key))
            if not isinstance(key, str) or not re.fullmatch(self.key_pattern, key):
                problems.append(Problem(sub, self.key_hint))
                ok = False
                continue
            checked = self.value.check(item, sub, problems)
            ok = ok and checked is not INVALID
            out[key] = checked
        return out if ok else INVALID


def extra(fields: Mapping[str, Field], **more: Field) -> dict[str, Field]:
    """Return ``fields`` extended by ``more`` (for records that share a base)."""
    return {**fields, **more}


__all__ = [
    "INVALID", "Bool", "Custom", "Date", "Field", "Int", "ListOf", "MapOf",
    "Nullable", "Record", "Spec", "Text", "extra", "join",
]
