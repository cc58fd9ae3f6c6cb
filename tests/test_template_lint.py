"""A template lint: every word a client reads comes from a translated string or from data (issue 23, change 10).

Text between tags must sit inside ``{% trans %}`` (or be an expression), and a string literal inside a tag
that holds words must be an argument of a gettext call (``_``, ``pgettext``, ``ngettext``), so no English
phrase can reach a Spanish form unnoticed. Anything allowed is listed here with its reason.
"""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT

TEMPLATES = sorted((ROOT / "templates").rglob("*.j2"))

# Literal words a template may print as they are, and why.
ALLOWED_TEXT = {
    "consentgen": "the product's name, in the footer",
    "ID": "the form's ID in the footer, a code in every language",
}
# String literals in tags that hold words but are keys, never printed.
ALLOWED_LITERALS = {
    "frail older": "a key into the translated names of covered adults (macros.adults_short)",
}
GETTEXT = r"(?:_|gettext|pgettext|ngettext|npgettext)\(\s*"
STRING = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''


def _outside_trans(source: str) -> str:
    text = re.sub(r"(?s)\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", " ", source)
    return re.sub(r"(?s)\{#.*?#\}", " ", text)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_text_between_tags_is_translated(path):
    text = _outside_trans(path.read_text(encoding="utf-8"))
    text = re.sub(r"(?s)\{\{.*?\}\}|\{%.*?%\}", " ", text)
    text = re.sub(r"(?s)<(style|script)\b.*?</\1>", " ", text)
    text = re.sub(r"(?s)<[^>]*>", " ", text)
    text = re.sub(r"&#?\w+;", " ", text)
    words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if w not in ALLOWED_TEXT]
    assert not words, f"untranslated text in {path.name}: {words[:10]} (wrap it in {{% trans %}})"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_string_literals_with_words_are_gettext_arguments(path):
    source = re.sub(r"(?s)\{#.*?#\}", " ", path.read_text(encoding="utf-8"))
    found = []
    for tag in re.findall(r"(?s)\{\{.*?\}\}|\{%.*?%\}", source):
        bare = tag
        for _ in range(3):  # pgettext("context", "text"): both arguments
            bare = re.sub(GETTEXT + rf"(?:{STRING})\s*,?", "_(", bare)
        for literal in re.findall(STRING, bare):
            words = literal[1:-1]
            if re.search(r"[A-Za-z]+\s+[A-Za-z]+", words) and words not in ALLOWED_LITERALS:
                found.append(words)
    assert not found, f"{path.name}: phrases outside a gettext call: {found[:5]}"


def test_the_lint_catches_what_it_is_for(tmp_path, monkeypatch):
    """The lint fails on an untranslated sentence and on a bare phrase in an expression."""
    bad = tmp_path / "bad.html.j2"
    bad.write_text('<p>Call me any time.</p>\n{{ "see a doctor" if x else _("fine") }}\n', encoding="utf-8")
    with pytest.raises(AssertionError, match="untranslated text"):
        test_text_between_tags_is_translated(bad)
    with pytest.raises(AssertionError, match="phrases outside a gettext call"):
        test_string_literals_with_words_are_gettext_arguments(bad)
    good = tmp_path / "good.html.j2"
    good.write_text('<p>{% trans %}Call me any time.{% endtrans %}</p>\n{{ _("see a doctor") }}\n', encoding="utf-8")
    test_text_between_tags_is_translated(good)
    test_string_literals_with_words_are_gettext_arguments(good)
