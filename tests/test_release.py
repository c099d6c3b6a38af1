"""Release: parquet configs and a card that ``datasets.load_dataset`` loads with types."""

from __future__ import annotations

from conftest import SEED_ID, SEEDS, build_into, load_release
from datasets import ClassLabel, List, Value

from builders.build import build
from builders.config import load_config
from builders.validate import validate_paths

EXPECTED_COLUMNS = {
    "articles": ["article_id", "text", "language", "title", "url", "outlet", "published"],
    "sentences": ["sentence_id", "article_id", "index", "start", "end", "text", "kind"],
    "spans": [
        "span_id",
        "article_id",
        "sentence_id",
        "start",
        "end",
        "text",
        "label",
        "origin",
        "source",
        "attributes",
    ],
}


def _load(release, config, tmp_path):
    return load_release(release, config, tmp_path / "hf-cache")


def test_load_dataset_gives_columns_and_types(seed_release, tmp_path):
    for config, columns in EXPECTED_COLUMNS.items():
        data = _load(seed_release, config, tmp_path)
        assert set(columns) <= set(data.column_names), config
    articles = _load(seed_release, "articles", tmp_path)
    assert articles.features["language"] == ClassLabel(names=["pl", "en", "ru", "uk"])
    assert articles.features["normalization"] == List(Value("string"))
    assert articles[0]["article_id"] == SEED_ID
    sentences = _load(seed_release, "sentences", tmp_path)
    assert isinstance(sentences.features["kind"], ClassLabel)
    assert sentences.features["kind"].names == ["body", "title", "heading", "boilerplate"]
    assert sentences.features["start"] == Value("int32")
    spans = _load(seed_release, "spans", tmp_path)
    assert (
        isinstance(spans.features["label"], ClassLabel) and "QUOTE" in spans.features["label"].names
    )
    assert spans.features["origin"].names == ["prelabel", "annotation", "gold"]
    text = articles[0]["text"]
    for row in sentences:
        assert text[row["start"] : row["end"]] == row["text"]
    for row in spans:
        assert text[row["start"] : row["end"]] == row["text"]


def test_seed_quotes_are_prelabelled_exactly(seed_release, tmp_path):
    spans = _load(seed_release, "spans", tmp_path)
    quote = spans.features["label"].str2int("QUOTE")
    quotes = [row["text"] for row in spans if row["label"] == quote]
    assert "polegli w walkach o wyzwolenie terytorium Rosji" in quotes
    assert "bezwarunkowe" in quotes
    assert len(quotes) == 6
    assert all(row["source"].startswith("quote@") for row in spans if row["label"] == quote)


def test_release_validates_and_rebuild_is_byte_identical(tmp_path):
    first = build(load_config(), seeds=SEEDS, out=tmp_path / "a", progress=False)
    second = build(load_config(), seeds=SEEDS, out=tmp_path / "b", progress=False)
    assert validate_paths([first.target]) == []
    files = sorted(p.relative_to(first.target) for p in first.target.rglob("*") if p.is_file())
    assert files == sorted(
        p.relative_to(second.target) for p in second.target.rglob("*") if p.is_file()
    )
    for rel in files:
        assert (first.target / rel).read_bytes() == (second.target / rel).read_bytes(), rel


def test_cli_options_name_and_version(tmp_path):
    result = build_into(tmp_path, SEEDS, name="my-set", version="2.3.4")
    # `build` writes a development build: <out>/<name>/dev/, labelled <version>+dev
    assert result.target == tmp_path / "dist" / "my-set" / "dev"
    assert "Development build **2.3.4+dev**" in (result.target / "README.md").read_text()
