"""What a batch would do, without writing: ``batch --dry-run`` and ``check CLINIC ROSTER``.

Each planned form is built (the law resolved, its review warnings found); where the folder holds
an earlier form of the same name that a manifest describes, the page is also rendered as HTML
(no PDF) so the line can say "unchanged" instead of "replace".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from consentgen.batch.changes import NEW, UNCHANGED, compare_form
from consentgen.batch.plan import OTHER_FILE, SUPERSEDED, Plan, failed_folders, failure, in_failed_folder
from consentgen.batch.work import form_entry
from consentgen.errors import ConsentgenError, DataFileError, Problem
from consentgen.inputs.answers import parse_practice
from consentgen.model.options import Output


@dataclass(frozen=True)
class Preview:
    """One planned form: its manifest entry as far as it is known before writing, and how it compares."""

    entry: dict[str, Any]
    change: str  # new | changed | unchanged
    what: str = ""


def previews(plan: Plan, *, compare: bool = True) -> Iterator[Preview | dict[str, Any]]:
    """Each planned form in order, or a row's failure (a dict, as ``plan.failures`` holds) where one cannot be
    built. ``compare`` renders the page of a form that has an earlier one in the folder, to compare them."""
    from consentgen.pipeline import make_bound_document
    from consentgen.render.packet import content_ids

    previous = {entry["file"]: entry for entry in plan.previous}
    for job in plan.jobs:
        try:
            practice = job.practice or parse_practice(job.answers, "row")
            built = []
            for language in job.languages:
                for edition in job.editions:
                    doc = make_bound_document(practice, job.options.but(client_type=edition, language=language),
                                              today=job.today)
                    built.append((doc, edition))
        except DataFileError as exc:
            problems = [Problem(OTHER_FILE, exc.message)] if exc.filename != "row" else exc.problems
            yield failure(plan.roster, job.row, problems, job.answers["clinician"].get("name", ""))
            continue
        except ConsentgenError as exc:
            yield failure(plan.roster, job.row, [Problem("", exc.message)], job.answers["clinician"].get("name", ""))
            continue
        for doc, edition in built:
            entry = form_entry(job, practice, doc, edition, _NotRendered())
            if compare and entry["file"] in previous and (plan.out / entry["file"]).is_file():
                fingerprint, wording = content_ids(doc, Output(fields=False))
                entry.update(fingerprint=fingerprint, wording=wording)
                verdict = compare_form(plan.out, entry, previous)
                yield Preview(entry, verdict.change, verdict.what)
            else:
                yield Preview(entry, NEW if not (plan.out / entry["file"]).exists() else "changed")


class _NotRendered:
    fingerprint = ""
    wording = ""


def dry_run_lines(plan: Plan) -> tuple[list[str], list[Preview]]:
    """What ``batch --dry-run`` prints (each file to be written, replaced, left unchanged or set aside), and the
    previews, whose review warnings the front end prints grouped."""
    lines: list[str] = []
    shown: list[Preview] = []
    failures = list(plan.failures)
    for item in previews(plan):
        if isinstance(item, dict):
            failures.append(item)
            continue
        shown.append(item)
        path = plan.out / item.entry["file"]
        if item.change == UNCHANGED:
            lines.append(f"unchanged {path}")
        elif item.change == NEW:
            lines.append(f"write     {path}")
        else:
            lines.append(f"replace   {path}" + (f" ({item.what})" if item.what else ""))
    files = {p.entry["file"] for p in shown}
    failed = failed_folders(failures)
    earlier = [e["file"] for e in plan.previous
               if e["file"] not in files and plan.makes(e) and (plan.out / e["file"]).exists()]
    kept = [f for f in earlier if in_failed_folder(f, failed)]
    gone = [f for f in earlier if f not in kept]
    lines += [f"move      {plan.out / f} -> {plan.out / SUPERSEDED / f} (this run no longer makes it)" for f in gone]
    lines += [f"keep      {plan.out / f} (this clinician's row has a problem; the earlier form stays)" for f in kept]
    lines += [line for f in sorted(failures, key=lambda f: f["row"]) for line in f["lines"]]
    lines += plan.warnings
    counts = {kind: sum(1 for p in shown if p.change == kind) for kind in (NEW, "changed", UNCHANGED)}
    lines.append(f"{len(shown)} form(s) for {len(plan.jobs)} clinician(s): {counts[NEW]} new, {counts['changed']} to "
                 f"replace, {counts[UNCHANGED]} unchanged; {len(gone)} to set aside; {len(failures)} row(s) with "
                 "problems. Nothing was written (dry run).")
    return lines, shown
