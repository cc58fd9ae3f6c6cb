"""W10, W11: the web page renders in worker processes, so a PDF never holds up a keystroke check, and the
workers are replaced after a number of renders, so the server's memory stays flat (issue 22)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
import urllib.request

import pytest
import yaml
from consentgen.frontends.renders import Busy, RenderPool

from .conftest import EXAMPLES
from .test_web import _free_port

pytestmark = pytest.mark.slow
TOKEN = "renders-token"


def _answers() -> dict:
    from consentgen.frontends import questions as q
    from consentgen.inputs.answers import read_practice

    flat = q.flatten(read_practice(EXAMPLES[0]))
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in flat.items() if not k.startswith("_")}


def _post(base: str, path: str, body: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/json", "X-Consentgen-Token": TOKEN})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def pooled_server():
    uvicorn = pytest.importorskip("uvicorn")
    from consentgen.frontends.web import create_app

    port = _free_port()
    app = create_app(TOKEN, {f"127.0.0.1:{port}"}, renders=RenderPool(workers=1))
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(200):
        if instance.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=20)


def test_a_pdf_in_progress_does_not_hold_up_a_check(pooled_server):
    """W10: the check of a keystroke answers while a Spanish PDF of every section is still being made."""
    answers = {**_answers(), "languages": ["es"], "services": ["individual", "couples_family", "group", "minors",
                                                                "telehealth", "insurance"]}
    assert _post(pooled_server, "/api/preview", {"answers": answers})[0] == 200  # the worker is warm
    made: dict[str, tuple[int, bytes]] = {}
    pdf = threading.Thread(target=lambda: made.setdefault("pdf", _post(pooled_server, "/api/pdf",
                                                                        {"answers": answers, "language": "es"})))
    pdf.start()
    time.sleep(0.1)
    status, body = _post(pooled_server, "/api/check", {"answers": answers})
    still_rendering = pdf.is_alive()
    pdf.join(timeout=120)
    assert status == 200 and "errors" in json.loads(body)
    assert still_rendering, "the check waited for the PDF"
    assert made["pdf"][0] == 200 and made["pdf"][1].startswith(b"%PDF")


def test_the_preview_through_the_pool_is_the_inline_preview(pooled_server):
    """What the workers send back is what an inline render makes (warnings and the fingerprint too)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from consentgen.frontends.web import create_app

    body = {"answers": _answers()}
    status, pooled = _post(pooled_server, "/api/preview", body)
    client = TestClient(create_app(TOKEN, {"testserver"}))
    inline = client.post("/api/preview", json=body, headers={"X-Consentgen-Token": TOKEN}).json()
    assert status == 200 and json.loads(pooled) == inline


def test_workers_are_replaced_after_their_renders_and_a_full_queue_says_busy():
    """W11: a pool is replaced after `recycle` renders (memory stays flat); past `queue` waiting, Busy."""
    from consentgen.inputs.answers import parse_practice
    from consentgen.model.options import RenderOptions

    practice = parse_practice(yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8")), str(EXAMPLES[0]))
    options = RenderOptions(format="html", fields=False, client_type="individual")
    pool = RenderPool(workers=1, recycle=2, queue=1)

    async def three() -> list:
        seen = []
        for _ in range(3):
            made = await pool.run(practice, options, dt.date(2026, 12, 7))
            seen.append((id(pool.previews._pool), made.data[:15]))
        first = asyncio.ensure_future(pool.run(practice, options, dt.date(2026, 12, 7)))
        await asyncio.sleep(0)
        with pytest.raises(Busy):
            await pool.run(practice, options, dt.date(2026, 12, 7))
        await first
        return seen

    try:
        seen = asyncio.run(three())
    finally:
        pool.close()
    assert all(data.startswith(b"<!DOCTYPE") for _, data in seen)
    assert seen[0][0] == seen[1][0] != seen[2][0]


def test_a_worker_killed_mid_render_costs_no_visitor_their_render():
    """Round 5, W1: a dead worker broke every render in flight; now each is tried once more in a new pool,
    so killing the worker (as the out-of-memory killer would) loses nobody's preview."""
    import os
    import signal

    from consentgen.inputs.answers import parse_practice
    from consentgen.model.options import RenderOptions

    practice = parse_practice(yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8")), str(EXAMPLES[0]))
    options = RenderOptions(format="pdf", fields=True, client_type="individual")
    pool = RenderPool(workers=1)

    async def three_with_a_kill() -> list:
        runs = [asyncio.ensure_future(pool.run(practice, options, dt.date(2026, 12, 7))) for _ in range(3)]
        await asyncio.sleep(0.3)
        for pid in list(pool.pdfs._pool._processes):  # the worker dies mid-render
            os.kill(pid, signal.SIGKILL)
        return await asyncio.gather(*runs)

    try:
        made = asyncio.run(three_with_a_kill())
    finally:
        pool.close()
    assert [m.data[:4] for m in made] == [b"%PDF"] * 3


def test_pdfs_render_in_their_own_lane_below_the_previews():
    """Issue 28: a preview never waits behind the PDFs queued before it: PDFs have their own workers, at a lower
    CPU priority, and their own queue (a full PDF queue says busy while previews still run)."""
    import os

    from consentgen.inputs.answers import parse_practice
    from consentgen.model.options import RenderOptions

    practice = parse_practice(yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8")), str(EXAMPLES[0]))
    pdf = RenderOptions(format="pdf", fields=True, client_type="individual")
    html = RenderOptions(format="html", fields=False, client_type="individual")
    pool = RenderPool(workers=1, pdf_workers=1, pdf_queue=1, pdf_nice=5)
    today = dt.date(2026, 12, 7)

    async def mixed() -> tuple:
        first = asyncio.ensure_future(pool.run(practice, pdf, today))
        await asyncio.sleep(0)
        with pytest.raises(Busy):  # the PDF lane is full ...
            await pool.run(practice, pdf, today)
        preview = await pool.run(practice, html, today)  # ... and a preview still runs
        nice = await asyncio.get_running_loop().run_in_executor(pool.pdfs._current(), os.nice, 0)
        plain = await asyncio.get_running_loop().run_in_executor(pool.previews._current(), os.nice, 0)
        return (await first).data[:4], preview.data[:9], nice, plain

    try:
        made, shown, nice, plain = asyncio.run(mixed())
    finally:
        pool.close()
    assert made == b"%PDF" and shown == b"<!DOCTYPE"
    assert nice == os.nice(0) + 5 and plain == os.nice(0)


def test_a_lane_refuses_at_once_when_a_render_would_wait_past_its_bound():
    """Issue 28: past what the machine can do, a render is refused (Busy: 503 with Retry-After) instead of waiting
    without bound: the wait a newcomer would have is the renders ahead of it, shared by the workers, at the time a
    render has lately taken."""
    from consentgen.frontends.renders import _Lane

    lane = _Lane(workers=2, recycle=10, queue=16, max_wait=1.5)
    assert lane.expected_wait() == 0.0  # no pace yet: nothing is refused for want of figures
    lane._pace, lane._inside = 0.5, 1
    assert lane.expected_wait() == 0.0  # a worker is free
    lane._inside = 5  # 4 ahead of a newcomer for 2 workers, 0.5 s each
    assert lane.expected_wait() == pytest.approx(1.0)
    lane._inside = 8
    assert lane.expected_wait() == pytest.approx(1.75)

    async def refused() -> None:
        with pytest.raises(Busy, match="would wait about 2 seconds"):
            await lane.run(None, None, dt.date(2026, 12, 7))

    asyncio.run(refused())
