"""Main text and metadata of a news page, with trafilatura, under a per-page time limit.

trafilatura 2.x measured best on news extraction (F1 ≈ 0.91 on its 750-document benchmark) and
returns title, author, date, canonical URL and site name besides the text. Its own timeout works
only from its command line, so the limit is ours: pages are extracted in a long-lived worker
process (one per job with ``--jobs N``, see ``builders.ingest.page_pool``), and a page that
takes longer than ``page_time_limit`` seconds gets the worker killed (a thread cannot be) and a
fresh one started for the next page. Sending a page there and its text back costs about 1 % of
the extraction (docs/ingest.md), so every page gets the same hard limit rather than a guess at
which pages might be slow. ``page_time_limit = 0`` extracts in this process without a limit
(benchmarks, debugging).

The worker is a separate interpreter (``python -m builders.ingest.page_worker``, pages in on its
stdin, results out on its stdout): it shares nothing with the builder's own state, whatever
threads or worker pools the caller has running when the first page arrives.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import select
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

EXTRACTOR = "trafilatura"
DEFAULT_PAGE_TIME_LIMIT = 30.0  # seconds; trafilatura's own command-line default
DEFAULT_MAX_PAGE_BYTES = 20_000_000  # trafilatura's own MAX_FILE_SIZE
WARM_UP = (  # an article, and a page short enough for trafilatura's fallback extractors
    b"<html><head><title>t</title><meta name='author' content='a'></head><body><article>"
    b"<p>" + b"Warm-up text of a page, long enough to be an article. " * 8 + b"</p>"
    b"</article></body></html>",
    b"<html><body><div>menu</div></body></html>",
)
STARTUP_LIMIT = 120.0  # seconds for the worker to start and import trafilatura
MIN_ARTICLE_CHARS = 100  # shorter extracted text is no article (no_article_text)


@dataclass(frozen=True)
class Page:
    """What a page gave: the article text and its metadata (``None`` where the page had none)."""

    text: str
    title: str | None
    author: str | None
    published: str | None  # YYYY-MM-DD
    url: str | None
    outlet: str | None


@dataclass(frozen=True)
class PageProblem:
    """Why a page gave no article: a quarantine code and reason."""

    code: str
    reason: str


def page_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def extractor_version() -> str:
    return f"{EXTRACTOR} {metadata.version(EXTRACTOR)}"


@functools.cache
def _config():
    from trafilatura.settings import use_config

    config = use_config()
    # trafilatura's fallbacks turn a page without an article into its menu ("Home\nWorld"),
    # and unparseable junk into the junk; less than this is not an article
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", str(MIN_ARTICLE_CHARS))
    return config


def extract_page(data: bytes, url: str | None = None) -> Page | PageProblem:
    """trafilatura on one page, in this process: the text and metadata, or why there are none."""
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    tree = load_html(data)
    if tree is None:
        return PageProblem("unparseable_page", "broken markup: no HTML document could be parsed")
    # reader comments are not the article; everything else as trafilatura's defaults
    document = bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, config=_config()
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        return PageProblem(
            "no_article_text",
            f"no article text found in the page (at least {MIN_ARTICLE_CHARS} characters)",
        )

    def clean(value):
        return value.strip() or None if isinstance(value, str) else None

    return Page(
        text=text,
        title=clean(document.title),
        author=clean(document.author),
        published=clean(document.date),
        url=clean(document.url),
        outlet=clean(document.sitename) or clean(document.hostname),
    )


def _read_message(stream):
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError("the other end closed the pipe")
    size = int.from_bytes(header, "big")
    body = stream.read(size)
    if len(body) < size:
        raise EOFError("the other end closed the pipe mid-message")
    return pickle.loads(body)


def _write_message(stream, value) -> None:
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(body).to_bytes(8, "big") + body)
    stream.flush()


def serve() -> None:  # pragma: no cover - runs in the worker process
    """The worker: pages in on stdin, :class:`Page` or :class:`PageProblem` out on stdout."""
    # trafilatura's first extraction loads its data (~0.6 s): done before "ready", so the time
    # limit counts only the page's own extraction
    for page in WARM_UP:
        extract_page(page)
    incoming, outgoing = sys.stdin.buffer, sys.stdout.buffer
    _write_message(outgoing, "ready")
    while True:
        try:
            request = _read_message(incoming)
        except EOFError:
            return
        if request is None:
            return
        data, url = request
        try:
            result = extract_page(data, url)
        except Exception as exc:  # a trafilatura/lxml failure on one page is that page's problem
            result = PageProblem("extraction_failed", f"{type(exc).__name__}: {exc}")
        _write_message(outgoing, result)


class PageExtractor:
    """Extract pages one at a time, each within ``time_limit`` seconds (0: no limit, in process).

    Use as a context manager, or call :meth:`close`; the worker starts with the first page."""

    def __init__(
        self, time_limit: float = DEFAULT_PAGE_TIME_LIMIT, max_bytes: int = DEFAULT_MAX_PAGE_BYTES
    ):
        self.time_limit = float(time_limit)
        self.max_bytes = int(max_bytes)
        self.restarts = 0
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> PageExtractor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def extract(self, data: bytes, url: str | None = None) -> Page | PageProblem:
        if len(data) > self.max_bytes:
            return PageProblem(
                "page_too_large",
                f"page of {len(data):,} bytes is over max_page_bytes = {self.max_bytes:,} "
                "([tool.agitprop]); not parsed",
            )
        if self.time_limit <= 0:
            try:
                return extract_page(data, url)
            except Exception as exc:
                return PageProblem("extraction_failed", f"{type(exc).__name__}: {exc}")
        process = self._start()
        try:
            _write_message(process.stdin, (data, url))
            if _readable(process.stdout, self.time_limit):
                return _read_message(process.stdout)
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            self._stop(kill=True)
            return PageProblem("extraction_failed", f"the extraction worker died ({exc})")
        self._stop(kill=True)
        self.restarts += 1
        return PageProblem(
            "page_timeout",
            f"extraction took longer than page_time_limit = {self.time_limit:g} s "
            "([tool.agitprop]); stopped",
        )

    def close(self) -> None:
        self._stop(kill=False)

    def _start(self) -> subprocess.Popen:
        if self._process is not None and self._process.poll() is None:
            return self._process
        # a separate interpreter, not multiprocessing: nothing of the caller's state (threads,
        # pools, an unguarded __main__) is shared or re-run
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
        process = subprocess.Popen(
            [sys.executable, "-m", "builders.ingest.page_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self._process = process
        # starting Python and importing trafilatura is not the page's time
        try:
            ready = _readable(process.stdout, STARTUP_LIMIT) and _read_message(process.stdout)
        except EOFError:
            ready = None
        if ready != "ready":
            self._stop(kill=True)
            raise RuntimeError(f"the page extraction worker did not start in {STARTUP_LIMIT:g} s")
        return process

    def _stop(self, kill: bool) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if not kill:
            try:
                _write_message(process.stdin, None)
            except OSError:
                kill = True
        if kill:
            process.kill()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


def _readable(stream, timeout: float) -> bool:
    ready, _, _ = select.select([stream], [], [], timeout)
    return bool(ready)
