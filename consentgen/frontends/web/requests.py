"""What a request to the page carries: its body (bounded as it arrives), and the answers it sends laid over the
answers file the page opened, checked as the wizard checks them."""

from __future__ import annotations

import functools
import json
import re
from typing import Any, NamedTuple

from starlette.requests import Request

from consentgen.errors import ConsentgenError
from consentgen.frontends import asking
from consentgen.frontends import questions as q

MAX_BODY = 1_000_000


class TooLarge(Exception):
    """A request body over ``MAX_BODY`` (read in chunks, so a chunked upload is refused as it arrives)."""


async def limited(request: Request) -> bytes:
    """The request body, at most ``MAX_BODY`` bytes, whatever the transfer encoding says.

    Raises:
        TooLarge: the body is larger (the rest is not read).
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, read at most 1 MB as it arrives; anything else reads as empty."""
    text = (await limited(request)).decode("utf-8", errors="replace") or "{}"
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested too deep: read as empty
        return {}
    return data if isinstance(data, dict) else {}


def page_text(message: str) -> str:
    """A wizard question as a web page words it: no terminal keys ("press Enter to skip" becomes "optional" or
    goes), and no colon at the end of a label."""
    text = re.sub(r"\s*\((?:optional, )?press Enter to skip\)", " (optional)", message)
    text = re.sub(r":?\s*\(optional; press Enter to skip\)", " (optional)", text)
    text = re.sub(r"; press Enter to leave it in English\)", "; leave it empty to keep it in English)", text)
    text = text.replace(" (optional):", " (optional)")
    return text[:-1] if text.endswith(":") else text


def question_json() -> list[dict[str, Any]]:
    """The wizard's questions, as the page builds its form from them (worded for a page, not a terminal)."""
    return [{"key": question.key, "message": page_text(question.message), "kind": question.kind,
             "required": question.required, "label": question.label or question.key,
             "choices": [list(c) for c in question.choices], "default": question.default,
             "instruction": question.instruction} for question in q.QUESTIONS]


def _flat(data: Any) -> dict[str, Any]:
    """The answers a page sent, as the wizard's flat mapping (only known keys)."""
    if not isinstance(data, dict):
        return {}
    known = {question.key: question for question in q.QUESTIONS}
    flat: dict[str, Any] = {}
    for key, value in data.items():
        question = known.get(key)
        if question is None:
            continue
        if question.kind == "checkbox":
            flat[key] = tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()
        elif question.kind == "confirm":
            flat[key] = bool(value)
        else:
            flat[key] = None if value in (None, "") else str(value)[:2000]
    return flat


def parse_base(text: str) -> tuple[Any, dict[str, Any], dict[str, str]]:
    """An answers file's text as (practice, the wizard's flat answers, its logo and templates paths as written).

    The page reads nothing from disk: the paths are kept as the file wrote them (and written back on save),
    not opened, so a file that names a logo beside it opens here too.

    Raises:
        ConsentgenError: the text is not a valid answers file (the message names the field).
    """
    from consentgen.errors import DataFileError, Problem
    from consentgen.files.yamlfile import parse_yaml_text
    from consentgen.inputs.answers import PATH_TEXT, parse_practice

    raw = parse_yaml_text(text, "the file")  # the CLI's checks, in memory: an upload never touches the disk
    if not isinstance(raw, dict):
        raise DataFileError("the file", [Problem("", "is not an answers file (a mapping of fields)")])
    paths: dict[str, str] = {}
    if isinstance(raw.get("practice"), dict) and isinstance(raw["practice"].get("logo"), str):
        paths["logo"] = raw["practice"].pop("logo")
    if isinstance(raw.get("templates"), str):
        paths["templates"] = raw.pop("templates")
    problems: list[Problem] = []
    for key, value in paths.items():  # kept as written, so checked by the answers file's own field rules
        PATH_TEXT.check(value, "practice.logo" if key == "logo" else key, problems)
    if problems:
        raise DataFileError("the file", problems)
    practice = parse_practice(raw, "the file")
    return practice, q.flatten(practice), paths


@functools.lru_cache(maxsize=8)  # sent back with every keystroke's check and preview: parsed once per text
def _read_base(text: Any) -> tuple[Any, dict[str, Any], dict[str, str]] | None:
    """The answers file the page opened (its text, sent back with each request), or None.

    The page shows only the wizard's questions; everything else the file holds (translations, branding,
    the logo, templates, multi-line addresses, license_state, part2_records, the form date...) is kept
    from here, so a round trip through the page loses nothing.
    """
    if not isinstance(text, str) or not text.strip() or len(text.encode("utf-8")) > MAX_BODY:
        return None
    try:
        return parse_base(text)
    except ConsentgenError:
        return None


class Answers(NamedTuple):
    """A page's answers laid over the file it opened, checked as the wizard checks them."""

    flat: dict[str, Any]
    errors: dict[str, str]
    practice: Any  # None while any answer has an error
    unchanged: str | None  # the opened file's text, when the answers did not change it
    paths: dict[str, str]  # the opened file's logo and templates paths, as written


def answers_of(data: dict[str, Any]) -> Answers:
    """The answers of a page's request (with the opened file, ``base``, that it sends back)."""
    shown = _flat(data.get("answers"))
    base_text = data.get("base")
    base = _read_base(base_text) if isinstance(base_text, str) else None
    flat = {**base[1], **shown} if base else shown
    errors, practice = asking.check_answers(flat)
    same = base is not None and practice is not None and practice == base[0]
    return Answers(flat, errors, practice, str(base_text) if same else None, base[2] if base else {})
