"""``consentgen verify``: is a returned PDF still the form consentgen issued, who signed it and how, and does the
law behind it still hold.

What it proves: the page content and page size are those recorded in the file at issue time, and it lists every
annotation and field added since (a box drawn over a paragraph is named, not hidden). What it cannot prove: that
the recorded hashes themselves were not rewritten by someone who knows how; only a certification signature
(not built yet) can.

consentgen writes, into the record it attaches to every PDF, the SHA-256 of each page's content as issued.
Filling fields, signing and adding annotations leave page contents alone, so a form the client filled in and
signed still matches; an edited, flattened, reprinted or scanned copy does not. Field values tell who signed:
a typed name with the agreement box ticked, a certificate signature (present; consentgen does not validate it
yet), or a drawn mark (an ink or stamp annotation).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consentgen.errors import DataFileError, Problem
from consentgen.outdated import FormStatus, form_status, pdf_record

OWN = ("/Widget", "/Link")  # the form's own fields and links; any other annotation was added since


@dataclass
class Signer:
    """One signer block of the form, as the returned file has it."""

    key: str
    name: str = ""
    date: str = ""
    typed: str = ""
    agreed: bool = False
    certificate: bool = False  # a value in the /Sig field: a certificate signature (not validated here)

    @property
    def names_match(self) -> bool | None:
        """Whether the typed signature is the printed name (case, spacing and punctuation aside); None when
        either is empty."""
        if not (self.typed and self.name):
            return None

        def plain(text: str) -> str:  # José = Jose, O'Brien = OBrien, Mary-Jane = Mary Jane
            import unicodedata

            letters = unicodedata.normalize("NFKD", text.casefold())
            return "".join(c for c in letters if c.isalnum() and not unicodedata.combining(c))

        return plain(self.typed) == plain(self.name)

    @property
    def how(self) -> str:
        """How this signer signed, in a few words, or why it does not count yet."""
        if self.certificate:
            return "a certificate signature (present; not validated by consentgen)"
        differs = f"; the typed name differs from the printed name ('{self.name}')" if self.names_match is False else ""
        if self.typed and self.agreed:
            return f"typed their name ('{self.typed}') and ticked 'I agree to sign electronically'{differs}"
        if self.typed:
            return f"typed a name ('{self.typed}') but did not tick 'I agree to sign electronically'{differs}"
        return "not signed in a field"


@dataclass
class Verdict:
    """What ``verify`` found in one file."""

    file: str
    pages_as_issued: bool | None  # None: no page record (made before consentgen 0.3), cannot be checked
    changed_pages: list[int] = field(default_factory=list)  # 1-based
    pages: tuple[int, int] = (0, 0)  # (now, as issued)
    signers: list[Signer] = field(default_factory=list)
    marks: list[tuple[int, str]] = field(default_factory=list)  # (page, annotation subtype) added since
    added_fields: list[tuple[int, str]] = field(default_factory=list)  # (page, field name) not in the issued form
    law: FormStatus | None = None

    @property
    def ok(self) -> bool:
        """The pages are exactly those issued."""
        return bool(self.pages_as_issued)


def _value(field_: Any) -> str:
    value = field_.get("/V") if field_ is not None else None
    return "" if value is None else str(value).strip()


def verify_file(path: str | Path) -> Verdict:
    """Check one returned PDF.

    Raises:
        DataFileError: not a readable PDF, or not one consentgen made (no record, or another program's).
    """
    path = Path(path)
    reader, record = pdf_record(path)  # refuses a file without a consentgen record, or made by another program
    law = form_status(path, str(path), record)
    issued = record.get("pages")
    verdict = Verdict(str(path), None, law=law)
    if isinstance(issued, list) and all(isinstance(h, str) for h in issued):
        now = []
        for page in reader.pages:
            contents = page.get_contents()
            now.append(hashlib.sha256(contents.get_data()).hexdigest() if contents is not None else "")
        boxes = record.get("page_boxes") if isinstance(record.get("page_boxes"), list) else []
        verdict.pages = (len(now), len(issued))
        for number, (page, now_hash, issued_hash) in enumerate(zip(reader.pages, now, issued, strict=False), 1):
            box = boxes[number - 1] if number - 1 < len(boxes) else None
            seen = [round(float(v), 2) for v in page.mediabox]
            cropped = [round(float(v), 2) for v in page.cropbox] != seen
            if now_hash != issued_hash or (box is not None and seen != box) or cropped or page.rotation:
                verdict.changed_pages.append(number)
        verdict.pages_as_issued = len(now) == len(issued) and not verdict.changed_pages
    fields = reader.get_fields() or {}
    # a signer is whoever has a signature field (a date field alone, like a client's date of birth, is not one)
    keys = sorted(name.removesuffix("_signature") for name in fields if name.endswith("_signature"))
    for key in keys:
        agree = _value(fields.get(f"{key}_agree"))
        verdict.signers.append(Signer(
            key, name=_value(fields.get(f"{key}_name")), date=_value(fields.get(f"{key}_date")),
            typed=_value(fields.get(f"{key}_typed")), agreed=agree not in ("", "/Off", "Off"),
            certificate=bool(_value(fields.get(f"{key}_signature")))))
    issued_fields = set(record.get("fields") or ()) if isinstance(record.get("fields"), list) else None
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            note = annotation.get_object()
            kind = str(note.get("/Subtype"))
            if kind not in OWN:
                verdict.marks.append((number, kind[1:]))
            elif kind == "/Widget" and issued_fields is not None:
                name = str(note.get("/T") or (note.get("/Parent") or {}).get("/T") or "")
                if name not in issued_fields:
                    verdict.added_fields.append((number, name or "(unnamed)"))
    return verdict


def verify_files(paths: list[str | Path]) -> tuple[list[Verdict], list[str]]:
    """Check each file; a file that cannot be checked is a line saying why (the others are still checked)."""
    verdicts, problems = [], []
    for path in paths:
        try:
            verdicts.append(verify_file(path))
        except DataFileError as exc:
            problems.append(exc.message)
        except Exception as exc:  # noqa: BLE001 - any unreadable PDF
            problem = Problem("", f"cannot be checked ({type(exc).__name__})")
            problems.append(DataFileError(str(path), [problem]).message)
    return verdicts, problems


def verify_json(verdict: Verdict) -> dict[str, Any]:
    """The ``--json`` shape of one file."""
    return {"file": verdict.file, "pages_as_issued": verdict.pages_as_issued, "changed_pages": verdict.changed_pages,
            "pages": {"now": verdict.pages[0], "issued": verdict.pages[1]},
            "signers": [{"signer": s.key, "name": s.name, "date": s.date, "typed_name": s.typed, "agreed": s.agreed,
                         "certificate_signature": s.certificate, "typed_matches_printed": s.names_match,
                         "how": s.how} for s in verdict.signers],
            "drawn_marks": [{"page": p, "kind": k} for p, k in verdict.marks],
            "added_fields": [{"page": p, "name": n} for p, n in verdict.added_fields],
            "law_changed": bool(verdict.law and verdict.law.outdated),
            "law_changes": [c.summary() for c in verdict.law.changes] if verdict.law else []}
