"""`consentgen schema`: JSON Schemas generated from the validators, checked with a stock validator."""

from __future__ import annotations

import datetime as dt
import functools
import json

import jsonschema
import pytest
import yaml
from consentgen.frontends.cli import main
from consentgen.frontends.schemas import file_schema

from .conftest import EXAMPLES, ROOT


def _as_json(value):
    """YAML loaded the way a JSON-based editor sees it (dates are strings)."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _validator(kind):
    schema = file_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_validate_against_the_answers_schema(example):
    _validator("answers").validate(_as_json(yaml.safe_load(example.read_text())))


def test_clinic_example_validates():
    _validator("clinic").validate(_as_json(yaml.safe_load((ROOT / "examples" / "clinic.yaml").read_text())))


@functools.cache
def _jurisdiction_validator():
    return _validator("jurisdiction")


# One case per file, so the 51-state part runs in the matrix lane (conftest marks codes outside FAST_STATES).
@pytest.mark.parametrize("code", sorted(p.stem for p in (ROOT / "jurisdictions").glob("US*.yaml")))
def test_every_jurisdiction_file_validates_against_the_committed_schema(code):
    path = ROOT / "jurisdictions" / f"{code}.yaml"
    _jurisdiction_validator().validate(_as_json(yaml.safe_load(path.read_text())))


def test_misspelled_key_and_wrong_types_are_rejected():
    data = _as_json(yaml.safe_load(EXAMPLES[0].read_text()))
    validator = _validator("answers")
    bad = json.loads(json.dumps(data))
    bad["practice"]["emial"] = bad["practice"].pop("email")
    assert not validator.is_valid(bad)
    bad = json.loads(json.dumps(data))
    bad["services"]["minors"] = 1  # a number is not a yes/no, as in the validator
    assert not validator.is_valid(bad)
    bad = json.loads(json.dumps(data))
    bad["clinician"]["license"] = 12345  # unquoted numbers are refused, as in the validator
    assert not validator.is_valid(bad)


@pytest.mark.parametrize(("kind", "path"), [("answers", "examples/answers.schema.json"),
                                            ("clinic", "examples/clinic.schema.json"),
                                            ("jurisdiction", "jurisdictions/schema.json")])
def test_committed_schema_files_match_the_generator_and_the_cli(kind, path, capsys):
    assert main(["schema", kind]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == file_schema(kind) == json.loads((ROOT / path).read_text())


def test_data_files_name_their_schema():
    for path in [*EXAMPLES, ROOT / "examples" / "clinic.yaml", *sorted((ROOT / "jurisdictions").glob("US*.yaml"))]:
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path.name
        assert (path.parent / first.split("=", 1)[1]).is_file(), path.name
