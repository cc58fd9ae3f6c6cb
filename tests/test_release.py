"""The release of information: every federal element and statement, in every jurisdiction."""

from __future__ import annotations

import copy
import datetime as dt
import html as htmllib
import re
import shutil
import subprocess

import pytest
from consentgen.documents.document import build_document
from consentgen.inputs.answers import parse_practice
from consentgen.law import load as rules
from consentgen.model.options import Output, RenderOptions
from consentgen.render.html import render_html

from .conftest import EXAMPLES

TODAY = dt.date(2026, 11, 22)

# 45 CFR 164.508(c): each required element and statement, and the words that carry it on the form.
ELEMENTS = {
    "(c)(1)(i) a specific description of the information": "What I may share",
    "(c)(1)(ii) who may disclose": "Who may share your information:",
    "(c)(1)(iii) who may receive": "Who may receive it:",
    "(c)(1)(iv) the purpose, or at the request of the individual": '"at my request"',
    "(c)(1)(v) an expiration date or event": ("ends on the date or event you write here",  # or, where the state
                                               "ends on the date you write here"),  # asks for a date, a date
    "(c)(1)(vi) signature and date": "Signature",
    "(c)(1)(vi) a representative's authority": "Your authority to sign for the client",
    "(c)(2)(i) the right to revoke in writing, its exception and how": ("Tell me in writing",  # or, where state law
                                                                         "write it down and sign it"),  # asks more

    "(c)(2)(i) the exception to revocation": "It cannot undo what I already shared",
    "(c)(2)(ii) no conditioning of treatment or payment": "I will not refuse to treat you",
    "(c)(2)(iii) redisclosure no longer protected": ("Federal privacy law may then no longer protect it",
                                                     "federal privacy law may no longer protect it"),
    "(c)(4) a copy to the client": "I will give you a copy of this form",
    "(b)(3) psychotherapy notes need their own authorization": "you must sign a separate form, just for them",
}


def _text(page: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", page.split("<body>")[1])).split())


def _release(answers, code, part2=False):
    answers["jurisdiction"] = code
    answers["policies"] = {"part2_records": part2}
    practice = parse_practice(answers, "release")
    doc = build_document(practice, rules.load_jurisdiction(code), today=TODAY, version="t",
                         options=RenderOptions(document="release"))
    return doc, _text(render_html(doc, Output(format="html", fields=True)))


@pytest.mark.parametrize("code", list(rules.catalogue()))
def test_every_release_has_every_federal_element(code, valid_answers):
    doc, text = _release(valid_answers, code)
    missing = [name for name, words in ELEMENTS.items()
               if not any(w in text for w in ((words,) if isinstance(words, str) else words))]
    assert not missing, (code, missing)
    assert "Records about substance use" not in text  # only for practices holding Part 2 records
    assert any("164.508(c)" in c for ref in doc.references for c in ref.citations)
    assert doc.client_type is None and [s.key for s in doc.signers] == ["client", "clinician"]


def test_psychotherapy_notes_are_never_a_choice_on_the_release(valid_answers):
    _, text = _release(valid_answers, "US-CA")
    choices = text.split("Tick only what you want me to share.")[1].split("Limits, if any")[0]
    assert "psychotherapy notes" in choices.lower() and "not psychotherapy notes" in choices
    assert "Psychotherapy notes are not part of this form." in text


def test_part2_records_add_the_part2_section_and_citations(valid_answers):
    doc, text = _release(valid_answers, "US-NY", part2=True)
    assert "Records about substance use" in text and "I will send a notice with them" in text
    assert "42 CFR § 2.31" in [c for ref in doc.references for c in ref.citations]


@pytest.mark.pdf
def test_release_renders_from_the_command_line_and_its_fields_fill(tmp_path):
    import pypdf

    from .test_cli import run

    out = run("render", EXAMPLES[0], "--document", "release", "-o", tmp_path / "release.pdf")
    assert out.returncode == 0, out.stderr
    reader = pypdf.PdfReader(str(tmp_path / "release.pdf"))
    fields = reader.get_fields()
    assert {"recipient_name", "purpose", "expiration", "info_summary", "client_signature"} <= set(fields)
    assert fields["client_signature"]["/FT"] == "/Sig" and fields["info_summary"]["/FT"] == "/Btn"
    assert all(f.get("/TU") for f in fields.values())
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged, as the consent form
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.update_page_form_field_values(writer.pages[0], {"recipient_name": "Dr. Sam Roe"}, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    with open(filled, "wb") as handle:
        writer.write(handle)
    assert pypdf.PdfReader(str(filled)).get_fields()["recipient_name"]["/V"] == "Dr. Sam Roe"
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(filled), str(tmp_path / "p")],
                       check=True)
        assert (tmp_path / "p-1.png").stat().st_size > 1000
    bad = run("render", EXAMPLES[0], "--document", "lease", "-o", tmp_path / "x.pdf")
    assert bad.returncode == 2 and "consent, good-faith-estimate, packet, privacy-notice, release" in bad.stderr


def test_batch_makes_releases_too(tmp_path):
    from consentgen.batch import run_batch

    from .conftest import ROOT

    roster = tmp_path / "r.csv"
    roster.write_text("name,credentials,profession,license\nAnn Lee,PhD,psychologist,PSY 2\n")
    result = run_batch(ROOT / "examples" / "clinic.yaml", roster, tmp_path / "out",
                       RenderOptions(format="html", document="release"), today=TODAY, jobs=1)
    assert [w["file"] for w in result.written] == ["ann-lee/release.html"]
    assert "Your Permission to Share Information" in (tmp_path / "out" / "ann-lee" / "release.html").read_text()


def test_release_reads_at_grade_8_or_below(valid_answers):
    from consentgen.checks.readability import grade as flesch_kincaid_grade

    _, text = _release(valid_answers, "US-CA")
    body = text.split("Laws behind this form")[0]
    assert flesch_kincaid_grade(body) <= 8.0, flesch_kincaid_grade(body)


def test_release_matches_golden(valid_answers, golden):
    from .test_render_html import without_style

    doc, _ = _release(valid_answers, "US-OR")
    golden("release-US-OR.html", without_style(render_html(doc, Output(format="html", fields=True))))


def test_spanish_release_matches_golden_and_reads_easily(valid_answers, golden):
    from consentgen.checks.readability import fernandez_huerta, section_texts

    from .test_render_html import without_style

    valid_answers["jurisdiction"] = "US-OR"
    valid_answers["policies"] = {"part2_records": True}
    practice = parse_practice(valid_answers, "release")
    options = RenderOptions(document="release", format="html", fields=True, language="es")
    doc = build_document(practice, rules.load_jurisdiction("US-OR"), today=TODAY, version="t", options=options)
    page = render_html(doc, options)
    golden("release-US-OR-es.html", without_style(page))
    text = _text(page)
    assert "Las notas de psicoterapia no forman parte de este formulario" in text
    assert "Puede cancelar este permiso" in text and "Expedientes sobre el consumo de sustancias" in text
    for section, body in section_texts(page).items():
        if section != "references":
            assert fernandez_huerta(body) >= 70, (section, fernandez_huerta(body))


@pytest.mark.parametrize("code", list(rules.catalogue()))
def test_every_state_release_requirement_is_printed_from_its_data(code, valid_answers):
    """A state's release_requirements are printed, each title and text as the data words them, in English and
    Spanish (Illinois, 740 ILCS 110/5, is the first state to carry them: the section printed an attribute the
    data's view lacks, and the release failed with a template error)."""
    for language in ("en", "es"):
        answers = copy.deepcopy(valid_answers)
        answers["jurisdiction"] = code
        practice = parse_practice(answers, "release")
        doc = build_document(practice, rules.load_jurisdiction(code), today=TODAY, version="t",
                             options=RenderOptions(document="release", language=language))
        text = _text(render_html(doc, Output(format="html", fields=True)))
        for item in doc.law.release_requirements:
            assert item.title in text and " ".join(item.text.split()) in text, (code, language, item.id)
    if code == "US-IL":
        assert [item.id for item in doc.law.release_requirements][:1] == ["il-release-end-date"]
        assert "calendar" in text or "calendario" in text


def test_a_state_that_needs_a_calendar_end_date_gets_one_on_the_form(valid_answers):
    """740 ILCS 110/5(b)(6): in Illinois the end is a calendar date, not an event; the form's own section says so
    (its data: form_changes calendar_end_date), and other states keep 'date or event'."""
    _, illinois = _release(copy.deepcopy(valid_answers), "US-IL")
    assert "must be a calendar date" in illinois and "when my court case ends" not in illinois
    _, ohio = _release(copy.deepcopy(valid_answers), "US-OH")
    assert "date or event" in ohio and "must be a calendar date" not in ohio
