"""The local web page, driven in a real headless Chromium (Playwright with Debian's chromium)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import pytest

from .conftest import ROOT

pytestmark = [pytest.mark.slow]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = ROOT / "tests" / "web" / "node_modules" / "axe-core" / "axe.min.js"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server():
    uvicorn = pytest.importorskip("uvicorn")
    from consentgen.frontends.web import create_app

    port = _free_port()
    token = "test-token-123"
    from consentgen.frontends.renders import RenderPool

    app = create_app(token, {f"127.0.0.1:{port}", f"localhost:{port}"}, renders=RenderPool(workers=1))  # as serve
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(100):
        if instance.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", token
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("chromium is not installed (./dev installs it)")
    sync = pytest.importorskip("playwright.sync_api")
    with sync.sync_playwright() as play:
        instance = play.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield instance
        instance.close()


def _fill_ohio_counselor(page):
    page.fill("#q-practice-name", "Lakeside Counseling")
    page.fill("#q-practice-address", "12 Main St, Columbus, OH 43215")
    page.fill("#q-practice-phone", "614-555-0100")
    page.fill("#q-practice-email", "not-an-email")
    page.fill("#q-clinician-name", "Jo Park")
    page.fill("#q-clinician-credentials", "LPC")
    page.select_option("#q-clinician-profession", "counselor")
    page.fill("#q-clinician-license", "C 1234")
    page.fill("#q-jurisdiction", "Ohio")
    page.keyboard.press("Escape")  # close the suggestion list, as a user would by picking or moving on
    page.check("input[name='services'][value='minors']")


def test_a_new_user_makes_a_pdf_for_an_ohio_counselor_who_sees_teens(server, browser, tmp_path):
    import pypdf

    base, token = server
    page = browser.new_page(accept_downloads=True, bypass_csp=True)
    page.goto(f"{base}/?t={token}")
    assert page.title().startswith("consentgen")
    _fill_ohio_counselor(page)
    page.wait_for_function("document.getElementById('q-practice-email-error').textContent.length > 0")
    error = page.text_content("#q-practice-email-error")
    assert "is not an email address" in error
    assert page.get_attribute("#q-practice-email", "aria-describedby") == "q-practice-email-error"
    page.fill("#q-practice-email", "office@lakeside.example.com")
    page.wait_for_function("document.getElementById('q-practice-email-error').textContent === ''")
    page.wait_for_function("document.getElementById('frame').srcdoc.includes('Ohio')", timeout=15000)
    page.wait_for_function("Array.from(document.querySelectorAll('#edition option')).some(o => o.value === 'minor')")
    page.select_option("#edition", "minor")
    page.wait_for_function("document.getElementById('frame').srcdoc.includes('If you are under 18')", timeout=15000)
    assert "Ohio" in page.text_content("#warnings") or page.text_content("#warnings") == ""
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Preview updated')")
    try:
        with page.expect_download(timeout=60000) as info:
            page.focus("#pdf")  # as a keyboard user: no pop-up list can take the click
            page.keyboard.press("Enter")
    except Exception:
        raise AssertionError("no download; the page says: " + str(page.text_content("#status"))) from None
    pdf = tmp_path / "minor.pdf"
    info.value.save_as(pdf)
    reader = pypdf.PdfReader(str(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Jo Park" in text and "Ohio" in text and "parent_guardian_signature" in reader.get_fields()
    with page.expect_download(timeout=60000) as info:
        page.focus("#save")
        page.keyboard.press("Enter")
    saved = tmp_path / "answers.yaml"
    info.value.save_as(saved)
    from consentgen.inputs.answers import read_practice

    practice = read_practice(saved)
    assert practice.jurisdiction == "US-OH" and practice.services.minors and practice.form.date
    fresh = browser.new_page(bypass_csp=True)
    fresh.goto(f"{base}/?t={token}")
    fresh.set_input_files("#open", str(saved))
    fresh.wait_for_function("document.getElementById('q-practice-name').value === 'Lakeside Counseling'")
    fresh.wait_for_function("document.getElementById('frame').srcdoc.includes('Lakeside Counseling')", timeout=15000)
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    if os.environ.get("CONSENTGEN_SCREENSHOT"):  # refresh the README's picture on purpose only
        shutil.copy(tmp_path / "page.png", os.environ["CONSENTGEN_SCREENSHOT"])


def test_the_page_has_no_axe_violations(server, browser):
    if not AXE.is_file():
        pytest.skip("axe-core not installed (./dev installs it with npm)")
    base, token = server
    page = browser.new_page(bypass_csp=True)  # lets the test evaluate scripts; the CSP itself is tested below
    page.goto(f"{base}/?t={token}")
    page.wait_for_function("document.querySelectorAll('.field').length > 10")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                           ".map(v => v.id + ': ' + v.nodes.length)")
    assert result == [], result


def test_keyboard_alone_reaches_every_question_in_order(server, browser):
    base, token = server
    page = browser.new_page(bypass_csp=True)  # lets the test evaluate scripts; the CSP itself is tested below
    page.goto(f"{base}/?t={token}")
    page.wait_for_function("document.querySelectorAll('.field').length > 10")
    page.focus("#q-practice-name")
    order = []
    for _ in range(5):
        order.append(page.evaluate("document.activeElement.id"))
        page.keyboard.press("Tab")
    assert order == ["q-practice-name", "q-practice-address", "q-practice-phone", "q-practice-email",
                     "q-practice-website"]


def test_foreign_host_missing_token_and_cross_site_posts_are_refused(server):
    import httpx

    base, token = server
    assert httpx.get(f"{base}/", headers={"Host": "evil.example:80"}).status_code == 421  # DNS rebinding
    reopen = httpx.get(f"{base}/")  # no secret: a page that only asks the tab for it, with no answers in it
    assert reopen.status_code == 200 and "window.CG" not in reopen.text and "set-cookie" not in reopen.headers
    assert httpx.get(f"{base}/?t=wrong").status_code == 403
    with httpx.Client(base_url=base) as client:
        page = client.get(f"/?t={token}")
        assert page.status_code == 200 and "window.CG" in page.text
        assert "set-cookie" not in page.headers and not client.cookies  # W24: no cookie to leak to another port
        assert page.headers["referrer-policy"] == "no-referrer"
        policy = page.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "unsafe-eval" not in policy and "'unsafe-inline'" not in \
            policy.split("script-src")[1].split(";")[0]
        assert "http" not in page.text.split("<body>")[0].replace("http-equiv", "")  # nothing loaded from outside
        body = {"answers": {}}
        assert client.post("/api/check", json=body).status_code == 403  # no token header: a foreign page's form
        assert client.post("/api/check", json=body, headers={"X-Consentgen-Token": token}).status_code == 200
        big = b"x" * 1_100_000
        assert client.post("/api/open", content=big, headers={"X-Consentgen-Token": token}).status_code == 413
        bad = client.post("/api/open", content=b"practice: [1", headers={"X-Consentgen-Token": token})
        assert bad.status_code == 422 and "YAML" in bad.json()["error"] and "/tmp" not in bad.json()["error"]


def test_a_reload_keeps_the_page_without_a_cookie(server, browser):
    """W24: the secret lives in the tab's sessionStorage (per port), never in a cookie (sent to every port):
    a reload brings the page back, and the address bar no longer shows the secret."""
    base, token = server
    page = browser.new_page()
    page.goto(f"{base}/?t={token}")
    _until(lambda: page.url == f"{base}/")  # the secret is taken out of the address bar
    assert not page.context.cookies()
    page.reload()
    _until(lambda: page.query_selector("#q-practice-name") is not None)
    assert not page.context.cookies()
    fresh = browser.new_page()  # another tab (or another site's page) has no secret
    fresh.goto(f"{base}/")
    _until(lambda: "Open your form page" in (fresh.text_content("h1") or ""))


def test_serve_refuses_a_remote_host_without_allow_remote():
    from .test_cli import run

    out = run("serve", "--host", "0.0.0.0", "--no-browser")
    assert out.returncode == 2 and "--allow-remote" in out.stderr


def test_the_preview_and_the_pdf_follow_the_form_language(server, browser, tmp_path):
    import pypdf

    base, token = server
    page = browser.new_page(accept_downloads=True, bypass_csp=True)
    page.goto(f"{base}/?t={token}")
    _fill_ohio_counselor(page)
    page.fill("#q-practice-email", "office@lakeside.example.com")
    page.select_option("#q-form-language", "es")  # the answer moves the preview's Language picker
    page.wait_for_function("document.getElementById('frame').srcdoc.includes('Su privacidad en la terapia')",
                           timeout=15000)
    assert page.input_value("#language") == "es"
    page.select_option("#language", "en")  # the picker alone previews the other language
    page.wait_for_function("document.getElementById('frame').srcdoc.includes('Your Privacy in Therapy')",
                           timeout=15000)
    page.select_option("#language", "es")
    page.wait_for_function("document.getElementById('frame').srcdoc.includes('lang=\"es\"')", timeout=15000)
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Preview updated')")
    with page.expect_download(timeout=60000) as info:
        page.focus("#pdf")
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == "individual-es.pdf"
    pdf = tmp_path / "form.pdf"
    info.value.save_as(pdf)
    reader = pypdf.PdfReader(str(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "es-US"
    assert "Debo reportarlo" in " ".join(p.extract_text() for p in reader.pages)


def test_open_then_save_in_the_browser_keeps_the_file_byte_for_byte(server, browser, tmp_path):
    """W15: Open answers then Save answers used to drop translations, branding, license_state, the date..."""
    from .test_web_round_trip import FULL

    base, token = server
    original = tmp_path / "mine.yaml"
    original.write_text(FULL.replace("  logo: logo.png\n", "").replace("templates: clinic-templates\n", ""),
                        encoding="utf-8")
    page = browser.new_page(accept_downloads=True, bypass_csp=True)
    page.goto(f"{base}/?t={token}")
    page.set_input_files("#open", str(original))
    page.wait_for_function("document.getElementById('q-practice-name').value === 'Bayview Psychology'")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Preview updated')",
                           timeout=15000)
    with page.expect_download(timeout=60000) as info:
        page.focus("#save")
        page.keyboard.press("Enter")
    saved = tmp_path / "saved.yaml"
    info.value.save_as(saved)
    assert saved.read_bytes() == original.read_bytes()


def _until(check, seconds=20.0):
    """Poll ``check`` until it is true (the page's CSP forbids Playwright's evaluated wait functions)."""
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            raise AssertionError("the page never got there")
        time.sleep(0.1)


def test_a_refused_download_keeps_the_page_and_every_answer(server, browser, tmp_path):
    """Red team round 5, W2: a busy server (503) or a render error (422) used to replace the page with
    plain text, and Back lost the answers. The download is fetched: the refusal shows in the status line.
    The page's own Content-Security-Policy is in force here, and a real download still works under it."""
    base, token = server
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{base}/?t={token}")
    _fill_ohio_counselor(page)
    page.fill("#q-practice-email", "office@lakeside.example.com")
    _until(lambda: "Ohio" in (page.get_attribute("#frame", "srcdoc") or ""))
    page.route("**/api/pdf", lambda route: route.fulfill(
        status=503, content_type="text/plain", body="The PDF was not made: the page is busy: 16 renders are waiting."))
    page.focus("#pdf")  # as a keyboard user: no pop-up list can take the click
    page.keyboard.press("Enter")
    _until(lambda: "busy" in (page.text_content("#status") or ""))
    assert page.url.startswith(base) and page.input_value("#q-practice-name") == "Lakeside Counseling"
    page.unroute("**/api/pdf")
    with page.expect_download(timeout=60000) as info:
        page.focus("#pdf")
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.endswith(".pdf")


def test_the_page_fits_a_phone(server, browser):
    """At 390 px (a phone) the preview goes below the questions: nothing is squeezed or scrolls sideways."""
    base, token = server
    page = browser.new_page(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page.goto(f"{base}/?t={token}")
    page.wait_for_selector("#q-practice-name")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    form_box, frame_box = page.locator("#answers").bounding_box(), page.locator("#frame").bounding_box()
    assert frame_box["y"] > form_box["y"] + form_box["height"] - 1  # stacked, not side by side
    assert frame_box["width"] > 300


def test_the_controls_fit_a_phone_and_the_packet_previews(server, browser):
    """At 390 px every control of the preview (document, edition, language, downloads) is on screen, none wider than
    the phone, and choosing the first-session packet previews its table of contents (issues 25 and 26)."""
    base, token = server
    page = browser.new_page(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page.goto(f"{base}/?t={token}")
    _fill_ohio_counselor(page)
    page.fill("#q-practice-email", "office@lakeside.example.com")
    _until(lambda: "Ohio" in (page.get_attribute("#frame", "srcdoc") or ""))
    for control in ("#document", "#edition", "#language", "#pdf", "#pdf-all"):
        box = page.locator(control).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, control
        assert box["height"] >= 24, control  # big enough to tap
    labels = [o.strip() for o in page.locator("#document option").all_text_contents()]
    assert "Good faith estimate" in labels and any(label.startswith("First-session packet") for label in labels)
    page.select_option("#document", "packet")
    _until(lambda: 'data-document="good-faith-estimate"' in (page.get_attribute("#frame", "srcdoc") or ""))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_check_a_signed_copy_in_the_browser(server, browser, tmp_path):
    """Issue 27: the page's "Check a signed copy" runs verify on an uploaded PDF, in memory (nothing kept): a form
    signed by typing is AS ISSUED with the signer named; an edited one is CHANGED; a file that is not a form gets
    a message, not a traceback."""
    import httpx
    import pypdf

    from .conftest import EXAMPLES
    from .test_cli import run

    base, token = server
    form = tmp_path / "form.pdf"
    assert run("render", EXAMPLES[0], "-o", form, "--for", "individual").returncode == 0
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(form))
    for page in writer.pages:
        writer.update_page_form_field_values(page, {"client_typed": "Sam Client"}, auto_regenerate=False)
    signed = tmp_path / "signed.pdf"
    writer.write(signed)
    page = browser.new_page()
    page.goto(f"{base}/?t={token}")
    page.set_input_files("#verify-file", str(signed))
    _until(lambda: "AS ISSUED" in page.inner_text("#verify-result"))
    shown = page.inner_text("#verify-result")
    assert shown.startswith("signed.pdf: AS ISSUED - the content and size of all")
    assert "client: typed a name ('Sam Client') but did not tick" in shown
    page.close()

    headers = {"X-Consentgen-Token": token}
    with httpx.Client(base_url=base) as client:
        content = writer.pages[0].get_contents()
        content.set_data(content.get_data() + b"\nq 0 0 1 rg 10 10 50 50 re f Q")
        writer.pages[0].replace_contents(content)
        edited = tmp_path / "edited.pdf"
        writer.write(edited)
        reply = client.post("/api/verify", content=edited.read_bytes(), headers=headers)
        assert reply.status_code == 200 and not reply.json()["ok"] and reply.json()["lines"][0].startswith("CHANGED")
        junk = client.post("/api/verify", content=b"not a pdf", headers=headers)
        assert junk.status_code == 422 and "Traceback" not in junk.text and "/tmp" not in junk.text
        assert client.post("/api/verify", content=signed.read_bytes()).status_code == 403  # no token: refused
