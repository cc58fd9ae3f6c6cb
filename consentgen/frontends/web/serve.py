"""``consentgen serve``: bind the address, make the secret, announce the page and run it until Ctrl-C."""

from __future__ import annotations

import errno
import os
import secrets
import socket
from pathlib import Path
from typing import Any

from consentgen.frontends import questions as q
from consentgen.frontends.renders import RenderPool
from consentgen.frontends.web.app import create_app
from consentgen.frontends.web.guard import allowed_hosts, is_loopback


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


def _bound(host: str, port: int) -> socket.socket:
    """A listening-ready socket bound to ``host:port`` (port 0: a free port the system picks)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _free_port(host: str, busy: int) -> int | None:
    """The next port after ``busy`` that is free now (for the message), or None."""
    for candidate in range(busy + 1, min(busy + 50, 65536)):
        try:
            _bound(host, candidate).close()
        except OSError:
            continue
        return candidate
    return None


def serve(host: str = "127.0.0.1", port: int = 8000, *, answers: str | None = None, open_browser: bool = True,
          allow_remote: bool = False, echo: Any = print) -> None:
    """Run the page until Ctrl-C."""
    import uvicorn

    from consentgen.errors import OutputError, UsageError

    if port != 0 and not 1024 <= port <= 65535:
        raise UsageError(f"--port {port}: choose a port from 1024 to 65535, or 0 to let consentgen pick a free "
                         "one (the default is 8000)")
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
        sock = _bound(host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            free = _free_port(host, port)
            raise OutputError(f"port {port} is in use on {host} (another program, or another consentgen serve, is "
                              f"there); " + (f"--port {free} is free now, " if free else "")
                              + "or --port 0 picks a free one") from None
        raise OutputError(f"{host}:{port}: cannot serve there ({exc.strerror or exc}); try another --port") from None
    sock.listen(128)  # listening before the address is announced: a browser opened at once finds the page
    port = sock.getsockname()[1]  # the port the system gave, for --port 0
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


def serve_public(host: str = "127.0.0.1", port: int = 8000, *, public_host: tuple[str, ...] = (),
                 workers: int = 1, proxy: tuple[str, ...] = (), echo: Any = print) -> None:
    """Run the public page (``serve --public``) until stopped: no secret, a per-visitor token, the Host checked
    against the public names, proxy headers read only from ``proxy`` (the reverse proxy's addresses)."""
    import os

    import uvicorn

    from consentgen.errors import UsageError
    from consentgen.frontends.web.app import public_hosts

    if port != 0 and not 1024 <= port <= 65535:
        raise UsageError(f"--port {port}: choose a port from 1024 to 65535 (the reverse proxy forwards to it)")
    if workers < 1 or workers > 64:
        raise UsageError("--workers must be 1 to 64")
    names = public_hosts(public_host)
    os.environ["CONSENTGEN_PUBLIC_HOSTS"] = ",".join(sorted(names))  # the worker processes read it
    echo(f"consentgen is serving the public form page on {host}:{port} for {', '.join(sorted(names))} "
         f"({workers} process{'es' if workers > 1 else ''}); put it behind a reverse proxy with TLS.")
    if proxy:
        echo(f"Proxy headers (X-Forwarded-For, X-Forwarded-Proto) are read only from {', '.join(proxy)}.")
    echo("Press Ctrl-C to stop.")
    uvicorn.run("consentgen.frontends.web:public_app", host=host, port=port, workers=workers,
                log_level="warning", access_log=False,  # nothing a visitor sends is logged
                limit_concurrency=64 * workers, timeout_keep_alive=5,
                proxy_headers=bool(proxy), forwarded_allow_ips=",".join(proxy) if proxy else None)
