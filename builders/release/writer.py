"""Stream documents into parquet, validating every record against its schema first.

Rows are written in batches with pyarrow's ``ParquetWriter`` so memory stays flat with corpus
size; the arrow schema carries the Hugging Face features, so ``load_dataset`` restores ClassLabels.
The version directory is assembled under a temporary name and moved into place at the end, so a
failed build never leaves a half-written release behind.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from builders.gold.splits import SPLITS
from builders.gold.step import judgement_records
from builders.records import Document, QuarantineRow, offset_problem
from builders.release.features import CONFIGS, ID_COLUMN, column_encoders, config_features
from builders.schemas import Violation, violations
from builders.taxonomy import Taxonomy

SCHEMA_OF = {
    "articles": "article",
    "sentences": "sentence",
    "spans": "span",
    "stances": "stance",
    "annotations": "judgement",
}
WITH_OFFSETS = ("sentences", "spans")
BATCH_ROWS = 5_000


def parquet_path(config: str, split: str = "train") -> str:
    return f"{config}/{split}.parquet"


def config_files(release: Path, config: str) -> list[Path]:
    """The config's parquet files that exist, in split order (train, validation, test)."""
    return [
        Path(release) / parquet_path(config, split)
        for split in SPLITS
        if (Path(release) / parquet_path(config, split)).is_file()
    ]


class ReleaseRefused(RuntimeError):
    def __init__(self, found: list[Violation]):
        self.violations = found
        shown = "\n".join(f"  {v.describe()}" for v in found[:50])
        more = f"\n  … and {len(found) - 50} more" if len(found) > 50 else ""
        super().__init__(f"{len(found)} record(s) violate the release schemas:\n{shown}{more}")


class ReleaseWriter:
    def __init__(
        self, target: Path, taxonomy: Taxonomy, split_of: dict[str, str] | None = None
    ) -> None:
        self.target = Path(target)
        self.staging = self.target.with_name(f".{self.target.name}.partial")
        self.taxonomy = taxonomy
        self.features = {config: config_features(config, taxonomy) for config in CONFIGS}
        self.split_of = split_of or {}  # article id → split; articles not in it go to train
        self.counts: Counter[str] = Counter()
        self.split_counts: Counter[tuple[str, str]] = Counter()
        self.violations: list[Violation] = []
        self._encoders = {
            config: list(column_encoders(config, self.features[config]).items())
            for config in CONFIGS
        }
        # rows are buffered column by column: the shape pyarrow builds a table from fastest
        self._buffers: dict[tuple[str, str], dict[str, list]] = {
            (config, split): {column: [] for column in self.features[config]}
            for config in CONFIGS
            for split in SPLITS
        }
        self._buffered: Counter[tuple[str, str]] = Counter()
        self._writers: dict[tuple[str, str], pq.ParquetWriter] = {}

    def __enter__(self) -> ReleaseWriter:
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        if exc_type is not None and self.staging.exists():
            shutil.rmtree(self.staging)

    def write(self, document: Document) -> None:
        text = document.article.text
        split = self.split_of.get(document.article.article_id, "train")
        self._add("articles", split, document.article.to_record(), None)
        for sentence in document.sentences:
            self._add("sentences", split, sentence.to_record(), text)
        for span in document.spans:
            self._add("spans", split, span.to_record(), text)
        for stance in document.stances:
            self._add("stances", split, stance, None)
        judgements = [row for ballot in document.ballots for row in judgement_records(ballot)]
        for judgement in judgements:
            self._add("annotations", split, judgement, None)
        # Every other id starts with its article's id (unique, or the reader quarantines it), so
        # checking within the document keeps ids unique across the release.
        for config, rows in (
            ("sentences", [s.sentence_id for s in document.sentences]),
            ("spans", [s.span_id for s in document.spans]),
            ("stances", [s["stance_id"] for s in document.stances]),
            ("annotations", [j["judgement_id"] for j in judgements]),
        ):
            if len(set(rows)) != len(rows):
                seen: set[str] = set()
                for key in rows:
                    if key in seen:
                        self.violations.append(Violation(config, key, "", "duplicate id"))
                    seen.add(key)

    def _add(self, config: str, split: str, record: dict, article_text: str | None) -> None:
        key = record[ID_COLUMN[config]]
        found = violations(SCHEMA_OF[config], record, file=config, record=key)
        if article_text is not None:
            problem = offset_problem(article_text, record["start"], record["end"], record["text"])
            if problem:
                found.append(Violation(config, key, "/start", problem))
        if found:
            self.violations.extend(found)
            return
        columns = self._buffers[(config, split)]
        for column, encode in self._encoders[config]:
            columns[column].append(encode(record[column]))
        self.counts[config] += 1
        self.split_counts[(config, split)] += 1
        self._buffered[(config, split)] += 1
        if self._buffered[(config, split)] >= BATCH_ROWS:
            self._flush(config, split)

    def _flush(self, config: str, split: str) -> None:
        columns = self._buffers[(config, split)]
        schema = self.features[config].arrow_schema
        if (config, split) not in self._writers:
            path = self.staging / parquet_path(config, split)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._writers[(config, split)] = pq.ParquetWriter(path, schema, compression="zstd")
        if self._buffered[(config, split)]:  # an empty row group breaks `datasets`' reader
            table = pa.Table.from_pydict(columns, schema=schema)
            self._writers[(config, split)].write_table(table)
        for values in columns.values():
            values.clear()
        self._buffered[(config, split)] = 0

    def seal(self, quarantine: list[QuarantineRow]) -> Path:
        """Flush and close the parquet files and write the quarantine report; refuse the release
        (:class:`ReleaseRefused`, listing every violation) if any record broke its schema."""
        for config in CONFIGS:
            for split in SPLITS:
                if self._buffered[(config, split)]:
                    self._flush(config, split)
            if not any(config == written for written, _ in self._writers):
                # An empty config still gets a typed file (train, without row groups). Empty
                # splits get none: `datasets` refuses to load a declared split without rows.
                self._flush(config, "train")
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        if self.violations:
            raise ReleaseRefused(self.violations)
        lines = [
            json.dumps(row.to_record(), ensure_ascii=False, sort_keys=True) for row in quarantine
        ]
        self.add_text("quarantine.jsonl", "".join(f"{line}\n" for line in lines))
        return self.staging

    def add_text(self, name: str, content: str) -> None:
        (self.staging / name).write_text(content, encoding="utf-8")

    def publish(self) -> Path:
        """Move the staged release into place, replacing what is there (callers decide whether
        that is allowed: a development build may be replaced, a released version may not)."""
        if self.target.exists():
            shutil.rmtree(self.target)
        self.staging.rename(self.target)
        return self.target

    def discard(self) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging)
