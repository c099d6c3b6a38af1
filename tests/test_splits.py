"""Story-grouped splits: reprints of one wire story never straddle train/validation/test."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import FIXTURES, load_release, read_config

from builders.build import build
from builders.config import load_config
from builders.gold.splits import SPLITS, SplitSettings, split_for
from builders.validate import validate_paths

NEAR_DUPLICATES = FIXTURES / "splits"
# The same wire story with three outlets' headlines and boilerplate, and one story reprinted twice.
STORIES = [{"wire-a", "wire-b", "wire-c"}, {"mold-a", "mold-b"}]
SINGLES = ["inne-1", "inne-2", "inne-3"]


def _release(tmp_path, ratios=None):
    config = load_config()
    if ratios is not None:
        config = replace(config, extra={**config.extra, "splits": ratios})
    empty = tmp_path / "no-annotations"
    empty.mkdir(parents=True, exist_ok=True)
    return build(
        config, seeds=NEAR_DUPLICATES, annotations=empty, out=tmp_path / "dist", progress=False
    )


def _split_of(release):
    return {
        path.stem: [row["article_id"] for row in _rows(path)]
        for path in sorted((release / "articles").glob("*.parquet"))
    }


def _rows(path):
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=["article_id"]).to_pylist()


def test_the_copies_would_straddle_splits_on_their_own():
    # what makes the fixture a test: hashed one by one, wire-b would leave its story's split
    ratios = SplitSettings().ratios
    assert split_for("wire-a", ratios) != split_for("wire-b", ratios)
    assert split_for("mold-a", ratios) != split_for("mold-b", ratios)


@pytest.mark.parametrize(
    "ratios",
    [
        None,
        {"train": 0.4, "validation": 0.3, "test": 0.3},
        {"train": 0, "validation": 0.5, "test": 0.5},
    ],
)
def test_near_duplicates_land_in_one_split(tmp_path, ratios):
    result = _release(tmp_path, ratios)
    placed = {a: split for split, ids in _split_of(result.target).items() for a in ids}
    assert sorted(placed) == sorted(set().union(*STORIES, SINGLES))
    settings = SplitSettings.from_config({"splits": ratios} if ratios else {})
    for story in STORIES:
        assert len({placed[a] for a in story}) == 1, story
        # the whole cluster follows the hash of its smallest article id
        assert placed[min(story)] == split_for(min(story), settings.ratios)
    for single in SINGLES:
        assert placed[single] == split_for(single, settings.ratios)
    summary = result.splits
    assert summary["clusters"] == 5 and summary["multi_article_clusters"] == 2
    assert summary["articles_in_multi_article_clusters"] == 5
    assert not validate_paths([result.target])


def test_every_config_follows_its_articles_split_and_loads_by_split(tmp_path):
    result = _release(tmp_path, {"train": 0.4, "validation": 0.3, "test": 0.3})
    release = result.target
    split_of = {a: s for s, ids in _split_of(release).items() for a in ids}
    assert len(set(split_of.values())) >= 2  # the ratios spread these clusters over splits
    for config in ("sentences", "spans"):
        for path in sorted((release / config).glob("*.parquet")):
            assert {split_of[r["article_id"]] for r in _rows(path)} <= {path.stem}
    from datasets import load_dataset

    loaded = load_dataset(str(release), "articles", cache_dir=str(tmp_path / "hf"))
    assert set(loaded) == set(split_of.values()) and set(loaded) <= set(SPLITS)
    for split, data in loaded.items():
        assert sorted(data["article_id"]) == sorted(a for a, s in split_of.items() if s == split)
    assert len(load_release(release, "sentences", tmp_path / "hf")) == len(
        read_config(release, "sentences")
    )


def test_card_and_manifest_report_the_clusters(tmp_path):
    release = _release(tmp_path).target
    card = (release / "README.md").read_text(encoding="utf-8")
    assert "## Splits" in card
    assert "Clusters: 5, of which 2 hold more than one article (5 articles; largest 3)" in card
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["splits"]["clusters"] == 5
    assert sum(manifest["splits"]["articles"].values()) == 8


def test_splits_are_the_same_on_every_run(tmp_path):
    first = _split_of(_release(tmp_path / "one").target)
    assert _split_of(_release(tmp_path / "two").target) == first


@pytest.mark.parametrize(
    "table",
    [
        {"train": 0.8, "validation": 0.1, "test": 0.2},
        {"train": 1.2, "validation": -0.1, "test": -0.1},
        {"train": 0.8, "validation": 0.2, "test": 0.0, "dev": 0.0},
        {"near_duplicate_threshold": 1.5},
    ],
)
def test_bad_split_settings_are_refused(table):
    with pytest.raises(ValueError, match="tool.agitprop.splits"):
        SplitSettings.from_config({"splits": table})


def test_changelog_counts_articles_whose_cluster_moved(tmp_path):
    from builders.build import release

    lines = (NEAR_DUPLICATES / "near_duplicates.jsonl").read_text(encoding="utf-8").splitlines()
    by_id = {json.loads(line)["id"]: line for line in lines}
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    empty = tmp_path / "none"
    empty.mkdir()

    def release_of(ids, bump):
        (seeds / "corpus.jsonl").write_text("\n".join(by_id[i] for i in ids) + "\n")
        return release(
            load_config(),
            bump=bump,
            seeds=seeds,
            annotations=empty,
            out=tmp_path / "dist",
            progress=False,
        )

    ratios = SplitSettings().ratios
    # wire-b and wire-c: a cluster keyed by wire-b; then wire-a joins and becomes its key
    assert split_for("wire-b", ratios) == "validation" and split_for("wire-a", ratios) == "train"
    release_of(["wire-b", "wire-c", "inne-1"], "major")
    second = release_of(["wire-a", "wire-b", "wire-c", "inne-1"], "minor")
    assert second.diff.moved_split == {"validation→train": 2}
    changelog = (second.target / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Articles that changed split: validation→train: 2." in changelog
