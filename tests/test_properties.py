"""Property-based tests: any valid answers render; any invalid answers raise our own error."""

from __future__ import annotations

import copy
import datetime as dt
import io

import pypdf
import pytest
from consentgen.documents.document import offered
from consentgen.errors import ConsentgenError, DataFileError
from consentgen.inputs.answers import parse_practice
from consentgen.law import load as rules
from consentgen.model.practice import PROFESSIONS, SERVICES
from consentgen.pipeline import make_form
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import render_bytes as render_document

from .conftest import VALID

TODAY = dt.date(2026, 11, 22)
SAFE = st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x24F) | st.sampled_from(
    list(" &<>\"'{}%#!?-.,()/"))
NAME = st.text(SAFE, min_size=1, max_size=40).map(lambda s: " ".join(s.split())).filter(bool)
PHONE = st.from_regex(r"\+?1? ?\(?[0-9]{3}\)? ?[0-9]{3}-[0-9]{4}", fullmatch=True)
EMAIL = st.from_regex(r"[a-z0-9._]{1,12}@[a-z0-9]{1,10}\.(org|com|net)", fullmatch=True)
LICENSE = st.from_regex(r"[A-Z]{0,4} ?[0-9]{2,8}", fullmatch=True).map(str.strip).filter(lambda s: len(s) >= 2)

ANSWERS = st.fixed_dictionaries({
    "practice": st.fixed_dictionaries({"name": NAME, "address": NAME, "phone": PHONE, "email": EMAIL}),
    "clinician": st.fixed_dictionaries({"name": NAME, "credentials": NAME, "license": LICENSE,
                                        "profession": st.sampled_from(list(PROFESSIONS))}),
    "jurisdiction": st.sampled_from(list(rules.catalogue())),
    "services": st.fixed_dictionaries({k: st.booleans() for k in SERVICES}).filter(lambda d: any(d.values())),
})


def _last(practice):
    return (offered(practice) or [None])[-1]


@pytest.mark.pdf
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANSWERS)
def test_any_valid_answers_render_a_pdf_with_the_practice_name(answers):
    practice = parse_practice(answers, "generated")
    data = render_document(make_form(practice, today=TODAY, client_type=_last(practice)), "pdf")
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "".join(answers["practice"]["name"].split()) in "".join(text.split())


@settings(max_examples=60, deadline=None)
@given(ANSWERS)
def test_any_valid_answers_build_html(answers):
    practice = parse_practice(answers, "generated")
    for edition in offered(practice) or [None]:  # every edition of every generated practice
        html = render_document(make_form(practice, today=TODAY, client_type=edition), "html").decode()
        assert "Laws behind this form" in html
    assert "Laws behind this form" in html


JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
    | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
PATHS = [(), ("practice",), ("clinician",), ("services",), ("practice", "name"), ("practice", "email"),
         ("practice", "phone"), ("clinician", "profession"), ("clinician", "license"), ("jurisdiction",),
         ("services", "minors"), ("form",), ("clinician", "supervisor"), ("policies",), ("branding",)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATHS), JUNK, st.booleans())
def test_any_invalid_answers_raise_our_own_error(path, junk, delete):
    answers = copy.deepcopy(VALID)
    if not path:
        answers = junk
    else:
        node = answers
        for key in path[:-1]:
            node = node[key]
        if delete:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = junk
    try:
        parse_practice(answers, "generated")
    except DataFileError as exc:
        assert exc.message.startswith("generated: ")
    except ConsentgenError:
        pass
