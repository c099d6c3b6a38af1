"""``agitprop validate``: seeds, annotation snapshots, data files and release directories.

Each problem is reported as file, record, JSON pointer and message; the command exits non-zero
if there is any.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from pyarrow.lib import ArrowException

from builders.annotations import AnnotationMerger
from builders.ingest import SeedReader
from builders.ingest.listing import list_inputs
from builders.ingest.readers import seed_kind
from builders.records import offset_problem
from builders.release.features import CONFIGS, ID_COLUMN, config_features, decode_row
from builders.release.manifest import check_manifest, release_rows, unreadable_parquet
from builders.release.versions import MANIFEST
from builders.release.writer import (
    SCHEMA_OF,
    WARNINGS,
    WITH_OFFSETS,
    config_files,
    parquet_path,
    row_groups,
)
from builders.schemas import DataFileError, Violation, load_data_file, violations
from builders.taxonomy import load_taxonomy

# what reading a damaged parquet file raises: a corrupt footer or page, a truncated file, not
# parquet at all, a column the file lacks, a string that is not UTF-8
UNREADABLE = (ArrowException, OSError, KeyError, UnicodeDecodeError)


def is_release_dir(path: Path) -> bool:
    """Articles in parquet and a card or a manifest (a release that lost its card is still one,
    and is reported as such)."""
    has_card = (path / "README.md").is_file() or (path / MANIFEST).is_file()
    return has_card and bool(config_files(path, "articles"))


def validate_paths(paths: list[Path]) -> list[Violation]:
    found: list[Violation] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            found.append(Violation(str(path), "", "", "does not exist"))
        elif path.is_dir() and (is_release_dir(path) or (path / MANIFEST).is_file()):
            found += validate_release(path)
        elif path.is_dir():
            found += _validate_tree(path)
        else:
            found += _validate_file(path, in_annotations="annotations" in path.parts)
    return found


def _validate_tree(root: Path) -> list[Violation]:
    releases = sorted(
        p for p in {f.parent.parent for f in root.rglob("articles/*.parquet")} if is_release_dir(p)
    )
    found = []
    for release in releases:
        found += validate_release(release)
    # the readers' own walk: symlinks out of the folder, special files and undecodable names
    # are reported, never followed or read
    listing = list_inputs([root])
    found += [
        Violation(refused.path, "", "", f"{refused.reason} ({refused.code})")
        for refused in listing.refused
    ]
    annotations = "annotations" in root.parts or root.name == "annotations"
    seeds, snapshots = [], []
    for file, _ in listing.files:
        if any(release in file.parents for release in releases):
            continue
        in_annotations = annotations or "annotations" in file.parts
        # seeds and snapshots are read together: ids are unique across files
        if not in_annotations and _is_seed_file(file):
            seeds.append(file)
        elif in_annotations and file.suffix.lower() == ".jsonl":
            snapshots.append(file)
        else:
            found += _validate_file(file, in_annotations=in_annotations)
    return found + _validate_seeds(seeds) + _validate_snapshots(snapshots)


def _validate_snapshots(files: list[Path]) -> list[Violation]:
    if not files:
        return []
    from builders.config import load_config

    merger = AnnotationMerger(files, load_taxonomy(), load_config(required=False).stance_targets)
    return [
        Violation(q.file, f"line {q.line}", q.field or "", f"{q.reason} ({q.code})")
        for q in merger.quarantine
    ]


def _is_seed_file(file: Path) -> bool:
    """Any article input the readers take (txt, jsonl, jsonl.gz, html, warc, csv, tsv), or any
    file in a folder named seeds (refused there by type)."""
    return seed_kind(file) is not None or file.parent.name == "seeds"


def _validate_seeds(files: list[Path]) -> list[Violation]:
    if not files:
        return []
    from builders.config import load_config

    reader = SeedReader.from_config(files, load_config(required=False))
    for _ in reader.run():
        pass
    return [
        Violation(q.file, f"line {q.line}" if q.line else "", q.field or "", q.reason)
        for q in reader.quarantine
    ]


def _validate_file(file: Path, in_annotations: bool) -> list[Violation]:
    suffix = file.suffix.lower()
    if suffix == ".json":
        try:
            load_data_file(file)
        except DataFileError as exc:
            return exc.violations
        return []
    if in_annotations:
        if suffix != ".jsonl":
            return []  # labeling config, guidelines: not records
        return _validate_snapshots([file])
    if _is_seed_file(file):
        return _validate_seeds([file])
    return []


def _row_groups(file: Path, columns: list[str] | None = None) -> Iterator[list[dict]]:
    for table in row_groups(file, columns):
        yield table.to_pylist()


class _Articles:
    """The articles of one split file, walked forward in step with another config's rows.

    A release writes every article's rows together and in the articles' order, in the split of
    the article, so checking a row against its article needs only the current article's text:
    memory does not grow with the release. A row that breaks the order costs a rescan (and is
    reported); one whose article is elsewhere is reported with where it is."""

    def __init__(self, file: Path | None) -> None:
        self.file = file  # None: the split has no articles file
        self._rows = self._scan()
        self.current: tuple[str, str] | None = None

    def _scan(self) -> Iterator[tuple[str, str]]:
        if self.file is None:
            return
        try:
            for rows in _row_groups(self.file, ["article_id", "text"]):
                for row in rows:
                    yield row["article_id"], row["text"]
        except UNREADABLE:
            return  # the articles file is reported once, as unreadable, where it is read

    def text_of(self, article_id: str) -> tuple[str | None, bool]:
        """The article's text, and whether it came in order (False: found by a rescan)."""
        if self.current is not None and self.current[0] == article_id:
            return self.current[1], True
        before = self.current
        if self._advance_to(article_id):
            return self.current[1], True
        self._rows = self._scan()  # out of order, or not in this split: look from the start
        if self._advance_to(article_id):
            return self.current[1], False
        self._rows = self._scan()  # not in this split: back to where the walk was
        if before is not None:
            self._advance_to(before[0])
        return None, False

    def _advance_to(self, article_id: str) -> bool:
        self.current = None
        for row in self._rows:
            if row[0] == article_id:
                self.current = row
                return True
        return False


class _IdLedger:
    """Duplicate ids of one config across its split files, at 8 bytes a row: the ids' hashes
    are kept, and only rows whose hash repeats are read again to name the duplicates."""

    def __init__(self) -> None:
        self.hashes = array("q")

    def add(self, key) -> None:
        self.hashes.append(hash(key))

    def duplicates(self, files: list[Path], id_column: str) -> list[Violation]:
        values, counts = np.unique(np.frombuffer(self.hashes, dtype=np.int64), return_counts=True)
        repeated = set(values[counts > 1].tolist())
        if not repeated:
            return []
        found, seen = [], set()
        for path in files:
            number = 0
            try:
                for rows in _row_groups(path, [id_column]):
                    for row in rows:
                        key = row[id_column]
                        if hash(key) in repeated:
                            if key in seen:
                                where, pointer = f"row {number} ({key})", f"/{id_column}"
                                found.append(Violation(str(path), where, pointer, "duplicate id"))
                            seen.add(key)
                        number += 1
            except UNREADABLE:
                continue  # reported once, as unreadable, by the pass that first read it
        return found


class _KnownIds:
    """Membership of ids at 8 bytes each (their hashes, sorted): a stance or span naming a
    sentence that is not in the release is reported."""

    def __init__(self, ledger: _IdLedger) -> None:
        self.hashes = np.sort(np.frombuffer(ledger.hashes, dtype=np.int64))

    def holds(self, key) -> bool:
        if key is None:
            return True  # an article-level row
        value = hash(key)
        index = int(np.searchsorted(self.hashes, value))
        return index < len(self.hashes) and int(self.hashes[index]) == value


def _check_article(
    release, config, split, articles, record, file, key, unreadable
) -> list[Violation]:
    """The row's article is in the same split file, before it in order, and, for rows with
    offsets, the offsets hold against its text."""
    article_id = record.get("article_id")
    text, in_order = articles.text_of(article_id)
    if text is None:
        elsewhere = [
            path.stem
            for path in config_files(release, "articles")
            if path.stem != split
            and str(path) not in unreadable
            and _Articles(path).text_of(article_id)[0] is not None
        ]
        reason = (
            f"its article is in split {elsewhere[0]!r}"
            if elsewhere
            else "no such article in the release"
        )
        return [Violation(file, key, "/article_id", reason)]
    found = []
    if not in_order:
        found.append(
            Violation(file, key, "/article_id", "out of order: rows follow their articles' order")
        )
    if config in WITH_OFFSETS:
        problem = offset_problem(text, record.get("start"), record.get("end"), record.get("text"))
        if problem:
            found.append(Violation(file, key, "/start", problem))
    return found


def validate_release(release: Path) -> list[Violation]:
    """Every record against its schema, ids unique, every row in its article's split and order,
    offsets exact against the articles, the card declaring the configs with rows, and the
    manifest telling the truth (see :func:`check_manifest`). A file that cannot be read (a
    corrupt or truncated parquet file, a quarantine line that is not JSON, a missing card) is
    one violation, and the other files are still checked. Memory stays flat with the release's
    size (see :class:`_Articles`, :class:`_IdLedger`)."""
    release = Path(release)
    rows, found = release_rows(release)  # every parquet footer: one violation per unreadable
    unreadable = {v.file for v in found}
    sentences = None  # the sentence ids, once the sentences config is read (it comes second)
    for config in CONFIGS:
        files = config_files(release, config)
        if not files:
            found.append(Violation(str(release / config), "", "", "missing: no parquet file"))
        id_column = ID_COLUMN[config]
        features = config_features(config, load_taxonomy())
        ledger = _IdLedger()
        for path in files:
            file, split = str(path), path.stem
            if file in unreadable:
                continue
            problem = _column_problem(path, features.arrow_schema)
            if problem:  # another config's file, or not a release file: one violation
                found.append(Violation(file, "", "", problem))
                unreadable.add(file)
                continue
            articles = None
            if config != "articles":
                articles_file = release / parquet_path("articles", split)
                # an unreadable articles file is reported once; its rows are not checked against it
                if str(articles_file) not in unreadable:
                    articles = _Articles(articles_file if articles_file.is_file() else None)
            try:
                for number, row in enumerate(row for rows in _row_groups(path) for row in rows):
                    key = f"row {number} ({row.get(id_column)})"
                    try:
                        record = decode_row(config, row, features)
                    except ValueError as exc:  # a label index out of range, attributes not JSON
                        found.append(Violation(file, key, "", f"cannot be decoded: {exc}"))
                        continue
                    found += violations(SCHEMA_OF[config], record, file=file, record=key)
                    ledger.add(record.get(id_column))
                    if sentences is not None and not sentences.holds(record.get("sentence_id")):
                        found.append(
                            Violation(file, key, "/sentence_id", "no such sentence in the release")
                        )
                    if articles is not None:
                        found += _check_article(
                            release, config, split, articles, record, file, key, unreadable
                        )
            except UNREADABLE as exc:
                found.append(unreadable_parquet(path, exc))
                unreadable.add(file)
        found += ledger.duplicates([p for p in files if str(p) not in unreadable], id_column)
        if config == "sentences":
            sentences = _KnownIds(ledger)
    found += _check_card(release, rows)
    if (release / MANIFEST).is_file():
        found += check_manifest(release, rows)
    else:
        found.append(Violation(str(release / MANIFEST), "", "", "missing: no checksums"))
    found += _check_jsonl(release / "quarantine.jsonl", "quarantine")
    found += _check_jsonl(release / WARNINGS, "cue_warning")
    return found


def _column_problem(path: Path, expected: pa.Schema) -> str | None:
    """Why the file does not have the config's columns and types (another config's file, or not
    a release file), or None."""
    try:
        schema = pq.read_schema(path)
    except UNREADABLE as exc:
        return unreadable_parquet(path, exc).message
    missing = [name for name in expected.names if name not in schema.names]
    extra = [name for name in schema.names if name not in expected.names]
    if missing or extra:
        return f"not this config's columns: missing {missing}, unexpected {extra}"
    retyped = [
        f"{field.name} is {schema.field(field.name).type}, not {field.type}"
        for field in expected
        if not schema.field(field.name).type.equals(field.type)
    ]
    return f"not this config's column types: {'; '.join(retyped)}" if retyped else None


def _check_card(release: Path, rows: dict[str, int | None]) -> list[Violation]:
    path = release / "README.md"
    try:
        card = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [Violation(str(path), "", "", "missing: the release has no dataset card")]
    except (OSError, ValueError) as exc:
        return [Violation(str(path), "", "", f"unreadable dataset card: {exc}")]
    found = []
    for config in CONFIGS:
        if rows[config] is None:
            continue  # a file of it is unreadable, and reported
        # a config without rows cannot be loaded by `datasets`, so the card leaves it out
        if (f"config_name: {config}" in card) != (rows[config] > 0):
            found.append(
                Violation(
                    str(path),
                    "",
                    "/configs",
                    f"dataset card declares config {config!r} if and only if it has rows",
                )
            )
    return found


def _check_jsonl(path: Path, schema: str) -> list[Violation]:
    """Every line a record of ``schema`` (a missing file is the manifest's to report)."""
    if not path.exists():
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError) as exc:
        return [Violation(str(path), "", "", f"unreadable: {exc}")]
    found = []
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except ValueError as exc:
            found.append(Violation(str(path), f"line {number}", "", f"not JSON: {exc}"))
            continue
        found += violations(schema, record, file=str(path), record=f"line {number}")
    return found
