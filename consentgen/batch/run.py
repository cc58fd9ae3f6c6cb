"""Running a batch: plan, render into staging, move in under the lock, write the manifest."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from consentgen.batch.changes import UNCHANGED, compare_form
from consentgen.batch.folder import STAGING, clear_staging, in_folder, locked, signals_deferred
from consentgen.batch.manifest import MANIFESTS, BatchResult, write_manifest
from consentgen.batch.plan import Plan, failure, plan_batch
from consentgen.batch.swap import keep_protected, swap_in
from consentgen.batch.work import default_workers, run_jobs
from consentgen.errors import OutputError, WizardAborted
from consentgen.files.made import digest, known
from consentgen.files.moves import Cancelled, Moves
from consentgen.files.output import write_atomic
from consentgen.model.options import RenderOptions


def run_batch(clinic_path: str | Path, roster_path: str | Path, out_dir: str | Path,
              options: RenderOptions | None = None, *, today: dt.date, jobs: int | None = None,
              progress: Callable[[int, int, int], None] | None = None, force: bool = False,
              languages: tuple[str, ...] | None = None, finish: Callable[[bytes], bytes] | None = None) -> BatchResult:
    """Render every offered edition for each roster row into ``out_dir``, with manifest.csv and .json.

    Rows that fail are reported as ``ROSTER row N (NAME): column: message`` and listed in the
    manifest with status ``failed``; the others are still rendered. ``progress(written, failed,
    total)`` is called as rows finish. ``finish``: a last step on each PDF before it is staged (``--certify``),
    in this process (the key never goes to the workers).

    Raises:
        DataFileError: the clinic file or the roster header is invalid (nothing is written).
        OutputError: the output folder cannot be created or written (it is left as it was).
        WizardAborted: Ctrl-C (the output folder is left as it was).
    """
    plan = plan_batch(clinic_path, roster_path, out_dir, options, today=today, languages=languages)
    out = plan.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the folder ({exc.strerror or exc})") from None
    with locked(out):
        recovered = clear_staging(out)
        if recovered:  # a run killed while moving forms in was undone: plan again, from the folder as it is now
            plan = plan_batch(clinic_path, roster_path, out_dir, options, today=today, languages=languages)
        result = _run_locked(plan, jobs, progress, force, finish)
        result.notices[:0] = recovered + plan.warnings
        return result


# Over the complexity bound (14): the whole staged write under one lock (stage, compare, install, undo on any
# failure, manifest last) reads as one sequence; split, its undo paths would hide from each other.
def _run_locked(plan: Plan, jobs: int | None, progress: Callable[[int, int, int], None] | None,  # noqa: C901
                force: bool, finish: Callable[[bytes], bytes] | None = None) -> BatchResult:
    out = plan.out
    staging = out / STAGING  # made empty by run_batch's clear_staging, under the same lock
    result = BatchResult(failures=list(plan.failures), source={"clinic": plan.clinic, "roster": plan.roster})
    cores = os.cpu_count() or 1
    # Each worker holds a PDF engine (about 70 MB): more than 4 per core only costs memory.
    forms = sum(len(job.editions) * len(job.languages) for job in plan.jobs)
    workers = min(jobs or default_workers(forms, cores), 4 * cores, max(1, len(plan.jobs)))
    staged: list[dict[str, Any]] = []
    keep_staging = False
    try:
        failed = len(plan.failures)
        for number, forms, problems in run_jobs(plan.jobs, workers):
            if problems:  # the whole row, or some of its languages
                who = next(j for j in plan.jobs if j.row == number).answers["clinician"].get("name", "")
                result.failures.append(failure(plan.roster, number, problems, who))
                failed += 1
            if forms:
                for data, meta in forms:
                    if finish is not None and data.startswith(b"%PDF"):
                        data = finish(data)  # its output id names the key (options.certified_by)
                    write_atomic(in_folder(staging, meta["file"]), data)
                    staged.append({"row": number, **meta, "sha256": digest(data),
                                   "bytes": len(data), "status": "written", "error": ""})
            if progress:
                progress(len({s["row"] for s in staged}), failed, len(plan.jobs) + len(plan.failures))
        staged = _compared(plan, staged, result)
        hashes = known()  # what consentgen made, read once for every check of this run
        staged = keep_protected(plan, staged, result, force, hashes)
        with signals_deferred() as stop:
            moves = Moves(staging / "replaced", stop)
            try:
                moves.keep.mkdir()
                staged = swap_in(plan, staging, staged, result, force, hashes, moves,
                                 {item["file"] for item in result.unchanged})
                result.failures.sort(key=lambda f: f["row"])
                result.failed = [line for f in result.failures for line in f["lines"]]
                result.written = sorted(staged, key=lambda item: (item["row"], item["file"]))
                write_manifest(staging, result)  # written before anything is final, then moved in
                for name in MANIFESTS:
                    moves.place(staging / name, out / name)
            except (OSError, OutputError, Cancelled) as exc:
                left = moves.undo()
                if isinstance(exc, Cancelled):
                    reason = "cancelled"
                else:
                    reason = exc.message if isinstance(exc, OutputError) else str(exc.strerror or exc)
                if left:
                    keep_staging = True
                    raise OutputError(f"{out}: cannot move the new forms into place ({reason}); some earlier "
                                      f"files could not be put back: " + "; ".join(left)) from None
                if isinstance(exc, Cancelled):
                    raise KeyboardInterrupt from None
                raise OutputError(f"{out}: cannot move the new forms into place ({reason}); nothing in {out} was "
                                  "changed") from None
            moves.done()
    except KeyboardInterrupt:
        raise WizardAborted(f"Cancelled; nothing in {out} was changed.") from None
    finally:
        if not keep_staging:  # after a failed undo it holds the earlier files that could not go back
            with contextlib.suppress(OSError):
                shutil.rmtree(out / STAGING)
    return result


def _compared(plan: Plan, staged: list[dict[str, Any]], result: BatchResult) -> list[dict[str, Any]]:
    """Mark each staged form new, changed or unchanged; return those to move in (unchanged ones stay as they are).

    An unchanged form's manifest row keeps the earlier file's date, fingerprint, hash and record, since
    that file is the one in the folder.
    """
    previous = {entry["file"]: entry for entry in plan.previous}
    moving = []
    for item in staged:
        verdict = compare_form(plan.out, item, previous)
        item.update(change=verdict.change, what_changed=verdict.what)
        if verdict.change != UNCHANGED:
            moving.append(item)
            continue
        before = previous[item["file"]]
        result.unchanged.append({**item, **{k: before.get(k, "") for k in KEPT_FROM_BEFORE}, "status": UNCHANGED,
                                 "record": before.get("record") or item["record"]})
    return moving


KEPT_FROM_BEFORE = ("form_date", "fingerprint", "sha256", "bytes", "rules_verified_on", "form_version")
