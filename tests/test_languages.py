"""The language registry (issue 23, changes 1 and 2): the document owns its kind and language, and a new
language is one registry entry plus its files, with no other code change."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest
import yaml
from consentgen.checks.readability import KEY_POINT_TARGETS, TARGETS
from consentgen.documents.document import build_document
from consentgen.inputs.answers import parse_practice
from consentgen.law import load as rules
from consentgen.model import languages
from consentgen.model.options import LANGUAGES, RenderOptions
from consentgen.render.html import render_html

from .conftest import ROOT


def _doc(valid_answers, today, code="US-NY", **options):
    answers = {**valid_answers, "jurisdiction": code}
    practice = parse_practice(answers, "t")
    return build_document(practice, rules.load_jurisdiction(code), today=today, version="t",
                          options=RenderOptions(**options))


def test_a_document_renders_in_its_own_language_and_kind_whatever_the_options_say(valid_answers, today):
    """render_html(doc) used to take the language and document type from the options: a Spanish New York
    document rendered with default options gave an English page that said 'Nueva York'."""
    spanish = _doc(valid_answers, today, language="es")
    page = render_html(spanish)  # default options: no language, no document type
    assert '<html lang="es"' in page and "Nueva York" in page
    assert "Your records" not in page
    release = render_html(_doc(valid_answers, today, document="release"))  # used to fail: "template not found"
    assert "Your Permission to Share Information" in release


def test_every_language_part_reads_the_registry():
    assert LANGUAGES == languages.codes() == ("en", "es")
    assert {code: lang.section_target for code, lang in languages.REGISTRY.items()} == TARGETS
    assert KEY_POINT_TARGETS["es"] == 75.0 and languages.language("es").label == "Spanish (español)"
    assert languages.join_prose(["a", "b", "Irene"], "and", "es") == "a, b e Irene"
    assert languages.join_prose(["a", "otro"], "or", "es") == "a u otro"
    assert languages.join_prose(["a", "b", "c"], "or", "en") == "a, b or c"


def _pseudo(text: str) -> str:
    """A pseudo-translation that keeps every placeholder and tag: [Ŧĥĕ ŧĕxŧ]."""
    import re

    table = str.maketrans("aeiouAEIOU", "àêìòùÀÊÌÒÙ")
    parts = re.split(r"(%\([a-z_]+\)s|\{\{.*?\}\}|<[^>]+>|&[a-z]+;)", text)
    return "[" + "".join(p if i % 2 else p.translate(table) for i, p in enumerate(parts)) + "]"


@pytest.mark.slow
def test_a_new_language_is_one_registry_entry_and_its_files(tmp_path, valid_answers):
    """The recipe (CONTRIBUTING.md, "A new language"), tried with a pseudo-language 'xx' in a copy of the
    project: one entry in model/languages.py, a catalog, one state's strings. Nothing else changes."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po
    from consentgen.law.translations import client_strings, source_hash

    copy = tmp_path / "project"
    for name in ("consentgen", "templates", "jurisdictions"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "reviews"))
    registry = copy / "consentgen" / "model" / "languages.py"
    registry.write_text(registry.read_text(encoding="utf-8").replace('''
}


def language(''', '''
    "xx": Language(code="xx", english_name="Pseudo", native_name="Pseudo", tag="en-XA", html_lang="en-XA",
                   babel_locale="en_US", dates="iso", joiner="plain", and_word="and", or_word="or",
                   measure="flesch_kincaid", section_target=99.0, key_points_target=99.0),
}


def language('''), encoding="utf-8")
    with (copy / "templates" / "locale" / "messages.pot").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if message.id:
            message.string = (tuple(_pseudo(str(i)) for i in message.id) if isinstance(message.id, tuple)
                              else _pseudo(str(message.id)))
    folder = copy / "templates" / "locale" / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, catalog)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    (copy / "jurisdictions" / "locale" / "xx").mkdir()
    for code in ("US", "US-NY"):
        data = yaml.safe_load((ROOT / "jurisdictions" / f"{code}.yaml").read_text(encoding="utf-8"))
        strings = {key: {"source": source_hash(text), "text": _pseudo(text)}
                   for key, text in client_strings(data).items()}
        (copy / "jurisdictions" / "locale" / "xx" / f"{code}.yaml").write_text(
            yaml.safe_dump(strings, allow_unicode=True), encoding="utf-8")
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({**valid_answers, "jurisdiction": "US-NY"}), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy)}
    script = textwrap.dedent(f"""
        import sys
        from consentgen.frontends.cli import main
        sys.exit(main(["render", {str(answers)!r}, "--language", "xx", "--format", "html",
                       "-o", {str(tmp_path / "out.html")!r}]))
    """)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert '<html lang="en-XA"' in page and "[Yòùr rêcòrds]" in page
    helped = subprocess.run([sys.executable, "-m", "consentgen", "render", "--help"], env=env, capture_output=True,
                            text=True, timeout=120, cwd=tmp_path)
    assert "xx (Pseudo)" in " ".join(helped.stdout.split())
