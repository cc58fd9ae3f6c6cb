"""Independent state reviews: the record kept beside each jurisdiction (``jurisdictions/reviews/US-XX.md``).

Each record opens with a YAML header (code, date, reviewer, counts of findings, fixed and open); the body
is the review itself, for people. This module reads and checks the header, for ``jurisdictions show``,
its JSON and ``check --jurisdictions``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from consentgen.errors import DataFileError, Problem
from consentgen.files.assets import jurisdictions_dir
from consentgen.model.validate import INVALID, Date, Field, Int, Record, Text

HEADER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
REVIEW = Record({
    "code": Field(Text(max_len=10, pattern=r"US(-[A-Z]{2})?",
                       hint="must be a code like US-TX (or US, the federal layer)")),
    "reviewed_on": Field(Date()),
    "reviewer": Field(Text(max_len=300)),
    "scope": Field(Text(max_len=600), required=False),
    "findings": Field(Int(0, 1000)),
    "fixed": Field(Int(0, 1000)),
    "open": Field(Int(0, 1000)),
})


@dataclass(frozen=True)
class Review:
    """The summary of one state's independent review."""

    code: str
    reviewed_on: dt.date
    reviewer: str
    findings: int
    fixed: int
    open: int
    path: str  # relative to the jurisdictions folder

    def as_json(self) -> dict[str, Any]:
        """The ``review`` object of ``jurisdictions show CODE --json``."""
        return {"reviewed_on": self.reviewed_on.isoformat(), "reviewer": self.reviewer, "findings": self.findings,
                "fixed": self.fixed, "open": self.open, "file": self.path}


def review_path(code: str) -> Path:
    """Where a state's review record lives."""
    return jurisdictions_dir() / "reviews" / f"{code}.md"


def read_review(code: str) -> Review | None:
    """The review record of ``code``, or None when it has none.

    Raises:
        DataFileError: the record's header is missing, not YAML, or its counts do not add up.
    """
    path = review_path(code)
    if not path.is_file():
        return None
    name = str(path)
    match = HEADER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise DataFileError(name, [Problem("", "must open with a YAML header between '---' lines")])
    try:
        raw = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise DataFileError(name, [Problem("", f"YAML error in the header: {exc}")]) from None
    problems: list[Problem] = []
    data = REVIEW.check(raw, "", problems)
    if data is INVALID or problems:
        raise DataFileError(name, problems or [Problem("", "is not valid")])
    if data["code"] != code:
        problems.append(Problem("code", f"is {data['code']}, but the file is the review of {code}"))
    if data["findings"] != data["fixed"] + data["open"]:
        problems.append(Problem("findings", f"is {data['findings']}, but fixed + open is "
                                            f"{data['fixed'] + data['open']}"))
    if data["reviewed_on"] > dt.date.today():
        problems.append(Problem("reviewed_on", "is in the future"))
    if problems:
        raise DataFileError(name, problems)
    return Review(code, data["reviewed_on"], data["reviewer"], data["findings"], data["fixed"], data["open"],
                  f"reviews/{code}.md")
