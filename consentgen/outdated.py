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


MAX_PDF = 50_000_000  # bytes of a PDF read (a form is about 0.3 MB)
MAX_MANIFEST = 200_000_000  # bytes of a manifest read (5000 clinicians in two languages take about 100 MB)


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is refused before it is read."""
    try:
        info = path.stat()  # follows a link: what is read is what it points to
    except OSError as exc:
        raise DataFileError(str(path), [Problem("", f"cannot be read ({exc.strerror or exc})")]) from None
    import stat

    if not stat.S_ISREG(info.st_mode):
        raise DataFileError(str(path), [Problem("", "is not a regular file (a device, pipe or folder)")])
    if info.st_size > limit:
        raise DataFileError(str(path), [Problem("", f"is too large (more than {limit // 1_000_000} MB)")])
    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except OSError as exc:
        raise DataFileError(str(path), [Problem("", f"cannot be read ({exc.strerror or exc})")]) from None


def _json(data: bytes | str, path: Path, what: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        detail = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise DataFileError(str(path), [Problem(what, f"is not JSON ({detail})")]) from None


def _records(path: Path) -> list[tuple[str, dict[str, Any]]]:
    if path.suffix.lower() == ".pdf":
        import io

        import pypdf

        raw = _read_regular(path, MAX_PDF)
        try:
            reader = pypdf.PdfReader(io.BytesIO(raw))
            data = reader.attachments.get(RECORD_NAME)
            meta = reader.metadata
            creator = str(meta.get("/Creator", "")) if meta else ""
        except Exception as exc:  # noqa: BLE001 - any unreadable PDF
            raise DataFileError(str(path), [Problem("", f"is not a readable PDF ({type(exc).__name__})")]) from None
        if not data:
            raise DataFileError(str(path), [Problem("", f"has no {RECORD_NAME} (not made by consentgen 0.2 or "
                                                        "later)")])
        if not creator.startswith("consentgen"):
            maker = creator or "an unknown program"
            raise DataFileError(str(path), [Problem("", f"was not made by consentgen (made by {maker}): its "
                                                        f"{RECORD_NAME} cannot be trusted")])
        record = _json(data[0], path, RECORD_NAME)
        return [(str(path), record)]
    manifest = _json(_read_regular(path, MAX_MANIFEST), path, "")
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


def _checked(record: Any) -> str | None:
    """What is wrong with a record's shape, or None: every field ``outdated`` reads, with its type."""
    from consentgen.model.practice import PROFESSIONS, SERVICES

    if not isinstance(record, dict):
        return "is not an object"
    code = record.get("jurisdiction")
    if not isinstance(code, str) or not code.startswith("US-"):
        return "jurisdiction: is not a state code such as US-CA"
    if record.get("profession") not in (None, *PROFESSIONS):
        return f"profession: {str(record.get('profession'))[:40]!r} is not a profession"
    services = record.get("services") or []
    if not isinstance(services, list) or any(s not in SERVICES for s in services):
        return "services: is not a list of services"
    rules = record.get("rules")
    if not isinstance(rules, dict) or not all(
            isinstance(k, str) and isinstance(v, dict) and isinstance(v.get("fields", {}), dict)
            for k, v in rules.items()):
        return "rules: is not an object of rules"
    return None


def check_outdated(path: str | Path) -> list[FormStatus]:
    """The status of every form a manifest or PDF describes.

    Raises:
        DataFileError: the file is unreadable, or holds no form records, or a record is malformed.
    """
    statuses = []
    for name, record in _records(Path(path)):
        problem = _checked(record)
        if problem:
            raise DataFileError(str(path), [Problem(name, f"the record is malformed: {problem}")])
        try:
            law = resolve(load_jurisdiction(str(record["jurisdiction"])), record.get("profession"),
                          set(record.get("services") or ()))
            changes = compare(record["rules"], law)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DataFileError(str(path), [Problem(name, f"the record is incomplete ({exc})")]) from None
        statuses.append(FormStatus(name, record, changes))
    return statuses


def outdated_json(statuses: list[FormStatus]) -> list[dict[str, Any]]:
    """The ``--json`` shape: one object per form."""
    return [{"form": s.form, "jurisdiction": s.record.get("jurisdiction"), "client_type": s.record.get("client_type"),
             "made_with": s.record.get("consentgen"), "form_date": s.record.get("form_date"), "outdated": s.outdated,
             "changes": [{"rule": c.key, "kind": c.kind, "fields": list(c.fields), "verified_on": c.verified_on,
                          "summary": c.summary()} for c in s.changes]} for s in statuses]
