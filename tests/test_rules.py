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
from consentgen.law import review, schema

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
    for name in schema.RULE_NAMES:
        rule = j.data[name]
        if not schema._unknown(name, rule):
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
    assert core["counselor"] == ["duty_to_protect"] and core["psychologist"] == []


def test_review_report_gives_core_figures():
    from consentgen.frontends.report import review_report

    lines, errors, invalid = review_report()
    assert not errors and not invalid
    summary = next(line for line in lines if line.startswith("Core rules"))
    assert "unknown for psychologists" in summary
    assert lines[-1].startswith("Spanish (es): ") and ", 0 missing, 0 stale; template catalog: 0 missing" in lines[-1]
