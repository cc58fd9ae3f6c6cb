"""Resolving the law: every rule of a jurisdiction, decided for one clinician and client.

``resolve(jurisdiction, profession, client_type)`` returns a ``LawView`` (its shape: ``law/view.py``).
Templates, the CLI reports and the JSON export read only this view, never the raw data, so each rule's
meaning (a profession's own value, the minors' consent kind, the age of majority) is
decided here once. Python still holds no legal facts: every value comes from the data.
"""

from __future__ import annotations

import json
from typing import Any

from consentgen.law.load import Jurisdiction
from consentgen.law.translations import Translator, retention_key
from consentgen.law.view import (
    NEEDS_REVIEW,
    UNKNOWN,
    VERIFIED,
    AccessDeadline,
    AfterDeath,
    AgeBand,
    Basis,
    Board,
    ChildReporting,
    Disclosure,
    Duty,
    ElderReporting,
    FederalRule,
    LawView,
    Minors,
    Records,
    RequiredContent,
    Retention,
    RetentionEntry,
    SelfHarm,
    Source,
    SupervisedTitle,
    short_hash,
)
from consentgen.law.vocabulary import QUESTION_FIELDS


def _status(rule: dict[str, Any], known: bool) -> tuple[str, str | None]:
    if not known:
        return UNKNOWN, rule.get("notes")
    if rule.get("status") == NEEDS_REVIEW:
        return NEEDS_REVIEW, rule.get("review_reason")
    return VERIFIED, None


NOT_CONTENT = ("notes", "review_reason", "verified_on", "sources", "open_questions", "cites_by_profession")


# Fields added after forms were first recorded: left out of a rule's hashes while empty, so a form made before
# them is not reported as changed by their arrival.
LATER_FIELDS = ("by_profession_fields", "parent_records_by_age", "threat_terms", "may_tell_by_profession",
                "kind_by_profession")


def _content(rule: dict[str, Any]) -> list[tuple[str, Any]]:
    """The fields of a rule that say what it says, as (name, value), in order."""
    out = []
    for name, value in sorted(rule.items()):
        if name in NOT_CONTENT or (name in LATER_FIELDS and not value):
            continue
        if name == "retention":  # an entry's own empty citation lists were added later too
            value = [{k: v for k, v in e.items() if v or k not in ("citations", "sources")} for e in value]
        out.append((name, value))
    return out


SHOWN_VALUE = 160  # characters of JSON: a rule's longer values (per-profession tables) are kept as hashes only


_hash = short_hash
# A rule's hashed fields and short values, by the rule's identity: loaded law data is never changed in place,
# and a report or a batch resolves the same rules hundreds of times. The rule is kept beside its entry, so an
# identity is never reused while the entry lives; the oldest entries go first past the bound.
_DIGESTS: dict[int, tuple[dict[str, Any], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {}
_DIGESTS_MAX = 4096


def _digest(rule: dict[str, Any]) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(field, hash) of every content field, and (field, JSON) of those short enough to show."""
    cached = _DIGESTS.get(id(rule))
    if cached is not None and cached[0] is rule:
        return cached[1], cached[2]
    content = _content(rule)
    fields = tuple((name, _hash(value)) for name, value in content)
    values = tuple((name, text) for name, text in ((n, json.dumps(v, sort_keys=True, default=str, ensure_ascii=False))
                                                   for n, v in content) if len(text) <= SHOWN_VALUE)
    if len(_DIGESTS) >= _DIGESTS_MAX:
        del _DIGESTS[next(iter(_DIGESTS))]
    _DIGESTS[id(rule)] = (rule, fields, values)
    return fields, values


def _basis(rule: dict[str, Any], layer: Jurisdiction, *, known: bool = True, key: str = "",
           profession: str | None = None, cited: tuple[list[str], list[str]] | None = None,
           asked: tuple[str, ...] = ()) -> Basis:
    """A rule's basis for ``profession``: its own citations (``cites_by_profession``) where it has them.

    ``cited``: (citations, source ids) that replace the rule's own (a records entry's). ``asked``: the fields
    whose value for this profession is 'unknown', each named with its open question.
    """
    status, reason = _status(rule, known)
    fields, values = _digest(rule)
    key = f"{layer.code}:{key}" if key else ""
    own = (rule.get("cites_by_profession") or {}).get(profession) if profession else None
    citations, ids = cited or ((own["citations"], own["sources"]) if own else
                               (rule.get("citations", []), rule.get("sources", [])))
    sources = tuple(Source(sid, layer.sources[sid]["label"], layer.sources[sid]["url"], layer.sources[sid]["type"],
                           read_in_text(layer.sources[sid]))
                    for sid in ids)
    questions = tuple((f, str((rule.get("open_questions") or {}).get(f, ""))) for f in asked)
    if not known:  # unknown here (for this profession): never cite a rule for someone it may not govern
        return Basis((), (), rule["verified_on"], status, reason, key, fields, questions, values)
    return Basis(tuple(citations), sources, rule["verified_on"], status, reason, key, fields, questions, values)


def _for(rule: dict[str, Any], profession: str | None, key: str, table: str = "by_profession") -> Any:
    """A rule's value for this profession: the profession's own entry in ``table``, else the state's."""
    return (rule.get(table) or {}).get(profession, rule[key])


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


def _own_fields(rule: dict[str, Any], profession: str | None) -> dict[str, Any]:
    """The profession's own values of a rule's fields (``by_profession_fields``), only those it sets."""
    own = (rule.get("by_profession_fields") or {}).get(profession) or {} if profession else {}
    return {k: v for k, v in own.items() if v is not None}


def _duty(rule: dict[str, Any], profession: str | None, layer: Jurisdiction, tr: Translator) -> Duty:
    kind = _for(rule, profession, "kind")
    value = {**rule, **_own_fields(rule, profession)}
    options = tuple(tuple(o) for o in value.get("discharge_options") or ())
    how = value.get("discharge_how", "unknown")
    steps = tuple(value.get("discharge") or ())
    limited_to = rule.get("discharge_for") or []
    if limited_to and profession not in limited_to:  # the steps come from a statute that does not name them
        steps, options, how = (), (), "unknown"
    trigger = value["trigger"]
    return Duty(kind=kind, trigger=trigger, imminent=value.get("imminent"),
                threat_terms=tuple(value.get("threat_terms") or ()), framing=value.get("framing") or "duty",
                discharge=steps, discharge_how=how, discharge_options=options,
                note=_note(rule, profession, "duty_to_protect", tr),
                basis=_basis(rule, layer, known=kind != "unknown", key="duty_to_protect", profession=profession,
                             asked=("trigger",) if trigger == "unknown" and kind in ("mandatory", "permissive")
                             else ()))


def _self_harm(rule: dict[str, Any], profession: str | None, layer: Jurisdiction, tr: Translator) -> SelfHarm:
    kind = _for(rule, profession, "kind", "kind_by_profession")
    may_tell = _for(rule, profession, "may_tell", "may_tell_by_profession")
    condition = _for(rule, profession, "condition", "condition_by_profession") if kind == "permissive" else "none"
    return SelfHarm(kind=kind, may_tell=tuple(may_tell) if kind != "unknown" else (), condition=condition,
                    note=_note(rule, profession, "self_harm", tr),
                    basis=_basis(rule, layer, known=kind != "unknown", key="self_harm", profession=profession))


def _child(rule: dict[str, Any], profession: str | None, layer: Jurisdiction, tr: Translator) -> ChildReporting:
    excused = profession in (rule.get("privileged_excused_for") or [])
    capacity = _own_fields(rule, profession).get("capacity", rule["capacity"])
    return ChildReporting(reporters=rule["reporters"], threshold=rule["threshold"],
                          report_to=tuple(rule.get("report_to") or ()), capacity=capacity,
                          privileged_excused=excused, note=_note(rule, profession, "child_abuse_reporting", tr),
                          includes_likely=bool(rule.get("includes_likely")),
                          basis=_basis(rule, layer, known=rule["reporters"] != "unknown", key="child_abuse_reporting",
                                       profession=profession, asked=("capacity",) if capacity == "unknown"
                                       else ()))


def _elder(rule: dict[str, Any], profession: str | None, layer: Jurisdiction, tr: Translator) -> ElderReporting:
    kind = _for(rule, profession, "kind")
    return ElderReporting(kind=kind, covers=tuple(rule.get("covers") or ()), elder_age=rule.get("elder_age"),
                          elder_condition=rule.get("elder_condition"), report_to=tuple(rule.get("report_to") or ()),
                          report_to_how=rule.get("report_to_how", "unknown"), scope=rule.get("scope") or "any",
                          threshold=rule.get("threshold") or "suspicion",
                          privileged_excused=profession in (rule.get("privileged_excused_for") or []),
                          note=_note(rule, profession, "elder_abuse_reporting", tr),
                          basis=_basis(rule, layer, known=kind != "unknown", key="elder_abuse_reporting",
                                       profession=profession))


def _minors(rule: dict[str, Any], majority: dict[str, Any], profession: str | None, layer: Jurisdiction,
            tr: Translator) -> Minors:
    consent, age = consent_kind(_for(rule, profession, "consent_age"))
    own = _own_fields(rule, profession)
    value = {k: own.get(k) or rule.get(k) or "unknown"
             for k in ("parent_involvement", "parent_told", "parent_records", "parent_signs")}
    alone_records = own.get("parent_records_when_minor_consents") or rule.get("parent_records_when_minor_consents")
    bands = () if own.get("parent_records") else tuple(
        AgeBand(b.get("from_age"), b.get("to_age"), b["access"]) for b in rule.get("parent_records_by_age") or ())
    asked = tuple(k for k in QUESTION_FIELDS["minors"] if value[k] == "unknown"
                  and not (k == "parent_records" and bands))
    return Minors(consent=consent, consent_age=age, age_of_majority=majority["age"],
                  session_limit=rule.get("session_limit"), consent_scope=rule.get("consent_scope"),
                  conditions=rule.get("conditions"),
                  parent_involvement=value["parent_involvement"], parent_told=value["parent_told"],
                  parent_records=value["parent_records"], parent_records_by_age=bands,
                  parent_signs=value["parent_signs"], parent_records_when_minor_consents=alone_records,
                  note=_note(rule, profession, "minors", tr),
                  basis=_basis(rule, layer, known=consent != "unknown", key="minors", profession=profession,
                               asked=asked),
                  majority_basis=_basis(majority, layer, key="age_of_majority", profession=profession))


def _records(rule: dict[str, Any], profession: str | None, layer: Jurisdiction, tr: Translator) -> Records:
    entries = rule.get("retention") or []
    own = [e for e in entries if profession in e["professions"]]
    chosen = own or [e for e in entries if "all" in e["professions"]]
    if profession is None:  # the state's general view (reports): known when any entry is
        chosen = list(entries)
    cited = None
    if chosen and all(e.get("citations") for e in chosen):  # cite only the entries that govern this profession
        cited = ([c for e in chosen for c in e["citations"]], [s for e in chosen for s in e.get("sources") or []])
        cited = (list(dict.fromkeys(cited[0])), list(dict.fromkeys(cited[1])))
    basis = _basis(rule, layer, known=bool(chosen), key="records", profession=profession, cited=cited)
    table = tuple(RetentionEntry(tuple(e["professions"]), e["years"], e.get("minors"), e.get("summary"),
                                 e.get("counted_from") or "last_session") for e in entries)
    return Records(tuple(Retention(e["years"], _retention_text(e, "minors", tr), _retention_text(e, "summary", tr),
                                   e.get("counted_from") or "last_session") for e in chosen), table, basis)


def _access_deadline(rule: dict[str, Any], profession: str | None, layer: Jurisdiction,
                     tr: Translator) -> AccessDeadline:
    value = {**rule, **_own_fields(rule, profession)}
    kind = value["kind"]
    return AccessDeadline(kind=kind, days=value.get("days"), unit=value.get("unit") or "days",
                          refusal=value["refusal"],
                          basis=_basis(rule, layer, known=kind != "unknown", key="access_deadline",
                                       profession=profession),
                          note=_note(rule, profession, "access_deadline", tr))


def _after_death(rule: dict[str, Any], profession: str | None, layer: Jurisdiction) -> AfterDeath:
    value = {**rule, **_own_fields(rule, profession)}
    who, who_minor = value["who"], value["who_minor"]
    asked = ("who_minor",) if who_minor == "unknown" != who else ()
    kin = tuple(value.get("family_copy") or ()) if who != "unknown" else ()
    kin_minor = tuple(value["family_copy_minor"]) if value.get("family_copy_minor") is not None else kin
    return AfterDeath(who=who, who_minor=who_minor, state_silent=bool(rule.get("state_silent")),
                      family_copy=kin, family_copy_minor=kin_minor if who_minor != "unknown" else (),
                      basis=_basis(rule, layer, known=who != "unknown", key="records_after_death",
                                   profession=profession, asked=asked))


def _retention_text(entry: dict[str, Any], field: str, tr: Translator) -> str | None:
    """A retention entry's client text (``minors`` or ``summary``), in the form's language."""
    if not entry.get(field):
        return None
    return tr(retention_key(entry, field), entry[field])


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
                       _basis(d, jurisdiction, key=f"{group}:{d['id']}", profession=profession), d["title"],
                       tuple(d.get("form_changes") or ()))
            for d in data[group] if _applies(d, profession, services))

    disclosures = listed("other_disclosures", "client_text")
    return LawView(
        code=jurisdiction.code, name=tr("name", jurisdiction.name), paper=jurisdiction.paper,
        verified_on=jurisdiction.rules_verified_on, profession=profession,
        duty=_duty(data["duty_to_protect"], profession, jurisdiction, tr),
        self_harm=_self_harm(data["self_harm"], profession, jurisdiction, tr),
        child=_child(data["child_abuse_reporting"], profession, jurisdiction, tr),
        elder=_elder(data["elder_abuse_reporting"], profession, jurisdiction, tr),
        minors=_minors(data["minors"], data["age_of_majority"], profession, jurisdiction, tr),
        records=_records(data["records"], profession, jurisdiction, tr),
        access_deadline=_access_deadline(data["access_deadline"], profession, jurisdiction, tr),
        after_death=_after_death(data["records_after_death"], profession, jurisdiction),
        board=Board(board["name"], board["url"]) if board else None,
        disclosures=disclosures,
        required_content=tuple(
            RequiredContent(r["id"], tr(f"required_content.{r['id']}.title", r["title"]), tuple(r["elements"]),
                            r["separate_document"],
                            _basis(r, jurisdiction, key=f"required_content:{r['id']}", profession=profession),
                            r["title"])
            for r in data["required_content"] if _applies(r, profession, services)),
        release_requirements=listed("release_requirements", "client_text"),
        language=language,
        federal={name: FederalRule(name, _federal_facts(name, rule, ftr), _basis(rule, federal, key=name))
                 for name, rule in federal.data["rules"].items()},
        supervised_titles=tuple(
            SupervisedTitle(t["title"], tuple(t.get("abbreviations") or ()),
                            _basis(t, jurisdiction, key=f"supervised_titles:{i}", profession=profession))
            for i, t in enumerate(data.get("supervised_titles") or []) if t["profession"] == profession),
    )


def read_in_text(source: dict[str, Any]) -> str:
    """Where a source's text was read when that was a verbatim copy: "URL (text as of DATE)"."""
    copy = source.get("read_in")
    return f"{copy['url']} (text as of {copy['as_of'].isoformat()})" if copy else ""
