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

from builders.records import Document, QuarantineRow, offset_problem
from builders.release.features import CONFIGS, column_encoders, config_features
from builders.schemas import Violation, violations
from builders.taxonomy import Taxonomy

SCHEMA_OF = {"articles": "article", "sentences": "sentence", "spans": "span"}
BATCH_ROWS = 5_000


def parquet_path(config: str) -> str:
    return f"{config}/train.parquet"


class ReleaseRefused(RuntimeError):
    def __init__(self, found: list[Violation]):
        self.violations = found
        shown = "\n".join(f"  {v.describe()}" for v in found[:50])
        more = f"\n  … and {len(found) - 50} more" if len(found) > 50 else ""
        super().__init__(f"{len(found)} record(s) violate the release schemas:\n{shown}{more}")


class ReleaseWriter:
    def __init__(self, target: Path, taxonomy: Taxonomy) -> None:
        self.target = Path(target)
        self.staging = self.target.with_name(f".{self.target.name}.partial")
        self.taxonomy = taxonomy
        self.features = {config: config_features(config, taxonomy) for config in CONFIGS}
        self.counts: Counter[str] = Counter()
        self.violations: list[Violation] = []
        self._encoders = {
            config: list(column_encoders(config, self.features[config]).items())
            for config in CONFIGS
        }
        # rows are buffered column by column: the shape pyarrow builds a table from fastest
        self._buffers: dict[str, dict[str, list]] = {
            config: {column: [] for column in self.features[config]} for config in CONFIGS
        }
        self._buffered: Counter[str] = Counter()
        self._writers: dict[str, pq.ParquetWriter] = {}

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
        self._add("articles", document.article.to_record(), document.article.article_id, None)
        for sentence in document.sentences:
            self._add("sentences", sentence.to_record(), sentence.sentence_id, text)
        for span in document.spans:
            self._add("spans", span.to_record(), span.span_id, text)
        # Sentence and span ids start with their article's id (unique, or the reader quarantines
        # it), so checking within the document keeps ids unique across the release.
        for config, rows in (("sentences", document.sentences), ("spans", document.spans)):
            ids = [row.sentence_id if config == "sentences" else row.span_id for row in rows]
            if len(set(ids)) != len(ids):
                seen: set[str] = set()
                for key in ids:
                    if key in seen:
                        self.violations.append(Violation(config, key, "", "duplicate id"))
                    seen.add(key)

    def _add(self, config: str, record: dict, key: str, article_text: str | None) -> None:
        found = violations(SCHEMA_OF[config], record, file=config, record=key)
        if article_text is not None:
            problem = offset_problem(article_text, record["start"], record["end"], record["text"])
            if problem:
                found.append(Violation(config, key, "/start", problem))
        if found:
            self.violations.extend(found)
            return
        columns = self._buffers[config]
        for column, encode in self._encoders[config]:
            columns[column].append(encode(record[column]))
        self.counts[config] += 1
        self._buffered[config] += 1
        if self._buffered[config] >= BATCH_ROWS:
            self._flush(config)

    def _flush(self, config: str) -> None:
        columns = self._buffers[config]
        schema = self.features[config].arrow_schema
        if config not in self._writers:
            path = self.staging / parquet_path(config)
            path.parent.mkdir(parents=True, exist_ok=True)
            self._writers[config] = pq.ParquetWriter(path, schema, compression="zstd")
        self._writers[config].write_table(pa.Table.from_pydict(columns, schema=schema))
        for values in columns.values():
            values.clear()
        self._buffered[config] = 0

    def seal(self, quarantine: list[QuarantineRow]) -> Path:
        """Flush and close the parquet files and write the quarantine report; refuse the release
        (:class:`ReleaseRefused`, listing every violation) if any record broke its schema."""
        for config in CONFIGS:
            if self._buffered[config] or config not in self._writers:
                self._flush(config)  # an empty config still gets a (typed, empty) file
            self._writers.pop(config).close()
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
