"""Turn the form's HTML into PDF bytes with WeasyPrint, loading nothing but our own assets.

WeasyPrint is imported inside the functions: it costs about a second to import, and the
wizard and the validators must start without it.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from typing import Any

from consentgen.errors import RenderError
from consentgen.files.assets import font_files

VARIANTS = {"ua": "pdf/ua-1", "archival": "pdf/a-3u"}


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


@functools.lru_cache(maxsize=1)
def _load_engine() -> Any:
    import weasyprint  # heavy: imported only when a PDF is made
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    allowed = font_files()

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


def render_pdf(html: str, *, variant: str | None = "ua", fields: bool = False,
               attachments: list[tuple[str, bytes, str]] | None = None, made: Any = None) -> bytes:
    """Render ``html`` to PDF bytes.

    Args:
        html: the complete HTML document.
        variant: ``"ua"`` (tagged PDF/UA-1, the default), ``"archival"`` (PDF/A-3u) or None.
        fields: make the form's inputs fillable PDF fields.
        attachments: (file name, bytes, description) of files to embed, such as the form's record.
        made: the date the attachments are stamped with (default 2000-01-01, never "now").

    Raises:
        RenderError: a resource was refused, or WeasyPrint logged an error.
    """
    weasyprint, fonts, fetcher_class, fatal = _engine()
    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        fetcher = fetcher_class(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=True)
        document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=None)
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
        pdf: bytes = document.write_pdf(**options)
    except fatal as exc:
        raise RenderError(f"PDF not written: {exc}") from None
    except RenderError:
        raise
    except Exception as exc:  # WeasyPrint raises assorted errors on bad input
        raise RenderError(f"PDF not written: {type(exc).__name__}: {exc}") from None
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        raise RenderError("PDF not written: " + "; ".join(_short(m) for m in collector.messages[:5]))
    return pdf
