"""The loading examples a researcher copies, from the README and from a release's dataset card,
run as written on what ``make build`` makes of the shipped seeds (whose one article lands in
``validation``: an example that assumes ``train`` fails here)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES, SEEDS, build_into

from builders.build import build
from builders.config import load_config
from builders.paths import REPO_ROOT

PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
# where the examples point: the README at dist/<name>/<dev or X.Y.Z>, the card at a placeholder
README_PATH = re.compile(r"dist/agitprop-news/[A-Za-z0-9.+-]+")
CARD_PLACEHOLDER = "<path or Hub repo of this release>"


def loading_examples(markdown: str) -> list[str]:
    return [block for block in PYTHON_BLOCK.findall(markdown) if "load_dataset" in block]


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory) -> Path:
    target = build_into(tmp_path_factory.mktemp("examples"), SEEDS).target
    assert target.parts[-3:] == ("dist", "agitprop-news", "dev")  # what `make build` writes
    return target


@pytest.fixture(autouse=True)
def datasets_cache(tmp_path, monkeypatch):
    """The examples call load_dataset without cache_dir: keep their cache in the test's folder."""
    import datasets

    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))


def _run(code: str) -> dict:
    namespace: dict = {"__name__": "__example__"}
    exec(compile(code, "<example>", "exec"), namespace)  # noqa: S102 - the documented example
    return namespace


def test_the_readme_loading_example_runs_on_make_build_output(seed_build):
    examples = loading_examples((REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    assert examples, "the README has a python block that calls load_dataset"
    for code in examples:
        assert README_PATH.search(code), code
        _run(README_PATH.sub(seed_build.as_posix(), code))


def test_the_cards_loading_example_runs_on_its_release(seed_build):
    examples = loading_examples((seed_build / "README.md").read_text(encoding="utf-8"))
    assert len(examples) == 1
    (code,) = examples
    assert CARD_PLACEHOLDER in code
    _run(code.replace(CARD_PLACEHOLDER, seed_build.as_posix()))
    assert '"train"' not in code  # the seed has no train rows: the card names only its splits


def test_the_cards_example_names_the_splits_each_config_has(tmp_path):
    """Stories spread over several splits, the spans in fewer of them than the articles: each
    line of the card's example names the splits that config loads with."""
    config = load_config()
    splits = {"train": 0.4, "validation": 0.3, "test": 0.3}
    config = replace(config, extra={**config.extra, "splits": splits})
    empty = tmp_path / "no-annotations"
    empty.mkdir()
    target = build(
        config, seeds=FIXTURES / "splits", annotations=empty, out=tmp_path / "dist", progress=False
    ).target
    (code,) = loading_examples((target / "README.md").read_text(encoding="utf-8"))
    namespace = _run(code.replace(CARD_PLACEHOLDER, target.as_posix()))
    named = dict(re.findall(r'^(\w+) = load_dataset\(path, "\w+"\)  # splits: (.*)$', code, re.M))
    assert len(named) >= 3 and len(set(named.values())) > 1, code  # not the same everywhere
    for name, listed in named.items():
        assert list(namespace[name]) == listed.split(", "), name
