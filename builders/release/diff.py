"""Compare two releases: articles, sentences and spans added, removed and changed (spans by label).

Rows are matched by their content-derived ids; a row whose id is in both releases but whose
content differs is "changed". Per row only integers are held in memory (the id as a 128-bit
hash, a hash of the whole row, the label index), computed from the parquet files with polars'
streaming engine, so a diff costs ~30 MB per million rows. ClassLabel columns are compared as
integers when both releases share the label set and by name when it changed (a major version).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
from datasets import ClassLabel, Features

from builders.release.features import CONFIGS
from builders.release.writer import parquet_path

ID_COLUMN = {"articles": "article_id", "sentences": "sentence_id", "spans": "span_id"}
CHANGES = ("added", "removed", "changed")
KEY = ["id_a", "id_b"]


@dataclass
class ReleaseDiff:
    old: str | None
    new: str
    totals: dict[str, dict[str, int]] = field(default_factory=dict)  # config → change → n
    rows: dict[str, int] = field(default_factory=dict)  # config → rows in the new release
    span_labels: dict[str, dict[str, int]] = field(default_factory=dict)  # label → change → n

    @property
    def unchanged(self) -> bool:
        return all(n == 0 for counts in self.totals.values() for n in counts.values())


def _features(release: Path, config: str) -> Features:
    return Features.from_arrow_schema(pq.read_schema(Path(release) / parquet_path(config)))


def _keyed_rows(release: Path, config: str, by_name: bool) -> pl.DataFrame:
    """id_a, id_b (the id, hashed twice), label (spans; an index) and row_hash."""
    features = _features(release, config)
    frame = pl.scan_parquet(Path(release) / parquet_path(config))
    if by_name:
        frame = frame.with_columns(
            pl.col(name).replace_strict(dict(enumerate(feature.names)), return_dtype=pl.String)
            for name, feature in features.items()
            if isinstance(feature, ClassLabel) and name != "label"
        )
    identity = pl.col(ID_COLUMN[config])
    row = [pl.col(c) for c in sorted(features) if not (by_name and c == "label")]
    if by_name and "label" in features:  # hash the label's name, keep its index for counting
        names = dict(enumerate(features["label"].names))
        row.append(pl.col("label").replace_strict(names, return_dtype=pl.String).alias("name"))
    hashed = frame.select(
        identity.hash(seed=1).alias("id_a"),
        identity.hash(seed=2).alias("id_b"),
        *([pl.col("label")] if config == "spans" else []),
        pl.struct(row).hash(seed=0).alias("row_hash"),
    )
    return hashed.collect(engine="streaming")  # text columns are hashed batch by batch


def _label_counts(frame: pl.DataFrame | pl.LazyFrame, names: list[str]) -> dict[str, int]:
    counted = frame.lazy().group_by("label").len().collect(engine="streaming")
    return {names[index]: count for index, count in counted.iter_rows()}


def diff_releases(old: Path | None, new: Path) -> ReleaseDiff:
    """``old`` None means "no previous release": everything in ``new`` is added."""
    result = ReleaseDiff(str(old) if old else None, str(new))
    labels: dict[str, dict[str, int]] = {}
    for config in CONFIGS:
        if old is None:  # nothing to match against: count, don't hash
            scan = pl.scan_parquet(Path(new) / parquet_path(config))
            result.rows[config] = scan.select(pl.len()).collect().item()
            result.totals[config] = {"added": result.rows[config], "removed": 0, "changed": 0}
            if config == "spans":
                names = _features(new, config)["label"].names
                per_change = {"added": _label_counts(scan.select("label"), names)}
            continue
        new_features, old_features = _features(new, config), _features(old, config)
        by_name = new_features != old_features
        after = _keyed_rows(new, config, by_name)
        before = _keyed_rows(old, config, by_name)
        added = after.join(before, on=KEY, how="anti")
        removed = before.join(after, on=KEY, how="anti")
        both = after.join(before, on=KEY, how="inner", suffix="_old")
        changed = both.filter(pl.col("row_hash") != pl.col("row_hash_old"))
        result.rows[config] = after.height
        result.totals[config] = {
            "added": added.height,
            "removed": removed.height,
            "changed": changed.height,
        }
        if config == "spans":
            new_names = new_features["label"].names
            per_change = {
                "added": _label_counts(added, new_names),
                "removed": _label_counts(removed, old_features["label"].names),
                "changed": _label_counts(changed, new_names),
            }
    for change, counts in per_change.items():
        for label, count in counts.items():
            labels.setdefault(label, dict.fromkeys(CHANGES, 0))[change] = count
    result.span_labels = dict(sorted(labels.items()))
    return result


def render_changelog(diff: ReleaseDiff, new_version: str, old_version: str | None) -> str:
    if old_version is None:
        heading = f"# Changelog: {new_version}\n\nFirst release: there is no previous version."
    else:
        heading = f"# Changelog: {new_version} against {old_version}"
    lines = [heading, "", "| config | rows | added | removed | changed |", "|---|---|---|---|---|"]
    for config in CONFIGS:
        t = diff.totals[config]
        lines.append(
            f"| {config} | {diff.rows[config]} | {t['added']} | {t['removed']} | {t['changed']} |"
        )
    lines += ["", "Spans by label:", ""]
    if diff.span_labels:
        lines += ["| label | added | removed | changed |", "|---|---|---|---|"]
        for label, t in diff.span_labels.items():
            lines.append(f"| `{label}` | {t['added']} | {t['removed']} | {t['changed']} |")
    else:
        lines.append("no span was added, removed or changed.")
    return "\n".join(lines) + "\n"
