"""The generated dataset card: Hub YAML metadata, statistics from the data, every config loads."""

from __future__ import annotations

from collections import Counter

import pyarrow.parquet as pq
import yaml
from conftest import read_config
from datasets import load_dataset
from release_support import ARTICLES, annotation, release_into, write_seeds, write_snapshot

from builders.release.features import CONFIGS
from builders.release.writer import parquet_path
from builders.taxonomy import load_taxonomy

STANCES = [
    {"target": "Rosja", "stance": "against"},
    {"sentence_id": "a1-s0000", "target": "Rosja", "stance": "neutral"},
]


def _release(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    snapshot = write_snapshot(
        tmp_path / "annotations",
        [
            annotation("a1", ARTICLES[0]["text"], "Nikt", "HEDGE", STANCES),
            annotation("a2", ARTICLES[1]["text"], "Eksperci", "HEDGE", STANCES[:1]),
        ],
    )
    return release_into(tmp_path / "dist", seeds, annotations=snapshot, version="0.3.0").target


def _card(release):
    _, front, body = (release / "README.md").read_text().split("---\n", 2)
    return yaml.safe_load(front), body


def test_card_metadata_follows_the_hub_conventions(tmp_path):
    release = _release(tmp_path)
    meta, body = _card(release)
    assert meta["language"] == ["pl", "en"] and meta["multilinguality"] == ["multilingual"]
    assert meta["size_categories"] == ["n<1K"]
    assert {"license", "task_categories", "pretty_name", "annotations_creators"} <= set(meta)
    assert [c["config_name"] for c in meta["configs"]] == list(CONFIGS)
    infos = {info["config_name"]: info for info in meta["dataset_info"]}
    for config in CONFIGS:
        declared = sum(split["num_examples"] for split in infos[config]["splits"])
        assert declared == len(read_config(release, config))
    assert "class_label" in str(infos["spans"]["features"])
    assert "Version **0.3.0**" in body and "@misc{agitprop_news_0_3_0," in body
    for label in load_taxonomy().labels:
        assert f"| `{label.name}` | {label.semeval_2023_task3 or '–'} |" in body


def test_card_statistics_match_the_data(tmp_path):
    release = _release(tmp_path)
    _, body = _card(release)
    outlets = Counter((a["outlet"], a["language"]) for a in ARTICLES)
    for (outlet, language), count in outlets.items():
        assert f"| {outlet} | {language} | {count} |" in body
    rows = read_config(release, "spans")
    spans = Counter((s["label"], s["origin"]) for s in rows)
    # one annotator per article: no gold spans (gold_min_annotators = 2), so no gold column
    origins = sorted({s["origin"] for s in rows})
    assert origins == ["annotation", "prelabel"]
    for label in ("HEDGE", "QUOTE"):
        counts = " | ".join(str(spans[label, o]) for o in origins)
        assert f"| `{label}` | {counts} |" in body
    assert "| Rosja | article | against | 2 |" in body
    assert "| Rosja | sentence | neutral | 1 |" in body


def test_every_config_loads_with_datasets(tmp_path):
    release = _release(tmp_path)
    meta, _ = _card(release)
    for config in meta["configs"]:
        name = config["config_name"]
        splits = load_dataset(str(release), name, cache_dir=str(tmp_path / "hf-cache"))
        assert sum(split.num_rows for split in splits.values()) == len(read_config(release, name))
        assert len(read_config(release, name)) > 0
        # each split holds the same rows, in the same order, as its parquet file (ClassLabels
        # stay integers)
        for split, data in splits.items():
            assert data.to_list() == pq.read_table(release / parquet_path(name, split)).to_pylist()


def test_configs_without_rows_are_named_not_declared(tmp_path):
    # No annotations yet: `stances` and `annotations` have no rows, which `datasets` cannot load.
    from builders.validate import validate_release

    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    empty = tmp_path / "no-annotations"
    empty.mkdir()
    release = release_into(tmp_path / "dist", seeds, annotations=empty, version="0.1.0").target
    meta, body = _card(release)
    declared = [c["config_name"] for c in meta["configs"]]
    assert declared == [name for name in CONFIGS if read_config(release, name)]
    assert "stances" not in declared and "annotations" not in declared
    assert "not declared as loadable configs: `stances`, `annotations`" in body
    for name in declared:
        assert load_dataset(str(release), name, cache_dir=str(tmp_path / "hf-cache"))
    assert validate_release(release) == []
