"""Text for people: the jurisdictions table, one jurisdiction's rules, the review report.

Functions return lines; the CLI prints them. They read the resolved law view and the JSON
export's fields, never the raw files, so a report says what the forms say.
"""

from __future__ import annotations

from typing import Any

from consentgen.checks.review import review_items
from consentgen.documents.document import Document
from consentgen.errors import ConsentgenError
from consentgen.law import load, review
from consentgen.law.export import jurisdiction_json
from consentgen.law.load import Jurisdiction
from consentgen.law.resolve import resolve
from consentgen.law.reviews import read_review
from consentgen.law.vocabulary import CORE_RULES, RULE_TITLES
from consentgen.model.languages import join_prose

CONSENT_SHOWN = {"parent_only": "parent only", "any_age_with_conditions": "any age", "unknown": "unknown"}




def reading_lines(doc: Document) -> list[str]:
    """The reading level of a document in its language, with each section that misses the target."""
    from consentgen.checks.readability import KEY_POINT_TARGETS, MEASURES, TARGETS, form_grades, meets
    from consentgen.model.languages import REGISTRY

    language = doc.language
    easier_up = REGISTRY[language].higher_is_easier
    scores = form_grades(doc)
    sections = {k: v for k, v in scores.items() if k != "(whole form)"}
    harder = (min if easier_up else max)(sections.values()) if sections else scores["(whole form)"]
    target = f"target {'at least' if easier_up else 'at most grade'} {TARGETS[language]:g}, " \
             f"the short version {KEY_POINT_TARGETS[language]:g}"
    lines = [f"Reading level ({MEASURES[language]}): whole form {scores['(whole form)']:.1f}; "
             f"hardest section {harder:.1f} ({target})."]
    below = [(k, v) for k, v in sections.items() if not meets(v, language, k)]
    lines += [f"  {k}: {v:.1f} (misses the target)" for k, v in below]
    return lines


def review_lines(docs: list[Document]) -> list[str]:
    """The review warnings for one practice's documents, each once, naming the editions it concerns.

    A warning that holds for every edition names none; one that holds for some lists them.
    """
    return grouped_review_lines([(doc.law.code, doc.law.profession, doc.client_type, "", review_items(doc))
                                 for doc in docs])


def grouped_review_lines(forms: list[tuple[str, str | None, str | None, str, list[str]]]) -> list[str]:
    """Review warnings for many forms, each printed once per state and profession, naming its editions.

    ``forms``: (jurisdiction code, profession, edition, clinician, warning items) per form. Where forms of
    several clinicians share a warning, the line says how many and who (batch and ``check ROSTER``), so a
    clinic director reads each open question once, not once per clinician.
    """
    from consentgen.model.practice import PROFESSIONS

    found: dict[tuple[str, str], list[str]] = {}
    who_has: dict[tuple[str, str], list[str]] = {}
    editions: dict[str, list[str]] = {}
    for code, profession, edition, clinician, items in forms:
        who = f"{load.name_of(code)}, {PROFESSIONS.get(profession or '', 'clinician')}"
        editions.setdefault(who, []).append(edition or "")
        for item in items:
            found.setdefault((who, item), []).append(edition or "")
            if clinician:
                who_has.setdefault((who, item), []).append(clinician)
    lines = []
    for (who, item), where in found.items():
        where = list(dict.fromkeys(where))
        label = ""
        if set(where) != set(editions[who]) and all(where):
            label = f" ({join_prose(where, 'and', 'en')} edition{'s' if len(where) > 1 else ''})"
        names = list(dict.fromkeys(who_has.get((who, item), [])))
        whose = ""
        if len(names) > 1:
            shown = names if len(names) <= 4 else [*names[:3], f"{len(names) - 3} more"]
            whose = f" [{len(names)} clinicians: {join_prose(shown, 'and', 'en')}]"
        elif names:
            whose = f" [{names[0]}]"
        lines.append(f"Warning: {who}{label}: {item}{whose}")
    return lines


def table_lines(items: list[Jurisdiction]) -> list[str]:
    """The table of ``consentgen jurisdictions``."""
    lines = [f"{'CODE':<7} {'NAME':<22} {'VERIFIED':<11} {'THREATS':<11} {'ELDER':<11} {'MINOR AGE':<12} MAJORITY"]
    for j in items:
        law = resolve(j, None)
        age = CONSENT_SHOWN.get(law.minors.consent, str(law.minors.consent_age))
        lines.append(f"{j.code:<7} {j.name:<22} {j.verified_on.isoformat():<11} {law.duty.kind:<11} "
                     f"{law.elder.kind:<11} {age:<12} {law.minors.age_of_majority}")
    lines.append(f"\n{len(items)} jurisdictions. Details: consentgen jurisdictions show CODE")
    return lines


def _value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
    return "-" if value is None else str(value)


def _rule_lines(title: str, rule: dict[str, Any], notes: str | None) -> list[str]:
    lines = [f"\n{title}"]
    for key, value in rule.items():
        if key in ("citations", "sources", "verified_on", "status", "review_reason", "open_questions"):
            continue
        lines.append(f"  {key.replace('_', ' ')}: {_value(value)}")
    lines += [f"  cite: {c}" for c in rule["citations"]]
    lines += [f"  source{' (secondary)' if s['type'] != 'primary' else ''}: {s['label']} <{s['url']}>"
              + (f"; read in a verbatim copy: {s['read_in']}" if s.get("read_in") else "")
              for s in rule["sources"]]
    lines.append(f"  verified on: {rule['verified_on']}")
    if rule["status"] != "verified":
        lines.append(f"  STATUS: {rule['status'].replace('_', ' ')}"
                     + (f": {rule['review_reason']}" if rule.get("review_reason") else ""))
    for field, question in (rule.get("open_questions") or {}).items():
        lines.append(f"  OPEN: {field.replace('_', ' ')}: {question}")
    if notes:
        lines.append(f"  notes: {' '.join(notes.split())}")
    return lines


def _review_line(review: dict[str, Any] | None) -> str:
    if not review:
        return "Independent review: none recorded yet"
    return (f"Independent review: {review['reviewed_on']}, {review['findings']} findings, {review['fixed']} fixed, "
            f"{review['open']} open (jurisdictions/{review['file']})")


def show_lines(j: Jurisdiction, notes: bool = False) -> list[str]:
    """``consentgen jurisdictions show CODE``: every rule with citations, sources, status and open questions.

    ``notes``: also the maintainers' research notes of each rule (``--notes``).
    """
    data = jurisdiction_json(j)
    lines = [f"{j.code}  {j.name}  (rules verified {j.verified_on.isoformat()}, paper {j.paper})",
             _review_line(data["review"])]
    for name, title in RULE_TITLES.items():
        lines += _rule_lines(title, data[name], j.data[name].get("notes") if notes else None)
    for key, heading, hidden in (("other_disclosures", "Also in", ("id", "title", "applies_to")),
                                 ("required_content", "Required content in", ("id", "title")),
                                 ("release_requirements", "For a release of information in", ("id", "title"))):
        by_id = {raw["id"]: raw.get("notes") for raw in j.data[key]}  # by id: the export lists only those that apply
        for item in data[key]:
            lines += _rule_lines(f"{heading} {j.name}: {item['title']}",
                                 {k: v for k, v in item.items() if k not in hidden},
                                 by_id[item["id"]] if notes else None)
    if not data["release_requirements"]:
        lines.append(f"\nFor a release of information in {j.name}: no state additions recorded (the federal "
                     "authorization rule applies)")
    if data["boards"]:
        lines.append("\nLicensing boards")
        lines += [f"  {prof}: {b['name']} <{b['url']}>" for prof, b in data["boards"].items()]
    unknown = data["unknowns"]
    lines.append(f"\nStill unknown: {', '.join(unknown) if unknown else 'nothing'}")
    if notes and j.parent is not None:  # the federal rules every state shares, where one is not yet confirmed
        open_rules = [(name, rule) for name, rule in j.parent.data["rules"].items() if rule["status"] != "verified"]
        if open_rules:
            lines.append("\nFederal rules not yet confirmed (shared by every state)")
            lines += [f"  {name.replace('_', ' ')}: {rule.get('review_reason') or rule['status']}"
                      for name, rule in open_rules]
    if not notes:
        lines.append(f"(Research notes: consentgen jurisdictions show {j.code} --notes)")
    return lines


def review_report() -> tuple[list[str], list[str], bool]:
    """``consentgen check --jurisdictions``: (report lines, error lines, whether any file is invalid)."""
    lines: list[str] = []
    errors: list[str] = []
    invalid = 0
    total_unknown = 0
    needs_review = 0
    tally = {"primary": 0, "secondary": 0, "unknown": 0}
    core = {prof: 0 for prof in review.CORE_PROFESSIONS}
    core_secondary = 0
    codes = load.catalogue()
    reviewed = []
    for code in codes:
        try:
            record = read_review(code)
        except ConsentgenError as exc:
            errors.append(exc.message)
            invalid += 1
            record = None
        if record:
            reviewed.append(record)
        try:
            j = load.load_jurisdiction(code)
        except ConsentgenError as exc:
            errors.append(exc.message)
            invalid += 1
            continue
        unknown = review.unknowns(j)
        total_unknown += len(unknown)
        ev = review.evidence(j)
        for kind in ev.values():
            tally[kind] += 1
        pending = review.needs_review(j)
        needs_review += len(pending)
        secondary = [k for k, v in ev.items() if v == "secondary"]
        core_secondary += sum(1 for k in CORE_RULES if ev[k] == "secondary")
        for prof, names in review.core_unknowns(j).items():
            core[prof] += len(names)
        shown = ", ".join(unknown) if unknown else "-"
        lines.append(f"{code:<7} verified {j.verified_on.isoformat()}  unknown: {shown}"
                     + (f"  secondary only: {', '.join(secondary)}" if secondary else "")
                     + (f"  needs review: {', '.join(pending)}" if pending else ""))
    lines.append(f"\n{len(codes)} jurisdictions checked: {invalid} invalid, {total_unknown} unknown facts "
                 f"left to verify, {needs_review} rules marked as needing review.")
    lines.append(f"Rules resting on a primary source (statute, regulation or opinion text): {tally['primary']}; "
                 f"on secondary sources only: {tally['secondary']}; unknown: {tally['unknown']}.")
    lines.append(f"Independent reviews recorded (jurisdictions/reviews): {len(reviewed)} of {len(codes)}; findings "
                 f"{sum(r.findings for r in reviewed)}, fixed {sum(r.fixed for r in reviewed)}, "
                 f"open {sum(r.open for r in reviewed)}.")
    try:
        federal = read_review("US")
    except ConsentgenError as exc:
        errors.append(exc.message)
        invalid += 1
        federal = None
    if federal:
        lines.append(f"Federal layer review: {federal.reviewed_on.isoformat()}, findings {federal.findings}, "
                     f"fixed {federal.fixed}, open {federal.open} (jurisdictions/{federal.path}).")
    lines.append(f"Core rules (duty to protect, danger to self, child and elder abuse reporting, minors' consent, "
                 f"records): "
                 f"{core_secondary} on secondary sources only; unknown for "
                 + ", ".join(f"{prof.replace('_', ' ')}s {n}" for prof, n in core.items()) + ".")
    incomplete = translation_lines(lines, ["US", *codes])
    return lines, errors, bool(invalid or incomplete)


def translation_lines(lines: list[str], codes: list[str], languages: tuple[str, ...] | None = None) -> int:
    """Append, per form language (every one but English by default), what is missing or stale in the
    translations; return how many are."""
    from consentgen.law.translations import coverage, translations_path
    from consentgen.model.options import LANGUAGE_NAMES, LANGUAGES, SOURCE_LANGUAGE
    from consentgen.render.i18n import catalog_path, missing_messages

    bad = 0
    for language in languages or LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        total = missing = stale = unreadable = 0
        for code in codes:
            try:
                cov = coverage(load.load_jurisdiction(code).data, language)
            except ConsentgenError as exc:
                lines.append(exc.message)
                unreadable += 1
                continue
            total += cov.total
            missing += len(cov.missing)
            stale += len(cov.stale)
            where = translations_path(code, language)
            lines += [f"{where}: {key}: missing ({LANGUAGE_NAMES[language]})" for key in cov.missing]
            lines += [f"{where}: {key}: stale, the English changed after it was translated" for key in cov.stale]
            lines += [f"{where}: {key}: not used (the data no longer has it)" for key in cov.unused]
        messages = missing_messages(language)
        lines += [f"{catalog_path(language)}: missing or fuzzy: {m[:80]!r}" for m in messages]
        lines.append(f"{LANGUAGE_NAMES[language]} ({language}): {total} client strings in {len(codes)} jurisdiction "
                     f"files, {missing} missing, {stale} stale"
                     + (f", {unreadable} file(s) that cannot be read (above)" if unreadable else "")
                     + f"; template catalog: {len(messages)} missing or fuzzy.")
        bad += missing + stale + unreadable + len(messages)
    return bad
