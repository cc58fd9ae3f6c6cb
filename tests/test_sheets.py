"""Spreadsheets as they are (issue 25): .xlsx rosters read as the sheet shows them, manifest.xlsx with text
cells, and a warning for a CSV license a spreadsheet turned into a number."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest
from consentgen import RenderOptions
from consentgen.batch import MANIFEST_FIELDS, run_batch
from consentgen.errors import DataFileError
from consentgen.inputs.roster import read_roster

from .test_batch import CLINIC, write
from .test_cli import run

DAY = dt.date(2026, 11, 22)


def _workbook(path, rows, formats=None):
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a name that looks like a formula, typed as text
            if formats and (r, c) in formats:
                cell.number_format = formats[(r, c)]
    book.save(path)
    return path


def test_an_xlsx_roster_is_read_as_the_sheet_shows_it(tmp_path):
    path = _workbook(tmp_path / "roster.xlsx", [
        ["Name", "Credentials", "Profession", "License", "Minors"],
        ["Ann Lee", "LCPC", "counselor", "071.009876", True],  # typed into a text cell
        [None, None, None, None, None],  # a blank row is skipped, as in a CSV
        ["Bo Chan", "PhD", "psychologist", 71.009876, False],  # a number shown as 000.000000
        ["Cy Diaz", "LCSW", "social_worker", 12345, None],  # a whole number: no ".0"
    ], formats={(4, 4): "000.000000"})
    rows = read_roster(path)
    assert [r.number for r in rows] == [2, 4, 5]
    assert [r.values["license"] for r in rows] == ["071.009876", "071.009876", "12345"]
    assert [r.values["minors"] for r in rows] == ["yes", "no", ""]


@pytest.mark.parametrize(("make", "expected"), [
    (lambda p: p.write_bytes(b"name,credentials\n"), "is not an .xlsx workbook"),
    (lambda p: _bomb(p), "unpacks to more than 50 MB"),
])
def test_a_bad_or_bloated_workbook_is_refused_before_it_is_parsed(tmp_path, make, expected):
    path = tmp_path / "roster.xlsx"
    make(path)
    with pytest.raises(DataFileError) as info:
        read_roster(path)
    assert str(path) in info.value.message and expected in info.value.message


def _bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * 60_000_000)  # 60 MB of zeros, about 60 KB zipped
    assert path.stat().st_size < 1_000_000


def test_batch_reads_an_xlsx_roster_and_writes_manifest_xlsx_with_text_cells(tmp_path):
    roster = _workbook(tmp_path / "roster.xlsx", [
        ["name", "credentials", "profession", "license"],
        ["Ann Lee", "LCPC", "counselor", "071.009876"],
        ["=HYPERLINK(\"x\")", "PhD", "psychologist", "PSY 2"],
    ])
    out = tmp_path / "out"
    result = run_batch(CLINIC, roster, out, RenderOptions(format="html"), today=DAY, jobs=1)
    assert result.written and not result.failures, result.failed
    sheet = openpyxl.load_workbook(out / "manifest.xlsx").active
    rows = [[cell for cell in row] for row in sheet.iter_rows()]
    assert [c.value for c in rows[0]] == list(MANIFEST_FIELDS)
    assert all(c.data_type == "s" for row in rows for c in row if c.value is not None)  # text, never a formula
    licenses = {row[5].value for row in rows[1:]}
    assert "071.009876" in licenses
    assert any(str(row[2].value).startswith("=HYPERLINK") for row in rows[1:])  # shown as typed, not run
    again = run_batch(CLINIC, roster, out, RenderOptions(format="html"), today=DAY, jobs=1)
    assert len(again.unchanged) == len(result.written)  # the xlsx manifest is ours: replaced, not kept aside
    assert not list(out.glob("manifest (edited)*"))


def test_a_csv_license_that_a_spreadsheet_changed_is_named(tmp_path):
    roster = write(tmp_path, "name,credentials,profession,license\nAnn Lee,LCPC,counselor,71.009876\n"
                             "Bo Chan,PhD,psychologist,12345.0\nCy Diaz,LCSW,social_worker,LCSW 12\n")
    done = run("check", CLINIC, roster)
    assert done.returncode == 0, done.stderr
    flagged = [line for line in done.stderr.splitlines() if "looks like a number a spreadsheet changed" in line]
    assert len(flagged) == 2
    assert flagged[0].startswith(f"{roster} row 2 (Ann Lee): license: '71.009876'")
    assert flagged[1].startswith(f"{roster} row 3 (Bo Chan): license: '12345.0'")
    dry = run("batch", CLINIC, roster, "-o", tmp_path / "out", "--dry-run")
    assert sum("looks like a number" in line for line in dry.stdout.splitlines()) == 2


def test_a_sheet_whose_declared_range_is_stale_is_still_read_to_its_last_row(tmp_path):
    """Review H1: programs that write .xlsx may leave a wrong <dimension>; every row is read all the same."""
    import re
    import shutil

    path = _workbook(tmp_path / "roster.xlsx", [
        ["name", "credentials", "profession", "license"],
        ["Ann Lee", "LCPC", "counselor", "C 1"], ["Bo Chan", "PhD", "psychologist", "P 2"],
        ["Cy Diaz", "LCSW", "social_worker", "S 3"]])
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(stale, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:D2"/>', data)
                assert n == 1
            target.writestr(item, data)
    shutil.copy(stale, path)
    assert [r.values["name"] for r in read_roster(path)] == ["Ann Lee", "Bo Chan", "Cy Diaz"]
