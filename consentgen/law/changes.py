"""Law-change tracking: what a form rested on, and what has changed in the data since.

Each resolved rule has a content hash and a hash per field (``Basis.fields``). A form's record
keeps them; comparing a record with today's resolved rules names every rule whose content
changed, every rule that no longer applies and every new one that now would.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from consentgen.law.view import Basis, LawView
from consentgen.law.vocabulary import RULE_WORDS


def all_bases(law: LawView) -> list[Basis]:
    """Every rule a form for this view can rest on: state rules, disclosures, required content, federal."""
    found = list(law.bases().values())
    found += [d.basis for d in law.disclosures] + [r.basis for r in law.required_content]
    found += [d.basis for d in law.release_requirements]
    found += [f.basis for f in law.federal.values()]
    return [b for b in found if b.key]


def rules_record(bases: Iterable[Basis]) -> dict[str, Any]:
    """The part of a form's record that says what each rule it rests on said."""
    return {b.key: {"hash": b.content_hash, "fields": dict(b.fields), "values": dict(b.values),
                    "verified_on": b.verified_on.isoformat(), "status": b.status} for b in bases if b.key}


@dataclass(frozen=True)
class Change:
    """One rule that differs between a form's record and today's data."""

    key: str
    kind: str  # changed | removed | added
    fields: tuple[str, ...] = ()
    verified_on: str = ""
    values: tuple[tuple[str, str, str], ...] = ()  # (field, old, new) as JSON, "" where a side was not recorded

    def summary(self) -> str:
        """One plain line: 'US-OH minors' consent: consent_age changed (rule verified 2027-03-01)'."""
        code, _, name = self.key.partition(":")
        title = RULE_WORDS.get(name, name.replace("other_disclosures:", "disclosure ").replace(
            "required_content:", "required content ").replace("_", " "))
        if self.kind == "removed":
            return f"{code} {title}: no longer applies to this form"
        if self.kind == "added":
            return f"{code} {title}: a rule that now applies (verified {self.verified_on})"
        what = ", ".join(f.replace("_", " ") for f in self.fields) or "content"
        return f"{code} {title}: {what} changed (rule verified {self.verified_on})"

    def value_lines(self) -> list[str]:
        """One line per changed field whose values are recorded: 'session limit: 8 -> 12'."""
        lines = []
        for name, old, new in self.values:
            if old or new:
                lines.append(f"{name.replace('_', ' ')}: {_shown(old)} -> {_shown(new)}")
        return lines


def _shown(text: str) -> str:
    """A recorded JSON value as a person reads it: 12, unknown, warn victim, notify police; '(not recorded)'."""
    if not text:
        return "(not recorded)"
    value = json.loads(text)
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value.replace("_", " ")
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return ", ".join(str(v).replace("_", " ") for v in value) or "none"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _values(names: Iterable[str], before: dict[str, Any], after: dict[str, Any]) -> tuple[tuple[str, str, str], ...]:
    return tuple((n, str(before.get(n, "")), str(after.get(n, ""))) for n in names if n != "review status")


def compare(record: dict[str, Any], law: LawView, cited: set[str] | None = None) -> list[Change]:
    """Each difference between ``record`` (a form's rules) and today's rules for the same practice.

    ``cited``: the kinds of key (state lists, rules every edition cites) a form could newly rest on; a new key of
    another kind is not its change (default: the state lists).
    """
    now = {b.key: b for b in all_bases(law)}
    changes = []
    for key, old in record.items():
        basis = now.get(key)
        if basis is None:
            changes.append(Change(key, "removed"))
        elif basis.content_hash != old.get("hash"):
            fields = dict(basis.fields)
            before = old.get("fields") or {}
            names = tuple(sorted(n for n in set(fields) | set(before) if fields.get(n) != before.get(n)))
            changes.append(Change(key, "changed", names, basis.verified_on.isoformat(),
                                  _values(names, old.get("values") or {}, dict(basis.values))))
    for key, basis in now.items():
        prefix = key.split(":", 1)[1].split(":", 1)[0]
        wanted = prefix in ("other_disclosures", "required_content", "release_requirements") if cited is None \
            else prefix in cited
        if key not in record and wanted:
            changes.append(Change(key, "added", (), basis.verified_on.isoformat()))
    return changes


def diff_records(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Each difference between two forms' rule records (an earlier form and the one made to replace it)."""
    changes = []
    for key, old in before.items():
        new = after.get(key)
        if not isinstance(old, dict):
            continue
        if new is None:
            changes.append(Change(key, "removed"))
            continue
        was, now = old.get("fields") or {}, new.get("fields") or {}
        names = sorted(n for n in set(was) | set(now) if was.get(n) != now.get(n))
        if old.get("status") != new.get("status"):
            names.append("review status")
        if names or old.get("hash") != new.get("hash"):
            changes.append(Change(key, "changed", tuple(names), str(new.get("verified_on", "")),
                                  _values(names, old.get("values") or {}, new.get("values") or {})))
    changes += [Change(key, "added", (), str(new.get("verified_on", ""))) for key, new in after.items()
                if key not in before]
    return changes
