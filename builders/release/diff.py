"""Compare two releases: articles, sentences and spans added, removed and changed (spans by label).

Rows are matched by their content-derived ids; a row whose id is in both releases but whose
content differs is "changed". Only ids, labels and a per-row hash are held in memory, computed
with polars from the parquet files; ClassLabel columns are decoded with each release's own
features, so two releases with different label sets still compare by label name.
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


def _keyed_rows(release: Path, config: str) -> pl.DataFrame:
    """id, label (spans) and a hash of the whole decoded row."""
    path = Path(release) / parquet_path(config)
    features = Features.from_arrow_schema(pq.read_schema(path))
    frame = pl.scan_parquet(path)
    decoded = [
        pl.col(name).replace_strict(dict(enumerate(feature.names)), return_dtype=pl.String)
        for name, feature in features.items()
        if isinstance(feature, ClassLabel)
    ]
    frame = frame.with_columns(decoded)
    columns = sorted(features)
    keep = [ID_COLUMN[config], *(["label"] if config == "spans" else [])]
    return frame.select(*keep, pl.struct(columns).hash(seed=0).alias("row_hash")).collect()


def diff_releases(old: Path | None, new: Path) -> ReleaseDiff:
    """``old`` None means "no previous release": everything in ``new`` is added."""
    result = ReleaseDiff(str(old) if old else None, str(new))
    labels: dict[str, dict[str, int]] = {}
    for config in CONFIGS:
        key = ID_COLUMN[config]
        after = _keyed_rows(new, config)
        before = _keyed_rows(old, config) if old is not None else after.clear()
        added = after.join(before, on=key, how="anti")
        removed = before.join(after, on=key, how="anti")
        both = after.join(before, on=key, how="inner", suffix="_old")
        changed = both.filter(pl.col("row_hash") != pl.col("row_hash_old"))
        result.rows[config] = after.height
        result.totals[config] = {
            "added": added.height,
            "removed": removed.height,
            "changed": changed.height,
        }
        if config == "spans":
            for change, frame in (("added", added), ("removed", removed), ("changed", changed)):
                for label, count in frame.group_by("label").len().iter_rows():
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
