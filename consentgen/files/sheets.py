"""Spreadsheets (.xlsx) in and out: a roster's cells as the user typed them, a manifest with text cells.

Reading is bounded before anything is parsed: the file's size, the total size of what its zip holds (a zip
bomb is refused unopened), the rows and the columns. Numbers are given back as the sheet shows them:
a license typed into a text cell stays as typed (``071.009876``), a whole number loses Excel's ``.0``,
and a number shown with leading zeros (a format such as ``000.000000``) keeps them.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

from consentgen.errors import DataFileError, Problem
from consentgen.files.output import write_atomic

MAX_UNPACKED = 50_000_000  # bytes a workbook's parts may take once unzipped (a 5000-row roster takes about 2 MB)
MAX_COLUMNS = 200


def read_sheet(path: Path, *, max_bytes: int, max_rows: int) -> list[tuple[int, list[str]]]:
    """The first worksheet's rows as text, each with its 1-based row number; blank rows are left out.

    Raises:
        DataFileError: not a readable .xlsx workbook, too large, or openpyxl is missing.
    """
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataFileError(name, [Problem("", f"cannot be read ({exc.strerror or exc})")]) from None
    if size > max_bytes:
        raise DataFileError(name, [Problem("", f"is too large (more than {max_bytes // 1_000_000} MB)")])
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DataFileError(name, [Problem("", "is not an .xlsx workbook (save it from Excel or LibreOffice as "
                                               ".xlsx, or as CSV UTF-8)")]) from None
    if unpacked > MAX_UNPACKED:
        raise DataFileError(name, [Problem("", "unpacks to more than 50 MB; a roster is far smaller (is it the "
                                               "right file?)")])
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency of consentgen
        raise DataFileError(name, [Problem("", "reading .xlsx needs openpyxl: pip install openpyxl")]) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any workbook openpyxl cannot read
        raise DataFileError(name, [Problem("", f"is not a readable .xlsx workbook ({type(exc).__name__})")]) \
            from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # read every row the sheet holds, not only the range it declares
        rows: list[tuple[int, list[str]]] = []
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
            values = [_text(cell) for cell in cells]
            while values and not values[-1]:
                values.pop()
            if not any(values):
                continue
            if len(rows) > max_rows:
                raise DataFileError(name, [Problem("", f"has more than {max_rows} rows")])
            rows.append((number, values))
        return rows
    finally:
        book.close()


def _text(cell: Any) -> str:
    """A cell as the sheet shows it."""
    value = getattr(cell, "value", None)
    if value is None or getattr(cell, "data_type", "") == "e":  # empty, or a formula error such as #N/A
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _number(value, str(getattr(cell, "number_format", "General") or "General"))
    return str(value).strip()


def _number(value: float, fmt: str) -> str:
    """A number as a simple Excel format shows it: ``0000`` keeps leading zeros, ``0.00`` its decimals."""
    match = re.fullmatch(r"(0+)(?:\.(0+))?", fmt.strip())
    if match:
        whole, decimals = len(match.group(1)), len(match.group(2) or "")
        text = f"{value:.{decimals}f}"
        head, _, tail = text.partition(".")
        head = head.zfill(whole)
        return f"{head}.{tail}" if decimals else head
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value)) if isinstance(value, float) else str(value)


def write_sheet(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """An .xlsx workbook with one sheet whose every cell is text (Excel keeps ``071.009876`` and never runs
    a formula), written atomically."""
    import io

    import openpyxl
    from openpyxl.cell.cell import TYPE_STRING

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("manifest")
    for line in [header, *rows]:
        cells = []
        for value in line:
            cell = openpyxl.cell.WriteOnlyCell(sheet, value=str(value))
            cell.data_type = TYPE_STRING
            cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue())
