"""Annotation snapshots (``annotations/snapshots/*.jsonl``) → ``origin = annotation`` spans.

Snapshots are written by ``agitprop sync pull``; the build only reads them, so it never needs the
Label Studio server. Every span is checked against its own ``text``: a span whose offsets drifted
is re-anchored to the nearest exact occurrence of its text, and one that cannot be anchored is
quarantined, never stored wrong.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from builders.gold.ballots import ballot_from_record
from builders.ingest.listing import InputListing, list_inputs, printable
from builders.jsonlines import parse_record
from builders.pipeline import PipelineStep
from builders.records import Document, QuarantineRow, make_span
from builders.schemas import violations


def snapshot_listing(root: Path) -> InputListing:
    """The snapshot files under ``root`` (its ``snapshots/`` folder if it has one), walked as
    the seeds are: nothing outside the folder is read."""
    root = Path(root)
    folder = root / "snapshots" if root.is_dir() and (root / "snapshots").is_dir() else root
    return list_inputs([folder], suffixes=(".jsonl",))


def snapshot_files(root: Path) -> list[Path]:
    return [path for path, _ in snapshot_listing(root).files]


def reanchor(article_text: str, start: int, end: int, text: str) -> int | None:
    """Start offset of the occurrence of ``text`` nearest to ``start``, or None if absent."""
    if article_text[start:end] == text:
        return start
    best = None
    position = article_text.find(text)
    while position != -1:
        if best is None or abs(position - start) < abs(best - start):
            best = position
        position = article_text.find(text, position + 1)
    return best


class AnnotationMerger(PipelineStep):
    """Pipeline step: add annotators' spans from the snapshots to each document."""

    name = "annotations"

    def __init__(self, root: Path | None) -> None:
        super().__init__()
        self.quarantine: list[QuarantineRow] = []
        self._by_article: dict[str, list[tuple[str, int, dict]]] = defaultdict(list)
        if root is not None and Path(root).exists():
            listing = snapshot_listing(Path(root))
            for refused in listing.refused:
                self._reject(refused.path, None, None, refused.code, refused.reason)
            for file, _ in listing.files:
                self._load(file)

    def _load(self, file: Path) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else f"not valid UTF-8: {exc.reason}"
            self._reject(file, None, None, "unreadable_file", f"cannot read: {reason}")
            return
        for number, raw in enumerate(text.split("\n"), start=1):
            if not raw.strip():
                continue
            record, problem = parse_record(raw)
            if problem is not None:
                self._reject(file, number, problem.field, problem.code, problem.reason, raw)
                continue
            found = violations("annotation", record)
            if found:
                reason = "; ".join(f"{v.pointer or '/'}: {v.message}" for v in found)
                self._reject(file, number, found[0].pointer, "schema_violation", reason, raw)
                continue
            self._by_article[record["article_id"]].append((str(file), number, record))
            self.stats["annotations"] += 1

    def records(self) -> list[dict]:
        """Every schema-valid annotation read (before :meth:`run` consumes them)."""
        return [record for held in self._by_article.values() for _, _, record in held]

    def _reject(self, file, line, field, code, reason, raw=None) -> None:
        self.stats["quarantined"] += 1
        self.quarantine.append(QuarantineRow(printable(file), line, field, code, reason, raw))

    def run(self, records: Iterable[Document]) -> Iterator[Document]:
        for document in records:
            for file, line, record in self._by_article.pop(document.article.article_id, []):
                spans = self._spans(document, file, line, record)
                document.spans.extend(spans)
                keys = [(span.start, span.end, span.label) for span in spans]
                document.ballots.append(ballot_from_record(record, spans=keys))
            yield document
        for leftovers in self._by_article.values():
            for file, line, record in leftovers:
                self._reject(
                    file,
                    line,
                    "/article_id",
                    "unknown_article",
                    f"annotation for article {record['article_id']!r}, which is not in the seeds",
                )
        self._by_article.clear()

    def _spans(self, document: Document, file: str, line: int, record: dict) -> list:
        text = document.article.text
        spans = []
        seen: dict[tuple, int] = {}
        for index, item in enumerate(record["spans"]):
            start = reanchor(text, item["start"], item["end"], item["text"])
            if start is None:
                self._reject(
                    file,
                    line,
                    f"/spans/{index}",
                    "span_not_found",
                    f"span text {item['text']!r} is not in article "
                    f"{document.article.article_id!r} (given {item['start']}..{item['end']})",
                )
                continue
            if start != item["start"]:
                self.stats["reanchored"] += 1
            key = (start, item["label"], item["text"])
            if key in seen:
                # Two identical regions in one annotation say nothing more than one does; the
                # first is kept and the repeat is reported rather than refusing the release.
                self._reject(
                    file,
                    line,
                    f"/spans/{index}",
                    "duplicate_span",
                    f"same {item['label']} span as /spans/{seen[key]} "
                    f"({item['text']!r} at {start}); kept once",
                )
                continue
            seen[key] = index
            attributes = {**item.get("attributes", {}), "annotation_id": record["annotation_id"]}
            attributes.update({"ls_origin": item["origin"]} if "origin" in item else {})
            spans.append(
                make_span(
                    document.article,
                    document.sentences,
                    start,
                    start + len(item["text"]),
                    item["label"],
                    "annotation",
                    record["annotator"],
                    attributes,
                    # one annotator may annotate a task twice: each annotation keeps its spans
                    identity=f"{record['annotator']}/{record['annotation_id']}",
                )
            )
        return spans
