"""Never replace a client's copy: tell whether an existing file may be overwritten or moved.

A file may be replaced (or set aside) without ``--force`` only when it is byte-identical to a file
consentgen wrote (``files.made``) or to what it is about to write. Anything else is a client's copy
until proven otherwise: a form filled in, signed (with a field or with annotations), flattened by a
viewer, saved again, prefixed with a byte-order mark, or any file consentgen did not make. The reason
given names what was found, so the message can say what the file probably is.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from consentgen.errors import OutputError
from consentgen.files.made import digest, file_digest, known

MAX_READ = 50_000_000
OWN_FIELDS = ("clinician_name",)  # fields consentgen fills in itself


def protected_reason(path: Path, new: bytes | None = None, hashes: set[str] | None = None,
                     new_hash: str | None = None) -> str | None:
    """Why the file at ``path`` must not be replaced (or moved) without ``--force``, or None if it may be.

    ``new``: the bytes about to be written (a file already identical to them may be replaced).
    ``hashes``: the known hashes, when the caller checks many files (read once).
    """
    try:
        if not path.exists() and not path.is_symlink():
            return None
        if not path.is_file():
            return None  # a folder, device or dangling link: writing reports the real problem
    except OSError:
        return None
    found = file_digest(path)
    if found is not None and (found in (known() if hashes is None else hashes)
                              or (new is not None and found == digest(new)) or found == new_hash):
        return None
    return _describe(path)


def _describe(path: Path) -> str:
    """What the file that consentgen did not make (or that was changed) seems to be."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_READ + 1)
    except OSError:
        return "cannot be read to check that consentgen made it"
    if len(data) > MAX_READ:
        return "is a large file that consentgen did not make"
    start = data.lstrip(b"\xef\xbb\xbf\r\n\t \x00")[:5]
    if start != b"%PDF-":
        return "was not made by consentgen (or was changed after it was made)"
    if b"/ByteRange" in data:
        return "holds a digital signature"
    import pypdf  # only when an existing PDF is about to be replaced

    try:
        reader = pypdf.PdfReader(io.BytesIO(data[data.index(b"%PDF-"):]))
        meta = reader.metadata
        creator = str(meta.get("/Creator", "")) if meta else ""
        fields = reader.get_fields() or {}
        marks = {str(a.get_object().get("/Subtype")) for page in reader.pages for a in page.get("/Annots") or []}
    except Exception:  # noqa: BLE001 - an unreadable PDF is not one we can vouch for
        return "is a PDF consentgen cannot read (not one it made?)"
    if not creator.startswith("consentgen"):
        return f"was not made by consentgen (made by {creator or 'an unknown program'})"
    for name, fld in fields.items():
        value = fld.get("/V")
        if fld.get("/FT") == "/Sig" and value:
            return "is signed"
        if value not in (None, "", "/Off") and name not in OWN_FIELDS:  # an unticked box is /Off
            return f"has a filled-in field ({name})"
    drawn = marks - {"/Widget", "/Link"}  # fields and links are ours; anything else was added on top
    if drawn:
        return "has notes or a signature drawn on it (" + ", ".join(sorted(m.strip("/") for m in drawn)) + ")"
    return ("was changed after consentgen made it (filled in, signed, flattened or saved again by a viewer), "
            "or was made by consentgen on another computer")


def refusal(path: Path, reason: str) -> str:
    """The message for a file left in place, and what to do about it."""
    return (f"{path}: not replaced: it {reason}; it may be a client's copy. Choose another name, "
            "or add --force to replace it")


def guard_for(new: bytes | None = None, force: bool = False, new_hash: str | None = None,
              hashes: set[str] | None = None) -> Callable[[Path], str | None] | None:
    """The check ``write_atomic`` makes at the moment it replaces a file (None with --force)."""
    if force:
        return None
    return lambda path: protected_reason(path, new, hashes, new_hash)


def check_replaceable(path: Path, force: bool, new: bytes | None = None) -> None:
    """Raise OutputError if ``path`` must not be replaced (unless ``force``)."""
    if force:
        return
    reason = protected_reason(path, new)
    if reason:
        raise OutputError(refusal(path, reason))
