"""Build the consent form: choose sections and resolve the rules for one practice.

Why here and not in the templates: which sections appear, and which rule applies to
this clinician's profession, are decisions worth testing without rendering anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from consentgen.model.practice import Practice
from consentgen.law.load import Jurisdiction

SECTION_ORDER: tuple[str, ...] = (
    "key_points", "about_me", "privacy", "limits", "sharing", "insurance", "couples_family",
    "group", "minors", "telehealth", "electronic", "recording", "records", "concerns",
    "crisis", "signatures", "references",
)
OPTIONAL_SECTIONS = {
    "insurance": "insurance", "couples_family": "couples_family", "group": "group",
    "minors": "minors", "telehealth": "telehealth",
}


@dataclass(frozen=True)
class Signer:
    """A signature block: who signs, and a stable field name for the PDF form."""

    key: str
    role: str


@dataclass(frozen=True)
class Reference:
    """The citations and sources behind one topic of the form."""

    topic: str
    citations: tuple[str, ...]
    sources: tuple[dict[str, str], ...]
    verified_on: dt.date
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class ConsentForm:
    """Everything a template needs, decided and resolved; templates see only this."""

    practice: Practice
    jurisdiction: Jurisdiction
    state: dict[str, Any]
    federal: dict[str, Any]
    sections: tuple[str, ...]
    date: dt.date
    verified_on: dt.date
    version: str
    fingerprint: str
    duty_kind: str
    elder_kind: str
    minor_consent_age: int | str | None
    board: dict[str, Any] | None
    retention: tuple[dict[str, Any], ...]
    disclosures: tuple[dict[str, Any], ...]
    signers: tuple[Signer, ...]
    references: tuple[Reference, ...]
    source_list: tuple[dict[str, str], ...]
    paper: str
    logo: str | None = None
    accent_color: str | None = None
    lang: str = "en-US"

    @property
    def title(self) -> str:
        """The document title (also the PDF title)."""
        return f"Consent for Services and Limits of Confidentiality - {self.practice.practice.name}"

    def note(self, rule: dict[str, Any]) -> str | None:
        """A rule's client note, if it has one that applies to this clinician's profession."""
        text = rule.get("client_note")
        only = rule.get("client_note_for") or []
        if not text or (only and self.practice.clinician.profession not in only):
            return None
        return str(text)


def _applies(disclosure: dict[str, Any], practice: Practice) -> bool:
    applies = disclosure.get("applies_to") or {}
    services = applies.get("services") or []
    professions = applies.get("professions") or []
    if services and not any(getattr(practice.services, s) for s in services):
        return False
    return not (professions and "all" not in professions and practice.clinician.profession not in professions)


def _retention(state: dict[str, Any], profession: str) -> tuple[dict[str, Any], ...]:
    entries = state["records"]["retention"]
    own = [e for e in entries if profession in e["professions"]]
    return tuple(own or [e for e in entries if "all" in e["professions"]])


def _reference(topic: str, rule: dict[str, Any], layer: Jurisdiction) -> Reference | None:
    if not rule.get("citations"):
        return None
    sources = tuple(layer.sources[s] for s in rule.get("sources", []))
    return Reference(topic, tuple(rule["citations"]), sources, rule["verified_on"])


def fingerprint(practice: Practice, jurisdiction: Jurisdiction, version: str, date: dt.date) -> str:
    """A short hash of everything that decides the form's content."""
    payload = {
        "answers": practice.to_dict(), "date": date.isoformat(), "version": version,
        "rules": jurisdiction.data, "federal": jurisdiction.parent.data if jurisdiction.parent else None,
    }
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def build_form(practice: Practice, jurisdiction: Jurisdiction, *, today: dt.date, version: str,
               logo: str | None = None) -> ConsentForm:
    """Decide the sections, signers, resolved rules and references for ``practice``.

    ``logo`` is the practice logo as a ``data:`` URL (read by the caller), or None.

    Raises:
        ValueError: the jurisdiction is not the practice's (a caller's bug).
    """
    if jurisdiction.code != practice.jurisdiction.upper():
        raise ValueError(f"form for {practice.jurisdiction} built with rules for {jurisdiction.code}")
    if jurisdiction.parent is None:
        raise ValueError("a state jurisdiction needs its federal layer")
    state, federal = jurisdiction.data, jurisdiction.parent.data
    services = practice.services
    sections = tuple(
        name for name in SECTION_ORDER
        if name not in OPTIONAL_SECTIONS or getattr(services, OPTIONAL_SECTIONS[name])
    )
    profession = practice.clinician.profession

    def for_profession(rule: str, key: str) -> Any:
        """A rule's value for this clinician: the profession's own entry, else the state's."""
        return state[rule]["by_profession"].get(profession, state[rule][key])

    duty = state["duty_to_protect"]
    disclosures = tuple(d for d in state["other_disclosures"] if _applies(d, practice))

    signers = [Signer("client", "Client")]
    if services.couples_family:
        signers.append(Signer("second_adult", "Second adult (partner or family member)"))
    if services.minors:
        signers.append(Signer("parent_guardian", "Parent or legal guardian (for a client under 18)"))
    signers.append(Signer("clinician", "Clinician"))

    refs: list[Reference | None] = [
        _reference("child_abuse_reporting", state["child_abuse_reporting"], jurisdiction),
        _reference("elder_abuse_reporting", state["elder_abuse_reporting"], jurisdiction),
        _reference("duty_to_protect", duty, jurisdiction),
    ]
    if services.minors:
        refs.append(_reference("minors", state["minors"], jurisdiction))
    refs.append(_reference("records", state["records"], jurisdiction))
    refs += [_reference(f"disclosure:{d['title']}", d, jurisdiction) for d in disclosures]
    fed_topics = ["serious_threat", "abuse_reports", "court_orders", "treatment_payment", "records_access",
                  "psychotherapy_notes", "after_death", "defense", "complaints", "crisis_line"]
    if services.insurance:
        fed_topics.insert(4, "self_pay_restriction")
    refs += [_reference(f"federal:{t}", federal["rules"][t], jurisdiction.parent) for t in fed_topics]

    source_list: list[dict[str, str]] = []
    numbered: list[Reference] = []
    for ref in (r for r in refs if r is not None):
        numbers = []
        for src in ref.sources:
            if src not in source_list:
                source_list.append(src)
            numbers.append(source_list.index(src) + 1)
        numbered.append(Reference(ref.topic, ref.citations, ref.sources, ref.verified_on, tuple(numbers)))

    date = practice.form.date or today
    board = state["boards"].get(profession)
    return ConsentForm(
        practice=practice, jurisdiction=jurisdiction, state=state, federal=federal["rules"],
        sections=sections, date=date, verified_on=jurisdiction.rules_verified_on, version=version,
        fingerprint=fingerprint(practice, jurisdiction, version, date),
        duty_kind=for_profession("duty_to_protect", "kind"),
        elder_kind=for_profession("elder_abuse_reporting", "kind"),
        minor_consent_age=for_profession("minors", "consent_age"), board=board,
        retention=_retention(state, profession), disclosures=disclosures, signers=tuple(signers),
        references=tuple(numbered), source_list=tuple(source_list), paper=jurisdiction.paper, logo=logo,
        accent_color=practice.branding.accent_color,
    )
