"""Build a document for one practice: the manifest's sections, signers and citations, decided.

Why here and not in the templates: which sections appear, who signs and which rules are
cited are decisions worth testing without rendering anything. What they are is data, in
the document's manifest; the law comes resolved (``consentgen.law.resolve``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from consentgen.documents import content
from consentgen.documents.content import ContentGap
from consentgen.documents.manifest import Manifest, holds, load_manifest
from consentgen.errors import UsageError
from consentgen.law.load import Jurisdiction, catalogue
from consentgen.law.resolve import resolve
from consentgen.law.translations import Translator
from consentgen.law.view import Basis, LawView, Source
from consentgen.model.languages import REGISTRY
from consentgen.model.options import SOURCE_LANGUAGE, RenderOptions
from consentgen.model.practice import SERVICES, Practice


@dataclass(frozen=True)
class Signer:
    """A signature block: who signs (a key the templates word, and the PDF field names use)."""

    key: str


@dataclass(frozen=True)
class Reference:
    """The citations and sources behind one topic of the document."""

    topic: str
    citations: tuple[str, ...]
    sources: tuple[Source, ...]
    verified_on: dt.date
    status: str
    numbers: tuple[int, ...] = ()
    label: str = ""  # the topic's name in the client's language, for a state's own rule (its title)


@dataclass(frozen=True)
class Document:
    """Everything a template needs, decided and resolved; templates see only this and ``law``."""

    kind: str
    entry: str
    practice: Practice
    law: LawView
    sections: tuple[str, ...]
    signers: tuple[Signer, ...]
    references: tuple[Reference, ...]
    source_list: tuple[Source, ...]
    date: dt.date
    version: str
    paper: str
    client_type: str | None = None
    rests_on: tuple[tuple[str, Basis], ...] = ()  # every rule the manifest cites for this edition, by topic
    logo: str | None = None
    accent_color: str | None = None
    language: str = "en"  # the form's language (a code of model/languages.py): its wording, dates and tags
    templates: str | None = None  # the clinic's template folder it is rendered with (None: the built-in ones)
    content_worded: frozenset[str] = frozenset()  # content elements a state rule asks the form to word
    content_gaps: tuple[ContentGap, ...] = ()  # required content this practice's form does not carry
    license_state_name: str | None = None  # the licensing state's name, when the clinician gave one
    english_texts: frozenset[str] = frozenset()  # own texts printed as written in a form of another language
    members: tuple[Document, ...] = ()  # a packet's documents, in order (its cover is this document)

    @property
    def lang(self) -> str:
        """The page's ``lang`` attribute."""
        return REGISTRY[self.language].html_lang

    @property
    def tag(self) -> str:
        """The language's full tag (the PDF's ``/Lang``)."""
        return REGISTRY[self.language].tag

    @property
    def verified_on(self) -> dt.date:
        """The date the jurisdiction's rules were last checked."""
        return self.law.verified_on

    @property
    def unverified(self) -> tuple[Reference, ...]:
        """The cited rules that are unknown or marked as needing review."""
        return tuple(r for r in self.references if r.status != "verified")

    def bound(self, members: list[Document]) -> Document:
        """This packet cover with its documents: it rests on every rule they rest on (so it says "verified" only
        if all of them are)."""
        seen: dict[str, Basis] = {}
        for doc in members:
            for topic, basis in doc.rests_on:
                seen.setdefault(f"{doc.kind}:{topic}", basis)
        return replace(self, members=tuple(members), rests_on=tuple(seen.items()))

    @property
    def all_verified(self) -> bool:
        """Whether every rule the document rests on was verified (only then may it say "verified")."""
        return all(basis.verified for _, basis in self.rests_on)

    def used_bases(self) -> dict[str, Basis]:
        """The state rules this document's wording rests on, by data name."""
        used = {topic for topic, _ in self.rests_on}
        return {name: basis for name, basis in self.law.bases().items() if name in used}


ConsentForm = Document  # the first document type's old name, kept for the public API


def offered(practice: Practice, document: str = "consent") -> list[str]:
    """The editions (client types) of ``document`` that the practice's services offer, in order."""
    manifest = load_manifest(document)
    return [name for name, service in manifest.client_types if getattr(practice.services, service)]


def editions(practice: Practice, document: str = "consent", wanted: str | None = None) -> list[str | None]:
    """The editions to render: ``wanted``, else every one offered (``[None]`` for a document without editions)."""
    if wanted:
        return [wanted]
    return list(offered(practice, document)) or [None]


def choose_edition(practice: Practice, document: str, wanted: str | None) -> str | None:
    """The edition to build: ``wanted``, or the only one offered.

    Raises:
        UsageError: ``wanted`` is not offered, or several are and none was chosen.
    """
    manifest = load_manifest(document)
    if not manifest.client_types:
        return None
    editions = offered(practice, document)
    if wanted is None:
        if len(editions) <= 1:
            return editions[0] if editions else None
        raise UsageError(f"this practice offers {len(editions)} editions of the form ({', '.join(editions)}); "
                         "choose one with --for TYPE, or give a folder (-o DIR/) to write them all")
    known = [name for name, _ in manifest.client_types]
    if wanted not in known:
        raise UsageError(f"--for {wanted}: unknown client type; use one of: {', '.join(known)}")
    if wanted not in editions:
        raise UsageError(f"--for {wanted}: the answers do not offer this service; offered: {', '.join(editions)}")
    return wanted


def effective_services(practice: Practice, manifest: Manifest, client_type: str | None) -> frozenset[str]:
    """The practice's services as one edition sees them: the other editions' services are off."""
    chosen = set(practice.services.chosen())
    for name, service in manifest.client_types:
        if client_type is not None and name != client_type:
            chosen.discard(service)
    return frozenset(chosen)


def context(services: frozenset[str], law: LawView, client_type: str | None,
            practice: Practice | None = None) -> dict[str, Any]:
    """What a manifest's ``when`` conditions can see."""
    return {"services": {name: name in services for name in SERVICES}, "client_type": client_type, "law": law,
            "policies": practice.policies.given() if practice else [],
            "part2_records": bool(practice and practice.policies.part2_records),
            "self_pay": bool(practice and practice.policies.self_pay)}


# The state's lists a manifest can cite (``state.NAME``), and the topic prefix each one's rules get.
STATE_LISTS = {"disclosures": "disclosure", "release_requirements": "release", "required_content": "content"}


def _references(manifest: Manifest, law: LawView,
                ctx: dict[str, Any]) -> tuple[list[tuple[str, Basis]], list[Reference], list[Source]]:
    """The rules the manifest cites here (by topic), and the numbered references and sources among them."""
    refs: list[tuple[str, Basis]] = []
    labels: dict[str, str] = {}
    for cite in manifest.cites:
        if not holds(cite, ctx):
            continue
        layer, _, name = cite.name.partition(".")
        if name in STATE_LISTS:  # a state's own rules, each its own topic, named by its title
            prefix, rules = STATE_LISTS[name], getattr(law, name)
            refs += [(f"{prefix}:{r.english_title}", r.basis) for r in rules]
            labels.update({f"{prefix}:{r.english_title}": r.title for r in rules})
        elif layer == "federal":
            refs.append((f"federal:{name}", law.federal[name].basis))
        else:
            refs.append((name, law.bases()[name]))
    source_list: list[Source] = []
    seen: dict[tuple[str, str], int] = {}
    numbered: list[Reference] = []
    for topic, basis in refs:
        if not basis.citations:
            continue
        numbers = []
        for src in basis.sources:
            if src.type != "primary":  # secondary sources are evidence for reviewers, not the client's copy
                continue
            key = (src.label, src.url)
            if key not in seen:
                source_list.append(src)
                seen[key] = len(source_list)
            numbers.append(seen[key])
        numbered.append(Reference(topic, basis.citations, basis.sources, basis.verified_on, basis.status,
                                  tuple(numbers), labels.get(topic, topic.split(":", 1)[-1])))
    return refs, numbered, source_list


def _state_name(code: str | None, language: str) -> str | None:
    """A state's name in the client's language (None when no such state was given)."""
    name = catalogue().get(code or "")
    if not name or not code:
        return None
    return Translator(code, language)("name", name)


def untranslated_message(language: str, fields: list[str], *, printed: bool = False) -> str:
    """Why a form in ``language`` is refused (or, ``printed``, what it prints in English), with a snippet to
    paste into the answers file."""
    name = REGISTRY[language].english_name
    snippet = ["translations:", f"  {language}:"]
    for group in ("clinician", "policies"):
        keys = [f.split(".", 1)[1] for f in fields if f.startswith(group + ".")]
        if keys:
            snippet.append(f"    {group}:")
            snippet += [f"      {key}: \"(your {name} text)\"" for key in keys]
    verb = "prints" if printed else "would print"
    close = ("it is printed as written and marked as English (--allow-english-texts)" if printed else
             "or pass --allow-english-texts to print it as written, marked as English")
    return (f"the {name} form {verb} your own text in English ({', '.join(fields)}). Add its {name} to the "
            "answers file (paste this and fill it in):\n" + "\n".join(snippet) + f"\n{close}")


def build_document(practice: Practice, jurisdiction: Jurisdiction, *, today: dt.date, version: str,
                   options: RenderOptions | None = None, logo: str | None = None) -> Document:
    """Decide the sections, signers, resolved rules and references of ``practice``'s document.

    ``logo`` is the practice logo as a ``data:`` URL (read by the caller), or None.

    Raises:
        ValueError: the jurisdiction is not the practice's (a caller's bug).
    """
    options = options or RenderOptions()
    if jurisdiction.code != practice.jurisdiction.upper():
        raise ValueError(f"form for {practice.jurisdiction} built with rules for {jurisdiction.code}")
    manifest = load_manifest(options.document)
    english = frozenset(practice.untranslated(options.language)) if options.language != SOURCE_LANGUAGE else \
        frozenset()
    if english and not options.allow_english_texts:
        raise UsageError(untranslated_message(options.language, sorted(english)))
    practice = practice.in_language(options.language)  # the clinician's own texts in the form's language
    client_type = choose_edition(practice, options.document, options.client_type)
    services = effective_services(practice, manifest, client_type)
    law = resolve(jurisdiction, practice.clinician.profession, services, options.language)
    ctx = context(services, law, client_type, practice)
    rests_on, references, sources = _references(manifest, law, ctx)
    return Document(
        kind=manifest.id, entry=manifest.entry, practice=practice, law=law,
        sections=tuple(s.name for s in manifest.sections if holds(s, ctx)),
        signers=tuple(Signer(s.name) for s in manifest.signers if holds(s, ctx)),
        references=tuple(references), source_list=tuple(sources),
        date=max(practice.form.date or today, today) if manifest.dated_on_issue else practice.form.date or today,
        version=version, paper=options.paper or law.paper,
        client_type=client_type, rests_on=tuple(rests_on), logo=logo, accent_color=practice.branding.accent_color,
        content_worded=content.worded(manifest, law), content_gaps=content.gaps(manifest, law, practice),
        license_state_name=_state_name(practice.clinician.license_state, options.language),
        language=options.language, templates=options.templates or practice.templates, english_texts=english,
    )


def build_form(practice: Practice, jurisdiction: Jurisdiction, *, today: dt.date, version: str,
               logo: str | None = None, client_type: str | None = None) -> Document:
    """The consent form for ``practice``, for one client type (needed when several are offered)."""
    return build_document(practice, jurisdiction, today=today, version=version, logo=logo,
                          options=RenderOptions(client_type=client_type))
