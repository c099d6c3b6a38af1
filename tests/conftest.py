"""Shared helpers: build a release from a folder of seeds into a temporary directory."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from builders.build import BuildResult, build
from builders.config import load_config
from builders.gold.splits import SPLITS
from builders.paths import REPO_ROOT
from builders.release.features import config_features, decode_row
from builders.release.writer import config_files
from builders.taxonomy import load_taxonomy

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = REPO_ROOT / "seeds"
SEED_ID = "000_fa55aadce6e6f1d2"

# The real Label Studio server fixture (`studio`) for test_sync*, test_studio*, test_ui*.
pytest_plugins = ["studio_server"]


def pytest_collection_modifyitems(config, items) -> None:
    """Every test that uses the live Label Studio server (the `studio` fixture, directly or
    through another fixture) is marked `studio`: `pytest -m "not studio"` is the fast suite."""
    for item in items:
        if "studio" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.studio)


# load_dataset must never reach for the Hub in tests.
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def as_corpus_project(folder: Path) -> Path:
    """Make ``folder`` a corpus project with this repository's settings, for the CLI run there
    (it finds its config from the current folder upward, as a user's run does)."""
    shutil.copy(REPO_ROOT / "pyproject.toml", folder / "pyproject.toml")
    return folder


def build_into(tmp_path: Path, seeds: Path, **kwargs) -> BuildResult:
    empty_annotations = tmp_path / "no-annotations"
    empty_annotations.mkdir(exist_ok=True)
    kwargs.setdefault("annotations", empty_annotations)
    return build(load_config(), seeds=seeds, out=tmp_path / "dist", progress=False, **kwargs)


def read_config(release: Path, config: str) -> list[dict]:
    """Every row of the config, all splits (train, validation, test in that order)."""
    features = config_features(config, load_taxonomy())
    rows = [
        row for file in config_files(release, config) for row in pq.read_table(file).to_pylist()
    ]
    return [decode_row(config, row, features) for row in rows]


def load_release(release: Path, config: str, cache_dir: Path):
    """``load_dataset(release, config)``: its splits concatenated in train, validation, test
    order (the order of :func:`read_config`)."""
    from datasets import concatenate_datasets, load_dataset

    splits = load_dataset(str(release), config, cache_dir=str(cache_dir))
    return concatenate_datasets([splits[s] for s in SPLITS if s in splits])


@pytest.fixture
def seed_release(tmp_path) -> Path:
    return build_into(tmp_path, SEEDS).target
