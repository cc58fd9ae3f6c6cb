"""The review report's data: facts still unknown, and the kind of evidence behind each rule."""

from __future__ import annotations

from typing import Any

from consentgen.law.load import Jurisdiction
from consentgen.law.schema import PROFESSION_KEYS
from consentgen.law.vocabulary import CORE_RULES, QUESTION_FIELDS, RULE_NAMES, is_unknown


def unknowns(jurisdiction: Jurisdiction) -> list[str]:
    """Field paths whose value is 'unknown' or missing, for the review report."""
    data = jurisdiction.data
    found: list[str] = []
    if "rules" in data:
        return found
    for name in RULE_NAMES:
        found += _rule_unknowns(name, data[name])
    for prof in PROFESSION_KEYS:
        if prof not in data["boards"]:
            found.append(f"boards.{prof}")
    return found


def _rule_unknowns(name: str, rule: dict[str, Any]) -> list[str]:
    """One rule's unknown paths: the rule itself, its open fields, and its per-profession values."""
    found = [name] if is_unknown(name, rule) else []
    for key in ("threshold", "parent_involvement", *(k for keys in QUESTION_FIELDS.values() for k in keys)):
        if key == "trigger" and rule.get("kind") == "none":
            continue  # no duty, so no trigger to state
        if key == "parent_records" and rule.get("parent_records_by_age"):
            continue  # set by age band
        if rule.get(key) == "unknown" and not is_unknown(name, rule):
            found.append(f"{name}.{key}")
    for prof, values in (rule.get("by_profession_fields") or {}).items():
        found += [f"{name}.by_profession_fields.{prof}.{k}" for k, v in values.items() if v == "unknown"]
    found += [f"{name}.by_profession.{prof}" for prof, value in (rule.get("by_profession") or {}).items()
              if value == "unknown"]
    return found


def _named_rules(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The state's core rules by name, then its disclosures as ``other:ID``."""
    return [(n, data[n]) for n in RULE_NAMES] + [(f"other:{d['id']}", d) for d in data["other_disclosures"]]


def evidence(jurisdiction: Jurisdiction) -> dict[str, str]:
    """For each rule: 'primary' (a statute, rule or opinion text was read), 'secondary' or 'unknown'."""
    result: dict[str, str] = {}
    for name, rule in _named_rules(jurisdiction.data):
        base = name if name in RULE_NAMES else "other"
        if base != "other" and is_unknown(base, rule):
            result[name] = "unknown"
            continue
        types = {jurisdiction.sources[s]["type"] for s in rule.get("sources", [])}
        result[name] = "primary" if "primary" in types else "secondary"
    return result


def needs_review(jurisdiction: Jurisdiction) -> list[str]:
    """Rules whose data says they were not fully verified (``status: needs_review``); unknown rules are counted
    as unknown, not here."""
    return [name for name, rule in _named_rules(jurisdiction.data) if rule.get("status") == "needs_review"
            and not (name in RULE_NAMES and is_unknown(name, rule))]


CORE_PROFESSIONS = ("psychologist", "counselor", "social_worker", "marriage_family_therapist")


def core_unknowns(jurisdiction: Jurisdiction) -> dict[str, list[str]]:
    """For each core profession: the core rules (duty, child, elder, minors) still unknown for it."""
    from consentgen.law.resolve import resolve

    result: dict[str, list[str]] = {}
    for prof in CORE_PROFESSIONS:
        bases = resolve(jurisdiction, prof).bases()
        result[prof] = [name for name in CORE_RULES if bases[name].status == "unknown"]
    return result
