"""Output formats, registered in one place: name -> suffixes and renderer.

An unknown format or file suffix is refused here, with the list of known ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from consentgen.errors import OutputError, RenderError
from consentgen.model.options import Output

if TYPE_CHECKING:  # the names are light to import (the CLI builds its --format choices from them at start)
    from consentgen.documents.document import Document


@dataclass(frozen=True)
class Rendered:
    """A rendered document: its bytes and the fingerprint of what the client reads."""

    data: bytes
    fingerprint: str
    wording: str = ""  # the fingerprint without the form's date (see render.html.Page)


@dataclass(frozen=True)
class Format:
    """One output format."""

    name: str
    suffixes: tuple[str, ...]
    media_type: str
    render: Callable[[Document, Output], Rendered]


# What a standalone page may not load: the PDF path's rule (only embedded data:) applied to HTML.
_EXTERNAL = re.compile(
    r"<script\b|<(?:img|iframe|frame|embed|object|audio|video|source|input|track)\b[^>]*?\b(?:src|data|poster|srcset)"
    r"\s*=\s*(?![\"']?data:)[\"']?[^\s\"'>]|<link\b[^>]*?\bhref\s*=\s*(?![\"']?data:)[\"']?[^\s\"'>]|@import\b"
    r"|url\(\s*(?![\"']?(?:data:|#))[\"']?[^)\s]|\bon[a-z]+\s*=\s*[\"']", re.IGNORECASE)


# An embedded data: URL's base64 payload: it cannot hold a quote, a bracket or a space, so nothing the check looks
# for can hide in it. The check reads the page without these payloads (a tenth of its size: 7 ms -> 1 ms).
_PAYLOAD = re.compile(r"(data:[\w/+.-]+;base64,)[A-Za-z0-9+/=]+")


def _html(doc: Document, options: Output) -> Rendered:
    from consentgen.render.html import render_page

    html, fingerprint, wording = render_page(doc, options.but(fields=False), inline_assets=True)
    found = _EXTERNAL.search(_PAYLOAD.sub(r"\1", html))
    if found:
        raise RenderError(f"page not written: it would load something from outside or run a script "
                          f"({found.group(0)[:80]!r}); a standalone form may use only embedded data: images")
    return Rendered(html.encode("utf-8"), fingerprint, wording)


def _pdf(doc: Document, options: Output) -> Rendered:
    from consentgen.documents.record import RECORD_NAME, record_bytes
    from consentgen.render.html import render_page
    from consentgen.render.pdf import render_pdf

    html, fingerprint, wording = render_page(doc, options)
    attachments = [(RECORD_NAME, record_bytes(doc, options.certified_by),
                    "What this form rests on, for consentgen outdated")]
    pdf = render_pdf(html, variant=options.variant, fields=options.fields, attachments=attachments, made=doc.date,
                     lang=doc.tag)
    return Rendered(pdf, fingerprint, wording)


FORMATS: dict[str, Format] = {
    "pdf": Format("pdf", (".pdf",), "application/pdf", _pdf),
    "html": Format("html", (".html", ".htm"), "text/html", _html),
}


def format_for(path: str | Path) -> str:
    """The format named by an output file's suffix.

    Raises:
        OutputError: no registered format has that suffix.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.suffixes:
            return fmt.name
    raise OutputError(f"{path}: unknown output type '{suffix or '(none)'}'; use a name ending in "
                      f"{' or '.join(s for f in FORMATS.values() for s in f.suffixes[:1])}")


def get_format(name: str) -> Format:
    """A registered format by name.

    Raises:
        OutputError: no such format.
    """
    try:
        return FORMATS[name]
    except KeyError:
        raise OutputError(f"unknown output format '{name}'; known: {', '.join(FORMATS)}") from None


def render_document(doc: Document, output: Output) -> Rendered:
    """Render ``doc`` in ``output.format`` (the document owns its kind, language, edition and templates)."""
    return get_format(output.format).render(doc, output)
