"""Never replace a client's copy: tell whether an existing PDF may be overwritten.

A PDF that consentgen made and nobody changed may be replaced, as command-line tools replace
their own outputs. One that was filled in, signed, saved again by a viewer, or not made by
consentgen at all is a document someone may depend on: it is replaced only with ``--force``.
"""

from __future__ import annotations

from pathlib import Path

from consentgen.errors import OutputError

MAX_READ = 50_000_000
OWN_FIELDS = ("clinician_name",)  # fields consentgen fills in itself


def protected_reason(path: Path) -> str | None:
    """Why the file at ``path`` must not be replaced without ``--force``, or None if it may be."""
    try:
        if not path.is_file() or path.suffix.lower() != ".pdf":
            return None
        with path.open("rb") as handle:
            data = handle.read(MAX_READ + 1)
    except OSError:
        return None  # writing will report the real problem
    if not data.startswith(b"%PDF-"):
        return None
    if len(data) > MAX_READ:
        return "is a large PDF that consentgen did not make"
    if data.count(b"%%EOF") > 1:
        return "was changed after consentgen made it (filled in, signed or saved again by a viewer)"
    if b"/ByteRange" in data:
        return "holds a digital signature"
    import io

    import pypdf  # imported only when an existing PDF is about to be replaced

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        meta = reader.metadata
        creator = str(meta.get("/Creator", "")) if meta else ""
        fields = reader.get_fields() or {}
    except Exception:  # noqa: BLE001 - an unreadable PDF is not one of ours
        return "is a PDF consentgen cannot read (not one it made?)"
    if not creator.startswith("consentgen"):
        return f"was not made by consentgen (made by {creator or 'an unknown program'})"
    for name, fld in fields.items():
        value = fld.get("/V")
        if fld.get("/FT") == "/Sig" and value:
            return "is signed"
        if value not in (None, "", "/Off") and name not in OWN_FIELDS:  # an unticked box is /Off
            return f"has a filled-in field ({name})"
    return None


def refusal(path: Path, reason: str) -> str:
    """The message for a PDF left in place, and what to do about it."""
    return (f"{path}: not replaced: it {reason}; it may be a client's copy. Choose another name, "
            "or add --force to replace it")


def check_replaceable(path: Path, force: bool) -> None:
    """Raise OutputError if ``path`` is a PDF that must not be replaced (unless ``force``)."""
    if force:
        return
    reason = protected_reason(path)
    if reason:
        raise OutputError(refusal(path, reason))
