"""Readers for ``seeds/``: ``*.txt`` (one article per file) and ``*.jsonl`` (one per line).

Every input that cannot become an article becomes a :class:`QuarantineRow` naming the file, the
line, the field and the reason; nothing is skipped silently.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

from builders.ingest.normalize import normalize_text
from builders.pipeline import PipelineStep
from builders.records import Article, QuarantineRow
from builders.schemas import violations

SUPPORTED_SUFFIXES = (".txt", ".jsonl")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class SeedReader(PipelineStep):
    """Yield articles from a seeds folder (or single files) in a stable order."""

    name = "ingest"

    def __init__(self, paths: list[Path], default_language: str = "pl") -> None:
        super().__init__()
        self.paths = [Path(p) for p in paths]
        self.default_language = default_language
        self.quarantine: list[QuarantineRow] = []
        self._seen: dict[str, str] = {}

    def files(self) -> list[tuple[Path, Path]]:
        """(file, root) pairs; ``root`` is what ``source_file`` is written relative to."""
        found = []
        for path in self.paths:
            if path.is_dir():
                for file in sorted(path.rglob("*")):
                    if file.is_file() and not any(
                        p.startswith(".") for p in file.relative_to(path).parts
                    ):
                        found.append((file, path))
            else:
                found.append((path, path.parent))
        return found

    def run(self, records=None) -> Iterator[Article]:
        for file, root in self.files():
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
        self.quarantine.append(QuarantineRow(str(file), line, field, code, reason, raw))

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

    def _safe_id(self, file: Path, line: int | None, article_id, field: str) -> bool:
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
            )
            return False
        if not ID_PATTERN.match(article_id):
            self._reject(
                file,
                line,
                field,
                "invalid_id",
                f"id {article_id!r} must match {ID_PATTERN.pattern}",
            )
            return False
        return True

    def _first_use(self, file: Path, line: int | None, article_id: str, field: str) -> bool:
        where = f"{file}:{line}" if line else str(file)
        first = self._seen.get(article_id)
        if first is not None:
            self._reject(
                file,
                line,
                field,
                "duplicate_id",
                f"duplicate id {article_id!r} (first seen in {first})",
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

    def _read_txt(self, file: Path, rel: str) -> Iterator[Article]:
        text = self._decode(file, file.read_bytes())
        if text is None:
            return
        if not text.strip():
            self._reject(file, None, "/text", "empty_text", "empty text (only whitespace)")
            return
        if self._safe_id(file, None, file.stem, "(file name)") and self._first_use(
            file, None, file.stem, "(file name)"
        ):
            yield self._article(file.stem, text, rel, {})

    def _read_jsonl(self, file: Path, rel: str) -> Iterator[Article]:
        # Streamed line by line so memory does not grow with the file; a file that is binary or
        # not UTF-8 anywhere is still refused whole, before any of its lines is used.
        if not _clean_utf8(file) and self._decode(file, file.read_bytes()) is None:
            return
        with file.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                raw = line.decode("utf-8").removesuffix("\n")
                if not raw.strip():
                    continue  # blank lines separate nothing in JSONL; they hold no record
                article = self._parse_line(file, number, raw, rel)
                if article is not None:
                    yield article

    def _parse_line(self, file: Path, number: int, raw: str, rel: str) -> Article | None:
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            self._reject(
                file,
                number,
                None,
                "malformed_json",
                f"malformed JSON: {exc.msg} at column {exc.colno}",
                raw,
            )
            return None
        if not isinstance(record, dict):
            self._reject(
                file,
                number,
                "/",
                "wrong_type",
                f"a record must be a JSON object, not {type(record).__name__}",
                raw,
            )
            return None
        if "id" not in record:
            self._reject(file, number, "/id", "missing_id", "missing required field 'id'", raw)
            return None
        if not self._safe_id(file, number, record["id"], "/id"):
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
        if not self._first_use(file, number, record["id"], "/id"):
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
