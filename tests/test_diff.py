"""agitprop diff and CHANGELOG.md: rows added, removed and changed between releases, by label."""

from __future__ import annotations

from conftest import read_config
from release_support import ARTICLES, annotation, release_into, write_seeds, write_snapshot

from builders.cli import main
from builders.release.diff import diff_releases
from builders.release.features import CONFIGS
from builders.taxonomy import load_taxonomy


def _two_releases(tmp_path):
    out = tmp_path / "dist"
    seeds = write_seeds(tmp_path / "seeds", ARTICLES[:2])
    old = release_into(out, seeds, bump="minor")
    a1, a2, a3 = (dict(article) for article in ARTICLES)
    a2["text"] = a2["text"].replace("Eksperci wątpią.", "Eksperci wątpią w „plan”.")
    write_seeds(seeds, [a2, a3])  # a1 removed, a2 changed, a3 added
    snapshot = write_snapshot(
        tmp_path / "annotations", [annotation("a3", a3["text"], "Observers", "HEDGE", [])]
    )
    new = release_into(out, seeds, annotations=snapshot, bump="minor")
    return old, new


def _expected(old, new, config, key):
    """Added/removed/changed computed plainly from the decoded rows (and spans per label)."""
    before = {row[key]: row for row in read_config(old, config)}
    after = {row[key]: row for row in read_config(new, config)}
    groups = {
        "added": [after[k] for k in after.keys() - before.keys()],
        "removed": [before[k] for k in before.keys() - after.keys()],
        "changed": [after[k] for k in after.keys() & before.keys() if after[k] != before[k]],
    }
    totals = {change: len(rows) for change, rows in groups.items()}
    labels = {}
    for change, rows in groups.items():
        for row in rows:
            labels.setdefault(row.get("label"), dict.fromkeys(groups, 0))[change] += 1
    return totals, labels


def test_diff_counts_rows_and_span_labels(tmp_path):
    old, new = _two_releases(tmp_path)
    diff = diff_releases(old.target, new.target)
    assert diff.totals["articles"] == {"added": 1, "removed": 1, "changed": 1}  # a3, a1, a2
    for config, key in (("sentences", "sentence_id"), ("spans", "span_id")):
        totals, labels = _expected(old.target, new.target, config, key)
        assert diff.totals[config] == totals, config
    assert diff.span_labels == labels
    assert diff.span_labels["HEDGE"]["added"] >= 1  # the annotated span (detectors may add more)
    assert diff.totals["sentences"]["changed"] >= 1  # a2's edited sentence keeps its id
    assert diff.rows == {config: len(read_config(new.target, config)) for config in CONFIGS}
    assert diff_releases(new.target, new.target).unchanged


def test_each_release_has_a_changelog_against_the_previous_one(tmp_path):
    old, new = _two_releases(tmp_path)
    first = (old.target / "CHANGELOG.md").read_text()
    assert first.startswith("# Changelog: 0.1.0\n") and "First release" in first
    changelog = (new.target / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog: 0.2.0 against 0.1.0")
    assert "| articles | 2 | 1 | 1 | 1 |" in changelog
    diff = diff_releases(old.target, new.target)
    assert "HEDGE" in diff.span_labels
    for label, t in diff.span_labels.items():
        assert f"| `{label}` | {t['added']} | {t['removed']} | {t['changed']} |" in changelog


def test_cli_diff(tmp_path, capsys):
    old, new = _two_releases(tmp_path)
    capsys.readouterr()
    assert main(["diff", str(old.target), str(new.target)]) == 0
    out = capsys.readouterr().out
    assert out == (new.target / "CHANGELOG.md").read_text().replace(
        "0.2.0 against 0.1.0", f"{new.target} against {old.target}"
    )
    assert main(["diff", str(old.target), str(tmp_path)]) == 1
    assert "not a release directory" in capsys.readouterr().err


def _relabel(release, target, names, remap: bool):
    """Copy a release with the spans' label set reordered (as a taxonomy change would):
    with ``remap`` the stored indices follow the names, so every span keeps its label."""
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq
    from datasets import ClassLabel, Features

    shutil.copytree(release, target)
    for path in sorted((target / "spans").glob("*.parquet")):  # every split
        table = pq.read_table(path)
        features = Features.from_arrow_schema(table.schema)
        old_names = features["label"].names
        labels = table.column("label").to_pylist()
        if remap:
            labels = [names.index(old_names[index]) for index in labels]
        features["label"] = ClassLabel(names=names)
        table = table.set_column(
            table.schema.get_field_index("label"), "label", pa.array(labels, pa.int64())
        )
        pq.write_table(table.cast(features.arrow_schema), path)
    return target


def test_a_changed_label_set_is_compared_by_label_name(tmp_path):
    old, _ = _two_releases(tmp_path)
    names = load_taxonomy().label_names
    names = names[1:] + names[:1]  # rotated: every index moves
    same = _relabel(old.target, tmp_path / "same-labels", names, remap=True)
    assert diff_releases(old.target, same).unchanged
    moved = _relabel(old.target, tmp_path / "moved-labels", names, remap=False)
    diff = diff_releases(old.target, moved)
    spans = old.counts["spans"]  # every stored index now reads as another label
    assert diff.totals["spans"] == {"added": 0, "removed": 0, "changed": spans}
    assert sum(t["changed"] for t in diff.span_labels.values()) == spans
