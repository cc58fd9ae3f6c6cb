"""The Good Faith Estimate (issue 26): every element of 45 CFR 149.610(c)(1) and the notice of the right to one,
in every jurisdiction and language; each number and contact read from the federal data, and a sentence left out
when the data lacks its fact; the rows prefilled from the fee schedule; NPI and TIN validated; the fields; the
reading levels; the command line."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

import pytest
from consentgen.documents.document import build_document
from consentgen.errors import DataFileError
from consentgen.inputs.answers import parse_practice
from consentgen.law import load as rules
from consentgen.model.options import Output, RenderOptions
from consentgen.model.practice import PROFESSIONS
from consentgen.render.html import render_html

from .conftest import EXAMPLES, fill_and_draw
from .test_privacy_notice import elements

TODAY = dt.date(2026, 11, 22)
DOCUMENT = "good-faith-estimate"
FEES = [{"service": "First visit (assessment)", "code": "90791", "minutes": 60, "charge": 180},
        {"service": "Therapy session", "code": "90837", "minutes": 53, "charge": "$1,150.5"}]

# 45 CFR 149.610: each element, by the mark its section or item carries on the page.
ELEMENTS = {
    "notice": "(b)(1)(iii) the right to an estimate, and when it comes ((b)(1)(vi))",
    "client": "(c)(1)(i)-(ii) name, date of birth, the main service and its date; diagnosis codes ((iv))",
    "provider": "(c)(1)(v) the provider's name, NPI, TIN, state and office",
    "services": "(c)(1)(iii)-(iv) itemized services, codes and expected charges; (b)(1)(x) recurring scope",
    "separate": "(c)(1)(vi) care scheduled separately, with its disclaimer above the list",
    "not_included": "(c)(1)(viii) other recommended care is not in the estimate",
    "estimate_only": "(c)(1)(ix) only an estimate",
    "dispute": "(c)(1)(x) the right to dispute resolution and that it will not harm care",
    "help": "(c)(1)(x) where to learn how to start it",
    "not_contract": "(c)(1)(xi) not a contract",
}


def _estimate(answers, code="US-TX", *, language="en", profession=None, fees=True, fields=True, law=None):
    answers = copy.deepcopy(answers)
    answers["jurisdiction"] = code
    answers["practice"]["tin"] = "12-3456789"
    answers["clinician"]["npi"] = "1234567893"
    if fees:
        answers["policies"] = {"fee_schedule": FEES}
    if profession:
        answers["clinician"]["profession"] = profession
    practice = parse_practice(answers, "answers")
    doc = build_document(practice, law or rules.load_jurisdiction(code), today=TODAY, version="t",
                         options=RenderOptions(document=DOCUMENT, language=language))
    return doc, render_html(doc, Output(format="html", fields=fields))


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("code", list(rules.catalogue()))
def test_every_estimate_has_every_element_with_the_numbers_from_the_data(code, language, valid_answers):
    for profession in PROFESSIONS:
        doc, page = _estimate(valid_answers, code, language=language, profession=profession)
        found = elements(page)
        missing = [f"{mark} {ELEMENTS[mark]}" for mark in ELEMENTS if not found.get(mark, "").strip()]
        assert not missing, (code, language, profession, missing)
        g = doc.law.federal["good_faith_estimate"].facts
        d = doc.law.federal["dispute_resolution"].facts
        for value in (g["scheduled_within_days"], g["far_days_ahead"], g["request_within_days"]):
            assert value in found["notice"]
        assert f"${d['threshold_dollars']}" in found["dispute"] and d["window_days"] in found["dispute"]
        assert d["help_phone"] in found["help"] and d["help_url"] in found["help"]
        assert g["recurring_max_months"] in found["services"]
        assert "1234567893" in found["provider"] and "12-3456789" in found["provider"]
        assert f"State where you get care: {doc.law.name}" in found["provider"] or language == "es"
        assert "90837" in found["services"] and "$1150.50" in found["services"]


def test_a_fact_the_data_lacks_is_not_printed_and_the_sentence_promises_nothing(valid_answers):
    law = rules.load_jurisdiction("US-TX")
    assert law.parent is not None
    data = copy.deepcopy(law.parent.data)
    for name, dropped in (("good_faith_estimate", "request_within_days"), ("dispute_resolution", "threshold_dollars"),
                          ("dispute_resolution", "window_days"), ("good_faith_estimate", "recurring_max_months")):
        del data["rules"][name]["facts"][dropped]
    thin = dataclasses.replace(law, parent=dataclasses.replace(law.parent, data=data))
    _, page = _estimate(valid_answers, law=thin)
    found = elements(page)
    assert "You can also ask me for an estimate before you schedule." in found["notice"]
    assert "within 3 business days after you ask" not in found["notice"]
    assert "$400" not in found["dispute"] and "much higher than this estimate, you may be able" in found["dispute"]
    assert "120 days" not in found["dispute"]
    assert "12 months" not in found["services"]
    data["rules"]["dispute_resolution"]["facts"] = {}  # no contact: the required "where to learn how" stays
    none = dataclasses.replace(law, parent=dataclasses.replace(law.parent, data=data))
    _, page = _estimate(valid_answers, law=none)
    assert "Ask me how to start a dispute." in elements(page)["help"]


def test_review_2026_12_07_the_practice_is_told_what_the_form_cannot_do(valid_answers):
    from consentgen.checks.review import review_items

    doc, _ = _estimate(valid_answers, "US-OK")
    duties = doc.law.federal["good_faith_estimate"].facts["practice_duties"]
    assert any(duties in line for line in review_items(doc))  # from the federal data, not from Python


def test_without_identifiers_or_fees_the_estimate_has_blanks_and_the_clinician_is_told(valid_answers):
    from consentgen.checks.review import review_items

    answers = copy.deepcopy(valid_answers)
    answers["jurisdiction"] = "US-OH"
    practice = parse_practice(answers, "answers")
    doc = build_document(practice, rules.load_jurisdiction("US-OH"), today=TODAY, version="t",
                         options=RenderOptions(document=DOCUMENT))
    page = render_html(doc, Output(format="html", fields=True))
    for name in ("provider_npi", "provider_tin", "row1_service", "row1_charge", "row4_total", "estimate_total"):
        assert f'name="{name}"' in page, name
    warned = " ".join(review_items(doc))
    assert "clinician.npi" in warned and "practice.tin" in warned and "policies.fee_schedule" in warned
    _, full = _estimate(valid_answers, "US-OH")
    assert 'name="provider_npi"' not in full and 'name="row1_number"' in full and 'name="row3_service"' in full


@pytest.mark.parametrize(("field", "value", "message"), [
    ("clinician.npi", "1234567890", "check digit"),
    ("clinician.npi", "123456789", "not an NPI"),
    ("practice.tin", "123-45-6789", "Social Security number"),
    ("practice.tin", "12-345", "not an EIN"),
    ("practice.tin", "123456789", "Social"),  # nine digits alone could be an SSN (review of the change, M6)
    ("policies.fee_schedule[0].charge", "1,2,3,4", "not an amount of dollars"),
    ("policies.fee_schedule[0].charge", "\uff11\uff15\uff10", "not an amount of dollars"),  # full-width digits
    ("policies.fee_schedule[0].charge", 150.005, "more than two decimals"),
    ("policies.fee_schedule[0].charge", "a lot", "not an amount of dollars"),
    ("policies.fee_schedule[0].code", "9083", "CPT or HCPCS"),
])
def test_bad_identifiers_and_fees_are_refused_at_the_boundary(valid_answers, field, value, message):
    answers = copy.deepcopy(valid_answers)
    answers["policies"] = {"fee_schedule": copy.deepcopy(FEES)}
    group, _, rest = field.partition(".")
    if group == "policies":
        answers["policies"]["fee_schedule"][0][rest.split(".")[-1]] = value
    else:
        answers[group][rest] = value
    with pytest.raises(DataFileError) as caught:
        parse_practice(answers, "answers.yaml")
    text = str(caught.value)
    assert f"answers.yaml: {field}: " in text, text  # the file, the field's path, then the message
    assert message in text


def test_identifiers_are_stored_as_written_the_usual_way_and_the_answers_round_trip(valid_answers):
    answers = copy.deepcopy(valid_answers)
    answers["clinician"]["npi"] = "123-456-7893"
    answers["practice"]["tin"] = "12-3456789"
    answers["policies"] = {"fee_schedule": FEES, "self_pay": False}
    practice = parse_practice(answers, "answers")
    assert practice.clinician.npi == "1234567893" and practice.practice.tin == "12-3456789"
    assert practice.policies.fee_schedule[1].charge == "1150.50" and practice.policies.self_pay is False
    again = parse_practice(practice.to_dict(), "again")
    assert again == practice


def test_the_estimate_reads_at_grade_8_and_fernandez_huerta_70(valid_answers):
    from consentgen.checks.readability import fernandez_huerta, grade, section_texts

    for language, ok in (("en", lambda body: grade(body) <= 8.0), ("es", lambda body: fernandez_huerta(body) >= 70)):
        _, page = _estimate(valid_answers, "US-CA", language=language, fields=False)
        for section, body in section_texts(page).items():
            if section not in ("references", "signatures", "client", "provider", "services"):
                assert ok(body), (language, section, grade(body), fernandez_huerta(body))


def test_estimate_matches_golden(valid_answers, golden):
    from .test_render_html import without_style

    for language in ("en", "es"):
        _, page = _estimate(valid_answers, "US-TX", language=language)
        golden(f"good-faith-estimate-US-TX{'' if language == 'en' else '-es'}.html", without_style(page))


@pytest.mark.pdf
def test_estimate_renders_from_the_command_line_and_its_rows_fill(tmp_path):
    import pypdf

    from .test_cli import run

    out = run("render", EXAMPLES[0], "--document", DOCUMENT, "-o", str(tmp_path) + "/")
    assert out.returncode == 0, out.stderr
    path = tmp_path / "good-faith-estimate.pdf"
    checked = run("outdated", str(path))
    assert checked.returncode == 0 and checked.stdout.startswith("current"), checked.stdout
    reader = pypdf.PdfReader(str(path))
    fields = reader.get_fields()
    assert {"client_full_name", "client_name", "client_birth_date", "row1_number", "row1_total", "estimate_total",
            "clinician_signature", "client_typed"} <= set(fields)
    assert all(f.get("/TU") for f in fields.values())
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged
    fill_and_draw(path, "estimate_total", "$2,130.00", tmp_path)


def test_the_days_read_in_the_singular_or_plural_the_number_asks_for(valid_answers):
    """A number from the data words its own noun: '1 business day', '2 business days' (it was fixed in the
    singular, so a changed rule would have read '2 business day')."""
    law = rules.load_jurisdiction("US-TX")
    assert law.parent is not None
    for days, words, spanish in (("1", "within 1 business day after you schedule", "1 día hábil"),
                                 ("2", "within 2 business days after you schedule", "2 días hábiles")):
        data = copy.deepcopy(law.parent.data)
        data["rules"]["good_faith_estimate"]["facts"]["scheduled_within_days"] = days
        changed = dataclasses.replace(law, parent=dataclasses.replace(law.parent, data=data))
        _, page = _estimate(valid_answers, law=changed)
        assert words in elements(page)["notice"]
        _, page = _estimate(valid_answers, law=changed, language="es")
        assert spanish in elements(page)["notice"]
