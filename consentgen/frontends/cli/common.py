"""What every command shares: exit statuses, safe printing, the render options and languages the options give,
the review warnings, the memory cap, and the options several commands take."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from consentgen.errors import UsageError
from consentgen.model.options import RenderOptions

if TYPE_CHECKING:
    from consentgen.render.certify import Certifier

EXIT_OK, EXIT_INVALID = 0, 1  # every other status comes from the error raised (consentgen.errors)
NOT_LEGAL_ADVICE = ("Reminder: consentgen is not legal advice. Review the form, and have it reviewed, "
                    "before you use it with clients.")
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def safe_text(text: str) -> str:
    """``text`` with control, escape and direction characters shown as \\xNN (never sent raw to a terminal)."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                            else f"\\u{ord(m.group()):04x}", text)


def echo(text: str = "") -> None:
    print(safe_text(text))


def err(text: str) -> None:
    print(safe_text(text), file=sys.stderr)


def parse_date(text: str) -> dt.date:
    """``--date``: exactly what an answers file accepts (YYYY-MM-DD, a real day, a year from 1900 to 2100)."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        day = dt.date.fromisoformat(text)
        if not 1900 <= day.year <= 2100:
            raise ValueError
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None
    return day


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name the same file (or would, once created)."""
    try:
        return os.path.realpath(a) == os.path.realpath(b)
    except (OSError, ValueError):
        return False


def refuse_overwriting_input(output: str, *inputs: str | None) -> None:
    for given in inputs:
        if given and same_file(output, given):
            raise UsageError(f"-o {output} is the same file as the input {given}; choose another output name "
                             "(the input would be overwritten)")


def render_options(args: argparse.Namespace, **more: object) -> RenderOptions:
    """The render options the command line gives."""
    if getattr(args, "templates", None) and not Path(args.templates).is_dir():
        raise UsageError(f"--templates {args.templates}: no such folder")
    from consentgen.files.assets import document_types

    document = args.document
    if getattr(args, "packet", False):
        if document not in ("consent", "packet"):
            raise UsageError(f"--packet binds every document; it cannot be used with --document {document}")
        document = "packet"
    if document not in document_types():
        raise UsageError(f"--document {document}: not a document type; choose one of: "
                         f"{', '.join(document_types())}")
    return RenderOptions(variant="archival" if args.archival else "ua", fields=not args.print_version,
                         templates=args.templates, document=document,
                         allow_english_texts=getattr(args, "allow_english_texts", False),
                         **more)  # type: ignore[arg-type]


def languages_option(args: argparse.Namespace) -> tuple[str, ...] | None:
    """The --language option's languages (None when not given: the answers' form.language decides)."""
    from consentgen.model.options import parse_languages

    given = getattr(args, "language", None)
    if given is None:
        return None
    try:
        found = parse_languages(given)
    except ValueError as exc:
        raise UsageError(f"--language: {exc}") from None
    if not found:
        raise UsageError("--language: give a language: en, es, or both as en,es")
    return found


def preload_pdf_engine(output: str) -> None:
    """Start importing WeasyPrint (about 0.5 s) in the background while the answers are checked."""
    if output.lower().endswith(".pdf"):
        import threading

        from consentgen.render.pdf import preload

        threading.Thread(target=preload, daemon=True).start()


def review_warnings(docs: list[Any], show: Callable[[str], None]) -> None:
    """Show each rule the documents rest on that is unknown or needs review (once), and what the form says."""
    from consentgen.frontends.report import review_lines

    for line in review_lines(docs):
        show(line)


def grouped_warnings(entries: list[dict[str, Any]], show: Callable[[str], None]) -> None:
    """Show the review warnings of many forms (batch manifest entries with their ``warnings``), each once per
    state, profession and edition, naming the clinicians it concerns."""
    from consentgen.frontends.report import grouped_review_lines

    forms = [(e["jurisdiction"], e["profession"], e["client_type"] or None, e["clinician"], e.get("warnings") or [])
             for e in entries]
    for line in grouped_review_lines(forms):
        show(line)


def language_help() -> str:
    """--language's help, from the language registry."""
    from consentgen.model.languages import REGISTRY, SOURCE_LANGUAGE

    names = ", ".join(f"{code} ({lang.english_name})" for code, lang in REGISTRY.items())
    other = next((lang for code, lang in REGISTRY.items() if code != SOURCE_LANGUAGE), None)
    named = f"; a file in another language is named NAME{other.suffix}.pdf" if other else ""
    return (f"the client's language: {names}, or several as {','.join(REGISTRY)} (default: the answers' "
            f"form.language, else {SOURCE_LANGUAGE}){named}")


MEMORY_LIMIT = 4 << 30  # bytes of address space a render may use (a form takes about 0.5 GB)


@contextlib.contextmanager
def limited_memory() -> Any:
    """Cap the address space while a command runs, so a template or logo that grows without end ends in
    MemoryError (a clear error, exit status 4) instead of taking the computer's memory. Batch workers started
    meanwhile inherit the cap; the soft limit is restored afterwards (the hard one is never touched)."""
    previous = None
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
        if soft == resource.RLIM_INFINITY or soft > wanted:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
            previous = (soft, hard)
    try:
        yield
    finally:
        if previous is not None:
            with contextlib.suppress(ValueError, OSError):
                import resource

                resource.setrlimit(resource.RLIMIT_AS, previous)


def form_output(p: argparse.ArgumentParser) -> None:
    """-o FORM: a file or a folder for every edition."""
    p.add_argument("-o", "--output", default="consent-form.pdf", metavar="FORM",
                   help="the form to write, .pdf or .html, or a folder (DIR/) for every edition "
                        "(default: consent-form.pdf)")


def output_options(p: argparse.ArgumentParser) -> None:
    """The options of every command that renders: templates, print, archival, language, document."""
    from consentgen.files.assets import document_types

    p.add_argument("--templates", metavar="DIR", help="folder of template overrides (clinic branding)")
    p.add_argument("--print", dest="print_version", action="store_true",
                   help="signature lines instead of fillable PDF fields")
    p.add_argument("--archival", action="store_true", help="PDF/A-3u for long-term archiving")
    p.add_argument("--language", metavar="LANG[,LANG]", help=language_help())
    p.add_argument("--allow-english-texts", action="store_true",
                   help="let a form in another language print your own texts that have no translation "
                        "(fees, education...) as written, marked as English; without it such a form is refused")
    p.add_argument("--document", default="consent", metavar="TYPE",
                   help=f"the document: {' or '.join(document_types())} (default: consent)")
    p.add_argument("--packet", action="store_true",
                   help="one PDF per edition that binds the consent form, the privacy notice, the good faith "
                        "estimate (for practices with self-pay clients) and a release, after a table of contents "
                        "(the same as --document packet)")


def certify_options(p: argparse.ArgumentParser) -> None:
    """--certify KEY [--certify-cert CERT]: certify each PDF with the clinician's key (the password is asked)."""
    p.add_argument("--certify", metavar="KEY", help="certify each PDF with your key (a .p12/.pfx file, or a PEM key "
                   "with --certify-cert): filling in and signing stay allowed, any other change is flagged. The "
                   "password is asked for (or read from standard input), never taken on the command line")
    p.add_argument("--certify-cert", metavar="CERT.pem", help="the certificate of a PEM key given to --certify")


def certifier(args: argparse.Namespace) -> Certifier | None:
    """The certification step --certify asks for (None without it): the key loaded now, so a wrong password
    stops before anything is made. The password is asked at the terminal, or read as one line from standard
    input when that is not a terminal; it is kept only in memory."""
    if not getattr(args, "certify", None):
        if getattr(args, "certify_cert", None):
            raise UsageError("--certify-cert: give the key with --certify too")
        return None
    from consentgen.render.certify import load_certifier, needs_password

    password = None
    if needs_password(args.certify):
        if sys.stdin.isatty():
            import getpass

            password = getpass.getpass(f"Password for {args.certify}: ").encode("utf-8")
        else:
            password = sys.stdin.readline().rstrip("\r\n").encode("utf-8")
    loaded = load_certifier(args.certify, args.certify_cert, password)
    err(f"Certifying with the key of {loaded.holder} (certificate SHA-256 {loaded.fingerprint}).")
    return loaded
