"""What a batch did, and the manifest (CSV, .xlsx and JSON) that lists it."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consentgen.files.output import write_atomic
from consentgen.files.sheets import write_sheet

MANIFEST_FIELDS = ("row", "file", "clinician", "credentials", "profession", "license", "jurisdiction", "client_type",
                   "form_version", "rules_verified_on", "form_date", "fingerprint", "sha256", "bytes", "status",
                   "error", "language", "change", "what_changed", "review", "wording")
# Columns are only ever added at the end, so tools that read them by position keep working.
MANIFESTS = ("manifest.csv", "manifest.xlsx", "manifest.json")  # the files a run writes about itself


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
    unchanged: list[dict[str, Any]] = field(default_factory=list)  # forms left in place: this run's would be the same
    set_aside: list[dict[str, Any]] = field(default_factory=list)  # manifest rows of the forms moved to superseded/
    others: list[dict[str, Any]] = field(default_factory=list)  # another document type's forms, listed as they were
    source: dict[str, str] = field(default_factory=dict)  # the clinic file and roster the run read (as given)
    notices: list[str] = field(default_factory=list)  # printable lines about files left alone


def _cell(value: Any) -> str:
    """A manifest cell, with anything a spreadsheet would run as a formula made plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _row_number(value: Any) -> int:
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else 0


def write_manifest(out: Path, result: BatchResult) -> None:
    kept = [{**{k: item.get(k, "") for k in MANIFEST_FIELDS}, "row": _row_number(item.get("row")),
             "record": item.get("record")} for item in result.kept]
    forms = [{**{k: item.get(k, "") for k in MANIFEST_FIELDS}, "record": item.get("record")}
             for item in sorted(result.written + result.unchanged, key=lambda i: (i["row"], i["file"]))]
    rows: list[dict[str, Any]] = [{k: item[k] for k in MANIFEST_FIELDS} for item in forms + kept]
    rows += [{**{k: item.get(k, "") for k in MANIFEST_FIELDS}, "row": _row_number(item.get("row"))}
             for item in result.set_aside + result.others]
    rows += [{**{k: "" for k in MANIFEST_FIELDS}, "row": f["row"], "clinician": f["clinician"], "status": "failed",
              "error": f["error"]} for f in result.failures]
    rows.sort(key=lambda r: (int(r["row"]), str(r["file"])))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=MANIFEST_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    write_atomic(out / "manifest.csv", "\ufeff" + buffer.getvalue())  # the BOM makes Excel read UTF-8
    write_sheet(out / "manifest.xlsx", list(MANIFEST_FIELDS), [[str(row[k]) for k in MANIFEST_FIELDS] for row in rows])
    extra = {item["file"]: {"inputs": item.get("inputs", ""), "output": item.get("output", "")}
             for item in result.written + result.unchanged}
    payload = {"forms": [{**item, **extra.get(item["file"], {})} for item in forms] + kept + result.others,
               "failed": result.failed,  # printable lines, as before
               "failures": [{"row": f["row"], "clinician": f["clinician"], "error": f["error"]}
                            for f in result.failures],
               "superseded": result.superseded,
               "source": result.source}
    write_atomic(out / "manifest.json", json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
