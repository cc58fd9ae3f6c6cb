"""Clinic mode: every offered edition for each roster row, rendered in parallel, with a manifest.

Each worker process keeps WeasyPrint, its fonts and the Jinja environment loaded, so a
form costs a render, not a start-up. The run is planned first (every row validated, every
file name decided from the clinician alone, whatever the row order), rendered into a staging
folder, then moved into place: a failure or Ctrl-C leaves the output folder as it was, and
the manifest always describes the files present (see the README's clinic section).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import os
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consentgen.documents.document import editions
from consentgen.documents.record import form_record
from consentgen.errors import ConsentgenError, DataFileError, OutputError, Problem, WizardAborted
from consentgen.files.output import write_atomic
from consentgen.files.protect import protected_reason, refusal
from consentgen.inputs.answers import parse_practice, read_clinic
from consentgen.inputs.roster import COLUMN_OF, RosterRow, read_roster, row_answers
from consentgen.model.options import RenderOptions, language_suffix
from consentgen.pipeline import render
from consentgen.render.registry import get_format

MANIFEST_FIELDS = ("row", "file", "clinician", "credentials", "profession", "license", "jurisdiction", "client_type",
                   "form_version", "rules_verified_on", "form_date", "fingerprint", "sha256", "bytes", "status",
                   "error", "language")
STAGING = ".cg-staging"
OTHER_FILE = "(another file)"  # a row's problem found in a file other than the roster (its state's data)
SUPERSEDED = "superseded"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # cells a spreadsheet would run as a formula (OWASP)


@dataclass
class BatchResult:
    """What a batch wrote, the rows that failed (as printable lines) and the forms it set aside."""

    written: list[dict[str, Any]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)


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
    stem: str = ""
    editions: tuple[str | None, ...] = (None,)
    languages: tuple[str, ...] = ("en",)


@dataclass
class Plan:
    """What a batch will do, decided before anything is rendered."""

    out: Path
    fmt: str
    jobs: list[Job]
    failures: list[dict[str, Any]]
    roster: str
    previous: list[str]  # files the previous manifest in the folder listed

    def files(self) -> list[str]:
        """Every file the run will write, relative to the output folder."""
        return [_file_name(job.stem, edition, self.fmt, job.options.document, language) for job in self.jobs
                for language in job.languages for edition in job.editions]


def _file_name(stem: str, edition: str | None, fmt: str, document: str = "consent", language: str = "en") -> str:
    """``<clinician>/<edition>.pdf`` in English (the names batch always gave), ``<edition>-<language>.pdf`` else."""
    return f"{stem}/{edition or document}{language_suffix(language)}.{fmt}"


def render_job(job: Job) -> tuple[int, list[tuple[bytes, dict[str, Any]]] | None, list[Problem]]:
    """Validate and render every edition one row offers; return (row, [(bytes, metadata)], problems)."""
    try:
        practice = parse_practice(job.answers, "row")
        forms = []
        for language, edition in ((lang, ed) for lang in job.languages for ed in job.editions):
            form, rendered = render(practice, job.options.but(client_type=edition, language=language), today=job.today)
            c = practice.clinician
            forms.append((rendered.data, {
                "language": language,
                "clinician": c.name, "credentials": c.credentials, "profession": c.profession, "license": c.license,
                "jurisdiction": form.law.code, "client_type": edition or "", "form_version": form.version,
                "rules_verified_on": form.verified_on.isoformat(), "form_date": form.date.isoformat(),
                "fingerprint": rendered.fingerprint,
                "file": _file_name(job.stem, edition, get_format(job.options.format).name, job.options.document,
                                   language),
                "record": form_record(form),
            }))
    except DataFileError as exc:
        if exc.filename != "row":  # another file (a jurisdiction or its translation): name it, not a column
            return job.row, None, [Problem(OTHER_FILE, exc.message)]
        return job.row, None, exc.problems
    except ConsentgenError as exc:
        return job.row, None, [Problem("", exc.message)]
    except Exception as exc:  # a bug in one row must not end the others  # noqa: BLE001
        return job.row, None, [Problem("", f"unexpected error ({type(exc).__name__}: {exc})")]
    return job.row, forms, []


def _row_problem(roster: str, row: int, problem: Problem, who: str = "") -> str:
    """``ROSTER row N (NAME): column: message``, naming the roster's column where there is one."""
    column = problem.path
    for prefix in sorted(COLUMN_OF, key=len, reverse=True):
        if column == prefix or column.startswith(prefix + "."):
            column = COLUMN_OF[prefix]
            break
    named = f" ({who})" if who else ""
    if problem.path == OTHER_FILE:  # the message names its own file and field
        return f"{roster} row {row}{named}: {problem.message}"
    return f"{roster} row {row}{named}: {column or 'row'}: {problem.message}"


def _failure(plan_roster: str, row: RosterRow | int, problems: list[Problem], who: str) -> dict[str, Any]:
    number = row if isinstance(row, int) else row.number
    return {"row": number, "clinician": who, "lines": [_row_problem(plan_roster, number, p, who) for p in problems],
            "error": "; ".join(f"{_row_problem('', number, p).split(': ', 1)[1]}" for p in problems)}


def _previous_files(out: Path) -> list[str]:
    try:
        data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        return [str(f["file"]) for f in data.get("forms", []) if isinstance(f, dict) and f.get("file")]
    except (OSError, ValueError, AttributeError):
        return []


def plan_batch(clinic_path: str | Path, roster_path: str | Path, out_dir: str | Path,
               options: RenderOptions | None = None, *, today: dt.date,
               languages: tuple[str, ...] | None = None) -> Plan:
    """Validate the clinic file and every roster row, and decide every file name; render nothing.

    A clinician's files are named from the clinician alone: ``<name>/`` and, when two rows share
    a name, ``<name>-<license>/`` for each of them, so the roster's order never changes a name.

    ``languages`` (the command line's) replace each row's: its ``language`` column, else the clinic
    file's ``form.language``, else English.

    Raises:
        DataFileError: the clinic file or the roster header is invalid.
    """
    clinic = read_clinic(clinic_path)
    rows: list[RosterRow] = read_roster(roster_path)
    options = options or RenderOptions()  # without templates, each form uses the clinic's `templates`
    fmt = get_format(options.format).name
    roster = str(roster_path)
    failures: list[dict[str, Any]] = []
    valid: list[tuple[RosterRow, dict[str, Any], Any]] = []
    for row in rows:
        who = row.values.get("name", "")
        answers, problems = row_answers(clinic, row)
        if not problems:
            try:
                practice = parse_practice(answers, "row")
                valid.append((row, answers, practice))
                continue
            except DataFileError as exc:
                problems = exc.problems
        failures.append(_failure(roster, row, problems, who))
    by_name: dict[str, list[int]] = {}
    for index, (_, _, practice) in enumerate(valid):
        by_name.setdefault(slug(practice.clinician.name), []).append(index)
    stems: dict[int, str] = {}
    for name, members in by_name.items():
        for index in members:
            license_ = valid[index][2].clinician.license
            stems[index] = name if len(members) == 1 else f"{name}-{slug(license_)}"
    seen: dict[str, int] = {}
    jobs = []
    for index, (row, answers, practice) in enumerate(valid):
        stem = stems[index]
        if stem in seen:
            failures.append(_failure(roster, row, [Problem(
                "clinician.license", f"same name and license as row {seen[stem]}; each clinician needs one row")],
                practice.clinician.name))
            continue
        seen[stem] = row.number
        chosen = tuple(editions(practice, options.document, options.client_type))
        jobs.append(Job(row.number, answers, today, options, stem, chosen,
                        tuple(languages) if languages else practice.form.languages))
    failures.sort(key=lambda f: f["row"])
    out = Path(out_dir)
    return Plan(out, fmt, jobs, failures, roster, _previous_files(out))


def dry_run_lines(plan: Plan) -> list[str]:
    """What ``batch --dry-run`` prints: each file to be written (new or replaced) and set aside."""
    files = plan.files()
    lines = []
    for name in files:
        lines.append(f"{'replace' if (plan.out / name).exists() else 'write  '}  {plan.out / name}")
    gone = [f for f in plan.previous if f not in files and (plan.out / f).exists()]
    lines += [f"move     {plan.out / f} -> {plan.out / SUPERSEDED / f} (this run no longer makes it)" for f in gone]
    lines += [line for failure in plan.failures for line in failure["lines"]]
    lines.append(f"{len(files)} form(s) for {len(plan.jobs)} clinician(s); {len(gone)} to set aside; "
                 f"{len(plan.failures)} row(s) with problems. Nothing was written (dry run).")
    return lines


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
              progress: Callable[[int, int, int], None] | None = None, force: bool = False,
              languages: tuple[str, ...] | None = None) -> BatchResult:
    """Render every offered edition for each roster row into ``out_dir``, with manifest.csv and .json.

    Rows that fail are reported as ``ROSTER row N (NAME): column: message`` and listed in the
    manifest with status ``failed``; the others are still rendered. ``progress(written, failed,
    total)`` is called as rows finish.

    Raises:
        DataFileError: the clinic file or the roster header is invalid (nothing is written).
        OutputError: the output folder cannot be created or written (it is left as it was).
        WizardAborted: Ctrl-C (the output folder is left as it was).
    """
    plan = plan_batch(clinic_path, roster_path, out_dir, options, today=today, languages=languages)
    out = plan.out
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = out / STAGING
        if staging.exists():  # left by a run that was killed
            shutil.rmtree(staging)
        staging.mkdir()
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the folder ({exc.strerror or exc})") from None
    result = BatchResult(failures=list(plan.failures))
    cores = os.cpu_count() or 1
    # Each worker holds a PDF engine (about 70 MB): more than 4 per core only costs memory.
    workers = min(jobs or cores, 4 * cores, max(1, len(plan.jobs)))
    staged: list[dict[str, Any]] = []
    try:
        failed = len(plan.failures)
        for number, forms, problems in _run(plan.jobs, workers):
            if forms is None:
                who = next(j for j in plan.jobs if j.row == number).answers["clinician"].get("name", "")
                result.failures.append(_failure(plan.roster, number, problems, who))
                failed += 1
            else:
                for data, meta in forms:
                    write_atomic(_in_folder(staging, meta["file"]), data)
                    staged.append({"row": number, **meta, "sha256": hashlib.sha256(data).hexdigest(),
                                   "bytes": len(data), "status": "written", "error": ""})
            if progress:
                progress(len({s["row"] for s in staged}), failed, len(plan.jobs) + len(plan.failures))
        staged = _keep_protected(plan, staged, result, force)
        _swap_in(plan, staging, staged, result)
    except KeyboardInterrupt:
        raise WizardAborted(f"Cancelled; nothing in {out} was changed.") from None
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(out / STAGING)
    result.failures.sort(key=lambda f: f["row"])
    result.failed = [line for f in result.failures for line in f["lines"]]
    result.written = sorted(staged, key=lambda item: (item["row"], item["file"]))
    _write_manifest(out, result)
    return result


def _in_folder(root: Path, name: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _keep_protected(plan: Plan, staged: list[dict[str, Any]], result: BatchResult,
                    force: bool) -> list[dict[str, Any]]:
    """Leave in place every existing PDF that must not be replaced (filled in, signed, not ours)."""
    if force:
        return staged
    kept = []
    for item in staged:
        reason = protected_reason(plan.out / item["file"])
        if reason:
            message = refusal(plan.out / item["file"], reason)
            result.failures.append({"row": item["row"], "clinician": item["clinician"],
                                    "lines": [f"{plan.roster} row {item['row']} ({item['clinician']}): {message}"],
                                    "error": message})
        else:
            kept.append(item)
    return kept


def _swap_in(plan: Plan, staging: Path, staged: list[dict[str, Any]], result: BatchResult) -> None:
    """Move the staged forms into place and set aside forms the roster no longer has.

    The old manifest goes first, so a run killed halfway leaves no manifest rather than a false one.
    """
    out = plan.out
    try:
        for name in ("manifest.json", "manifest.csv"):
            with contextlib.suppress(FileNotFoundError):
                (out / name).unlink()
        new = {item["file"] for item in staged}
        for item in staged:
            target = _in_folder(out, item["file"])
            if target.exists():
                result.replaced.append(item["file"])
            os.replace(staging / item["file"], target)
        for name in plan.previous:
            if name in new or not (out / name).is_file() or name.startswith(SUPERSEDED + "/"):
                continue
            os.replace(out / name, _in_folder(out / SUPERSEDED, name))
            result.superseded.append(name)
            with contextlib.suppress(OSError):
                (out / name).parent.rmdir()  # only if now empty
    except OSError as exc:
        raise OutputError(f"{out}: cannot move the new forms into place ({exc.strerror or exc})") from None


def _cell(value: Any) -> str:
    """A manifest cell, with anything a spreadsheet would run as a formula made plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _write_manifest(out: Path, result: BatchResult) -> None:
    rows: list[dict[str, Any]] = [{k: item.get(k, "") for k in MANIFEST_FIELDS} for item in result.written]
    rows += [{**{k: "" for k in MANIFEST_FIELDS}, "row": f["row"], "clinician": f["clinician"], "status": "failed",
              "error": f["error"]} for f in result.failures]
    rows.sort(key=lambda r: (int(r["row"]), str(r["file"])))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=MANIFEST_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    write_atomic(out / "manifest.csv", "\ufeff" + buffer.getvalue())  # the BOM makes Excel read UTF-8
    payload = {"forms": [{**{k: item[k] for k in MANIFEST_FIELDS}, "record": item["record"]}
                         for item in result.written],
               "failed": result.failed,  # printable lines, as before
               "failures": [{"row": f["row"], "clinician": f["clinician"], "error": f["error"]}
                            for f in result.failures],
               "superseded": result.superseded}
    write_atomic(out / "manifest.json", json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
