"""The JSON Schema of each file type a user writes: answers, clinic and jurisdiction files."""

from __future__ import annotations

from typing import Any

from consentgen.inputs.answers import ANSWERS, CLINIC
from consentgen.law.schema import FEDERAL, STATE
from consentgen.model.jsonschema import BASE, DIALECT, to_json_schema

KINDS = ("answers", "clinic", "jurisdiction")


def file_schema(kind: str) -> dict[str, Any]:
    """The schema of an answers, clinic or jurisdiction file."""
    titles = {"answers": "consentgen answers file", "clinic": "consentgen clinic file",
              "jurisdiction": "consentgen jurisdiction file"}
    if kind == "jurisdiction":
        body: dict[str, Any] = {"anyOf": [to_json_schema(STATE), to_json_schema(FEDERAL)]}
    else:
        body = to_json_schema(ANSWERS if kind == "answers" else CLINIC)
    return {"$schema": DIALECT, "$id": f"{BASE}{kind}.json", "title": titles[kind], **body}
