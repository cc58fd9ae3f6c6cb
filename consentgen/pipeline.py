"""The whole pipeline for one practice: law -> document -> HTML -> PDF -> file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from consentgen.documents.document import Document, build_document
from consentgen.files.assets import logo_data_url
from consentgen.files.output import write_atomic
from consentgen.law.load import load_jurisdiction
from consentgen.model.options import RenderOptions
from consentgen.model.practice import Practice
from consentgen.render.registry import Rendered, format_for, render_document
from consentgen.version import __version__


@dataclass(frozen=True)
class Result:
    """What was written, and the document it came from."""

    path: Path
    form: Document
    size: int
    fingerprint: str


def make_document(practice: Practice, options: RenderOptions | None = None, *, today: dt.date) -> Document:
    """Load the practice's law and build its document."""
    jurisdiction = load_jurisdiction(practice.jurisdiction)
    return build_document(practice, jurisdiction, today=today, version=__version__, options=options,
                          logo=logo_data_url(practice.practice.logo))


def make_form(practice: Practice, *, today: dt.date) -> Document:
    """The consent form for ``practice`` with the default options."""
    return make_document(practice, today=today)


def render(practice: Practice, options: RenderOptions, *, today: dt.date) -> tuple[Document, Rendered]:
    """Build and render ``practice``'s document; nothing is written."""
    doc = make_document(practice, options, today=today)
    return doc, render_document(doc, options)


def generate(practice: Practice, output: str | Path, options: RenderOptions | None = None, *,
             today: dt.date) -> Result:
    """Render ``practice``'s document and write it to ``output`` (its suffix names the format), atomically.

    Nothing is written unless rendering succeeded.
    """
    path = Path(output)
    options = (options or RenderOptions()).but(format=format_for(path))
    doc, rendered = render(practice, options, today=today)
    write_atomic(path, rendered.data)
    return Result(path=path, form=doc, size=len(rendered.data), fingerprint=rendered.fingerprint)
