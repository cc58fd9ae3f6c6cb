"""The public JSON shape of jurisdictions (`consentgen jurisdictions --json`), read from the resolved view."""

from __future__ import annotations

from typing import Any

from consentgen.law.load import Jurisdiction
from consentgen.law.resolve import consent_code, read_in_text, resolve
from consentgen.law.review import unknowns
from consentgen.law.reviews import read_review
from consentgen.law.view import Basis, LawView
from consentgen.model.practice import PROFESSIONS, SERVICES


def _cited(basis: Basis) -> dict[str, Any]:
    return {
        "citations": list(basis.citations),
        "sources": [{"label": s.label, "url": s.url, "type": s.type, **({"read_in": s.read_in} if s.read_in else {})}
                    for s in basis.sources],
        "verified_on": basis.verified_on.isoformat(),
        "status": basis.status,
        **({"review_reason": basis.review_reason} if basis.review_reason and basis.status != "verified" else {}),
        **({"open_questions": dict(basis.questions)} if basis.questions else {}),
    }


def _differs(general: Any, views: dict[str, LawView], value: Any) -> dict[str, Any]:
    """Each profession's value where it differs from the state's general one."""
    out = {prof: value(view) for prof, view in views.items()}
    return {prof: v for prof, v in out.items() if v != value(general)}


def rules_json(general: LawView, views: dict[str, LawView]) -> dict[str, dict[str, Any]]:
    """Every state rule's fields, as the JSON shows them."""
    d, c, e, m, r = general.duty, general.child, general.elder, general.minors, general.records
    minors_code = consent_code(m.consent, m.consent_age)
    return {
        "duty_to_protect": {
            "kind": d.kind, "trigger": d.trigger, "discharge": list(d.discharge),
            "by_profession": _differs(general, views, lambda v: v.duty.kind),
            "discharge_how": d.discharge_how, "discharge_options": [list(o) for o in d.discharge_options],
            "imminent": d.imminent, "threat_terms": list(d.threat_terms), "framing": d.framing,
            **_cited(d.basis),
        },
        "self_harm": {
            "kind": general.self_harm.kind, "may_tell": list(general.self_harm.may_tell),
            "by_profession": _differs(general, views, lambda v: list(v.self_harm.may_tell)),
            "condition": general.self_harm.condition,
            "condition_by_profession": _differs(general, views, lambda v: v.self_harm.condition),
            **_cited(general.self_harm.basis),
        },
        "child_abuse_reporting": {
            "reporters": c.reporters, "threshold": c.threshold, "report_to": list(c.report_to),
            "capacity": c.capacity, "includes_likely": c.includes_likely,
            "privileged_excused_for": [p for p, v in views.items() if v.child.privileged_excused],
            **_cited(c.basis),
        },
        "elder_abuse_reporting": {
            "kind": e.kind, "covers": list(e.covers), "elder_age": e.elder_age, "report_to": list(e.report_to),
            "by_profession": _differs(general, views, lambda v: v.elder.kind),
            "elder_condition": e.elder_condition, "report_to_how": e.report_to_how, "scope": e.scope,
            "threshold": e.threshold,
            "privileged_excused_for": [p for p, v in views.items() if v.elder.privileged_excused],
            **_cited(e.basis),
        },
        "age_of_majority": {"age": m.age_of_majority, **_cited(m.majority_basis)},
        "minors": {
            "consent_age": None if minors_code in (None, "unknown") else minors_code,
            "consent_age_known": m.consent != "unknown",
            "consent": m.consent,
            "session_limit": m.session_limit, "consent_scope": m.consent_scope,
            "parent_involvement": m.parent_involvement,
            "parent_told": m.parent_told, "parent_records": m.parent_records,
            "parent_records_by_age": [{"from_age": b.from_age, "to_age": b.to_age, "access": b.access}
                                      for b in m.parent_records_by_age],
            "parent_signs": m.parent_signs,
            "by_profession": _differs(general, views, lambda v: consent_code(v.minors.consent, v.minors.consent_age)),
            "by_profession_fields": _differs(general, views, lambda v: {
                "parent_involvement": v.minors.parent_involvement, "parent_told": v.minors.parent_told,
                "parent_records": v.minors.parent_records, "parent_signs": v.minors.parent_signs}),
            **_cited(m.basis),
        },
        "records": {
            "retention": [{"professions": list(x.professions), "years": x.years,
                           **({"minors": x.minors} if x.minors else {}),
                           **({"summary": x.summary} if x.summary else {}),
                           "counted_from": x.counted_from} for x in r.table],
            **_cited(r.basis),
            # What each profession's form cites (only its own retention entries' rules).
            "by_profession": {prof: {"citations": list(v.records.basis.citations)} for prof, v in views.items()
                              if v.records.basis.citations != r.basis.citations},
        },
        "access_deadline": {
            "kind": general.access_deadline.kind, "days": general.access_deadline.days,
            "unit": general.access_deadline.unit, "refusal": general.access_deadline.refusal,
            "by_profession_fields": _differs(general, views, lambda v: {
                "kind": v.access_deadline.kind, "days": v.access_deadline.days, "unit": v.access_deadline.unit,
                "refusal": v.access_deadline.refusal}),
            **_cited(general.access_deadline.basis),
        },
        "records_after_death": {
            "who": general.after_death.who, "who_minor": general.after_death.who_minor,
            "state_silent": general.after_death.state_silent,
            "family_copy": list(general.after_death.family_copy),
            "family_copy_minor": list(general.after_death.family_copy_minor),
            "by_profession_fields": _differs(general, views, lambda v: {
                "who": v.after_death.who, "who_minor": v.after_death.who_minor,
                "family_copy": list(v.after_death.family_copy),
                "family_copy_minor": list(v.after_death.family_copy_minor)}),
            **_cited(general.after_death.basis),
        },
    }


def jurisdiction_json(j: Jurisdiction) -> dict[str, Any]:
    """The public JSON shape of one jurisdiction (see the README)."""
    general = resolve(j, None)
    # With every service on, each profession's view also holds every disclosure that can apply to it;
    # the other rules do not depend on services.
    views = {prof: resolve(j, prof, frozenset(SERVICES)) for prof in PROFESSIONS}
    resolved = {
        "other_disclosures": {d.id: d.basis for view in views.values() for d in view.disclosures},
        "required_content": {r.id: r.basis for view in views.values() for r in view.required_content},
        "release_requirements": {d.id: d.basis for view in views.values() for d in view.release_requirements},
    }

    def listed(key: str, *fields: str) -> list[dict[str, Any]]:
        """A state list's entries that apply to some profession, with their citations."""
        return [{"id": item["id"], "title": item["title"], "applies_to": item["applies_to"],
                 **{f: item[f] for f in fields}, **_cited(resolved[key][item["id"]])}
                for item in j.data[key] if item["id"] in resolved[key]]

    return {
        "code": j.code,
        "name": j.name,
        "verified_on": j.verified_on.isoformat(),
        "paper": j.paper,
        "sources": [{"label": s["label"], "url": s["url"], "type": s["type"],
                     **({"read_in": read_in_text(s)} if s.get("read_in") else {})} for s in j.sources.values()],
        **rules_json(general, views),
        "boards": {prof: {"name": v.board.name, "url": v.board.url} for prof, v in views.items() if v.board},
        "other_disclosures": listed("other_disclosures"),
        "required_content": listed("required_content", "elements", "separate_document"),
        "release_requirements": listed("release_requirements"),
        "supervised_titles": [{"profession": prof, "title": t.title, "abbreviations": list(t.abbreviations),
                               **_cited(t.basis)} for prof, v in views.items() for t in v.supervised_titles],
        "unknowns": unknowns(j),
        "review": review.as_json() if (review := read_review(j.code)) else None,
    }
