"""Compare two releases: articles, sentences and spans added, removed and changed (spans by label).

Rows are matched by their content-derived ids; a row whose id is in both releases but whose
content differs is "changed". Per row only three integers are held (a 64-bit hash of the id, a
64-bit hash of the whole row, the label index), computed from the parquet files by polars'
streaming engine, and matched by sorting and binary search in numpy: ~40 bytes per row, where a
polars hash join took ~250 bytes per row. (Two ids colliding in 64 bits is ~1e-8 likely for a
million rows.) ClassLabel columns (and the tokens config's lists of tags) are compared as
integers when both releases share the label set, and by name when it changed (a new label, or
a major version).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq
from datasets import ClassLabel, Features, List

from builders.release.features import CONFIGS, ID_COLUMN
from builders.release.writer import config_files

CHANGES = ("added", "removed", "changed")


@dataclass
class ReleaseDiff:
    old: str | None
    new: str
    totals: dict[str, dict[str, int]] = field(default_factory=dict)  # config → change → n
    rows: dict[str, int] = field(default_factory=dict)  # config → rows in the new release
    span_labels: dict[str, dict[str, int]] = field(default_factory=dict)  # label → change → n
    # articles in both releases whose split differs: a cluster moves when an article joining it
    # becomes its smallest id or joins two clusters (train rows of one version may then be test
    # rows of the next)
    moved_split: dict[str, int] = field(default_factory=dict)  # "old→new" → articles

    @property
    def unchanged(self) -> bool:
        return all(n == 0 for counts in self.totals.values() for n in counts.values())


def _features(release: Path, config: str) -> Features:
    return Features.from_arrow_schema(pq.read_schema(config_files(release, config)[0]))


def _keyed_rows(release: Path, config: str, by_name: bool) -> dict[str, np.ndarray]:
    """Arrays ``id``, ``row`` (hashes) and, for spans, ``label`` (the index) of every row."""
    features = _features(release, config)
    frame = pl.scan_parquet(config_files(release, config))  # every split
    row = []
    for column in sorted(features):
        feature = features[column]
        if by_name and isinstance(feature, ClassLabel):
            names = dict(enumerate(feature.names))
            row.append(pl.col(column).replace_strict(names, return_dtype=pl.String).alias(column))
        elif by_name and isinstance(feature, List) and isinstance(feature.feature, ClassLabel):
            # the tokens config's tags: compared by name too, tag by tag
            names = dict(enumerate(feature.feature.names))
            named = pl.element().replace_strict(names, return_dtype=pl.String)
            row.append(pl.col(column).list.eval(named).alias(column))
        else:
            row.append(pl.col(column))
    hashed = frame.select(
        pl.col(ID_COLUMN[config]).hash(seed=1).alias("id"),
        pl.struct(row).hash(seed=0).alias("row"),
        *([pl.col("label")] if config == "spans" else []),
    ).collect(engine="streaming")  # text columns are hashed batch by batch
    return {name: hashed[name].to_numpy() for name in hashed.columns}


def _match(ids: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``ids``: whether it is among ``others``, and where (index into others)."""
    order = np.argsort(others, kind="stable")
    position = np.searchsorted(others[order], ids).clip(max=max(len(others) - 1, 0))
    if len(others) == 0:
        return np.zeros(len(ids), dtype=bool), position
    found = others[order][position] == ids
    return found, order[position]


def _label_counts(labels: np.ndarray, names: list[str]) -> dict[str, int]:
    values, counts = np.unique(labels, return_counts=True)
    return {names[int(v)]: int(c) for v, c in zip(values, counts, strict=True)}


def diff_releases(old: Path | None, new: Path) -> ReleaseDiff:
    """``old`` None means "no previous release": everything in ``new`` is added."""
    result = ReleaseDiff(str(old) if old else None, str(new))
    per_change: dict[str, dict[str, int]] = {}
    for config in CONFIGS:
        if old is None or not config_files(old, config):  # nothing to match: count, don't hash
            scan = pl.scan_parquet(config_files(new, config))
            result.rows[config] = scan.select(pl.len()).collect().item()
            result.totals[config] = {"added": result.rows[config], "removed": 0, "changed": 0}
            if config == "spans":
                counted = scan.group_by("label").len().collect(engine="streaming")
                names = _features(new, config)["label"].names
                per_change = {"added": {names[i]: n for i, n in counted.iter_rows()}}
            continue
        new_features, old_features = _features(new, config), _features(old, config)
        by_name = new_features != old_features
        after = _keyed_rows(new, config, by_name)
        before = _keyed_rows(old, config, by_name)
        kept, where = _match(after["id"], before["id"])
        still, _ = _match(before["id"], after["id"])
        changed = kept.copy()
        changed[kept] = after["row"][kept] != before["row"][where[kept]]
        result.rows[config] = len(after["id"])
        result.totals[config] = {
            "added": int((~kept).sum()),
            "removed": int((~still).sum()),
            "changed": int(changed.sum()),
        }
        if config == "spans":
            new_names, old_names = new_features["label"].names, old_features["label"].names
            per_change = {
                "added": _label_counts(after["label"][~kept], new_names),
                "removed": _label_counts(before["label"][~still], old_names),
                "changed": _label_counts(after["label"][changed], new_names),
            }
    labels: dict[str, dict[str, int]] = {}
    for change, counts in per_change.items():
        for label, count in counts.items():
            labels.setdefault(label, dict.fromkeys(CHANGES, 0))[change] = count
    result.span_labels = dict(sorted(labels.items()))
    if old is not None:
        result.moved_split = _moved_articles(old, new)
    return result


def _article_splits(release: Path) -> pl.DataFrame:
    return pl.concat(
        [
            pl.scan_parquet(path).select("article_id", pl.lit(path.stem).alias("split"))
            for path in config_files(release, "articles")
        ]
    ).collect()


def _moved_articles(old: Path, new: Path) -> dict[str, int]:
    joined = _article_splits(old).join(_article_splits(new), on="article_id", suffix="_new")
    moved = joined.filter(pl.col("split") != pl.col("split_new"))
    counted = moved.group_by("split", "split_new").len().sort("split", "split_new")
    return {f"{a}→{b}": n for a, b, n in counted.iter_rows()}


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
    if diff.old is not None:
        moved = ", ".join(f"{way}: {n}" for way, n in diff.moved_split.items())
        lines += ["", f"Articles that changed split: {moved or 'none'}."]
    lines += ["", "Spans by label:", ""]
    if diff.span_labels:
        lines += ["| label | added | removed | changed |", "|---|---|---|---|"]
        for label, t in diff.span_labels.items():
            lines.append(f"| `{label}` | {t['added']} | {t['removed']} | {t['changed']} |")
    else:
        lines.append("no span was added, removed or changed.")
    return "\n".join(lines) + "\n"
