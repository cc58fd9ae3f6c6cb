"""JSON Schema (draft 2020-12) generated from the same specs that validate the files.

``consentgen schema answers|clinic|jurisdiction`` prints these (``frontends.schemas``), so
editors (through the ``# yaml-language-server: $schema=...`` line) complete and check what
the validator checks. Cross-field checks (declared sources, dates not in the future) stay in
the validator.
"""

from __future__ import annotations

from typing import Any

from consentgen.model.validate import Bool, Custom, Date, Int, ListOf, MapOf, Money, Nullable, Record, Spec, Text

DIALECT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://consentgen.example/schema/"


def _scalar(spec: Spec) -> dict[str, Any] | None:
    """The JSON Schema of a number, amount, yes/no or date spec; None for any other."""
    if isinstance(spec, Int):
        return {"type": "integer", "minimum": spec.minimum, "maximum": spec.maximum}
    if isinstance(spec, Money):
        return {"anyOf": [{"type": "number", "minimum": 0, "maximum": spec.maximum},
                          {"type": "string",
                           "pattern": r"^\$?\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,7})(?:\.[0-9]{1,2})?$"}]}
    if isinstance(spec, Bool):
        return {"type": "boolean"}
    if isinstance(spec, Date):
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    return None


def _text_schema(spec: Text) -> dict[str, Any]:
    if spec.choices:
        return {"enum": list(spec.choices)}
    out: dict[str, Any] = {"type": "string", "maxLength": spec.max_len}
    if spec.min_len:
        out["minLength"] = spec.min_len
    if spec.pattern:
        out["pattern"] = f"^(?:{spec.pattern})$"
    return out


def _list_schema(spec: ListOf) -> dict[str, Any]:
    out = {"type": "array", "items": to_json_schema(spec.item), "maxItems": spec.max_items}
    if spec.min_items:
        out["minItems"] = spec.min_items
    if spec.unique:
        out["uniqueItems"] = True
    return out if spec.min_items else {"anyOf": [out, {"type": "null"}]}


def to_json_schema(spec: Spec) -> dict[str, Any]:
    """The JSON Schema of one spec."""
    if isinstance(spec, Text):
        return _text_schema(spec)
    if isinstance(spec, Custom):
        return {"type": "string", "minLength": 1, "maxLength": spec.max_len}
    scalar = _scalar(spec)
    if scalar is not None:
        return scalar
    if isinstance(spec, Nullable):
        options = [to_json_schema(spec.inner), {"type": "null"}]
        if spec.unknown_ok:
            options.append({"const": "unknown"})
        return {"anyOf": options}
    if isinstance(spec, ListOf):
        return _list_schema(spec)
    if isinstance(spec, MapOf):
        return {"type": "object", "additionalProperties": False, "minProperties": spec.min_items,
                "patternProperties": {f"^(?:{spec.key_pattern})$": to_json_schema(spec.value)}}
    if isinstance(spec, Record):
        return {
            "type": "object", "additionalProperties": False,
            "properties": {key: to_json_schema(f.spec) for key, f in spec.fields.items()},
            "required": [key for key, f in spec.fields.items() if f.required],
        }
    raise TypeError(f"no JSON Schema for {type(spec).__name__}")
