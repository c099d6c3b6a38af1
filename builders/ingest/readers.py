"""Readers for ``seeds/``: ``*.txt`` (one article per file) and ``*.jsonl`` (one per line).

Every input that cannot become an article becomes a :class:`QuarantineRow` naming the file, the
line, the field and the reason; nothing is skipped silently. Which entries of the folder are read
at all (symlinks, hidden entries, special files) is decided by :mod:`builders.ingest.listing`.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator
from pathlib import Path

from builders.ingest.listing import list_inputs, printable
from builders.ingest.normalize import normalize_text
from builders.jsonlines import parse_record
from builders.pipeline import PipelineStep
from builders.records import ID_PATTERN, Article, QuarantineRow
from builders.schemas import violations

SUPPORTED_SUFFIXES = (".txt", ".jsonl")
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
    ) -> None:
        super().__init__()
        self.paths = [Path(p) for p in paths]
        self.default_language = default_language
        self.max_article_chars = max_article_chars
        self.quarantine: list[QuarantineRow] = []
        self.ignored: list[str] = []  # hidden entries, ignored by rule (counted, not quarantined)
        self._seen: dict[str, str] = {}

    def files(self) -> list[tuple[Path, Path]]:
        """(file, root) pairs; ``root`` is what ``source_file`` is written relative to."""
        return list_inputs(self.paths).files

    def run(self, records=None) -> Iterator[Article]:
        listing = list_inputs(self.paths)
        self.ignored = listing.ignored
        for refused in listing.refused:
            self._reject(refused.path, None, None, refused.code, refused.reason)
        for file, root in listing.files:
            rel = file.relative_to(root).as_posix()
            suffix = file.suffix.lower()
            if suffix == ".txt":
                yield from self._read_txt(file, rel)
            elif suffix == ".jsonl":
                yield from self._read_jsonl(file, rel)
            else:
                self._reject(
                    file,
                    None,
                    None,
                    "unsupported_file",
                    f"unsupported file type {suffix or '(none)'}; seeds are *.txt or *.jsonl",
                )

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

    def _first_use(
        self, file: Path, line: int | None, article_id: str, field: str, raw: str | None = None
    ) -> bool:
        where = f"{printable(file)}:{line}" if line else printable(file)
        first = self._seen.get(article_id)
        if first is not None:
            self._reject(
                file,
                line,
                field,
                "duplicate_id",
                f"duplicate id {article_id!r} (first seen in {first})",
                raw,
            )
            return False
        self._seen[article_id] = where
        return True

    def _article(self, article_id: str, raw_text: str, source: str, fields: dict) -> Article:
        text, applied = normalize_text(raw_text)
        self.stats["articles"] += 1
        return Article(
            article_id=article_id,
            text=text,
            language=fields.get("language") or self.default_language,
            title=normalize_text(fields["title"])[0] if fields.get("title") else None,
            url=fields.get("url"),
            outlet=fields.get("outlet"),
            published=fields.get("published"),
            source_file=source,
            normalization=applied,
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

    def _read_txt(self, file: Path, rel: str) -> Iterator[Article]:
        try:
            size = file.stat().st_size
            if self._too_long(file, None, size // MAX_UTF8_BYTES, "characters at least"):
                return
            data = file.read_bytes()
        except OSError as exc:
            self._unreadable(file, exc)
            return
        text = self._decode(file, data)
        if text is None:
            return
        if not text.strip():
            self._reject(file, None, "/text", "empty_text", "empty text (only whitespace)")
            return
        if self._too_long(file, None, len(text), "characters"):
            return
        if self._safe_id(file, None, file.stem, "(file name)") and self._first_use(
            file, None, file.stem, "(file name)"
        ):
            yield self._article(file.stem, text, rel, {})

    def _read_jsonl(self, file: Path, rel: str) -> Iterator[Article]:
        # Streamed line by line so memory does not grow with the file; a file that is binary or
        # not UTF-8 anywhere is still refused whole, before any of its lines is used.
        try:
            if not _clean_utf8(file) and self._decode(file, file.read_bytes()) is None:
                return
            yield from self._jsonl_lines(file, rel)
        except OSError as exc:
            self._unreadable(file, exc)

    def _jsonl_lines(self, file: Path, rel: str) -> Iterator[Article]:
        # a record's text is at most max_article_chars, escaped as up to 6 bytes a character
        # ("\\uXXXX") plus its other fields: a line longer than that is refused unread
        line_limit = 6 * self.max_article_chars + 65_536
        with file.open("rb") as handle:
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
        if not self._safe_id(file, number, record["id"], "/id", raw):
            return None
        found = violations("article_input", record)
        if found:
            first = found[0]
            code = (
                "empty_text"
                if first.pointer == "/text" and record.get("text") == ""
                else ("schema_violation")
            )
            reason = "; ".join(f"{v.pointer or '/'}: {v.message}" for v in found)
            self._reject(file, number, first.pointer, code, reason, raw)
            return None
        if not record["text"].strip():
            self._reject(file, number, "/text", "empty_text", "empty text (only whitespace)", raw)
            return None
        if self._too_long(file, number, len(record["text"]), "characters", raw):
            return None
        if not self._first_use(file, number, record["id"], "/id", raw):
            return None
        return self._article(record["id"], record["text"], f"{rel}:{number}", record)


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
