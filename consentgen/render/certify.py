"""Certifying what a clinician issues: a certification signature on the PDF, made with the clinician's own key.

A certification signature (PDF's DocMDP, permission level 2) says: this is the document as issued, and after
it only filling in fields and signing are allowed. A viewer (Acrobat; pyHanko in ``consentgen verify``) flags
any other change: an edited paragraph, a page swapped or removed, a field added. It is made with pyHanko, the
maintained Python library for PDF signatures (the optional ``sign`` extra), from a PKCS#12 file (``.p12``,
``.pfx``) or a PEM key with its PEM certificate. The password is asked for by the front end and only held in
memory while the files are made; nothing here writes it anywhere.

What it does not do: make the certificate trusted. A clinician's own (self-signed) certificate proves that the
file is unchanged since the holder of that key certified it, not who the holder is; a certificate from an
authority the reader's viewer trusts proves that too.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from consentgen.errors import ConsentgenError, DataFileError, Problem

T = TypeVar("T")
FIELD = "consentgen_certification"  # the certification signature's field (invisible)
REASON = "Issued by the clinician: filling in the fields and signing are allowed; any other change is flagged"
PKCS12 = (".p12", ".pfx")
MAX_KEY_FILE = 1_000_000  # bytes: a key or certificate file larger than this is not one


def needs_password(key: str | Path) -> bool:
    """Whether the key file is protected by a password (a PKCS#12 file always asks; a PEM key when encrypted)."""
    path = Path(key)
    if path.suffix.lower() in PKCS12:
        return True
    try:
        with path.open("rb") as handle:  # bounded: a device or a huge file is refused later, by _checked
            head = handle.read(MAX_KEY_FILE)
    except OSError:
        return False  # reading it again in load() reports the problem
    return b"ENCRYPTED" in head


def _pyhanko() -> Any:
    import warnings

    quiet_pyhanko()
    try:
        with warnings.catch_warnings():  # its crypto library warns about algorithms this never uses (DSA)
            warnings.simplefilter("ignore")
            from pyhanko.sign import signers
    except ImportError:
        raise ConsentgenError("certifying needs pyHanko: install it with  pipx inject consentgen pyhanko  (or "
                              "pip install 'consentgen[sign]')") from None
    return signers


def _checked(path: Path, what: str) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataFileError(str(path), [Problem("", f"the {what} cannot be read ({exc.strerror or exc})")]) from None
    if not path.is_file() or size > MAX_KEY_FILE:
        raise DataFileError(str(path), [Problem("", f"is not a {what} file")])


@dataclass(frozen=True)
class Certifier:
    """A loaded signing key: certifies PDFs as they are made (before anything is written)."""

    signer: Any  # pyHanko's SimpleSigner
    holder: str  # the certificate's subject, in words
    fingerprint: str = ""  # the certificate's SHA-256 (16 hex digits), as verify prints it

    @property
    def label(self) -> str:
        """How a form made with this key is told apart (a batch manifest's ``output``; the command's message)."""
        return f"certified by {self.holder} (certificate SHA-256 {self.fingerprint})"

    def __call__(self, pdf: bytes) -> bytes:
        return self.certify(pdf)

    def certify(self, pdf: bytes) -> bytes:
        """``pdf`` with a certification signature that allows filling in and signing."""
        return off_event_loop(self._certify, pdf)

    def _certify(self, pdf: bytes) -> bytes:
        signers = _pyhanko()
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign.fields import MDPPerm

        meta = signers.PdfSignatureMetadata(field_name=FIELD, certify=True, docmdp_permissions=MDPPerm.FILL_FORMS,
                                            reason=REASON, md_algorithm="sha256")
        out = io.BytesIO()
        signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), meta, signer=self.signer,
                         output=out)
        return out.getvalue()


def off_event_loop(work: Callable[..., T], *args: Any) -> T:
    """``work(*args)``, in a thread of its own when this thread runs an event loop (pyHanko starts its own loop,
    which cannot run inside another: a web page's, a browser driver's)."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work(*args)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(work, *args).result()


def load_certifier(key: str | Path, cert: str | Path | None = None, password: bytes | None = None) -> Certifier:
    """Load the clinician's key: a PKCS#12 file, or a PEM key with its PEM certificate (``cert``).

    Raises:
        ConsentgenError: pyHanko is not installed; DataFileError: a file cannot be read, or the password
        does not open the key, or the key is not a signing key with a certificate.
    """
    signers = _pyhanko()
    key_path = Path(key)
    _checked(key_path, "key")
    pkcs12 = key_path.suffix.lower() in PKCS12
    if not pkcs12 and cert is None:
        raise DataFileError(str(key_path), [Problem("", "a PEM key needs its certificate too: add --certify-cert "
                                                        "CERT.pem (or give a .p12 file, which holds both)")])
    if cert is not None:
        _checked(Path(cert), "certificate")
    try:
        if pkcs12:
            signer = signers.SimpleSigner.load_pkcs12(str(key_path), passphrase=password)
        else:
            signer = signers.SimpleSigner.load(str(key_path), str(cert), key_passphrase=password)
    except Exception:  # noqa: BLE001 - pyHanko raises several kinds for a wrong password or a bad file
        signer = None
    if signer is None or getattr(signer, "signing_cert", None) is None:
        raise DataFileError(str(key_path), [Problem("", "cannot be opened as a signing key with its certificate "
                                                        "(a wrong password, or not a key file?)")])
    import datetime as dt

    expires = signer.signing_cert["tbs_certificate"]["validity"]["not_after"].native
    if expires < dt.datetime.now(dt.UTC):
        raise DataFileError(str(key_path), [Problem("", f"its certificate expired on {expires.date().isoformat()}; "
                                                        "a form certified with it would not verify")])
    certifier = Certifier(signer, holder_name(signer.signing_cert), cert_fingerprint(signer.signing_cert))
    try:  # a key that does not match its certificate would make every form look broken: try one first
        _self_test(certifier)
    except Exception:  # noqa: BLE001 - pyHanko's errors for a mismatched or unusable key vary
        raise DataFileError(str(key_path), [Problem("", "the key and the certificate do not belong together, or the "
                                                        "key cannot sign")]) from None
    return certifier


def cert_fingerprint(cert: Any) -> str:
    """A certificate's SHA-256, its first 16 hex digits (what a clinic compares with its own)."""
    import hashlib

    return hashlib.sha256(cert.dump()).hexdigest()[:16]


def _self_test(certifier: Certifier) -> None:
    """Certify a one-page PDF and check the signature: raises when the key cannot make a valid one."""
    import pypdf

    blank = pypdf.PdfWriter()
    blank.add_blank_page(100, 100)
    buffer = io.BytesIO()
    blank.write(buffer)
    checked = validated(certifier.certify(buffer.getvalue()))
    if not checked or not all(status is not None and status.intact and status.valid for _, status in checked):
        raise ValueError("the key does not match its certificate")


def validated(raw: bytes) -> list[tuple[Any, Any]] | None:
    """Every digital signature in a PDF with pyHanko's verdict on it (None for one it cannot validate), in the
    file's order; None when pyHanko is not installed. Raises when pyHanko cannot read the file at all."""
    return off_event_loop(_validated, raw)


def _validated(raw: bytes) -> list[tuple[Any, Any]] | None:
    import warnings

    quiet_pyhanko()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from pyhanko.pdf_utils.reader import PdfFileReader
            from pyhanko.sign.validation import validate_pdf_signature
            from pyhanko_certvalidator import ValidationContext
    except ImportError:
        return None
    found: list[tuple[Any, Any]] = []
    for sig in PdfFileReader(io.BytesIO(raw), strict=False).embedded_signatures:
        try:
            with warnings.catch_warnings():  # the system trust list it reads is deprecated, not wrong
                warnings.simplefilter("ignore")
                found.append((sig, validate_pdf_signature(sig, ValidationContext(allow_fetching=False))))
        except Exception:  # noqa: BLE001 - a malformed signature is a broken one
            found.append((sig, None))
    return found


def holder_name(cert: Any) -> str:
    """A certificate's holder in words: its common name, else its whole subject."""
    native = cert.subject.native
    return str(native.get("common_name") or cert.subject.human_friendly)


def quiet_pyhanko() -> None:
    """pyHanko and its certificate library log what they decide (a self-signed certificate as an error with a
    traceback); a form's maker needs only the outcome. Only their own loggers are quieted, never the process's
    (a web server's threads share it)."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
