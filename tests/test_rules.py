"""Jurisdiction data: every shipped file validates; the schema refuses unsourced rules."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml
from consentgen.errors import DataFileError, UnknownJurisdictionError
from consentgen.files.assets import jurisdictions_dir
from consentgen.law import load as rules
from consentgen.law import review, vocabulary

CODES = list(rules.catalogue())
ROOT_JUR = jurisdictions_dir()



def test_catalogue_is_not_empty_and_codes_look_right():
    assert {"US-CA", "US-NY", "US-TX"} <= set(CODES)
    assert all(code.startswith("US-") and len(code) == 5 for code in CODES)


@pytest.mark.parametrize("code", CODES)
def test_shipped_jurisdiction_validates(code):
    j = rules.load_jurisdiction(code)
    assert j.code == code
    assert j.parent is not None and j.parent.code == "US"
    assert j.verified_on <= dt.date.today()
    for name in vocabulary.RULE_NAMES:
        rule = j.data[name]
        if not vocabulary.is_unknown(name, rule):
            assert rule["citations"] and rule["sources"], f"{code}.{name} has no citation or source"


def test_federal_layer_validates():
    us = rules.load_jurisdiction("US")
    assert us.data["rules"]["crisis_line"]["facts"]["number"] == "988"


def test_codes_are_case_insensitive_and_short_codes_work():
    assert rules.load_jurisdiction("us-ca").code == "US-CA"
    assert rules.normalize_code("ca") == "US-CA"


def test_unknown_code_names_the_closest():
    with pytest.raises(UnknownJurisdictionError) as info:
        rules.load_jurisdiction("US-CZ")
    assert "did you mean" in info.value.message and "US-CA" in info.value.message


def _load(code: str) -> dict:
    return yaml.safe_load((jurisdictions_dir() / f"{code}.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / f"{data['code']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _problems(tmp_path: Path, data: dict) -> str:
    with pytest.raises(DataFileError) as info:
        rules.read_jurisdiction(_write(tmp_path, data))
    return info.value.message


def test_rule_without_citation_is_refused(tmp_path):
    data = copy.deepcopy(_load("US-CA"))
    data["duty_to_protect"]["citations"] = []
    assert "duty_to_protect.citations: a rule needs at least one citation" in _problems(tmp_path, data)


def test_rule_without_source_is_refused(tmp_path):
    data = copy.deepcopy(_load("US-CA"))
    data["child_abuse_reporting"]["sources"] = []
    assert "child_abuse_reporting.sources: a rule needs at least one source" in _problems(tmp_path, data)


def test_undeclared_source_is_refused(tmp_path):
    data = copy.deepcopy(_load("US-CA"))
    data["minors"]["sources"] = ["nowhere"]
    assert "minors.sources: 'nowhere' is not declared under sources" in _problems(tmp_path, data)


def test_unknown_rule_needs_notes_but_not_citations(tmp_path):
    data = copy.deepcopy(_load("US-CA"))
    data["duty_to_protect"].update(kind="unknown", citations=[], sources=[])
    data["duty_to_protect"].pop("notes", None)
    assert "duty_to_protect.notes: an unknown rule must say in notes" in _problems(tmp_path, data)
    data["duty_to_protect"]["notes"] = "statute not found"
    assert rules.read_jurisdiction(_write(tmp_path, data)).data["duty_to_protect"]["kind"] == "unknown"


def test_bad_kind_future_date_and_typo(tmp_path):
    data = copy.deepcopy(_load("US-CA"))
    data["duty_to_protect"]["kind"] = "required"
    data["verified_on"] = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    data["minors"]["consent_agee"] = 12
    text = _problems(tmp_path, data)
    assert "duty_to_protect.kind: 'required' is not one of: mandatory, permissive, none, unknown" in text
    assert "minors.consent_agee: unknown field (did you mean 'consent_age'?)" in text


def test_file_name_must_match_code(tmp_path):
    data = copy.deepcopy(_load("US-CA"))
    path = tmp_path / "US-XX.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        rules.read_jurisdiction(path)
    assert "must match the file name 'US-XX'" in info.value.message


def test_unknowns_report_lists_missing_facts(tmp_path):
    data = copy.deepcopy(_load("US-CA"))
    assert review.unknowns(rules.read_jurisdiction(ROOT_JUR / "US-CA.yaml")) == [
        f for f in review.unknowns(rules.load_jurisdiction("US-CA"))]
    data["duty_to_protect"].update(kind="unknown", notes="not read", trigger="unknown")
    data["minors"]["parent_involvement"] = "unknown"
    del data["boards"]["psychologist"]
    path = tmp_path / "US-CA.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    found = review.unknowns(rules.read_jurisdiction(path))
    assert {"duty_to_protect", "minors.parent_involvement", "boards.psychologist"} <= set(found)
    assert "duty_to_protect.trigger" not in found  # an unknown rule is counted once, not per field


def test_primary_source_on_an_unlisted_site_is_refused(tmp_path):
    data = _load("US-CA")
    sid = next(iter(data["sources"]))
    data["sources"][sid] = {"label": "A statute copied onto a blog", "url": "https://someblog.example.com/statute",
                            "type": "primary"}
    message = _problems(tmp_path, data)
    assert f"sources.{sid}.type" in message and "someblog.example.com" in message and "secondary" in message
    data["sources"][sid]["type"] = "secondary"
    rules.read_jurisdiction(_write(tmp_path, data))  # the same page is fine as evidence


def test_publisher_list_matches_hosts_not_substrings():
    from consentgen.law.publishers import listed

    assert listed("https://law.justia.com/codes/ohio/title-51/") and listed("https://codes.ohio.gov/ohio-revised-code")
    assert listed("https://www.law.cornell.edu/regulations/x") and listed("https://njleg.state.nj.us/bills")
    assert not listed("https://law.justia.com.evil.example/x") and not listed("https://notjustia.com/x")
    assert not listed("https://instalawyer.io/x") and not listed("https://gov.example.com/x")


def test_every_publisher_entry_gives_a_reason():
    data = yaml.safe_load((jurisdictions_dir() / "publishers.yaml").read_text(encoding="utf-8"))
    entries = data["official_suffixes"] + data["official"] + data["publishers"]
    assert entries and all(len(e["reason"]) > 15 for e in entries)


def test_unknowns_count_professions_and_skip_the_trigger_of_no_duty(tmp_path):
    data = copy.deepcopy(_load("US-CA"))
    data["duty_to_protect"].update(kind="none", trigger="unknown")
    data["duty_to_protect"]["by_profession"] = {"counselor": "unknown"}
    found = review.unknowns(rules.read_jurisdiction(_write(tmp_path, data)))
    assert "duty_to_protect.trigger" not in found  # no duty, so no trigger to state
    assert "duty_to_protect.by_profession.counselor" in found
    core = review.core_unknowns(rules.read_jurisdiction(_write(tmp_path, data)))
    assert "duty_to_protect" in core["counselor"] and "duty_to_protect" not in core["psychologist"]


def test_review_report_gives_core_figures():
    from consentgen.frontends.report import review_report

    lines, errors, invalid = review_report()
    assert not errors and not invalid
    summary = next(line for line in lines if line.startswith("Core rules"))
    assert "unknown for psychologists" in summary
    assert lines[-1].startswith("Spanish (es): ") and ", 0 missing, 0 stale; template catalog: 0 missing" in lines[-1]


@pytest.mark.parametrize("name", vocabulary.RULE_NAMES)
def test_a_rule_without_a_status_is_refused(tmp_path, name):
    """No rule is verified by default: a person sets its status (issue 21, cause 2)."""
    data = copy.deepcopy(_load("US-CA"))
    data[name].pop("status")
    assert f"{name}.status: is required" in _problems(tmp_path, data)


def test_needs_review_needs_a_reason_and_an_unknown_field_its_open_question(tmp_path):
    data = copy.deepcopy(_load("US-CA"))
    data["age_of_majority"].update(status="needs_review")
    data["age_of_majority"].pop("review_reason", None)
    data["minors"]["parent_told"] = "unknown"
    data["minors"]["open_questions"] = {}
    text = _problems(tmp_path, data)
    assert "age_of_majority.review_reason: a rule that needs review must say why" in text
    assert "minors.open_questions.parent_told: is 'unknown': say in open_questions" in text


def test_a_narrower_refusal_needs_the_states_ground_and_a_profession_its_own_values(tmp_path):
    """refusal 'narrower' prints "as explained next": the rule's client note must state the ground; a profession's
    own deadline is checked like the state's (a state deadline needs its days, an unknown refusal its question)."""
    data = copy.deepcopy(_load("US-CA"))
    data["access_deadline"].update(refusal="narrower")
    data["access_deadline"].pop("client_note", None)
    data["access_deadline"]["by_profession_fields"] = {"counselor": {"kind": "state", "days": None},
                                                      "psychologist": {"refusal": "unknown"}}
    data["access_deadline"]["open_questions"] = {}
    text = _problems(tmp_path, data)
    assert "access_deadline.client_note: refusal 'narrower' needs a client note" in text
    assert "access_deadline.by_profession_fields.counselor.days: a state deadline needs its number of days" in text
    assert "access_deadline.open_questions.refusal: is 'unknown'" in text


@pytest.mark.parametrize("field", ["parent_told", "parent_records", "parent_signs"])
def test_every_minors_field_a_form_words_is_required(tmp_path, field):
    """A missing field is refused, never read as a default the form would word."""
    data = copy.deepcopy(_load("US-CA"))
    data["minors"].pop(field)
    assert f"minors.{field}: is required" in _problems(tmp_path, data)


def test_self_harm_is_required_and_names_whom_the_law_lets_me_tell(tmp_path):
    data = copy.deepcopy(_load("US-CA"))
    data.pop("self_harm")
    assert "self_harm: is required" in _problems(tmp_path, data)
    data = copy.deepcopy(_load("US-CA"))
    data["self_harm"].update(kind="permissive", may_tell=["neighbours"])
    assert "self_harm.may_tell[0]: 'neighbours' is not one of" in _problems(tmp_path, data)


def test_a_profession_cites_its_own_rule(tmp_path):
    """cites_by_profession replaces the rule's citations on that profession's forms only."""
    from consentgen.law.resolve import resolve

    data = copy.deepcopy(_load("US-CA"))
    first = next(iter(data["sources"]))
    data["duty_to_protect"]["cites_by_profession"] = {"counselor": {"citations": ["Own Code § 1"],
                                                                    "sources": [first]}}
    j = rules.read_jurisdiction(_write(tmp_path, data))
    assert resolve(j, "counselor").duty.basis.citations == ("Own Code § 1",)
    assert resolve(j, "psychologist").duty.basis.citations == tuple(data["duty_to_protect"]["citations"])
    data["duty_to_protect"]["cites_by_profession"]["counselor"]["sources"] = ["nowhere"]
    assert "cites_by_profession.counselor.sources: 'nowhere' is not declared" in _problems(tmp_path, data)


def test_retention_entries_cite_only_their_own_rule(tmp_path):
    from consentgen.law.resolve import resolve

    data = copy.deepcopy(_load("US-CA"))
    first = next(iter(data["sources"]))
    data["records"]["retention"] = [
        {"professions": ["psychologist"], "years": 7, "citations": ["Psych Rule 1"], "sources": [first]},
        {"professions": ["counselor"], "years": 5, "citations": ["Counselor Rule 2"], "sources": [first]},
        {"professions": ["social_worker"], "years": 5},
    ]
    j = rules.read_jurisdiction(_write(tmp_path, data))
    assert resolve(j, "psychologist").records.basis.citations == ("Psych Rule 1",)
    assert resolve(j, "counselor").records.basis.citations == ("Counselor Rule 2",)
    assert "Psych Rule 1" not in resolve(j, "social_worker").records.basis.citations


def _review(tmp_path, monkeypatch, header: str):
    from consentgen.law import reviews

    folder = tmp_path / "jurisdictions"
    (folder / "reviews").mkdir(parents=True)
    (folder / "reviews" / "US-CA.md").write_text(f"---\n{header}\n---\n# Review\n", encoding="utf-8")
    monkeypatch.setattr(reviews, "jurisdictions_dir", lambda: folder)
    return reviews


def test_a_review_record_is_read_and_its_counts_must_add_up(tmp_path, monkeypatch):
    good = "code: US-CA\nreviewed_on: 2026-12-07\nreviewer: someone else\nfindings: 5\nfixed: 3\nopen: 2"
    reviews = _review(tmp_path, monkeypatch, good)
    record = reviews.read_review("US-CA")
    assert record.as_json() == {"reviewed_on": "2026-12-07", "reviewer": "someone else", "findings": 5,
                                "fixed": 3, "open": 2, "file": "reviews/US-CA.md"}
    assert reviews.read_review("US-TX") is None
    reviews = _review(tmp_path / "b", monkeypatch, good.replace("open: 2", "open: 1"))
    with pytest.raises(DataFileError) as info:
        reviews.read_review("US-CA")
    assert "findings: is 5, but fixed + open is 4" in info.value.message


def test_every_shipped_review_record_is_valid_and_names_its_state():
    from consentgen.law.reviews import read_review

    found = [read_review(code) for code in CODES]
    assert all(r is None or (r.code == c and r.findings == r.fixed + r.open) for r, c in zip(found, CODES, strict=True))


def test_a_source_read_in_a_verbatim_copy_says_so_to_the_maintainer_not_the_client(tmp_path):
    """read_in names the copy and its date in `jurisdictions show --notes` and --json.

    The form cites the official page only."""
    from consentgen.frontends import report
    from consentgen.law.export import jurisdiction_json
    from consentgen.law.resolve import resolve

    data = copy.deepcopy(_load("US-CA"))
    sid = data["duty_to_protect"]["sources"][0]
    data["sources"][sid]["read_in"] = {"url": "https://example.org/copy.json", "as_of": "2026-09-17"}
    j = rules.read_jurisdiction(_write(tmp_path, data))
    cited = {s.id: s for s in resolve(j, "psychologist").duty.basis.sources}[sid]
    assert cited.url == data["sources"][sid]["url"]
    assert cited.read_in == "https://example.org/copy.json (text as of 2026-09-17)"
    shown = "\n".join(report.show_lines(j, notes=True))
    assert "read in a verbatim copy: https://example.org/copy.json (text as of 2026-09-17)" in shown
    exported = jurisdiction_json(j)
    assert any(s.get("read_in", "").startswith("https://example.org/copy.json") for s in exported["sources"])
    data["sources"][sid]["read_in"] = {"url": "not a url", "as_of": "2026-09-17"}
    assert f"sources.{sid}.read_in.url" in _problems(tmp_path, data)


def test_a_state_note_on_record_access_prints_under_the_federal_sentence():
    """New Mexico lets a clinician refuse access in the client's best interests, with a court petition
    (NMSA § 43-1-19(D)): the form says so beside the federal grounds and remedy."""
    from consentgen.law.resolve import resolve

    j = rules.load_jurisdiction("US-NM")
    note = resolve(j, "counselor").access_deadline.note
    assert note and "court" in note
    assert resolve(rules.load_jurisdiction("US-WY"), "counselor").access_deadline.note is None
