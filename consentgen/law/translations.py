"""The client-facing strings of the jurisdiction data, in the client's language.

A state file's notes, disclosure texts and titles are written in English. Their translations
live beside the data, one file per language and jurisdiction:
``jurisdictions/locale/LANG/CODE.yaml``. Each entry is keyed by where the English string lives
(``client_strings`` names the keys) and keeps ``source``, the hash of the English it translates::

    duty_to_protect.client_note:
      source: 3f2a9c1b0d4e
      text: "En Nueva Jersey, ..."

When the English changes, its hash no longer matches and the translation is *stale*. A form
is never built from a missing or stale translation (``Translator`` refuses), and
``consentgen check --jurisdictions`` lists both, per language.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consentgen.errors import DataFileError, Problem
from consentgen.files.assets import jurisdictions_dir
from consentgen.files.yamlfile import read_yaml
from consentgen.law.schema import FEDERAL_CODE
from consentgen.law.vocabulary import RULE_NAMES
from consentgen.model.options import LANGUAGES, SOURCE_LANGUAGE
from consentgen.model.validate import INVALID, Field, MapOf, Record, Text

ENTRY = Record({
    "source": Field(Text(max_len=12, pattern=r"[0-9a-f]{12}", hint="must be the 12-hex hash of the English text")),
    "text": Field(Text(max_len=3000, multiline=True)),
})
FILE = MapOf(ENTRY, key_pattern=r"[a-z_]+(\.[A-Za-z0-9_+-]+)*")


def source_hash(text: str) -> str:
    """The hash a translation keeps of the English it was made from (whitespace-insensitive)."""
    return hashlib.sha256(" ".join(str(text).split()).encode("utf-8")).hexdigest()[:12]


def _rule_strings(name: str, rule: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if rule.get("client_note"):
        yield f"{name}.client_note", rule["client_note"]
    for note in rule.get("client_notes_by_profession") or []:
        yield f"{name}.client_notes_by_profession.{'+'.join(note['for'])}", note["text"]


RETENTION_TEXTS = ("minors", "summary")  # a retention entry's fields the client reads


def retention_key(entry: dict[str, Any], field: str) -> str:
    """The translation key of a retention entry's client text: ``records.retention.PROFESSIONS.FIELD``."""
    return f"records.retention.{'+'.join(entry['professions'])}.{field}"


def client_strings(data: dict[str, Any]) -> dict[str, str]:
    """Every string of a (validated) jurisdiction file that a client can read, by translation key."""
    found: dict[str, str] = {"name": data["name"]}
    if data["code"] == FEDERAL_CODE:
        for name, rule in (data.get("rules") or {}).items():
            found.update(_rule_strings(f"rules.{name}", rule))
            if (rule.get("facts") or {}).get("name"):  # a name the client reads (the crisis line's)
                found[f"rules.{name}.facts.name"] = str(rule["facts"]["name"])
        return found
    for name in RULE_NAMES:
        if data.get(name):
            found.update(_rule_strings(name, data[name]))
    for entry in (data.get("records") or {}).get("retention") or []:
        for field in RETENTION_TEXTS:
            if entry.get(field):
                found[retention_key(entry, field)] = entry[field]
    for group, fields in (("other_disclosures", ("title", "client_text")), ("required_content", ("title",)),
                          ("release_requirements", ("title", "client_text"))):
        for item in data.get(group) or []:
            found.update(_rule_strings(f"{group}.{item['id']}", item))
            for field in fields:
                found[f"{group}.{item['id']}.{field}"] = item[field]
    return found


def locale_dir(language: str) -> Path:
    """Where a language's translations of the jurisdiction data live."""
    return jurisdictions_dir() / "locale" / language


def translations_path(code: str, language: str) -> Path:
    """The translation file of one jurisdiction in one language."""
    return locale_dir(language) / f"{code}.yaml"


def read_translations(code: str, language: str) -> dict[str, dict[str, str]]:
    """A jurisdiction's translations in ``language`` (empty when the file does not exist yet)."""
    path = translations_path(code, language)
    try:
        info = path.stat()
    except OSError:
        return {}
    return _read(str(path), (info.st_mtime_ns, info.st_size))


@functools.lru_cache(maxsize=256)
def _read(name: str, stamp: tuple[int, int]) -> dict[str, dict[str, str]]:
    raw = read_yaml(Path(name))
    problems: list[Problem] = []
    data = FILE.check(raw or {}, "", problems)
    if data is INVALID or problems:
        raise DataFileError(name, problems or [Problem("", "is not valid")])
    result: dict[str, dict[str, str]] = data
    return result


@dataclass(frozen=True)
class Coverage:
    """How far one jurisdiction's client strings are translated into one language."""

    code: str
    language: str
    total: int
    missing: tuple[str, ...]
    stale: tuple[str, ...]
    unused: tuple[str, ...]  # keys the data no longer has

    @property
    def complete(self) -> bool:
        """Whether every string a form can print has a current translation."""
        return not self.missing and not self.stale


def coverage(data: dict[str, Any], language: str) -> Coverage:
    """The missing, stale and unused translations of one jurisdiction file's client strings."""
    strings = client_strings(data)
    have = read_translations(data["code"], language) if language != SOURCE_LANGUAGE else {}
    if language == SOURCE_LANGUAGE:
        return Coverage(data["code"], language, len(strings), (), (), ())
    missing = tuple(k for k in strings if k not in have)
    stale = tuple(k for k, text in strings.items() if k in have and have[k]["source"] != source_hash(text))
    unused = tuple(k for k in have if k not in strings)
    return Coverage(data["code"], language, len(strings), missing, stale, unused)


class Translator:
    """Looks up the client's-language text of a jurisdiction's strings; English passes through.

    Raises ``DataFileError`` (naming the translation file and key) for a string with no current
    translation, so no form mixes languages or prints a translation of outdated English.
    """

    def __init__(self, code: str, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        self.code = code
        self.language = language
        self.entries = read_translations(code, language) if language != SOURCE_LANGUAGE else {}

    def __call__(self, key: str, english: str) -> str:
        if self.language == SOURCE_LANGUAGE:
            return english
        entry = self.entries.get(key)
        where = str(translations_path(self.code, self.language))
        if entry is None:
            raise DataFileError(where, [Problem(key, f"no translation of {_quote(english)}; add one (see "
                                                     "'consentgen check --jurisdictions')")])
        if entry["source"] != source_hash(english):
            raise DataFileError(where, [Problem(key, f"the English changed after it was translated; translate "
                                                     f"{_quote(english)} again, with source: {source_hash(english)}")])
        return " ".join(entry["text"].split())


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 70 else text[:67] + "...")
