"""consentgen: limits-of-confidentiality consent forms for therapists, from law kept as data.

The public API is ``__all__``; other modules and names are internal. Importing the package
is light: names load on first use (no Jinja or WeasyPrint at import).
"""

from __future__ import annotations

from typing import Any

from consentgen.version import __version__

_LAZY = {
    "read_practice": "consentgen.inputs.answers", "write_practice": "consentgen.inputs.answers",
    "ConsentgenError": "consentgen.errors",
    "ConsentForm": "consentgen.documents.document", "Document": "consentgen.documents.document",
    "build_form": "consentgen.documents.document", "build_document": "consentgen.documents.document",
    "generate": "consentgen.pipeline", "render_html": "consentgen.render.html",
    "Clinician": "consentgen.model.practice", "Practice": "consentgen.model.practice",
    "RenderOptions": "consentgen.model.options",
    "LawView": "consentgen.law.resolve", "resolve": "consentgen.law.resolve",
    "Jurisdiction": "consentgen.law.load", "list_jurisdictions": "consentgen.law.load",
    "load_jurisdiction": "consentgen.law.load", "read_jurisdiction": "consentgen.law.load",
}


def render_pdf(html: str, **options: object) -> bytes:
    """Render HTML to PDF bytes (see consentgen.render.pdf.render_pdf)."""
    from consentgen.render.pdf import render_pdf as _render_pdf

    return _render_pdf(html, **options)  # type: ignore[arg-type]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'consentgen' has no attribute {name!r}")


__all__ = [
    "Clinician", "ConsentForm", "ConsentgenError", "Document", "Jurisdiction", "LawView", "Practice",
    "RenderOptions", "__version__", "build_document", "build_form", "generate", "list_jurisdictions",
    "load_jurisdiction", "read_jurisdiction", "read_practice", "render_html", "render_pdf", "resolve",
    "write_practice",
]
