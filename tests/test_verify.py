"""consentgen verify (issue 27): a returned form is still the one issued when only its fields and annotations
changed; an edited or flattened page is named; who signed, and how, is read from the fields."""

from __future__ import annotations

import json
import shutil

import pypdf
import pytest
from consentgen.inputs.answers import read_practice
from consentgen.model.options import RenderOptions
from consentgen.pipeline import generate

from .conftest import EXAMPLES
from .test_cli import run

pytestmark = pytest.mark.pdf


@pytest.fixture
def issued(tmp_path, today):
    path = tmp_path / "form.pdf"
    generate(read_practice(EXAMPLES[0]), path, RenderOptions(client_type="individual"), today=today)
    return path


def _signed(issued, tmp_path, values, *, annotate=False, change_page=False):
    reader = pypdf.PdfReader(issued)
    writer = pypdf.PdfWriter(clone_from=reader)
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    if annotate:
        from pypdf.annotations import FreeText

        writer.add_annotation(page_number=len(writer.pages) - 1,
                              annotation=FreeText(text="J. Client", rect=(50, 50, 200, 80)))
    if change_page:  # what an editor or a "flatten" does: new drawing in the page's own content
        page = writer.pages[0]
        content = page.get_contents()
        content.set_data(content.get_data() + b"\nq 0 0 1 rg 10 10 50 50 re f Q")
        page.replace_contents(content)
    out = tmp_path / "returned.pdf"
    with out.open("wb") as handle:
        writer.write(handle)
    return out


def _agree_on(path):
    field = pypdf.PdfReader(path).get_fields()["client_agree"]
    states = [s for s in field.get("/_States_", []) if s != "/Off"]
    return states[0] if states else "/Yes"


def test_an_issued_form_is_as_issued_and_unsigned(issued):
    done = run("verify", issued)
    assert done.returncode == 0, done.stderr
    assert "AS ISSUED" in done.stdout and "client: not signed in a field; no date" in done.stdout


def test_a_form_signed_by_typing_is_still_as_issued_and_says_who_signed_how(issued, tmp_path):
    returned = _signed(issued, tmp_path, {"client_typed": "Jane Client", "client_date": "2026-12-08",
                                          "client_agree": _agree_on(issued)}, annotate=True)
    done = run("verify", returned, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)[0]
    assert report["pages_as_issued"] is True and report["changed_pages"] == []
    client = next(s for s in report["signers"] if s["signer"] == "client")
    assert client["typed_name"] == "Jane Client" and client["agreed"] and client["date"] == "2026-12-08"
    assert "ticked 'I agree to sign electronically'" in client["how"]
    assert report["drawn_marks"] and report["drawn_marks"][0]["kind"] == "FreeText"
    assert report["law_changed"] is False


def test_a_typed_name_without_the_tick_is_not_taken_as_agreement(issued, tmp_path):
    returned = _signed(issued, tmp_path, {"client_typed": "Jane Client"})
    assert "did not tick 'I agree to sign electronically'" in run("verify", returned).stdout


def test_an_edited_page_is_named_and_the_exit_status_says_so(issued, tmp_path):
    returned = _signed(issued, tmp_path, {"client_typed": "Jane Client"}, change_page=True)
    done = run("verify", returned)
    assert done.returncode == 7 and "CHANGED" in done.stdout and "pages 1 differ" in done.stdout


def test_a_pdf_consentgen_did_not_make_cannot_be_verified(tmp_path):
    other = tmp_path / "other.pdf"
    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)
    with other.open("wb") as handle:
        writer.write(handle)
    done = run("verify", other)
    assert done.returncode == 7 and "consentgen-record.json" in done.stderr and "Traceback" not in done.stderr


def test_a_cropped_page_or_a_box_drawn_over_a_paragraph_is_reported(issued, tmp_path):
    """Review H3: page size is checked, and every annotation that is not the form's own is listed."""
    from pypdf.annotations import Rectangle
    from pypdf.generic import RectangleObject

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(issued))
    writer.pages[0].cropbox = RectangleObject((0, 396, 612, 792))  # the top half only
    cropped = tmp_path / "cropped.pdf"
    writer.write(cropped)
    done = run("verify", cropped)
    assert done.returncode == 7 and "pages 1 differ" in done.stdout

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(issued))
    writer.add_annotation(page_number=0, annotation=Rectangle(rect=(40, 300, 570, 500)))
    boxed = tmp_path / "boxed.pdf"
    writer.write(boxed)
    done = run("verify", boxed)
    assert "added on page 1: a Square annotation" in done.stdout  # named, whatever it hides


def test_a_typed_name_is_compared_with_the_printed_name(issued, tmp_path):
    """Issue 27: verify says when the typed signature is not the name printed above it (case, spacing and
    punctuation aside), and says nothing when they are the same person's name written differently."""
    same = _signed(issued, tmp_path, {"client_name": "Jane  Q. Client", "client_typed": "jane q client",
                                      "client_agree": _agree_on(issued)})
    report = json.loads(run("verify", same, "--json").stdout)[0]
    client = next(s for s in report["signers"] if s["signer"] == "client")
    assert client["typed_matches_printed"] is True and "differs" not in client["how"]
    other = _signed(issued, tmp_path, {"client_name": "Jane Client", "client_typed": "John Doe",
                                       "client_agree": _agree_on(issued)})
    done = run("verify", other)
    assert "the typed name differs from the printed name ('Jane Client')" in done.stdout
    unsigned = json.loads(run("verify", issued, "--json").stdout)[0]
    assert all(s["typed_matches_printed"] is None for s in unsigned["signers"])


@pytest.mark.parametrize(("printed", "typed"), [("Siobhán O'Brien", "Siobhan OBrien"),
                                                ("Mary-Jane Ruiz", "MaryJane Ruiz"), ("José  Díaz", "jose diaz")])
def test_the_same_name_written_differently_matches(printed, typed):
    """Review of the change (L15): accents, apostrophes, hyphens and spacing do not make a name another name."""
    from consentgen.verify import Signer

    assert Signer("client", name=printed, typed=typed).names_match is True
    assert Signer("client", name=printed, typed="Someone Else").names_match is False


def test_the_cases_of_ordinary_life_each_get_their_verdict(issued, tmp_path):
    """Issue 27: saved again by qpdf (AS ISSUED), an ink signature drawn on it (AS ISSUED, the mark named),
    flattened (CHANGED), two pages swapped (CHANGED, both named)."""
    import subprocess

    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject

    if shutil.which("qpdf"):
        resaved = tmp_path / "qpdf.pdf"
        subprocess.run(["qpdf", "--object-streams=generate", str(issued), str(resaved)], check=True)
        done = run("verify", resaved)
        assert done.returncode == 0 and "AS ISSUED" in done.stdout, done.stdout + done.stderr

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(issued))
    ink = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Ink"),
                            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (60, 60, 220, 100)]),
                            NameObject("/InkList"): ArrayObject([ArrayObject(
                                [FloatObject(v) for v in (60, 70, 120, 95, 180, 65, 220, 90)])])})
    writer.pages[-1].annotations = writer.pages[-1].get("/Annots") or ArrayObject()
    writer.pages[-1]["/Annots"].append(writer._add_object(ink))
    drawn = tmp_path / "ink.pdf"
    writer.write(drawn)
    report = json.loads(run("verify", drawn, "--json").stdout)[0]
    assert report["pages_as_issued"] and {"page": len(writer.pages), "kind": "Ink"} in report["drawn_marks"]

    flat = pypdf.PdfWriter(clone_from=pypdf.PdfReader(issued))
    for page in flat.pages:
        flat.update_page_form_field_values(page, {"client_typed": "Jane Client"}, auto_regenerate=False,
                                           flatten=True)
    flattened = tmp_path / "flat.pdf"
    flat.write(flattened)
    done = run("verify", flattened)
    assert done.returncode == 7 and "CHANGED" in done.stdout

    reader = pypdf.PdfReader(issued)
    swapped = pypdf.PdfWriter()
    order = [1, 0] + list(range(2, len(reader.pages)))
    for index in order:
        swapped.add_page(reader.pages[index])
    for name, data in reader.attachments.items():  # the record travels with the pages, as a re-saver keeps it
        swapped.add_attachment(name, data[0])
    swapped.add_metadata({"/Creator": str(reader.metadata["/Creator"])})
    moved = tmp_path / "swapped.pdf"
    swapped.write(moved)
    report = json.loads(run("verify", moved, "--json").stdout)[0]
    assert report["pages_as_issued"] is False and report["changed_pages"][:2] == [1, 2]
