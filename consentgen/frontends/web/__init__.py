"""The web page: the wizard's questions in a browser, with a live preview (``consentgen serve``).

A second front end over the same questions (``frontends.questions``), validation and pipeline, served by
Starlette through uvicorn. ``requests`` reads what a request carries, ``guard`` decides who may use the page,
``app`` holds the routes and ``serve`` runs it. Safety (see the README):
- every request must name the bound host (``Host`` header: DNS rebinding is refused);
- a secret made at each start is needed: in the first URL (the page then keeps it in the tab's
  sessionStorage, which is per port, never in a cookie, which is not); every POST sends it in a
  header, which another site's page or form cannot do (cross-site request forgery);
- nothing reads or writes the server's disk: answers come in as uploads or form data and go out
  as downloads; uploads are limited to 1 MB; renders use the CLI's sandbox and fetcher rules.
The public page (``serve --public``, ``public_app``) is the same app with the differences in ``guard`` and
``app``: no secret, a per-visitor token in a SameSite=Strict cookie and a header, the Host checked against the
configured public names.
"""

from consentgen.frontends.web.app import create_app, make_public_app, public_app, public_hosts
from consentgen.frontends.web.guard import allowed_hosts, host_allowed, is_loopback
from consentgen.frontends.web.serve import serve, serve_public

__all__ = ["allowed_hosts", "create_app", "host_allowed", "is_loopback", "make_public_app", "public_app",
           "public_hosts", "serve", "serve_public"]
