"""The public page (issue 28): many visitors behind a reverse proxy, with no per-start secret. Each difference
from the local page has its test: a foreign Host refused, a POST without the visitor's token refused, a 2 MB
body refused, a flood of renders answered 503 with Retry-After, nothing written to disk by a session."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

ANSWERS = {"practice.name": "Harbor Counseling", "practice.address": "1 Main St, Salem, OR 97301",
           "practice.phone": "503-555-0100", "practice.email": "office@harbor.example.com",
           "clinician.name": "Jo Park", "clinician.credentials": "LPC", "clinician.profession": "counselor",
           "clinician.license": "C1234", "jurisdiction": "US-OR", "services": ["individual"],
           "form.language": "en"}


def _public(renders=None, hosts=None):
    from consentgen.frontends.renders import InlineRenders
    from consentgen.frontends.web import make_public_app

    app = make_public_app(hosts or {"forms.example.org"}, renders=renders or InlineRenders())
    return TestClient(app, base_url="https://forms.example.org")


def _visit(client):
    page = client.get("/")
    assert page.status_code == 200, page.text
    token = client.cookies.get("consentgen-visitor")
    assert token and f'"token": "{token}"' in page.text  # the same token in the cookie and in the page
    return token


def test_a_visitor_gets_a_strict_cookie_and_the_page_without_a_secret_in_the_address():
    client = _public()
    page = client.get("/")
    cookie = page.headers["set-cookie"]
    assert "consentgen-visitor=" in cookie and "SameSite=strict" in cookie.replace("samesite", "SameSite") \
        and "HttpOnly" in cookie.replace("httponly", "HttpOnly") and "Secure" in cookie.replace("secure", "Secure")
    assert "remote-warning" not in page.text  # the public page is meant for others; no alarm
    assert page.headers["x-frame-options"] == "DENY" and "content-security-policy" in page.headers


def test_every_post_needs_the_visitors_own_token_in_a_header():
    client = _public()
    token = _visit(client)
    body = {"answers": ANSWERS}
    assert client.post("/api/check", json=body).status_code == 403  # the cookie alone (what a form post sends)
    assert client.post("/api/check", json=body, headers={"X-Consentgen-Token": "x" * 32}).status_code == 403
    assert client.post("/api/check", json=body, headers={"X-Consentgen-Token": token}).status_code == 200
    other = _public()  # another visitor's token is not this visitor's
    assert other.post("/api/check", json=body, headers={"X-Consentgen-Token": token}).status_code == 403


def test_a_foreign_host_is_refused_and_the_configured_names_work_on_any_port():
    client = _public()
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 421
    assert client.get("/", headers={"Host": "forms.example.org:8443"}).status_code == 200
    assert client.get("/", headers={"Host": "forms.example.org.evil.example"}).status_code == 421


def test_without_configured_names_only_this_computer_is_accepted(monkeypatch):
    from consentgen.frontends.web import public_hosts

    monkeypatch.delenv("CONSENTGEN_PUBLIC_HOSTS", raising=False)
    assert public_hosts(()) == {"localhost", "127.0.0.1"}
    monkeypatch.setenv("CONSENTGEN_PUBLIC_HOSTS", "Forms.Example.org, www.example.org")
    assert public_hosts(("intake.example.org",)) == {"forms.example.org", "www.example.org", "intake.example.org"}


def test_a_2_mb_body_is_refused():
    client = _public()
    token = _visit(client)
    big = client.post("/api/check", content=b"x" * 2_000_000,
                      headers={"X-Consentgen-Token": token, "Content-Type": "application/json"})
    assert big.status_code == 413


def test_a_flood_of_renders_gets_503_with_retry_after():
    from consentgen.frontends.renders import Busy

    class Full:
        async def run(self, practice, options, today):
            raise Busy("The page is busy; try again in a few seconds.")

        def start(self):
            pass

        def close(self):
            pass

    client = _public(renders=Full())
    token = _visit(client)
    for path in ("/api/preview", "/api/pdf", "/api/pdf-all"):
        made = client.post(path, json={"answers": ANSWERS}, headers={"X-Consentgen-Token": token})
        assert made.status_code == 503 and made.headers["retry-after"] == "5", (path, made.text)


@pytest.mark.pdf
def test_a_session_writes_nothing_to_disk(tmp_path, monkeypatch):
    """Review M4: with folders of its own (other test workers share the session's), a visitor's session, the
    upload included, leaves the working folder and consentgen's state empty."""
    import tempfile

    work, state, scratch = tmp_path / "work", tmp_path / "state", tmp_path / "tmp"
    work.mkdir()
    scratch.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where a temporary file would go
    monkeypatch.setenv("CONSENTGEN_STATE_DIR", str(state))
    client = _public()
    token = _visit(client)
    headers = {"X-Consentgen-Token": token}
    assert client.post("/api/check", json={"answers": ANSWERS}, headers=headers).status_code == 200
    assert client.post("/api/preview", json={"answers": ANSWERS}, headers=headers).status_code == 200
    assert client.post("/api/pdf", json={"answers": ANSWERS}, headers=headers).status_code == 200
    saved = client.post("/api/answers", json={"answers": ANSWERS}, headers=headers)
    assert saved.status_code == 200
    assert client.post("/api/open", content=saved.content, headers=headers).status_code == 200
    assert not list(work.iterdir())
    # the only temporary files are the PDF engine's copies of consentgen's own fonts, made once per process
    left = [p for p in scratch.rglob("*") if p.is_file()]
    assert all(p.relative_to(scratch).parts[0].startswith("weasyprint-") for p in left), left
    assert not state.exists() or not list(state.rglob("*"))


def test_serve_public_options_are_checked_before_anything_starts():
    from .test_cli import run

    assert run("serve", "--public-host", "x.example").returncode == 2  # only with --public
    assert run("serve", "--public", "--answers", "a.yaml").returncode == 2


NGINX = __import__("shutil").which("nginx") or ("/usr/sbin/nginx" if __import__("os").path.exists("/usr/sbin/nginx")
                                                else None)


@pytest.fixture
def behind_nginx(tmp_path):
    """``consentgen serve --public`` on a free port, behind a real nginx (Debian's) on another, as a host runs it."""
    import subprocess
    import sys
    import time

    import httpx

    from .test_web import _free_port

    if not NGINX:
        pytest.skip("nginx is not installed (.ci/run and ./dev install it)")
    app_port, proxy_port = _free_port(), _free_port()
    app = subprocess.Popen([sys.executable, "-m", "consentgen", "serve", "--public", "--port", str(app_port),
                            "--public-host", "localhost", "--proxy", "127.0.0.1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    (tmp_path / "logs").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fcgi; uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;
    server {{
        listen 127.0.0.1:{proxy_port};
        client_max_body_size 1m;
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
""")
    proxy = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://localhost:{proxy_port}"
    for _ in range(200):
        try:
            if httpx.get(base + "/", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    else:
        app.terminate()
        proxy.terminate()
        pytest.fail("the public page did not come up behind nginx: " + (app.stderr.read1(2000) or b"").decode()
                    + (proxy.stderr.read1(2000) or b"").decode())
    yield base
    proxy.terminate()
    app.terminate()
    proxy.wait(timeout=10)
    app.wait(timeout=10)


@pytest.mark.slow
def test_behind_nginx_the_visitor_token_host_check_and_forwarded_scheme_hold(behind_nginx):
    import httpx

    with httpx.Client(base_url=behind_nginx) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert "secure" in page.headers["set-cookie"].lower()  # https, as the trusted proxy reports it
        token = page.cookies.get("consentgen-visitor")
        client.cookies.set("consentgen-visitor", token)
        ok = client.post("/api/check", json={"answers": ANSWERS}, headers={"X-Consentgen-Token": token})
        assert ok.status_code == 200, ok.text
        assert client.post("/api/check", json={"answers": ANSWERS}).status_code == 403
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 421
        too_big = client.post("/api/check", content=b"x" * 2_000_000, headers={"X-Consentgen-Token": token})
        assert too_big.status_code == 413  # nginx refuses it first (client_max_body_size), as configured


@pytest.mark.slow
def test_a_visitor_makes_a_form_in_chromium_behind_nginx(behind_nginx, tmp_path):
    from .test_web import CHROMIUM, _fill_ohio_counselor

    if not CHROMIUM:
        pytest.skip("chromium is not installed (./dev installs it)")
    sync = pytest.importorskip("playwright.sync_api")
    with sync.sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(bypass_csp=True)  # the test's own checks run as page scripts
            page.goto(behind_nginx + "/")
            _fill_ohio_counselor(page)
            page.fill("#q-practice-email", "office@lakeside.example.com")
            page.wait_for_function("document.getElementById('frame').srcdoc.includes('Ohio')", timeout=30000)
            assert "t=" not in page.url  # no secret in the address
        finally:
            browser.close()



def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    import os

    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.add(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return found


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_a_server_stopped_with_sigterm_leaves_no_render_workers_behind():
    """Found in session 13: ``serve --public`` stopped with SIGTERM (as ``kill``, a supervisor or a test stops it)
    left its render workers running, idle, about 63 MB each; every test run added six. A worker now ends itself when
    the server that started it is gone."""
    import signal
    import subprocess
    import sys
    import time

    from .test_web import _free_port

    server = subprocess.Popen([sys.executable, "-m", "consentgen", "serve", "--public", "--port", str(_free_port()),
                               "--public-host", "localhost"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not workers:  # stopped as soon as a worker is starting: the race
            time.sleep(0.1)
            workers |= {p for p in _children(server.pid) if "spawn_main" in _cmdline(p)}
        assert workers, "the server started no render workers"
    finally:
        server.send_signal(signal.SIGTERM)
        while server.poll() is None:  # every worker it starts while stopping counts too
            workers |= {p for p in _children(server.pid) if "spawn_main" in _cmdline(p)}
            time.sleep(0.05)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.2)
    assert not [p for p in workers if _alive(p)], "render workers outlived the server"
