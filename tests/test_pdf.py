"""PDF output: structure (pypdf), fields, size, fonts, page size, reproducibility, qpdf."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys

import pypdf
import pytest
from consentgen.documents.document import build_form
from consentgen.errors import RenderError
from consentgen.inputs.answers import read_practice
from consentgen.law import load as rules
from consentgen.render.pdf import render_pdf

from tests.conftest import render_bytes as render_document

from .conftest import EXAMPLES, ROOT
from .test_render_html import SECTION_HEADINGS

pytestmark = pytest.mark.pdf


def build(example, today, **kw):
    practice = read_practice(example)
    from consentgen.documents.document import offered

    form = build_form(practice, rules.load_jurisdiction(practice.jurisdiction), today=today, version="test",
                      client_type=offered(practice)[-1])
    from consentgen.model.options import Output
    from consentgen.render.registry import render_document as render_with

    rendered = render_with(form, Output(**{"variant": "ua", "fields": True, **kw}))
    return form, rendered.data, rendered.fingerprint


@pytest.fixture(scope="module")
def rendered():
    import datetime as dt

    today = dt.date(2026, 11, 22)
    return {ex.stem: build(ex, today) for ex in EXAMPLES}


def struct_roles(node, found=None, depth=0):
    """Every structure role (/S) in the tag tree, in document order."""
    found = [] if found is None else found
    node = node.get_object()
    if depth > 60:
        return found
    if isinstance(node, dict):
        if "/S" in node:
            found.append(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            for kid in kids if isinstance(kids, list) else [kids]:
                kid = kid.get_object() if hasattr(kid, "get_object") else kid
                if isinstance(kid, dict):
                    struct_roles(kid, found, depth + 1)
    return found


def text_of(reader: pypdf.PdfReader) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.parametrize("example", [e.stem for e in EXAMPLES])
def test_pdf_structure(rendered, example):
    form, data, fingerprint = rendered[example]
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    title = f"Consent for Services and Limits of Confidentiality - {form.practice.practice.name}"
    assert reader.metadata.title == title
    assert 3 <= len(reader.pages) <= 12
    text = text_of(reader)
    assert form.practice.practice.name in text
    for name in form.sections:
        assert SECTION_HEADINGS[name] in text, name
    assert f"of {len(reader.pages)}" in text  # page X of Y
    assert form.verified_on.isoformat() in text and fingerprint in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # US Letter


@pytest.mark.parametrize("example", [e.stem for e in EXAMPLES])
def test_accessibility_structure_and_fields(rendered, example):
    form, data, fingerprint = rendered[example]
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).lower().startswith("en")
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    roles = struct_roles(root["/StructTreeRoot"])
    assert roles.count("/H1") == 1 and roles.count("/H2") >= len(form.sections)
    assert "/L" in roles and "/LI" in roles and "/P" in roles
    fields = reader.get_fields()
    expected = {f"{s.key}_{part}" for s in form.signers for part in ("name", "signature", "date", "typed", "agree")}
    if form.client_type == "minor":
        expected.add("custody_order")  # which custody order or parenting plan the parent gave
    assert set(fields) == expected - {"clinician_name"}  # printed on the page, so every viewer shows it
    for name, field in fields.items():
        assert field.get("/TU"), f"field {name} has no tooltip"
        kind = "/Sig" if name.endswith("_signature") else "/Btn" if name.endswith("_agree") else "/Tx"
        assert field.get("/FT") == kind, name
    assert str(root["/AcroForm"]["/NeedAppearances"]).lower() == "false"  # every field has its own appearance
    widgets = [a.get_object() for page in reader.pages for a in (page.get("/Annots") or [])
               if a.get_object().get("/Subtype") == "/Widget"]
    assert widgets and all("/N" in w["/AP"] for w in widgets)  # an appearance for every field
    assert len(data) < 150_000, f"{example}: {len(data)} bytes"


def test_fonts_are_embedded(rendered):
    _, data, _ = rendered[EXAMPLES[0].stem]
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            desc = desc.get_object()
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]))
    assert any("Atkinson" in f for f in fonts)


def test_print_version_has_lines_not_fields(today):
    _, data, _ = build(EXAMPLES[0], today, fields=False)
    assert not pypdf.PdfReader(io.BytesIO(data)).get_fields()


def test_same_input_gives_identical_bytes_in_fresh_processes(tmp_path):
    example = EXAMPLES[0]
    outs = []
    for i in range(2):
        out = tmp_path / f"f{i}.pdf"
        subprocess.run([sys.executable, "-m", "consentgen", "render", str(example), "--for", "individual",
                        "-o", str(out)],
                       check=True, capture_output=True, cwd=ROOT)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_check_is_clean(tmp_path, rendered):
    for stem, (_, data, _) in rendered.items():
        path = tmp_path / f"{stem}.pdf"
        path.write_bytes(data)
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "ftp://example.com/a"])
def test_external_resources_are_refused(url):
    html = f'<html lang="en"><head><title>t</title></head><body><img src="{url}" alt="x"><p>hi</p></body></html>'
    with pytest.raises(RenderError, match="refused"):
        render_pdf(html)


def test_a4_jurisdiction_gives_a4_pages(today):
    import dataclasses

    practice = read_practice(EXAMPLES[0])
    fictional = rules.read_jurisdiction(ROOT / "tests" / "data" / "ZZ-TST.yaml")
    practice = dataclasses.replace(practice, jurisdiction="ZZ-TST")
    form = build_form(practice, fictional, today=today, version="test", client_type="individual")
    data = render_document(form, "pdf")
    box = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


def test_archival_variant_is_pdfa(today):
    _, data, _ = build(EXAMPLES[0], today, variant="archival")
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/OutputIntents" in root and "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    assert "pdfaid:part" in xmp and ("pdfaid:part>3<" in xmp or 'pdfaid:part="3"' in xmp)
    assert reader.metadata.title


def test_a_filled_in_or_foreign_pdf_is_never_replaced_without_force(tmp_path):
    """render replaces its own untouched output, but not a client's filled-in copy or another program's PDF (the
    command's own main, in this process: test_cli.run)."""
    import pypdf

    from .conftest import EXAMPLES
    from .test_cli import run

    def render(*extra):
        return run("render", EXAMPLES[0], "--for", "individual", "-o", tmp_path / "form.pdf", *extra)

    assert render().returncode == 0
    assert render().returncode == 0  # its own untouched output: replaced
    writer = pypdf.PdfWriter(clone_from=str(tmp_path / "form.pdf"))
    writer.update_page_form_field_values(None, {"client_name": "Pat Client"}, auto_regenerate=False)
    with open(tmp_path / "form.pdf", "wb") as handle:
        writer.write(handle)
    filled = (tmp_path / "form.pdf").read_bytes()
    out = render()
    assert out.returncode == 3 and "not replaced" in out.stderr and "client_name" in out.stderr, out.stderr
    assert (tmp_path / "form.pdf").read_bytes() == filled
    assert render("--force").returncode == 0
    (tmp_path / "form.pdf").write_bytes(pypdf_blank())
    out = render()
    assert out.returncode == 3 and "was not made by consentgen" in out.stderr


def pypdf_blank():
    import io

    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_clinician_name_shows_without_the_viewer_regenerating_fields(tmp_path, today):
    """pdftoppm draws annotations from their appearances only: the clinician's name must be on the page."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    _, data, _ = build(EXAMPLES[0], today)
    (tmp_path / "f.pdf").write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "f.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    clinician = text.split("Clinician")[-1]
    assert "Dana Whitfield" in clinician.split("Printed name")[0]


def _struct_langs(data: bytes) -> list[tuple[str, str]]:
    """(structure type, /Lang) of every structure element that declares its own language."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            if "/Lang" in node:
                found.append((str(node.get("/S")), str(node["/Lang"])))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else ([kids] if kids is not None else []):
                walk(kid)

    walk(pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]["/StructTreeRoot"])
    return found


def test_english_inside_a_spanish_pdf_is_tagged_english(today):
    """Issue 24, C7 (PDF/UA 7.2): each change of language is declared in the structure tree, so a Spanish
    screen reader reads board names in English; an English form declares none."""
    practice = read_practice(EXAMPLES[0])
    spanish = render_pdf_for(practice, today, "es")
    langs = _struct_langs(spanish)
    assert ("/Span", "en") in langs  # a name kept in English inside a Spanish sentence
    assert len(langs) >= 2  # every English name in the Spanish form is tagged (the source list left the form)
    assert pypdf.PdfReader(io.BytesIO(spanish)).trailer["/Root"]["/Lang"] == "es-US"
    assert not _struct_langs(render_pdf_for(practice, today, "en"))


def render_pdf_for(practice, today, language):
    from consentgen.model.options import RenderOptions
    from consentgen.pipeline import render

    _, rendered = render(practice, RenderOptions(client_type="individual", language=language), today=today)
    return rendered.data


def test_every_signer_can_sign_in_any_viewer_and_the_printed_form_keeps_lines(today):
    """Issue 27: beside each signature field (a certificate signature), a typed-name field and an agreement box
    that any viewer can fill; the printed version has neither, and both versions share the form's ID."""
    from consentgen.model.options import RenderOptions
    from consentgen.pipeline import render

    practice = read_practice(EXAMPLES[0])
    _, fillable = render(practice, RenderOptions(client_type="individual"), today=today)
    _, printed = render(practice, RenderOptions(client_type="individual", fields=False), today=today)
    fields = pypdf.PdfReader(io.BytesIO(fillable.data)).get_fields()
    assert fields["client_typed"]["/FT"] == "/Tx" and fields["client_agree"]["/FT"] == "/Btn"
    assert pypdf.PdfReader(io.BytesIO(printed.data)).get_fields() in (None, {})
    assert fillable.fingerprint == printed.fingerprint
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(fillable.data)).pages)
    assert "Type your full name to sign" in text and "ask me for a printed copy" in text
    printed_text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(printed.data)).pages)
    assert "Type your full name to sign" not in printed_text


def test_weasyprint_imports_without_probing_for_windows_and_macos_library_names():
    """Loading the engine skips ctypes.util.find_library's ldconfig/gcc/ld probes for the Windows and macOS library
    names WeasyPrint tries first (54 processes before, 15 after: about 0.12 s of every cold start); every other name
    is still looked up, and find_library is itself again once WeasyPrint is imported."""
    from consentgen.render.pdf import _FOREIGN_LIBRARY_NAME

    for foreign in ("libgobject-2.0-0", "gobject-2.0-0", "libfontconfig-1", "libpango-1.0-0.dll",
                    "libharfbuzz.0.dylib"):
        assert _FOREIGN_LIBRARY_NAME.search(foreign), foreign
    for linux in ("gobject-2.0", "harfbuzz", "fontconfig", "pango-1.0", "harfbuzz-subset-0.0", "m"):
        assert not _FOREIGN_LIBRARY_NAME.search(linux), linux
    out = subprocess.run([sys.executable, "-c", (
        "import ctypes.util\n"
        "asked = []\n"
        "def probe(name):\n"
        "    asked.append(name)\n"
        "    return None\n"
        "ctypes.util.find_library = probe\n"
        "from consentgen.render import pdf\n"
        "pdf._engine()\n"
        "print(ctypes.util.find_library is probe, sorted(set(asked)))\n")], capture_output=True, text=True, check=True)
    restored, asked = out.stdout.split(" ", 1)
    assert restored == "True"
    assert "libgobject-2.0-0" not in asked and "fontconfig-1" not in asked and ".dll" not in asked, asked
