"""consentgen: limits-of-confidentiality consent forms for therapists, from law kept as data.

The public API is ``__all__``; other modules and names are internal.
"""

from __future__ import annotations

from .answers import read_practice, write_practice
from .errors import ConsentgenError
from .form import ConsentForm, build_form
from .generate import generate
from .html_render import render_html
from .practice import Clinician, Practice
from .rules import Jurisdiction, list_jurisdictions, load_jurisdiction, read_jurisdiction
from .version import __version__


def render_pdf(html: str, **options: object) -> bytes:
    """Render HTML to PDF bytes (see consentgen.pdf_render.render_pdf)."""
    from .pdf_render import render_pdf as _render_pdf

    return _render_pdf(html, **options)  # type: ignore[arg-type]


__all__ = [
    "Clinician", "ConsentForm", "ConsentgenError", "Jurisdiction", "Practice", "__version__", "build_form",
    "generate", "list_jurisdictions", "load_jurisdiction", "read_jurisdiction", "read_practice", "render_html",
    "render_pdf", "write_practice",
]
