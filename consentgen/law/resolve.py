"""The resolved law view: every rule of a jurisdiction, decided for one clinician and client.

``resolve(jurisdiction, profession, client_type)`` returns a ``LawView``. Templates, the CLI
reports and the JSON export read only this view, never the raw data, so each rule's
meaning (a profession's own value, the minors' consent kind, the age of majority) is
decided here once. Python still holds no legal facts: every value comes from the data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from consentgen.law.load import Jurisdiction
from consentgen.law.translations import Translator

VERIFIED, NEEDS_REVIEW, UNKNOWN = "verified", "needs_review", "unknown"


@dataclass(frozen=True)
class Source:
    """A source that was read for a rule."""

    id: str
    label: str
    url: str
    type: str  # primary | secondary


@dataclass(frozen=True)
class Basis:
    """Where a rule comes from, and how far it was verified."""

    citations: tuple[str, ...]
    sources: tuple[Source, ...]
    verified_on: dt.date
    status: str  # verified | needs_review | unknown
    review_reason: str | None = None
    key: str = ""  # where the rule lives: "US-OH:minors", "US-OH:other_disclosures:ID", "US:serious_threat"
    fields: tuple[tuple[str, str], ...] = ()  # (field, short hash of its value): what a later change is compared on

    @property
    def content_hash(self) -> str:
        """A stable hash of what the rule says (not its notes, sources or verification date)."""
        return _hash(self.fields)

    @property
    def verified(self) -> bool:
        """Whether every fact of the rule was verified against its sources."""
        return self.status == VERIFIED

    @property
    def primary_sources(self) -> tuple[Source, ...]:
        """The sources a client's copy may cite."""
        return tuple(s for s in self.sources if s.type == "primary")


@dataclass(frozen=True)
class Duty:
    """Threats to others: the duty to protect, for this clinician."""

    kind: str  # mandatory | permissive | none | unknown
    trigger: str
    imminent: bool | None
    discharge: tuple[str, ...]
    discharge_how: str  # any_one | all | options | unknown
    discharge_options: tuple[tuple[str, ...], ...]
    note: str | None
    basis: Basis


@dataclass(frozen=True)
class ChildReporting:
    """Child abuse and neglect reporting, for this clinician."""

    reporters: str
    threshold: str
    report_to: tuple[str, ...]
    capacity: str  # any | professional | treatment | unknown
    privileged_excused: bool
    note: str | None
    basis: Basis


@dataclass(frozen=True)
class ElderReporting:
    """Elder and vulnerable adult abuse reporting, for this clinician."""

    kind: str  # mandatory | permissive | unknown
    covers: tuple[str, ...]
    elder_age: int | None
    elder_condition: str | None  # impaired | None
    report_to: tuple[str, ...]
    report_to_how: str  # any_one | all | unknown
    privileged_excused: bool
    note: str | None
    basis: Basis


@dataclass(frozen=True)
class Minors:
    """Minors' consent to therapy, for this clinician."""

    consent: str  # age | any_age_with_conditions | parent_only | unknown
    consent_age: int | None
    age_of_majority: int
    session_limit: int | None
    conditions: str | None
    parent_involvement: str
    parent_told: str  # yes | no | unless_risk | unknown
    parent_records: str  # full | limited | unknown
    note: str | None
    basis: Basis
    majority_basis: Basis


@dataclass(frozen=True)
class Retention:
    """How long records are kept."""

    years: int
    minors: str | None


@dataclass(frozen=True)
class RetentionEntry:
    """One line of the state's retention table: which professions, how long."""

    professions: tuple[str, ...]
    years: int
    minors: str | None


@dataclass(frozen=True)
class Records:
    """Record keeping, for this clinician (``retention``), with the state's whole table."""

    retention: tuple[Retention, ...]
    table: tuple[RetentionEntry, ...]
    basis: Basis


@dataclass(frozen=True)
class Board:
    """The licensing board of this clinician's profession."""

    name: str
    url: str


@dataclass(frozen=True)
class RequiredContent:
    """A state rule saying what the consent (or a disclosure document) must contain, for this practice."""

    id: str
    title: str
    elements: tuple[str, ...]
    separate_document: bool
    basis: Basis
    english_title: str = ""  # the title as the data writes it (reports and warnings are in English)

    @property
    def cite(self) -> str:
        """The rule's first citation, to name it in a warning."""
        return self.basis.citations[0] if self.basis.citations else self.title


@dataclass(frozen=True)
class Disclosure:
    """A state-specific disclosure that applies to this practice."""

    id: str
    title: str
    text: str
    basis: Basis
    english_title: str = ""  # the title as the data writes it (reports and warnings are in English)


@dataclass(frozen=True)
class FederalRule:
    """A federal rule: its facts (numbers, names) and basis."""

    name: str
    facts: dict[str, str]
    basis: Basis


@dataclass(frozen=True)
class LawView:
    """Every rule of one jurisdiction, resolved for one profession and set of services."""

    code: str
    name: str
    paper: str
    verified_on: dt.date
    profession: str | None
    duty: Duty
    child: ChildReporting
    elder: ElderReporting
    minors: Minors
    records: Records
    board: Board | None
    disclosures: tuple[Disclosure, ...]
    required_content: tuple[RequiredContent, ...]
    release_requirements: tuple[Disclosure, ...] = ()
    language: str = "en"  # the language of the client-facing strings (name, notes, titles, texts)
    federal: dict[str, FederalRule] = field(default_factory=dict)

    def bases(self) -> dict[str, Basis]:
        """The basis of each state rule, by its data name."""
        return {"duty_to_protect": self.duty.basis, "child_abuse_reporting": self.child.basis,
                "elder_abuse_reporting": self.elder.basis, "age_of_majority": self.minors.majority_basis,
                "minors": self.minors.basis, "records": self.records.basis}


def _status(rule: dict[str, Any], known: bool) -> tuple[str, str | None]:
    if not known:
        return UNKNOWN, rule.get("notes")
    if rule.get("status") == NEEDS_REVIEW:
        return NEEDS_REVIEW, rule.get("review_reason")
    return VERIFIED, None


NOT_CONTENT = ("notes", "review_reason", "verified_on", "sources")


def _hash(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:12]


def _basis(rule: dict[str, Any], layer: Jurisdiction, *, known: bool = True, key: str = "") -> Basis:
    status, reason = _status(rule, known)
    fields = tuple((name, _hash(value)) for name, value in sorted(rule.items()) if name not in NOT_CONTENT)
    key = f"{layer.code}:{key}" if key else ""
    sources = tuple(Source(sid, layer.sources[sid]["label"], layer.sources[sid]["url"], layer.sources[sid]["type"])
                    for sid in rule.get("sources", []))
    if not known:  # unknown here (for this profession): never cite a rule for someone it may not govern
        return Basis((), (), rule["verified_on"], status, reason, key, fields)
    return Basis(tuple(rule.get("citations", [])), sources, rule["verified_on"], status, reason, key, fields)


def _for(rule: dict[str, Any], profession: str | None, key: str) -> Any:
    """A rule's value for this profession: the profession's own entry, else the state's."""
    return (rule.get("by_profession") or {}).get(profession, rule[key])


def _note(rule: dict[str, Any], profession: str | None, key: str, tr: Translator) -> str | None:
    """The client notes of a rule for this profession, in the client's language (``tr``)."""
    only = rule.get("client_note_for") or []
    notes = ([tr(f"{key}.client_note", str(rule["client_note"]))]
             if rule.get("client_note") and (not only or profession in only) else [])
    notes += [tr(f"{key}.client_notes_by_profession.{'+'.join(n['for'])}", str(n["text"]))
              for n in rule.get("client_notes_by_profession") or [] if profession in n["for"]]
    return " ".join(" ".join(n.split()) for n in notes) or None


def consent_kind(code: int | str | None) -> tuple[str, int | None]:
    """The data's consent-age code as an explicit kind and an age."""
    if code == "unknown":
        return "unknown", None
    if code is None:
        return "parent_only", None
    if code == 0:
        return "any_age_with_conditions", None
    return "age", int(code)


def consent_code(kind: str, age: int | None) -> int | str | None:
    """The data's consent-age code for a kind (the inverse of ``consent_kind``)."""
    return {"unknown": "unknown", "parent_only": None, "any_age_with_conditions": 0}.get(kind, age)


def _applies(disclosure: dict[str, Any], profession: str | None, services: frozenset[str]) -> bool:
    applies = disclosure.get("applies_to") or {}
    wanted = applies.get("services") or []
    professions = applies.get("professions") or []
    if wanted and not any(s in services for s in wanted):
        return False
    return not (professions and "all" not in professions and profession not in professions)


def _duty(rule: dict[str, Any], profession: str | None, layer: Jurisdiction, tr: Translator) -> Duty:
    kind = _for(rule, profession, "kind")
    options = tuple(tuple(o) for o in rule.get("discharge_options") or ())
    how = rule.get("discharge_how", "unknown")
    steps = tuple(rule.get("discharge") or ())
    limited_to = rule.get("discharge_for") or []
    if limited_to and profession not in limited_to:  # the steps come from a statute that does not name them
        steps, options, how = (), (), "unknown"
    return Duty(kind=kind, trigger=rule.get("trigger", "unknown"), imminent=rule.get("imminent"),
                discharge=steps, discharge_how=how, discharge_options=options,
                note=_note(rule, profession, "duty_to_protect", tr),
                basis=_basis(rule, layer, known=kind != "unknown", key="duty_to_protect"))


def _child(rule: dict[str, Any], profession: str | None, layer: Jurisdiction, tr: Translator) -> ChildReporting:
    excused = profession in (rule.get("privileged_excused_for") or [])
    return ChildReporting(reporters=rule["reporters"], threshold=rule["threshold"],
                          report_to=tuple(rule.get("report_to") or ()), capacity=rule.get("capacity", "unknown"),
                          privileged_excused=excused, note=_note(rule, profession, "child_abuse_reporting", tr),
                          basis=_basis(rule, layer, known=rule["reporters"] != "unknown", key="child_abuse_reporting"))


def _elder(rule: dict[str, Any], profession: str | None, layer: Jurisdiction, tr: Translator) -> ElderReporting:
    kind = _for(rule, profession, "kind")
    return ElderReporting(kind=kind, covers=tuple(rule.get("covers") or ()), elder_age=rule.get("elder_age"),
                          elder_condition=rule.get("elder_condition"), report_to=tuple(rule.get("report_to") or ()),
                          report_to_how=rule.get("report_to_how", "unknown"),
                          privileged_excused=profession in (rule.get("privileged_excused_for") or []),
                          note=_note(rule, profession, "elder_abuse_reporting", tr),
                          basis=_basis(rule, layer, known=kind != "unknown", key="elder_abuse_reporting"))


def _minors(rule: dict[str, Any], majority: dict[str, Any], profession: str | None, layer: Jurisdiction,
            tr: Translator) -> Minors:
    consent, age = consent_kind(_for(rule, profession, "consent_age"))
    return Minors(consent=consent, consent_age=age, age_of_majority=majority["age"],
                  session_limit=rule.get("session_limit"), conditions=rule.get("conditions"),
                  parent_involvement=rule.get("parent_involvement", "unknown"),
                  parent_told=rule.get("parent_told", "unknown"),
                  parent_records=rule.get("parent_records", "unknown"), note=_note(rule, profession, "minors", tr),
                  basis=_basis(rule, layer, known=consent != "unknown", key="minors"),
                  majority_basis=_basis(majority, layer, key="age_of_majority"))


def _records(rule: dict[str, Any], profession: str | None, layer: Jurisdiction, tr: Translator) -> Records:
    entries = rule.get("retention") or []
    own = [e for e in entries if profession in e["professions"]]
    chosen = own or [e for e in entries if "all" in e["professions"]]
    basis = _basis(rule, layer, known=bool(chosen), key="records")
    table = tuple(RetentionEntry(tuple(e["professions"]), e["years"], e.get("minors")) for e in entries)
    return Records(tuple(Retention(e["years"], _retention_minors(e, tr)) for e in chosen), table, basis)


def _retention_minors(entry: dict[str, Any], tr: Translator) -> str | None:
    if not entry.get("minors"):
        return None
    return tr(f"records.retention.{'+'.join(entry['professions'])}.minors", entry["minors"])


def _federal_facts(name: str, rule: dict[str, Any], tr: Translator) -> dict[str, str]:
    facts = dict(rule.get("facts") or {})
    if facts.get("name"):
        facts["name"] = tr(f"rules.{name}.facts.name", str(facts["name"]))
    return facts


def resolve(jurisdiction: Jurisdiction, profession: str | None,
            services: frozenset[str] | set[str] = frozenset(), language: str = "en") -> LawView:
    """Resolve every rule of ``jurisdiction`` (a state with its federal layer) for ``profession``.

    ``services`` are the practice's services that decide which state disclosures apply.
    With ``profession`` None the view holds the state's general values (for reports).
    ``language``: the client's language; the state's client-facing strings (names, notes,
    disclosures, titles) come from its translations (``law.translations``).

    Raises:
        ValueError: ``jurisdiction`` has no federal layer (a caller's bug).
        DataFileError: a string this view holds has no current translation into ``language``.
    """
    if jurisdiction.parent is None:
        raise ValueError("a state jurisdiction needs its federal layer")
    data, federal = jurisdiction.data, jurisdiction.parent
    services = frozenset(services)
    board = data["boards"].get(profession) if profession else None
    tr, ftr = Translator(jurisdiction.code, language), Translator(federal.code, language)

    def listed(group: str, text_field: str | None) -> tuple[Disclosure, ...]:
        return tuple(
            Disclosure(d["id"], tr(f"{group}.{d['id']}.title", d["title"]),
                       tr(f"{group}.{d['id']}.{text_field}", d[text_field]) if text_field else "",
                       _basis(d, jurisdiction, key=f"{group}:{d['id']}"), d["title"])
            for d in data[group] if _applies(d, profession, services))

    disclosures = listed("other_disclosures", "client_text")
    return LawView(
        code=jurisdiction.code, name=tr("name", jurisdiction.name), paper=jurisdiction.paper,
        verified_on=jurisdiction.rules_verified_on, profession=profession,
        duty=_duty(data["duty_to_protect"], profession, jurisdiction, tr),
        child=_child(data["child_abuse_reporting"], profession, jurisdiction, tr),
        elder=_elder(data["elder_abuse_reporting"], profession, jurisdiction, tr),
        minors=_minors(data["minors"], data["age_of_majority"], profession, jurisdiction, tr),
        records=_records(data["records"], profession, jurisdiction, tr),
        board=Board(board["name"], board["url"]) if board else None,
        disclosures=disclosures,
        required_content=tuple(
            RequiredContent(r["id"], tr(f"required_content.{r['id']}.title", r["title"]), tuple(r["elements"]),
                            r["separate_document"],
                            _basis(r, jurisdiction, key=f"required_content:{r['id']}"), r["title"])
            for r in data["required_content"] if _applies(r, profession, services)),
        release_requirements=listed("release_requirements", "client_text"),
        language=language,
        federal={name: FederalRule(name, _federal_facts(name, rule, ftr), _basis(rule, federal, key=name))
                 for name, rule in federal.data["rules"].items()},
    )
