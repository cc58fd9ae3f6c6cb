"""Who may use the page: the ``Host`` header (DNS rebinding), the size of a POST, and the page's token that every
POST must send in a header (cross-site request forgery); the headers every answer carries.

Two modes. The local page (``consentgen serve``) has one secret per start, which the first address carries. The
public page (``serve --public``, ``public_app``) has no secret: each visitor gets a token in a ``SameSite=Strict``
cookie and in the page, and every POST must send the same token in a header (a double-submit check), which another
site can neither read nor send; its Host must be one of the configured public names (any port)."""

from __future__ import annotations

import hmac
import ipaddress
import socket
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from consentgen.frontends.web.requests import MAX_BODY, TooLarge

ANY_IP = "*ip*"  # in allowed hosts: any IP address literal (with the port), for --allow-remote on a wildcard
TOKEN_HEADER = "x-consentgen-token"  # only a header: a form another site posts cannot set it
VISITOR_COOKIE = "consentgen-visitor"  # the public page's per-visitor token (double-submit); never in the local page
# No cookie: cookies are not separated by port, so another local server the browser visits would receive
# it (redteam W24). The page keeps the secret in sessionStorage, which is kept per port.
PAGE_HEADERS = {"X-Frame-Options": "DENY", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer"}
Handler = Callable[[Request], Awaitable[Response]]


def same(given: str, expected: str) -> bool:
    """A constant-time comparison that accepts any text (a non-ASCII header is simply wrong)."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this computer only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_allowed(header: str, allowed: set[str]) -> bool:
    """Whether a request's Host header names this server (DNS rebinding sends a foreign name)."""
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
        names |= {f"{ANY_IP}:{port}", f"{socket.gethostname()}:{port}", f"{socket.getfqdn()}:{port}"}
    if port == 80:
        names |= {name.rsplit(":", 1)[0] for name in names}
    return names


def public_host_allowed(header: str, names: set[str]) -> bool:
    """Whether a public page's Host header is one of its configured names, on any port (the proxy's)."""
    if header.startswith("["):  # [::1]:8000
        name = header.split("]", 1)[0] + "]"
    else:
        name = header.rsplit(":", 1)[0] if ":" in header else header
    return name.lower() in names


def host_refused(request: Request, hosts: set[str], public: bool = False) -> Response | None:
    """A 421 for a request that names another server, else None."""
    header = request.headers.get("host", "")
    if not (public_host_allowed(header, hosts) if public else host_allowed(header, hosts)):
        return PlainTextResponse("Refused: this page is served only as " + " or ".join(sorted(hosts)),
                                 status_code=421)
    return None


def refused(request: Request, hosts: set[str], token: str, public: bool = False) -> Response | None:
    """Why a request may not be answered (421 foreign host, 413 too large, 403 without the token), or None.

    ``token``: the local page's secret; a public page compares the header with the visitor's cookie instead.
    """
    foreign = host_refused(request, hosts, public)
    if foreign:
        return foreign
    if request.method == "POST":
        declared = request.headers.get("content-length", "")
        if not declared.isdigit() and declared or declared.isdigit() and int(declared) > MAX_BODY:
            return PlainTextResponse("Refused: more than 1 MB.", status_code=413)
        expected = request.cookies.get(VISITOR_COOKIE, "") if public else token
        given = request.headers.get(TOKEN_HEADER, "")
        if not expected or (public and len(expected) < 20) or not same(given, expected):
            return PlainTextResponse("Refused: a request without the page's token.", status_code=403)
    return None


def guarded(handler: Handler) -> Handler:
    """``handler``, behind the host, size and token checks of the app's site; never cached."""
    async def run(request: Request) -> Response:
        site = request.app.state.site
        refusal = refused(request, site.hosts, site.token, site.public)
        if refusal:
            return refusal
        try:
            response = await handler(request)
        except TooLarge:
            response = JSONResponse({"error": "The request is larger than 1 MB."}, status_code=413)
        # the PDF, the answers and the preview hold the practice's details: never kept by a cache
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
    return run
