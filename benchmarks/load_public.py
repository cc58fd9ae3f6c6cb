"""Load test of the public page (issue 28), with Locust: visitors open the page, fill it in, preview it several
times and download a PDF, as real visitors do. Prints figures against the goals; asserts nothing.

Run: .venv/bin/pip install locust; .venv/bin/python benchmarks/load_public.py [--users 25] [--processes 2]
     [--seconds 60]

It starts `consentgen serve --public --workers N` on a free port, drives it with Locust (headless, in this
process), and prints requests per second, p50/p95/p99 of the preview and the PDF, errors, and how many requests
were refused with 503 (the page refuses rather than slowing down without bound). Goals on a 2-core machine with
2 processes: 25 visitors, 0 errors, preview p95 at most 500 ms, PDF p95 at most 3 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import socket
import subprocess
import sys
import time

ANSWERS = {"practice.name": "Harbor Counseling", "practice.address": "1 Main St, Salem, OR 97301",
           "practice.phone": "503-555-0100", "practice.email": "office@harbor.example.com",
           "clinician.name": "Jo Park", "clinician.credentials": "LPC", "clinician.profession": "counselor",
           "clinician.license": "C1234", "jurisdiction": "US-OR", "services": ["individual", "minors"],
           "form.language": "en"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=25)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    try:
        import gevent  # noqa: F401 - locust's runtime
        from locust import HttpUser, between, events, task  # noqa: F401
        from locust.env import Environment
    except ImportError:
        print("locust is not installed: .venv/bin/pip install locust")
        return 2

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "consentgen", "serve", "--public", "--port", str(port),
                               "--workers", str(args.processes), "--public-host", "127.0.0.1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
    base = f"http://127.0.0.1:{port}"
    import urllib.request

    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)

    class Visitor(HttpUser):
        host = base
        wait_time = between(0.5, 2.0)  # a person types, looks, types again

        def on_start(self) -> None:
            page = self.client.get("/", name="open")
            self.token = page.cookies.get("consentgen-visitor", "")
            self.headers = {"X-Consentgen-Token": self.token}

        @task(6)
        def preview(self) -> None:
            answers = {**ANSWERS, "practice.name": f"Harbor Counseling {random.randint(1, 9999)}"}
            self.client.post("/api/check", json={"answers": answers}, headers=self.headers, name="check")
            with self.client.post("/api/preview", json={"answers": answers, "edition": "individual"},
                                  headers=self.headers, name="preview", catch_response=True) as reply:
                if reply.status_code == 503:
                    reply.success()  # refused with Retry-After: counted below, not an error
                    refused["preview"] += 1

        @task(1)
        def pdf(self) -> None:
            with self.client.post("/api/pdf", json={"answers": ANSWERS, "edition": "individual"},
                                  headers=self.headers, name="pdf", catch_response=True) as reply:
                if reply.status_code == 503:
                    reply.success()
                    refused["pdf"] += 1

    refused = {"preview": 0, "pdf": 0}
    env = Environment(user_classes=[Visitor])
    runner = env.create_local_runner()
    runner.start(args.users, spawn_rate=max(1, args.users // 5))
    time.sleep(args.seconds)
    runner.quit()
    server.terminate()
    server.wait(timeout=20)

    stats = env.stats
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"public page: {args.processes} process(es), {args.users} visitors, {args.seconds} s")
    total = stats.total
    print(f"requests per second: {total.total_rps:.1f}; errors: {total.num_failures}")
    for name, goal in (("preview", 0.5), ("pdf", 3.0)):
        entry = stats.get(name, "POST")
        if not entry.num_requests:
            print(f"{name}: no requests")
            continue
        p50, p95, p99 = (entry.get_response_time_percentile(q) / 1000 for q in (0.5, 0.95, 0.99))
        print(f"{name}: {entry.num_requests} requests, p50 {p50:.2f} s, p95 {p95:.2f} s (target <= {goal} s), "
              f"p99 {p99:.2f} s; refused with 503: {refused[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
