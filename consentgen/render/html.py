"""Render a Document to HTML with Jinja2 (sandboxed, autoescaped, StrictUndefined).

The environment is built once per (clinic folder, document, language) and kept: building it
costs about 15 times a cached render. Jinja still reloads a template whose file changed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from consentgen.documents.document import Document
from consentgen.errors import TemplateError
from consentgen.files.assets import asset_urls, common_dir, document_dir
from consentgen.files.userdirs import cache_dir, private_folder
from consentgen.model.options import HTML_PAGE, Output
from consentgen.render import i18n
from consentgen.render.sandbox import (
    BoundedEnvironment,
    BudgetExceeded,
    FolderLoader,
    bound_filters,
    bound_gettext,
    check_printed,
    time_budget,
)
from consentgen.version import __version__

MAX_PAGE = 60_000_000  # characters of HTML (the built-in form is about 250 000 with its fonts inlined)


@functools.lru_cache(maxsize=32)
def _environment(template_dir: str | None, document: str, language: str,
                 catalog: tuple[int, int]) -> SandboxedEnvironment:
    builtin = jinja2.FileSystemLoader([str(document_dir(document)), str(common_dir())])
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        if not Path(template_dir).is_dir():
            raise TemplateError(f"{template_dir}: the template folder does not exist or is not a folder")
        if (Path(template_dir) / "builtin").exists():
            raise TemplateError(f"{template_dir}: a clinic folder may not contain 'builtin': that name is how an "
                                "override reaches the built-in templates; rename the folder")
        loaders.append(FolderLoader(template_dir))
    loaders.append(jinja2.PrefixLoader({"builtin": builtin}))
    loaders.append(builtin)
    env = BoundedEnvironment(
        loader=jinja2.ChoiceLoader(loaders), autoescape=True, undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, extensions=["jinja2.ext.i18n"],
        finalize=check_printed,  # {{ value }}: refused before a huge list or mapping is turned into text
    )
    env.policies["ext.i18n.trimmed"] = True  # a message is its words: line breaks in a template do not count
    env.install_gettext_translations(i18n.translations(language), newstyle=True)  # type: ignore[attr-defined]
    bound_filters(env)
    bound_gettext(env)
    env.filters["names"] = i18n.mark_names
    env.filters["join_and"] = functools.partial(i18n.join_words, language=language)
    env.filters["date"] = functools.partial(i18n.format_date, language=language)
    env.filters["sites"] = _sites
    env.globals["language"] = language
    return env


def _sites(reference: Any, source_list: Any) -> list[tuple[str, str]]:
    """A reference's sources as short links: (the site, without ``www.``, e.g. ``leginfo.legislature.ca.gov``;
    the first source's address on it), one per site, in order. Only the sources of the document's own list
    (``numbers`` point into it: primary texts on listed sites), never a summary."""
    from urllib.parse import urlsplit

    found: dict[str, str] = {}
    for number in getattr(reference, "numbers", ()):
        source = source_list[number - 1]
        url = str(getattr(source, "url", ""))
        found.setdefault(urlsplit(url).netloc.removeprefix("www.") or url, url)
    return list(found.items())


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs in the user's private cache folder, so a cold render does not
    compile them again (a template's key is its path, and its source's checksum is checked on every load)."""
    folder = cache_dir()
    if folder is None:
        return None
    templates = private_folder(folder / f"templates-{__version__}-{_compiler_stamp()}", True)
    return _QuietCache(str(templates)) if templates else None


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """The template cache, which never fails a render: a full, read-only or damaged cache only means the
    templates are compiled again."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a damaged cache file is ignored, never trusted
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@functools.lru_cache(maxsize=1)
def _compiler_stamp() -> str:
    """A short hash of the code that shapes compiled templates (this module and the sandbox), so compiled code
    from another build of them is never loaded, even at the same version."""
    here = Path(__file__).parent
    return hashlib.sha256((here / "html.py").read_bytes() + (here / "sandbox.py").read_bytes()).hexdigest()[:10]


def make_environment(template_dir: str | Path | None = None, document: str = "consent",
                     language: str = "en") -> SandboxedEnvironment:
    """The Jinja environment: a clinic folder (if any) ahead of the built-ins (cached).

    Built-ins stay reachable as ``builtin/NAME`` so an override can extend one.
    """
    # The catalog's stamp is part of the key: an edited catalog gives a new environment, as an
    # edited template is reloaded, so a running web page never pairs new wording with old translations.
    return _environment(str(template_dir) if template_dir is not None else None, document, language,
                        i18n.catalog_stamp(language))


def _bounded(pieces: Iterator[str]) -> str:
    """The page from its pieces, refused as soon as it passes MAX_PAGE characters (a loop that prints a long
    string again and again stops here, not at the memory cap)."""
    parts, total = [], 0
    for piece in pieces:
        total += len(piece)
        if total > MAX_PAGE:
            raise jinja2.exceptions.SecurityError(f"the page is longer than {MAX_PAGE // 1_000_000} million "
                                                  "characters")
        parts.append(piece)
    return "".join(parts)


def _render(doc: Document, output: Output, inline_assets: bool, fingerprint: str,
            made_on: tuple[str, str], extra: Mapping[str, Any] | None = None) -> str:
    env = make_environment(doc.templates, doc.kind, doc.language)
    try:
        with time_budget():
            template = env.get_template(doc.entry)
            page = _bounded(template.generate(form=doc, law=doc.law, assets=asset_urls(inline_assets),
                                              output={"fields": output.fields}, fingerprint=fingerprint,
                                              made_on=made_on[0], made_on_iso=made_on[1], **(extra or {})))
    except TemplateError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}: line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"template error: {exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"{_where(exc)}template blocked by the sandbox: {exc}") from None
    except BudgetExceeded as exc:
        raise TemplateError(f"template stopped: {exc} (a loop that never ends?)") from None
    except RecursionError as exc:
        raise TemplateError(f"{_where(exc)}template error: a macro or include calls itself without end") from None
    except MemoryError as exc:
        raise TemplateError(f"{_where(exc)}template error: out of memory") from None
    except Exception as exc:  # any other error in a template (1/0, 1 + 'a', ...) is the template's
        raise TemplateError(f"{_where(exc)}template error: {type(exc).__name__}: {exc}") from None
    return page  # at most MAX_PAGE characters: _bounded refused anything longer as it was built


def _where(exc: BaseException) -> str:
    """'FILE: line N: ' for the innermost template frame of an exception's traceback, or ''."""
    found = ""
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".css", ".html")):
            found = f"{Path(name).name}: line {tb.tb_lineno}: "
        tb = tb.tb_next
    return found


class Page(NamedTuple):
    """A rendered page, the fingerprint of what the client reads, and the same without the form's date."""

    html: str
    fingerprint: str
    wording: str  # equal for two renders that differ only in the day they were made (batch's "unchanged")


def render_page(doc: Document, output: Output, *, inline_assets: bool = False,
                extra: Mapping[str, Any] | None = None) -> Page:
    """Render ``doc`` to an HTML string; return it with its content fingerprint and wording id.

    The fingerprint is a short hash of the page the client reads and sees (wording, law,
    practice details, logo bytes, colours, date, version), rendered the same way for every
    format: it ignores where files are, the output format and fillable fields versus lines.
    The wording id is the same hash without the form's date, so a form made again another day
    with nothing else changed keeps it.

    Args:
        doc: the built document.
        output: the output choices (fields or lines). The document type, language, edition and template
            folder are the document's.
        inline_assets: embed fonts as data: URLs (for a standalone .html file).
        extra: more names for the templates (a packet's cover gets ``contents``, its table of contents).

    Raises:
        TemplateError: a template is missing, invalid, or uses an undefined value.
    """
    token = "cgid" + secrets.token_hex(8)
    shown, iso = "cgday" + secrets.token_hex(8), "cgiso" + secrets.token_hex(8)
    page = _render(doc, output, inline_assets, token, (shown, iso), extra)  # rendered once; both ids come from it
    wording = _hash(_content(page).replace(token, "").replace(shown, "").replace(iso, ""))
    page = page.replace(shown, i18n.format_date(doc.date, doc.language)).replace(iso, doc.date.isoformat())
    fingerprint = _hash(_content(page).replace(token, ""))
    return Page(page.replace(token, fingerprint), fingerprint, wording)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# What differs between the fillable and the printed page (fields versus lines and boxes, and the fillable
# form's sign-on-screen row and note, between esign markers) and what differs
# between a standalone HTML file and the PDF's page (fonts inlined or linked) is left out of the fingerprint.
_NOT_CONTENT = re.compile(r'(?s)<!--esign-->.*?<!--/esign-->\n?|<input\b[^>]*>|<div class="sig-line"></div>|&#9744;'
                          r'|url\("[^"]*"\)')


def _content(page: str) -> str:
    """The page as the fingerprint sees it: what the client reads and sees, not how it is filled or linked."""
    return _NOT_CONTENT.sub("", page)


def render_html(doc: Document, output: Output | None = None, *, inline_assets: bool = False,
                template_dir: str | Path | None = None) -> str:
    """Render ``doc`` to an HTML string (see ``render_page``); ``template_dir`` overrides the document's
    template folder (a clinic's overrides)."""
    if template_dir is not None:
        doc = replace(doc, templates=str(template_dir))
    return render_page(doc, output or HTML_PAGE, inline_assets=inline_assets)[0]
