"""Which sites a source may be called primary on: official sites and established legal publishers.

The list is data (``jurisdictions/publishers.yaml``, each entry with its reason); this module
only reads it and matches a URL's host against it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlsplit

from consentgen.errors import DataFileError, Problem
from consentgen.files.assets import jurisdictions_dir
from consentgen.files.yamlfile import read_yaml
from consentgen.model.validate import INVALID, Field, ListOf, Record, Text

PUBLISHERS_FILE = "publishers.yaml"
_DOMAIN = Text(max_len=100, pattern=r"[a-z0-9.-]+\.[a-z]{2,}", hint="must be a lower-case domain")
_REASON = Field(Text(max_len=300))
SPEC = Record({
    "official_suffixes": Field(ListOf(Record({"suffix": Field(Text(max_len=20, pattern=r"\.[a-z]{2,}",
                                                                      hint="must be like .gov")),
                                              "reason": _REASON}))),
    "official": Field(ListOf(Record({"domain": Field(_DOMAIN), "reason": _REASON}))),
    "publishers": Field(ListOf(Record({"domain": Field(_DOMAIN), "reason": _REASON}))),
})


@functools.lru_cache(maxsize=2)
def _listed(path: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    problems: list[Problem] = []
    data = SPEC.check(read_yaml(Path(path)), "", problems)
    if data is INVALID or problems:
        raise DataFileError(path, problems or [Problem("", "is not valid")])
    suffixes = tuple(e["suffix"] for e in data["official_suffixes"])
    domains = tuple(e["domain"] for e in data["official"] + data["publishers"])
    return suffixes, domains


def listed(url: str) -> bool:
    """Whether ``url`` is on an official site or an established publisher's (or a subdomain of one)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    suffixes, domains = _listed(str(jurisdictions_dir() / PUBLISHERS_FILE))
    return any(host.endswith(s) for s in suffixes) or any(host == d or host.endswith("." + d) for d in domains)


def unlisted_primary(sources: dict[str, dict[str, str]]) -> list[Problem]:
    """A problem for each source called primary on a site that is not on the list."""
    return [Problem(f"sources.{sid}.type",
                    f"'primary' needs an official site or an established legal publisher "
                    f"(listed in jurisdictions/{PUBLISHERS_FILE}); '{urlsplit(src['url']).hostname}' is not "
                    "listed, so call this copy 'secondary' or cite the text where it is published")
            for sid, src in sources.items() if src["type"] == "primary" and not listed(src["url"])]
