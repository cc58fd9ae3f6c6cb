"""The web page's renders, run off the event loop (``consentgen serve``).

A render takes from a few milliseconds (a preview) to seconds (a Spanish PDF of every section). Run
on the server's event loop, one PDF would make every keystroke check wait for it (redteam W10), and
WeasyPrint's caches would grow the server by some 30 KB a PDF for as long as it runs (W11). So:

- ``RenderPool`` runs each render in a worker process (spawned, so it shares no state): the event
  loop stays free, and the template and engine time budgets apply, since they need a main thread;
- a pool is replaced after ``recycle`` renders (its running renders finish first), so memory stays flat;
- at most ``queue`` renders wait at once; past that a visitor is told the page is busy;
- a worker that dies (out of memory, killed) breaks every render in its pool: the pool is rebuilt and each
  of them is tried once more, so only a render that kills its worker again fails, not the server.

``InlineRenders`` runs them in the caller's thread instead, for tests and tools that need no pool.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import datetime as dt
import multiprocessing
import os
import time
from dataclasses import dataclass
from typing import Any

from consentgen.errors import ConsentgenError

WORKERS = 2  # preview workers per server process
RECYCLE = 200  # renders per pool before it is replaced
QUEUE = 16  # previews waiting at once
PDF_WORKERS = 1  # PDF workers per server process
PDF_QUEUE = 6  # PDFs waiting at once
PDF_NICE = 6  # how far a PDF worker gives way to the previews (Unix nice)
PREVIEW_WAIT = 1.5  # seconds a preview may be expected to wait before the page says it is busy
PDF_WAIT = 4.0  # the same for a PDF
PACE_WEIGHT = 0.2  # how much the last render moves a lane's pace


class Busy(ConsentgenError):
    """More renders are waiting than the page takes at once."""


@dataclass(frozen=True)
class WebRender:
    """What the page needs of one render: the bytes, the fingerprint, the clinician's warnings, a file name."""

    data: bytes
    fingerprint: str
    warnings: list[str]
    name: str  # the download's file name (the PDF's)


def render_for_web(practice: Any, options: Any, today: dt.date) -> WebRender:
    """Render one document for the page (runs in a worker process, or inline)."""
    from consentgen.frontends.report import review_lines
    from consentgen.model.options import form_file_name
    from consentgen.pipeline import render

    doc, rendered = render(practice, options, today=today)
    return WebRender(rendered.data, rendered.fingerprint, review_lines([doc]),
                     form_file_name(doc.client_type, doc.kind, doc.language, options.format))


def _warm() -> None:
    """Import the pipeline and the PDF engine once, so a worker's first render is not the slow one."""
    import consentgen.pipeline  # noqa: F401
    from consentgen.render import pdf

    pdf._engine()


class InlineRenders:
    """Renders in the calling thread (tests; the page's behaviour without worker processes)."""

    async def run(self, practice: Any, options: Any, today: dt.date) -> WebRender:
        return render_for_web(practice, options, today)

    def start(self) -> None:
        """Nothing to start."""

    def close(self) -> None:
        """Nothing to stop."""


class _Lane:
    """One kind of render's worker processes: recycled every ``recycle`` renders, at most ``queue`` waiting."""

    def __init__(self, workers: int, recycle: int, queue: int, nice: int = 0, max_wait: float = 60.0) -> None:
        self.workers, self.recycle, self.nice, self.max_wait = workers, recycle, nice, max_wait
        self._queue = max(queue, 1)
        self._waiting = asyncio.Semaphore(self._queue)
        self._inside = 0  # renders in this lane (waiting or running)
        self._pace = 0.0  # seconds a render has lately taken in a worker (a moving average; 0: none yet)
        self._pool: cf.ProcessPoolExecutor | None = None
        self._used = 0

    def start(self) -> None:
        if self._pool is None:
            self._current()
            self._used = 0

    def _current(self) -> cf.ProcessPoolExecutor:
        if self._pool is None or self._used >= self.recycle:
            if self._pool is not None:
                self._pool.shutdown(wait=False)  # its running renders finish; then its workers exit
            self._pool = cf.ProcessPoolExecutor(max_workers=self.workers,
                                                mp_context=multiprocessing.get_context("spawn"),
                                                initializer=_give_way, initargs=(self.nice, os.getpid()))
            self._used = 0
            for _ in range(self.workers):
                self._pool.submit(_warm)
        self._used += 1
        return self._pool

    async def run(self, practice: Any, options: Any, today: dt.date) -> WebRender:
        waiting = self._waiting
        if waiting.locked():
            raise Busy(f"the page is busy: {self._queue} renders are waiting. Try again in a moment.")
        wait = self.expected_wait()
        if wait > self.max_wait:  # refused at the door rather than left to wait without bound
            raise Busy(f"the page is busy: a render would wait about {wait:.0f} seconds. Try again in a moment.")
        async with waiting:
            self._inside += 1
            try:
                made, took = await self._twice(practice, options, today)
            finally:
                self._inside -= 1
            self._pace = took if not self._pace else self._pace + PACE_WEIGHT * (took - self._pace)
            return made

    def expected_wait(self) -> float:
        """About how long a render arriving now would wait for a worker: the renders ahead of it, shared by the
        workers, at the time a render has lately taken in one (which grows when the machine is busy)."""
        ahead = self._inside - self.workers + 1
        return max(ahead, 0) * self._pace / self.workers

    async def _twice(self, practice: Any, options: Any, today: dt.date) -> tuple[WebRender, float]:
        try:
            return await self._submit(practice, options, today)
        except cf.process.BrokenProcessPool:
            pass  # a dead worker breaks every render in its pool: each is tried once more (round 5, W1)
        try:
            return await self._submit(practice, options, today)
        except cf.process.BrokenProcessPool:  # this render killed its worker again
            raise ConsentgenError("the render stopped before it finished (the computer may be out of "
                                  "memory); try again") from None

    async def _submit(self, practice: Any, options: Any, today: dt.date) -> tuple[WebRender, float]:
        """One render in the current pool; a pool broken by a dead worker is dropped, rebuilt for the next."""
        pool = self._current()
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, _timed, practice, options, today)
        except cf.process.BrokenProcessPool:
            if self._pool is pool:
                self._pool = None
            raise

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _timed(practice: Any, options: Any, today: dt.date) -> tuple[WebRender, float]:
    """One render in a worker, and the seconds it took there (the lane's pace)."""
    started = time.monotonic()
    made = render_for_web(practice, options, today)
    return made, time.monotonic() - started


def _end_with_parent(parent: int, every: float = 1.0) -> None:
    """Watch ``parent``, the process that started this worker (its id is passed in, not read here: a worker still
    starting when the server is stopped would read the id of the process that adopted it); when it is gone, end at
    once: an idle worker would otherwise wait for work forever."""
    import threading

    def watch() -> None:
        while True:
            time.sleep(every)
            if os.getppid() != parent:
                os._exit(0)

    if os.getppid() != parent:  # the server was gone before this worker finished starting
        os._exit(0)
    threading.Thread(target=watch, name="consentgen-parent-watch", daemon=True).start()


def _give_way(nice: int, parent: int) -> None:
    """A worker's start: it ends itself if the server dies without stopping it (killed, or stopped before its
    shutdown ran: a stopped server left its render workers running, 63 MB each, found in session 13), and a PDF
    worker lowers its CPU priority, so the previews a person waits on as they type come first."""
    _end_with_parent(parent)
    if nice:
        import contextlib

        with contextlib.suppress(OSError, AttributeError):  # os.nice is Unix only; never fatal
            os.nice(nice)


class RenderPool:
    """Renders in worker processes: previews in their own lane, PDFs in a lane of lower CPU priority.

    A PDF takes about a second of CPU and a preview a tenth. In one shared queue a preview waited behind the PDFs
    queued before it (preview p95 1.1 s with 25 visitors). Each lane recycles its workers every ``recycle`` renders
    and refuses (``Busy``) past its own queue, or when a render arriving now would wait longer than its lane's
    ``max_wait`` at the lane's recent pace: past what the machine can do, the page answers 503 at once instead of
    slowing down without bound.
    """

    def __init__(self, workers: int = WORKERS, recycle: int = RECYCLE, queue: int = QUEUE,
                 pdf_workers: int = PDF_WORKERS, pdf_queue: int = PDF_QUEUE, pdf_nice: int = PDF_NICE,
                 max_wait: float = PREVIEW_WAIT, pdf_max_wait: float = PDF_WAIT) -> None:
        self.previews = _Lane(workers, recycle, queue, max_wait=max_wait)
        self.pdfs = _Lane(pdf_workers, recycle, pdf_queue, nice=pdf_nice, max_wait=pdf_max_wait)

    def start(self) -> None:
        """Start the workers and load the engine in them (on server start, before the first keystroke)."""
        self.previews.start()
        self.pdfs.start()

    async def run(self, practice: Any, options: Any, today: dt.date) -> WebRender:
        """Render in a worker of the render's lane; ``Busy`` when too many wait there, ``ConsentgenError`` when a
        worker died twice."""
        lane = self.pdfs if options.format == "pdf" else self.previews
        return await lane.run(practice, options, today)

    def close(self) -> None:
        """Stop the workers (on server shutdown)."""
        self.previews.close()
        self.pdfs.close()
