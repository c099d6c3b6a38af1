"""Byte-identical releases across processes: string hashing is salted per process
(PYTHONHASHSEED), so two runs in one process cannot show that set or dict order never reaches
the output. Two separate processes with different seeds and job counts must write the same
bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import FIXTURES, SEED_ID, SEEDS, as_corpus_project
from release_support import ARTICLES, annotation, tree_bytes, write_seeds, write_snapshot


def _release(tmp_path, out, seeds, annotations, hash_seed: str, jobs: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    as_corpus_project(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "builders",
            "release",
            "--version",
            "1.0.0",
            "--seeds",
            str(seeds),
            "--annotations",
            str(annotations),
            "--out",
            str(out),
            "--jobs",
            jobs,
            "--quiet",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr


def test_releases_from_processes_with_different_hash_seeds_are_byte_identical(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    shutil.copy(SEEDS / f"{SEED_ID}.txt", seeds)
    # near-duplicate reprints: story clustering (sets of shingles) decides the splits
    shutil.copy(FIXTURES / "splits" / "near_duplicates.jsonl", seeds)
    annotations = write_snapshot(
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
    _release(tmp_path, tmp_path / "one", seeds, annotations, hash_seed="1", jobs="1")
    _release(tmp_path, tmp_path / "two", seeds, annotations, hash_seed="2", jobs="2")
    one = tree_bytes(tmp_path / "one" / "agitprop-news" / "1.0.0")
    two = tree_bytes(tmp_path / "two" / "agitprop-news" / "1.0.0")
    assert {"articles/train.parquet", "spans/train.parquet", "manifest.json"} <= set(one)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
