"""A form's record: who it was for, and the content hash of every rule it rests on.

The record goes into the batch manifest (per form) and into each PDF as an attached file
(``consentgen-record.json``), so ``consentgen outdated`` can tell later whether the law behind
a form has changed.
"""

from __future__ import annotations

import json
from typing import Any

from consentgen.documents.document import Document
from consentgen.law.changes import rules_record

RECORD_NAME = "consentgen-record.json"
RECORD_VERSION = 1


def form_record(doc: Document) -> dict[str, Any]:
    """The record of one built document."""
    p = doc.practice
    return {
        "record": RECORD_VERSION, "consentgen": doc.version, "document": doc.kind, "client_type": doc.client_type,
        "jurisdiction": doc.law.code, "profession": p.clinician.profession,
        "services": p.services.chosen(), "clinician": p.clinician.name, "form_date": doc.date.isoformat(),
        "language": doc.law.language,
        "rules": rules_record(basis for _, basis in doc.rests_on),
        # the full source list the client's copy leaves out (it links each law to its site)
        "sources": [{"label": src.label, "url": src.url, "type": src.type} for src in doc.source_list],
    }


def _attached(record: dict[str, Any]) -> bytes:
    """A record as the JSON file attached to a PDF."""
    return (json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def record_bytes(doc: Document, certified_by: str | None = None) -> bytes:
    """The record as the JSON file attached to the PDF; ``certified_by``: the key it will be certified with."""
    record = form_record(doc)
    if certified_by:
        record["certified_by"] = certified_by
    return _attached(record)


def packet_record(cover: Document, members: list[Document]) -> dict[str, Any]:
    """The record of a packet: the cover's, with every rule its documents rest on, and each document's own record
    (``outdated`` checks the packet against every rule; ``verify`` checks its pages as one file)."""
    record = form_record(cover)
    record["rules"] = rules_record(basis for doc in members for _, basis in doc.rests_on)
    record["documents"] = [form_record(doc) for doc in members]
    return record


def packet_record_bytes(cover: Document, members: list[Document], certified_by: str | None = None) -> bytes:
    """The packet's record as the JSON file attached to its PDF."""
    record = packet_record(cover, members)
    if certified_by:
        record["certified_by"] = certified_by
    return _attached(record)
