"""What a batch will do, decided before anything is rendered: every row validated, every file named."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consentgen.batch.manifest import MANIFEST_FIELDS
from consentgen.documents.document import editions
from consentgen.errors import DataFileError, Problem
from consentgen.inputs.answers import parse_practice, read_clinic
from consentgen.inputs.roster import COLUMN_OF, RosterRow, license_warnings, read_roster, row_answers
from consentgen.model.options import RenderOptions, form_file_name
from consentgen.render.registry import get_format

OTHER_FILE = "(another file)"  # a row's problem found in a file other than the roster (its state's data)


SUPERSEDED = "superseded"


RESERVED_STEMS = frozenset({SUPERSEDED, "con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                            *(f"lpt{i}" for i in range(10))})


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
    practice: Any = None  # the row's practice, parsed once when planning (None: parse the answers again)


@dataclass
class Plan:
    """What a batch will do, decided before anything is rendered."""

    out: Path
    fmt: str
    jobs: list[Job]
    failures: list[dict[str, Any]]
    roster: str
    previous: list[dict[str, Any]]  # the forms the previous manifest in the folder listed (names checked)
    clinic: str = ""  # the clinic file as given (the manifest records it, so `outdated` can say how to re-run)
    warnings: list[str] = field(default_factory=list)  # printable lines about rows that are valid but doubtful
    document: str = "consent"  # the document type this run makes (another type's earlier files are left alone)

    def makes(self, entry: dict[str, Any]) -> bool:
        """Whether an earlier manifest entry is of the document type this run makes (so it may replace or set it
        aside); packets and consent forms share a folder, and a run of one leaves the other's files alone."""
        record = entry.get("record")
        kind = record.get("document") if isinstance(record, dict) else None
        return str(kind or "consent") == self.document

    def files(self) -> list[str]:
        """Every file the run will write, relative to the output folder."""
        return [file_name(job.stem, edition, self.fmt, job.options.document, language) for job in self.jobs
                for language in job.languages for edition in job.editions]


def file_name(stem: str, edition: str | None, fmt: str, document: str = "consent", language: str = "en") -> str:
    """``<clinician>/<edition>.pdf`` in English (the names batch always gave), ``<edition>-<language>.pdf`` else."""
    return f"{stem}/{form_file_name(edition, document, language, fmt)}"


def row_problem(roster: str, row: int, problem: Problem, who: str = "") -> str:
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


def failed_folders(failures: list[dict[str, Any]]) -> set[str]:
    """The folder names of clinicians whose rows (or some of whose forms) failed in this run."""
    return {slug(str(f["clinician"])) for f in failures if f.get("clinician")}


def in_failed_folder(name: str, failed: set[str]) -> bool:
    """Whether a form (a path inside the output folder) lies in the folder of a clinician whose row failed;
    a folder made unique with a suffix ('jane-doe-2') counts as its clinician's."""
    top = name.split("/", 1)[0]
    return top in failed or any(top.startswith(f + "-") for f in failed)


def file_failure(plan: Plan, item: dict[str, Any], message: str) -> dict[str, Any]:
    """A failure of one form (not its whole row): ``ROSTER row N (NAME): message``, the file named."""
    return {"row": item["row"], "clinician": item["clinician"],
            "lines": [row_problem(plan.roster, item["row"], Problem(OTHER_FILE, message), item["clinician"])],
            "error": message, "file": item["file"]}


def failure(plan_roster: str, row: RosterRow | int, problems: list[Problem], who: str) -> dict[str, Any]:
    number = row if isinstance(row, int) else row.number
    return {"row": number, "clinician": who, "lines": [row_problem(plan_roster, number, p, who) for p in problems],
            "error": "; ".join(f"{row_problem('', number, p).split(': ', 1)[1]}" for p in problems)}


MAX_MANIFEST = 50_000_000  # bytes of an earlier manifest.json read (55 clinicians take about 2 MB)


def clean_name(name: Any) -> str | None:
    """A manifest's file name if it names a file inside the output folder (relative, no '..'), else None."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name or len(name) > 1000:
        return None
    parts = name.split("/")
    if name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return None
    return name


def previous_forms(out: Path) -> list[dict[str, Any]]:
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
            found.append({**{k: entry.get(k) for k in (*MANIFEST_FIELDS, "inputs", "output")
                             if isinstance(entry.get(k), (str, int))},
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
        failures.append(failure(roster, row, problems, who))
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
            failures.append(failure(roster, row, [Problem("clinician.license", message)], practice.clinician.name))
            continue
        seen[stem] = (row.number, practice.clinician)
        chosen = tuple(editions(practice, options.document, options.client_type))
        jobs.append(Job(row.number, answers, today, options, stem, chosen,
                        tuple(languages) if languages else practice.form.languages, practice))
    failures.sort(key=lambda f: f["row"])
    out = Path(out_dir)
    return Plan(out, fmt, jobs, failures, roster, previous_forms(out), str(clinic_path),
                license_warnings(roster_path, rows), options.document)
