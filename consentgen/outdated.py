"""``consentgen outdated``: which forms rest on law that has changed since they were made.

Reads form records from a batch manifest (``manifest.json``) or from a PDF's attached record,
resolves each form's rules with the installed jurisdiction data and compares content hashes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from consentgen.documents.record import RECORD_NAME
from consentgen.errors import DataFileError, Problem
from consentgen.law.changes import Change, compare
from consentgen.law.load import load_jurisdiction
from consentgen.law.resolve import resolve
from consentgen.law.vocabulary import RULE_NAMES


@dataclass
class FormStatus:
    """One form and what changed in the law behind it."""

    form: str
    record: dict[str, Any]
    changes: list[Change] = field(default_factory=list)

    @property
    def outdated(self) -> bool:
        """Whether any rule the form rests on changed."""
        return bool(self.changes)


MAX_PDF = 50_000_000  # bytes of a PDF read (a form is about 0.3 MB)
MAX_MANIFEST = 200_000_000  # bytes of a manifest read (5000 clinicians in two languages take about 100 MB)


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is refused before it is read."""
    try:
        info = path.stat()  # follows a link: what is read is what it points to
    except OSError as exc:
        raise DataFileError(str(path), [Problem("", f"cannot be read ({exc.strerror or exc})")]) from None
    import stat

    if not stat.S_ISREG(info.st_mode):
        raise DataFileError(str(path), [Problem("", "is not a regular file (a device, pipe or folder)")])
    if info.st_size > limit:
        raise DataFileError(str(path), [Problem("", f"is too large (more than {limit // 1_000_000} MB)")])
    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except OSError as exc:
        raise DataFileError(str(path), [Problem("", f"cannot be read ({exc.strerror or exc})")]) from None


def _json(data: bytes | str, path: Path, what: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        detail = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise DataFileError(str(path), [Problem(what, f"is not JSON ({detail})")]) from None


def _records(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], Any]:
    """Each form's name and record in a PDF or a batch manifest, and the manifest's ``source`` (None for a PDF)."""
    if path.suffix.lower() == ".pdf":
        return [(str(path), pdf_record(path)[1])], None
    manifest = _json(_read_regular(path, MAX_MANIFEST), path, "")
    forms = manifest.get("forms") if isinstance(manifest, dict) else None
    if not isinstance(forms, list):
        raise DataFileError(str(path), [Problem("forms", "is missing: give a batch manifest.json or a PDF")])
    found = []
    for i, item in enumerate(forms):
        if not isinstance(item, dict) or not isinstance(item.get("record"), dict):
            raise DataFileError(str(path), [Problem(f"forms[{i}].record", "is missing (a manifest from before "
                                                                          "consentgen 0.2?); re-run the batch")])
        found.append((str(item.get("file", f"form {i + 1}")), item["record"]))
    return found, manifest.get("source")


def pdf_record(path: Path) -> tuple[Any, Any]:
    """A consentgen PDF, read once: its ``pypdf`` reader and the form record it carries.

    Raises:
        DataFileError: not a readable PDF, or one without a record, or one another program made.
    """


    return pdf_record_of(_read_regular(path, MAX_PDF), str(path))


def pdf_record_of(raw: bytes, name: str) -> tuple[Any, Any]:
    """``pdf_record`` for a PDF's bytes (an upload), named ``name`` in messages."""
    import io

    import pypdf

    path = Path(name)
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        data = reader.attachments.get(RECORD_NAME)
        meta = reader.metadata
        creator = str(meta.get("/Creator", "")) if meta else ""
    except Exception as exc:  # noqa: BLE001 - any unreadable PDF
        raise DataFileError(str(path), [Problem("", f"is not a readable PDF ({type(exc).__name__})")]) from None
    if not data:
        raise DataFileError(str(path), [Problem("", f"has no {RECORD_NAME} (not made by consentgen 0.2 or "
                                                    "later)")])
    if not creator.startswith("consentgen"):
        maker = creator or "an unknown program"
        raise DataFileError(str(path), [Problem("", f"was not made by consentgen (made by {maker}): its "
                                                    f"{RECORD_NAME} cannot be trusted")])
    return reader, _json(data[0], path, RECORD_NAME)


def _checked(record: Any) -> str | None:
    """What is wrong with a record's shape, or None: every field ``outdated`` reads, with its type."""
    from consentgen.model.practice import PROFESSIONS, SERVICES

    if not isinstance(record, dict):
        return "is not an object"
    code = record.get("jurisdiction")
    if not isinstance(code, str) or not code.startswith("US-"):
        return "jurisdiction: is not a state code such as US-CA"
    if record.get("profession") not in (None, *PROFESSIONS):
        return f"profession: {str(record.get('profession'))[:40]!r} is not a profession"
    services = record.get("services") or []
    if not isinstance(services, list) or any(s not in SERVICES for s in services):
        return "services: is not a list of services"
    rules = record.get("rules")
    if not isinstance(rules, dict) or not all(
            isinstance(k, str) and isinstance(v, dict) and isinstance(v.get("fields", {}), dict)
            for k, v in rules.items()):
        return "rules: is not an object of rules"
    return None


def check_outdated(path: str | Path) -> list[FormStatus]:
    """The status of every form a manifest or PDF describes.

    Raises:
        DataFileError: the file is unreadable, or holds no form records, or a record is malformed.
    """
    return _check(Path(path))[0]


def _check(path: Path) -> tuple[list[FormStatus], Any]:
    """``check_outdated``, and the manifest's ``source`` (what the batch was made from), from one read."""
    records, source = _records(path)
    return [form_status(path, name, record) for name, record in records], source


# A manifest's ``state.NAME`` list and where its rules live in the data (the keys ``compare`` sees).
_LIST_KEYS = {"disclosures": "other_disclosures", "release_requirements": "release_requirements",
              "required_content": "required_content"}


def _cited_lists(document: str) -> set[str]:
    """The state lists (and rules every edition cites) of the record's document type: a rule newly added elsewhere
    is not its change."""
    from consentgen.documents.manifest import load_manifest
    from consentgen.errors import ConsentgenError

    try:
        manifest = load_manifest(document)
    except ConsentgenError:  # a document type this version does not know: compare every list, as before
        return set(_LIST_KEYS.values())
    if manifest.packet:  # a packet cites what its documents cite
        return set().union(*(_cited_lists(member.name) for member in manifest.packet))
    lists = {_LIST_KEYS[name] for cite in manifest.cites
             if (name := cite.name.partition(".")[2]) in _LIST_KEYS and cite.name.startswith("state.")}
    # A state rule every edition cites: a form made before the data had it would word it now.
    always = {name for cite in manifest.cites if cite.name.startswith("state.") and not cite.when
              and (name := cite.name.partition(".")[2]) in RULE_NAMES}
    return lists | always


def form_status(path: Path, name: str, record: Any) -> FormStatus:
    """One form's record against today's law data.

    Raises:
        DataFileError: the record is malformed or incomplete (``path``: ``name``: why).
    """
    problem = _checked(record)
    if problem:
        raise DataFileError(str(path), [Problem(name, f"the record is malformed: {problem}")])
    try:
        law = resolve(load_jurisdiction(str(record["jurisdiction"])), record.get("profession"),
                      set(record.get("services") or ()))
        changes = compare(record["rules"], law, _cited_lists(str(record.get("document") or "consent")))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataFileError(str(path), [Problem(name, f"the record is incomplete ({exc})")]) from None
    return FormStatus(name, record, changes)


def outdated_json(statuses: list[FormStatus]) -> list[dict[str, Any]]:
    """The ``--json`` shape: one object per form."""
    return [{"form": s.form, "jurisdiction": s.record.get("jurisdiction"), "client_type": s.record.get("client_type"),
             "made_with": s.record.get("consentgen"), "form_date": s.record.get("form_date"), "outdated": s.outdated,
             "changes": [{"rule": c.key, "kind": c.kind, "fields": list(c.fields), "verified_on": c.verified_on,
                          "summary": c.summary()} for c in s.changes]} for s in statuses]


def new_wording(record: dict[str, Any], names: set[str], today: Any = None) -> dict[str, str]:
    """What today's form for the record's practice says under each rule in ``names`` (its data name), as text.

    The form is built for a stand-in practice with the record's state, profession, services, edition and
    language; each rule's wording is the text of the block the templates mark ``data-rule="NAME"``.
    """
    import datetime as dt

    from consentgen.inputs.answers import parse_practice
    from consentgen.model.options import Output, RenderOptions
    from consentgen.pipeline import make_bound_document
    from consentgen.render.html import render_page

    answers = {"practice": {"name": "Practice", "address": "Address", "phone": "(555) 555-0100",
                            "email": "office@example.com"},
               "clinician": {"name": "Clinician", "credentials": "Credentials",
                             "profession": record.get("profession") or "counselor", "license": "00000"},
               "jurisdiction": record["jurisdiction"],
               "services": {s: True for s in record.get("services") or ()},
               "form": {"language": str(record.get("language") or "en")}}
    try:
        practice = parse_practice(answers, "record")
        doc = make_bound_document(practice, RenderOptions(document=str(record.get("document") or "consent"),
                                                          client_type=record.get("client_type") or None,
                                                          language=str(record.get("language") or "en")),
                                  today=today or dt.date.today())
        page = "".join(render_page(part, Output(fields=False)).html for part in doc.members or (doc,))
    except Exception:  # noqa: BLE001 - the explanation is a help; the change list stands without it
        return {}
    return _rule_blocks(page, names)


class _RuleBlocks(HTMLParser):
    """Collects the text inside each element marked ``data-rule`` whose value is in ``names``."""

    def __init__(self, names: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.names = names
        self.found: dict[str, list[str]] = {}
        self.open: list[tuple[str, str | None]] = []  # (tag, rule) for each open element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "input", "img", "meta", "link", "hr"):
            return
        self.open.append((tag, dict(attrs).get("data-rule")))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop()[0] == tag:
                break
        if tag in ("p", "li", "h3"):
            self._add("\n")

    def handle_data(self, data: str) -> None:
        self._add(data)

    def _add(self, text: str) -> None:
        for _, rule in self.open:
            if rule in self.names:
                self.found.setdefault(rule, []).append(text)


def _rule_blocks(page: str, names: set[str]) -> dict[str, str]:
    """The text inside each element marked ``data-rule`` whose value is in ``names``."""
    parser = _RuleBlocks(names)
    parser.feed(page)
    return {rule: "\n".join(" ".join(line.split()) for line in "".join(parts).split("\n") if line.strip())
            for rule, parts in parser.found.items()}


def _document_option(document: str) -> str:
    """The command-line option that makes a document type ('' for the consent form)."""
    return "" if document == "consent" else " --packet" if document == "packet" else f" --document {document}"


def rerender_hint(path: Path, source: Any, documents: list[str] | None = None) -> str:
    """The command that makes the forms again: the batch a manifest's ``source`` records, else the general form;
    one command per document type among ``documents`` (a packet is made again with --packet, not as a consent
    form), joined by 'and'."""
    kinds = list(dict.fromkeys(documents or ["consent"]))
    if isinstance(source, dict) and isinstance(source.get("clinic"), str) and isinstance(source.get("roster"), str):
        base = f"consentgen batch {source['clinic']} {source['roster']} -o {path.parent}"
    elif path.suffix.lower() == ".json":
        base = f"consentgen batch CLINIC.yaml ROSTER.csv -o {path.parent}"
    else:
        base = f"consentgen render ANSWERS.yaml -o {path}"
    return " and ".join(base + _document_option(kind) for kind in kinds)


@dataclass
class Checked:
    """What ``outdated`` found in one manifest or PDF."""

    path: Path
    statuses: list[FormStatus]
    rerender: str  # the command that makes these forms again


def expand(paths: list[str | Path]) -> tuple[list[Path], list[str]]:
    """The manifests and PDFs to check: each file as given; in a folder, its ``manifest.json`` (a batch folder),
    else every PDF below it (forms set aside in ``superseded/`` are left out). Also the lines for folders with
    nothing to check."""
    files: list[Path] = []
    notes: list[str] = []
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            files.append(path)
            continue
        if (path / "manifest.json").is_file():
            files.append(path / "manifest.json")
            continue
        found = sorted(p for p in path.rglob("*.pdf") if "superseded" not in p.relative_to(path).parts)
        if not found:
            notes.append(f"{path}: no manifest.json and no PDF in this folder; nothing to check")
        files += found
    return files, notes


def check_all(paths: list[str | Path]) -> tuple[list[Checked], list[str]]:
    """Check every manifest and PDF in ``paths`` (files or folders). A PDF found in a folder that consentgen did
    not make (a scan, a signed copy saved from another program) is skipped with a line saying why; a file named
    on the command line that cannot be checked is an error.

    Raises:
        DataFileError: a named file is unreadable or holds no form records, or a record is malformed.
    """
    files, notes = expand(paths)
    named = {Path(p) for p in paths}
    checked = []
    for path in files:
        try:
            statuses, source = _check(path)
        except DataFileError as exc:
            if path in named:
                raise
            notes.append(f"{path}: skipped: {exc.problems[0].message if exc.problems else exc.message}")
            continue
        kinds = [str(s.record.get("document") or "consent") for s in statuses if s.outdated] or \
            [str(s.record.get("document") or "consent") for s in statuses]
        checked.append(Checked(path, statuses, rerender_hint(path, source, sorted(set(kinds)))))
    return checked, notes


SIGNING = ("Clients who signed an earlier version: consentgen's law data holds no rule on whether they must sign "
           "the new one, so that is your decision. If you ask them to, explain at the next session what changed.")


def explain(statuses: list[FormStatus]) -> dict[int, dict[str, str]]:
    """For each outdated form (by ``id``), what today's form says under each changed rule (by data name).

    The wording is built once per state, profession, edition, language and services, however many forms share it.
    """
    built: dict[tuple[Any, ...], dict[str, str]] = {}
    found: dict[int, dict[str, str]] = {}
    for status in statuses:
        if not status.outdated:
            continue
        record = status.record
        kind = (record.get("jurisdiction"), record.get("profession"), record.get("client_type"),
                record.get("language"), record.get("document"), tuple(sorted(record.get("services") or ())))
        names = {change.key.split(":", 1)[1] for change in status.changes}
        known = built.setdefault(kind, {})
        if not names <= set(known):
            known.update(new_wording(record, names - set(known)))
        found[id(status)] = known
    return found
