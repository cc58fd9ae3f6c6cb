"""Build a document for one practice: the manifest's sections, signers and citations, decided.

Why here and not in the templates: which sections appear, who signs and which rules are
cited are decisions worth testing without rendering anything. What they are is data, in
the document's manifest; the law comes resolved (``consentgen.law.resolve``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from consentgen.documents.manifest import Manifest, holds, load_manifest
from consentgen.law.load import Jurisdiction
from consentgen.law.resolve import Basis, LawView, Source, resolve
from consentgen.model.options import RenderOptions
from consentgen.model.practice import Practice


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
    logo: str | None = None
    accent_color: str | None = None
    lang: str = "en-US"

    @property
    def verified_on(self) -> dt.date:
        """The date the jurisdiction's rules were last checked."""
        return self.law.verified_on


ConsentForm = Document  # the first document type's old name, kept for the public API


def context(practice: Practice, law: LawView, client_type: str | None) -> dict[str, Any]:
    """What a manifest's ``when`` conditions can see."""
    services = {name: getattr(practice.services, name) for name in practice.services.__dataclass_fields__}
    return {"services": services, "client_type": client_type, "law": law}


def _references(manifest: Manifest, law: LawView, ctx: dict[str, Any]) -> tuple[list[Reference], list[Source]]:
    refs: list[tuple[str, Basis]] = []
    for cite in manifest.cites:
        if not holds(cite, ctx):
            continue
        layer, _, name = cite.name.partition(".")
        if name == "disclosures":
            refs += [(f"disclosure:{d.title}", d.basis) for d in law.disclosures]
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
            key = (src.label, src.url)
            if key not in seen:
                source_list.append(src)
                seen[key] = len(source_list)
            numbers.append(seen[key])
        numbered.append(Reference(topic, basis.citations, basis.sources, basis.verified_on, basis.status,
                                  tuple(numbers)))
    return numbered, source_list


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
    law = resolve(jurisdiction, practice.clinician.profession, frozenset(practice.services.chosen()))
    ctx = context(practice, law, options.client_type)
    references, sources = _references(manifest, law, ctx)
    return Document(
        kind=manifest.id, entry=manifest.entry, practice=practice, law=law,
        sections=tuple(s.name for s in manifest.sections if holds(s, ctx)),
        signers=tuple(Signer(s.name) for s in manifest.signers if holds(s, ctx)),
        references=tuple(references), source_list=tuple(sources),
        date=practice.form.date or today, version=version, paper=options.paper or law.paper,
        client_type=options.client_type, logo=logo, accent_color=practice.branding.accent_color,
    )


def build_form(practice: Practice, jurisdiction: Jurisdiction, *, today: dt.date, version: str,
               logo: str | None = None) -> Document:
    """The consent form for ``practice`` (``build_document`` with the default options)."""
    return build_document(practice, jurisdiction, today=today, version=version, logo=logo)
