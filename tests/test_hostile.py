"""Hostile input and failure safety: nothing leaks, nothing is fetched, nothing good is lost."""

from __future__ import annotations

import http.server
import io
import os
import signal
import subprocess
import sys
import threading
import time

import pypdf
import pytest
from consentgen.errors import OutputError, RenderError, TemplateError
from consentgen.files.output import write_atomic
from consentgen.inputs.answers import parse_practice, read_practice
from consentgen.model.options import RenderOptions
from consentgen.pipeline import generate, make_form

from tests.conftest import render_bytes as render_document

from .conftest import EXAMPLES, ROOT

INJECTIONS = [
    "<script>alert('x')</script>",
    "<b>bold</b> <img src=x onerror=alert(1)>",
    "{{ 7*7 }} {% raw %}",
    "Smith & Sons \"Quoted\" 'single'",
    "Zoë Ñúñez-Çelik",
    "שלום עולם مرحبا",
    "Therapy 😀 ✓",
]
TEXT_FIELDS = [("practice", "name"), ("practice", "address"), ("clinician", "name"), ("clinician", "credentials")]


@pytest.mark.parametrize("text", INJECTIONS)
@pytest.mark.parametrize(("section", "key"), TEXT_FIELDS)
def test_text_is_shown_as_text_never_evaluated(valid_answers, today, section, key, text):
    valid_answers[section][key] = text
    form = make_form(parse_practice(valid_answers, "t"), today=today)
    html = render_document(form, "html").decode()
    body = html.split("<body>", 1)[1]
    assert "<script>" not in body and "<img src=x" not in body and "<b>bold" not in body
    escaped = (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
               .replace('"', "&#34;").replace("'", "&#39;"))
    assert escaped in body
    assert "{{ 7*7 }}" not in text or "49" not in body.split("Laws behind")[0]


@pytest.mark.pdf
def test_injection_strings_appear_verbatim_in_the_pdf(valid_answers, today):
    valid_answers["practice"]["name"] = "<b>Not bold</b> & {{ 7*7 }} Zoë"
    data = render_document(make_form(parse_practice(valid_answers, "t"), today=today), "pdf")
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "<b>Not bold</b> & {{ 7*7 }} Zoë" in text


class Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        Recorder.hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


HOSTILE_SECTIONS = {
    "image": '<img src="{url}/img.png" alt="x">',
    "stylesheet": '<link rel="stylesheet" href="{url}/style.css">',
    "attachment": '<link rel="attachment" href="file:///etc/passwd">',
    "attachment_http": '<a rel="attachment" href="{url}/secret">x</a>',
    "css_import": '<style>@import url("{url}/more.css");</style>',
    "css_background": '<div style="background: url(file:///etc/hostname)">x</div>',
    "font": '<style>@font-face {{ font-family: X; src: url("{url}/f.ttf"); }} p {{ font-family: X; }}</style><p>x</p>',
    "iframe_object": '<object data="file:///etc/passwd"></object><embed src="{url}/e">',
    "svg": ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            '<image xlink:href="{url}/s.png" width="5" height="5"/></svg>'),
}


@pytest.mark.pdf
@pytest.mark.parametrize("name", list(HOSTILE_SECTIONS))
def test_hostile_override_cannot_reach_files_or_network(tmp_path, server, valid_answers, today, name):
    Recorder.hits.clear()
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "crisis.html.j2").write_text(HOSTILE_SECTIONS[name].format(url=server))
    form = make_form(parse_practice(valid_answers, "t"), today=today)
    try:
        data = render_document(form, "pdf", template_dir=tmp_path)
    except RenderError as exc:
        assert "refused" in exc.message or "PDF not written" in exc.message
    else:  # WeasyPrint ignored the element entirely; then nothing may have been embedded
        assert b"/EmbeddedFiles" not in data and b"root:" not in data
    assert Recorder.hits == []


@pytest.mark.parametrize("payload", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ form.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% include '../../../../etc/passwd' %}",
    "{% include '/etc/passwd' %}",
    "{{ form.practice.__reduce_ex__(2) }}",
    "{{ missing_variable }}",
])
def test_override_templates_run_sandboxed(tmp_path, valid_answers, today, payload):
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "crisis.html.j2").write_text(payload)
    form = make_form(parse_practice(valid_answers, "t"), today=today)
    with pytest.raises(TemplateError):
        render_document(form, "html", template_dir=tmp_path)


@pytest.mark.pdf
def test_failed_render_keeps_the_previous_file(tmp_path, valid_answers, today):
    target = tmp_path / "form.pdf"
    target.write_bytes(b"previous good form")
    (tmp_path / "t" / "sections").mkdir(parents=True)
    (tmp_path / "t" / "sections" / "crisis.html.j2").write_text('<img src="file:///etc/passwd">')
    with pytest.raises(RenderError):
        generate(parse_practice(valid_answers, "t"), target, RenderOptions(templates=str(tmp_path / "t")), today=today)
    assert target.read_bytes() == b"previous good form"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["form.pdf", "t"]


@pytest.mark.pdf
@pytest.mark.parametrize("delay", [0.2, 0.5, 0.9, 1.3])
def test_killed_render_keeps_the_previous_file(tmp_path, delay):
    target = tmp_path / "form.pdf"
    target.write_bytes(b"previous good form")
    proc = subprocess.Popen([sys.executable, "-m", "consentgen", "render", str(EXAMPLES[0]), "--for",
                          "individual", "-o", str(target)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    data = target.read_bytes()
    assert data == b"previous good form" or (data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"))


@pytest.mark.slow
def test_device_or_pipe_targets_are_refused(tmp_path):
    """Only regular files (and standard output) are written: a link to a device or a FIFO is refused."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    link = tmp_path / "form.pdf"
    link.symlink_to("/dev/full")
    with pytest.raises(OutputError, match="not a regular file"):
        write_atomic(link, b"%PDF-1.7 data")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "p.pdf").symlink_to(fifo)
    out = subprocess.run([sys.executable, "-m", "consentgen", "render", str(EXAMPLES[0]), "--for",
                          "individual", "-o", str(tmp_path / "p.pdf")],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 3 and "not a regular file" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.slow
def test_full_disk_gives_a_clear_error_and_leaves_no_temporary_file(tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40k", "tmpfs", str(folder)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        (folder / "form.pdf").write_bytes(b"previous")
        with pytest.raises(OutputError, match="disk is full"):
            write_atomic(folder / "form.pdf", b"x" * 200_000)
        assert (folder / "form.pdf").read_bytes() == b"previous"
        assert sorted(p.name for p in folder.iterdir()) == ["form.pdf"]
    finally:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder holding 'form.html' that cannot be written: a read-only mount as root, else chmod 555."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() == 0:  # root ignores permission bits, so use a read-only file system
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                          capture_output=True).returncode != 0:
            pytest.skip("cannot mount a read-only file system here")
        (folder / "form.html").write_text("previous")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
        subprocess.run(["umount", str(folder)], check=False)
    else:
        (folder / "form.html").write_text("previous")
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)


@pytest.mark.slow
def test_read_only_folder_gives_a_clear_error(read_only_folder):
    target = read_only_folder / "form.html"
    out = subprocess.run([sys.executable, "-m", "consentgen", "render", str(EXAMPLES[0]), "--for",
                          "individual", "-o", str(target), "--force"],  # "previous" is not ours: --force to reach it
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 3, out.stderr
    assert "cannot write" in out.stderr and "Traceback" not in out.stderr
    assert target.read_text() == "previous"


def test_deeply_nested_and_huge_answers_fail_fast(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200)) + "  " * 200 + "v: 1\n")
    start = time.perf_counter()
    with pytest.raises(Exception) as info:
        read_practice(deep)
    assert type(info.value).__name__ == "DataFileError"
    alias_bomb = tmp_path / "bomb.yaml"
    alias_bomb.write_text("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)))
    with pytest.raises(Exception) as info:
        read_practice(alias_bomb)
    assert type(info.value).__name__ == "DataFileError"
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("payload", [
    '{% set a = "x" * 2000 %}{{ a|replace("x", "y" * 1000000)|length }}',  # T5: 2 billion characters
    '{% set l = ["x" * 1999999] * 1000 %}{{ l|join|length }}',  # T6
    '{% set l = ["x" * 1999999] * 1000 %}{{ l|join(", ")|length }}',
    # round 5, S1: printing a huge list, serialising one, and string arguments that multiply
    '{% set l = ["x" * 1999999] * 1000 %}{{ l }}',
    '{% set l = ["x" * 1999999] * 500 %}{{ l|tojson|length }}',
    '{% set l = ["x" * 1999999] * 500 %}{{ l|pprint|length }}',
    '{% set a = "x\n" * 999999 %}{{ a|indent("y" * 1000)|length }}',
    '{% set a = "x" * 1999999 %}{{ a|wordwrap(2, true, "y" * 1000)|length }}',
    # T1: `~` doubling a string; each step is checked, so it stops near 4 MB instead of the memory cap
    '{% set a = "x" * 1999999 %}{% set ns = namespace(s=a) %}{% for i in range(12) %}{% set ns.s = ns.s ~ ns.s %}'
    '{% endfor %}{{ ns.s|length }}',
])
def test_replace_and_join_are_bounded_before_they_build_anything(tmp_path, valid_answers, today, payload):
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "crisis.html.j2").write_text(payload)
    form = make_form(parse_practice(valid_answers, "t"), today=today)
    with pytest.raises(TemplateError, match="too long"):
        render_document(form, "html", template_dir=tmp_path)


def test_r5_s1_a_loop_printing_a_long_string_stops_at_the_page_limit(tmp_path, valid_answers, today):
    """Round 5, S1: each printed string is allowed, but the page as a whole is refused as it grows past
    its limit, long before the memory cap."""
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "crisis.html.j2").write_text(
        '{% set a = "x" * 1999999 %}{% for i in range(100000) %}{{ a }}{% endfor %}')
    form = make_form(parse_practice(valid_answers, "t"), today=today)
    with pytest.raises(TemplateError, match="the page is longer than"):
        render_document(form, "html", template_dir=tmp_path)


@pytest.mark.pdf
def test_the_pdf_engine_runs_under_a_time_budget_too(tmp_path, valid_answers, today, monkeypatch):
    """T9, T10, T14: a logo, style or page that keeps WeasyPrint busy without end is stopped by the budget."""
    from consentgen.render import pdf

    weasyprint, fonts, fetcher, fatal = pdf._engine()

    class Endless:
        def __init__(self, **kwargs):
            import xml.etree.ElementTree as ET

            self.etree_element = ET.Element("html")  # parsed, with nothing to attach

        def write_pdf(self, **kwargs):
            while True:  # what a <use> bomb or a pathological style does to the layout
                time.sleep(0.01)

    class Engine:
        HTML = Endless
        Attachment = weasyprint.Attachment

    monkeypatch.setattr(pdf, "_engine", lambda: (Engine, fonts, fetcher, fatal))
    monkeypatch.setattr(pdf, "ENGINE_BUDGET", 1.0)
    form = make_form(parse_practice(valid_answers, "t"), today=today)
    with pytest.raises(RenderError, match="the PDF engine took longer than 1 seconds"):
        render_document(form, "pdf")


@pytest.mark.parametrize("char", ["\u061c", "\u2061", "\u2064", "\ufff9", "\ufffb", "\U000e0041", "\u3164",
                                  "\u115f", "\u034f", "\U000e0100", "\U0001d173"])
def test_a1_every_invisible_character_is_refused(valid_answers, char):
    from consentgen.errors import DataFileError

    valid_answers["clinician"]["name"] = f"Dana{char} Whitfield"
    with pytest.raises(DataFileError, match="invisible"):
        parse_practice(valid_answers, "t")


def test_a1_emoji_sequences_and_joiners_still_pass(valid_answers):
    valid_answers["practice"]["name"] = "Bayview \u2764\ufe0f Psychology \U0001f469\u200d\u2695\ufe0f"
    assert parse_practice(valid_answers, "t").practice.name.startswith("Bayview")


@pytest.mark.slow
@pytest.mark.parametrize("given", ["2026-W47-1", "20261122", "0001-01-01", "9999-12-31"])
def test_a7_date_accepts_only_what_an_answers_file_accepts(given):
    out = subprocess.run([sys.executable, "-m", "consentgen", "render", str(EXAMPLES[0]), "--for", "individual",
                          "--date", given, "-o", "/dev/null"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 2 and "YYYY-MM-DD" in out.stderr


@pytest.mark.parametrize("payload", [
    '{{ _("%(a)999999999s", a=1)|length }}',  # T2: the width, refused before a 1 GB string is built
    '{{ gettext("%(a)s" * 300, a="x" * 1999999)|length }}',  # T3
    '{% set a = "x" * 1999999 %}{{ ("{0}" * 300).format(a)|length }}',  # T4
])
def test_gettext_and_format_are_checked_before_they_build_anything(tmp_path, valid_answers, today, payload):
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "crisis.html.j2").write_text(payload)
    form = make_form(parse_practice(valid_answers, "t"), today=today)
    with pytest.raises(TemplateError, match="too long|format width") as info:
        render_document(form, "html", template_dir=tmp_path)
    assert "out of memory" not in info.value.message


def test_gettext_refuses_a_huge_width_by_its_format_not_its_result(valid_answers, today):
    from consentgen.render.sandbox import _WIDTH

    assert _WIDTH.search("%(a)999999999s") and not _WIDTH.search("Suite 100000, %(a)s")


def test_t11_a_huge_override_file_is_refused_before_it_is_read(tmp_path, valid_answers, today):
    (tmp_path / "sections").mkdir()
    with open(tmp_path / "sections" / "crisis.html.j2", "wb") as handle:
        handle.truncate(3 << 30)  # 3 GB, sparse
    form = make_form(parse_practice(valid_answers, "t"), today=today)
    with pytest.raises(TemplateError, match="too large"):
        render_document(form, "html", template_dir=tmp_path)
    from consentgen.checks.overrides import describe_overrides

    lines, bad = describe_overrides(tmp_path)  # T12: check --templates says what render refuses
    assert bad and any("too large" in line for line in lines)


def test_t12_check_templates_flags_what_render_refuses(tmp_path):
    from consentgen.checks.overrides import describe_overrides

    (tmp_path / "sections").mkdir()
    (tmp_path / "style.css").write_bytes("caf\xe9".encode("latin-1"))
    outside = tmp_path.parent / f"{tmp_path.name}-outside.j2"
    outside.write_text("x")
    (tmp_path / "sections" / "crisis.html.j2").symlink_to(outside)
    (tmp_path / "builtin").mkdir()
    lines, bad = describe_overrides(tmp_path)
    text = "\n".join(lines)
    assert bad and "not UTF-8" in text and "outside the folder" in text and "builtin" in text


@pytest.mark.pdf
@pytest.mark.parametrize("rel", ['rel="attachment"', 'rel="&#97;ttachment"', "rel=ATTACHMENT",
                                 'rel="nofollow\tattachment"'])
def test_t13_a_template_cannot_attach_a_file_to_the_form(tmp_path, valid_answers, today, rel):
    """T13, and round 5 S2: however the markup spells it (an entity, capitals, a tab), as WeasyPrint reads it."""
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "crisis.html.j2").write_text(
        f'<a {rel} href="data:application/x-msdownload;base64,TVqQAAMAAAAEAAAA" '
        'download="Invoice.exe">Open the invoice</a>')
    form = make_form(parse_practice(valid_answers, "t"), today=today)
    with pytest.raises(RenderError, match="attach a file"):
        render_document(form, "pdf", template_dir=tmp_path)


@pytest.mark.pdf
def test_r5_s3_a_page_full_of_rel_is_checked_in_one_pass(tmp_path, valid_answers, today):
    """Round 5 S3: the attachment check was a regex whose cost grew with the square of the page; it now
    reads the parsed page once, so 60 000 'rel=' render as quickly as any other text."""
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "crisis.html.j2").write_text('<section id="crisis"><p>{{ "rel=" * 60000 }}</p></section>')
    form = make_form(parse_practice(valid_answers, "t"), today=today)
    assert render_document(form, "pdf", template_dir=tmp_path).startswith(b"%PDF")  # took 145 s with the regex


def test_a_budget_inside_another_keeps_the_outer_one():
    """Review of the packet (M4): a packet's cover is rendered (under the templates' budget) inside the PDF
    engine's budget; ending the inner budget used to switch the outer one off, so the rest ran without limit."""
    from consentgen.render.sandbox import BudgetExceeded, time_budget

    started = time.monotonic()
    with pytest.raises(BudgetExceeded, match="the outer work took longer than 1 seconds"), \
            time_budget(1.0, "the outer work"):
        with time_budget(60.0, "the inner work"):
            pass
        while time.monotonic() - started < 10:
            time.sleep(0.01)
    assert time.monotonic() - started < 5
