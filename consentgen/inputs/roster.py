"""Read a clinic roster (CSV or .xlsx): one clinician per row, with optional per-row overrides."""

from __future__ import annotations

import collections
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consentgen.errors import DataFileError, Problem
from consentgen.files.yamlfile import read_text
from consentgen.model.practice import SERVICES, profession_from

REQUIRED = ("name", "credentials", "profession", "license")
OPTIONAL = ("supervisor_name", "supervisor_credentials", "supervisor_license", "license_state", "jurisdiction",
            "language", "npi", *SERVICES)
TRUE = {"yes", "y", "true", "1", "x"}
FALSE = {"no", "n", "false", "0"}
MAX_ROWS = 5000


@dataclass(frozen=True)
class RosterRow:
    """One clinician row: its 1-based row number in the file (the header is row 1) and its values."""

    number: int
    values: dict[str, str]


def _column(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def parse_bool(text: str) -> bool | None:
    """A yes/no cell: None when empty (the clinic's setting applies)."""
    value = text.strip().lower()
    if not value:
        return None
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError(f"'{text}' is not yes or no")


def read_roster(path: str | Path) -> list[RosterRow]:
    """Read and check the roster's header; return its non-blank rows. A CSV file (UTF-8) or an .xlsx workbook
    (its first sheet, cells as the sheet shows them).

    Raises:
        DataFileError: missing, binary, non-UTF-8, empty, or a header without the required columns.
    """
    path = Path(path)
    name = str(path)
    table = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    header = next(table, None)
    if header is None:
        raise DataFileError(name, [Problem("", "the roster is empty (it needs a header row)")])
    columns = [_column(c) for c in header[1]]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise DataFileError(name, [Problem("row 1", f"missing column(s): {', '.join(missing)}; the header "
                                                   f"needs at least: {','.join(REQUIRED)}")])
    unknown = [c for c in columns if c and c not in REQUIRED + OPTIONAL]
    if unknown:
        shown = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        raise DataFileError(name, [Problem("row 1", f"unknown column(s): {shown}; optional "
                                                   f"columns are: {', '.join(OPTIONAL)}")])
    counts = collections.Counter(columns)
    dupes = {c for c, n in counts.items() if c and n > 1}  # linear: a header of 200 000 names is quick
    if dupes:
        raise DataFileError(name, [Problem("row 1", f"column(s) listed twice: {', '.join(sorted(dupes))}")])
    rows: list[RosterRow] = []
    for number, cells in table:
        if len(rows) >= MAX_ROWS:
            raise DataFileError(name, [Problem("", f"has more than {MAX_ROWS} rows")])
        if len(cells) > len(columns):
            rows.append(RosterRow(number, {"__error__": f"has {len(cells)} cells but the header has {len(columns)}"}))
            continue
        values = {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(columns) if col}
        rows.append(RosterRow(number, values))
    if not rows:
        raise DataFileError(name, [Problem("", "the roster has a header but no clinicians")])
    return rows


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The CSV file's non-blank rows, each with its line number."""
    text = read_text(path, max_bytes=5_000_000)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield reader.line_num, cells
    except csv.Error as exc:
        raise DataFileError(str(path), [Problem(f"row {reader.line_num}", f"CSV error: {exc}")]) from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from consentgen.files.sheets import read_sheet

    yield from read_sheet(path, max_bytes=5_000_000, max_rows=MAX_ROWS + 1)


# A license a spreadsheet turned into a number: "7.1E+07", "12345.0", or a short whole part before a long
# decimal part ("71.009876" from "071.009876"). Only a CSV can carry such a change unseen.
_NUMBER_LIKE = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+|\d+\.0|\d{1,2}\.\d{4,}")


def license_warnings(path: str | Path, rows: list[RosterRow]) -> list[str]:
    """``ROSTER row N (NAME): license: ...`` for each CSV license that looks like a number Excel changed."""
    if Path(path).suffix.lower() != ".csv":
        return []
    lines = []
    for row in rows:
        license_ = row.values.get("license", "")
        if _NUMBER_LIKE.fullmatch(license_):
            who = row.values.get("name", "").replace("\n", " ").replace("\r", " ")
            lines.append(f"{path} row {row.number} ({who}): license: '{license_}' looks like a number a spreadsheet "
                         "changed (a lost leading zero, '.0' or an exponent); check it against the license itself. "
                         "Save the roster as .xlsx, or format the column as text, to keep it as typed.")
    return lines


COLUMN_OF = {
    "clinician.name": "name", "clinician.credentials": "credentials", "clinician.profession": "profession",
    "clinician.license": "license", "clinician.supervisor.name": "supervisor_name",
    "clinician.supervisor.credentials": "supervisor_credentials",
    "clinician.supervisor.license": "supervisor_license", "clinician.supervisor": "supervisor_name",
    "jurisdiction": "jurisdiction", "clinician.license_state": "license_state", "form.language": "language",
    "clinician.npi": "npi",
}


def row_answers(clinic: dict[str, Any], row: RosterRow) -> tuple[dict[str, Any], list[Problem]]:
    """Merge the clinic's answers with one roster row into an answers mapping."""
    problems: list[Problem] = []
    if "__error__" in row.values:
        return {}, [Problem("", row.values["__error__"])]
    v = row.values
    clinician: dict[str, Any] = {k: v[k] for k in ("name", "credentials", "profession", "license", "license_state",
                                                              "npi") if v.get(k)}
    if "profession" in clinician:  # the wizard's label or a common abbreviation (LPC, LCSW, ...) is fine
        clinician["profession"] = profession_from(clinician["profession"])
    sup = {k: v.get(f"supervisor_{k}", "") for k in ("name", "credentials", "license")}
    if any(sup.values()):
        clinician["supervisor"] = {k: val for k, val in sup.items() if val}
    answers = {**clinic, "clinician": clinician, "services": dict(clinic.get("services") or {})}
    if v.get("jurisdiction"):
        answers["jurisdiction"] = v["jurisdiction"]
    if v.get("language"):  # this clinician's form language(s), checked as the answers' form.language is
        answers["form"] = {**(answers.get("form") or {}), "language": v["language"]}
    for service in SERVICES:
        if service in v:
            try:
                flag = parse_bool(v[service])
            except ValueError as exc:
                problems.append(Problem(service, str(exc)))
                continue
            if flag is not None:
                answers["services"][service] = flag
    return answers, problems
