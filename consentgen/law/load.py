"""Jurisdiction rules: load, validate and list the YAML files in jurisdictions/.

Python holds no legal facts: this module only checks the shape of the data and that
every rule points at a citation and a source that the file declares.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consentgen.errors import DataFileError, Problem, UnknownJurisdictionError
from consentgen.model.practice import PROFESSIONS, SERVICES
from consentgen.files.assets import jurisdictions_dir
from consentgen.model.validate import INVALID, Date, Field, Int, ListOf, MapOf, Nullable, Record, Spec, Text, join
from consentgen.files.yamlfile import read_yaml

FEDERAL_CODE = "US"
CODE_RE = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")
KINDS_DUTY = ("mandatory", "permissive", "none", "unknown")
KINDS_ELDER = ("mandatory", "permissive", "unknown")
PROFESSION_KEYS = tuple(PROFESSIONS)

CITATIONS = ListOf(Text(max_len=300), unique=True)
SOURCE_IDS = ListOf(Text(max_len=80), unique=True)
NOTE = Text(max_len=3000, multiline=True)
CLIENT_NOTE = Text(max_len=600, multiline=True)


def _rule(**fields: Field) -> dict[str, Field]:
    return {
        **fields,
        "client_note": Field(CLIENT_NOTE, required=False),
        "client_note_for": Field(ListOf(_enum(*PROFESSION_KEYS), unique=True), required=False, default=list),
        "notes": Field(NOTE, required=False),
        "citations": Field(CITATIONS, required=False, default=list),
        "sources": Field(SOURCE_IDS, required=False, default=list),
        "verified_on": Field(Date()),
    }


def _enum(*choices: str) -> Text:
    return Text(choices=choices, max_len=60)


SOURCE = Record({
    "label": Field(Text(max_len=300)),
    "url": Field(Text(max_len=600, pattern=r"https?://\S+", hint="must be an http(s) URL")),
    "type": Field(_enum("primary", "secondary")),
})

DUTY = Record(_rule(
    kind=Field(_enum(*KINDS_DUTY)),
    trigger=Field(_enum("serious_threat_identifiable_victim", "serious_threat_any_person",
                        "imminent_danger", "other", "unknown"), required=False, default="unknown"),
    discharge=Field(ListOf(_enum("warn_victim", "notify_police", "hospitalization", "treatment",
                                 "notify_others"), unique=True), required=False, default=list),
    by_profession=Field(MapOf(_enum(*KINDS_DUTY), key_pattern="|".join(PROFESSION_KEYS)),
                        required=False, default=dict),
))
CHILD = Record(_rule(
    reporters=Field(_enum("professionals", "all_persons", "unknown")),
    threshold=Field(_enum("suspicion", "belief", "unknown")),
    report_to=Field(ListOf(_enum("child_protective_services", "law_enforcement", "state_hotline"),
                           unique=True), required=False, default=list),
))
ELDER = Record(_rule(
    kind=Field(_enum(*KINDS_ELDER)),
    covers=Field(ListOf(_enum("elders", "dependent_adults", "vulnerable_adults", "disabled_adults",
                              "incapacitated_adults"), unique=True), required=False, default=list),
    elder_age=Field(Nullable(Int(50, 90)), required=False),
    report_to=Field(ListOf(_enum("adult_protective_services", "law_enforcement",
                                 "long_term_care_ombudsman", "state_hotline"), unique=True),
                    required=False, default=list),
    by_profession=Field(MapOf(_enum(*KINDS_ELDER), key_pattern="|".join(PROFESSION_KEYS)),
                        required=False, default=dict),
))
MINORS = Record(_rule(
    consent_age=Field(Nullable(Int(0, 21), unknown_ok=True)),  # 0: any age, with conditions
    session_limit=Field(Nullable(Int(1, 100)), required=False),
    conditions=Field(NOTE, required=False),
    parent_involvement=Field(_enum("required", "required_unless_inappropriate", "not_required", "unknown"),
                             required=False, default="unknown"),
    by_profession=Field(MapOf(Nullable(Int(0, 21), unknown_ok=True), key_pattern="|".join(PROFESSION_KEYS)),
                        required=False, default=dict),
))
RETENTION = Record({
    "professions": Field(ListOf(_enum("all", *PROFESSION_KEYS), min_items=1, unique=True)),
    "years": Field(Int(1, 100)),
    "minors": Field(Text(max_len=300), required=False),
})
RECORDS = Record(_rule(retention=Field(ListOf(RETENTION), required=False, default=list)))
BOARD = Record({
    "name": Field(Text(max_len=200)),
    "url": Field(Text(max_len=300, pattern=r"https?://\S+", hint="must be an http(s) URL")),
    "sources": Field(SOURCE_IDS, required=False, default=list),
    "notes": Field(NOTE, required=False),
})
APPLIES = Record({
    "services": Field(ListOf(_enum(*SERVICES), unique=True), required=False, default=list),
    "professions": Field(ListOf(_enum("all", *PROFESSION_KEYS), unique=True), required=False, default=list),
})
DISCLOSURE = Record(_rule(
    id=Field(Text(max_len=80, pattern=r"[a-z0-9][a-z0-9-]*", hint="must be a lowercase slug")),
    title=Field(Text(max_len=120)),
    applies_to=Field(APPLIES, required=False, default=dict),
    client_text=Field(Text(max_len=1500, multiline=True)),
))

RULE_NAMES = ("duty_to_protect", "child_abuse_reporting", "elder_abuse_reporting", "minors", "records")


def _unknown(name: str, rule: dict[str, Any]) -> bool:
    """Whether a rule's main value is 'unknown' (then citations may be empty)."""
    key = {"duty_to_protect": "kind", "elder_abuse_reporting": "kind", "minors": "consent_age",
           "child_abuse_reporting": "reporters"}.get(name)
    if key is not None:
        return rule.get(key) == "unknown"
    if name == "records":
        return not rule.get("retention")
    return False


def _cross_checks(data: dict[str, Any], path: str, problems: list[Problem]) -> None:
    """Every rule cites and points at declared sources; dates are not in the future."""
    declared = set(data.get("sources") or {})
    today = dt.date.today()
    rules: list[tuple[str, dict[str, Any]]] = [(n, data[n]) for n in RULE_NAMES if data.get(n)]
    rules += [(f"other_disclosures[{i}]", d) for i, d in enumerate(data.get("other_disclosures") or [])]
    rules += [(f"rules.{k}", v) for k, v in (data.get("rules") or {}).items()]
    for name, rule in rules:
        base = name.split("[")[0]
        for sid in rule.get("sources", []):
            if sid not in declared:
                problems.append(Problem(join(name, "sources"), f"'{sid}' is not declared under sources"))
        if not _unknown(base, rule):
            if not rule.get("citations"):
                problems.append(Problem(join(name, "citations"), "a rule needs at least one citation"))
            if not rule.get("sources"):
                problems.append(Problem(join(name, "sources"), "a rule needs at least one source"))
        elif not rule.get("notes"):
            problems.append(Problem(join(name, "notes"), "an unknown rule must say in notes what is missing"))
        if rule.get("verified_on") and rule["verified_on"] > today:
            problems.append(Problem(join(name, "verified_on"), "is in the future"))
    for prof, board in (data.get("boards") or {}).items():
        for sid in board.get("sources", []):
            if sid not in declared:
                problems.append(Problem(f"boards.{prof}.sources", f"'{sid}' is not declared under sources"))
        if not board.get("sources"):
            problems.append(Problem(f"boards.{prof}.sources", "a board needs at least one source"))
    if data.get("verified_on") and data["verified_on"] > today:
        problems.append(Problem("verified_on", "is in the future"))
    ids = [d["id"] for d in data.get("other_disclosures") or []]
    if len(ids) != len(set(ids)):
        problems.append(Problem("other_disclosures", "two disclosures share an id"))


HEAD = {
    "code": Field(Text(max_len=10, pattern=CODE_RE.pattern, hint="must be a code like US-CA")),
    "name": Field(Text(max_len=100)),
    "paper": Field(_enum("letter", "a4")),
    "verified_on": Field(Date()),
    "sources": Field(MapOf(SOURCE, min_items=1)),
}
STATE = Record({
    **HEAD,
    "parent": Field(Text(max_len=10, pattern=CODE_RE.pattern, hint="must be a code like US")),
    "duty_to_protect": Field(DUTY),
    "child_abuse_reporting": Field(CHILD),
    "elder_abuse_reporting": Field(ELDER),
    "minors": Field(MINORS),
    "records": Field(RECORDS),
    "boards": Field(MapOf(BOARD, key_pattern="|".join(PROFESSION_KEYS)), required=False, default=dict),
    "other_disclosures": Field(ListOf(DISCLOSURE), required=False, default=list),
}, check_all=_cross_checks)

FACT = Text(max_len=200)
FEDERAL_RULE = Record(_rule(facts=Field(MapOf(FACT, key_pattern=r"[a-z_]+"), required=False, default=dict)))
FEDERAL_RULES = ("serious_threat", "abuse_reports", "court_orders", "treatment_payment", "self_pay_restriction",
                 "records_access", "psychotherapy_notes", "after_death", "part2", "crisis_line",
                 "complaints", "health_oversight", "defense")
FEDERAL = Record({
    **HEAD,
    "rules": Field(Record({name: Field(FEDERAL_RULE) for name in FEDERAL_RULES})),
}, check_all=_cross_checks)


@dataclass(frozen=True)
class Jurisdiction:
    """One validated jurisdiction file, with its parent (federal) layer."""

    code: str
    name: str
    paper: str
    verified_on: dt.date
    data: dict[str, Any]
    parent: Jurisdiction | None = None

    @property
    def sources(self) -> dict[str, dict[str, str]]:
        """The declared sources by id."""
        result: dict[str, dict[str, str]] = self.data["sources"]
        return result

    @property
    def rules_verified_on(self) -> dt.date:
        """The oldest verification date of this layer and its parent."""
        dates = [self.verified_on] + ([self.parent.verified_on] if self.parent else [])
        return min(dates)


def _validate(raw: Any, spec: Spec, filename: str) -> dict[str, Any]:
    problems: list[Problem] = []
    data = spec.check(raw, "", problems)
    if data is INVALID or problems:
        raise DataFileError(filename, problems or [Problem("", "is not valid")])
    result: dict[str, Any] = data
    return result


def read_jurisdiction(path: str | Path, *, with_parent: bool = True) -> Jurisdiction:
    """Read and validate one jurisdiction file (state or federal layer)."""
    path = Path(path)
    raw = read_yaml(path)
    is_federal = isinstance(raw, dict) and raw.get("code") == FEDERAL_CODE
    data = _validate(raw, FEDERAL if is_federal else STATE, str(path))
    if path.stem != data["code"]:
        raise DataFileError(str(path), [Problem("code", f"'{data['code']}' must match the file name '{path.stem}'")])
    parent = None
    if not is_federal and with_parent:
        parent = load_jurisdiction(data["parent"])
    return Jurisdiction(code=data["code"], name=data["name"], paper=data["paper"],
                        verified_on=data["verified_on"], data=data, parent=parent)


def normalize_code(code: str) -> str:
    """Upper-case a code and accept 'us-ca', 'US_CA' and 'CA' spellings."""
    code = code.strip().upper().replace("_", "-")
    if re.fullmatch(r"[A-Z]{2}", code) and code != FEDERAL_CODE and f"US-{code}" in catalogue():
        code = f"US-{code}"
    return code


@functools.lru_cache(maxsize=4)
def _catalogue(folder: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.stem == FEDERAL_CODE:
            continue
        name = path.stem
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        match = re.search(r"^name:\s*[\"']?(.+?)[\"']?\s*$", head, re.MULTILINE)
        if match:
            name = match.group(1)
        found[path.stem] = name
    return found


def catalogue() -> dict[str, str]:
    """Known jurisdiction codes and names (states only), without parsing every file."""
    return dict(_catalogue(jurisdictions_dir()))


def has_jurisdiction(code: str) -> bool:
    """Whether ``code`` names a built-in jurisdiction."""
    return normalize_code(code) in catalogue()


def _suggest(wanted: str, known: dict[str, str], typed: str) -> list[str]:
    """Known codes one letter away (same first letter first), or a state name close to ``typed``."""
    near: list[tuple[int, str]] = []
    for code in known:
        if len(code) == len(wanted) and code[:3] == wanted[:3]:
            diff = sum(a != b for a, b in zip(code, wanted, strict=True))
            if diff == 1:
                near.append((0 if code[3] == wanted[3:4] else 1, code))
    guesses = [code for _, code in sorted(near)][:3]
    by_name = {name.upper(): c for c, name in known.items()}
    guesses += [by_name[n] for n in difflib.get_close_matches(typed.strip().upper(), list(by_name), n=1, cutoff=0.7)]
    if not guesses:
        guesses = difflib.get_close_matches(wanted, list(known), n=2, cutoff=0.6)
    return list(dict.fromkeys(guesses))


def unknown_message(code: str) -> str:
    """The message for an unknown code, with the closest known codes or names."""
    known = catalogue()
    guesses = _suggest(normalize_code(code), known, code)
    tip = f" (did you mean {' or '.join(repr(g) for g in guesses)}?)" if guesses else ""
    codes = list(known)
    listing = ", ".join(codes) if len(codes) <= 8 else f"{len(codes)} jurisdictions, {codes[0]} to {codes[-1]}"
    return f"unknown jurisdiction '{code}'{tip}; known: {listing}; run 'consentgen jurisdictions' for the list"


def load_jurisdiction(code: str) -> Jurisdiction:
    """Load a built-in jurisdiction by code (states get the federal layer as parent).

    Raises:
        UnknownJurisdictionError: no such code.
        DataFileError: the built-in file is invalid.
    """
    wanted = normalize_code(code)
    folder = jurisdictions_dir()
    if wanted != FEDERAL_CODE and wanted not in catalogue():
        raise UnknownJurisdictionError(unknown_message(code))
    return read_jurisdiction(folder / f"{wanted}.yaml")


def list_jurisdictions() -> list[Jurisdiction]:
    """Every built-in state jurisdiction, validated, in code order."""
    return [load_jurisdiction(code) for code in catalogue()]


def unknowns(jurisdiction: Jurisdiction) -> list[str]:
    """Field paths whose value is 'unknown' or missing, for the review report."""
    data = jurisdiction.data
    found: list[str] = []
    if "rules" in data:
        return found
    for name in RULE_NAMES:
        rule = data[name]
        if _unknown(name, rule):
            found.append(name)
        for key in ("trigger", "threshold", "parent_involvement"):
            if rule.get(key) == "unknown" and not _unknown(name, rule):
                found.append(f"{name}.{key}")
    for prof in PROFESSION_KEYS:
        if prof not in data["boards"]:
            found.append(f"boards.{prof}")
    return found


def evidence(jurisdiction: Jurisdiction) -> dict[str, str]:
    """For each rule: 'primary' (a statute, rule or opinion text was read), 'secondary' or 'unknown'."""
    data = jurisdiction.data
    result: dict[str, str] = {}
    named = [(n, data[n]) for n in RULE_NAMES] + [(f"other:{d['id']}", d) for d in data["other_disclosures"]]
    for name, rule in named:
        base = name if name in RULE_NAMES else "other"
        if base != "other" and _unknown(base, rule):
            result[name] = "unknown"
            continue
        types = {jurisdiction.sources[s]["type"] for s in rule.get("sources", [])}
        result[name] = "primary" if "primary" in types else "secondary"
    return result
