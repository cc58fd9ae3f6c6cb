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
from dataclasses import dataclass
from typing import Any

from consentgen.errors import ConsentgenError

WORKERS = 2
RECYCLE = 200  # renders per pool before it is replaced
QUEUE = 16  # renders waiting at once


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


class RenderPool:
    """Renders in worker processes, recycled every ``recycle`` renders, with at most ``queue`` waiting."""

    def __init__(self, workers: int = WORKERS, recycle: int = RECYCLE, queue: int = QUEUE) -> None:
        self.workers, self.recycle = workers, recycle
        self._queue = max(queue, 1)
        self._waiting = asyncio.Semaphore(self._queue)
        self._pool: cf.ProcessPoolExecutor | None = None
        self._used = 0

    def start(self) -> None:
        """Start the workers and load the engine in them (on server start, before the first keystroke)."""
        if self._pool is None:
            self._current()
            self._used = 0

    def _current(self) -> cf.ProcessPoolExecutor:
        if self._pool is None or self._used >= self.recycle:
            if self._pool is not None:
                self._pool.shutdown(wait=False)  # its running renders finish; then its workers exit
            self._pool = cf.ProcessPoolExecutor(max_workers=self.workers,
                                                mp_context=multiprocessing.get_context("spawn"))
            self._used = 0
            for _ in range(self.workers):
                self._pool.submit(_warm)
        self._used += 1
        return self._pool

    async def run(self, practice: Any, options: Any, today: dt.date) -> WebRender:
        """Render in a worker; ``Busy`` when too many wait, ``ConsentgenError`` when a worker died."""
        waiting = self._waiting
        if waiting.locked():
            raise Busy(f"the page is busy: {self._queue} renders are waiting. Try again in a moment.")
        async with waiting:
            try:
                return await self._submit(practice, options, today)
            except cf.process.BrokenProcessPool:
                pass  # a dead worker breaks every render in its pool: each is tried once more (round 5, W1)
            try:
                return await self._submit(practice, options, today)
            except cf.process.BrokenProcessPool:  # this render killed its worker again
                raise ConsentgenError("the render stopped before it finished (the computer may be out of "
                                      "memory); try again") from None

    async def _submit(self, practice: Any, options: Any, today: dt.date) -> WebRender:
        """One render in the current pool; a pool broken by a dead worker is dropped, rebuilt for the next."""
        pool = self._current()
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, render_for_web, practice, options, today)
        except cf.process.BrokenProcessPool:
            if self._pool is pool:
                self._pool = None
            raise

    def close(self) -> None:
        """Stop the workers (on server shutdown)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
