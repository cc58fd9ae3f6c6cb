"""Clinic mode: one form per roster row, rendered in parallel, with a manifest.

Each worker process keeps WeasyPrint, its fonts and the Jinja environment loaded, so a
form costs a render, not a start-up. Files are written by the parent, atomically.
"""

from __future__ import annotations

import concurrent.futures as cf
import csv
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consentgen.documents.document import editions
from consentgen.errors import ConsentgenError, DataFileError, OutputError, Problem
from consentgen.files.output import write_atomic
from consentgen.inputs.answers import parse_practice, read_clinic
from consentgen.inputs.roster import COLUMN_OF, RosterRow, read_roster, row_answers
from consentgen.model.options import RenderOptions
from consentgen.pipeline import render
from consentgen.render.registry import get_format

MANIFEST_FIELDS = ("row", "file", "clinician", "credentials", "profession", "license", "jurisdiction", "client_type",
                   "form_version", "rules_verified_on", "form_date", "fingerprint", "sha256", "bytes")


@dataclass
class BatchResult:
    """What a batch wrote, and the rows that failed (as printable lines)."""

    written: list[dict[str, Any]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def slug(name: str) -> str:
    """A stable, readable file name stem from a person's name ('Dr. José Núñez' -> 'dr-jose-nunez')."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:60].strip("-") or "clinician"


@dataclass(frozen=True)
class Job:
    """One row's work, picklable for a worker process."""

    row: int
    answers: dict[str, Any]
    today: dt.date
    options: RenderOptions


def render_job(job: Job) -> tuple[int, list[tuple[bytes, dict[str, Any]]] | None, list[Problem]]:
    """Validate and render every edition one row offers; return (row, [(bytes, metadata)], problems)."""
    try:
        practice = parse_practice(job.answers, "row")
    except DataFileError as exc:
        return job.row, None, exc.problems
    forms = []
    for edition in editions(practice, job.options.document, job.options.client_type):
        try:
            form, rendered = render(practice, job.options.but(client_type=edition), today=job.today)
        except ConsentgenError as exc:
            return job.row, None, [Problem("", exc.message)]
        c = practice.clinician
        forms.append((rendered.data, {
            "clinician": c.name, "credentials": c.credentials, "profession": c.profession, "license": c.license,
            "jurisdiction": form.law.code, "client_type": edition or "", "form_version": form.version,
            "rules_verified_on": form.verified_on.isoformat(), "form_date": form.date.isoformat(),
            "fingerprint": rendered.fingerprint,
        }))
    return job.row, forms, []


def _row_problem(roster: str, row: int, problem: Problem) -> str:
    """``ROSTER row N: column: message``, naming the roster's column where there is one."""
    column = problem.path
    for prefix in sorted(COLUMN_OF, key=len, reverse=True):
        if column == prefix or column.startswith(prefix + "."):
            column = COLUMN_OF[prefix]
            break
    return f"{roster} row {row}: {column or 'row'}: {problem.message}"


# WeasyPrint keeps a little memory per render (about 50 KB, measured); a worker is replaced
# after this many forms so a long roster runs in flat memory.
RECYCLE_AFTER = 40


def _run(jobs: list[Job], workers: int) -> Iterator[tuple[int, Any, list[Problem]]]:
    if len(jobs) <= 1 or (workers <= 1 and len(jobs) <= RECYCLE_AFTER):
        for job in jobs:
            yield render_job(job)
        return
    # A fresh pool per group of jobs (max_tasks_per_child hangs on Python 3.11 with spawn).
    context = multiprocessing.get_context("spawn")
    group = max(1, workers) * RECYCLE_AFTER
    for start in range(0, len(jobs), group):
        part = jobs[start:start + group]
        with cf.ProcessPoolExecutor(max_workers=min(workers, len(part)), mp_context=context) as pool:
            yield from pool.map(render_job, part, chunksize=1)


def run_batch(clinic_path: str | Path, roster_path: str | Path, out_dir: str | Path,
              options: RenderOptions | None = None, *, today: dt.date, jobs: int | None = None,
              progress: Callable[[int, int], None] | None = None) -> BatchResult:
    """Render one form per roster row into ``out_dir`` and write manifest.csv and manifest.json.

    Rows that fail are reported as ``ROSTER row N: column: message``; the others are still rendered.

    Raises:
        DataFileError: the clinic file or the roster header is invalid (nothing is rendered).
        OutputError: the output folder cannot be created or written.
    """
    clinic = read_clinic(clinic_path)
    rows: list[RosterRow] = read_roster(roster_path)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the folder ({exc.strerror or exc})") from None
    result = BatchResult()
    roster_name = str(roster_path)
    job_list: list[Job] = []
    options = options or RenderOptions()  # without templates, each form uses the clinic's `templates`
    fmt = get_format(options.format).suffixes[0].lstrip(".")
    for row in rows:
        answers, problems = row_answers(clinic, row)
        if problems:
            result.failed += [_row_problem(roster_name, row.number, p) for p in problems]
            continue
        job_list.append(Job(row.number, answers, today, options))

    workers = jobs or os.cpu_count() or 1
    used: set[str] = set()
    done = 0
    for number, forms, problems in _run(job_list, workers):
        done += 1
        if progress:
            progress(done, len(job_list))
        if forms is None:
            result.failed += [_row_problem(roster_name, number, p) for p in problems]
            continue
        stem = slug(forms[0][1]["clinician"])
        if stem in used:
            stem = f"{stem}-{slug(forms[0][1]['license'])}"
        used.add(stem)
        (out / stem).mkdir(exist_ok=True)
        for data, meta in forms:  # one folder per clinician, one file per edition
            name = f"{stem}/{meta['client_type'] or 'consent'}.{fmt}"
            write_atomic(out / name, data)
            result.written.append({"row": number, "file": name, **meta,
                                   "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    result.written.sort(key=lambda item: item["row"])
    _write_manifest(out, result)
    return result


def _write_manifest(out: Path, result: BatchResult) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
    writer.writeheader()
    for item in result.written:
        writer.writerow({k: item[k] for k in MANIFEST_FIELDS})
    write_atomic(out / "manifest.csv", buffer.getvalue())
    payload = {"forms": [{k: item[k] for k in MANIFEST_FIELDS} for item in result.written],
               "failed": result.failed}
    write_atomic(out / "manifest.json", json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
