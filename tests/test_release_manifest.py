"""manifest.json: checksums of every file, input fingerprints, versions, code commit; rebuilds
of the same inputs are byte-identical; validate checks the checksums; bad records refuse a release.
"""

from __future__ import annotations

import json

import pytest
from conftest import SEED_ID, SEEDS, read_config
from release_support import (
    ARTICLES,
    annotation,
    release_into,
    tree_bytes,
    write_seeds,
    write_snapshot,
)

from builders.cli import main
from builders.cues import QuoteDetector
from builders.records import Document, Span
from builders.release.features import CONFIGS
from builders.release.manifest import code_revision, file_sha256
from builders.release.writer import ReleaseRefused
from builders.validate import validate_paths


def _manifest(release):
    return json.loads((release / "manifest.json").read_text())


def test_manifest_lists_every_file_and_what_built_it(tmp_path):
    result = release_into(tmp_path / "dist", SEEDS, version="0.1.0")
    manifest = _manifest(result.target)
    on_disk = {
        p.relative_to(result.target).as_posix()
        for p in result.target.rglob("*")
        if p.is_file() and p.name not in ("manifest.json", "manifest.sha256")
    }
    assert set(manifest["files"]) == on_disk
    # the manifest's own checksum, in sha256sum format, beside it
    sidecar = (result.target / "manifest.sha256").read_text()
    assert sidecar == f"{file_sha256(result.target / 'manifest.json')}  manifest.json\n"
    for rel, entry in manifest["files"].items():
        assert entry["sha256"] == file_sha256(result.target / rel)
    assert manifest["counts"] == {
        **{config: result.counts[config] for config in CONFIGS},
        "quarantined": 0,
    }
    assert manifest["splits"]["clusters"] == 1 and manifest["agreement"]["span_pairs"] == 0
    assert manifest["detectors"]["quote"] == QuoteDetector.version
    assert "taxonomy.json" in manifest["inputs"]["rules"]["by_file"]
    assert manifest["inputs"]["seeds"]["files"] == len(list(SEEDS.glob("*")))
    assert manifest["code"]["git_commit"] == code_revision()["git_commit"]
    assert validate_paths([result.target]) == []


def test_code_revision_outside_a_git_checkout(tmp_path):
    assert code_revision(tmp_path) == {
        "git_commit": None,
        "dirty": None,
        "note": "not a git checkout",
    }


def test_input_fingerprint_follows_seeds_and_snapshots(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    plain = _manifest(release_into(tmp_path / "a", seeds, version="1.0.0").target)["inputs"]
    first = ARTICLES[0]
    snapshot = write_snapshot(
        tmp_path / "annotations",
        [annotation(first["id"], first["text"], "Nikt", "HEDGE", [])],
    )
    annotated = release_into(tmp_path / "b", seeds, annotations=snapshot, version="1.0.0")
    inputs = _manifest(annotated.target)["inputs"]
    assert inputs["seeds"] == plain["seeds"]
    assert inputs["annotations"]["by_file"].keys() == {"snapshot.jsonl"}
    assert inputs["fingerprint"] != plain["fingerprint"]
    write_seeds(seeds, ARTICLES[:2])
    fewer = _manifest(release_into(tmp_path / "c", seeds, version="1.0.0").target)["inputs"]
    assert fewer["seeds"]["sha256"] != plain["seeds"]["sha256"]


def test_rebuilding_the_same_inputs_is_byte_identical(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    snapshot = write_snapshot(
        tmp_path / "annotations",
        [
            annotation(
                "a1",
                ARTICLES[0]["text"],
                "Nikt",
                "HEDGE",
                [{"target": "Rosja", "stance": "against"}],
            )
        ],
    )
    first = release_into(tmp_path / "one", seeds, annotations=snapshot, version="2.0.0")
    second = release_into(tmp_path / "two", seeds, annotations=snapshot, version="2.0.0")
    one, two = tree_bytes(first.target), tree_bytes(second.target)
    assert {"articles/train.parquet", "README.md", "CHANGELOG.md", "manifest.json"} <= set(one)
    assert one == two  # parquet, card, changelog and (same commit) manifest


def test_tampered_release_fails_validation(tmp_path, capsys):
    release = release_into(tmp_path / "dist", SEEDS, version="0.1.0").target
    card = release / "README.md"
    card.write_text(card.read_text() + "\nedited after release\n")
    (release / "extra.txt").write_text("smuggled")
    found = validate_paths([release])
    assert [(v.record, v.message) for v in found] == [
        ("README.md", "sha256 differs from the manifest"),
        ("extra.txt", "file not listed in the manifest"),
    ]
    assert main(["validate", str(release)]) == 1
    assert "sha256 differs" in capsys.readouterr().out


class MisplacedSpanDetector(QuoteDetector):
    """A (deliberately) broken detector: its spans' text is not what the offsets point at."""

    name = "misplaced"

    def detect(self, document: Document) -> list[Span]:
        return [
            Span(
                f"{document.article.article_id}-bad",
                document.article.article_id,
                None,
                0,
                4,
                "zzzz",
                "QUOTE",
                "prelabel",
                self.source,
            ),
        ]


def test_invalid_record_refuses_the_release_with_the_violations(tmp_path, monkeypatch):
    monkeypatch.setattr(
        "builders.build.default_detectors", lambda: [QuoteDetector(), MisplacedSpanDetector()]
    )
    with pytest.raises(ReleaseRefused) as refused:
        release_into(tmp_path / "dist", SEEDS, version="0.1.0")
    (violation,) = refused.value.violations
    assert violation.record == f"{SEED_ID}-bad" and violation.pointer == "/start"
    assert "not 'zzzz'" in violation.message
    assert f"{SEED_ID}-bad" in str(refused.value)
    assert not (tmp_path / "dist" / "agitprop-news" / "0.1.0").exists()
    assert not list((tmp_path / "dist" / "agitprop-news").glob(".*"))


def test_an_annotation_pulled_twice_is_counted_once(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES[:1])
    record = annotation("a1", ARTICLES[0]["text"], "Nikt", "HEDGE", [])
    # the same annotation twice (two overlapping snapshot files) would vote twice and give
    # the same span id twice: the repeat is quarantined by name, the first is released
    snapshots = write_snapshot(tmp_path / "annotations", [record, record])
    result = release_into(tmp_path / "dist", seeds, annotations=snapshots, version="0.1.0")
    (row,) = result.quarantine
    assert (row.code, row.line, row.field) == ("duplicate_annotation", 2, "/annotation_id")
    assert "ls-a1 by annotator-0a1b2c3d appears again" in row.reason
    spans = [s for s in read_config(result.target, "spans") if s["origin"] == "annotation"]
    assert len(spans) == 1
