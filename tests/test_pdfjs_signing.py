"""Issue 27: a client signs in a browser. Chromium's built-in viewer cannot be driven to save, so the form is
filled and saved by pdf.js (Firefox's viewer, and the one many web apps embed) in headless Chromium, as a client
would: type the name, tick "I agree to sign electronically", type the date, save. ``verify`` must then say: the
issued form, unchanged, signed by typed name (and, for a certified form, the certification still holds)."""

from __future__ import annotations

import base64
import functools
import http.server
import io
import json
import shutil
import socket
import sys
import threading

import pytest

from .conftest import EXAMPLES, ROOT
from .test_cli import run

try:  # the certification test's keys (made in the test); without pyHanko that test is skipped
    from .test_certify import keys  # noqa: F401 - a fixture, used by name
except pytest.skip.Exception:
    @pytest.fixture
    def keys():
        pytest.skip("pyHanko is not installed")

pytestmark = [pytest.mark.slow, pytest.mark.pdf]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFJS = ROOT / "tests" / "web" / "node_modules" / "pdfjs-dist" / "build"
PAGE = """<!doctype html><meta charset="utf-8"><title>pdf.js signer</title>
<script type="module">
import * as pdfjs from "/pdfjs/pdf.mjs";
pdfjs.GlobalWorkerOptions.workerSrc = "/pdfjs/pdf.worker.mjs";
window.fillAndSave = async (url, values) => {
  const doc = await pdfjs.getDocument({url}).promise;
  const fields = await doc.getFieldObjects();  // a Map from pdf.js 6, an object before
  const named = (name) => (fields instanceof Map ? fields.get(name) : fields[name]) || [];
  for (const [name, value] of Object.entries(values)) {
    for (const field of named(name)) doc.annotationStorage.setValue(field.id, {value});
  }
  const bytes = await doc.saveDocument();
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
};
window.ready = true;
</script>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A local server for the page, pdf.js and the forms (pdf.js loads as ES modules, which file:// refuses)."""
    if not (PDFJS / "pdf.mjs").exists():
        pytest.skip("pdf.js is not installed (./dev installs it under tests/web)")
    root = tmp_path_factory.mktemp("pdfjs-site")
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "pdfjs").symlink_to(PDFJS)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript"}

        def log_message(self, *args: object) -> None:
            pass

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="module")
def page(site):
    if not CHROMIUM:
        pytest.skip("chromium is not installed (./dev installs it)")
    sync = pytest.importorskip("playwright.sync_api")
    with sync.sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        tab = browser.new_page()
        tab.goto(site[1] + "/index.html")
        tab.wait_for_function("window.ready === true")
        yield tab
        browser.close()


def _sign_in_browser(site, page, form, out):
    root, _ = site
    shutil.copy(form, root / form.name)
    saved = page.evaluate("([url, values]) => fillAndSave(url, values)",
                          ["/" + form.name, {"client_typed": "Sam Client", "client_agree": True,
                                             "client_date": "12/07/2026"}])
    out.write_bytes(base64.b64decode(saved))
    return out


def test_a_form_signed_by_typing_in_pdfjs_verifies_as_issued_and_signed(site, page, tmp_path):
    form = tmp_path / "form.pdf"
    assert run("render", EXAMPLES[0], "-o", form, "--for", "individual").returncode == 0
    signed = _sign_in_browser(site, page, form, tmp_path / "signed.pdf")
    assert signed.read_bytes() != form.read_bytes()
    done = run("verify", signed)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "AS ISSUED" in done.stdout
    assert "client: typed their name ('Sam Client') and ticked 'I agree to sign electronically'" in done.stdout
    verdict = json.loads(run("verify", signed, "--json").stdout)[0]
    client = next(s for s in verdict["signers"] if s["signer"] == "client")
    assert client["typed_name"] == "Sam Client" and client["agreed"] and client["date"] == "12/07/2026"
    assert not verdict["added_fields"] and not verdict["drawn_marks"]


def test_a_certified_form_signed_in_pdfjs_keeps_its_certification(site, page, tmp_path, monkeypatch, keys):
    from .test_certify import PASSWORD

    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    form = tmp_path / "certified.pdf"
    done = run("render", EXAMPLES[0], "-o", form, "--for", "individual", "--certify", keys / "jo.p12")
    assert done.returncode == 0, done.stderr
    signed = _sign_in_browser(site, page, form, tmp_path / "certified-signed.pdf")
    verdict = json.loads(run("verify", signed, "--json").stdout)[0]
    assert verdict["pages_as_issued"] and verdict["certification"]["holds"], verdict
    assert verdict["certification"]["intact"] and not verdict["certification"]["record_replaced"]
    client = next(s for s in verdict["signers"] if s["signer"] == "client")
    assert client["typed_name"] == "Sam Client" and client["agreed"]
