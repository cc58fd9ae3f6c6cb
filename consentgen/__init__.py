"""consentgen: limits-of-confidentiality consent forms for therapists, from law kept as data.

The public API is ``__all__``; other modules and names are internal.
"""

from __future__ import annotations

from consentgen.inputs.answers import read_practice, write_practice
from consentgen.errors import ConsentgenError
from consentgen.documents.document import ConsentForm, build_form
from consentgen.pipeline import generate
from consentgen.render.html import render_html
from consentgen.model.practice import Clinician, Practice
from consentgen.law.load import Jurisdiction, list_jurisdictions, load_jurisdiction, read_jurisdiction
from consentgen.version import __version__


def render_pdf(html: str, **options: object) -> bytes:
    """Render HTML to PDF bytes (see consentgen.render.pdf.render_pdf)."""
    from consentgen.render.pdf import render_pdf as _render_pdf

    return _render_pdf(html, **options)  # type: ignore[arg-type]


__all__ = [
    "Clinician", "ConsentForm", "ConsentgenError", "Jurisdiction", "Practice", "__version__", "build_form",
    "generate", "list_jurisdictions", "load_jurisdiction", "read_jurisdiction", "read_practice", "render_html",
    "render_pdf", "write_practice",
]
