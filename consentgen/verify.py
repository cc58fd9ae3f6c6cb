"""``consentgen verify``: is a returned PDF still the form consentgen issued, who signed it and how, and does the
law behind it still hold.

What it proves: the page content and page size are those recorded in the file at issue time, and it lists every
annotation and field added since (a box drawn over a paragraph is named, not hidden). What that cannot prove: that
the recorded hashes themselves were not rewritten by someone who knows how. A certification signature
(``render --certify``) can: pyHanko (the optional ``sign`` extra) checks that it is intact and that only filling
in and signing happened after it. Whether its certificate is trusted is said, not assumed: a clinician's own
certificate is not issued by an authority this computer trusts.

consentgen writes, into the record it attaches to every PDF, the SHA-256 of each page's content as issued.
Filling fields, signing and adding annotations leave page contents alone, so a form the client filled in and
signed still matches; an edited, flattened, reprinted or scanned copy does not. Field values tell who signed:
a typed name with the agreement box ticked, a certificate signature (checked by pyHanko: intact or not), or a
drawn mark (an ink or stamp annotation).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from consentgen.errors import DataFileError, Problem
from consentgen.outdated import FormStatus, form_status, pdf_record_of
from consentgen.render.certify import FIELD as CERTIFICATION_FIELD  # (pyHanko itself is imported only when used)

OWN = ("/Widget", "/Link")  # the form's own fields and links; any other annotation was added since


@dataclass(frozen=True)
class SignatureCheck:
    """A digital signature in the file, as pyHanko finds it."""

    field: str
    certification: bool  # a certification signature (DocMDP), not a signer's approval signature
    holder: str  # the certificate's subject (its common name)
    intact: bool  # the signed bytes are unchanged and the signature is mathematically valid
    trusted: bool  # the certificate chains to an authority this computer trusts
    changes: str  # pyHanko's reading of what was done after it: none | filling in and signing | other changes
    signed_until: int = 0  # the signed revision's length in bytes (0: unknown)
    fingerprint: str = ""  # the certificate's SHA-256, first 16 hex digits (compare it with your own)

    def words(self, holds: bool | None = None) -> str:
        """The signature in a line; ``holds``: for a certification, whether it still holds (verify decides)."""
        trust = "a trusted authority's certificate" if self.trusted else ("a certificate no authority this computer "
                                                                          "trusts has vouched for")
        if not self.intact:
            return f"BROKEN: the signed content of {self.holder}'s signature was changed ({trust})"
        if holds is False:
            return f"BROKEN: the form was changed after {self.holder} certified it, beyond filling in and signing"
        after = {"none": "", "filling in and signing": "; since then: filling in and signing"}.get(
            self.changes, "; since then: updates that leave every page as certified" if holds else
            "; since then: other changes")
        return f"intact, by {self.holder} ({trust}; certificate SHA-256 {self.fingerprint}){after}"


@dataclass
class Signer:
    """One signer block of the form, as the returned file has it."""

    key: str
    name: str = ""
    date: str = ""
    typed: str = ""
    agreed: bool = False
    certificate: bool = False  # a value in the /Sig field: a certificate signature
    check: SignatureCheck | None = None  # pyHanko's view of it (None: pyHanko is not installed)

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
            if self.check is None:
                return "a certificate signature (present; install pyHanko to check it: pip install 'consentgen[sign]')"
            return f"a certificate signature: {self.check.words()}"
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
    certification: SignatureCheck | None = None  # the issuer's certification signature, when the form has one
    certified_unchecked: bool = False  # certified, but pyHanko is not installed to check it
    record_replaced: bool = False  # the record the certification signed is not the one the file now carries
    certification_unreadable: bool = False  # a certification field is there, but its signature cannot be read
    certification_removed: str = ""  # the record says the form was issued certified (by whom), and it no longer is

    @property
    def certification_holds(self) -> bool | None:
        """Whether the certification still holds (None without one): its signature is intact, the record it
        signed is the file's record, the pages are as that record says, and no field was added. Drawn marks are
        listed, not counted here (a viewer that enforces the certification, as Acrobat does, flags them)."""
        cert = self.certification
        if cert is None:
            return False if self.certification_unreadable or self.certification_removed else None
        return cert.intact and not self.record_replaced and bool(self.pages_as_issued) and not self.added_fields

    @property
    def ok(self) -> bool:
        """The pages are exactly those issued, and a certification, if any, still holds."""
        return bool(self.pages_as_issued) and self.certification_holds is not False


def _value(field_: Any) -> str:
    value = field_.get("/V") if field_ is not None else None
    return "" if value is None else str(value).strip()


def verify_file(path: str | Path) -> Verdict:
    """Check one returned PDF.

    Raises:
        DataFileError: not a readable PDF, or not one consentgen made (no record, or another program's).
    """
    from consentgen.outdated import MAX_PDF, _read_regular

    return verify_bytes(_read_regular(Path(path), MAX_PDF), str(path))


# Over the complexity bound (14): one verdict, each check (record, pages, signatures) a short branch, in order.
def verify_bytes(raw: bytes, name: str) -> Verdict:  # noqa: C901
    """Check one returned PDF given as bytes (an upload on the web page: nothing is written anywhere); ``name``
    names it in the verdict and in messages.

    Raises:
        DataFileError: not a readable PDF, or not one consentgen made (no record, or another program's).
    """
    path = Path(name)
    reader, record = pdf_record_of(raw, name)  # refuses a file without a consentgen record, or another program's
    law = form_status(path, name, record)
    issued = record.get("pages")
    verdict = Verdict(name, None, law=law)
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
    checks = _signature_checks(raw)
    certifications = [c for c in (checks or []) if c.certification]
    verdict.certification = certifications[0] if certifications else None
    fields = reader.get_fields() or {}
    verdict.certified_unchecked = checks is None and CERTIFICATION_FIELD in fields
    by_field = {c.field: c for c in checks or []}
    # certified, but pyHanko could not read the signature (bytes appended, a broken index): it vouches for nothing
    verdict.certification_unreadable = (checks is not None and verdict.certification is None
                                        and CERTIFICATION_FIELD in fields)
    issued_certified = record.get("certified_by") if isinstance(record.get("certified_by"), str) else ""
    if issued_certified and checks is not None and verdict.certification is None \
            and not verdict.certification_unreadable:
        verdict.certification_removed = issued_certified
    cert = verdict.certification
    if cert is not None and cert.intact:
        signed = _reader(raw[:cert.signed_until]) if cert.signed_until > 0 else None
        verdict.record_replaced = _record_in(signed) != record
        # each page with everything it draws with (fonts, images, graphics states), as certified and now: the
        # content hashes alone miss an edit of a page's resources (text made invisible, a font swapped)
        # (a fresh reader: the one above has parsed the page contents, which changes what pypdf gives back)
        certified, current = _page_trees(signed), _page_trees(_reader(raw))
        redrawn = [n for n, (a, b) in enumerate(zip(certified, current, strict=False), 1) if a != b]
        if redrawn or len(certified) != len(current):
            verdict.changed_pages = sorted(set(verdict.changed_pages) | set(redrawn))
            verdict.pages_as_issued = False
    # a signer is whoever has a signature field (a date field alone, like a client's date of birth, is not one)
    keys = sorted(name.removesuffix("_signature") for name in fields if name.endswith("_signature"))
    for key in keys:
        agree = _value(fields.get(f"{key}_agree"))
        verdict.signers.append(Signer(
            key, name=_value(fields.get(f"{key}_name")), date=_value(fields.get(f"{key}_date")),
            typed=_value(fields.get(f"{key}_typed")), agreed=agree not in ("", "/Off", "Off"),
            certificate=bool(_value(fields.get(f"{key}_signature"))), check=by_field.get(f"{key}_signature")))
    issued_fields = set(record.get("fields") or ()) if isinstance(record.get("fields"), list) else None
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            note = annotation.get_object()
            kind = str(note.get("/Subtype"))
            if kind not in OWN:
                verdict.marks.append((number, kind[1:]))
            elif kind == "/Widget" and issued_fields is not None:
                name = str(note.get("/T") or (note.get("/Parent") or {}).get("/T") or "")
                if name not in issued_fields and not (name == CERTIFICATION_FIELD and verdict.certification):
                    verdict.added_fields.append((number, name or "(unnamed)"))
    return verdict


def _signature_checks(raw: bytes) -> list[SignatureCheck] | None:
    """Every digital signature in the file, checked by pyHanko; None when pyHanko is not installed, and an empty
    list when it cannot read the file (``verify_bytes`` then says a certification cannot be checked)."""
    from consentgen.render.certify import cert_fingerprint, holder_name, validated

    try:
        found = validated(raw)
        if found is None:
            return None
        checks = []
        for sig, status in found:
            if status is None:  # a malformed signature is a broken one
                checks.append(SignatureCheck(str(sig.field_name), sig.docmdp_level is not None, "(unreadable)",
                                             False, False, "unknown"))
                continue
            level_name = getattr(status.modification_level, "name", "OTHER")
            changes = {"NONE": "none", "LTA_UPDATES": "none", "FORM_FILLING": "filling in and signing"}.get(
                level_name, "other changes")
            byte_range = list(sig.sig_object.get("/ByteRange") or [])
            checks.append(SignatureCheck(
                str(sig.field_name), sig.docmdp_level is not None, holder_name(status.signing_cert),
                bool(status.intact and status.valid), bool(status.trusted), changes,
                int(byte_range[2]) + int(byte_range[3]) if len(byte_range) == 4 else 0,
                cert_fingerprint(status.signing_cert)))
    except Exception:  # noqa: BLE001 - pyHanko cannot read the file: the checks pypdf made still stand
        return []
    return checks


_NOT_DRAWN = ("/Parent", "/Annots", "/StructParents", "/P", "/B")  # links out of a page, not what it draws


def _reader(raw: bytes) -> Any:
    """A pypdf reader of ``raw`` (a revision of the file), or None when it cannot be read."""
    import io

    import pypdf

    try:
        return pypdf.PdfReader(io.BytesIO(raw))
    except Exception:  # noqa: BLE001 - an unreadable signed revision vouches for nothing
        return None


def _walk_drawn(obj: Any, digest: Any, seen: set[tuple[int, int]], depth: int = 0) -> None:
    """Feed ``digest`` with everything ``obj`` reaches that a page draws with (streams decoded), once each."""
    if depth > 64:
        return
    if isinstance(obj, IndirectObject):
        ref = (obj.idnum, obj.generation)
        if ref in seen:
            digest.update(b"@")
            return
        seen.add(ref)
        obj = obj.get_object()
    if isinstance(obj, StreamObject):
        digest.update(b"stream" + obj.get_data())
    if isinstance(obj, DictionaryObject):
        for key in sorted(obj):
            if key not in _NOT_DRAWN:
                digest.update(key.encode())
                _walk_drawn(obj.raw_get(key), digest, seen, depth + 1)
    elif isinstance(obj, ArrayObject):
        for item in obj:
            _walk_drawn(item, digest, seen, depth + 1)
    elif not isinstance(obj, StreamObject):
        digest.update(repr(obj).encode())


def _page_trees(reader: Any) -> list[str]:
    """Each page's hash over its content and everything its resources reach (streams decoded), its boxes and
    rotation: what a reader sees on the page, whatever revision the file is in. Empty when unreadable."""
    if reader is None:
        return []
    try:
        out = []
        for page in reader.pages:
            digest = hashlib.sha256()
            for key in ("/Contents", "/Resources", "/MediaBox", "/CropBox", "/Rotate"):
                digest.update(key.encode())
                _walk_drawn(page.raw_get(key) if key in page else None, digest, set())
            out.append(digest.hexdigest())
        return out
    except Exception:  # noqa: BLE001 - an unreadable revision matches nothing
        return []


def _record_in(reader: Any) -> Any:
    """The record a reader's revision carries (the certified one: a record swapped in a later revision cannot
    vouch for edited pages), or None."""
    from consentgen.documents.record import RECORD_NAME

    if reader is None:
        return None
    try:
        data = reader.attachments.get(RECORD_NAME)
        return json.loads(data[0]) if data else None
    except Exception:  # noqa: BLE001 - an unreadable signed revision vouches for nothing
        return None


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
                         "certificate_intact": s.check.intact if s.check else None,
                         "how": s.how} for s in verdict.signers],
            "drawn_marks": [{"page": p, "kind": k} for p, k in verdict.marks],
            "added_fields": [{"page": p, "name": n} for p, n in verdict.added_fields],
            "certification": None if verdict.certification is None else {
                "holder": verdict.certification.holder, "fingerprint": verdict.certification.fingerprint,
                "intact": verdict.certification.intact,
                "trusted": verdict.certification.trusted, "changes_since": verdict.certification.changes,
                "record_replaced": verdict.record_replaced, "holds": verdict.certification_holds},
            "certified_unchecked": verdict.certified_unchecked,
            "certification_unreadable": verdict.certification_unreadable,
            "certification_removed": verdict.certification_removed or None,
            "law_changed": bool(verdict.law and verdict.law.outdated),
            "law_changes": [c.summary() for c in verdict.law.changes] if verdict.law else []}


def verdict_lines(v: Verdict) -> list[str]:
    """What ``verify`` says of one file, a line each: the verdict first, then the certification, each signer,
    what was added, and the law (the command line prints them; the web page's "Check a signed copy" shows them)."""
    if v.pages_as_issued is None:
        lines = [f"CANNOT CHECK  {v.file}: made before consentgen recorded its pages; compare it by eye"]
    elif v.pages_as_issued and not v.ok:
        lines = [f"CHANGED       {v.file}: the pages look as issued, but the certification no longer holds"]
    elif v.ok:
        lines = [f"AS ISSUED     {v.file}: the content and size of all {v.pages[0]} pages are as issued (checked "
                 "against the hashes the file carries)"]
    else:
        what = f"pages {', '.join(map(str, v.changed_pages))} differ" if v.changed_pages else ""
        if v.pages[0] != v.pages[1]:
            what = (what + "; " if what else "") + f"{v.pages[0]} pages now, {v.pages[1]} issued"
        lines = [f"CHANGED       {v.file}: {what} (edited, flattened, reprinted or scanned?)"]
    if v.certification is not None:
        lines.append(f"  certification: {v.certification.words(v.certification_holds)}")
        if v.record_replaced:
            lines.append("  the record the certification signed was replaced later: the page check above cannot be "
                         "trusted")
        if v.marks and v.certification_holds:
            lines.append("  a viewer that enforces the certification (Acrobat) will flag the drawn marks below")
    elif v.certification_removed:
        lines.append(f"  certification: BROKEN: the form was issued {v.certification_removed}, and that "
                     "certification has been removed")
    elif v.certification_unreadable:
        lines.append("  certification: BROKEN: the form carries one, but its signature can no longer be read (bytes "
                     "added or the file's index changed after certifying)")
    elif v.certified_unchecked:
        lines.append("  certification: present, not checked (install pyHanko: pip install 'consentgen[sign]')")
    lines += [f"  {s.key}: {s.how}" + (f"; date '{s.date}'" if s.date else "; no date") for s in v.signers]
    lines += [f"  added on page {page}: a {kind} annotation (a drawn mark, a box, a note...)" for page, kind in v.marks]
    lines += [f"  added on page {page}: a field the form did not have ({name})" for page, name in v.added_fields]
    if v.law and v.law.outdated:
        lines.append("  the law behind it changed since it was made: " + "; ".join(c.summary() for c in v.law.changes))
    return lines
