"""What a state's rules require the document to contain, against what this document holds.

The state data says which content elements a rule requires (``required_content``); the
document's manifest says which it always carries, which it words itself when a rule asks,
and which it fills from an answers field. This module matches the two for one practice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from consentgen.documents.manifest import Manifest
from consentgen.law.view import LawView, RequiredContent
from consentgen.model.practice import Practice


@dataclass(frozen=True)
class ContentGap:
    """An element a state rule requires that this document does not carry for this practice."""

    rule: RequiredContent
    element: str
    field: str | None  # the answers field that would fill it, or None if this document cannot hold it


def answer(practice: Practice, field: str) -> Any:
    """The value of a dotted answers field (``policies.fees``), or None."""
    value: Any = practice
    for part in field.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def required_elements(law: LawView) -> frozenset[str]:
    """Every element some applicable rule requires."""
    return frozenset(e for rule in law.required_content for e in rule.elements)


def worded(manifest: Manifest, law: LawView) -> frozenset[str]:
    """The elements the document words itself because a rule here asks for them."""
    return manifest.when_required & required_elements(law)


def gaps(manifest: Manifest, law: LawView, practice: Practice) -> tuple[ContentGap, ...]:
    """Each required element the document will not carry, and the answers field that would fill it."""
    fields = dict(manifest.from_answers)
    found = []
    for rule in law.required_content:
        for element in rule.elements:
            if element in manifest.always or element in manifest.when_required:
                continue
            field = fields.get(element)
            if field is None or answer(practice, field) in (None, ""):
                found.append(ContentGap(rule, element, field))
    return tuple(found)
