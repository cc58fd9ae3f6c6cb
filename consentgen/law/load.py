"""Jurisdiction files: read, validate (against ``law.schema``), catalogue and look up by code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consentgen.errors import DataFileError, Problem, UnknownJurisdictionError
from consentgen.files.assets import jurisdictions_dir
from consentgen.files.yamlfile import read_yaml
from consentgen.law.publishers import unlisted_primary
from consentgen.law.schema import CODE_RE, FEDERAL, FEDERAL_CODE, STATE
from consentgen.model.validate import INVALID, Spec


@dataclass(frozen=True)
class Jurisdiction:
    """One validated jurisdiction file, with its parent (federal) layer."""

    code: str
    name: str
    paper: str
    verified_on: dt.date
    data: dict[str, Any]
    parent: Jurisdiction | None = None

    @property
    def sources(self) -> dict[str, dict[str, str]]:
        """The declared sources by id."""
        result: dict[str, dict[str, str]] = self.data["sources"]
        return result

    @property
    def rules_verified_on(self) -> dt.date:
        """The oldest verification date of this layer and its parent."""
        dates = [self.verified_on] + ([self.parent.verified_on] if self.parent else [])
        return min(dates)


def _validate(raw: Any, spec: Spec, filename: str) -> dict[str, Any]:
    problems: list[Problem] = []
    data = spec.check(raw, "", problems)
    if data is INVALID or problems:
        raise DataFileError(filename, problems or [Problem("", "is not valid")])
    result: dict[str, Any] = data
    return result


def read_jurisdiction(path: str | Path, *, with_parent: bool = True) -> Jurisdiction:
    """Read and validate one jurisdiction file (state or federal layer).

    Each file is parsed once while it is unchanged (same modification time and size); its
    parent layer is looked up afresh, so a change to the federal file is seen too.
    """
    path = Path(path)
    try:
        info = path.stat()
        stamp = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = (0, 0)
    layer = _read_layer(str(path), stamp)
    if layer.code != FEDERAL_CODE and with_parent:
        return dataclasses.replace(layer, parent=load_jurisdiction(layer.data["parent"]))
    return layer


@functools.lru_cache(maxsize=128)
def _read_layer(name: str, stamp: tuple[int, int]) -> Jurisdiction:
    path = Path(name)
    key = _cache_key(path)
    data = _cached(key)
    if data is None:
        raw = read_yaml(path)
        is_federal = isinstance(raw, dict) and raw.get("code") == FEDERAL_CODE
        data = _validate(raw, FEDERAL if is_federal else STATE, str(path))
        unlisted = unlisted_primary(data["sources"])
        if unlisted:
            raise DataFileError(str(path), unlisted)
        _keep(key, data)
    if path.stem != data["code"]:
        raise DataFileError(str(path), [Problem("code", f"'{data['code']}' must match the file name '{path.stem}'")])
    return Jurisdiction(code=data["code"], name=data["name"], paper=data["paper"],
                        verified_on=data["verified_on"], data=data)


# A state file, once read and validated, is kept in the user's private cache folder, so a cold render does not
# parse and validate it again (about 40 ms of a 1.2 s render). The key is the file's bytes and the code and data
# that decide what is valid (schema, validator, publishers), so any change to either is read afresh; a damaged,
# unreadable or unwritable cache only means the file is read again.
_CODE_THAT_VALIDATES = ("law/schema.py", "model/validate.py", "law/publishers.py", "law/load.py")


@functools.lru_cache(maxsize=1)
def _validator_stamp() -> bytes:
    import hashlib

    from consentgen.version import __version__

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for name in _CODE_THAT_VALIDATES:
        digest.update((root / name).read_bytes())
    with_publishers = jurisdictions_dir() / "publishers.yaml"
    if with_publishers.is_file():
        digest.update(with_publishers.read_bytes())
    return digest.digest()


def _cache_key(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(_validator_stamp() + path.read_bytes()).hexdigest()
    except OSError:
        return None


def _cache_file(key: str | None, create: bool) -> Path | None:
    from consentgen.files.userdirs import cache_dir, private_folder

    folder = cache_dir(create) if key else None
    law = private_folder(folder / "law", create) if folder else None
    return law / f"{key}.pickle" if law else None


def _cached(key: str | None) -> dict[str, Any] | None:
    import pickle

    path = _cache_file(key, create=False)
    if path is None or not path.is_file():
        return None
    try:
        data = pickle.loads(path.read_bytes())  # noqa: S301 - our own file, in a folder only this user can write
    except Exception:  # noqa: BLE001 - a damaged cache file is ignored, never trusted
        return None
    return data if isinstance(data, dict) else None


def _keep(key: str | None, data: dict[str, Any]) -> None:
    import os
    import pickle

    path = _cache_file(key, create=True)
    if path is None:
        return
    try:
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, path)
    except OSError:
        return


def normalize_code(code: str) -> str:
    """Upper-case a code and accept 'us-ca', 'US_CA' and 'CA' spellings."""
    code = code.strip().upper().replace("_", "-")
    if re.fullmatch(r"[A-Z]{2}", code) and code != FEDERAL_CODE and f"US-{code}" in catalogue():
        code = f"US-{code}"
    return code


@functools.lru_cache(maxsize=4)
def _catalogue(folder: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.stem == FEDERAL_CODE or not CODE_RE.fullmatch(path.stem):
            continue
        name = path.stem
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        match = re.search(r"^name:\s*[\"']?(.+?)[\"']?\s*$", head, re.MULTILINE)
        if match:
            name = match.group(1)
        found[path.stem] = name
    return found


def catalogue() -> dict[str, str]:
    """Known jurisdiction codes and names (states only), without parsing every file."""
    return dict(_catalogue(jurisdictions_dir()))


def name_of(code: str) -> str:
    """A jurisdiction's name as its data file writes it (English), or the code for an unknown one."""
    return catalogue().get(code, code)


def has_jurisdiction(code: str) -> bool:
    """Whether ``code`` names a built-in jurisdiction."""
    return normalize_code(code) in catalogue()


def _suggest(wanted: str, known: dict[str, str], typed: str) -> list[str]:
    """Known codes one letter away (same first letter first), or a state name close to ``typed``."""
    near: list[tuple[int, str]] = []
    for code in known:
        if len(code) == len(wanted) and code[:3] == wanted[:3]:
            diff = sum(a != b for a, b in zip(code, wanted, strict=True))
            if diff == 1:
                near.append((0 if code[3] == wanted[3:4] else 1, code))
    guesses = [code for _, code in sorted(near)][:3]
    by_name = {name.upper(): c for c, name in known.items()}
    guesses += [by_name[n] for n in difflib.get_close_matches(typed.strip().upper(), list(by_name), n=1, cutoff=0.7)]
    if not guesses:
        guesses = difflib.get_close_matches(wanted, list(known), n=2, cutoff=0.6)
    return list(dict.fromkeys(guesses))


def unknown_message(code: str) -> str:
    """The message for an unknown code, with the closest known codes or names."""
    known = catalogue()
    guesses = _suggest(normalize_code(code), known, code)
    tip = f" (did you mean {' or '.join(repr(g) for g in guesses)}?)" if guesses else ""
    codes = list(known)
    listing = ", ".join(codes) if len(codes) <= 8 else f"{len(codes)} jurisdictions, {codes[0]} to {codes[-1]}"
    return f"unknown jurisdiction '{code}'{tip}; known: {listing}; run 'consentgen jurisdictions' for the list"


def load_jurisdiction(code: str) -> Jurisdiction:
    """Load a built-in jurisdiction by code (states get the federal layer as parent).

    Raises:
        UnknownJurisdictionError: no such code.
        DataFileError: the built-in file is invalid.
    """
    wanted = normalize_code(code)
    folder = jurisdictions_dir()
    if wanted != FEDERAL_CODE and wanted not in catalogue():
        raise UnknownJurisdictionError(unknown_message(code))
    return read_jurisdiction(folder / f"{wanted}.yaml")


def list_jurisdictions() -> list[Jurisdiction]:
    """Every built-in state jurisdiction, validated, in code order."""
    return [load_jurisdiction(code) for code in catalogue()]


