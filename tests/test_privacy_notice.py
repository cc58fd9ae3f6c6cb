"""The Notice of Privacy Practices (issue 26): every element of 45 CFR 164.520(b)(1) and the acknowledgment of
(c)(2)(ii), in every jurisdiction and language; its one state-dependent sentence read from the data; the
acknowledgment's fields; reading levels; the command line."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from html.parser import HTMLParser

import pytest
from consentgen.documents.document import build_document
from consentgen.inputs.answers import parse_practice
from consentgen.law import load as rules
from consentgen.model.options import Output, RenderOptions
from consentgen.model.practice import PROFESSIONS
from consentgen.render.html import render_html

from .conftest import EXAMPLES, fill_and_draw

TODAY = dt.date(2026, 11, 22)
DOCUMENT = "privacy-notice"

# 45 CFR 164.520: each required element, by the mark its section or item carries on the page.
ELEMENTS = {
    "b1i": "(b)(1)(i) the header statement",
    "b1iiA": "(b)(1)(ii)(A) treatment, payment and health care operations",
    "b1iiA-treatment": "(b)(1)(ii)(A) an example for treatment",
    "b1iiA-payment": "(b)(1)(ii)(A) an example for payment",
    "b1iiA-operations": "(b)(1)(ii)(A) an example for health care operations",
    "b1iiB": "(b)(1)(ii)(B) the other purposes allowed without authorization",
    "b1iiC": "(b)(1)(ii)(C) a more stringent law is followed",
    "b1iiE": "(b)(1)(ii)(E) uses that need an authorization; revoking one",
    "b1iv": "(b)(1)(iv) the individual's rights",
    "b1ivA": "(b)(1)(iv)(A) restrictions, and the self-pay restriction",
    "b1ivB": "(b)(1)(iv)(B) confidential communications",
    "b1ivC": "(b)(1)(iv)(C) inspect and copy",
    "b1ivD": "(b)(1)(iv)(D) amend",
    "b1ivE": "(b)(1)(iv)(E) an accounting of disclosures",
    "b1ivF": "(b)(1)(iv)(F) a paper copy of the notice",
    "b1v": "(b)(1)(v) the provider's duties",
    "b1vA": "(b)(1)(v)(A) privacy, notice and breach notification",
    "b1vB": "(b)(1)(v)(B) follow the notice in effect",
    "b1vC": "(b)(1)(v)(C) the right to change it, and how a new notice is given",
    "b1vi": "(b)(1)(vi) complaints to the provider and the Secretary, without retaliation",
    "b1vii": "(b)(1)(vii) a contact and telephone number",
    "b1viii": "(b)(1)(viii) the effective date",
    "c2ii": "(c)(2)(ii) the written acknowledgment of receipt",
}
# The words each element needs, in each language (beyond being present and not empty).
WORDS = {
    "en": {"b1i": "THIS NOTICE DESCRIBES HOW MEDICAL INFORMATION ABOUT YOU MAY BE USED AND DISCLOSED AND HOW YOU "
                  "CAN GET ACCESS TO THIS INFORMATION. PLEASE REVIEW IT CAREFULLY.",
           "b1ivA": "your health plan", "b1vi": "Office for Civil Rights", "b1viii": "takes effect on"},
    "es": {"b1i": "ESTE AVISO DESCRIBE CÓMO SE PUEDE USAR Y DIVULGAR SU INFORMACIÓN MÉDICA Y CÓMO PUEDE USTED "
                  "OBTENER ACCESO A ESTA INFORMACIÓN. LÉALO CON ATENCIÓN.",
           "b1ivA": "su plan de salud", "b1vi": "Oficina de Derechos Civiles", "b1viii": "rige desde el"},
}


class _Elements(HTMLParser):
    """The text under each ``data-element`` mark."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str | None]] = []
        self.texts: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "input", "img", "meta", "link"):
            return
        self.open.append((tag, dict(attrs).get("data-element")))

    def handle_endtag(self, tag):
        while self.open:
            name, _ = self.open.pop()
            if name == tag:
                break

    def handle_data(self, data):
        for _, element in self.open:
            if element:
                self.texts[element] = self.texts.get(element, "") + data


def elements(page: str) -> dict[str, str]:
    parser = _Elements()
    parser.feed(page)
    return {key: " ".join(htmllib.unescape(text).split()) for key, text in parser.texts.items()}


def _notice(answers, code, *, language="en", profession=None, part2=False, fields=False):
    answers = {**answers, "jurisdiction": code, "policies": {"part2_records": part2}}
    if profession:
        answers["clinician"] = {**answers["clinician"], "profession": profession}
    practice = parse_practice(answers, "notice")
    doc = build_document(practice, rules.load_jurisdiction(code), today=TODAY, version="t",
                         options=RenderOptions(document=DOCUMENT, language=language))
    return doc, render_html(doc, Output(format="html", fields=fields))


def _deadline_words(doc, language):
    """What the notice must say about the time to answer a records request, from the rule's value."""
    deadline, federal = doc.law.access_deadline, doc.law.federal["records_access"].facts["days"]
    if language == "en":
        if deadline.kind == "state":
            unit = " working days" if deadline.unit == "working_days" else " days"
            return f"I will respond within {deadline.days}{unit}."
        if deadline.kind == "federal":
            return f"I will respond within {federal} days."
        return f"I will respond within {federal} days, or sooner if {doc.law.name} law requires it."
    if deadline.kind == "state":
        return f"{deadline.days}"
    if deadline.kind == "federal":
        return f"{federal}"
    return f"{federal} días, o antes si la ley de"


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("code", list(rules.catalogue()))
def test_every_notice_has_every_element_and_words_the_state_rule_from_its_value(code, language, valid_answers):
    for profession in PROFESSIONS:
        doc, page = _notice(valid_answers, code, language=language, profession=profession)
        found = elements(page)
        missing = [f"{mark} {ELEMENTS[mark]}" for mark in ELEMENTS if not found.get(mark, "").strip()]
        assert not missing, (code, language, profession, missing)
        for mark, words in WORDS[language].items():
            assert words in found[mark], (code, language, mark)
        assert doc.law.name in found["b1iiC"]  # the stricter-law statement names the client's state
        assert _deadline_words(doc, language) in found["b1ivC"], (code, language, profession)
        assert "b1iiiD" not in found  # the Part 2 statement only where the practice holds such records
        assert "(b)(1)(ii)(F)" not in page and "reproductive" not in page.lower()  # vacated; see US.yaml


def test_part2_records_add_the_part2_statement_and_its_citation(valid_answers):
    doc, page = _notice(valid_answers, "US-NY", part2=True)
    found = elements(page)
    assert "court orders it" in found["b1iiiD"] and "subpoena" in found["b1iiiD"]
    assert "45 CFR § 164.520(b)(1)(iii)(D)" in [c for ref in doc.references for c in ref.citations]


def test_the_contact_is_the_privacy_contact_when_given_else_the_clinician(valid_answers):
    _, page = _notice(valid_answers, "US-OR")
    assert valid_answers["clinician"]["name"] in elements(page)["b1vii"]
    valid_answers["practice"] = {**valid_answers["practice"], "privacy_contact": "Privacy Officer, Pat Kim"}
    _, page = _notice(valid_answers, "US-OR")
    assert "Privacy Officer, Pat Kim" in elements(page)["b1vii"]


def test_a_needs_review_federal_rule_reaches_the_clinician_not_the_client_footer(valid_answers):
    from consentgen.checks.review import review_items

    doc, page = _notice(valid_answers, "US-WA")
    assert any(line.startswith("federal rule 'privacy notice': not yet confirmed") for line in review_items(doc))
    assert "not yet verified" in page.split('id="references"')[1]
    assert "not yet verified" not in page.split('id="references"')[0]


def test_the_notice_reads_at_grade_8_and_fernandez_huerta_70(valid_answers):
    from consentgen.checks.readability import fernandez_huerta, grade, section_texts

    for language, ok in (("en", lambda body: grade(body) <= 8.0), ("es", lambda body: fernandez_huerta(body) >= 70)):
        _, page = _notice(valid_answers, "US-CA", language=language, part2=True)
        for section, body in section_texts(page).items():
            if section not in ("references", "acknowledgment"):
                assert ok(body), (language, section, grade(body), fernandez_huerta(body))


def test_notice_matches_golden(valid_answers, golden):
    from .test_render_html import without_style

    for language in ("en", "es"):
        _, page = _notice(valid_answers, "US-TX", language=language, fields=True)
        golden(f"privacy-notice-US-TX{'' if language == 'en' else '-es'}.html", without_style(page))


@pytest.mark.pdf
def test_notice_renders_from_the_command_line_and_its_acknowledgment_fills(tmp_path):
    import pypdf

    from .test_cli import run

    out = run("render", EXAMPLES[0], "--document", DOCUMENT, "-o", str(tmp_path) + "/")
    assert out.returncode == 0, out.stderr
    assert "federal rule 'privacy notice'" in out.stderr
    path = tmp_path / "privacy-notice.pdf"
    # outdated tracks the notice's own rules: a state rule added to a list only the consent form cites (California's
    # disclosures) is not a change to a notice or a release made today (it was reported as one)
    assert run("render", EXAMPLES[0], "--document", "release", "-o", str(tmp_path) + "/").returncode == 0
    for made in (path, tmp_path / "release.pdf"):
        checked = run("outdated", str(made))
        assert checked.returncode == 0 and checked.stdout.startswith("current"), (made, checked.stdout)
    reader = pypdf.PdfReader(str(path))
    fields = reader.get_fields()
    assert {"client_name", "client_signature", "client_date", "client_typed", "client_agree",
            "representative_authority", "not_signed_reason", "clinician_signature"} <= set(fields)
    assert all(f.get("/TU") for f in fields.values())
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged
    fill_and_draw(path, "not_signed_reason", "Offered in person; declined", tmp_path)


def test_the_notice_is_a_document_type_the_cli_offers(tmp_path):
    from consentgen.files.assets import document_types

    assert DOCUMENT in document_types()
    assert re.fullmatch(r"[a-z][a-z0-9_-]*", DOCUMENT)


def test_review_2026_12_07_the_notice_reflects_stricter_state_law_and_agrees_with_the_consent_form(valid_answers):
    """Review of the notice (serious 1-3): Texas allows disclosure only to the people its statute lists, so the
    notice may not promise HIPAA's family sharing or a broad serious-threat disclosure; it says 'imminent', and it
    treats a subpoena as the consent form does."""
    doc, page = _notice(valid_answers, "US-TX")
    text = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", page.split('id="without_permission"')[1]
                                           .split('id="needs_permission"')[0])).split())
    assert "do not object" not in text and "only if you agree" in text
    assert "serious and imminent threat" in text
    assert "whether I must answer it without your OK also depends on Texas law" in text  # session 11, VA-1
    tell = doc.law.self_harm.may_tell
    assert "family" not in tell  # Texas's data: medical or law enforcement personnel only
    assert "contact a family member" not in text and "others who can help keep you safe" not in text
    consent = render_html(build_document(parse_practice({**valid_answers, "jurisdiction": "US-TX"}, "c"),
                                         rules.load_jurisdiction("US-TX"), today=TODAY, version="t"))
    for rule in ("self_harm", "duty_to_protect"):  # the same sentences as the consent form, from the same data
        notice_part = re.search(rf'<div data-rule="{rule}">(.*?)</div>', page, re.S).group(1)
        for sentence in re.findall(r"<p>(.*?)</p>", notice_part, re.S):
            assert sentence in consent, (rule, sentence)


def test_review_2026_12_07_the_effective_date_is_never_before_the_notice_is_made(valid_answers):
    answers = {**valid_answers, "jurisdiction": "US-OH", "form": {"date": "2026-01-05"}}
    doc = build_document(parse_practice(answers, "n"), rules.load_jurisdiction("US-OH"), today=TODAY, version="t",
                         options=RenderOptions(document=DOCUMENT))
    assert doc.date == TODAY  # the answers' earlier form date is not the notice's effective date
    later = {**answers, "form": {"date": "2027-01-04"}}
    doc = build_document(parse_practice(later, "n"), rules.load_jurisdiction("US-OH"), today=TODAY, version="t",
                         options=RenderOptions(document=DOCUMENT))
    assert doc.date == dt.date(2027, 1, 4)
    consent = build_document(parse_practice(answers, "c"), rules.load_jurisdiction("US-OH"), today=TODAY, version="t")
    assert consent.date == dt.date(2026, 1, 5)  # a consent form keeps the date its answers give


def test_review_2026_12_07_a_part2_practice_is_told_what_the_notice_does_not_cover(valid_answers):
    from consentgen.checks.review import review_items

    doc, _ = _notice(valid_answers, "US-NY", part2=True)
    assert any("'part2 notice'" in line for line in review_items(doc))
    assert "42 CFR 2.22" in rules.load_jurisdiction("US").data["rules"]["part2_notice"]["review_reason"]
