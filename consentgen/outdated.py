"""``consentgen outdated``: which forms rest on law that has changed since they were made.

Reads form records from a batch manifest (``manifest.json``) or from a PDF's attached record,
resolves each form's rules with the installed jurisdiction data and compares content hashes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consentgen.documents.record import RECORD_NAME
from consentgen.errors import DataFileError, Problem
from consentgen.files.yamlfile import read_text
from consentgen.law.changes import Change, compare
from consentgen.law.load import load_jurisdiction
from consentgen.law.resolve import resolve


@dataclass
class FormStatus:
    """One form and what changed in the law behind it."""

    form: str
    record: dict[str, Any]
    changes: list[Change] = field(default_factory=list)

    @property
    def outdated(self) -> bool:
        """Whether any rule the form rests on changed."""
        return bool(self.changes)


def _records(path: Path) -> list[tuple[str, dict[str, Any]]]:
    if path.suffix.lower() == ".pdf":
        import pypdf

        try:
            reader = pypdf.PdfReader(str(path))
            data = reader.attachments.get(RECORD_NAME)
        except Exception as exc:  # noqa: BLE001 - any unreadable PDF
            raise DataFileError(str(path), [Problem("", f"is not a readable PDF ({type(exc).__name__})")]) from None
        if not data:
            raise DataFileError(str(path), [Problem("", f"has no {RECORD_NAME} (not made by consentgen 0.2 or "
                                                        "later)")])
        return [(str(path), json.loads(data[0]))]
    try:
        manifest = json.loads(read_text(path))
    except ValueError as exc:
        raise DataFileError(str(path), [Problem("", f"is not JSON ({exc})")]) from None
    forms = manifest.get("forms") if isinstance(manifest, dict) else None
    if not isinstance(forms, list):
        raise DataFileError(str(path), [Problem("forms", "is missing: give a batch manifest.json or a PDF")])
    found = []
    for i, item in enumerate(forms):
        if not isinstance(item, dict) or not isinstance(item.get("record"), dict):
            raise DataFileError(str(path), [Problem(f"forms[{i}].record", "is missing (a manifest from before "
                                                                          "consentgen 0.2?); re-run the batch")])
        found.append((str(item.get("file", f"form {i + 1}")), item["record"]))
    return found


def check_outdated(path: str | Path) -> list[FormStatus]:
    """The status of every form a manifest or PDF describes.

    Raises:
        DataFileError: the file is unreadable, or holds no form records.
    """
    statuses = []
    for name, record in _records(Path(path)):
        try:
            law = resolve(load_jurisdiction(str(record["jurisdiction"])), record.get("profession"),
                          set(record.get("services") or ()))
            rules = record["rules"]
        except (KeyError, TypeError) as exc:
            raise DataFileError(str(path), [Problem(name, f"the record is incomplete ({exc})")]) from None
        statuses.append(FormStatus(name, record, compare(rules, law)))
    return statuses


def outdated_json(statuses: list[FormStatus]) -> list[dict[str, Any]]:
    """The ``--json`` shape: one object per form."""
    return [{"form": s.form, "jurisdiction": s.record.get("jurisdiction"), "client_type": s.record.get("client_type"),
             "made_with": s.record.get("consentgen"), "form_date": s.record.get("form_date"), "outdated": s.outdated,
             "changes": [{"rule": c.key, "kind": c.kind, "fields": list(c.fields), "verified_on": c.verified_on,
                          "summary": c.summary()} for c in s.changes]} for s in statuses]
