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
from consentgen.errors import OutputError
from consentgen.model.options import Output
from consentgen.render.html import render_page
from consentgen.render.registry import Rendered

_FIELD_NAME = re.compile(r'(<input\b[^>]*?\bname=")')


def _own_fields(page: str, document: str) -> str:
    """The page with each field's name prefixed by its document's (fields of one PDF must differ by name)."""
    return _FIELD_NAME.sub(lambda found: f"{found.group(1)}{document}-", page)


def contents(members: list[Document], counts: list[int], cover_pages: int) -> list[dict[str, object]]:
    """Each document of the packet with the packet pages it fills, counting the cover's pages first."""
    rows, start = [], cover_pages + 1
    for doc, count in zip(members, counts, strict=True):
        rows.append({"document": doc.kind, "first": start, "last": start + count - 1, "pages": count})
        start += count
    return rows


def render_packet(cover: Document, members: list[Document], output: Output) -> Rendered:
    """The packet as one PDF: the cover (``cover``'s templates, given ``contents``), then ``members`` in order.

    Raises:
        OutputError: a format other than PDF was asked for (a packet is one bound file).
        RenderError, TemplateError: as for one document.
    """
    pages = [render_page(doc, output.but(format="pdf")) for doc in members]
    fingerprint = hashlib.sha256(" ".join(p.fingerprint for p in pages).encode()).hexdigest()[:12]
    wording = hashlib.sha256(" ".join(p.wording for p in pages).encode()).hexdigest()[:12]
    if output.format == "html":  # the web page's preview: the cover, its documents listed without page numbers
        rows = [{"document": doc.kind, "first": None, "last": None, "pages": None} for doc in members]
        shown = render_page(cover, output.but(fields=False), inline_assets=True, extra={"contents": rows})
        return Rendered(shown.html.encode("utf-8"), fingerprint, wording)
    if output.format != "pdf":
        raise OutputError(f"a packet is one PDF; '{output.format}' cannot bind documents (use --format pdf)")
    from consentgen.render.pdf import render_pdf

    def cover_page(counts: list[int], cover_pages: int) -> str:
        return render_page(cover, output, extra={"contents": contents(members, counts, cover_pages)}).html

    attachments = [(RECORD_NAME, packet_record_bytes(cover, members), "What this packet rests on, for consentgen "
                                                                      "outdated")]
    pdf = render_pdf([_own_fields(page.html, doc.kind) for page, doc in zip(pages, members, strict=True)],
                     variant=output.variant, fields=output.fields, attachments=attachments, made=cover.date,
                     lang=cover.tag, cover=cover_page)
    return Rendered(pdf, fingerprint, wording)
