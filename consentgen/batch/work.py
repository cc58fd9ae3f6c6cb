"""Rendering a plan's rows, in worker processes that keep the PDF engine loaded."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import hashlib
import json
import multiprocessing
from collections.abc import Iterator
from typing import Any

from consentgen.batch.plan import OTHER_FILE, Job, file_name
from consentgen.checks.review import review_items, review_summary
from consentgen.documents.record import form_record
from consentgen.errors import ConsentgenError, DataFileError, Problem
from consentgen.inputs.answers import parse_practice
from consentgen.pipeline import render
from consentgen.render.registry import get_format


def render_job(job: Job) -> tuple[int, list[tuple[bytes, dict[str, Any]]] | None, list[Problem]]:
    """Validate and render every edition one row offers; return (row, [(bytes, metadata)], problems).

    A problem in one language (a missing or stale translation) does not stop the others: the row's
    forms in the languages that rendered are returned together with the problems of the rest.
    """
    try:
        practice = job.practice or parse_practice(job.answers, "row")
    except DataFileError as exc:
        return job.row, None, exc.problems
    forms: list[tuple[bytes, dict[str, Any]]] = []
    problems: list[Problem] = []
    for language in job.languages:
        done, trouble = _render_language(job, practice, language)
        forms += done
        problems += trouble
    return job.row, forms or None, problems


def _render_language(job: Job, practice: Any, language: str) -> tuple[list[tuple[bytes, dict[str, Any]]],
                                                                       list[Problem]]:
    """One row's forms in one language, or the problems that stopped them (none are returned half-made)."""
    forms = []
    try:
        for edition in job.editions:
            form, rendered = render(practice, job.options.but(client_type=edition, language=language), today=job.today)
            forms.append((rendered.data, form_entry(job, practice, form, edition, rendered)))
    except DataFileError as exc:
        if exc.filename != "row":  # another file (a jurisdiction or its translation): name it, not a column
            return [], [Problem(OTHER_FILE, exc.message)]
        return [], exc.problems
    except ConsentgenError as exc:
        return [], [Problem("", exc.message)]
    except Exception as exc:  # a bug in one row must not end the others  # noqa: BLE001
        return [], [Problem("", f"unexpected error ({type(exc).__name__}: {exc})")]
    return forms, []


def form_entry(job: Job, practice: Any, form: Any, edition: str | None, rendered: Any) -> dict[str, Any]:
    """A form's manifest entry (before its file is written), its review warnings and its inputs' hash.

    ``rendered``: what the renderer returned (its ``fingerprint`` and ``wording``).
    """
    c = practice.clinician
    language = form.language
    return {
        "language": language,
        "clinician": c.name, "credentials": c.credentials, "profession": c.profession, "license": c.license,
        "jurisdiction": form.law.code, "client_type": edition or "", "form_version": form.version,
        "rules_verified_on": form.verified_on.isoformat(), "form_date": form.date.isoformat(),
        "fingerprint": rendered.fingerprint, "wording": rendered.wording,
        "file": file_name(job.stem, edition, get_format(job.options.format).name, job.options.document, language),
        "review": review_summary(form), "warnings": review_items(form), "inputs": inputs_id(job),
        "output": output_id(job),
        "record": form_record(form),
    }


def output_id(job: Job) -> str:
    """How the file is written (format, PDF variant, fields or lines): a form written another way has changed."""
    options = job.options
    made = f"{get_format(options.format).name}:{options.variant or 'plain'}:{'fields' if options.fields else 'lines'}"
    return f"{made}; {options.certified_by}" if options.certified_by else made


def inputs_id(job: Job) -> str:
    """A short hash of what the row and the clinic file gave this clinician (to say why a form changed)."""
    text = json.dumps(job.answers, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# WeasyPrint keeps a little memory per render (about 50 KB, measured); a worker is replaced
# after this many forms so a long roster runs in flat memory.
RECYCLE_AFTER = 40


# A worker process costs about 1.2 s to start (Python, consentgen and the PDF engine) and saves about 0.35 s a form
# on each other core (measured on 2 cores, benchmarks/run.py): below this many forms, one process is faster.
SMALL_BATCH = 6


def default_workers(forms: int, cores: int) -> int:
    """Workers for a batch of ``forms`` forms when ``--jobs`` is not given: one per core, or none for a small batch."""
    return 1 if forms < SMALL_BATCH else cores


def run_jobs(jobs: list[Job], workers: int) -> Iterator[tuple[int, Any, list[Problem]]]:
    if len(jobs) <= 1 or (workers <= 1 and len(jobs) <= RECYCLE_AFTER):
        for job in jobs:
            yield render_job(job)
        return
    # A fresh pool per group of jobs (max_tasks_per_child hangs on Python 3.11 with spawn).
    context = multiprocessing.get_context("spawn")
    group = max(1, workers) * RECYCLE_AFTER
    for start in range(0, len(jobs), group):
        part = jobs[start:start + group]
        done = 0
        pool = cf.ProcessPoolExecutor(max_workers=min(workers, len(part)), mp_context=context,
                                      initializer=_quiet_worker)
        try:
            for outcome in pool.map(render_job, part, chunksize=1):
                done += 1
                yield outcome
        except cf.process.BrokenProcessPool:  # a worker was killed (out of memory?): its rows fail, not the run
            for job in part[done:]:
                yield job.row, None, [Problem("", "the render process stopped unexpectedly (out of memory?); "
                                                  "this row was not rendered, run the batch again")]
        except BaseException:  # Ctrl-C (or the run stopping): stop the workers now, never wait on them
            _stop(pool)
            raise
        pool.shutdown(wait=True)


def _quiet_worker() -> None:
    """A batch worker ignores Ctrl-C (a terminal sends it to the whole process group): the main process
    decides, and stops the workers itself (round 5, B3: a worker interrupted mid-write hung the run)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(pool: cf.ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers at once (their staged forms are thrown away)."""
    processes = list((pool._processes or {}).values())  # noqa: SLF001 - the executor offers no other handle
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)
