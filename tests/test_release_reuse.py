"""``agitprop release`` releases the inspected development build when nothing that shapes its
rows changed, byte-identical to a release built from scratch; anything else rebuilds."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES
from release_support import (
    ARTICLES,
    annotation,
    release_into,
    tree_bytes,
    write_seeds,
    write_snapshot,
)

from builders.build import StrictModeError, build
from builders.config import load_config
from builders.release.reuse import STATE
from builders.validate import validate_paths

NEAR_DUPLICATES = (FIXTURES / "splits" / "near_duplicates.jsonl").read_text(encoding="utf-8")


def _inputs(root):
    """A few articles (one with an annotator's span and stances), near-duplicate stories so the
    split plan has clusters, and one malformed line the build quarantines."""
    seeds = write_seeds(root / "seeds", ARTICLES)
    (seeds / "stories.jsonl").write_text(NEAR_DUPLICATES + "{broken\n", encoding="utf-8")
    stance = [{"target": "Rosja", "stance": "favor"}]
    snapshot = annotation("a1", ARTICLES[0]["text"], "specjalnej operacji", "REGIME_TERM", stance)
    annotations = write_snapshot(root / "annotations", [snapshot])
    return seeds, annotations


def _build(out, seeds, annotations):
    return build(load_config(), seeds=seeds, annotations=annotations, out=out, progress=False)


def test_a_release_after_build_reuses_its_rows_and_equals_a_fresh_release(tmp_path):
    seeds, annotations = _inputs(tmp_path)
    built = _build(tmp_path / "reused", seeds, annotations)
    assert built.quarantine and built.agreement.items  # the state has something to carry over
    reused = release_into(tmp_path / "reused", seeds, annotations, version="1.0.0")
    fresh = release_into(tmp_path / "fresh", seeds, annotations, version="1.0.0")
    assert reused.reused and "reused" in reused.reuse
    assert not fresh.reused and "no development build" in fresh.reuse
    assert tree_bytes(reused.target) == tree_bytes(fresh.target)
    assert [q.describe() for q in reused.quarantine] == [q.describe() for q in fresh.quarantine]
    assert reused.agreement == fresh.agreement and reused.splits == fresh.splits
    assert reused.counts == fresh.counts and reused.warnings == fresh.warnings
    assert not (reused.target / STATE).exists()  # the state file belongs to dev builds only
    assert not validate_paths([reused.target])


def test_a_changed_input_is_built_again(tmp_path):
    seeds, annotations = _inputs(tmp_path)
    out = tmp_path / "dist"
    _build(out, seeds, annotations)
    article = dict(ARTICLES[1], text=ARTICLES[1]["text"] + " Dodano zdanie.")
    write_seeds(seeds, [ARTICLES[0], article, ARTICLES[2]])
    result = release_into(out, seeds, annotations, version="1.0.0")
    assert not result.reused and "other inputs" in result.reuse
    texts = {json.loads(line)["id"]: line for line in (seeds / "articles.jsonl").open()}
    assert "Dodano zdanie." in texts["a2"]
    fresh = release_into(tmp_path / "fresh", seeds, annotations, version="1.0.0")
    assert tree_bytes(result.target) == tree_bytes(fresh.target)


def test_a_dev_build_that_no_longer_matches_its_manifest_is_not_released(tmp_path):
    seeds, annotations = _inputs(tmp_path)
    out = tmp_path / "dist"
    dev = _build(out, seeds, annotations).target
    parquet = sorted(dev.rglob("*.parquet"))[0]
    parquet.write_bytes(parquet.read_bytes() + b"\0")
    result = release_into(out, seeds, annotations, version="1.0.0")
    assert not result.reused and "does not match its manifest" in result.reuse
    assert not validate_paths([result.target])


def test_strict_refuses_a_reused_build_with_quarantined_inputs(tmp_path):
    seeds, annotations = _inputs(tmp_path)
    out = tmp_path / "dist"
    _build(out, seeds, annotations)
    with pytest.raises(StrictModeError, match="stories.jsonl"):
        release_into(out, seeds, annotations, version="1.0.0", strict=True)
    assert not (out / "agitprop-news" / "1.0.0").exists()
