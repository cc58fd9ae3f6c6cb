"""The local web page: the wizard's questions in a browser, with a live preview (``consentgen serve``).

A second front end over the same questions (``frontends.questions``), validation and pipeline.
Starlette serves it through uvicorn on the loopback address. Safety (see the README):
- every request must name the bound host (``Host`` header: DNS rebinding is refused);
- a secret made at each start is needed: in the first URL (the page then keeps it in the tab's
  sessionStorage, which is per port, never in a cookie, which is not); every POST sends it in a
  header, which another site's page or form cannot do (cross-site request forgery);
- nothing reads or writes the server's disk: answers come in as uploads or form data and go out
  as downloads; uploads are limited to 1 MB; renders use the CLI's sandbox and fetcher rules.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hmac
import json
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, NamedTuple

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from consentgen.errors import ConsentgenError
from consentgen.frontends import questions as q
from consentgen.frontends.renders import Busy, InlineRenders, RenderPool, WebRender
from consentgen.model.languages import REGISTRY

STATIC = Path(__file__).parent / "web_static"
MAX_BODY = 1_000_000
# No cookie: cookies are not separated by port, so another local server the browser visits would receive
# it (redteam W24). The page keeps the secret in sessionStorage, which is kept per port.
_PAGE_HEADERS = {"X-Frame-Options": "DENY", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                 "Referrer-Policy": "no-referrer"}
STATIC_FILES = {"app.js": "text/javascript", "app.css": "text/css", "reopen.js": "text/javascript"}


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


def _question_json() -> list[dict[str, Any]]:
    out = []
    for question in q.QUESTIONS:
        out.append({"key": question.key, "message": question.message, "kind": question.kind,
                    "required": question.required, "label": question.label or question.key,
                    "choices": [list(c) for c in question.choices], "default": question.default,
                    "instruction": question.instruction})
    return out


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


def _parse_base(text: str) -> tuple[Any, dict[str, Any], dict[str, str]]:
    """An answers file's text as (practice, the wizard's flat answers, its logo and templates paths as written).

    The page reads nothing from disk: the paths are kept as the file wrote them (and written back on save),
    not opened, so a file that names a logo beside it opens here too.

    Raises:
        ConsentgenError: the text is not a valid answers file (the message names the field).
    """
    import tempfile

    from consentgen.errors import DataFileError, Problem
    from consentgen.files.yamlfile import read_yaml
    from consentgen.inputs.answers import PATH_TEXT, parse_practice

    with tempfile.TemporaryDirectory() as folder:  # read through the CLI's reader, then gone
        path = Path(folder) / "answers.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            raw = read_yaml(path)
        except DataFileError as exc:
            raise DataFileError("the file", exc.problems) from None
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
        return _parse_base(text)
    except ConsentgenError:
        return None


class Answers(NamedTuple):
    """A page's answers laid over the file it opened, checked as the wizard checks them."""

    flat: dict[str, Any]
    errors: dict[str, str]
    practice: Any  # None while any answer has an error
    unchanged: str | None  # the opened file's text, when the answers did not change it
    paths: dict[str, str]  # the opened file's logo and templates paths, as written


def _answers(data: dict[str, Any]) -> Answers:
    """The answers of a page's request (with the opened file, ``base``, that it sends back)."""
    shown = _flat(data.get("answers"))
    base_text = data.get("base")
    base = _read_base(base_text) if isinstance(base_text, str) else None
    flat = {**base[1], **shown} if base else shown
    errors, practice = q.check_answers(flat)
    same = base is not None and practice is not None and practice == base[0]
    return Answers(flat, errors, practice, str(base_text) if same else None, base[2] if base else {})


def _same(given: str, expected: str) -> bool:
    """A constant-time comparison that accepts any text (a non-ASCII cookie or header is simply wrong)."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def create_app(token: str, allowed_hosts: set[str], *, start: dict[str, Any] | None = None,  # noqa: C901
               today: dt.date | None = None, start_text: str | None = None,
               remote: bool = False, renders: RenderPool | InlineRenders | None = None) -> Starlette:  # small handlers
    """The web application; ``allowed_hosts`` are the ``Host`` header values to accept.

    ``renders``: where renders run (``serve`` passes a ``RenderPool``; by default, inline).
    """
    workers = renders or InlineRenders()

    def day() -> dt.date:
        return today or dt.date.today()

    def host_refused(request: Request) -> Response | None:
        if not _host_allowed(request.headers.get("host", ""), allowed_hosts):  # DNS rebinding
            return PlainTextResponse("Refused: this page is served only as " + " or ".join(sorted(allowed_hosts)),
                                     status_code=421)
        return None

    async def guard(request: Request) -> Response | None:
        refused = host_refused(request)
        if refused:
            return refused
        if request.method == "POST":
            declared = request.headers.get("content-length", "")
            if not declared.isdigit() and declared or declared.isdigit() and int(declared) > MAX_BODY:
                return PlainTextResponse("Refused: more than 1 MB.", status_code=413)
            sent = request.headers.get("x-consentgen-token", "")  # only the header: a form post cannot set it
            if not _same(sent, token):
                return PlainTextResponse("Refused: a request without the page's token.", status_code=403)
        return None

    def guarded(handler: Any) -> Any:
        """``handler``, behind the host, secret and token checks."""
        async def run(request: Request) -> Response:
            refused = await guard(request)
            if refused:
                return refused
            try:
                response: Response = await handler(request)
            except TooLarge:
                response = JSONResponse({"error": "The request is larger than 1 MB."}, status_code=413)
            # the PDF, the answers and the preview hold the practice's details: never kept by a cache
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers["X-Content-Type-Options"] = "nosniff"
            return response
        return run

    async def page(request: Request) -> Response:
        refused = host_refused(request)
        if refused:
            return refused
        given = request.query_params.get("t")
        if given is None:  # a reload: the tab kept the secret (sessionStorage, per port), the page asks for it
            return FileResponse(STATIC / "reopen.html", media_type="text/html", headers=_PAGE_HEADERS | {
                "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'"})
        if not _same(given, token):
            return PlainTextResponse("Refused: open the address consentgen serve printed (it holds a secret).",
                                     status_code=403)
        html = (STATIC / "index.html").read_text(encoding="utf-8")
        boot = {"questions": _question_json(), "token": token, "start": start or {}, "base": start_text,
                "languages": [{"code": code, "label": lang.label} for code, lang in REGISTRY.items()],
                "states": [list(c) for c in q.jurisdiction_choices()]}
        nonce = secrets.token_urlsafe(16)
        html = html.replace("<script>", f'<script nonce="{nonce}">')  # first: no answer can add a script tag
        # "<" never appears raw in the boot data, so no answer can end or open a tag inside the script
        html = html.replace("/*BOOT*/", "window.CG = " + json.dumps(boot).replace("<", "\\u003c") + ";")
        if remote:
            html = html.replace("<body>", '<body><p class="remote-warning" role="alert">This page is served to '
                                "other computers on the network: anyone with its address can use it.</p>", 1)
        return HTMLResponse(html, headers=_PAGE_HEADERS | {
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                                       "style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
                                       f"script-src 'self' 'nonce-{nonce}'; "
                                       "frame-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
                                       "form-action 'none'"})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC_FILES:
            return PlainTextResponse("Not found", status_code=404)
        return FileResponse(STATIC / name, media_type=STATIC_FILES[name])

    async def body(request: Request) -> dict[str, Any]:
        """The request's JSON object, read at most 1 MB as it arrives; anything else reads as empty."""
        text = (await limited(request)).decode("utf-8", errors="replace") or "{}"
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested too deep: read as empty
            return {}
        return data if isinstance(data, dict) else {}

    async def check(request: Request) -> Response:
        flat, errors, practice, _, _ = _answers(await body(request))
        result: dict[str, Any] = {"errors": errors, "active": q.active_keys(flat), "editions": [], "warnings": []}
        if practice is not None:
            from consentgen.documents.document import editions

            result["editions"] = [e for e in editions(practice) if e]
        return JSONResponse(result)

    async def _render(data: dict[str, Any], fmt: str) -> WebRender:
        from consentgen.model.options import RenderOptions, parse_languages

        _, errors, practice, _, _ = _answers(data)
        if practice is None:
            raise ConsentgenError("; ".join(f"{k}: {v}" for k, v in errors.items()))
        document = "release" if data.get("document") == "release" else "consent"
        from consentgen.documents.document import offered

        choices = offered(practice, document)
        edition = data.get("edition") if data.get("edition") in choices else (choices[0] if choices else None)
        given = data.get("language")
        try:  # the picker's value; anything else previews the answers' first language
            wanted = parse_languages(",".join(map(str, given)) if isinstance(given, list) else str(given or ""))
        except ValueError:
            wanted = ()
        language = (wanted or practice.form.languages)[0]
        options = RenderOptions(format=fmt, fields=fmt == "pdf", document=document, language=language,
                                client_type=edition if document == "consent" else None,
                                allow_english_texts=fmt != "pdf")  # the preview marks them; a PDF is refused
        return await workers.run(practice, options, day())

    async def preview(request: Request) -> Response:
        try:
            made = await _render(await body(request), "html")
        except Busy as exc:
            return JSONResponse({"error": exc.message}, status_code=503)
        except ConsentgenError as exc:
            return JSONResponse({"error": exc.message}, status_code=422)
        return JSONResponse({"html": made.data.decode("utf-8"), "warnings": made.warnings,
                             "fingerprint": made.fingerprint})

    async def pdf(request: Request) -> Response:
        try:
            made = await _render(await body(request), "pdf")
        except Busy as exc:
            return PlainTextResponse(f"The PDF was not made: {exc.message}", status_code=503)
        except ConsentgenError as exc:
            return PlainTextResponse(f"The PDF was not made: {exc.message}", status_code=422)
        return Response(made.data, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{made.name}"'})

    async def save(request: Request) -> Response:
        from consentgen.inputs.answers import render_answers

        _, errors, practice, unchanged, paths = _answers(await body(request))
        if practice is None:
            return JSONResponse({"errors": errors}, status_code=422)
        headers = {"Content-Disposition": 'attachment; filename="consentgen.yaml"'}
        if unchanged is not None:  # nothing changed: the file as it was opened, byte for byte
            return Response(unchanged.encode("utf-8"), media_type="application/x-yaml", headers=headers)
        if practice.form.date is None:
            from dataclasses import replace

            practice = replace(practice, form=replace(practice.form, date=day()))
        return Response(render_answers(practice, paths), media_type="application/x-yaml",
                        headers={"Content-Disposition": 'attachment; filename="consentgen.yaml"'})

    async def open_answers(request: Request) -> Response:
        try:
            raw = await limited(request)
        except TooLarge:
            return JSONResponse({"error": "The file is larger than 1 MB."}, status_code=413)
        try:
            text = raw.decode("utf-8")
            _practice, flat, _paths = _parse_base(text)
        except UnicodeDecodeError:
            return JSONResponse({"error": "the file: is not UTF-8 text; save it as UTF-8"}, status_code=422)
        except ConsentgenError as exc:
            return JSONResponse({"error": exc.message}, status_code=422)
        return JSONResponse({"answers": {k: (list(v) if isinstance(v, tuple) else v) for k, v in flat.items()
                                         if not k.startswith("_")},
                             "base": text})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        workers.start()
        try:
            yield
        finally:
            workers.close()

    return Starlette(lifespan=lifespan, routes=[
        Route("/", page), Route("/static/{name}", guarded(static)),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        *(Route(path, guarded(handler), methods=["POST"]) for path, handler in (
            ("/api/check", check), ("/api/preview", preview), ("/api/pdf", pdf), ("/api/answers", save),
            ("/api/open", open_answers))),
    ])


ANY_IP = "*ip*"  # in allowed hosts: any IP address literal (with the port), for --allow-remote on a wildcard


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this computer only (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_allowed(header: str, allowed: set[str]) -> bool:
    """Whether a request's Host header names this server (DNS rebinding sends a foreign name)."""
    import ipaddress

    if header in allowed:
        return True
    if any(a.startswith(ANY_IP) for a in allowed):
        name, _, port = header.rpartition(":")
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False
        return f"{ANY_IP}:{port}" in allowed
    return False


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host header values a browser sends for this server (brackets for IPv6; no port for 80)."""
    shown = f"[{host}]" if ":" in host else host
    names = {f"{shown}:{port}"}
    if is_loopback(host):
        names |= {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    if host in ("0.0.0.0", "::"):  # every address of this computer: any IP literal, and its own name
        import socket

        names |= {f"{ANY_IP}:{port}", f"{socket.gethostname()}:{port}", f"{socket.getfqdn()}:{port}"}
    if port == 80:
        names |= {name.rsplit(":", 1)[0] for name in names}
    return names


def _launch_file(address: str) -> str:
    """A page only this user can read that sends the browser to ``address``: the secret stays off every
    command line (``ps`` shows the browser's arguments to everyone)."""
    import atexit
    import html
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="consentgen-")  # 0700
    path = Path(folder) / "open.html"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f'<!DOCTYPE html><meta http-equiv="refresh" content="0; url={html.escape(address)}">'
                     f'<a href="{html.escape(address)}">Open consentgen</a>')
    atexit.register(shutil.rmtree, folder, True)
    return path.as_uri()


def serve(host: str = "127.0.0.1", port: int = 8000, *, answers: str | None = None, open_browser: bool = True,
          allow_remote: bool = False, echo: Any = print) -> None:
    """Run the page until Ctrl-C."""
    import socket

    import uvicorn

    from consentgen.errors import OutputError, UsageError

    if not 1024 <= port <= 65535:
        raise UsageError(f"--port {port}: choose a port from 1024 to 65535 (the default is 8000)")
    if not is_loopback(host) and not allow_remote:
        raise UsageError(f"--host {host} is not this computer: anyone on the network could reach the page; add "
                         "--allow-remote if you mean it")
    start = None
    start_text = None
    if answers:
        from consentgen.inputs.answers import read_practice

        flat = q.flatten(read_practice(answers))
        start_text = Path(answers).read_text(encoding="utf-8")
        start = {k: (list(v) if isinstance(v, tuple) else v) for k, v in flat.items() if not k.startswith("_")}
    try:  # bound before anything is announced: a busy port is an error, not an address that leads elsewhere
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        raise OutputError(f"{host}:{port}: cannot serve there ({exc.strerror or exc}); try another --port") from None
    token = secrets.token_urlsafe(24)
    remote = not is_loopback(host)
    app = create_app(token, allowed_hosts(host, port), start=start, start_text=start_text, remote=remote,
                     renders=RenderPool())
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/?t={token}"
    if remote:
        echo(f"Warning: serving on {host}: other computers can reach this page if they have the address.")
    echo(f"consentgen is serving the form page at {address}")
    echo("Press Ctrl-C to stop.")
    if open_browser:
        import webbrowser

        webbrowser.open(_launch_file(address))
    config = uvicorn.Config(app, log_level="warning", limit_concurrency=64, timeout_keep_alive=5)
    uvicorn.Server(config).run(sockets=[sock])
