"""Several page extraction workers at once, results handed back in the order pages came in.

With ``--jobs N`` (N > 1) the reader sends up to ``2 * N`` pages ahead to N
:class:`~builders.ingest.html.PageExtractor` workers, each its own process with its own per-page
time limit, and takes the results back oldest first, so the articles, their ids, duplicates
and quarantine rows are the same as with one worker (tested byte for byte). Threads only wait
on the workers' pipes (``select`` releases the GIL); trafilatura runs in the worker processes.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

from builders.ingest.html import Page, PageExtractor, PageProblem

AHEAD_PER_WORKER = 2  # pages in flight per worker: one extracting, one waiting in its pipe


class PagePool:
    """``submit`` pages, ``take`` their results in submission order."""

    def __init__(self, workers: int, time_limit: float, max_bytes: int) -> None:
        self.workers = workers
        self.ahead = workers * AHEAD_PER_WORKER
        self._settings = (time_limit, max_bytes)
        self._local = threading.local()
        self._extractors: list[PageExtractor] = []
        self._lock = threading.Lock()
        self._threads = ThreadPoolExecutor(workers, thread_name_prefix="page")
        self._pending: deque[Future] = deque()
        self.started = 0  # worker threads that extracted a page, each with its own process

    def _extract(self, data: bytes, url: str | None) -> Page | PageProblem:
        extractor = getattr(self._local, "extractor", None)
        if extractor is None:  # one worker process per thread, started with its first page
            extractor = self._local.extractor = PageExtractor(*self._settings)
            with self._lock:
                self._extractors.append(extractor)
                self.started += 1
        return extractor.extract(data, url)

    def submit(self, data: bytes, url: str | None) -> None:
        self._pending.append(self._threads.submit(self._extract, data, url))

    @property
    def full(self) -> bool:
        return len(self._pending) >= self.ahead

    def __len__(self) -> int:
        return len(self._pending)

    def take(self) -> Page | PageProblem:
        """The result of the oldest page submitted and not taken yet (waits for it)."""
        return self._pending.popleft().result()

    def close(self) -> None:
        for future in self._pending:
            future.cancel()
        self._threads.shutdown(wait=True)
        for extractor in self._extractors:
            extractor.close()
        self._extractors.clear()
