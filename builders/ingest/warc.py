"""HTML pages out of WARC crawl archives (``*.warc``, ``*.warc.gz``), with FastWARC.

FastWARC read 8-10x more records per second than warcio on the same generated archive
(docs/ingest.md). Like warcio, it stops without a word at a truncated archive:
the last record of a cut uncompressed file comes back short, and the cut gzip member of a
compressed one is simply not returned. So the reader checks itself that it got to the end: what
follows the start of the last record must be that one whole record (or gzip member) and nothing
else. Whatever could not be read is reported as one
:class:`WarcProblem` with the offset it starts at; the records before it are kept.

Only HTTP 200 ``text/html`` (or XHTML) responses are pages; every other record (requests,
metadata, other statuses and types) is counted by kind in ``skipped`` and left alone.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class WarcPage:
    """One HTTP 200 HTML response: the target URI, capture date and the raw payload."""

    offset: int  # of the record in the file (compressed offset for .warc.gz)
    target_uri: str
    captured: str | None  # WARC-Date, ISO 8601
    payload: bytes


@dataclass(frozen=True)
class WarcProblem:
    offset: int
    code: str
    reason: str


PAGES = "warc pages"  # the reader's stats keys (builders.ingest.readers)
SKIPPED = "warc skipped: "


def warc_counts(stats: dict[str, int]) -> dict[str, int]:
    """The reader's WARC counts (pages, skipped records by kind), in a stable order."""
    return dict(sorted((k, n) for k, n in stats.items() if k == PAGES or k.startswith(SKIPPED)))


def warc_summary(stats: dict[str, int]) -> str | None:
    """One line for the build summary: the pages read from WARC archives and the records
    skipped, by kind (None without archives)."""
    skipped = {k.removeprefix(SKIPPED): n for k, n in stats.items() if k.startswith(SKIPPED)}
    if PAGES not in stats and not skipped:
        return None
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items(), key=lambda x: -x[1]))
    return (
        f"WARC: {stats.get(PAGES, 0)} HTML pages read, {sum(skipped.values())} records skipped"
        + (f" ({kinds})" if kinds else "")
    )


def record_id(target_uri: str) -> str:
    """Content-derived id of a captured page: the same URI always gives the same id."""
    return "url-" + hashlib.sha256(target_uri.encode("utf-8")).hexdigest()[:20]


class WarcReader:
    """Iterate the pages of one archive; ``skipped`` counts the records that are not pages."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.skipped: Counter[str] = Counter()
        self.records = 0

    def __iter__(self) -> Iterator[WarcPage | WarcProblem]:
        from fastwarc.warc import ArchiveIterator

        # A page is handed on only once the archive is known to go on past it (the next record
        # was read, or the tail check passed): the cut last record of a truncated archive comes
        # back from FastWARC looking whole, but short.
        pending: WarcPage | None = None
        last_offset = None
        with self.path.open("rb") as handle:
            try:
                # Content- and Transfer-Encoding (gzip, chunked) decoded as a browser would
                for record in ArchiveIterator(handle, parse_http=True, auto_decode="all"):
                    self.records += 1
                    last_offset = record.stream_pos
                    if pending is not None:
                        yield pending
                    pending = self._page(record)
            except (OSError, ValueError, RuntimeError) as exc:
                yield WarcProblem(
                    last_offset or 0,
                    "broken_archive",
                    f"unreadable WARC record after byte {last_offset or 0:,}: {exc}; "
                    "the records before it were read",
                )
                return
        problem = self._tail_problem(last_offset)
        if problem is not None:
            yield problem
        elif pending is not None:
            yield pending

    def _page(self, record) -> WarcPage | None:
        from fastwarc.warc import WarcRecordType

        kind = record.record_type
        if kind != WarcRecordType.response:
            self.skipped[str(kind).rsplit(".", 1)[-1] + " record"] += 1
            return None
        if not record.is_http:
            self.skipped["response without HTTP headers"] += 1
            return None
        status = record.http_headers.status_code
        if status != 200:
            self.skipped[f"HTTP {status or 'unparseable status'}"] += 1
            return None
        content_type = (record.http_content_type or "").lower()
        if not content_type.startswith(HTML_TYPES):
            self.skipped[f"not HTML ({content_type or 'no Content-Type'})"] += 1
            return None
        return WarcPage(
            offset=record.stream_pos,
            target_uri=(record.headers.get("WARC-Target-URI") or "").strip().strip("<>"),
            captured=record.headers.get("WARC-Date") or None,
            payload=record.reader.read(),
        )

    def _tail_problem(self, last_offset: int | None) -> WarcProblem | None:
        """Did the iterator stop at the end of the file, or at something it could not read?"""
        size = self.path.stat().st_size
        start = last_offset or 0
        if size == 0:
            return None
        with self.path.open("rb") as handle:
            handle.seek(start)
            tail = handle.read()
        if tail[:2] == b"\x1f\x8b":
            unread = _after_first_gzip_member(tail) if last_offset is not None else tail
            if unread is None:
                return _cut(start, "a gzip member that ends early")
        else:
            unread = _after_first_record(tail) if last_offset is not None else tail
            if unread is None:
                return _cut(start, "a record that ends early")
        if unread.strip(b"\r\n\x00"):
            at = size - len(unread)
            return _cut(at, f"{len(unread):,} bytes that are not a WARC record")
        return None


def _cut(offset: int, what: str) -> WarcProblem:
    return WarcProblem(
        offset,
        "truncated_archive",
        f"archive is truncated or damaged from byte {offset:,} ({what}); the records before it "
        "were read, nothing after it",
    )


def _after_first_gzip_member(data: bytes) -> bytes | None:
    decompressor = zlib.decompressobj(wbits=31)
    try:
        decompressor.decompress(data)
    except zlib.error:
        return None
    return decompressor.unused_data if decompressor.eof else None


def _after_first_record(data: bytes) -> bytes | None:
    head_end = data.find(b"\r\n\r\n")
    if head_end < 0:
        return None
    length = None
    for line in data[:head_end].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                return None
    if length is None:
        return None
    end = head_end + 4 + length
    if len(data) < end:
        return None
    return data[end:]
