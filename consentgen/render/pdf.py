"""Turn the form's HTML into PDF bytes with WeasyPrint, loading nothing but our own assets.

WeasyPrint is imported inside the functions: it costs about a second to import, and the
wizard and the validators must start without it.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
import threading
from collections.abc import Callable
from typing import Any

from consentgen.errors import RenderError
from consentgen.files.assets import font_files
from consentgen.render.sandbox import BudgetExceeded, time_budget

VARIANTS = {"ua": "pdf/ua-1", "archival": "pdf/a-3u"}
ENGINE_BUDGET = 60.0  # seconds WeasyPrint may take for one form (a form takes about 1 s)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_LOCK = threading.Lock()


def _engine() -> Any:
    with _LOCK:  # the CLI may preload from a background thread
        return _load_engine()


# Library names WeasyPrint tries that only Windows or macOS use: on Linux ctypes.util.find_library never finds them,
# but asks ldconfig, gcc and ld before saying so.
_FOREIGN_LIBRARY_NAME = re.compile(r"(-\d+|\.dll|\.dylib)$")


def _import_weasyprint() -> Any:
    """``import weasyprint``, on Linux without the probes that cost every cold start about 0.2 s.

    WeasyPrint loads each native library by trying several names, the Windows and macOS ones first; for each name
    that does not load directly, cffi asks ``ctypes.util.find_library``, which on Linux starts ``ldconfig``, ``gcc``
    and ``ld`` (about 50 processes in all). While WeasyPrint imports, a name only those systems use is answered
    "not found" at once, as the probes would answer it; every other name is still looked up as usual.
    """
    if not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import ctypes.util

    probe = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        return None if _FOREIGN_LIBRARY_NAME.search(name) else probe(name)

    ctypes.util.find_library = find_library
    try:
        import weasyprint
    finally:
        ctypes.util.find_library = probe
    return weasyprint


@functools.lru_cache(maxsize=1)
def _load_engine() -> Any:
    weasyprint = _import_weasyprint()  # heavy: imported only when a PDF is made
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    allowed = font_files()
    _tag_language_changes()

    class AssetFetcher(URLFetcher):  # type: ignore[misc]
        """Serves the bundled fonts and data: URLs; refuses every other URL."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url in allowed:
                return URLFetcherResponse(url, allowed[url].read_bytes(), {"Content-Type": "font/ttf"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise FatalURLFetchingError(f"refused to load {url[:200]!r}: only the form's own fonts and "
                                        "embedded images may be used")

    return weasyprint, FontConfiguration(), AssetFetcher, FatalURLFetchingError


def _tag_language_changes() -> None:
    """Give a tagged PDF's structure element the language of an HTML element that declares its own
    (``<span lang="en">`` around a board's English name in a Spanish form), as PDF/UA asks of every change
    of natural language (ISO 14289-1, 7.2), so a screen reader pronounces each part in its language.

    WeasyPrint 70 (pinned) builds one structure element per box in ``pdf.tags._build_box_tree`` and
    copies no ``lang``; the hook adds ``/Lang`` to the elements made for such a box.
    """
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree  # noqa: SLF001 - the only place structure elements are made
    if getattr(original, "consentgen_lang", False):
        return

    def build(box: Any, parent: Any, *args: Any) -> Any:
        element = getattr(getattr(box, "_box", box), "element", None)
        lang = element.get("lang") if element is not None and hasattr(element, "get") else None
        skip = getattr(box, "element_tag", None) in ("html", "body")
        for made in original(box, parent, *args):
            if lang and not skip and isinstance(made, pydyf.Dictionary) and "Lang" not in made:
                made["Lang"] = pydyf.String(lang)
            yield made

    build.consentgen_lang = True  # type: ignore[attr-defined]
    tags._build_box_tree = build  # noqa: SLF001


def _finish_fields(document: Any, pdf: Any) -> None:
    """Give every text field an appearance and make the signature fields real signature fields.

    WeasyPrint leaves text fields to the viewer (``/NeedAppearances``); viewers that do not
    regenerate appearances then show nothing, or the wrong thing. Every field here starts empty,
    so an empty appearance is exact, and ``NeedAppearances`` can be off. Fields named
    ``*_signature`` become ``/FT /Sig`` fields, which "Fill & Sign" and certificate signing use.
    """
    import pydyf

    acro = pdf.catalog.get("AcroForm") if hasattr(pdf.catalog, "get") else None
    if not acro:
        return
    for obj in list(pdf.objects):
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Subtype") != "/Widget" or obj.get("FT") != "/Tx":
            continue
        x1, y1, x2, y2 = (float(v) for v in obj["Rect"])
        appearance = pydyf.Stream([b"/Tx BMC", b"EMC"], extra={
            "Type": "/XObject", "Subtype": "/Form", "BBox": pydyf.Array((0, 0, abs(x2 - x1), abs(y2 - y1))),
            "Resources": acro["DR"]})
        pdf.add_object(appearance)
        obj["AP"] = pydyf.Dictionary({"N": appearance.reference})
        name = obj["T"].string if isinstance(obj.get("T"), pydyf.String) else ""
        if str(name).endswith("_signature"):
            obj["FT"] = "/Sig"
            for key in ("DA", "V", "MaxLen", "Ff"):
                obj.pop(key, None)
    acro["NeedAppearances"] = "false"


RECORD_MARK = b'"record":'  # how the form's own record is told from any other attached file


def _stamp_pages(pdf: Any) -> None:
    """Write the SHA-256 of each page's content, as issued, into the form's attached record (``pages``), so
    ``consentgen verify`` can tell later whether the pages a client returns are still the ones issued. Filling
    fields, signing and adding annotations leave page contents alone; flattening, editing or scanning do not."""
    import hashlib
    import json

    import pydyf
    from pydyf import _to_bytes as pydyf_bytes  # how pydyf serialises a stream item (the same for every form)

    digests, boxes = [], []
    for reference in pdf.page_references:
        page = pdf.objects[_number(reference)]
        contents = pdf.objects[_number(page["Contents"])]
        raw = b"\n".join(pydyf_bytes(item) for item in contents.stream)  # the stream as pydyf writes it
        digests.append(hashlib.sha256(raw).hexdigest())
        boxes.append([round(float(v), 2) for v in page["MediaBox"]])  # a cropped or resized page is a change
    fields = sorted(str(obj["T"].string) for obj in pdf.objects
                    if isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Widget"
                    and isinstance(obj.get("T"), pydyf.String))
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream) or obj.extra.get("Type") != "/EmbeddedFile":
            continue
        data = b"".join(item if isinstance(item, bytes) else str(item).encode() for item in obj.stream)
        if RECORD_MARK not in data:
            continue
        record = json.loads(data)
        record["pages"] = digests
        record["page_boxes"] = boxes
        record["fields"] = fields
        new = (json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        obj.stream = [new]
        obj.extra["Params"]["CheckSum"] = f"<{hashlib.md5(new, usedforsecurity=False).hexdigest()}>"
        obj.extra["Params"]["Size"] = len(new)


def _number(reference: Any) -> int:
    """The object number of a pydyf reference (``b"6 0 R"`` or ``"6 0 R"``)."""
    text = reference.decode("ascii") if isinstance(reference, bytes) else str(reference)
    return int(text.split()[0])


def _short(message: str) -> str:
    """A log message without the bulk of embedded data: URLs."""
    return re.sub(r"data:([\w/+.-]+)[;,][^\s'\"]{20,}", r"data:\1 (embedded data)", message)[:500]


def _stamp(made: Any) -> Any:
    import datetime as dt

    day = made if isinstance(made, dt.date) else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def preload() -> None:
    """Import WeasyPrint and set up fonts now (safe to call from a background thread)."""
    _engine()


def _asks_for_attachments(document: Any) -> bool:
    """Whether any element of the parsed page has ``rel="attachment"``, read as WeasyPrint reads it (so
    ``rel="&#97;ttachment"`` or odd spacing cannot hide it), in one pass over the parsed tree."""
    from weasyprint.html import element_has_link_type

    return any(element_has_link_type(element, "attachment") for element in document.etree_element.iter())


def _write_options(weasyprint: Any, fonts: Any, variant: str | None, fields: bool,
                   attachments: list[tuple[str, bytes, str]] | None, made: Any) -> dict[str, Any]:
    """WeasyPrint's options for one PDF: fonts, fields, the PDF variant and our own attached record."""
    options: dict[str, Any] = {"font_config": fonts, "pdf_forms": fields, "uncompressed_pdf": False}
    if variant:
        options["pdf_variant"] = VARIANTS[variant]
    if variant == "archival":
        options["pdf_tags"] = True
    if attachments:  # our own data, given as bytes: nothing is fetched
        stamp = _stamp(made)  # the form's date, so the same input gives the same bytes
        options["attachments"] = [weasyprint.Attachment(string=data, name=name, description=about,
                                                        relationship="Supplement", created=stamp, modified=stamp)
                                  for name, data, about in attachments]
    return options


def _bind(parts: list[Any], parse: Callable[[str], Any], cover: Callable[[list[int], int], str] | None,
          layout: dict[str, Any]) -> Any:
    """Lay out each part alone (its own page numbers), put the cover first (it names each part's pages, known
    only now; a cover longer than the one page first guessed is made again), and bind them in one document."""
    laid = [part.render(**layout) for part in parts]
    if cover is not None:
        counts = [len(part.pages) for part in laid]
        first = parse(cover(counts, 1)).render(**layout)
        if len(first.pages) != 1:
            first = parse(cover(counts, len(first.pages))).render(**layout)
        laid.insert(0, first)
    return laid[0].copy([page for part in laid for page in part.pages])


# Over the complexity bound (14): one render with its optional parts (fields, archival variant, attachments,
# cover page, language), each a short branch on one WeasyPrint call.
def render_pdf(html: str | list[str], *, variant: str | None = "ua", fields: bool = False,  # noqa: C901
               attachments: list[tuple[str, bytes, str]] | None = None, made: Any = None,
               lang: str | None = None, cover: Callable[[list[int], int], str] | None = None) -> bytes:
    """Render ``html`` to PDF bytes.

    Args:
        html: the complete HTML document, or several (a packet), each laid out with its own page numbers and
            bound into one PDF in order.
        variant: ``"ua"`` (tagged PDF/UA-1, the default), ``"archival"`` (PDF/A-3u) or None.
        fields: make the form's inputs fillable PDF fields.
        attachments: (file name, bytes, description) of files to embed, such as the form's record.
        made: the date the attachments are stamped with (default 2000-01-01, never "now").
        lang: the PDF's /Lang (``es-US``); None keeps the HTML's ``lang``.
        cover: for a packet, the cover page's HTML made from each part's page count and the cover's own page
            count (first guessed as 1); it is put before the parts.

    Raises:
        RenderError: a resource was refused, or WeasyPrint logged an error.
    """
    weasyprint, fonts, fetcher_class, fatal = _engine()
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    budget = time_budget(ENGINE_BUDGET, "the PDF engine")  # a logo or style that never ends stops here
    try:
        budget.__enter__()
        fetcher = fetcher_class(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=True)

        def parse(page: str) -> Any:
            part = weasyprint.HTML(string=page, url_fetcher=fetcher, base_url=None)
            if _asks_for_attachments(part):  # only consentgen's own record is attached, never a template's file
                raise RenderError("PDF not written: a template asks to attach a file to the form "
                                  "(rel=\"attachment\"); a client's form carries no files but its record")
            return part

        parts = [parse(page) for page in ([html] if isinstance(html, str) else html)]
        options = _write_options(weasyprint, fonts, variant, fields, attachments, made)

        def finish(made_document: Any, pdf_file: Any) -> None:
            if fields:
                _finish_fields(made_document, pdf_file)
            if attachments:
                _stamp_pages(pdf_file)
            if lang:
                import pydyf

                pdf_file.catalog["Lang"] = pydyf.String(lang)

        if len(parts) == 1 and cover is None:
            pdf: bytes = parts[0].write_pdf(finisher=finish, **options)
        else:  # a packet: each part laid out alone (its own page numbers), then bound into one file
            bound = _bind(parts, parse, cover, {**weasyprint.DEFAULT_OPTIONS, **options})
            pdf = bound.write_pdf(finisher=finish, **{k: v for k, v in options.items()
                                                       if k in weasyprint.DEFAULT_OPTIONS})
    except BudgetExceeded as exc:
        raise RenderError(f"PDF not written: {exc} (a logo, style or page that never ends?)") from None
    except MemoryError:
        raise RenderError("PDF not written: out of memory (a logo, style or page far too large?)") from None
    except fatal as exc:
        raise RenderError(f"PDF not written: {exc}") from None
    except RenderError:
        raise
    except Exception as exc:  # WeasyPrint raises assorted errors on bad input
        raise RenderError(f"PDF not written: {type(exc).__name__}: {exc}") from None
    finally:
        budget.__exit__(None, None, None)
        logger.removeHandler(collector)
    if collector.messages:
        raise RenderError("PDF not written: " + "; ".join(_short(m) for m in collector.messages[:5]))
    return pdf
