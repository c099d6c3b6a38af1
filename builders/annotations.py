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
from builders.reattach import article_changed, reattach_stances
from builders.records import Document, QuarantineRow, make_span, offset_problem
from builders.schemas import violations
from builders.taxonomy import Taxonomy


def snapshot_listing(root: Path | list[Path]) -> InputListing:
    """The snapshot files under ``root`` (its ``snapshots/`` folder if it has one; or a list of
    files), walked as the seeds are: nothing outside the folder is read."""
    if isinstance(root, list):
        return list_inputs(root, suffixes=(".jsonl",))
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

    def __init__(
        self,
        root: Path | list[Path] | None,
        taxonomy: Taxonomy | None = None,
        stance_targets: tuple[str, ...] = (),
    ) -> None:
        """``taxonomy``: when given, annotations missing a required answer are quarantined."""
        super().__init__()
        self.quarantine: list[QuarantineRow] = []
        self.taxonomy = taxonomy
        self.stance_targets = tuple(stance_targets)
        self._label_names = set(taxonomy.label_names) if taxonomy else set()
        self._by_article: dict[str, list[tuple[str, int, dict]]] = defaultdict(list)
        self._annotation_ids: dict[str, str] = {}  # annotation id → where it was first seen
        if isinstance(root, list) or (root is not None and Path(root).exists()):
            listing = snapshot_listing(root if isinstance(root, list) else Path(root))
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
            if not self._usable(file, number, record, raw):
                continue
            self._by_article[record["article_id"]].append((str(file), number, record))
            self.stats["annotations"] += 1

    def _usable(self, file: Path, number: int, record: dict, raw: str) -> bool:
        """One line per annotation id, and every required answer given."""
        where = f"{printable(file)}:{number}"
        first = self._annotation_ids.setdefault(record["annotation_id"], where)
        if first != where:
            self._reject(
                file,
                number,
                "/annotation_id",
                "duplicate_annotation",
                f"annotation {record['annotation_id']} by {record['annotator']} appears again "
                f"(first in {first}); one line per annotation",
                raw,
            )
            return False
        # an annotation imported from a public corpus (``origin``) answers only what the corpus
        # asked: requiring our stance questions of it would quarantine every one
        missing = (
            self.taxonomy.missing_answers(record, self.stance_targets)
            if self.taxonomy and "origin" not in record
            else []
        )
        if missing:
            self._reject(
                file,
                number,
                "/stances" if missing[0].startswith("article stance") else "/article_labels",
                "incomplete_annotation",
                f"annotation {record['annotation_id']} by {record['annotator']} gives no "
                f"{', '.join(missing)} (required by the taxonomy); not counted",
                raw,
            )
            return False
        return True

    def records(self) -> list[dict]:
        """Every schema-valid annotation read (before :meth:`run` consumes them)."""
        return [record for held in self._by_article.values() for _, _, record in held]

    def _reject(self, file, line, field, code, reason, raw=None) -> None:
        self.stats["quarantined"] += 1
        self.quarantine.append(QuarantineRow(printable(file), line, field, code, reason, raw))

    def run(self, records: Iterable[Document]) -> Iterator[Document]:
        for document in records:
            for file, line, record in self._by_article.pop(document.article.article_id, []):
                changed = article_changed(document, record)
                if changed is not None:
                    self._reject(file, line, changed.pointer, changed.code, changed.reason)
                spans = self._spans(document, file, line, record)
                document.spans.extend(spans)
                stances, refused = reattach_stances(document, record)
                for refusal in refused:
                    self._reject(file, line, refusal.pointer, refusal.code, refusal.reason)
                keys = [(span.start, span.end, span.label) for span in spans]
                document.ballots.append(ballot_from_record(record, spans=keys, stances=stances))
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
        hashed = record.get("article_sha256") is not None
        for index, item in enumerate(record["spans"]):
            if hashed:  # pulled against a known text: the span is exact, or it is refused
                problem = offset_problem(text, item["start"], item["end"], item["text"])
                if problem is not None:
                    self._reject(
                        file,
                        line,
                        f"/spans/{index}",
                        "span_offsets_wrong",
                        f"{item['label']} span {item['text']!r}: {problem}",
                    )
                    continue
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
            if self.taxonomy is not None and item["label"] not in self._label_names:
                self._reject(
                    file,
                    line,
                    f"/spans/{index}/label",
                    "unknown_label",
                    f"label {item['label']!r} is not in the taxonomy (a technique of an imported "
                    "corpus without a label of ours is CORPUS_SPAN, its name in attributes)",
                )
                continue
            if start != item["start"]:
                self.stats["reanchored"] += 1
            # an imported corpus may give one span several techniques of its own, all CORPUS_SPAN
            attributes = item.get("attributes", {})
            key = (start, item["label"], item["text"], attributes.get("corpus_label"))
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
            attributes = {**attributes, "annotation_id": record["annotation_id"]}
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
                    identity=f"{record['annotator']}/{record['annotation_id']}"
                    + _corpus_identity(attributes),
                )
            )
        return spans


def _corpus_identity(attributes: dict) -> str:
    """An imported span is also its corpus line or its corpus technique: one extent may carry
    several techniques that all become CORPUS_SPAN, each its own span (and span id)."""
    for key in ("corpus_line", "corpus_label"):
        if key in attributes:
            return f"#{attributes[key]}"
    return ""
