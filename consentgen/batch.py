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
import io
import json
import multiprocessing
import os
import re
import shutil
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consentgen.documents.document import editions
from consentgen.documents.record import form_record
from consentgen.errors import ConsentgenError, DataFileError, OutputError, Problem, WizardAborted
from consentgen.files.made import digest, file_digest, known
from consentgen.files.moves import Cancelled, Moves, disk_error, recover
from consentgen.files.output import write_atomic
from consentgen.files.protect import guard_for, protected_reason, refusal
from consentgen.inputs.answers import parse_practice, read_clinic
from consentgen.inputs.roster import COLUMN_OF, RosterRow, read_roster, row_answers
from consentgen.model.options import RenderOptions, form_file_name
from consentgen.pipeline import render
from consentgen.render.registry import get_format

MANIFEST_FIELDS = ("row", "file", "clinician", "credentials", "profession", "license", "jurisdiction", "client_type",
                   "form_version", "rules_verified_on", "form_date", "fingerprint", "sha256", "bytes", "status",
                   "error", "language")
STAGING = ".cg-staging"
LOCK = ".cg-batch.lock"
OTHER_FILE = "(another file)"  # a row's problem found in a file other than the roster (its state's data)
SUPERSEDED = "superseded"
RESERVED_STEMS = frozenset({SUPERSEDED, "con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                            *(f"lpt{i}" for i in range(10))})
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # cells a spreadsheet would run as a formula (OWASP)


@dataclass
class BatchResult:
    """What a batch wrote, the rows that failed (as printable lines) and the forms it set aside."""

    written: list[dict[str, Any]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    kept: list[dict[str, Any]] = field(default_factory=list)  # earlier forms left in place, with why (manifest rows)
    notices: list[str] = field(default_factory=list)  # printable lines about files left alone


def slug(name: str) -> str:
    """A stable, readable file name stem from a person's name ('Dr. José Núñez' -> 'dr-jose-nunez')."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    text = text[:60].strip("-") or "clinician"
    # A name that is a folder batch uses itself, or that Windows cannot create (CON, NUL, COM1...), gets a suffix.
    return f"{text}-clinician" if text in RESERVED_STEMS else text


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
    previous: list[dict[str, Any]]  # the forms the previous manifest in the folder listed (names checked)

    def files(self) -> list[str]:
        """Every file the run will write, relative to the output folder."""
        return [_file_name(job.stem, edition, self.fmt, job.options.document, language) for job in self.jobs
                for language in job.languages for edition in job.editions]


def _file_name(stem: str, edition: str | None, fmt: str, document: str = "consent", language: str = "en") -> str:
    """``<clinician>/<edition>.pdf`` in English (the names batch always gave), ``<edition>-<language>.pdf`` else."""
    return f"{stem}/{form_file_name(edition, document, language, fmt)}"


def render_job(job: Job) -> tuple[int, list[tuple[bytes, dict[str, Any]]] | None, list[Problem]]:
    """Validate and render every edition one row offers; return (row, [(bytes, metadata)], problems).

    A problem in one language (a missing or stale translation) does not stop the others: the row's
    forms in the languages that rendered are returned together with the problems of the rest.
    """
    try:
        practice = parse_practice(job.answers, "row")
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
            return [], [Problem(OTHER_FILE, exc.message)]
        return [], exc.problems
    except ConsentgenError as exc:
        return [], [Problem("", exc.message)]
    except Exception as exc:  # a bug in one row must not end the others  # noqa: BLE001
        return [], [Problem("", f"unexpected error ({type(exc).__name__}: {exc})")]
    return forms, []


def _row_problem(roster: str, row: int, problem: Problem, who: str = "") -> str:
    """``ROSTER row N (NAME): column: message``, naming the roster's column where there is one."""
    column = problem.path
    for prefix in sorted(COLUMN_OF, key=len, reverse=True):
        if column == prefix or column.startswith(prefix + "."):
            column = COLUMN_OF[prefix]
            break
    shown = who.replace("\r", "\\r").replace("\n", "\\n")  # a cell may not start a new output line
    named = f" ({shown})" if shown else ""
    if problem.path == OTHER_FILE:  # the message names its own file and field
        return f"{roster} row {row}{named}: {problem.message}"
    return f"{roster} row {row}{named}: {column or 'row'}: {problem.message}"


def _file_failure(plan: Plan, item: dict[str, Any], message: str) -> dict[str, Any]:
    """A failure of one form (not its whole row): ``ROSTER row N (NAME): message``, the file named."""
    return {"row": item["row"], "clinician": item["clinician"],
            "lines": [_row_problem(plan.roster, item["row"], Problem(OTHER_FILE, message), item["clinician"])],
            "error": message, "file": item["file"]}


def _failure(plan_roster: str, row: RosterRow | int, problems: list[Problem], who: str) -> dict[str, Any]:
    number = row if isinstance(row, int) else row.number
    return {"row": number, "clinician": who, "lines": [_row_problem(plan_roster, number, p, who) for p in problems],
            "error": "; ".join(f"{_row_problem('', number, p).split(': ', 1)[1]}" for p in problems)}


MAX_MANIFEST = 50_000_000  # bytes of an earlier manifest.json read (55 clinicians take about 2 MB)


def clean_name(name: Any) -> str | None:
    """A manifest's file name if it names a file inside the output folder (relative, no '..'), else None."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name or len(name) > 1000:
        return None
    parts = name.split("/")
    if name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return None
    return name


def _previous_forms(out: Path) -> list[dict[str, Any]]:
    """The forms an earlier manifest in ``out`` lists; names that would leave the folder are dropped.

    The manifest is only a list of names to look at: nothing in it is trusted (every file is checked
    against what consentgen made before it is moved, and every path against the folder).
    """
    path = out / "manifest.json"
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_MANIFEST:
            return []
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return []
    forms = data.get("forms") if isinstance(data, dict) else None
    if not isinstance(forms, list):
        return []
    found = []
    for entry in forms:
        name = clean_name(entry.get("file")) if isinstance(entry, dict) else None
        if name:
            found.append({**{k: entry.get(k) for k in MANIFEST_FIELDS if isinstance(entry.get(k), (str, int))},
                          "file": name, "record": entry.get("record") if isinstance(entry.get("record"), dict)
                          else None})
    return found


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
    seen: dict[str, tuple[int, Any]] = {}
    jobs = []
    for index, (row, answers, practice) in enumerate(valid):
        stem = stems[index]
        if stem in seen:
            first, other = seen[stem]
            same = (other.name, other.license) == (practice.clinician.name, practice.clinician.license)
            message = (f"same name and license as row {first}; each clinician needs one row" if same else
                       f"its folder name '{stem}' is already that of row {first}, a different clinician; "
                       "add a middle initial to one of the names")
            failures.append(_failure(roster, row, [Problem("clinician.license", message)], practice.clinician.name))
            continue
        seen[stem] = (row.number, practice.clinician)
        chosen = tuple(editions(practice, options.document, options.client_type))
        jobs.append(Job(row.number, answers, today, options, stem, chosen,
                        tuple(languages) if languages else practice.form.languages))
    failures.sort(key=lambda f: f["row"])
    out = Path(out_dir)
    return Plan(out, fmt, jobs, failures, roster, _previous_forms(out))


def dry_run_lines(plan: Plan) -> list[str]:
    """What ``batch --dry-run`` prints: each file to be written (new or replaced) and set aside."""
    files = plan.files()
    lines = []
    for name in files:
        lines.append(f"{'replace' if (plan.out / name).exists() else 'write  '}  {plan.out / name}")
    gone = [e["file"] for e in plan.previous if e["file"] not in files and (plan.out / e["file"]).exists()]
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
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the folder ({exc.strerror or exc})") from None
    with _locked(out):
        recovered = _clear_staging(out)
        if recovered:  # a run killed while moving forms in was undone: plan again, from the folder as it is now
            plan = plan_batch(clinic_path, roster_path, out_dir, options, today=today, languages=languages)
        result = _run_locked(plan, jobs, progress, force)
        result.notices[:0] = recovered
        return result


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """One batch at a time in a folder: a second one is refused at once, with nothing changed."""
    import fcntl

    path = out / LOCK
    for _ in range(20):  # the lock file may be removed by the run that held it: then lock the new one
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            raise OutputError(f"{path}: cannot open the batch lock ({exc.strerror or exc})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError(f"{out}: another batch is writing into this folder; wait for it to finish") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path, follow_symlinks=False).st_ino
        except OSError:
            same = False
        if same:
            break
        os.close(fd)  # locked a file that was removed meanwhile (round 5, B7): another run could lock the new one
    else:
        raise OutputError(f"{out}: the batch lock keeps changing; another batch may be running")
    try:
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                path.unlink()  # the run is over (its manifest written): the folder is left as the user sees it
    finally:
        os.close(fd)


def _clear_staging(out: Path) -> list[str]:
    """Make an empty staging folder; first undo what a run that was killed while moving forms in left
    (its journal), and return the notice that says so."""
    staging = out / STAGING
    kept = staging / "replaced"
    notices = []
    try:
        if staging.is_symlink():
            raise OutputError(f"{staging}: is a link; remove it (batch stages its forms in a real folder)")
        if staging.exists() and not staging.is_dir():
            raise OutputError(f"{staging}: is a file where batch stages its forms; move it away, then run batch "
                              "again")
        if kept.is_dir() and not kept.is_symlink():
            left = recover(kept)
            if left:
                raise OutputError(f"{kept}: an earlier run was stopped while moving forms in, and some of its "
                                  "earlier files could not be put back: " + "; ".join(left))
            if left is not None:
                notices.append(f"{out}: an earlier run was stopped while moving forms in; its changes were undone "
                               "first, so the folder was as it was before that run")
            stray = sorted(p.name for p in kept.iterdir() if not p.name.startswith("."))
            if stray:
                raise OutputError(f"{kept}: holds earlier files a stopped run could not put back ({', '.join(stray)});"
                                  " move them where they belong, then run batch again")
        if staging.exists():  # left by a run that was killed
            shutil.rmtree(staging)
        staging.mkdir()
    except RecursionError:
        raise OutputError(f"{staging}: is nested too deeply to clear; remove it, then run batch again") from None
    except OSError as exc:
        raise OutputError(f"{staging}: cannot create the staging folder ({exc.strerror or exc})") from None
    return notices


@contextlib.contextmanager
def _signals_deferred() -> Iterator[Callable[[], bool]]:
    """While forms are moved in: Ctrl-C, a closed terminal (SIGHUP) and SIGTERM only set a flag, which the
    moves check between steps (then everything is undone), so no signal stops a move halfway."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    caught: list[int] = []
    wanted = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {s: signal.signal(s, lambda signum, frame: caught.append(signum)) for s in wanted}
    try:
        yield lambda: bool(caught)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _run_locked(plan: Plan, jobs: int | None, progress: Callable[[int, int, int], None] | None,
                force: bool) -> BatchResult:
    out = plan.out
    staging = out / STAGING  # made empty by run_batch's _clear_staging, under the same lock
    result = BatchResult(failures=list(plan.failures))
    cores = os.cpu_count() or 1
    # Each worker holds a PDF engine (about 70 MB): more than 4 per core only costs memory.
    workers = min(jobs or cores, 4 * cores, max(1, len(plan.jobs)))
    staged: list[dict[str, Any]] = []
    keep_staging = False
    try:
        failed = len(plan.failures)
        for number, forms, problems in _run(plan.jobs, workers):
            if problems:  # the whole row, or some of its languages
                who = next(j for j in plan.jobs if j.row == number).answers["clinician"].get("name", "")
                result.failures.append(_failure(plan.roster, number, problems, who))
                failed += 1
            if forms:
                for data, meta in forms:
                    write_atomic(_in_folder(staging, meta["file"]), data)
                    staged.append({"row": number, **meta, "sha256": digest(data),
                                   "bytes": len(data), "status": "written", "error": ""})
            if progress:
                progress(len({s["row"] for s in staged}), failed, len(plan.jobs) + len(plan.failures))
        hashes = known()  # what consentgen made, read once for every check of this run
        staged = _keep_protected(plan, staged, result, force, hashes)
        with _signals_deferred() as stop:
            moves = Moves(staging / "replaced", stop)
            try:
                moves.keep.mkdir()
                staged = _swap_in(plan, staging, staged, result, force, hashes, moves)
                result.failures.sort(key=lambda f: f["row"])
                result.failed = [line for f in result.failures for line in f["lines"]]
                result.written = sorted(staged, key=lambda item: (item["row"], item["file"]))
                _write_manifest(staging, result)  # written before anything is final, then moved in
                for name in ("manifest.csv", "manifest.json"):
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


def _in_folder(root: Path, name: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def safe_path(root: Path, name: str, *, create: bool = False) -> Path:
    """``root/name``, checked to stay inside ``root``: no '..', and no link or non-folder on the way.

    ``create`` makes the missing folders. The final name may not be a link either: batch never writes
    or moves through a link inside its folder, whoever made it.

    Raises:
        OutputError: the name leaves the folder, or a part of the path is a link or a file.
    """
    if clean_name(name) is None:
        raise OutputError(f"{root / name}: refusing a path that leaves {root}")
    path = root
    parts = name.split("/")
    for part in parts[:-1]:
        path = path / part
        if path.is_symlink():
            raise OutputError(f"{path}: is a link; batch writes and moves only inside real folders of {root}")
        if path.exists() and not path.is_dir():
            raise OutputError(f"{path}: is a file where batch needs a folder")
        if not path.exists():
            if not create:
                return root / name
            path.mkdir()
    final = path / parts[-1]
    if final.is_symlink():
        raise OutputError(f"{final}: is a link; batch replaces only real files inside {root}")
    if final.exists() and not final.is_file():
        raise OutputError(f"{final}: is a folder or other non-file where batch writes a form")
    return final


def _free_name(path: Path) -> Path:
    """``path`` if nothing is there, else ``NAME (2).pdf``, ``NAME (3).pdf``...: a move never overwrites."""
    candidate, n = path, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
    return candidate


def _keep_protected(plan: Plan, staged: list[dict[str, Any]], result: BatchResult, force: bool,
                    hashes: set[str]) -> list[dict[str, Any]]:
    """Leave in place every existing file that must not be replaced (a client's copy, or not ours)."""
    if force:
        return staged
    kept = []
    for item in staged:
        reason = protected_reason(plan.out / item["file"], hashes=hashes)
        if reason:
            result.failures.append(_file_failure(plan, item, refusal(plan.out / item["file"], reason)))
        else:
            kept.append(item)
    return kept


def _failed_folders(result: BatchResult) -> set[str]:
    """The folder names of clinicians whose rows (or some of whose forms) failed this run."""
    return {slug(str(f["clinician"])) for f in result.failures if f.get("clinician")}


def _swap_in(plan: Plan, staging: Path, staged: list[dict[str, Any]], result: BatchResult, force: bool,
             hashes: set[str], moves: Moves) -> list[dict[str, Any]]:
    """Move the staged forms into place and set aside forms the roster no longer has; return what moved in.

    Every path is checked to stay inside the output folder, through real folders only. Earlier forms are
    set aside only when consentgen made them and nobody changed them, and never over another file; the
    forms of a clinician whose row failed this run stay where they are ("not refreshed"). Every change
    is noted in ``moves``; an error about the disk (full, read-only) is raised for the caller to undo
    them all, while a problem with one file fails that file only.
    """
    out = plan.out
    superseded = out / SUPERSEDED
    if superseded.is_symlink() or (superseded.exists() and not superseded.is_dir()):
        bad_superseded = f"{superseded} is {'a link' if superseded.is_symlink() else 'a file'}, not a folder"
    else:
        bad_superseded = ""
    moved: list[dict[str, Any]] = []
    for name in ("manifest.json", "manifest.csv"):
        path = out / name
        if path.is_file() and not path.is_symlink() and file_digest(path) not in hashes:  # edited since it was made
            target = _free_name(path.with_name(f"{path.stem} (edited){path.suffix}"))
            moves.move(path, target)
            result.notices.append(f"{path}: was changed since consentgen wrote it; kept as {target.name}")
        else:
            moves.put_aside(path)
    for item in staged:
        missing = moves.folders(out / item["file"], out)
        try:
            target = safe_path(out, item["file"], create=True)
        except OutputError as exc:
            result.failures.append(_file_failure(plan, item, exc.message))
            continue
        finally:
            moves.made_folders(missing)
        existed = target.exists()
        try:  # checked again at the moment of the move: a copy saved since the first check is kept
            moves.install(staging / item["file"], target, guard_for(force=force, new_hash=item["sha256"],
                                                                   hashes=hashes))
        except OutputError as exc:
            result.failures.append(_file_failure(plan, item, exc.message))
            continue
        except OSError as exc:
            if disk_error(exc):
                raise
            result.failures.append(_file_failure(plan, item, f"{target}: cannot move it into place "
                                                             f"({exc.strerror or exc})"))
            continue
        if existed:
            result.replaced.append(item["file"])
        moved.append(item)
    _set_aside(plan, {item["file"] for item in moved}, result, bad_superseded, hashes, moves)
    return moved


def _set_aside(plan: Plan, new: set[str], result: BatchResult, bad_superseded: str, hashes: set[str],
               moves: Moves) -> None:
    """Earlier forms this run does not make: kept (row failed, or a client's copy) or moved to superseded/."""
    out, failed = plan.out, _failed_folders(result)
    for entry in plan.previous:
        name = entry["file"]
        if name in new or name.startswith(SUPERSEDED + "/"):
            continue
        try:
            path = safe_path(out, name)
        except OutputError as exc:
            result.notices.append(f"{out / name}: left alone: {exc.message}")
            continue
        if not path.is_file():
            continue
        top = name.split("/", 1)[0]
        if top in failed or any(top.startswith(f + "-") for f in failed):
            result.kept.append({**entry, "status": "not refreshed",
                                "error": "this clinician's row failed in this run; the earlier form was kept"})
            continue
        reason = protected_reason(path, hashes=hashes)
        if reason or bad_superseded:
            _keep(result, entry, path, f"it {reason}" if reason else bad_superseded)
            continue
        missing = moves.folders(out / SUPERSEDED / name, out)
        try:
            (out / SUPERSEDED).mkdir(exist_ok=True)  # checked above: not a link, not a file
            target = _free_name(safe_path(out / SUPERSEDED, name, create=True))
            moves.made_folders(missing)
            moves.move(path, target)  # a link first: never over a file that took the name meanwhile
        except OutputError as exc:
            moves.made_folders(missing)
            _keep(result, entry, path, exc.message)
            continue
        except OSError as exc:
            moves.made_folders(missing)
            if disk_error(exc):
                raise
            _keep(result, entry, path, str(exc.strerror or exc))
            continue
        result.superseded.append(target.relative_to(out / SUPERSEDED).as_posix())  # as before: the name in superseded/
        moves.removed_folder(path.parent)  # only if now empty


def _keep(result: BatchResult, entry: dict[str, Any], path: Path, why: str) -> None:
    """An earlier form left where it is (``kept`` in the manifest), and the line that says why."""
    result.kept.append({**entry, "status": "kept", "error": f"not set aside: {why}"})
    result.notices.append(f"{path}: left in place: {why}")


def _cell(value: Any) -> str:
    """A manifest cell, with anything a spreadsheet would run as a formula made plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _row_number(value: Any) -> int:
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else 0


def _write_manifest(out: Path, result: BatchResult) -> None:
    kept = [{**{k: item.get(k, "") for k in MANIFEST_FIELDS}, "row": _row_number(item.get("row")),
             "record": item.get("record")} for item in result.kept]
    rows: list[dict[str, Any]] = [{k: item.get(k, "") for k in MANIFEST_FIELDS} for item in result.written]
    rows += [{k: item[k] for k in MANIFEST_FIELDS} for item in kept]
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
                         for item in result.written] + kept,
               "failed": result.failed,  # printable lines, as before
               "failures": [{"row": f["row"], "clinician": f["clinician"], "error": f["error"]}
                            for f in result.failures],
               "superseded": result.superseded}
    write_atomic(out / "manifest.json", json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
