"""Readers for ``seeds/``: ``*.txt`` (one article per file), ``*.jsonl`` and ``*.jsonl.gz`` (one
per line), ``*.html``/``*.htm`` pages, ``*.warc``/``*.warc.gz`` crawl archives and ``*.csv``/
``*.tsv`` tables (:mod:`~builders.ingest.html`, :mod:`~builders.ingest.warc`,
:mod:`~builders.ingest.tables`). Every article then passes the same gate
(:meth:`SeedReader._admit`): its URL must not have been seen, its id must be new, and its language
(given, or identified by :mod:`~builders.ingest.language`) must have rule data.

Every input that cannot become an article becomes a :class:`QuarantineRow` naming the file, the
line, the field and the reason; nothing is skipped silently. Which entries of the folder are read
at all (symlinks, hidden entries, special files) is decided by :mod:`builders.ingest.listing`.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from builders.ingest.html import (
    DEFAULT_MAX_PAGE_BYTES,
    DEFAULT_PAGE_TIME_LIMIT,
    Page,
    PageExtractor,
    PageProblem,
    extractor_version,
    page_sha256,
)
from builders.ingest.language import LanguageIdentifier, supported_languages
from builders.ingest.listing import list_inputs, printable
from builders.ingest.normalize import normalize_text
from builders.ingest.page_pool import PagePool
from builders.ingest.tables import ColumnMapping, TableError, read_table
from builders.ingest.warc import PAGES, SKIPPED, WarcPage, WarcReader, record_id
from builders.jsonlines import parse_record
from builders.pipeline import PipelineStep
from builders.records import ID_PATTERN, Article, QuarantineRow
from builders.schemas import violations

# the kind of seed file, by the end of its name (longest first: x.jsonl.gz is not x.gz)
KINDS = (
    (".jsonl.gz", "jsonl"),
    (".warc.gz", "warc"),
    (".jsonl", "jsonl"),
    (".txt", "txt"),
    (".html", "html"),
    (".htm", "html"),
    (".warc", "warc"),
    (".csv", "table"),
    (".tsv", "table"),
)
SUPPORTED_SUFFIXES = tuple(suffix for suffix, _ in KINDS)
# A UTF-8 character is at most 4 bytes: a file or line longer than this many bytes per allowed
# character cannot be within the limit and is refused before it is read into memory.
MAX_UTF8_BYTES = 4
DEFAULT_MAX_ARTICLE_CHARS = 2_000_000


class SeedReader(PipelineStep):
    """Yield articles from a seeds folder (or single files) in a stable order."""

    name = "ingest"

    def __init__(
        self,
        paths: list[Path],
        default_language: str = "pl",
        max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS,
        *,
        detect_language: bool = True,
        csv_mapping: ColumnMapping | None = None,
        page_time_limit: float = DEFAULT_PAGE_TIME_LIMIT,
        max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES,
        page_workers: int = 1,
    ) -> None:
        super().__init__()
        self.paths = [Path(p) for p in paths]
        self.default_language = default_language
        self.max_article_chars = max_article_chars
        # an article whose input names no language: identified (True) or default_language
        self.detect_language = detect_language
        self.csv_mapping = csv_mapping or ColumnMapping()
        self.page_time_limit = page_time_limit
        self.max_page_bytes = max_page_bytes
        self.quarantine: list[QuarantineRow] = []
        self.ignored: list[str] = []  # hidden entries, ignored by rule (counted, not quarantined)
        self.languages = supported_languages()
        self.identifier = LanguageIdentifier()
        self._seen: dict[str, str] = {}
        self._urls: dict[str, str] = {}
        self._pages: PageExtractor | None = None
        # > 1: pages are extracted by that many workers at once (builders.ingest.page_pool)
        self.page_workers = page_workers
        self._pool: PagePool | None = None
        self._waiting: deque[_PendingPage] = deque()

    @classmethod
    def from_config(cls, paths: list[Path], config, jobs: int = 1) -> SeedReader:
        """A reader with the settings of ``[tool.agitprop]`` (a :class:`ProjectConfig`);
        ``jobs`` page extraction workers."""
        return cls(
            paths,
            default_language=config.default_language,
            max_article_chars=config.max_article_chars,
            detect_language=config.detect_language,
            csv_mapping=ColumnMapping.from_config(config.extra.get("csv")),
            page_time_limit=config.page_time_limit,
            max_page_bytes=config.max_page_bytes,
            page_workers=jobs,
        )

    def files(self) -> list[tuple[Path, Path]]:
        """(file, root) pairs; ``root`` is what ``source_file`` is written relative to."""
        return list_inputs(self.paths).files

    def run(self, records=None) -> Iterator[Article]:
        listing = list_inputs(self.paths)
        self.ignored = listing.ignored
        for refused in listing.refused:
            self._reject(refused.path, None, None, refused.code, refused.reason)
        readers = {
            "txt": self._read_txt,
            "jsonl": self._read_jsonl,
            "html": self._read_html,
            "warc": self._read_warc,
            "table": self._read_table,
        }
        try:
            for file, root in listing.files:
                rel = file.relative_to(root).as_posix()
                kind = seed_kind(file)
                if kind is None:
                    self._reject(
                        file,
                        None,
                        None,
                        "unsupported_file",
                        f"unsupported file type {file.suffix.lower() or '(none)'}; seeds are "
                        + ", ".join(f"*{suffix}" for suffix in SUPPORTED_SUFFIXES),
                    )
                    continue
                if kind not in PAGE_KINDS:
                    # pages read before this file are admitted first, as with one worker: ids
                    # and duplicate URLs are decided in input order
                    yield from self._finish_pages(0)
                for item in readers[kind](file, rel):
                    if isinstance(item, _PendingPage):
                        self._waiting.append(item)
                        yield from self._finish_pages(self._pool.ahead - 1)
                    else:
                        yield item
            yield from self._finish_pages(0)
        finally:
            if self._pages is not None:
                self._pages.close()
                self._pages = None
            if self._pool is not None:
                self.stats["page extraction workers"] = self._pool.started
                self._pool.close()
                self._pool = None
            self._waiting.clear()

    # -- helpers -----------------------------------------------------------------------------

    def _reject(
        self,
        file: Path,
        line: int | None,
        field: str | None,
        code: str,
        reason: str,
        raw: str | None = None,
    ) -> None:
        self.stats["quarantined"] += 1
        self.quarantine.append(QuarantineRow(printable(file), line, field, code, reason, raw))

    def _decode(self, file: Path, data: bytes) -> str | None:
        if b"\x00" in data:
            digest = hashlib.sha256(data).hexdigest()
            self._reject(
                file,
                data[: data.index(b"\x00")].count(b"\n") + 1,
                None,
                "binary_file",
                f"binary file (NUL byte), {len(data)} bytes, sha256 {digest}",
            )
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            self._reject(
                file,
                line,
                None,
                "not_utf8",
                f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            )
            return None

    def _safe_id(
        self, file: Path, line: int | None, article_id, field: str, raw: str | None = None
    ) -> bool:
        """Refuse ids that are not safe as file names; a non-string id is the schema's to report."""
        if not isinstance(article_id, str):
            return True
        if "/" in article_id or "\\" in article_id or article_id.startswith("."):
            self._reject(
                file,
                line,
                field,
                "unsafe_id",
                f"id {article_id!r} would escape a directory (path separators or a leading '.')",
                raw,
            )
            return False
        if not ID_PATTERN.fullmatch(article_id):
            self._reject(
                file,
                line,
                field,
                "invalid_id",
                f"id {article_id!r} must match {ID_PATTERN.pattern} (the whole id)",
                raw,
            )
            return False
        return True

    def _admit(
        self,
        file: Path,
        line: int | None,
        article_id: str,
        raw_text: str,
        source: str,
        fields: dict,
        id_field: str,
        raw: str | None = None,
    ) -> Article | None:
        """The gate every article passes: a URL not seen before, a new id, a language with rule
        data. What passes is registered; what does not is quarantined, naming the first."""
        where = f"{printable(file)}:{line}" if line else printable(file)
        url = fields.get("url")
        key = url_key(url) if url else None
        if key is not None and key in self._urls:
            self._reject(
                file,
                line,
                "/url",
                "duplicate_url",
                f"duplicate URL {url} (first seen in {self._urls[key]})",
                raw,
            )
            return None
        first = self._seen.get(article_id)
        if first is not None:
            self._reject(
                file,
                line,
                id_field,
                "duplicate_id",
                f"duplicate id {article_id!r} (first seen in {first})",
                raw,
            )
            return None
        text, applied = normalize_text(raw_text)
        language = fields.get("language")
        if language is None and self.detect_language:
            found = self.identifier.identify(text)
            if found is None:
                self.stats["language: too short to identify, default_language"] += 1
            else:
                language = found.language
                self.stats[f"language identified: {language}"] += 1
                if language not in self.languages:
                    self._reject(
                        file,
                        line,
                        "/language",
                        "unsupported_language",
                        f"text identified as {language!r} (p = {found.probability:.2f}, "
                        f"{self.identifier.describe()}); rule data exists only for "
                        f"{', '.join(self.languages)}; give the language explicitly if wrong",
                        raw,
                    )
                    return None
        language = language or self.default_language
        if language not in self.languages:
            self._reject(
                file,
                line,
                "/language",
                "unsupported_language",
                f"language {language!r} has no rule data (builders/rules/segmentation/: "
                f"{', '.join(self.languages)})",
                raw,
            )
            return None
        self._seen[article_id] = where
        if key is not None:
            self._urls[key] = f"{where} as {article_id}"
        self.stats["articles"] += 1
        return Article(
            article_id=article_id,
            text=text,
            language=language,
            title=normalize_text(fields["title"])[0] if fields.get("title") else None,
            url=url,
            outlet=fields.get("outlet"),
            published=fields.get("published"),
            source_file=source,
            normalization=applied,
            author=fields.get("author"),
            extractor=fields.get("extractor"),
            source_sha256=fields.get("source_sha256"),
            captured=fields.get("captured"),
        )

    def _too_long(self, file: Path, line: int | None, size: int, unit: str, raw=None) -> bool:
        if size <= self.max_article_chars:
            return False
        self._reject(
            file,
            line,
            "/text",
            "article_too_long",
            f"article of {size:,} {unit} is over max_article_chars = {self.max_article_chars:,} "
            "([tool.agitprop]); split it or raise the limit",
            raw,
        )
        return True

    def _unreadable(self, file: Path, exc: OSError) -> None:
        self._reject(file, None, None, "unreadable_file", f"cannot read: {exc.strerror or exc}")

    def _read_bytes(self, file: Path, too_large) -> bytes | None:
        """The file's bytes, or None when ``too_large(size)`` refused it before reading (it
        quarantines) or it cannot be read (quarantined here)."""
        try:
            if too_large(file.stat().st_size):
                return None
            return file.read_bytes()
        except OSError as exc:
            self._unreadable(file, exc)
            return None

    def _read_txt(self, file: Path, rel: str) -> Iterator[Article]:
        data = self._read_bytes(
            file,
            lambda size: self._too_long(file, None, size // MAX_UTF8_BYTES, "characters at least"),
        )
        text = None if data is None else self._decode(file, data)
        if text is None:
            return
        if not text.strip():
            self._reject(file, None, "/text", "empty_text", "empty text (only whitespace)")
            return
        if self._too_long(file, None, len(text), "characters"):
            return
        if self._safe_id(file, None, file.stem, "(file name)"):
            article = self._admit(file, None, file.stem, text, rel, {}, "(file name)")
            if article is not None:
                yield article

    # -- JSON lines, plain or gzipped --------------------------------------------------------

    def _read_jsonl(self, file: Path, rel: str) -> Iterator[Article]:
        # Streamed line by line so memory does not grow with the file; a file that is binary or
        # not UTF-8 anywhere is still refused whole, before any of its lines is used.
        gzipped = file.name.lower().endswith(".gz")
        try:
            if gzipped:
                if not self._clean_gzip(file):
                    return
            elif not _clean_utf8(file) and self._decode(file, file.read_bytes()) is None:
                return
            yield from self._jsonl_lines(file, rel, gzipped)
        except OSError as exc:
            self._unreadable(file, exc)

    def _clean_gzip(self, file: Path) -> bool:
        """A gzipped file is checked whole (decompressed in chunks) before a line is used: a
        broken stream or bytes that are not UTF-8 refuse the file, naming the line."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        line = 1
        try:
            with gzip.open(file, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    if b"\x00" in chunk:
                        line += chunk[: chunk.index(b"\x00")].count(b"\n")
                        self._reject(file, line, None, "binary_file", "binary data (NUL byte)")
                        return False
                    decoder.decode(chunk)
                    line += chunk.count(b"\n")
            decoder.decode(b"", final=True)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            self._reject(
                file,
                line,
                None,
                "broken_gzip",
                f"gzip stream unreadable after line {line - 1} ({exc}); the file is refused whole",
            )
            return False
        except UnicodeDecodeError as exc:
            self._reject(file, line, None, "not_utf8", f"not valid UTF-8 ({exc.reason})")
            return False
        return True

    def _jsonl_lines(self, file: Path, rel: str, gzipped: bool = False) -> Iterator[Article]:
        # a record's text is at most max_article_chars, escaped as up to 6 bytes a character
        # ("\\uXXXX") plus its other fields: a line longer than that is refused unread
        line_limit = 6 * self.max_article_chars + 65_536
        with gzip.open(file, "rb") if gzipped else file.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if len(line) > line_limit:
                    self._too_long(file, number, len(line) // 6, "characters at least")
                    continue
                raw = line.decode("utf-8").removesuffix("\n")
                if not raw.strip():
                    continue  # blank lines separate nothing in JSONL; they hold no record
                article = self._parse_line(file, number, raw, rel)
                if article is not None:
                    yield article

    def _parse_line(self, file: Path, number: int, raw: str, rel: str) -> Article | None:
        record, problem = parse_record(raw)
        if problem is not None:
            self._reject(file, number, problem.field, problem.code, problem.reason, raw)
            return None
        if "id" not in record:
            self._reject(file, number, "/id", "missing_id", "missing required field 'id'", raw)
            return None
        return self._record(file, number, record, f"{rel}:{number}", "/id", raw)

    def _record(
        self, file: Path, number: int, record: dict, source: str, id_field: str, raw: str
    ) -> Article | None:
        """A JSONL record or a table row: checked against ``article_input``, then admitted."""
        if not self._safe_id(file, number, record["id"], id_field, raw):
            return None
        found = violations("article_input", record)
        if found:
            first = found[0]
            code = "schema_violation"
            if first.pointer == "/text" and record.get("text") == "":
                code = "empty_text"
            elif all(v.pointer == "/language" for v in found) and isinstance(
                record.get("language"), str
            ):
                code = "unsupported_language"
            reason = "; ".join(f"{v.pointer or '/'}: {v.message}" for v in found)
            self._reject(file, number, first.pointer, code, reason, raw)
            return None
        if not record["text"].strip():
            self._reject(file, number, "/text", "empty_text", "empty text (only whitespace)", raw)
            return None
        if self._too_long(file, number, len(record["text"]), "characters", raw):
            return None
        return self._admit(
            file, number, record["id"], record["text"], source, record, id_field, raw
        )

    # -- tables --------------------------------------------------------------------------------

    def _read_table(self, file: Path, rel: str) -> Iterator[Article]:
        def too_large(size: int) -> bool:
            if size <= MAX_UTF8_BYTES * self.max_article_chars * 64:
                return False
            self._reject(file, None, None, "file_too_large", f"table of {size:,} bytes; split it")
            return True

        data = self._read_bytes(file, too_large)
        text = None if data is None else self._decode(file, data)
        if text is None:
            return
        text = text.removeprefix("\ufeff")  # spreadsheet exports often start with a BOM
        try:
            for row in read_table(file, text, self.csv_mapping):
                article = self._table_row(file, rel, row)
                if article is not None:
                    yield article
        except TableError as exc:
            self._reject(file, exc.line, exc.field, exc.code, exc.reason)

    def _table_row(self, file: Path, rel: str, row) -> Article | None:
        record = dict(row.record)
        if "__error__" in record:
            self._reject(file, row.line, None, "malformed_row", record["__error__"], row.raw)
            return None
        for name in list(record):
            if name != "text":
                record[name] = record[name].strip()
        if "text" not in record:
            self._reject(file, row.line, "/text", "empty_text", "empty text cell", row.raw)
            return None
        id_field = f"(column {self.csv_mapping.columns['id']})"
        if "id" not in record:
            if "url" not in record:
                self._reject(
                    file, row.line, "/id", "missing_id", "neither an id nor a URL", row.raw
                )
                return None
            record["id"] = record_id(record["url"])
            id_field = f"(from column {self.csv_mapping.columns['url']})"
        return self._record(file, row.line, record, f"{rel}:{row.line}", id_field, row.raw)

    # -- pages and archives ----------------------------------------------------------------

    def _extractor(self) -> PageExtractor:
        if self._pages is None:
            self._pages = PageExtractor(self.page_time_limit, self.max_page_bytes)
        return self._pages

    def _read_html(self, file: Path, rel: str) -> Iterator[Article]:
        if not self._safe_id(file, None, file.stem, "(file name)"):
            return

        def too_large(size: int) -> bool:
            if size <= self.max_page_bytes:
                return False
            self._reject(
                file,
                None,
                None,
                "page_too_large",
                f"page of {size:,} bytes is over max_page_bytes = {self.max_page_bytes:,} "
                "([tool.agitprop]); not read",
            )
            return True

        data = self._read_bytes(file, too_large)
        if data is None:
            return
        article = self._page(file, None, file.stem, data, rel, "(file name)")
        if article is not None:
            yield article

    def _read_warc(self, file: Path, rel: str) -> Iterator[Article]:
        archive = WarcReader(file)
        try:
            for item in archive:
                if isinstance(item, WarcPage):
                    self.stats[PAGES] += 1
                    article = self._page(
                        file,
                        None,
                        record_id(item.target_uri),
                        item.payload,
                        f"{rel}@{item.offset}",
                        "(WARC-Target-URI)",
                        target=item,
                    )
                    if article is not None:
                        yield article
                else:
                    self._reject(file, None, None, item.code, item.reason)
        except OSError as exc:
            self._unreadable(file, exc)
        for kind, count in archive.skipped.items():
            self.stats[f"{SKIPPED}{kind}"] += count

    def _page(
        self,
        file: Path,
        line: int | None,
        article_id: str,
        data: bytes,
        source: str,
        id_field: str,
        target: WarcPage | None = None,
    ) -> Article | _PendingPage | None:
        """One HTML page → an article with the page's text and metadata, or a quarantine row;
        with several page workers, the page sent to them (``run`` finishes it in order)."""
        page = _PendingPage(file, line, article_id, data, source, id_field, target)
        url = target.target_uri if target else None
        if self.page_workers > 1 and self.page_time_limit > 0:
            if self._pool is None:
                self._pool = PagePool(self.page_workers, self.page_time_limit, self.max_page_bytes)
            self._pool.submit(data, url)
            return page
        return self._finish_page(page, self._extractor().extract(data, url))

    def _finish_pages(self, keep: int) -> Iterator[Article]:
        """Finish the oldest pages sent to the workers until ``keep`` are left in flight."""
        while len(self._waiting) > keep:
            article = self._finish_page(self._waiting.popleft(), self._pool.take())
            if article is not None:
                yield article

    def _finish_page(self, pending: _PendingPage, result: Page | PageProblem) -> Article | None:
        file, line, source, target = pending.file, pending.line, pending.source, pending.target
        data, article_id, id_field = pending.data, pending.article_id, pending.id_field
        where = f"{source} ({target.target_uri})" if target else source
        url = target.target_uri if target else None
        if isinstance(result, PageProblem):
            self._reject(file, line, "/text", result.code, f"{where}: {result.reason}")
            return None
        page: Page = result
        if self._too_long(file, line, len(page.text), "characters"):
            return None
        fields = {
            "title": page.title,
            # a captured page is where it was captured; a saved page says where it was published
            "url": url or page.url,
            "outlet": page.outlet,
            "published": page.published,
            "author": page.author,
            "extractor": extractor_version(),
            "source_sha256": page_sha256(data),
            "captured": target.captured if target else None,
        }
        return self._admit(file, line, article_id, page.text, source, fields, id_field)


@dataclass(frozen=True)
class _PendingPage:
    """A page sent to the extraction workers, with what its article or quarantine row needs."""

    file: Path
    line: int | None
    article_id: str
    data: bytes
    source: str
    id_field: str
    target: WarcPage | None


PAGE_KINDS = ("html", "warc")


def seed_kind(file: Path) -> str | None:
    """``txt``, ``jsonl``, ``html``, ``warc`` or ``table`` by the end of the name; None if none."""
    name = file.name.lower()
    for suffix, kind in KINDS:
        if name.endswith(suffix):
            return kind
    return None


def url_key(url: str) -> str:
    """What makes two URLs the same page: scheme and host are case-insensitive and the fragment
    is not sent to the server; the path and query are kept as they are."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def _clean_utf8(file: Path, chunk_size: int = 1 << 20) -> bool:
    """True if the file is valid UTF-8 without NUL bytes, checked in chunks (constant memory)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with file.open("rb") as handle:
            while chunk := handle.read(chunk_size):
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
