"""Performance figures for consentgen. Prints its measurements; asserts nothing.

Run: .venv/bin/python benchmarks/run.py [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
EXAMPLE = ROOT / "examples" / "ca-solo-psychologist.yaml"
CLINIC = ROOT / "examples" / "clinic.yaml"
TODAY = dt.date(2026, 11, 22)


# As on a user's computer: an installed tool has its Python compiled (pip and pipx write the bytecode), so
# the measured runs may keep theirs even where the shell forbids it (PYTHONDONTWRITEBYTECODE).
RUN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], **kw) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=RUN_ENV, **kw)
    return time.perf_counter() - start


def median_of(n: int, fn) -> float:
    return statistics.median(fn() for _ in range(n))


def cold_render(tmp: Path, n: int) -> tuple[float, float]:
    """A full `consentgen render` in a fresh process vs a bare WeasyPrint render of the same HTML."""
    sys.path.insert(0, str(ROOT))
    from consentgen.inputs.answers import read_practice
    from consentgen.pipeline import make_form
    from consentgen.render.html import render_html

    form = make_form(read_practice(EXAMPLE), today=TODAY, client_type="individual")
    html_file = tmp / "form.html"
    from consentgen.model.options import Output

    html_file.write_text(render_html(form, Output(fields=True), inline_assets=True))
    bare = (
        "import sys, weasyprint\n"
        "from weasyprint.text.fonts import FontConfiguration\n"
        "fc = FontConfiguration()\n"
        "html = open(sys.argv[1]).read()\n"
        "weasyprint.HTML(string=html).write_pdf(sys.argv[2], font_config=fc, pdf_variant='pdf/ua-1',"
        " pdf_forms=True)\n"
    )
    ours_t, theirs_t = [], []
    for _ in range(n + 1):  # interleaved, so a busy moment hits both sides alike; the first run of each is a
        # warm-up (bytecode and compiled templates written, as after a user's first form) and is not counted
        ours_t.append(timed([PY, "-m", "consentgen", "render", str(EXAMPLE), "--for", "individual",
                             "-o", str(tmp / "a.pdf")], cwd=ROOT))
        theirs_t.append(timed([PY, "-c", bare, str(html_file), str(tmp / "b.pdf")]))
    return statistics.median(ours_t[1:]), statistics.median(theirs_t[1:])


def first_question(n: int) -> float:
    """Seconds from starting `consentgen new` in a terminal to its first question on screen."""
    times = []
    for _ in range(n):
        with tempfile.TemporaryDirectory() as work:
            pid, fd = pty.fork()
            if pid == 0:
                os.chdir(work)
                os.execv(PY, [PY, "-m", "consentgen", "new"])
            start = time.perf_counter()
            seen = b""
            while b"Practice name" not in seen and time.perf_counter() - start < 10:
                ready, _, _ = select.select([fd], [], [], 0.05)
                if ready:
                    try:
                        seen += os.read(fd, 4096)
                    except OSError:
                        break
            times.append(time.perf_counter() - start)
            os.write(fd, b"\x03")
            os.waitpid(pid, 0)
            os.close(fd)
    return statistics.median(times)


def roster(path: Path, rows: int) -> Path:
    lines = ["name,credentials,profession,license,supervisor_name,supervisor_credentials,supervisor_license"]
    for i in range(rows):
        lines.append(f"Clinician {i:03d},LPCC,counselor,LPCC {10000 + i},,,")
    path.write_text("\n".join(lines) + "\n")
    return path


def batch_time(tmp: Path, rows: int, jobs: int) -> tuple[float, int]:
    """Seconds for a batch of ``rows`` clinicians, and the number of forms it wrote (one per edition offered)."""
    r = roster(tmp / f"roster-{rows}.csv", rows)
    out = tmp / f"out-{rows}-{jobs}"
    seconds = timed([PY, "-m", "consentgen", "batch", str(CLINIC), str(r), "-o", str(out), "--jobs", str(jobs)],
                    cwd=ROOT)
    return seconds, len(list(out.glob("*/*.pdf")))


def peak_memory(tmp: Path, rows: int, jobs: int) -> float:
    """Peak RSS (MB) of the largest process a `consentgen batch` of ``rows`` forms used."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    r = roster(tmp / f"mem-{rows}.csv", rows)
    cmd = [PY, "-m", "consentgen", "batch", str(CLINIC), str(r), "-o", str(tmp / f"mem-{rows}"), "--jobs", str(jobs)]
    out = subprocess.run([PY, "-c", code, *cmd], check=True, capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip())


def web_page(edits: int) -> tuple[float, float]:
    """p95 of the page's preview request over ``edits`` edits, and a warm PDF download (server side, seconds)."""
    from consentgen.frontends.web import create_app
    from starlette.testclient import TestClient

    client = TestClient(create_app("bench", {"testserver"}))
    client.cookies.set("consentgen_token", "bench")
    answers = {"practice.name": "Lakeside Counseling", "practice.address": "12 Main St, Columbus, OH 43215",
               "practice.phone": "614-555-0100", "practice.email": "office@lakeside.example.com",
               "clinician.name": "Jo Park", "clinician.credentials": "LPC", "clinician.profession": "counselor",
               "clinician.license": "C 1234", "jurisdiction": "US-OH", "services": ["individual", "minors"]}
    headers = {"X-Consentgen-Token": "bench"}
    client.post("/api/preview", json={"answers": answers, "edition": "minor"}, headers=headers)  # warm up
    times = []
    for i in range(edits):
        answers["practice.name"] = f"Lakeside Counseling {i}"
        start = time.perf_counter()
        client.post("/api/check", json={"answers": answers}, headers=headers)
        reply = client.post("/api/preview", json={"answers": answers, "edition": "minor"}, headers=headers)
        times.append(time.perf_counter() - start)
        assert reply.status_code == 200
    client.post("/api/pdf", json={"answers": answers, "edition": "minor"}, headers=headers)  # warm the PDF engine
    start = time.perf_counter()
    assert client.post("/api/pdf", json={"answers": answers, "edition": "minor"}, headers=headers).status_code == 200
    pdf = time.perf_counter() - start
    times.sort()
    return times[int(0.95 * (len(times) - 1))], pdf


def test_lanes(full: bool) -> None:
    """Wall time of the suite's lanes as ./dev test runs them (-n 2), after one untimed run that compiles the test
    modules (a developer's second run; this machine's shell may forbid bytecode, RUN_ENV allows it)."""
    fast = [PY, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider", "-m", "not pdf and not slow and not matrix"]
    subprocess.run(fast + ["--collect-only"], check=True, capture_output=True, cwd=ROOT, env=RUN_ENV)
    times = [timed(fast, cwd=ROOT) for _ in range(3)]
    print(f"tests, fast lane (-n 2): median {statistics.median(times):.1f} s of 3 runs "
          f"({', '.join(f'{t:.1f}' for t in times)}; target <= 20)")
    if full:
        whole = timed([PY, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider"], cwd=ROOT)
        print(f"tests, whole suite (-n 2): {whole:.0f} s (target <= 90)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and a smaller roster")
    parser.add_argument("--tests", action="store_true", help="only time the test lanes (fast lane 3 times)")
    parser.add_argument("--full-suite", action="store_true", help="with --tests: time the whole suite too")
    args = parser.parse_args()
    if args.tests:
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        test_lanes(args.full_suite)
        return
    n = 5 if args.quick else 15
    rows = 40 if args.quick else 200
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        ours, bare = cold_render(tmp, n)
        print(f"cold render: consentgen {ours:.2f} s, bare WeasyPrint {bare:.2f} s, ratio {ours / bare:.2f} "
              "(target <= 1.15)")
        es = median_of(n, lambda: timed([PY, "-m", "consentgen", "render", str(EXAMPLE), "--for", "individual",
                                         "--language", "es", "-o", str(tmp / "es.pdf")], cwd=ROOT))
        print(f"cold render in Spanish: {es:.2f} s ({es / ours:.2f}x the English one; the catalog is compiled "
              "on first use)")
        fq = first_question(n)
        print(f"wizard first question: {fq:.2f} s (target <= 0.5)")
        b1, forms = batch_time(tmp, 20, 1)
        b2, _ = batch_time(tmp, 20, 2)
        per_form = b1 / forms
        print(f"batch of 20 clinicians ({forms} forms), --jobs 1: {b1:.2f} s ({per_form:.2f} s per form, "
              f"{per_form / ours:.2f}x a cold render; target <= 0.30)")
        cores = os.cpu_count() or 1
        print(f"batch of 20, --jobs 2: {b2:.2f} s ({b2 / forms:.2f} s per form, {b2 / forms / ours:.2f}x a cold render"
              f"{' (the default on this machine: one worker per core)' if cores == 2 else ''}; "
              f"speed-up {b1 / b2:.2f}x; target >= 1.6)")
        p95, pdf = web_page(20 if args.quick else 50)
        print(f"web page: preview p95 {p95 * 1000:.0f} ms after the debounce (check + preview requests; target <= 150 "
              f"ms); warm PDF download {pdf:.2f} s (target <= 1.0)")
        small, large = peak_memory(tmp, 25, 1), peak_memory(tmp, rows, 1)
        print(f"peak memory of a batch, --jobs 1: 25 forms {small:.0f} MB, {rows} forms {large:.0f} MB "
              f"({large - small:+.0f} MB; target: flat)")


if __name__ == "__main__":
    main()
