"""Bind a packet: a cover with its table of contents, then each of its documents with its own page numbers, in
one PDF (``render --packet``, the web page's packet, ``batch --packet``).

Each document is rendered as it would be alone; its fillable fields get the document's name in front
(``consent-client_signature``), so a name signed on one document never fills another's field.
"""

from __future__ import annotations

import hashlib
import re

from consentgen.documents.document import Document
from consentgen.documents.record import RECORD_NAME, packet_record_bytes
from consentgen.errors import OutputError, RenderError
from consentgen.model.options import Output
from consentgen.render.html import Page, render_page
from consentgen.render.registry import Rendered

_FIELD_NAME = re.compile(r"""(<(?:input|textarea|select)\b[^>]*?\sname\s*=\s*["']?)""", re.IGNORECASE)
_NAMES = re.compile(r"""<(?:input|textarea|select)\b[^>]*?\sname\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def _own_fields(page: str, document: str) -> str:
    """The page with each field's name prefixed by its document's (fields of one PDF must differ by name)."""
    return _FIELD_NAME.sub(lambda found: f"{found.group(1)}{document}-", page)


def _check_unique(pages: list[str]) -> None:
    """Two fields of one PDF with one name are one field in a viewer (typing in one fills the other): refused."""
    names = [name for page in pages for name in _NAMES.findall(page)]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise RenderError(f"PDF not written: the packet would have two fields named {', '.join(twice[:5])} "
                          "(a template gives two fields one name)")


def contents(members: list[Document], counts: list[int], cover_pages: int) -> list[dict[str, object]]:
    """Each document of the packet with the packet pages it fills, counting the cover's pages first."""
    rows, start = [], cover_pages + 1
    for doc, count in zip(members, counts, strict=True):
        rows.append({"document": doc.kind, "first": start, "last": start + count - 1, "pages": count})
        start += count
    return rows


def _cover_rows(members: list[Document]) -> list[dict[str, object]]:
    """The table of contents without page numbers (the preview, and the wording the packet's ID includes)."""
    return [{"document": doc.kind, "first": None, "last": None, "pages": None} for doc in members]


def _member_pages(members: list[Document], output: Output) -> list[Page]:
    """Each bound document rendered as it would be alone."""
    return [render_page(doc, output.but(format="pdf")) for doc in members]


def _ids(cover: Document, members: list[Document], pages: list[Page], output: Output,
         inline_assets: bool = False) -> tuple[str, str, Page]:
    """The packet's fingerprint and wording id (its documents' and its cover's, the cover without page numbers),
    and that cover page (the web page's preview shows it, with the packet's ID)."""
    shown = render_page(cover, output.but(fields=False), inline_assets=inline_assets,
                        extra={"contents": _cover_rows(members)})
    fingerprint = hashlib.sha256(" ".join([shown.fingerprint, *(p.fingerprint for p in pages)]).encode())
    wording = hashlib.sha256(" ".join([shown.wording, *(p.wording for p in pages)]).encode())
    return fingerprint.hexdigest()[:12], wording.hexdigest()[:12], shown


def content_ids(doc: Document, output: Output) -> tuple[str, str]:
    """A document's fingerprint and wording id as its render gives them (a packet's from all it binds)."""
    if doc.members:
        members = list(doc.members)
        return _ids(doc, members, _member_pages(members, output), output)[:2]
    page = render_page(doc, output)
    return page.fingerprint, page.wording


def render_packet(cover: Document, members: list[Document], output: Output) -> Rendered:
    """The packet as one PDF: the cover (``cover``'s templates, given ``contents``), then ``members`` in order.

    Raises:
        OutputError: a format other than PDF was asked for (a packet is one bound file).
        RenderError, TemplateError: as for one document.
    """
    pages = _member_pages(members, output)
    preview = output.format == "html"  # the web page's preview: the cover, its documents without page numbers
    fingerprint, wording, shown = _ids(cover, members, pages, output, inline_assets=preview)
    if preview:
        return Rendered(shown.html.replace(shown.fingerprint, fingerprint).encode("utf-8"), fingerprint, wording)
    if output.format != "pdf":
        raise OutputError(f"a packet is one PDF; '{output.format}' cannot bind documents (use --format pdf)")
    from consentgen.render.pdf import render_pdf

    def cover_page(counts: list[int], cover_pages: int) -> str:  # it shows the packet's ID, not its own
        page = render_page(cover, output, extra={"contents": contents(members, counts, cover_pages)})
        return page.html.replace(page.fingerprint, fingerprint)

    attachments = [(RECORD_NAME, packet_record_bytes(cover, members, output.certified_by),
                    "What this packet rests on, for consentgen outdated")]
    bound = [_own_fields(page.html, doc.kind) for page, doc in zip(pages, members, strict=True)]
    _check_unique(bound)
    pdf = render_pdf(bound,
                     variant=output.variant, fields=output.fields, attachments=attachments, made=cover.date,
                     lang=cover.tag, cover=cover_page)
    return Rendered(pdf, fingerprint, wording)
