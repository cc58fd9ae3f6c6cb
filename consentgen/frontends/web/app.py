"""The page's routes: the form page, its static files, and the answers' check, preview, PDF, save and open.

Every handler reads the running site (``request.app.state.site``); ``create_app`` makes one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from consentgen.errors import ConsentgenError
from consentgen.frontends import asking
from consentgen.frontends import questions as q
from consentgen.frontends.renders import Busy, InlineRenders, RenderPool, WebRender
from consentgen.frontends.web.guard import PAGE_HEADERS, VISITOR_COOKIE, guarded, host_refused, same
from consentgen.frontends.web.requests import TooLarge, answers_of, json_body, limited, parse_base, question_json
from consentgen.model.languages import REGISTRY
from consentgen.model.practice import PROFESSION_ALIASES, PROFESSIONS

STATIC = Path(__file__).parent / "static"
RETRY = {"Retry-After": "5"}  # a busy page asks the browser to try again in a few seconds
STATIC_FILES = {"app.js": "text/javascript", "app.css": "text/css", "reopen.js": "text/javascript"}
_PAGE_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
             "script-src 'self' 'nonce-{nonce}'; frame-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
             "form-action 'none'")


@dataclass
class Site:
    """One running page: who may use it, what it starts from, and where its renders run."""

    token: str
    hosts: set[str]
    renders: RenderPool | InlineRenders
    start: dict[str, Any] = field(default_factory=dict)  # the opened answers file's answers, for the page
    start_text: str | None = None  # that file's text, sent back with each request
    remote: bool = False  # served to other computers: the page says so
    today: dt.date | None = None  # fixed by tests; else the day of each request
    public: bool = False  # the public page: no secret; a per-visitor token (guard.py); hosts are bare names

    def day(self) -> dt.date:
        return self.today or dt.date.today()


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


async def page(request: Request) -> Response:
    """The form page, with the questions and the token in its boot data; without the token, a page that asks
    the tab for it (a reload)."""
    site = _site(request)
    refused = host_refused(request, site.hosts, site.public)
    if refused:
        return refused
    if site.public:
        return _public_page(request, site)
    given = request.query_params.get("t")
    if given is None:  # a reload: the tab kept the secret (sessionStorage, per port), the page asks for it
        return FileResponse(STATIC / "reopen.html", media_type="text/html", headers=PAGE_HEADERS | {
            "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'"})
    if not same(given, site.token):
        return PlainTextResponse("Refused: open the address consentgen serve printed (it holds a secret).",
                                 status_code=403)
    return _form_page(site, site.token)


def _public_page(request: Request, site: Site) -> Response:
    """The public page: each visitor's token in the page and in a SameSite=Strict cookie (double submit)."""
    token = request.cookies.get(VISITOR_COOKIE, "")
    if len(token) < 20 or len(token) > 100 or not token.replace("-", "").replace("_", "").isalnum():
        token = secrets.token_urlsafe(24)
    response = _form_page(site, token)
    secure = request.url.scheme == "https"  # behind a proxy, the scheme it reports (only a trusted proxy's)
    response.set_cookie(VISITOR_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/")
    return response


def _documents() -> list[dict[str, str]]:
    """The document picker's choices, from the document types' manifests (the consent form first)."""
    from consentgen.documents.manifest import load_manifest
    from consentgen.files.assets import document_types

    kinds = sorted(document_types(), key=lambda kind: (kind != "consent", kind))
    return [{"code": kind, "label": load_manifest(kind).label} for kind in kinds]


def _chosen_document(data: dict[str, Any]) -> str:
    """The document a request names, if it is a document type; else the consent form."""
    from consentgen.files.assets import document_types

    wanted = data.get("document")
    return wanted if isinstance(wanted, str) and wanted in document_types() else "consent"


def _form_page(site: Site, token: str) -> Response:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    boot = {"questions": question_json(), "token": token, "start": site.start, "base": site.start_text,
            "languages": [{"code": code, "label": lang.label} for code, lang in REGISTRY.items()],
            "states": [list(c) for c in q.jurisdiction_choices()],
            "aliases": {**PROFESSION_ALIASES, **{key: key for key in PROFESSIONS}},
            "editionLabels": q.EDITION_LABELS, "documents": _documents()}
    nonce = secrets.token_urlsafe(16)
    html = html.replace("<script>", f'<script nonce="{nonce}">')  # first: no answer can add a script tag
    # "<" never appears raw in the boot data, so no answer can end or open a tag inside the script
    html = html.replace("/*BOOT*/", "window.CG = " + json.dumps(boot).replace("<", "\\u003c") + ";")
    if site.remote and not site.public:
        html = html.replace("<body>", '<body><p class="remote-warning" role="alert">This page is served to '
                            "other computers on the network: anyone with its address can use it.</p>", 1)
    return HTMLResponse(html, headers=PAGE_HEADERS | {"Content-Security-Policy": _PAGE_CSP.format(nonce=nonce)})


async def static(request: Request) -> Response:
    """The page's script and style (only those)."""
    name = request.path_params["name"]
    if name not in STATIC_FILES:
        return PlainTextResponse("Not found", status_code=404)
    return FileResponse(STATIC / name, media_type=STATIC_FILES[name])


async def check(request: Request) -> Response:
    """The answers' errors, the questions that apply, and the editions they offer."""
    flat, errors, practice, _, _ = answers_of(await json_body(request))
    result: dict[str, Any] = {"errors": errors, "active": asking.active_keys(flat), "editions": [], "warnings": []}
    if practice is not None:
        from consentgen.documents.document import editions

        result["editions"] = [e for e in editions(practice) if e]
    return JSONResponse(result)


async def _render(request: Request, data: dict[str, Any], fmt: str) -> WebRender:
    """The document the page's pickers choose (document, edition, language), rendered as ``fmt``."""
    from consentgen.documents.document import offered
    from consentgen.model.options import RenderOptions, parse_languages

    _, errors, practice, _, _ = answers_of(data)
    if practice is None:
        raise ConsentgenError("; ".join(f"{k}: {v}" for k, v in errors.items()))
    document = _chosen_document(data)
    choices = offered(practice, document)
    edition = data.get("edition") if data.get("edition") in choices else (choices[0] if choices else None)
    given = data.get("language")
    try:  # the picker's value; anything else previews the answers' first language
        wanted = parse_languages(",".join(map(str, given)) if isinstance(given, list) else str(given or ""))
    except ValueError:
        wanted = ()
    language = (wanted or practice.form.languages)[0]
    options = RenderOptions(format=fmt, fields=fmt == "pdf", document=document, language=language,
                            client_type=edition,
                            allow_english_texts=fmt != "pdf")  # the preview marks them; a PDF is refused
    site = _site(request)
    return await site.renders.run(practice, options, site.day())


async def preview(request: Request) -> Response:
    """The chosen document as HTML, with its review warnings and fingerprint."""
    try:
        made = await _render(request, await json_body(request), "html")
    except Busy as exc:
        return JSONResponse({"error": exc.message}, status_code=503, headers=RETRY)
    except ConsentgenError as exc:
        return JSONResponse({"error": exc.message}, status_code=422)
    return JSONResponse({"html": made.data.decode("utf-8"), "warnings": made.warnings,
                         "fingerprint": made.fingerprint})


async def pdf(request: Request) -> Response:
    """The chosen document as a PDF download."""
    try:
        made = await _render(request, await json_body(request), "pdf")
    except Busy as exc:
        return PlainTextResponse(f"The PDF was not made: {exc.message}", status_code=503, headers=RETRY)
    except ConsentgenError as exc:
        return PlainTextResponse(f"The PDF was not made: {exc.message}", status_code=422)
    return Response(made.data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{made.name}"'})


async def pdf_all(request: Request) -> Response:
    """Every edition of the chosen document in every language the answers name, as one zip of PDFs."""
    import io
    import zipfile

    from consentgen.documents.document import editions
    from consentgen.model.options import RenderOptions

    data = await json_body(request)
    _, errors, practice, _, _ = answers_of(data)
    if practice is None:
        return PlainTextResponse("The forms were not made: " + "; ".join(f"{k}: {v}" for k, v in errors.items()),
                                 status_code=422)
    document = _chosen_document(data)
    site = _site(request)
    wanted = [RenderOptions(format="pdf", fields=True, document=document, language=language, client_type=edition)
              for language in practice.form.languages for edition in editions(practice, document)]
    try:  # one after another: one visitor's zip takes one place in the render queue at a time
        made = [await site.renders.run(practice, options, site.day()) for options in wanted]
    except Busy as exc:
        return PlainTextResponse(f"The forms were not made: {exc.message}", status_code=503, headers=RETRY)
    except ConsentgenError as exc:
        return PlainTextResponse(f"The forms were not made: {exc.message}", status_code=422)
    buffer = io.BytesIO()
    stamp = site.day().timetuple()[:6]  # the form's date, so the same answers give the same zip
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for form in made:
            archive.writestr(zipfile.ZipInfo(form.name, date_time=stamp), form.data)
    name = "consentgen-forms.zip" if document == "consent" else f"consentgen-{document}-forms.zip"
    return Response(buffer.getvalue(), media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def save(request: Request) -> Response:
    """The answers as an answers file download (the opened file byte for byte when nothing changed)."""
    from consentgen.inputs.answers import render_answers

    _, errors, practice, unchanged, paths = answers_of(await json_body(request))
    if practice is None:
        return JSONResponse({"errors": errors}, status_code=422)
    headers = {"Content-Disposition": 'attachment; filename="consentgen.yaml"'}
    if unchanged is not None:  # nothing changed: the file as it was opened, byte for byte
        return Response(unchanged.encode("utf-8"), media_type="application/x-yaml", headers=headers)
    if practice.form.date is None:
        practice = replace(practice, form=replace(practice.form, date=_site(request).day()))
    return Response(render_answers(practice, paths), media_type="application/x-yaml", headers=headers)


async def open_answers(request: Request) -> Response:
    """An uploaded answers file, read (never stored) into the page's answers."""
    try:
        raw = await limited(request)
    except TooLarge:
        return JSONResponse({"error": "The file is larger than 1 MB."}, status_code=413)
    try:
        text = raw.decode("utf-8")
        _practice, flat, _paths = parse_base(text)
    except UnicodeDecodeError:
        return JSONResponse({"error": "the file: is not UTF-8 text; save it as UTF-8"}, status_code=422)
    except ConsentgenError as exc:
        return JSONResponse({"error": exc.message}, status_code=422)
    return JSONResponse({"answers": {k: (list(v) if isinstance(v, tuple) else v) for k, v in flat.items()
                                     if not k.startswith("_")},
                         "base": text})


async def verify_upload(request: Request) -> Response:
    """"Check a signed copy": the same check as ``consentgen verify`` on an uploaded PDF, read in memory and never
    stored (nothing reaches the disk or the logs)."""
    from starlette.concurrency import run_in_threadpool

    from consentgen.verify import verdict_lines, verify_bytes, verify_json

    try:
        raw = await limited(request)
    except TooLarge:
        return JSONResponse({"error": "The file is larger than 1 MB."}, status_code=413)
    try:
        verdict = await run_in_threadpool(verify_bytes, raw, "your file")
    except ConsentgenError as exc:
        return JSONResponse({"error": exc.message}, status_code=422)
    except Exception as exc:  # noqa: BLE001 - any unreadable upload: a message, never a traceback
        return JSONResponse({"error": f"your file: cannot be checked ({type(exc).__name__})"}, status_code=422)
    return JSONResponse({"ok": verdict.ok, "lines": [line.strip() for line in verdict_lines(verdict)],
                         "verdict": verify_json(verdict)})


API = (("/api/check", check), ("/api/preview", preview), ("/api/pdf", pdf), ("/api/pdf-all", pdf_all),
       ("/api/answers", save),
       ("/api/open", open_answers), ("/api/verify", verify_upload))


def create_app(token: str, allowed_hosts: set[str], *, start: dict[str, Any] | None = None,
               today: dt.date | None = None, start_text: str | None = None,
               remote: bool = False, renders: RenderPool | InlineRenders | None = None,
               public: bool = False) -> Starlette:
    """The web application; ``allowed_hosts`` are the ``Host`` header values to accept.

    ``renders``: where renders run (``serve`` passes a ``RenderPool``; by default, inline). ``public``: the
    public page (no secret; a per-visitor token; ``allowed_hosts`` are bare host names, any port).
    """
    site = Site(token=token, hosts=set(allowed_hosts), renders=renders or InlineRenders(), start=start or {},
                start_text=start_text, remote=remote, today=today, public=public)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        site.renders.start()
        try:
            yield
        finally:
            site.renders.close()

    app = Starlette(lifespan=lifespan, routes=[
        Route("/", page), Route("/static/{name}", guarded(static)),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        *(Route(path, guarded(handler), methods=["POST"]) for path, handler in API),
    ])
    app.state.site = site
    return app


def public_hosts(given: list[str] | tuple[str, ...] = ()) -> set[str]:
    """The public page's host names: ``given`` (``--public-host``) and ``CONSENTGEN_PUBLIC_HOSTS`` (comma-separated,
    names without ports); with none, only this computer (``localhost``, ``127.0.0.1``)."""
    import os

    names = {n.strip().lower() for n in [*given, *os.environ.get("CONSENTGEN_PUBLIC_HOSTS", "").split(",")]
             if n.strip()}
    return names or {"localhost", "127.0.0.1"}


def make_public_app(hosts: set[str] | None = None, *, renders: RenderPool | InlineRenders | None = None) -> Starlette:
    """The public page for many visitors at once, behind a reverse proxy; stateless (nothing a visitor types is
    kept: answers leave as downloads), so any number of processes may serve it."""
    return create_app(secrets.token_urlsafe(24), hosts or public_hosts(), remote=True,
                      renders=renders or RenderPool(), public=True)


class _PublicApp:
    """``consentgen.frontends.web:public_app``, for any ASGI server; the app is made on first use, from the
    environment (``CONSENTGEN_PUBLIC_HOSTS``)."""

    def __init__(self) -> None:
        self.app: Starlette | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.app is None:
            self.app = make_public_app()
        await self.app(scope, receive, send)


public_app = _PublicApp()
