"""HTML rendering: golden files per example and per jurisdiction, escaping, overrides."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from consentgen.documents.document import build_form
from consentgen.errors import TemplateError
from consentgen.inputs.answers import parse_practice, read_practice
from consentgen.law import load as rules
from consentgen.law import vocabulary
from consentgen.model.options import RenderOptions
from consentgen.model.practice import Services
from consentgen.render.html import render_html

from .conftest import EXAMPLES

SECTION_HEADINGS = {
    "key_points": "The short version", "about_me": "About me", "privacy": "What stays private",
    "limits": "When I may or must share without your permission", "sharing": "Sharing that is part of my work",
    "insurance": "Insurance and billing", "couples_family": "Couples and family therapy", "group": "Group therapy",
    "minors": "If you are under ", "telehealth": "Telehealth (video or phone sessions)",
    "electronic": "Email, text and social media", "recording": "Recording and AI tools", "records": "Your records",
    "concerns": "If you have a concern", "crisis": "In a crisis", "signatures": "Your signature",
    "references": "Laws behind this form",
}


def without_style(html: str) -> str:
    """The page without its inline stylesheet: goldens track wording and law, not CSS."""
    start, end = html.index("<style>"), html.index("</style>") + len("</style>")
    return html[:start] + "<style>(see templates/style.css)</style>" + html[end:]


def form_for(practice, today, client_type=None, language="en"):
    from consentgen.documents.document import build_document, offered

    editions = offered(practice)
    client_type = client_type or (editions[0] if editions else None)
    if language == "en":
        return build_form(practice, rules.load_jurisdiction(practice.jurisdiction), today=today, version="test",
                          client_type=client_type)
    return build_document(practice, rules.load_jurisdiction(practice.jurisdiction), today=today, version="test",
                          options=RenderOptions(client_type=client_type, language=language))


def _lang(language):
    return "" if language == "en" else f"-{language}"


EDITIONS = [(ex, ed) for ex in EXAMPLES for ed in __import__("consentgen.documents.document", fromlist=["offered"])
            .offered(read_practice(ex))]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("example", "edition"), EDITIONS, ids=lambda v: getattr(v, "stem", v))
def test_example_matches_golden(example: Path, edition, language, today, golden):
    form = form_for(read_practice(example), today, edition, language)
    html = render_html(form)
    golden(f"example-{example.stem}-{edition}{_lang(language)}.html", without_style(html))
    if language == "en":
        for name in form.sections:
            assert SECTION_HEADINGS[name] in html


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("code", list(rules.catalogue()))
def test_every_jurisdiction_renders_all_services(code, language, valid_answers, today, golden):
    valid_answers["jurisdiction"] = code
    practice = parse_practice(valid_answers, "test")
    everything = Services(**{name: True for name in dataclasses.asdict(Services())})
    practice = dataclasses.replace(practice, services=everything)
    form = form_for(practice, today, "minor", language)  # the edition that cites the most law
    html = render_html(form)  # StrictUndefined
    state = rules.load_jurisdiction(form.law.code).data
    for name in vocabulary.RULE_NAMES:
        basis = form.law.bases()[name]
        if basis.status == "unknown":  # unknown for this profession: the form cites nothing for it
            assert not basis.citations
            continue
        for cite in basis.citations:  # this profession's own citations (cites_by_profession, retention entries)
            assert cite.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;") in html, (code, cite)
        own = state[name].get("cites_by_profession", {}).get(form.law.profession)
        assert not own or set(basis.citations) == set(own["citations"]), (code, name)
    state_part, shared_part = split_shared(without_style(html))
    golden(f"jurisdiction-{code}{_lang(language)}.html", state_part)  # what the state changes
    golden(f"jurisdiction-shared{_lang(language)}.html", shared_part)  # the same in every state


# The sections whose wording no state changes (checked: every jurisdiction's must equal the one shared golden);
# a wording change there touches one golden per language, not 51. ("privacy" left in 2026-12: it now says who
# decides about records after death, from the state's data.)
SHARED_SECTIONS = ("sharing", "insurance", "telehealth", "electronic", "recording", "crisis")
_SECTION_START = re.compile(r'<section id="([a-z-]+)"')


def split_shared(html: str) -> tuple[str, str]:
    """The page without its shared sections (the state's golden), and those sections alone."""
    starts = [(m.start(), m.group(1)) for m in _SECTION_START.finditer(html)]
    ends = [s for s, _ in starts[1:]] + [html.index("</main>") if "</main>" in html else len(html)]
    state, shared, last = [], [], 0
    for (start, name), end in zip(starts, ends, strict=True):
        if name in SHARED_SECTIONS:
            state.append(html[last:start] + f'<!-- section {name}: see jurisdiction-shared golden -->\n')
            shared.append(html[start:end])
            last = end
    state.append(html[last:])
    assert set(SHARED_SECTIONS) <= {name for _, name in starts}, "a shared section is missing from the page"
    return "".join(state), "".join(shared)


def test_confidentiality_after_therapy_and_death_is_stated(valid_answers, today):
    html = render_html(form_for(parse_practice(valid_answers, "t"), today))
    assert "Your privacy lasts after therapy ends" in html and "after your death" in html
    assert "I do not talk about you with my family, my friends or my spouse" in html
    assert "988" in html


def test_user_text_is_escaped(valid_answers, today):
    valid_answers["practice"]["name"] = "<script>alert(1)</script> & {{ 7*7 }}"
    html = render_html(form_for(parse_practice(valid_answers, "t"), today))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; {{ 7*7 }}" in html
    assert "49" not in html.split("<body>")[1].split("Laws behind")[0].replace("2049", "")


def test_supervisor_is_named(valid_answers, today):
    valid_answers["clinician"]["supervisor"] = {"name": "Sam Roe", "credentials": "LMFT", "license": "LMFT 99"}
    html = render_html(form_for(parse_practice(valid_answers, "t"), today))
    assert "supervision of Sam Roe" in html and "my supervisor, Sam Roe" in html


def test_override_replaces_one_section_and_can_extend_builtin(tmp_path, valid_answers, today):
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "crisis.html.j2").write_text(
        '{% include "builtin/sections/crisis.html.j2" %}<p>Clinic line: 555-0100.</p>')
    (tmp_path / "style.css").write_text("h2 { color: #005500; }")
    html = render_html(form_for(parse_practice(valid_answers, "t"), today), template_dir=tmp_path)
    assert "Clinic line: 555-0100." in html and "In a crisis" in html
    assert "#005500" in html and "#1f4e79" not in html.split("</style>")[0].split("@font-face")[-1]


def test_template_errors_are_reported(tmp_path, valid_answers, today):
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "crisis.html.j2").write_text("{{ form.no_such_thing }}")
    with pytest.raises(TemplateError, match="no_such_thing"):
        render_html(form_for(parse_practice(valid_answers, "t"), today), template_dir=tmp_path)
    (tmp_path / "sections" / "crisis.html.j2").write_text("{% if %}")
    with pytest.raises(TemplateError, match="line 1"):
        render_html(form_for(parse_practice(valid_answers, "t"), today), template_dir=tmp_path)


def test_sandbox_blocks_python_internals(tmp_path, valid_answers, today):
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "crisis.html.j2").write_text("{{ form.__class__.__init__.__globals__ }}")
    with pytest.raises(TemplateError):
        render_html(form_for(parse_practice(valid_answers, "t"), today), template_dir=tmp_path)


def test_base_override_extends_the_builtin_layout(tmp_path, valid_answers, today):
    (tmp_path / "base.html.j2").write_text(
        '{% extends "builtin/base.html.j2" %}'
        '{% block letterhead %}<header class="letterhead"><p class="practice-name">Clinic Letterhead</p></header>'
        '{% endblock %}')
    html = render_html(form_for(parse_practice(valid_answers, "t"), today), template_dir=tmp_path)
    assert "Clinic Letterhead" in html
    assert "When I may or must share without your permission" in html  # built-in sections still there
