"""``agitprop validate``: seeds, annotation snapshots, data files and release directories.

Each problem is reported as file, record, JSON pointer and message; the command exits non-zero
if there is any.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq

from builders.annotations import AnnotationMerger
from builders.ingest import SeedReader
from builders.records import offset_problem
from builders.release.features import CONFIGS, ID_COLUMN, config_features, decode_row
from builders.release.manifest import check_manifest
from builders.release.versions import MANIFEST
from builders.release.writer import SCHEMA_OF, WITH_OFFSETS, config_files
from builders.schemas import DataFileError, Violation, load_data_file, violations
from builders.taxonomy import load_taxonomy


def is_release_dir(path: Path) -> bool:
    return (path / "README.md").is_file() and bool(config_files(path, "articles"))


def validate_paths(paths: list[Path]) -> list[Violation]:
    found: list[Violation] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            found.append(Violation(str(path), "", "", "does not exist"))
        elif path.is_dir() and is_release_dir(path):
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
    annotations = "annotations" in root.parts or root.name == "annotations"
    for file in sorted(root.rglob("*")):
        if not file.is_file() or any(part.startswith(".") for part in file.relative_to(root).parts):
            continue
        if any(release in file.parents for release in releases):
            continue
        found += _validate_file(file, in_annotations=annotations or "annotations" in file.parts)
    return found


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
        merger = AnnotationMerger(file)
        return [
            Violation(q.file, f"line {q.line}", q.field or "", q.reason) for q in merger.quarantine
        ]
    if suffix in (".txt", ".jsonl") or file.parent.name == "seeds":
        reader = SeedReader([file])
        for _ in reader.run():
            pass
        return [
            Violation(q.file, f"line {q.line}" if q.line else "", q.field or "", q.reason)
            for q in reader.quarantine
        ]
    return []


def _rows(file: Path, config: str) -> Iterator[dict]:
    features = config_features(config, load_taxonomy())
    for batch in pq.ParquetFile(file).iter_batches(batch_size=5_000):
        for row in batch.to_pylist():
            yield decode_row(config, row, features)


def validate_release(release: Path) -> list[Violation]:
    """Every record against its schema, ids unique, offsets exact against the articles, and every
    file matching the sha256 in ``manifest.json``."""
    found: list[Violation] = []
    texts: dict[str, str] = {}
    split_of: dict[str, str] = {}  # article id → the split holding it
    has_rows: set[str] = set()
    for config in CONFIGS:
        files = config_files(release, config)
        if not files:
            found.append(Violation(str(release / config), "", "", "missing: no parquet file"))
        id_column = ID_COLUMN[config]
        seen: set[str] = set()
        for path in files:
            file, split = str(path), path.stem
            for number, record in enumerate(_rows(path, config)):
                key = f"row {number} ({record.get(id_column)})"
                has_rows.add(config)
                found += violations(SCHEMA_OF[config], record, file=file, record=key)
                if record.get(id_column) in seen:
                    found.append(Violation(file, key, f"/{id_column}", "duplicate id"))
                seen.add(record.get(id_column))
                if config == "articles":
                    texts[record["article_id"]] = record["text"]
                    split_of[record["article_id"]] = split
                    continue
                article = texts.get(record.get("article_id"))
                if article is None:
                    found.append(
                        Violation(file, key, "/article_id", "no such article in the release")
                    )
                    continue
                if split_of[record["article_id"]] != split:
                    found.append(
                        Violation(
                            file,
                            key,
                            "/article_id",
                            f"its article is in split {split_of[record['article_id']]!r}",
                        )
                    )
                if config not in WITH_OFFSETS:
                    continue
                problem = offset_problem(
                    article, record.get("start"), record.get("end"), record.get("text")
                )
                if problem:
                    found.append(Violation(file, key, "/start", problem))
    card = (release / "README.md").read_text(encoding="utf-8")
    for config in CONFIGS:
        # a config without rows cannot be loaded by `datasets`, so the card leaves it out
        if (f"config_name: {config}" in card) != (config in has_rows):
            found.append(
                Violation(
                    str(release / "README.md"),
                    "",
                    "/configs",
                    f"dataset card declares config {config!r} if and only if it has rows",
                )
            )
    if (release / MANIFEST).is_file():
        found += check_manifest(release)
    else:
        found.append(Violation(str(release / MANIFEST), "", "", "missing: no checksums"))
    quarantine = release / "quarantine.jsonl"
    if quarantine.exists():
        for number, line in enumerate(quarantine.read_text(encoding="utf-8").splitlines(), start=1):
            found += violations(
                "quarantine", json.loads(line), file=str(quarantine), record=f"line {number}"
            )
    return found
