"""The whole pipeline for one practice: rules -> form -> HTML -> PDF -> file."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from consentgen.inputs.answers import read_logo
from consentgen.errors import OutputError
from consentgen.documents.document import ConsentForm, build_form
from consentgen.render.html import render_html
from consentgen.files.output import write_atomic
from consentgen.model.practice import Practice
from consentgen.law.load import load_jurisdiction
from consentgen.version import __version__


@dataclass(frozen=True)
class Result:
    """What was written, and the form it came from."""

    path: Path
    form: ConsentForm
    size: int


def output_format(path: Path) -> str:
    """'pdf' or 'html' from the output file's suffix."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".html", ".htm"):
        return "html"
    raise OutputError(f"{path}: unknown output type '{suffix or '(none)'}'; use a name ending in .pdf or .html")


def logo_data_url(practice: Practice) -> str | None:
    """The practice logo embedded as a data: URL, so the PDF engine never opens a file."""
    if not practice.practice.logo:
        return None
    data, mime = read_logo(Path(practice.practice.logo))
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def make_form(practice: Practice, *, today: dt.date) -> ConsentForm:
    """Load the practice's rules and build its form."""
    jurisdiction = load_jurisdiction(practice.jurisdiction)
    return build_form(practice, jurisdiction, today=today, version=__version__, logo=logo_data_url(practice))


def render_document(form: ConsentForm, fmt: str, *, template_dir: str | Path | None = None,
                    variant: str | None = "ua", fields: bool = True) -> bytes:
    """Render a built form to the bytes of an HTML page or a PDF.

    ``template_dir`` defaults to the answers file's own ``templates`` folder, if it names one.
    """
    template_dir = template_dir or form.practice.templates
    if fmt == "html":
        return render_html(form, template_dir=template_dir, inline_assets=True).encode("utf-8")
    from consentgen.render.pdf import render_pdf

    html = render_html(form, template_dir=template_dir, extra={"fields": fields})
    return render_pdf(html, variant=variant, fields=fields)


def generate(practice: Practice, output: str | Path, *, today: dt.date, template_dir: str | Path | None = None,
             variant: str | None = "ua", fields: bool = True) -> Result:
    """Render ``practice``'s form and write it to ``output`` (.pdf or .html), atomically.

    Nothing is written unless rendering succeeded.
    """
    path = Path(output)
    fmt = output_format(path)
    form = make_form(practice, today=today)
    data = render_document(form, fmt, template_dir=template_dir, variant=variant, fields=fields)
    write_atomic(path, data)
    return Result(path=path, form=form, size=len(data))
