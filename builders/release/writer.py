"""Stream documents into parquet, validating every record against its schema first.

The seeds are read once. Rows are written as they come, in batches with pyarrow's
``ParquetWriter``, to one unsplit file per config that also records each row's article
position; when the pass is over and every article's split is known (story clusters depend on the
whole corpus), each file is streamed again and routed into its split files. Memory stays flat
with corpus size: a batch of rows plus a byte per article for the split plan. The arrow schema
carries the Hugging Face features, so ``load_dataset`` restores ClassLabels. The version
directory is assembled under a temporary name and moved into place at the end, so a failed build
never leaves a half-written release behind.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from builders.gold.splits import SPLITS, SplitPlan
from builders.gold.step import judgement_records
from builders.paths import SCHEMA_DIR
from builders.records import Document, QuarantineRow, offset_problem
from builders.release.features import (
    CONFIGS,
    ID_COLUMN,
    column_encoders,
    config_features,
    unchanged,
)
from builders.schemas import Violation, fast_validator, violations
from builders.taxonomy import Taxonomy

if TYPE_CHECKING:
    from builders.cues.base import CueWarning

SCHEMA_OF = {
    "articles": "article",
    "sentences": "sentence",
    "spans": "span",
    "stances": "stance",
    "annotations": "judgement",
}
WITH_OFFSETS = ("sentences", "spans")
BATCH_ROWS = 5_000
POSITION = "__article"  # unsplit files only: the row's article, numbered in release order
UNSPLIT_DIR = ".unsplit"
WARNINGS = "warnings.jsonl"  # detector warnings, one CueWarning record a line


# The JSON Schemas of a release's records travel with it (``schema/``, listed in the manifest
# like every file), so anyone can check a release with a plain JSON Schema validator: every
# ``$id`` is ``https://schema.agitprop.invalid/<file name>`` and every ``$ref`` names a sibling
# file, so loading the folder into a registry by ``$id`` resolves all of them (docs/packaging.md).
SCHEMA_FOLDER = "schema"
RECORD_SCHEMAS = (*SCHEMA_OF.values(), "quarantine", "cue_warning", "manifest")
SCHEMA_REF = re.compile(r'"\$ref":\s*"([\w.-]+)\.schema\.json')


def add_schemas(release: Path) -> list[str]:
    """Copy the schemas of the release's records, and those they ``$ref``, from the shipped
    schema folder into ``<release>/schema/``; returns their names."""
    folder = Path(release) / SCHEMA_FOLDER
    folder.mkdir(exist_ok=True)
    todo, done = list(RECORD_SCHEMAS), set()
    while todo:
        name = todo.pop()
        if name in done:
            continue
        done.add(name)
        text = (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
        (folder / f"{name}.schema.json").write_text(text, encoding="utf-8")
        todo += SCHEMA_REF.findall(text)
    return sorted(done)


def parquet_path(config: str, split: str = "train") -> str:
    return f"{config}/{split}.parquet"


def config_files(release: Path, config: str) -> list[Path]:
    """The config's parquet files that exist, in split order (train, validation, test)."""
    return [
        Path(release) / parquet_path(config, split)
        for split in SPLITS
        if (Path(release) / parquet_path(config, split)).is_file()
    ]


def row_groups(path: Path, columns: list[str] | None = None) -> Iterator[pa.Table]:
    """A parquet file one row group at a time: ``iter_batches`` reads ahead, and its memory grew
    with the file."""
    source = pq.ParquetFile(path)
    for group in range(source.num_row_groups):
        yield source.read_row_group(group, columns=columns)


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
        # per column: the value's getter and its encoder (None: stored as it is)
        self._encoders = {
            config: [
                (column, itemgetter(column), None if encode is unchanged else encode)
                for column, encode in column_encoders(config, self.features[config]).items()
            ]
            for config in CONFIGS
        }
        self._is_valid = {config: fast_validator(SCHEMA_OF[config]).is_valid for config in CONFIGS}
        self._unsplit_schema = {
            config: self.features[config].arrow_schema.append(pa.field(POSITION, pa.int32()))
            for config in CONFIGS
        }
        # rows are buffered column by column: the shape pyarrow builds a table from fastest
        self._buffers: dict[str, dict[str, list]] = {
            config: {column: [] for column in self._unsplit_schema[config].names}
            for config in CONFIGS
        }
        self._buffered: Counter[str] = Counter()
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._position = -1

    def __enter__(self) -> ReleaseWriter:
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self._close_unsplit()
        if exc_type is not None and self.staging.exists():
            shutil.rmtree(self.staging)

    def write(self, document: Document) -> None:
        """Add one article's rows; articles are numbered in the order they are written, the
        order :class:`SplitPlan` codes follow."""
        self._position += 1
        text = document.article.text
        self._add("articles", [document.article.to_record()], None)
        self._add("sentences", [sentence.to_record() for sentence in document.sentences], text)
        self._add("spans", [span.to_record() for span in document.spans], text)
        self._add("stances", document.stances, None)
        judgements = [row for ballot in document.ballots for row in judgement_records(ballot)]
        self._add("annotations", judgements, None)
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

    def _add(self, config: str, records: list[dict], article_text: str | None) -> None:
        """Validate one article's records of a config and append the valid ones, column by
        column (one pass per column rather than per record and column)."""
        if not records:
            return
        valid = all(map(self._is_valid[config], records))
        if valid and article_text is not None:
            valid = all(_anchored(article_text, record) for record in records)
        if not valid:
            records = [r for r in records if not self._record_violations(config, r, article_text)]
        columns = self._buffers[config]
        for column, value_of, encode in self._encoders[config]:
            values = map(value_of, records)
            columns[column].extend(values if encode is None else map(encode, values))
        columns[POSITION].extend(repeat(self._position, len(records)))
        self.counts[config] += len(records)
        self._buffered[config] += len(records)
        if self._buffered[config] >= BATCH_ROWS:
            self._flush(config)

    def _record_violations(self, config: str, record: dict, article_text: str | None) -> bool:
        """Collect a record's violations with readable messages; True if it has any."""
        key = record.get(ID_COLUMN[config])
        found = violations(SCHEMA_OF[config], record, file=config, record=key)
        if article_text is not None:
            problem = offset_problem(article_text, record["start"], record["end"], record["text"])
            if problem:
                found.append(Violation(config, key, "/start", problem))
        self.violations.extend(found)
        return bool(found)

    def _flush(self, config: str) -> None:
        columns = self._buffers[config]
        schema = self._unsplit_schema[config]
        if config not in self._writers:
            path = self.staging / UNSPLIT_DIR / f"{config}.parquet"
            path.parent.mkdir(exist_ok=True)
            # temporary: written and read once, so no compression to spend time on
            self._writers[config] = pq.ParquetWriter(path, schema, compression="none")
        self._writers[config].write_table(pa.Table.from_pydict(columns, schema=schema))
        for values in columns.values():
            values.clear()
        self._buffered[config] = 0

    def _close_unsplit(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()

    def seal(
        self,
        quarantine: list[QuarantineRow],
        plan: SplitPlan | None = None,
        warnings: Sequence[CueWarning] = (),
    ) -> Path:
        """Flush the rows, route them into their split files (every article to ``train``
        without a plan) and write the quarantine report and the detectors' warnings (``WARNINGS``,
        one record a line, listed in the manifest like every release file); refuse the release
        (:class:`ReleaseRefused`, listing every violation) if any record broke its schema."""
        for config in CONFIGS:
            if self._buffered[config]:
                self._flush(config)
        self._close_unsplit()
        if self.violations:
            raise ReleaseRefused(self.violations)
        for config in CONFIGS:
            self._route(config, plan)
        shutil.rmtree(self.staging / UNSPLIT_DIR, ignore_errors=True)  # absent without rows
        lines = [
            json.dumps(row.to_record(), ensure_ascii=False, sort_keys=True) for row in quarantine
        ]
        self.add_text("quarantine.jsonl", "".join(f"{line}\n" for line in lines))
        lines = [json.dumps(w.to_record(), ensure_ascii=False, sort_keys=True) for w in warnings]
        self.add_text(WARNINGS, "".join(f"{line}\n" for line in lines))
        return self.staging

    def _route(self, config: str, plan: SplitPlan | None) -> None:
        """Stream the config's unsplit rows into ``<config>/<split>.parquet``, in row order, in
        row groups of :data:`BATCH_ROWS`."""
        schema = self.features[config].arrow_schema
        unsplit = self.staging / UNSPLIT_DIR / f"{config}.parquet"
        routed = {
            split: _SplitFile(self.staging / parquet_path(config, split), schema)
            for split in SPLITS
        }
        if unsplit.exists():
            for batch in row_groups(unsplit):
                rows = batch.select(schema.names).cast(schema)
                if plan is None:
                    routed["train"].add(rows)
                    continue
                codes = plan.codes[batch.column(POSITION).to_numpy()]
                for index, split in enumerate(SPLITS):
                    routed[split].add(rows.filter(pa.array(codes == index)))
        for file in routed.values():
            file.close()
        if not any(file.rows for file in routed.values()):
            # An empty config still gets a typed file (train, without row groups). Empty
            # splits get none: `datasets` refuses to load a declared split without rows.
            routed["train"].create().close()

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


def _anchored(article_text: str, record: dict) -> bool:
    """The offsets invariant for a schema-valid record (integer offsets ≥ 0)."""
    start, end = record["start"], record["end"]
    return start < end <= len(article_text) and article_text[start:end] == record["text"]


class _SplitFile:
    """One split's parquet file, created on its first row; rows are gathered into row groups
    of :data:`BATCH_ROWS` (an empty row group would break `datasets`' reader)."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path, self.schema = path, schema
        self.rows = 0
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._writer: pq.ParquetWriter | None = None

    def create(self) -> pq.ParquetWriter:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        return self._writer

    def add(self, rows: pa.Table) -> None:
        if not rows.num_rows:
            return
        self._pending.append(rows)
        self._pending_rows += rows.num_rows
        self.rows += rows.num_rows
        if self._pending_rows >= BATCH_ROWS:
            self._write(full_groups_only=True)

    def _write(self, *, full_groups_only: bool) -> None:
        table = pa.concat_tables(self._pending)
        cut = table.num_rows - table.num_rows % BATCH_ROWS if full_groups_only else table.num_rows
        if cut:
            self.create().write_table(table.slice(0, cut), row_group_size=BATCH_ROWS)
        rest = table.slice(cut)
        self._pending, self._pending_rows = ([rest], rest.num_rows) if rest.num_rows else ([], 0)

    def close(self) -> None:
        if self._pending_rows:
            self._write(full_groups_only=False)
        if self._writer is not None:
            self._writer.close()
