"""The hostile-input catalogue (round 2): every attack class that once broke, by name.

Each case runs the real command line in-process and asserts the README's promises: no Python
traceback, the documented exit status, a message naming the problem, and nothing half-written.
"""

from __future__ import annotations

import contextlib
import os
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import EXAMPLES
from .test_cli import run

E = EXAMPLES[0]

TEMPLATE_ATTACKS = {  # override payload -> words the error must contain
    "huge range": ("{{ range(10**9)|list|length }}", "template error"),
    "string multiplication": ('{{ ("x" * 10**9)|length }}', "too long"),
    "format width": ('{{ "{:>1000000000}".format(1)|length }}', "format width"),
    "printf width": ('{{ "%1000000000s"|format(1)|length }}', "format width"),
    "center": ('{{ "x".center(1000000000)|length }}', "too long"),
    "huge power": ("{{ 10 ** 100000 }}", "power"),
    "recursive macro": ("{% macro r(n) %}{{ r(n+1) }}{% endmacro %}{{ r(0) }}", "calls itself"),
    "self include": ("{% include 'sections/crisis.html.j2' %}", "calls itself"),
    "division by zero": ("{{ 1/0 }}", "ZeroDivisionError"),
    "type error": ("{{ 1 + 'a' }}", "TypeError"),
    "script in html": ("<script>fetch('http://127.0.0.1:9/x')</script>", "run a script"),
    "remote image in html": ('<img src="http://127.0.0.1:9/t.png" alt="t">', "load something from outside"),
}


@pytest.mark.parametrize("name", list(TEMPLATE_ATTACKS))
def test_template_attacks_exit_4_with_a_message(tmp_path, name):
    payload, words = TEMPLATE_ATTACKS[name]
    folder = tmp_path / "t" / "sections"
    folder.mkdir(parents=True)
    (folder / "crisis.html.j2").write_text(payload)
    out = run("render", E, "--for", "individual", "-o", tmp_path / "f.html", "--templates", tmp_path / "t")
    assert out.returncode == 4, (name, out.stdout, out.stderr)
    assert words in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert not (tmp_path / "f.html").exists()


def test_folder_attacks(tmp_path):
    latin = tmp_path / "latin"
    latin.mkdir()
    (latin / "style.css").write_bytes(b"caf\xe9 {}")
    link = tmp_path / "link" / "sections"
    link.mkdir(parents=True)
    (link / "crisis.html.j2").symlink_to("/etc/passwd")
    shadow = tmp_path / "shadow" / "builtin" / "sections"
    shadow.mkdir(parents=True)
    cases = ((latin, "is not UTF-8 text", 4), (tmp_path / "link", "outside the template folder", 4),
             (tmp_path / "shadow", "may not contain 'builtin'", 4), (tmp_path / "missing", "no such folder", 2))
    for folder, words, status in cases:
        out = run("render", E, "--for", "individual", "-o", tmp_path / "f.html", "--templates", folder)
        assert out.returncode == status and words in out.stderr and "Traceback" not in out.stderr, out.stderr


def test_runaway_loop_is_stopped(tmp_path, monkeypatch):
    from consentgen.render import sandbox

    monkeypatch.setattr(sandbox, "TIME_BUDGET", 1.0)
    folder = tmp_path / "t" / "sections"
    folder.mkdir(parents=True)
    (folder / "crisis.html.j2").write_text("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                                           "{% endfor %}")
    started = time.monotonic()
    out = run("render", E, "--for", "individual", "-o", tmp_path / "f.html", "--templates", tmp_path / "t")
    assert out.returncode == 4 and "took longer than" in out.stderr and time.monotonic() - started < 10


def _answers(tmp_path, text, name="a.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _edited(**changes):
    data = yaml.safe_load(E.read_text())
    for dotted, value in changes.items():
        node = data
        *parts, last = dotted.split(".")
        for part in parts:
            node = node[part]
        node[last] = value
    return data


ANSWERS_ATTACKS = {  # (answers text, expected words)
    "impossible date": (E.read_text().replace("date: 2026-11-22", "date: 2026-02-30"), "is not a real date"),
    "iso week date": (E.read_text().replace("date: 2026-11-22", 'date: "2026-W47-1"'), "YYYY-MM-DD"),
    "alias bomb": ("\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
                             + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]) + "\n",
                   "too many values"),
    "number as license": (E.read_text().replace("license: PSY 31415", "license: 012345"), "put it in quotes"),
    "bidi override in name": (yaml.safe_dump(_edited(**{"clinician.name": "Dr. \u202edleiftihW anaD"})),
                              "invisible or text-direction characters (U+202E)"),
    "zero width in name": (yaml.safe_dump(_edited(**{"practice.name": "Bay\u200bview"})), "U+200B"),
    "terminal escape in a key": (E.read_text() + '"\\e]0;PWNED\\a\\e[31mRED": 1\n', "\\x1b"),
}


@pytest.mark.parametrize("name", list(ANSWERS_ATTACKS))
def test_answers_attacks_exit_1_with_the_field(tmp_path, name):
    text, words = ANSWERS_ATTACKS[name]
    started = time.monotonic()
    out = run("check", _answers(tmp_path, text))
    assert out.returncode == 1, (name, out.stdout, out.stderr)
    assert words in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert "\x1b" not in out.stderr and time.monotonic() - started < 10


@pytest.mark.parametrize("code", ["CA", "ca", "us_ca", "US-CA"])
def test_short_and_odd_codes_work_and_give_one_fingerprint(tmp_path, code):
    data = _edited(jurisdiction=code)
    out = run("render", _answers(tmp_path, yaml.safe_dump(data)), "--for", "individual", "-o", tmp_path / "f.html")
    assert out.returncode == 0, out.stderr
    reference = run("render", E, "--for", "individual", "-o", tmp_path / "ref.html")
    assert out.stdout.split("ID ")[1] == reference.stdout.split("ID ")[1]


USAGE_ATTACKS = {
    "show with no code": (["jurisdictions", "show"], 2),
    "show the federal layer": (["jurisdictions", "show", "US"], 2),
    "check nothing": (["check"], 2),
    "jobs 0": (["batch", "examples/clinic.yaml", "examples/roster.csv", "-o", "OUT", "--jobs", "0"], 2),
    "output is the input": (["render", str(E), "-o", str(E)], 2),
}


@pytest.mark.parametrize("name", list(USAGE_ATTACKS))
def test_usage_errors_exit_2(tmp_path, name):
    args, status = USAGE_ATTACKS[name]
    before = E.read_bytes()
    out = run(*[str(tmp_path / "out") if a == "OUT" else a for a in args])
    assert out.returncode == status and "Traceback" not in out.stderr, (name, out.stderr)
    assert E.read_bytes() == before


def test_output_path_attacks_exit_3(tmp_path):
    long_name = tmp_path / ("b" * 300 + ".html")
    loop = tmp_path / "loop.html"
    loop.symlink_to(loop)
    for target, words in ((long_name, "too long"), (loop, "link")):
        out = run("render", E, "--for", "individual", "-o", target)
        assert out.returncode == 3 and words in out.stderr and "Traceback" not in out.stderr, out.stderr
    legal = tmp_path / ("c" * 246 + ".html")  # a legal name: the temporary file's name must fit too
    assert run("render", E, "--for", "individual", "-o", legal).returncode == 0


def test_stale_temporary_files_are_cleaned(tmp_path):
    stale = tmp_path / ".cg-abandoned.tmp"
    stale.write_bytes(b"half a form")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    fresh = tmp_path / ".cg-running.tmp"
    fresh.write_bytes(b"another run, still writing")
    assert run("render", E, "--for", "individual", "-o", tmp_path / "f.html").returncode == 0
    assert not stale.exists() and fresh.exists()


def test_rerender_keeps_a_restricted_files_permissions(tmp_path):
    target = tmp_path / "f.html"
    assert run("render", E, "--for", "individual", "-o", target).returncode == 0
    target.chmod(0o600)
    assert run("render", E, "--for", "individual", "-o", target).returncode == 0
    assert target.stat().st_mode & 0o777 == 0o600


def test_html_form_has_a_strict_content_security_policy(tmp_path):
    assert run("render", E, "--for", "individual", "-o", tmp_path / "f.html").returncode == 0
    html = (tmp_path / "f.html").read_text()
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


HOSTILE = st.one_of(
    st.text(max_size=60), st.sampled_from(["{{ 7*7 }}", "<script>x</script>", "\u202e", "\x1b[31m", "../../etc",
                                           "/dev/zero", "=HYPERLINK(1)", "\u200b", "A" * 5000]),
    st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(), st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
FIELDS = ["practice.name", "practice.address", "practice.phone", "practice.email", "clinician.name",
          "clinician.license", "clinician.profession", "jurisdiction", "form.date", "services.minors",
          "policies.fees", "clinician.experience_years"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=HOSTILE)
def test_property_no_traceback_on_hostile_answers(tmp_path, field, value):
    data = yaml.safe_load(E.read_text())
    node = data
    *parts, last = field.split(".")
    for part in parts:
        node = node.setdefault(part, {})
    node[last] = value
    path = tmp_path / "h.yaml"
    try:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    except UnicodeEncodeError:
        return  # surrogates cannot be saved as UTF-8 at all
    out = run("check", path)
    assert out.returncode in (0, 1) and "Traceback" not in out.stderr + out.stdout
    assert "failed unexpectedly" not in out.stderr, out.stderr


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_yaml_reader(data):
    import tempfile
    from pathlib import Path

    from consentgen.errors import ConsentgenError
    from consentgen.files.yamlfile import read_yaml

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.yaml"
        path.write_bytes(data)
        with contextlib.suppress(ConsentgenError):
            read_yaml(path)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_roster_reader(text):
    import tempfile
    from pathlib import Path

    from consentgen.errors import ConsentgenError
    from consentgen.inputs.roster import read_roster, row_answers

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.csv"
        try:
            path.write_text("name,credentials,profession,license\n" + text, encoding="utf-8")
        except UnicodeEncodeError:
            return
        try:
            for row in read_roster(path):
                row_answers({"practice": {}, "services": {}}, row)
        except ConsentgenError:
            pass


def test_duplicate_keys_are_refused(tmp_path):
    text = E.read_text() + "jurisdiction: US-NY\n"
    out = run("check", _answers(tmp_path, text))
    assert out.returncode == 1 and "the key 'jurisdiction' appears twice" in out.stderr


def test_the_wrong_file_is_not_echoed_line_by_line(tmp_path):
    secrets = "\n".join(f"user{i}: '$6$secret{i}'" for i in range(40)) + "\n"
    out = run("check", _answers(tmp_path, secrets))
    assert out.returncode == 1 and "and 37 more unknown fields" in out.stderr
    assert "secret39" not in out.stderr and out.stderr.count("unknown field") <= 4


@pytest.mark.slow
def test_an_output_encoding_that_cannot_show_a_name_is_not_a_crash(tmp_path):
    import subprocess
    import sys

    from .conftest import ROOT

    data = _edited(**{"clinician.name": "Dana Whitfield 李"})
    path = _answers(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    out = subprocess.run([sys.executable, "-m", "consentgen", "check", str(path)], cwd=ROOT, capture_output=True,
                         env={**os.environ, "PYTHONIOENCODING": "latin-1"}, timeout=60)
    assert out.returncode == 0 and b"Traceback" not in out.stderr and b"\\u674e" in out.stdout


def test_long_numbers_in_ordinary_text_are_not_taken_for_format_widths(tmp_path):
    """The format-width guard reads format specs, not every run of digits (a suite number, a docket)."""
    folder = tmp_path / "t" / "sections"
    folder.mkdir(parents=True)
    (folder / "crisis.html.j2").write_text(
        '<section id="crisis"><p>{{ "Building 1234567" | indent(2) }} {{ "Docket 7654321: {}".format("open") }} '
        '{{ "Line %s of 1000000" % 1 }}</p></section>')
    out = run("render", E, "--for", "individual", "-o", tmp_path / "f.html", "--templates", tmp_path / "t")
    assert out.returncode == 0, out.stderr
    assert "Building 1234567 Docket 7654321: open Line 1 of 1000000" in (tmp_path / "f.html").read_text()
