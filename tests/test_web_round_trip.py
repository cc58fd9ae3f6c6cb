"""W15: every field an answers file holds survives Open answers then Save answers on the web page (issue 22).

The page asks only the wizard's questions; the file it opened is sent back with each request, and what the
page does not ask about is kept from it. Unchanged answers come back byte for byte.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT
from .test_web import _free_port

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TOKEN = "round-trip-token"
FULL = """# my practice
practice:
  name: Bayview Psychology
  address: |
    1200 Harbor Street, Suite 4
    San Francisco, CA 94110
  phone: (415) 555-0142
  email: office@bayviewpsych.example.com
  logo: logo.png
clinician:
  name: Dana Whitfield
  credentials: PhD
  profession: psychologist
  license: PSY 31415
  license_state: US-OR
jurisdiction: US-CA
services:
  individual: true
  couples_family: false
  group: false
  minors: false
  telehealth: true
  insurance: false
policies:
  part2_records: true
  fees: A session is $150.
branding:
  accent_color: '#225588'
templates: clinic-templates
translations:
  es:
    policies:
      fees: Una sesión cuesta $150.
form:
  date: 2026-11-22
"""


def _client(tmp_path):
    from consentgen.frontends.web import create_app

    app = create_app(TOKEN, {"testserver"})
    client = TestClient(app)
    client.headers.update({"X-Consentgen-Token": TOKEN})
    return client


def _files(tmp_path):
    (tmp_path / "logo.png").write_bytes((ROOT / "docs" / "page1-1.png").read_bytes())
    (tmp_path / "clinic-templates").mkdir()
    path = tmp_path / "answers.yaml"
    path.write_text(FULL, encoding="utf-8")
    return path


def test_open_then_save_with_no_change_gives_the_file_back_byte_for_byte(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _files(tmp_path)
    client = _client(tmp_path)
    opened = client.post("/api/open", content=path.read_bytes())
    assert opened.status_code == 200, opened.text
    data = opened.json()
    saved = client.post("/api/answers", json={"answers": data["answers"], "base": data["base"]})
    assert saved.status_code == 200, saved.text
    assert saved.content == path.read_bytes()


def test_a_changed_answer_keeps_every_field_the_page_does_not_ask_about(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _files(tmp_path)
    client = _client(tmp_path)
    data = client.post("/api/open", content=path.read_bytes()).json()
    data["answers"]["practice.phone"] = "(415) 555-0199"
    saved = yaml.safe_load(client.post("/api/answers", json={"answers": data["answers"],
                                                             "base": data["base"]}).content)
    original = yaml.safe_load(FULL)
    assert saved["practice"]["phone"] == "(415) 555-0199"
    assert saved["practice"]["address"].strip() == original["practice"]["address"].strip()  # both lines
    assert saved["practice"]["logo"] == "logo.png"
    assert saved["clinician"]["license_state"] == "US-OR"
    assert saved["policies"]["part2_records"] is True
    assert saved["branding"] == original["branding"] and saved["templates"] == "clinic-templates"
    assert saved["translations"] == original["translations"]
    assert str(saved["form"]["date"]) == "2026-11-22"


def test_without_an_opened_file_the_page_still_saves_its_answers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = _files(tmp_path)
    client = _client(tmp_path)
    data = client.post("/api/open", content=path.read_bytes()).json()
    saved = client.post("/api/answers", json={"answers": data["answers"], "base": "not: [valid"})
    assert saved.status_code == 200 and b"Bayview Psychology" in saved.content


def test_w3_a_body_over_1_mb_is_refused_even_when_chunked(tmp_path):
    client = _client(tmp_path)

    def chunks():
        for _ in range(40):
            yield b"A" * 65536

    for path in ("/api/open", "/api/answers", "/api/preview"):
        reply = client.post(path, content=chunks(), headers={"Content-Type": "application/json"})
        assert reply.status_code == 413, (path, reply.text)


def test_w5_a_kept_logo_path_is_checked_like_the_command_line_checks_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    client = _client(tmp_path)
    text = FULL.replace("logo: logo.png", "logo: " + "L" * 600)
    reply = client.post("/api/open", content=text.encode())
    assert reply.status_code == 422 and "practice.logo" in reply.json()["error"]


def test_w5_w9_odd_secrets_and_malformed_bodies_get_a_refusal_not_a_traceback(tmp_path):
    client = _client(tmp_path)
    assert client.get("/?t=é").status_code == 403
    refused = client.post("/api/check", json={}, headers={b"x-consentgen-token": "é".encode()})
    assert refused.status_code == 403
    deep = client.post("/api/check", content=b"[" * 50_000, headers={"Content-Type": "application/json"})
    assert deep.status_code == 200 and deep.json()["errors"]
    number = client.post("/api/check", json={"answers": {"services": 5}})
    assert number.status_code == 200


def test_w16_markup_in_an_answer_cannot_break_the_page_script(tmp_path):
    from consentgen.frontends.web import create_app

    start = {"practice.name": "Bayview <script> </script><!--<script x Psychology"}
    client = TestClient(create_app(TOKEN, {"testserver"}, start=start))
    page = client.get(f"/?t={TOKEN}").text
    boot = page.split("window.CG = ", 1)[1].split(";</script>", 1)[0]
    assert "<" not in boot and "\\u003cscript>" in boot
    assert page.count("<script") == page.count("</script>")


def test_w18_to_w22_ports_and_hosts_a_browser_really_sends(tmp_path):
    from consentgen.errors import UsageError
    from consentgen.frontends.web import allowed_hosts, host_allowed, is_loopback, serve

    for port in (80, 1023, 70000, -1):  # 0 picks a free port (its own test)
        try:
            serve(port=port, open_browser=False)
        except UsageError as exc:
            assert "1024 to 65535" in exc.message
        else:
            raise AssertionError(port)
    assert host_allowed("[::1]:8001", allowed_hosts("::1", 8001))  # brackets, as browsers send them
    assert is_loopback("127.0.0.2") and is_loopback("::1") and not is_loopback("0.0.0.0")
    lan = allowed_hosts("0.0.0.0", 8002)
    assert host_allowed("10.1.2.3:8002", lan) and not host_allowed("evil.example:8002", lan)
    assert not host_allowed("10.1.2.3:8002", allowed_hosts("127.0.0.1", 8002))


def test_w17_a_busy_port_is_an_error_before_any_address_is_printed(tmp_path):
    import socket

    from consentgen.errors import OutputError
    from consentgen.frontends.web import serve

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    said: list[str] = []
    try:
        if port < 1024:
            return
        serve(port=port, open_browser=False, echo=said.append)
    except OutputError as exc:
        assert f"port {port} is in use" in exc.message and not said
    finally:
        busy.close()


def test_w23_the_browser_gets_a_private_file_not_the_secret_on_its_command_line():
    import os
    import stat
    from urllib.parse import urlparse

    from consentgen.frontends.web.serve import _launch_file

    uri = _launch_file("http://127.0.0.1:8000/?t=secret-value")
    path = urlparse(uri).path
    assert "secret-value" not in uri and "secret-value" in Path(path).read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_r5_w3_a_form_post_is_refused_before_its_body_is_read(tmp_path):
    """Round 5, W3: a form-encoded body was read whole (904 MB) to find the token in it; the token now comes
    only in the header, which a form cannot set, and every body is read at most 1 MB as it arrives."""
    client = _client(tmp_path)
    del client.headers["X-Consentgen-Token"]

    def chunks():
        yield b"payload="
        for _ in range(40):  # 40 MB, chunked: no Content-Length to refuse on
            yield b"x" * 1_000_000

    refused = client.post("/api/pdf", content=chunks(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert refused.status_code == 403
    with_token = client.post("/api/pdf", content=chunks(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Consentgen-Token": TOKEN})
    assert with_token.status_code == 413


def test_the_page_asks_the_spanish_of_own_texts_and_saves_it(tmp_path, monkeypatch):
    """Issue 24: the web page has the wizard's Spanish fields (shown when the form is in Spanish and the
    English text is given), opens them from a file, and saves them under translations.es."""
    monkeypatch.chdir(tmp_path)
    path = _files(tmp_path)
    client = _client(tmp_path)
    opened = client.post("/api/open", content=path.read_bytes()).json()
    answers = {**opened["answers"], "form.language": "en,es"}
    assert answers["translations.es.policies.fees"] == "Una sesión cuesta $150."
    active = client.post("/api/check", json={"answers": answers, "base": opened["base"]}).json()["active"]
    assert "translations.es.policies.fees" in active
    assert "translations.es.policies.cancellation" not in active  # no English text to translate
    answers["translations.es.policies.fees"] = "Una sesión de 50 minutos cuesta $150."
    saved = yaml.safe_load(client.post("/api/answers", json={"answers": answers, "base": opened["base"]}).text)
    assert saved["translations"]["es"]["policies"]["fees"] == "Una sesión de 50 minutos cuesta $150."


def test_w12_idle_connections_are_bounded_and_closed(monkeypatch):
    """W12 (slowloris): serve runs uvicorn with at most 64 connections and closes an idle one after 5 s."""
    import uvicorn
    from consentgen.frontends import web

    seen = {}

    class Caught(Exception):
        pass

    class Server:
        def __init__(self, config):
            seen["config"] = config

        def run(self, sockets=None):
            raise Caught

    monkeypatch.setattr(uvicorn, "Server", Server)
    with pytest.raises(Caught):
        web.serve(port=_free_port(), open_browser=False, echo=lambda s: None)
    assert seen["config"].limit_concurrency == 64 and seen["config"].timeout_keep_alive == 5


def test_w25_every_answer_of_the_api_is_never_cached_nor_sniffed(tmp_path):
    client = _client(tmp_path)
    for path, body in (("/api/check", {}), ("/api/preview", {"answers": {}}), ("/api/answers", {"answers": {}})):
        reply = client.post(path, json=body)
        assert reply.headers["cache-control"] == "no-store", path
        assert reply.headers["x-content-type-options"] == "nosniff", path


def _fake_uvicorn(monkeypatch, seen):
    import uvicorn

    class Caught(Exception):
        pass

    class Server:
        def __init__(self, config):
            seen["config"] = config

        def run(self, sockets=None):
            import socket as socketlib

            port = sockets[0].getsockname()[1]
            with socketlib.create_connection(("127.0.0.1", port), timeout=2):  # already listening
                seen["connected"] = port
            raise Caught

    monkeypatch.setattr(uvicorn, "Server", Server)
    return Caught


def test_port_0_picks_a_free_port_and_announces_it_once_listening(monkeypatch):
    from consentgen.frontends import web

    seen, said = {}, []
    caught = _fake_uvicorn(monkeypatch, seen)
    with pytest.raises(caught):
        web.serve(port=0, open_browser=False, echo=said.append)
    port = seen["connected"]
    assert port >= 1024 and any(f"http://127.0.0.1:{port}/?t=" in line for line in said)


def test_a_port_in_use_gets_one_clear_line_with_a_free_port(capsys):
    import socket as socketlib

    from consentgen.frontends.cli import main

    busy = socketlib.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        assert main(["serve", "--port", str(port), "--no-browser"]) == 3
    finally:
        busy.close()
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert f"port {port} is in use on 127.0.0.1" in err and "--port 0 picks a free one" in err
    assert re.search(r"--port \d+ is free now", err), err


@pytest.mark.pdf
def test_download_all_gives_every_edition_in_every_language_as_one_zip(tmp_path, monkeypatch):
    """Issue 25: "Download all" is one zip of every edition the answers offer, in each form language, named as
    render -o DIR/ names them."""
    import io
    import zipfile

    monkeypatch.chdir(tmp_path)
    path = _files(tmp_path)
    client = _client(tmp_path)
    opened = client.post("/api/open", content=path.read_bytes()).json()
    answers = {**opened["answers"], "form.language": "en,es", "services": ["individual", "couples_family"]}
    made = client.post("/api/pdf-all", json={"answers": answers, "base": opened["base"], "document": "consent"})
    assert made.status_code == 200, made.text
    assert made.headers["content-disposition"] == 'attachment; filename="consentgen-forms.zip"'
    archive = zipfile.ZipFile(io.BytesIO(made.content))
    assert sorted(archive.namelist()) == ["couple_family-es.pdf", "couple_family.pdf", "individual-es.pdf",
                                          "individual.pdf"]
    assert all(archive.read(name).startswith(b"%PDF-") for name in archive.namelist())
    bad = client.post("/api/pdf-all", json={"answers": {**answers, "practice.email": "nope"}, "base": opened["base"]})
    assert bad.status_code == 422 and "practice.email" in bad.text


def test_the_document_picker_offers_every_document_type_and_previews_the_privacy_notice(tmp_path, monkeypatch):
    """Issue 26: the picker is built from the document types' manifests; the privacy notice previews and
    downloads like the consent form and the release, and an unknown document falls back to the consent form."""
    import io
    import zipfile

    monkeypatch.chdir(tmp_path)
    path = _files(tmp_path)
    client = _client(tmp_path)
    page = client.get(f"/?t={TOKEN}").text
    boot = json.loads(page.split("window.CG = ", 1)[1].split(";\n", 1)[0].split(";</script>", 1)[0])
    assert [d["code"] for d in boot["documents"]] == ["consent", "good-faith-estimate", "packet", "privacy-notice",
                                                     "release"]
    assert boot["documents"][3]["label"] == "Notice of privacy practices"
    assert boot["documents"][1]["label"] == "Good faith estimate"
    opened = client.post("/api/open", content=path.read_bytes()).json()
    body = {"answers": opened["answers"], "base": opened["base"], "document": "privacy-notice"}
    preview = client.post("/api/preview", json=body)
    assert preview.status_code == 200, preview.text
    assert "THIS NOTICE DESCRIBES HOW MEDICAL INFORMATION ABOUT YOU" in preview.json()["html"]
    made = client.post("/api/pdf-all", json=body)
    assert made.headers["content-disposition"] == 'attachment; filename="consentgen-privacy-notice-forms.zip"'
    assert zipfile.ZipFile(io.BytesIO(made.content)).namelist() == ["privacy-notice.pdf"]
    odd = client.post("/api/preview", json={**body, "document": "../consent"})
    assert "THIS NOTICE DESCRIBES" not in odd.json()["html"]
