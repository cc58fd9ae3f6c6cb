"""The whole pipeline for one practice: law -> document -> HTML -> PDF -> file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from consentgen.documents.document import Document, build_document, context, editions
from consentgen.documents.manifest import holds, load_manifest
from consentgen.errors import OutputError
from consentgen.files.assets import logo_data_url
from consentgen.files.output import write_atomic
from consentgen.files.protect import check_replaceable, guard_for
from consentgen.law.load import load_jurisdiction
from consentgen.model.options import RenderOptions, form_file_name, language_suffix
from consentgen.model.practice import Practice
from consentgen.render.registry import Rendered, format_for, get_format, render_document
from consentgen.version import __version__


@dataclass(frozen=True)
class Result:
    """What was written, and the document it came from."""

    path: Path
    form: Document
    size: int
    fingerprint: str


def make_document(practice: Practice, options: RenderOptions | None = None, *, today: dt.date) -> Document:
    """Load the practice's law and build its document."""
    jurisdiction = load_jurisdiction(practice.jurisdiction)
    return build_document(practice, jurisdiction, today=today, version=__version__, options=options,
                          logo=logo_data_url(practice.practice.logo))


def make_form(practice: Practice, *, today: dt.date, client_type: str | None = None) -> Document:
    """The consent form for ``practice``, for one client type (needed when several are offered)."""
    return make_document(practice, RenderOptions(client_type=client_type), today=today)


def packet_members(practice: Practice, cover: Document, options: RenderOptions, *, today: dt.date) -> list[Document]:
    """The documents a packet binds for this practice and edition, in order ([] for a document of its own)."""
    manifest = load_manifest(cover.kind)
    if not manifest.packet:
        return []
    ctx = context(frozenset(practice.services.chosen()), cover.law, cover.client_type, practice)
    return [make_document(practice, options.but(document=entry.name, client_type=cover.client_type), today=today)
            for entry in manifest.packet if holds(entry, ctx)]


def make_bound_document(practice: Practice, options: RenderOptions, *, today: dt.date) -> Document:
    """``make_document``; for a packet, its cover bound to the documents it holds (``Document.members``)."""
    doc = make_document(practice, options, today=today)
    members = packet_members(practice, doc, options, today=today)
    return doc.bound(members) if members else doc


def render(practice: Practice, options: RenderOptions, *, today: dt.date) -> tuple[Document, Rendered]:
    """Build and render ``practice``'s document (or packet); nothing is written."""
    doc = make_bound_document(practice, options, today=today)
    if doc.members:
        from consentgen.render.packet import render_packet

        return doc, render_packet(doc, list(doc.members), options.output)
    return doc, render_document(doc, options.output)


def language_path(path: str | Path, language: str) -> Path:
    """The file for one language: the name given for English, ``NAME-LANG.pdf`` for another."""
    path = Path(path)
    return path.with_name(f"{path.stem}{language_suffix(language)}{path.suffix}")


def languages_for(practice: Practice, wanted: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The languages to render: ``wanted`` (the command line), else the answers' ``form.language``."""
    return tuple(wanted) if wanted else practice.form.languages


@dataclass(frozen=True)
class Target:
    """One file to write: where, and the options (format, edition, language) its document is made with."""

    path: Path
    options: RenderOptions


def unbindable(document: str, fmt: str, out: str | Path) -> str | None:
    """Why ``out`` cannot hold ``document`` in format ``fmt`` (a packet is one bound PDF), or None."""
    if fmt != "pdf" and load_manifest(document).packet:
        return f"{out}: a packet is one bound PDF; it has no {fmt} form (write it as .pdf)"
    return None


def plan_outputs(practice: Practice, output: str | Path, options: RenderOptions | None = None, *,
                 into_folder: bool, chosen: list[str | None] | None = None,
                 languages: tuple[str, ...] | None = None) -> list[Target]:
    """Every file a render writes, named in this one place (with ``form_file_name`` for folders).

    Into a folder: ``DIR/TYPE.pdf``, ``DIR/TYPE-LANG.pdf``, one per edition (``chosen``, default every edition
    offered) and language. To a file: the name given; with several editions ``NAME-TYPE.pdf`` beside it, with
    several languages ``NAME-LANG.pdf`` (English keeps the name). ``chosen`` defaults to the one edition the
    options name (None: the only one offered, or an error asking which).
    """
    options = options or RenderOptions()
    out = Path(output)
    wanted = languages_for(practice, languages)
    problem = unbindable(options.document, get_format(options.format).name if into_folder else format_for(out), out)
    if problem:
        raise OutputError(problem)
    if into_folder:
        editions_ = chosen if chosen is not None else editions(practice, options.document, options.client_type)
        suffix = get_format(options.format).suffixes[0]
        return [Target(out / form_file_name(edition, options.document, language, suffix),
                       options.but(client_type=edition, language=language))
                for language in wanted for edition in editions_]
    editions_ = chosen if chosen is not None else [options.client_type]
    fmt = format_for(out)
    targets = []
    for language in wanted:
        for edition in editions_:
            path = out if len(editions_) == 1 else out.with_name(f"{out.stem}-{edition}{out.suffix}")
            path = path if len(wanted) == 1 else language_path(path, language)
            targets.append(Target(path, options.but(format=fmt, client_type=edition, language=language)))
    return targets


Finish = Callable[[bytes], bytes]  # a last step on each PDF's bytes before it is written (certification)


def render_all(practice: Practice, targets: list[Target], *, today: dt.date,
               finish: Finish | None = None) -> list[tuple[Path, Document, Rendered]]:
    """Render every target; nothing is written (so a failure in any leaves every file as it was).

    ``finish``: applied to each PDF (``render.certify``), before anything is written.
    """
    done = [(target.path, *render(practice, target.options, today=today)) for target in targets]
    if finish is None:
        return done
    return [(path, doc, replace(made, data=finish(made.data)) if made.data.startswith(b"%PDF") else made)
            for path, doc, made in done]


def generate_editions(practice: Practice, folder: str | Path, options: RenderOptions | None = None, *,
                      today: dt.date, force: bool = False, languages: tuple[str, ...] | None = None,
                      finish: Finish | None = None) -> list[Result]:
    """Write every edition the practice offers, in every language, into ``folder``.

    Files are ``TYPE.pdf`` (or ``.html``) in English and ``TYPE-LANG.pdf`` in another language.
    Every file is rendered before any is written, so a failure writes nothing.
    """
    targets = plan_outputs(practice, folder, options, into_folder=True, languages=languages)
    return _write_all(render_all(practice, targets, today=today, finish=finish), Path(folder), force)


def _write_all(done: list[tuple[Path, Document, Rendered]], folder: Path | None, force: bool) -> list[Result]:
    for path, _, rendered in done:
        check_replaceable(path, force, rendered.data)
    if folder is not None:
        make_folder(folder)
    results = []
    for path, doc, rendered in done:
        write_atomic(path, rendered.data, guard_for(rendered.data, force))
        results.append(Result(path=path, form=doc, size=len(rendered.data), fingerprint=rendered.fingerprint))
    return results


def make_folder(folder: Path) -> None:
    """Create the output folder (and its parents), or say why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder ({exc.strerror or exc})") from None


def generate(practice: Practice, output: str | Path, options: RenderOptions | None = None, *,
             today: dt.date, force: bool = False) -> Result:
    """Render ``practice``'s document and write it to ``output`` (its suffix names the format), atomically.

    Nothing is written unless rendering succeeded.
    """
    target = plan_outputs(practice, output, options, into_folder=False,
                          languages=((options or RenderOptions()).language,))[0]
    return _write_all(render_all(practice, [target], today=today), None, force)[0]


def generate_languages(practice: Practice, output: str | Path, options: RenderOptions | None = None, *,
                       today: dt.date, force: bool = False, languages: tuple[str, ...] | None = None,
                       finish: Finish | None = None) -> list[Result]:
    """Write one edition in each language: ``output`` for English (or the only language), ``NAME-LANG`` else.

    With a single language the file is ``output`` as given. Every file is rendered before any is written.
    """
    targets = plan_outputs(practice, output, options, into_folder=False, languages=languages)
    return _write_all(render_all(practice, targets, today=today, finish=finish), None, force)
