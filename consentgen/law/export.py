"""The public JSON shape of jurisdictions (`consentgen jurisdictions --json`) and each rule's fields."""

from __future__ import annotations

from typing import Any

from consentgen.law.load import Jurisdiction, unknowns

# Rule name -> (heading, fields shown and exported, in order). Citations, sources and the
# verified date follow every rule's fields.
RULE_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "duty_to_protect": ("Threats to others (duty to protect)", ("kind", "trigger", "discharge", "by_profession")),
    "child_abuse_reporting": ("Child abuse and neglect reporting", ("reporters", "threshold", "report_to")),
    "elder_abuse_reporting": ("Elder and dependent adult abuse reporting",
                              ("kind", "covers", "elder_age", "report_to", "by_profession")),
    "minors": ("Minors' consent", ("consent_age", "session_limit", "parent_involvement", "by_profession")),
    "records": ("Record keeping", ("retention",)),
}


def _cited(j: Jurisdiction, rule: dict[str, Any]) -> dict[str, Any]:
    return {
        "citations": list(rule.get("citations", [])),
        "sources": [{"label": j.sources[s]["label"], "url": j.sources[s]["url"]} for s in rule.get("sources", [])],
        "verified_on": rule["verified_on"].isoformat(),
    }


def _rule(j: Jurisdiction, name: str) -> dict[str, Any]:
    rule = j.data[name]
    out: dict[str, Any] = {}
    for field in RULE_FIELDS[name][1]:
        out[field] = rule.get(field)
        if (name, field) == ("minors", "consent_age"):  # integer or null; the flag tells the two nulls apart
            out[field] = None if rule[field] in (None, "unknown") else rule[field]
            out["consent_age_known"] = rule[field] != "unknown"
    return {**out, **_cited(j, rule)}


def jurisdiction_json(j: Jurisdiction) -> dict[str, Any]:
    """The public JSON shape of one jurisdiction (see the README)."""
    d = j.data
    return {
        "code": j.code,
        "name": j.name,
        "verified_on": j.verified_on.isoformat(),
        "paper": j.paper,
        "sources": [{"label": s["label"], "url": s["url"], "type": s["type"]} for s in d["sources"].values()],
        **{name: _rule(j, name) for name in RULE_FIELDS},
        "boards": {k: {"name": v["name"], "url": v["url"]} for k, v in d["boards"].items()},
        "other_disclosures": [
            {"id": o["id"], "title": o["title"], "applies_to": o["applies_to"], **_cited(j, o)}
            for o in d["other_disclosures"]
        ],
        "unknowns": unknowns(j),
    }
