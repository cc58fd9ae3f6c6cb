"""The Spanish edition: the law-to-words matrix in Spanish, no English left, complete and current
translations, reading level, dates, fonts, file names and the manifest's language column."""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import html as htmllib
import html.parser as htmlparser
import re
from pathlib import Path

import pytest
import yaml
from consentgen.checks.readability import KEY_POINT_TARGETS, TARGETS, form_grades
from consentgen.documents.document import build_document
from consentgen.errors import DataFileError
from consentgen.inputs.answers import parse_practice, read_practice
from consentgen.law import load as rules
from consentgen.law.translations import Translator, client_strings, coverage, source_hash
from consentgen.model.options import RenderOptions, parse_languages
from consentgen.model.practice import PROFESSIONS, Services
from consentgen.render import i18n
from consentgen.render.html import render_html

from tests.law_phrases import ages_named, check_form, without_state_notes

from .conftest import EXAMPLES, ROOT, VALID
from .test_cli import run

EDITIONS = {"individual": "individual", "couple_family": "couples_family", "group": "group", "minor": "minors"}
TODAY = dt.date(2026, 11, 22)
ES = RenderOptions(format="html", fields=False, language="es")


def _text(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html.split("<body>")[1])).split())


def _form(answers, code, profession, edition, language="es", allow_english=False):
    answers["jurisdiction"] = code
    answers["clinician"]["profession"] = profession
    answers["services"] = {service: True for service in EDITIONS.values()}
    practice = parse_practice(answers, "matrix")
    form = build_document(practice, rules.load_jurisdiction(code), today=TODAY, version="t",
                          options=RenderOptions(client_type=edition, language=language,
                                                allow_english_texts=allow_english))
    return form, render_html(form, ES.but(language=language, fields=True))


# Words that are English and not Spanish: a Spanish form's own text must hold none of them (issue 24).
ENGLISH_ONLY = {"the", "and", "your", "you", "with", "for", "this", "that", "will", "must", "may", "line", "form",
                "records", "law", "of", "to", "is", "are", "be", "if", "or", "not", "can", "what", "who", "when",
                "please", "session", "sessions", "therapy", "counseling", "parent", "guardian", "report", "state"}


class _Visible(htmlparser.HTMLParser):
    """The text a Spanish reader gets, less what stays English by design: names marked lang="en" or
    proper-name, style and script, and the citations and source titles of "Laws behind this form"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its text exempt?
        self.in_refs = False
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("id") == "references":
            self.in_refs = True
        exempt = (tag in ("style", "script") or a.get("lang", "es").startswith("en")
                  or "proper-name" in (a.get("class") or "") or tag == "a" or (self.in_refs and tag in ("li", "ol")))
        if self.in_refs and tag == "strong":
            exempt = False  # a topic's label is Spanish
        self.stack.append(exempt or (bool(self.stack) and self.stack[-1] and tag != "strong"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.in_refs:
            self.in_refs = False
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            data = re.sub(r"https?://\S+|www\.\S+|\b[0-9a-f]{8,}\b", " ", data)  # addresses, the form's ID
            self.words += re.findall(r"[^\W\d_]+", data)  # whole words, accents included ("prohíbe" is not "be")


def english_left(page: str) -> list[str]:
    """English words in what a Spanish form's reader gets (see ``_Visible``)."""
    seen = _Visible()
    seen.feed(page.split("<body", 1)[-1])
    return [w for w in seen.words if w.lower() in ENGLISH_ONLY]


def test_an_english_name_in_a_state_string_is_marked_for_a_screen_reader():
    from consentgen.render.i18n import mark_names

    marked = str(mark_names("al Departamento de Niños y Familias ([en: Department of Children and Families]) <b>"))
    assert marked == ('al Departamento de Niños y Familias (<span lang="en" class="proper-name">Department of '
                      'Children and Families</span>) &lt;b&gt;')
    assert "Department" not in " ".join(english_left(f"<body><p>{marked}</p></body>"))


def test_the_english_left_check_catches_english_and_spares_what_stays_english():
    assert english_left('<body><p>Línea 988: call the crisis line</p></body>') == ["the", "line"]
    assert not english_left('<body><p>Puede contactar a la <span class="proper-name">Board of the State</span>'
                            '<span lang="en">Fees are due</span></p><section id="references"><ul><li>'
                            '<strong>Amenazas:</strong> Tex. Health &amp; Safety Code of the State</li></ul>'
                            '</section></body>')
    assert english_left('<body><section id="references"><ul><li><strong>988 crisis line:</strong> 47 CFR'
                        '</li></ul></section></body>') == ["line"]


def _section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


MUST_REPORT = "debo reportarlo. El reporte va a "
TELL_PARENT = "Le diré a su padre, madre o tutor legal cosas"
CONTRADICTIONS = [  # a Spanish form must never say both
    ("puede empezar sin que su padre, madre o tutor legal lo sepa", TELL_PARENT),
    ("no se lo diré a su padre, madre o tutor legal sin su aprobación", TELL_PARENT),
    ("no me exige reportarlo", "Esto es así sin importar cómo me entere"),
]


@pytest.mark.parametrize("code", list(rules.catalogue()))
def test_every_spanish_form_says_what_its_law_says(code, valid_answers):
    """Mandatory is 'debo' / 'la ley me exige', permissive 'puedo' / 'la ley me permite', as the law is."""
    for profession in PROFESSIONS:
        for edition in EDITIONS:
            form, page = _form(valid_answers, code, profession, edition)
            text, law, where = _text(page), form.law, f"{code} {profession} {edition}"
            check_form(_text(without_state_notes(page)), law, edition, "es", where)
            left = english_left(page)
            assert not left, (where, left[:3])
            threats = _section(text, "Si usted amenaza con hacerle daño a otra persona", "Jueces y demandas")
            if law.duty.kind in ("mandatory", "permissive") and law.duty.discharge:
                joined = {"all": ("La ley me exige tomar todas estas medidas que correspondan a la situación"
                                  if law.duty.kind == "mandatory" else "Las medidas que describe la ley son:"),
                          "options": "La ley da estas formas de hacerlo:",
                          "any_one": ("Debo" if law.duty.kind == "mandatory" and law.duty.framing == "duty"
                                      else "Puedo")
                          + " hacer una o más de estas cosas:",
                          "unknown": "Las medidas pueden incluir:"}[law.duty.discharge_how]
                if law.duty.framing == "liability_limit" and law.duty.discharge_how in ("all", "any_one"):
                    joined = "Las medidas que describe la ley son:"
                assert joined in threats, where
                if law.duty.imminent:
                    assert any(words in threats for words in ("causar pronto un daño físico grave", "peligro inmediato",
                                                              "cause pronto un daño físico grave")), where
            short = _section(text, "En resumen", "Sobre mí")
            assert ("la ley me exige actuar para proteger a esa persona" in short) == (
                law.duty.kind == "mandatory" and law.duty.framing == "duty"), where
            elder_duty = any(words in short for words in (
                "Debo reportarlo si sospecho que una persona", "Debo reportarlo si tengo motivos para creer que una",
                "Debo reportarlo si me entero de que una", "está a mi cuidado, debo reportarlo si",
                "en mi trabajo aconsejo o trato a"))
            assert elder_duty == (law.elder.kind == "mandatory"), where
            assert ("Debo reportarlo si tengo motivos para creer que un niño" if law.child.threshold == "belief" else
                    "Debo reportarlo si sospecho que un niño ha sufrido, sufre o es probable que sufra abuso o descuido"
                    if law.child.includes_likely else
                    "Debo reportarlo si sospecho que un niño ha sufrido o sufre abuso o descuido") in short, where
            after_child = text.split("Si un niño puede estar sufriendo abuso o negligencia", 1)[1]
            child, elder = after_child.split("puede estar sufriendo abuso", 1)
            elder = elder.split("Si usted corre el riesgo de hacerse daño grave", 1)[0]
            assert MUST_REPORT in child, where
            assert ("Esto es así sin importar cómo me entere" in child) == (
                law.child.capacity == "any" and not law.child.privileged_excused), where
            assert ("no me exige reportarlo" in child) == law.child.privileged_excused, where
            if law.elder.kind == "mandatory":
                assert MUST_REPORT in elder and "la ley me permite reportarlo" not in elder, where
            elif law.elder.kind == "permissive":
                assert "la ley me permite reportarlo" in elder, where
            elif law.elder.kind == "none":
                assert "no me exige reportar el abuso" in elder and MUST_REPORT not in elder, where
            if edition == "minor":
                age = law.minors.age_of_majority
                assert f"Si usted es menor de {age} años" in text, where
                signs = law.minors.parent_signs == "required"
                assert (f"(de un cliente menor de {age} años)" in text) == signs, where
                ages = ages_named(law)  # a law's own age
                assert not re.search(rf"(?<!niño )menor de (?!(?:{ages})\b)\d+ años", text), where

            assert ("Reglas verificadas" in text) == form.all_verified, where
            for one, other in CONTRADICTIONS:
                assert not (one in text and other in text), (where, one, other)


# Words that mark English prose; none may appear in a Spanish form's client-facing text
# (proper names of boards and agencies, citations, sources and web addresses are left out).
ENGLISH_WORDS = re.compile(r"\b(the|you|your|must|will|with|this|that|please|when|would|should|which|our)\b",
                           re.IGNORECASE)


def _client_text(page: str) -> str:
    body = page.split("<body>")[1]
    body = re.sub(r'<section id="references".*?</section>', " ", body, flags=re.S)
    body = re.sub(r'<span (?:lang="en" )?class="proper-name">.*?</span>', " ", body, flags=re.S)
    body = re.sub(r"<a [^>]*>.*?</a>", " ", body, flags=re.S)
    body = re.sub(r'<footer class="screen-only">.*?</footer>', " ", body, flags=re.S)
    return _text("<body>" + body)


def _english_messages() -> list[str]:
    from babel.messages.pofile import read_po

    with i18n.catalog_path("es").open("rb") as fh:
        catalog = read_po(fh)
    found = []
    for message in catalog:
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for msgid in ids:
            plain = re.sub(r"<[^>]+>|%\([a-z_]+\)s", "|", msgid)
            for piece in plain.split("|"):  # the text between placeholders, as it would print
                if len(piece.split()) >= 3 and piece.strip() not in " ".join(strings):
                    found.append(" ".join(piece.split()))
    return found


@pytest.mark.parametrize("code", list(rules.catalogue()))
def test_no_english_is_left_in_a_spanish_form(code, valid_answers):
    messages = _english_messages()
    assert len(messages) > 200
    for edition in EDITIONS:
        for profession in ("psychologist", "counselor", "social_worker"):
            _form_, page = _form(valid_answers, code, profession, edition)
            text = _client_text(page)
            where = f"{code} {profession} {edition}"
            left = [m for m in messages if m in text]
            assert not left, (where, left[:3])
            attributes = " ".join(re.findall(r'(?:title|aria-label|alt)="([^"]*)"', page.split("<body>")[1]))
            assert not ENGLISH_WORDS.findall(attributes), (where, ENGLISH_WORDS.findall(attributes)[:5])
            words = ENGLISH_WORDS.findall(text)
            assert not words, (where, words[:5], text[max(0, text.find(words[0]) - 80):][:200] if words else "")
            assert 'lang="es"' in page and "Página" in page, where


def test_every_string_a_form_prints_is_translated_and_current():
    """The build fails here when a Spanish string is missing or its English changed since."""
    assert i18n.missing_messages("es") == []
    for layer in [rules.load_jurisdiction("US"), *rules.list_jurisdictions()]:
        cov = coverage(layer.data, "es")
        assert cov.complete, (layer.code, cov.missing[:3], cov.stale[:3])
        assert not cov.unused, (layer.code, cov.unused[:3])


def test_a_changed_english_string_is_stale_and_refuses_to_render(valid_answers):
    data = rules.load_jurisdiction("US-NJ").data
    changed = {**data, "child_abuse_reporting": {**data["child_abuse_reporting"],
                                                 "client_note": "In New Jersey, I must report within an hour."}}
    cov = coverage(changed, "es")
    assert cov.stale == ("child_abuse_reporting.client_note",) and not cov.missing
    translate = Translator("US-NJ", "es")
    with pytest.raises(DataFileError) as caught:
        translate("child_abuse_reporting.client_note", "In New Jersey, I must report within an hour.")
    assert "US-NJ.yaml: child_abuse_reporting.client_note: the English changed" in caught.value.message
    assert source_hash("In New Jersey, I must report within an hour.") in caught.value.message
    with pytest.raises(DataFileError, match="no translation of"):
        translate("other_disclosures.new-rule.client_text", "A new rule.")
    assert translate("name", "New Jersey") == "Nueva Jersey"


MUST_EN = re.compile(r"\b(must|required?|requires|have to|has to|needs? to|duty|obliged|mandatory)\b", re.I)
MUST_ES = re.compile(r"\b(deb[oeaá]\w*|exig\w*|obliga\w*|tiene que|tengo que|hay que|hace falta|deber)\b", re.I)
MAY_EN = re.compile(r"\b(may|can|cannot|could|allow\w*|permit\w*|might|lets?)\b", re.I)
MAY_ES = re.compile(r"\b(pued\w*|permit\w*|posible|podr\w*|pod\w*)\b", re.I)
# Read and kept: the English word is not a permission here (the hash of the English keeps each one honest).
REVIEWED = {
    ("US-NJ", "duty_to_protect.client_note", "may", "4aed91ba5e6c"): "'so they can check' states a purpose",
}


def test_mandatory_and_permissive_words_match_in_the_data():
    """A note that says 'must' says 'debo'/'debe'/'exige' in Spanish, and the reverse; likewise 'may'."""
    mismatched = []
    for layer in [rules.load_jurisdiction("US"), *rules.list_jurisdictions()]:
        translate = Translator(layer.code, "es")
        for key, english in client_strings(layer.data).items():
            spanish = translate(key, english)
            for en, es, kind in ((MUST_EN, MUST_ES, "must"), (MAY_EN, MAY_ES, "may")):
                if (layer.code, key, kind, source_hash(english)) in REVIEWED:
                    continue
                if bool(en.search(english)) != bool(es.search(spanish)):
                    mismatched.append((layer.code, key, kind, english[:90], spanish[:90]))
    assert not mismatched, mismatched[:5]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_spanish_reading_level_meets_its_targets(example, today):
    from consentgen.documents.document import offered

    practice = read_practice(example)
    for edition in offered(practice):
        form = build_document(practice, rules.load_jurisdiction(practice.jurisdiction), today=today,
                              version="t", options=RenderOptions(client_type=edition, language="es"))
        scores = form_grades(form)
        for section, score in scores.items():
            target = KEY_POINT_TARGETS["es"] if section == "key-points" else TARGETS["es"]
            assert score >= target, (example.stem, edition, section, score)


@pytest.mark.parametrize("code", list(rules.catalogue()))
def test_every_jurisdiction_reads_fairly_easy_in_spanish(code, valid_answers, today):
    valid_answers["jurisdiction"] = code
    practice = parse_practice(valid_answers, "t")
    practice = dataclasses.replace(practice, services=Services(**{k: True for k in EDITIONS.values()},
                                                               telehealth=True, insurance=True))
    for edition in EDITIONS:
        form = build_document(practice, rules.load_jurisdiction(code), today=today, version="t",
                              options=RenderOptions(client_type=edition, language="es"))
        for section, score in form_grades(form).items():
            target = KEY_POINT_TARGETS["es"] if section == "key-points" else TARGETS["es"]
            assert score >= target, (code, edition, section, score)


def test_dates_plural_and_profession_read_as_spanish(valid_answers, today):
    valid_answers["clinician"]["experience_years"] = 1
    form, page = _form(valid_answers, "US-TX", "psychologist", "individual")
    text = _text(page)
    assert "Fecha del formulario: 22 de noviembre de 2026" in text
    assert "Tengo 1 año de experiencia como terapeuta." in text
    assert "Soy psicólogo(a) en Texas." in text  # the licensed title (interpreter's review A4)
    valid_answers["clinician"]["experience_years"] = 12
    assert "Tengo 12 años de experiencia" in _text(_form(valid_answers, "US-TX", "psychologist", "individual")[1])
    assert i18n.join_words(["la policía", "los servicios de protección infantil"], "or", "es") == \
        "la policía o los servicios de protección infantil"
    assert i18n.join_words(["a", "b", "hijos"], "and", "es") == "a, b e hijos"
    assert i18n.join_words(["a", "otros"], "or", "es") == "a u otros"


def test_language_option_values():
    assert parse_languages("en, es") == ("en", "es") and parse_languages("ES") == ("es",)
    assert parse_languages("") == ()
    with pytest.raises(ValueError, match="'fr' is not a form language"):
        parse_languages("en,fr")


@pytest.mark.pdf
def test_spanish_pdf_language_glyphs_and_fields(tmp_path):
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    out = tmp_path / "forms"
    result = run("render", "examples/ny-associate-counselor-minors.yaml", "-o", f"{out}/", "--language", "en,es")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["group-es.pdf", "group.pdf", "individual-es.pdf", "individual.pdf", "minor-es.pdf", "minor.pdf"]
    reader = PdfReader(out / "minor-es.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "es-US"
    assert PdfReader(out / "minor.pdf").trailer["/Root"]["/Lang"] == "en-US"
    fields = reader.get_fields() or {}
    assert fields["parent_guardian_signature"].get("/TU", "").startswith("Padre, madre o tutor legal")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Página 1 de" in text and "Debo reportarlo" in text
    fonts = Path("templates/common/fonts")
    for face in ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf"):
        cmap = TTFont(fonts / face).getBestCmap()
        assert all(ord(ch) in cmap for ch in "áéíóúüñÁÉÍÓÚÜÑ¿¡«»"), face
        _, page = _form(copy.deepcopy(VALID), "US-NJ", "psychologist", "minor")
        missing = {ch for ch in _text(page) if ord(ch) > 127 and ord(ch) not in cmap}
        assert not missing, (face, missing)


@pytest.mark.pdf
def test_batch_names_files_by_language_and_fills_the_language_column(tmp_path):
    clinic = Path("examples/clinic.yaml")
    roster = tmp_path / "roster.csv"
    roster.write_text("name,credentials,profession,license,language\n"
                      "Ana Ruiz,LPC,counselor,LPC 1,\"en,es\"\nBo Li,PhD,psychologist,PSY 2,\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", str(clinic), str(roster), "-o", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader((out / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()))
    by_file = {r["file"]: r["language"] for r in rows}
    ana = {f: lang for f, lang in by_file.items() if f.startswith("ana-ruiz/")}
    assert ana and set(ana.values()) == {"en", "es"}
    assert all(f.endswith("-es.pdf") == (lang == "es") for f, lang in ana.items())
    assert {lang for f, lang in by_file.items() if f.startswith("bo-li/")} == {"en"}
    again = run("batch", str(clinic), str(roster), "-o", str(out), "--dry-run", "--language", "es")
    planned = [line for line in again.stdout.splitlines() if line.startswith(("write", "replace"))]
    assert again.returncode == 0 and planned, again.stdout
    assert all(line.endswith("-es.pdf") for line in planned), planned
    moved = [line for line in again.stdout.splitlines() if line.startswith("move")]
    assert moved and all("(this run no longer makes it)" in line for line in moved)  # the English forms


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_english_is_left_in_the_spanish_examples(example, today):
    from consentgen.documents.document import offered

    messages = _english_messages()
    practice = read_practice(example)
    for document, editions in (("consent", offered(practice)), ("release", [None])):
        for edition in editions:
            options = RenderOptions(format="html", fields=True, language="es", document=document, client_type=edition)
            form = build_document(practice, rules.load_jurisdiction(practice.jurisdiction), today=today,
                                  version="t", options=options)
            text = _client_text(render_html(form, options))
            assert not [m for m in messages if m in text], (example.stem, document, edition)
            assert not ENGLISH_WORDS.findall(text), (example.stem, document, edition, ENGLISH_WORDS.findall(text))


def test_own_english_text_on_a_spanish_form_is_refused_unless_allowed_then_marked(valid_answers, today):
    """Issue 24: a Spanish form never prints the clinician's English texts silently. It is refused, naming the
    texts with a snippet to paste; with --allow-english-texts it prints them marked lang="en", and warns."""
    from consentgen.errors import UsageError
    from consentgen.frontends.report import review_lines

    valid_answers["policies"] = {"fees": "A session costs $150."}
    valid_answers["clinician"]["education"] = "PhD, State University"
    with pytest.raises(UsageError) as refused:
        _form(valid_answers, "US-TX", "psychologist", "individual")
    message = refused.value.message
    assert "(clinician.education, policies.fees)" in message and "--allow-english-texts" in message
    snippet = message.split("fill it in):\n", 1)[1].rsplit("\nor pass", 1)[0]
    pasted = yaml.safe_load(snippet)  # the hint is YAML a user can paste as it is
    assert set(pasted["translations"]["es"]["policies"]) == {"fees"}
    form, page = _form(valid_answers, "US-TX", "psychologist", "individual", allow_english=True)
    assert '<span lang="en">A session costs $150.</span>' in page
    assert '<span lang="en">PhD, State University</span>' in page
    warned = [line for line in review_lines([form]) if "prints your own text in English" in line]
    assert warned and "clinician.education, policies.fees" in warned[0]
    english, _ = _form(valid_answers, "US-TX", "psychologist", "individual", language="en")
    assert not [line for line in review_lines([english]) if "your own text" in line]
    # With the Spanish given under translations.es, the Spanish form prints it and nothing is warned.
    valid_answers["translations"] = {"es": {"policies": {"fees": "Una sesión cuesta $150."},
                                            "clinician": {"education": "Doctorado, State University"}}}
    form, page = _form(valid_answers, "US-TX", "psychologist", "individual")
    assert "Una sesión cuesta $150." in page and "A session costs" not in page
    assert '<span lang="en">' not in page.split('<section id="references"')[0]  # no own text marked English
    assert not [line for line in review_lines([form]) if "your own text" in line]
    english, page = _form(valid_answers, "US-TX", "psychologist", "individual", language="en")
    assert "A session costs $150." in page and "Una sesión" not in page
    practice = parse_practice(valid_answers, "t")
    assert practice.to_dict()["translations"]["es"]["policies"]["fees"] == "Una sesión cuesta $150."
    valid_answers["translations"] = {"fr": {"policies": {"fees": "x"}}}
    with pytest.raises(DataFileError, match="translations.fr"):
        parse_practice(valid_answers, "t")


def test_language_errors_at_the_boundary(tmp_path):
    bad = run("render", "examples/ca-solo-psychologist.yaml", "--for", "individual", "-o", str(tmp_path / "f.pdf"),
              "--language", "fr")
    assert bad.returncode == 2 and "--language: 'fr' is not a form language" in bad.stderr
    answers = tmp_path / "a.yaml"
    answers.write_text(Path("examples/ca-solo-psychologist.yaml").read_text(encoding="utf-8")
                       .replace("form:\n", "form:\n  language: french\n"), encoding="utf-8")
    checked = run("check", str(answers))
    assert checked.returncode == 1 and "form.language: must be en, es, or several as en,es" in checked.stderr
    blank = run("render", "examples/ca-solo-psychologist.yaml", "-o", str(tmp_path / "f.pdf"), "--language", " ")
    assert blank.returncode == 2 and "--language: give a language" in blank.stderr
    roster = tmp_path / "r.csv"
    roster.write_text("name,credentials,profession,license,language\nAna Ruiz,LPC,counselor,LPC 1,fr\n")
    rows = run("check", "examples/clinic.yaml", str(roster))
    assert rows.returncode == 1 and "row 2 (Ana Ruiz): language: must be en, es" in rows.stderr, rows.stderr
    assert not list(tmp_path.glob("*.pdf"))


def test_an_override_without_messages_is_noted(tmp_path):
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "crisis.html.j2").write_text("<section id='crisis'><p>Call us.</p></section>\n")
    result = run("check", "--templates", str(tmp_path))
    assert "sections/crisis.html.j2 print their own wording as written" in result.stdout


def test_the_catalog_holds_every_message_the_templates_mark():
    """A message added to or changed in a template without 'tools/i18n.py extract' and 'update' fails here."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent
    with (root / "templates" / "locale" / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    extracted = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            str(root / "templates"), method_map, options_map, keywords=DEFAULT_KEYWORDS):
        extracted.add((context, message if isinstance(message, str) else message[0]))
    with i18n.catalog_path("es").open("rb") as fh:
        catalog = read_po(fh)
    held = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
    assert len(extracted) > 250
    assert extracted - held == set(), sorted(extracted - held)[:3]
    assert held - extracted == set(), sorted(held - extracted)[:3]


def test_spanish_syllables_match_hand_divided_words():
    from consentgen.checks.readability import fernandez_huerta, syllables_es

    divided = " ".join(("te-lé-fo-no a-pli-ca cer-ca-no bue-no co-rre-o vi-de-o se-a a-yu-da a-bo-ga-do a-ho-ra pa-ís "
               "dí-a guion pin-güi-no ley muy re-yes le-er ca-os ciu-dad cons-truir hue-vo con-fi-den-cia-li-dad "
               "psi-co-te-ra-pia que gue-rra re-por-tar-lo o-ír a-ún y Mi-si-si-pi e-mer-gen-cia po-li-cí-a "
               "in-for-ma-ción con-ti-nú-a i-de-as",)).split()
    wrong = [(w, syllables_es(w.replace("-", ""))) for w in divided
             if syllables_es(w.replace("-", "")) != w.count("-") + 1]
    assert not wrong
    assert fernandez_huerta("") == 100.0
    assert 80 < fernandez_huerta("Lo que usted me dice es privado. Solo lo comparto con su permiso.") < 100


def test_batch_names_a_stale_translation_file_not_a_roster_column(monkeypatch, tmp_path):
    from consentgen import batch
    from consentgen.batch import plan as batch_plan
    from consentgen.law import translations as tr

    real = tr.read_translations

    def stale(code, language):
        entries = dict(real(code, language))
        entries["name"] = {"source": "abcdefabcdef", "text": "Otra"}
        return entries

    monkeypatch.setattr(tr, "read_translations", stale)
    plan = batch.plan_batch("examples/clinic.yaml", "examples/roster.csv", tmp_path, today=TODAY, languages=("es",))
    row, forms, problems = batch.render_job(plan.jobs[0])
    line = batch_plan.row_problem("roster.csv", row, problems[0])
    assert forms is None and "locale/es/US-CA.yaml: name: the English changed" in line, line
    assert ": row:" not in line and ": name: /" not in line


def test_s6_every_translation_keeps_its_placeholders():
    """A msgstr with a placeholder the English lacks (or one it drops) would fail every such form at render."""
    from babel.messages.pofile import read_po

    with i18n.catalog_path("es").open("rb") as fh:
        catalog = read_po(fh)
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalog.check()]
    assert not problems, problems[:3]
    import re as _re

    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = set(_re.findall(r"%\(([a-z_]+)\)s", ids[0]))
        for text in strings:
            assert set(_re.findall(r"%\(([a-z_]+)\)s", text)) <= wanted | {"num"}, (ids[0], text)


def test_s2_an_unsupported_translation_language_is_named(valid_answers):
    valid_answers["translations"] = {"fr": {"policies": {"fees": "x"}}}
    with pytest.raises(DataFileError, match="is not a language a form can be translated into"):
        parse_practice(valid_answers, "t")


# The glossary's banned phrases (issue 24, spanish-review.md): "abusa de" reads as sexual abuse to many readers
# (the states' own pages use nouns: maltrato, abuso, negligencia, explotación); "la ley ... me pide" softens a
# duty the law imposes (say "me exige"); "debería" never states a duty.
BANNED = {
    r"\babusa de\b": "use nouns: 'sufre maltrato, abuso, negligencia (descuido) o explotación'",
    r"\bley(?: de [^.,;]{1,40})? me pide\b": "a duty the law imposes is 'la ley me exige'",
    r"(?<!usted )\bdebería(?:n)? (?:reportar|avisar|informar|decir)": "my duty is 'debo', never 'debería'",
    r"\bancian[oa]s?\b": "an older adult is 'persona mayor'; a nursing home 'residencia para personas mayores'",
    r"\bponer una queja\b|\bpone una queja\b": "HHS's own verb is 'presentar una queja'",
    r"\blos pasos\b": "steps one takes are 'medidas' (tomar medidas, not pasos)",
    r"\bcierro mi consulta\b": "'consulta' also means an appointment; the practice is 'consultorio'",
}


def _spanish_texts():
    """Every Spanish text a client can read: the template catalog and each state's strings."""
    from babel.messages.pofile import read_po

    with (ROOT / "templates" / "locale" / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        for message in read_po(handle):
            if message.id and message.string:
                for text in (message.string if isinstance(message.string, tuple) else (message.string,)):
                    yield f"messages.po: {str(message.id)[:50]}", text
    for path in sorted((ROOT / "jurisdictions" / "locale" / "es").glob("*.yaml")):
        for key, value in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            text = value.get("text") if isinstance(value, dict) else value
            if isinstance(text, str):
                yield f"{path.name}: {key}", text


def test_no_spanish_text_uses_a_phrase_the_glossary_bans():
    import re

    found = [f"{where}: {why}: {text[:90]}" for where, text in _spanish_texts()
             for pattern, why in BANNED.items() if re.search(pattern, text, re.IGNORECASE)]
    assert not found, "\n".join(found)


def test_the_glossary_ban_catches_what_it_bans():
    import re

    for bad in ("Si sospecho que alguien abusa de una persona mayor", "la ley de Kentucky me pide que le dé",
                "yo debería reportarlo", "un hogar de ancianos", "puede poner una queja", "Los pasos pueden incluir"):
        assert any(re.search(p, bad, re.IGNORECASE) for p in BANNED), bad
    for good in ("Si usted me lo pide", "Si su padre o madre me pide información", "la ley me exige",
                 "Si ocurre, usted debería reportarlo a la junta"):  # advice to the client, not my duty
        assert not any(re.search(p, good, re.IGNORECASE) for p in BANNED), good


def test_a_spanish_form_says_how_to_reach_988_in_spanish(valid_answers):
    """Issue 24: how a Spanish speaker reaches a Spanish-speaking counselor at 988, from the line's own page
    (the federal layer's crisis_line facts); an English form does not print it."""
    from consentgen.law.load import load_jurisdiction

    facts = load_jurisdiction("US").data["rules"]["crisis_line"]["facts"]
    _, spanish = _form(valid_answers, "US-TX", "counselor", "individual")
    crisis = spanish.split('<section id="crisis">')[1].split("</section>")[0]
    assert f"llame al 988 y marque el {facts['spanish_call_key']}" in crisis
    assert f"envíe la palabra {facts['spanish_text_word']} por mensaje de texto al 988" in crisis
    _, english = _form(valid_answers, "US-TX", "counselor", "individual", language="en")
    assert facts["spanish_text_word"] not in english
