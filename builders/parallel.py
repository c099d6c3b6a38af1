"""Run per-document pipeline steps in worker processes, yielding results in input order.

``ParallelSteps(steps, jobs)`` is itself a :class:`PipelineStep`. ``jobs`` counts processes, this
one included, as ``make -j`` does: the parent keeps reading, merging and writing while ``jobs - 1``
workers run the wrapped steps. With ``jobs == 1`` it is exactly ``run_pipeline(records, steps)``
in this process. With more, the parent cuts the stream into chunks, a
``concurrent.futures.ProcessPoolExecutor`` runs the wrapped steps on each chunk, and the parent
yields the results chunk by chunk in input order, merging each step's report (``stats``,
a tagger's ``warnings``) into its own copy of the step, so everything reported afterwards is what
one process would have reported. At most two chunks per worker are in flight: memory does not grow
with the corpus. The wrapped steps must be per-document and stateless apart from their reports
(segmenter, cue tagger); steps that look across documents (annotation merging, gold) stay in the
parent.

Why the stdlib executor: a worker that dies (killed, out of memory) breaks the pool with an
exception instead of hanging it, as ``multiprocessing.Pool`` would; and submitting chunk by chunk
bounds the read-ahead, where ``Pool.imap`` consumes the whole input in a feeder thread.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import resource
import signal
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from builders.pipeline import PipelineStep, run_pipeline
from builders.records import Document

DEFAULT_CHUNK_SIZE = 64  # articles per task; see docs/performance.md, "Parallel pipeline"
START_METHOD = "fork"  # see the README for why, and what makes it safe here


class WorkerError(RuntimeError):
    """A wrapped step failed on one article in a worker process."""

    def __init__(self, message: str, worker_traceback: str = "") -> None:
        super().__init__(message, worker_traceback)
        self.message = message
        self.worker_traceback = worker_traceback

    def __str__(self) -> str:
        return self.message


def resolve_jobs(value: int | str | None) -> int:
    """``"auto"`` (or None) → the CPUs this process may use; otherwise a positive integer."""
    if value is None or value == "auto":
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        jobs = int(value)
    except (TypeError, ValueError):
        jobs = 0
    if jobs < 1 or str(jobs) != str(value).strip():
        raise ValueError(f"jobs must be a positive integer or 'auto', not {value!r}")
    return jobs


def describe(record) -> str:
    """``article 'id' (file:line)`` for an Article or a Document."""
    article = record.article if isinstance(record, Document) else record
    where = getattr(article, "source_file", "")
    return f"article {article.article_id!r}" + (f" ({where})" if where else "")


class ParallelSteps(PipelineStep):
    """Pipeline step: ``steps`` run over chunks of ``chunk_size`` records in ``jobs - 1`` worker
    processes beside this one."""

    name = "parallel"

    def __init__(
        self,
        steps: list[PipelineStep],
        jobs: int = 1,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        start_method: str = START_METHOD,
    ) -> None:
        super().__init__()
        if jobs < 1 or chunk_size < 1:
            raise ValueError(f"jobs and chunk_size must be ≥ 1 (got {jobs}, {chunk_size})")
        self.steps = steps
        self.jobs = jobs
        self.chunk_size = chunk_size
        self.start_method = start_method
        # each worker's own peak RSS (ru_maxrss, KiB) by pid, as last reported with a chunk
        self.worker_peaks_kb: dict[int, int] = {}

    def run(self, records: Iterable) -> Iterator:
        if self.jobs == 1:
            yield from run_pipeline(records, self.steps)
            return
        records = iter(records)
        # The parent runs the first chunk itself: that loads the rule data and the lemma
        # dictionary these articles need, which forked workers then share copy-on-write instead
        # of each loading its own (~330 MB for Polish). A corpus of one chunk starts no pool.
        first = list(islice(records, self.chunk_size))
        yield from run_pipeline(first, self.steps)
        if len(first) == self.chunk_size:
            yield from self._pooled(records)

    def _pooled(self, records: Iterator) -> Iterator:
        gc.freeze()  # the collector must not write to the header of every object workers share
        workers = self.jobs - 1
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context(self.start_method),
            initializer=_start_worker,
            initargs=(self.steps,),
        )
        pending: deque[tuple[list, Future]] = deque()
        try:
            while chunk := list(islice(records, self.chunk_size)):
                pending.append((chunk, pool.submit(_run_chunk, chunk)))
                if len(pending) >= 2 * workers:
                    yield from self._collect(pending)
            while pending:
                yield from self._collect(pending)
        finally:
            # Ctrl-C, an error or an abandoned stream: drop queued chunks, let each worker finish
            # the one it holds (tens of milliseconds) and exit, so no process outlives the build.
            pool.shutdown(wait=True, cancel_futures=True)
            gc.unfreeze()

    def _collect(self, pending: deque[tuple[list, Future]]) -> Iterator:
        chunk, future = pending.popleft()
        try:
            documents, reports, (pid, peak_kb) = future.result()
        except BrokenProcessPool as exc:
            # every unfinished chunk fails with the pool, so the culprit is one of them
            last = pending[-1][0] if pending else chunk
            count = len(chunk) + sum(len(c) for c, _ in pending)
            raise WorkerError(
                f"a worker process died (killed or crashed) while running "
                f"{', '.join(s.name for s in self.steps)} on one of the {count} articles from "
                f"{describe(chunk[0])} to {describe(last[-1])}"
            ) from exc
        for step, report in zip(self.steps, reports, strict=True):
            step.merge_report(report)
        self.worker_peaks_kb[pid] = max(peak_kb, self.worker_peaks_kb.get(pid, 0))
        yield from documents


# --- worker side ------------------------------------------------------------------------------

_WORKER_STEPS: list[PipelineStep] = []


def _start_worker(steps: list[PipelineStep]) -> None:
    global _WORKER_STEPS
    # Ctrl-C reaches the whole process group; the parent alone handles it and shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    for step in steps:  # forked copies hold what the parent counted so far: not theirs to report
        step.take_report()
    _WORKER_STEPS = steps


def _die_with_parent() -> None:
    """Linux: SIGTERM this worker when its parent dies (even by SIGKILL), so none is orphaned."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the executor's own shutdown still applies
        pass


def _run_chunk(records: list) -> tuple[list, list[dict], tuple[int, int]]:
    """Every record through the worker's steps; then what each step counted, for the parent, and
    this worker's pid and peak RSS so far (the parent's RUSAGE_CHILDREN only gives the largest)."""
    done = []
    for record in records:
        items = [record]
        for step in _WORKER_STEPS:
            try:
                items = list(step.run(items))
            except Exception as exc:
                raise WorkerError(
                    f"{step.name} failed on {describe(record)}: {type(exc).__name__}: {exc}",
                    traceback.format_exc(),
                ) from None
        done.extend(items)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return done, [step.take_report() for step in _WORKER_STEPS], (os.getpid(), peak_kb)
