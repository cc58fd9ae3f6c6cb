"""The resolved law view's shape: what a template, a report or the JSON export may read of a jurisdiction.

These frozen records are the contract between the law layer and the templates: every field a template
reads is here, with its meaning. ``law/resolve.py`` fills them from the data for one clinician and client.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

VERIFIED, NEEDS_REVIEW, UNKNOWN = "verified", "needs_review", "unknown"


def short_hash(value: Any) -> str:
    """A short, stable hash of a JSON-able value (a rule's field, its whole content)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Source:
    """A source that was read for a rule."""

    id: str
    label: str
    url: str
    type: str  # primary | secondary
    read_in: str = ""  # a verbatim copy the text was read in, and its date ("URL (text as of DATE)"), if not url


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
    questions: tuple[tuple[str, str], ...] = ()  # (field, open question) for the fields the form words neutrally
    values: tuple[tuple[str, str], ...] = ()  # (field, its value as JSON) for short values: what `outdated` shows

    @property
    def content_hash(self) -> str:
        """A stable hash of what the rule says (not its notes, sources or verification date)."""
        return short_hash(self.fields)

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
    threat_terms: tuple[str, ...]  # explicit | specific | intent_and_ability
    framing: str  # duty | liability_limit
    discharge: tuple[str, ...]
    discharge_how: str  # any_one | all | options | unknown
    discharge_options: tuple[tuple[str, ...], ...]
    note: str | None
    basis: Basis


@dataclass(frozen=True)
class SelfHarm:
    """Whom the clinician may tell, without consent, when the client may seriously harm themself."""

    kind: str  # mandatory | permissive | federal_only | unknown
    may_tell: tuple[str, ...]
    note: str | None
    basis: Basis
    condition: str = "none"  # none | refuses_treatment | involuntary_exam: what the permission asks beyond the danger


@dataclass(frozen=True)
class AgeBand:
    """A parent's access to a minor's records for one band of ages."""

    from_age: int | None
    to_age: int | None
    access: str


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
    includes_likely: bool = False  # the duty also covers a child likely to be abused or neglected


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
    scope: str = "any"  # any | in_my_care (only an adult the clinician has responsibility for the care of)
    threshold: str = "suspicion"  # suspicion | belief | knowledge: what starts the duty


@dataclass(frozen=True)
class Minors:
    """Minors' consent to therapy, for this clinician."""

    consent: str  # age | any_age_with_conditions | parent_only | unknown
    consent_age: int | None
    age_of_majority: int
    session_limit: int | None
    consent_scope: str | None  # all_care: a minor of consent_age (or meeting the conditions) may agree to all care
    conditions: str | None
    parent_involvement: str
    parent_told: str  # yes | no | unless_risk | discretion | on_request | not_applicable | unknown
    parent_records: str  # full | limited | minor_controls | clinician_judgment | unknown
    parent_records_by_age: tuple[AgeBand, ...]
    parent_signs: str  # required | when_parent_consents | unknown
    parent_records_when_minor_consents: str | None  # where the law sets a parent's access apart for that case
    note: str | None
    basis: Basis
    majority_basis: Basis

    @property
    def parent_needed_under(self) -> int:
        """The age under which a parent usually must agree: the consent age where the law makes a minor of that age
        an adult for health care (consent_scope all_care), else the age of majority."""
        if self.consent_scope == "all_care" and self.consent == "age" and self.consent_age:
            return self.consent_age
        return self.age_of_majority


@dataclass(frozen=True)
class Retention:
    """How long records are kept."""

    years: int
    minors: str | None
    summary: str | None  # a shorter record kept longer, and for how long (data, translated)
    counted_from: str = "last_session"  # last_session | record_made


@dataclass(frozen=True)
class RetentionEntry:
    """One line of the state's retention table: which professions, how long."""

    professions: tuple[str, ...]
    years: int
    minors: str | None
    summary: str | None
    counted_from: str = "last_session"


@dataclass(frozen=True)
class Records:
    """Record keeping, for this clinician (``retention``), with the state's whole table."""

    retention: tuple[Retention, ...]
    table: tuple[RetentionEntry, ...]
    basis: Basis


@dataclass(frozen=True)
class AccessDeadline:
    """How soon a request to see records must be answered: the state's deadline, or the federal one."""

    kind: str  # state | federal | unknown
    days: int | None
    unit: str  # days | working_days
    refusal: str  # federal | narrower | none | unknown: may a client's own request be refused on the ground of danger
    basis: Basis
    note: str | None = None  # the state's own words on access (other grounds to refuse, another remedy)


@dataclass(frozen=True)
class AfterDeath:
    """Who decides about a client's records after the client dies, for this clinician."""

    who: str  # personal_representative | ..._or_family | ..._or_beneficiary | unknown (an adult client)
    who_minor: str  # the same, or parent_or_guardian (a client who dies as a minor)
    state_silent: bool  # the state's law was searched and says nothing: only the federal rule applies
    basis: Basis
    family_copy: tuple[str, ...] = ()  # relatives with their own right to a copy (spouse | parents | children)
    family_copy_minor: tuple[str, ...] = ()  # the same, for a client who dies as a minor

    def decides(self, minor: bool) -> str:
        """Who decides, for an adult client or (``minor``) for a minor."""
        return self.who_minor if minor else self.who

    def copies(self, minor: bool) -> tuple[str, ...]:
        """The relatives the state lets get a copy of the records, for an adult client or (``minor``) a minor."""
        return self.family_copy_minor if minor else self.family_copy


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
    form_changes: tuple[str, ...] = ()  # how it changes the release form itself (calendar_end_date)


@dataclass(frozen=True)
class FederalRule:
    """A federal rule: its facts (numbers, names) and basis."""

    name: str
    facts: dict[str, str]
    basis: Basis


@dataclass(frozen=True)
class SupervisedTitle:
    """A title the state's law gives a clinician of this profession who may practice only under supervision."""

    title: str
    abbreviations: tuple[str, ...]
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
    self_harm: SelfHarm
    child: ChildReporting
    elder: ElderReporting
    minors: Minors
    records: Records
    access_deadline: AccessDeadline
    after_death: AfterDeath
    board: Board | None
    disclosures: tuple[Disclosure, ...]
    required_content: tuple[RequiredContent, ...]
    release_requirements: tuple[Disclosure, ...] = ()

    @property
    def release_form_changes(self) -> frozenset[str]:
        """What the state's release requirements change on the release form itself."""
        return frozenset(change for item in self.release_requirements for change in item.form_changes)
    language: str = "en"  # the language of the client-facing strings (name, notes, titles, texts)
    federal: dict[str, FederalRule] = field(default_factory=dict)
    supervised_titles: tuple[SupervisedTitle, ...] = ()  # for this profession; for warnings, never printed

    def bases(self) -> dict[str, Basis]:
        """The basis of each state rule, by its data name."""
        return {"duty_to_protect": self.duty.basis, "self_harm": self.self_harm.basis,
                "child_abuse_reporting": self.child.basis,
                "elder_abuse_reporting": self.elder.basis, "age_of_majority": self.minors.majority_basis,
                "minors": self.minors.basis, "records": self.records.basis,
                "access_deadline": self.access_deadline.basis,
                "records_after_death": self.after_death.basis}
