"""Which sections, signers and rules a form gets (pure logic, no rendering)."""

from __future__ import annotations

import dataclasses

import pytest
from consentgen.documents.document import build_document, build_form
from consentgen.inputs.answers import parse_practice
from consentgen.law.load import load_jurisdiction

from .conftest import ROOT


def make(valid_answers, today, edition=None, **services):
    """The form for ``services``; by default the most specific edition they offer (the last)."""
    from consentgen.documents.document import offered

    valid_answers["services"] = {"individual": True, **services}
    practice = parse_practice(valid_answers, "test")
    return build_form(practice, load_jurisdiction(practice.jurisdiction), today=today, version="test",
                      client_type=edition or (offered(practice) or [None])[-1])


@pytest.mark.parametrize(
    ("services", "present", "absent"),
    [
        ({}, {"limits", "records", "electronic", "recording", "signatures", "references"},
         {"insurance", "couples_family", "group", "minors", "telehealth"}),
        ({"insurance": True}, {"insurance"}, {"minors"}),
        ({"couples_family": True}, {"couples_family"}, {"group"}),
        ({"group": True}, {"group"}, {"couples_family"}),
        ({"minors": True}, {"minors"}, {"telehealth"}),
        ({"telehealth": True}, {"telehealth"}, {"minors"}),
    ],
)
def test_sections_follow_services(valid_answers, today, services, present, absent):
    form = make(valid_answers, today, **services)
    assert present <= set(form.sections)
    assert not absent & set(form.sections)


def test_signers_follow_services(valid_answers, today):
    assert [s.key for s in make(valid_answers, today).signers] == ["client", "clinician"]
    both = {"couples_family": True, "minors": True}
    assert [s.key for s in make(valid_answers, today, "couple_family", **both).signers] == [
        "client", "second_adult", "clinician"]
    assert [s.key for s in make(valid_answers, today, "minor", **both).signers] == [
        "client", "parent_guardian", "clinician"]
    adult = make(valid_answers, today, "individual", **both, group=True)
    assert not {"couples_family", "group", "minors"} & set(adult.sections)
    assert [s.key for s in adult.signers] == ["client", "clinician"]


def test_form_date_defaults_to_today_and_answers_date_wins(valid_answers, today):
    assert make(valid_answers, today).date == today
    valid_answers["form"] = {"date": "2026-01-02"}
    assert make(valid_answers, today).date.isoformat() == "2026-01-02"


def test_duty_by_profession_overrides_the_default(valid_answers, today):
    form = make(valid_answers, today)
    j = load_jurisdiction(form.law.code)
    data = dict(j.data)
    data["duty_to_protect"] = {**data["duty_to_protect"], "by_profession": {"marriage_family_therapist": "permissive"}}
    patched = dataclasses.replace(j, data=data)
    again = build_form(form.practice, patched, today=today, version="test")
    assert again.law.duty.kind == "permissive"


def test_telehealth_only_disclosures_need_telehealth(valid_answers, today):
    ids = {d.id for d in make(valid_answers, today).law.disclosures}
    ids_tele = {d.id for d in make(valid_answers, today, telehealth=True).law.disclosures}
    assert "ca-telehealth-consent" not in ids and "ca-telehealth-consent" in ids_tele


def test_mismatched_jurisdiction_is_a_caller_bug(valid_answers, today):
    practice = parse_practice(valid_answers, "test")
    with pytest.raises(ValueError):
        build_form(practice, load_jurisdiction("US-NY"), today=today, version="test")


def _fingerprint(answers, today, base=None, fmt="html", templates=None):
    from consentgen.model.options import RenderOptions
    from consentgen.pipeline import render

    options = RenderOptions(format=fmt, templates=str(templates) if templates else None)
    return render(parse_practice(answers, "t", base=base), options, today=today)[1].fingerprint


def test_fingerprint_changes_with_content(valid_answers, today):
    a = _fingerprint(valid_answers, today)
    valid_answers["services"] = {"individual": False, "group": True}
    b = _fingerprint(valid_answers, today)
    assert a != b and len(a) == 12


@pytest.mark.pdf  # renders a PDF, and custom templates render in a sandboxed process
def test_fingerprint_follows_what_the_client_reads_not_where_files_are(valid_answers, today, tmp_path):
    import shutil

    first, second = tmp_path / "one", tmp_path / "two"
    for folder in (first, second):
        (folder / "t" / "sections").mkdir(parents=True)
        (folder / "t" / "sections" / "crisis.html.j2").write_text("<section id='crisis'><p>Call 988.</p></section>")
        shutil.copy(ROOT / "docs" / "page1-1.png", folder / "logo.png")
    valid_answers["practice"]["logo"] = "logo.png"
    in_first = _fingerprint(valid_answers, today, base=first, templates=first / "t")
    assert _fingerprint(valid_answers, today, base=second, templates=second / "t") == in_first  # moved folder
    (second / "t" / "sections" / "crisis.html.j2").write_text("<section id='crisis'><p>Call 911.</p></section>")
    assert _fingerprint(valid_answers, today, base=second, templates=second / "t") != in_first  # new wording
    (second / "t" / "sections" / "crisis.html.j2").write_text("<section id='crisis'><p>Call 988.</p></section>")
    (second / "logo.png").write_bytes((first / "logo.png").read_bytes() + b"\0")
    assert _fingerprint(valid_answers, today, base=second, templates=second / "t") != in_first  # new logo bytes
    assert _fingerprint(valid_answers, today, base=first, templates=first / "t", fmt="pdf") == in_first  # format


def test_minors_consent_age_can_differ_by_profession(valid_answers, today):
    valid_answers["jurisdiction"] = "US-CT"
    valid_answers["clinician"]["profession"] = "counselor"
    assert make(valid_answers, today, minors=True).law.minors.consent == "parent_only"  # § 19a-14c names no LPCs
    valid_answers["clinician"]["profession"] = "psychologist"
    assert make(valid_answers, today, minors=True).law.minors.consent == "any_age_with_conditions"


def test_client_note_for_limits_notes_to_some_professions(valid_answers, today):
    valid_answers["jurisdiction"] = "US-TX"
    valid_answers["clinician"]["profession"] = "counselor"
    form = make(valid_answers, today, minors=True)
    assert form.law.minors.note
    valid_answers["clinician"]["profession"] = "marriage_family_therapist"
    form = make(valid_answers, today, minors=True)
    assert form.law.minors.note is None


@pytest.mark.parametrize("document", ["consent", "release"])
def test_one_render_gives_the_same_fingerprint_filled_printed_or_standalone(valid_answers, today, document):
    """The page is rendered once (issue 23, speed): its fingerprint leaves out fields versus lines and boxes,
    and linked versus inlined fonts, so the fillable PDF, the printed one and the HTML file share one ID."""
    from consentgen.model.options import Output, RenderOptions
    from consentgen.render.html import render_page

    valid_answers["services"] = {"individual": True, "minors": True}
    practice = parse_practice(valid_answers, "t")
    doc = build_document(practice, load_jurisdiction("US-CA"), today=today, version="t",
                         options=RenderOptions(document=document, client_type="minor" if document == "consent"
                                               else None))
    filled = render_page(doc, Output(fields=True))
    printed = render_page(doc, Output(fields=False))
    standalone = render_page(doc, Output(fields=False), inline_assets=True)
    assert filled[1] == printed[1] == standalone[1]
    assert "<input" in filled[0] and "<input" not in printed[0] and "data:font" in standalone[0]
