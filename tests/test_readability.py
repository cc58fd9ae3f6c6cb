"""Reading level: every client-facing section at grade 8 or below, the key limits at 7 or below."""

from __future__ import annotations

import dataclasses

import pytest
from consentgen.checks.readability import form_grades, grade, syllables
from consentgen.documents.document import build_form, offered
from consentgen.inputs.answers import parse_practice, read_practice
from consentgen.law import load as rules
from consentgen.model.practice import Services

from .conftest import EXAMPLES

KEY_SECTIONS = ("key-points", "limits")


def test_syllables_and_grade_on_known_text():
    assert [syllables(w) for w in ("cat", "table", "confidential", "therapy", "the")] == [1, 2, 4, 3, 1]
    easy = "I see you. You see me. We talk."
    hard = ("Notwithstanding the aforementioned confidentiality obligations, disclosure may be "
            "compelled pursuant to judicial determinations regarding admissibility.")
    assert grade(easy) < 3 < 14 < grade(hard)


def check(form):
    grades = form_grades(form)
    too_hard = {k: v for k, v in grades.items() if v > 8.0}
    assert not too_hard, f"{form.law.code}: sections above grade 8: {too_hard}"
    for key in KEY_SECTIONS:
        assert grades[key] <= 7.0, f"{form.law.code}: {key} is grade {grades[key]}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_are_plain_language(example, today):
    practice = read_practice(example)
    for edition in offered(practice):
        check(build_form(practice, rules.load_jurisdiction(practice.jurisdiction), today=today, version="t",
                         client_type=edition))


@pytest.mark.parametrize("code", list(rules.catalogue()))
def test_every_jurisdiction_is_plain_language(code, valid_answers, today):
    valid_answers["jurisdiction"] = code
    practice = parse_practice(valid_answers, "t")
    practice = dataclasses.replace(practice, services=Services(**{n: True for n in dataclasses.asdict(Services())}))
    for edition in offered(practice):
        check(build_form(practice, rules.load_jurisdiction(code), today=today, version="t", client_type=edition))
