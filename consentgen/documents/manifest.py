"""A document type's manifest (``templates/<document>/document.yaml``): sections, signers, citations.

A manifest is data: which sections a document has, in order, and when each appears; who
signs, and when; which rules it cites. ``when`` is a small expression over the practice's
services, the edition's client type and the resolved law, for example ``services.minors``
or ``client_type == "minor"``. Nothing about a document's content lives in Python.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from consentgen.errors import DataFileError, Problem
from consentgen.files.assets import document_dir
from consentgen.files.yamlfile import read_yaml
from consentgen.model.validate import INVALID, Bool, Field, ListOf, MapOf, Record, Text

WHEN = Text(max_len=300)
NAME = Text(max_len=60, pattern=r"[a-z][a-z0-9_]*", hint="must be a lowercase name")
DOCUMENT_ID = Text(max_len=60, pattern=r"[a-z][a-z0-9_-]*", hint="must be a lowercase name (the folder's)")
ENTRY = Record({"name": Field(NAME), "when": Field(WHEN, required=False)})
SIGNER = Record({"key": Field(NAME), "when": Field(WHEN, required=False)})
CITE = Record({"rule": Field(Text(max_len=80, pattern=r"(state|federal)\.[a-z0-9_]+",
                                  hint="must be state.RULE or federal.RULE")),
               "when": Field(WHEN, required=False)})
MEMBER = Record({"document": Field(DOCUMENT_ID), "when": Field(WHEN, required=False)})
SHORT_KEYS = {"sections": "name", "signers": "key", "cites": "rule", "packet": "document"}  # what a bare name fills
MANIFEST = Record({
    "id": Field(DOCUMENT_ID),
    "label": Field(Text(max_len=80), required=False),  # its name for clinicians (the web page's picker)
    # The document is dated the day it is made, or the answers' later form date, never an earlier one
    # (a document the law says may not take effect before it is printed).
    "dated_on_issue": Field(Bool(), required=False, default=False),
    "entry": Field(Text(max_len=120)),
    "client_types": Field(ListOf(Record({"name": Field(NAME), "service": Field(NAME)})), required=False,
                          default=list),
    "sections": Field(ListOf(ENTRY, min_items=1)),
    "signers": Field(ListOf(SIGNER)),
    # A packet: the documents it binds together, in order, each with an optional condition; the manifest's own
    # sections are then its cover (the table of contents).
    "packet": Field(ListOf(MEMBER), required=False, default=list),
    "cites": Field(ListOf(CITE), required=False, default=list),
    # What the document contains, for the state rules that say what it must contain:
    # elements it always carries, elements it adds in wording when a rule asks for them, and
    # elements it fills from an answers field (given as a dotted path).
    "content": Field(Record({
        "always": Field(ListOf(NAME, unique=True), required=False, default=list),
        "when_required": Field(ListOf(NAME, unique=True), required=False, default=list),
        "from_answers": Field(MapOf(Text(max_len=80, pattern=r"[a-z_]+\.[a-z_]+", hint="must be like policies.fees"),
                                    key_pattern=r"[a-z_]+"), required=False, default=dict),
    }), required=False, default=dict),
})


@dataclass(frozen=True)
class Entry:
    """A section, signer, citation or client type, with the condition under which it appears."""

    name: str
    when: str | None = None


@dataclass(frozen=True)
class Manifest:
    """One document type, as its manifest declares it."""

    id: str
    entry: str
    client_types: tuple[tuple[str, str], ...]  # (edition, the service that offers it)
    sections: tuple[Entry, ...]
    signers: tuple[Entry, ...]
    cites: tuple[Entry, ...]
    always: frozenset[str] = frozenset()  # content elements the document always carries
    when_required: frozenset[str] = frozenset()  # elements it words itself when a state rule asks
    from_answers: tuple[tuple[str, str], ...] = ()  # (element, answers field that fills it)
    label: str = ""  # its name for clinicians (the web page's document picker)
    dated_on_issue: bool = False  # dated the day it is made, never an earlier form date
    packet: tuple[Entry, ...] = ()  # a packet's documents, in order (empty: a document of its own)


def _short(value: Any, key: str) -> Any:
    """Manifest lists may give a bare name (``key``'s value) for an entry without a condition."""
    if isinstance(value, list):
        return [{key: v} if isinstance(v, str) else v for v in value]
    return value


@functools.lru_cache(maxsize=8)
def load_manifest(document: str) -> Manifest:
    """Read and validate the manifest of a built-in document type.

    Raises:
        DataFileError: no such document type, or its manifest is invalid.
    """
    path = document_dir(document) / "document.yaml"
    if not path.is_file():
        raise DataFileError(document, [Problem("", "no such document type")])
    raw = read_yaml(path)
    if isinstance(raw, dict):
        raw = {**raw, **{name: _short(raw[name], key) for name, key in SHORT_KEYS.items() if name in raw}}
    problems: list[Problem] = []
    data = MANIFEST.check(raw, "", problems)
    if data is INVALID or problems:
        raise DataFileError(str(path), problems or [Problem("", "is not valid")])
    if not data["signers"] and not data["packet"]:
        raise DataFileError(str(path), [Problem("signers", "must list at least 1 item(s)")])
    for key in ("sections", "signers", "cites", "packet"):
        for i, item in enumerate(data[key]):
            try:
                condition(item.get("when"))
            except Exception as exc:  # a syntax error in a condition is a bug in the manifest
                raise DataFileError(str(path), [Problem(f"{key}[{i}].when", f"not a valid condition: {exc}")]) from None

    def entries(key: str, name: str) -> tuple[Entry, ...]:
        return tuple(Entry(item[name], item.get("when")) for item in data[key])

    return Manifest(id=data["id"], entry=data["entry"],
                    client_types=tuple((c["name"], c["service"]) for c in data["client_types"]),
                    sections=entries("sections", "name"), signers=entries("signers", "key"),
                    cites=entries("cites", "rule"),
                    always=frozenset(data["content"].get("always") or ()),
                    when_required=frozenset(data["content"].get("when_required") or ()),
                    from_answers=tuple((data["content"].get("from_answers") or {}).items()),
                    label=data.get("label") or data["id"], dated_on_issue=bool(data.get("dated_on_issue")),
                    packet=tuple(Entry(item["document"], item.get("when")) for item in data["packet"]))


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    """One sandboxed environment for every condition (a misspelled name is an error, not false)."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)


@functools.lru_cache(maxsize=256)
def condition(text: str | None) -> Any:
    """Compile a ``when`` condition (None: always) into a callable over a context mapping."""
    if not text:
        return lambda **_: True
    return _environment().compile_expression(text)


def holds(entry: Entry, context: dict[str, Any]) -> bool:
    """Whether ``entry`` appears in the document for ``context``."""
    return bool(condition(entry.when)(**context))
