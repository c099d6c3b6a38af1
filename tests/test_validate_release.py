"""``agitprop validate`` on a release: rows checked against their article's split, order and text
while walking the files (memory flat with the release), duplicate ids found across splits."""

from __future__ import annotations

from dataclasses import replace

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES

from builders.build import build
from builders.config import load_config
from builders.validate import validate_paths

RATIOS = {"train": 0.4, "validation": 0.3, "test": 0.3}  # the fixture's stories in every split


@pytest.fixture
def release(tmp_path):
    config = replace(load_config(), extra={**load_config().extra, "splits": RATIOS})
    empty = tmp_path / "no-annotations"
    empty.mkdir()
    seeds = FIXTURES / "splits"
    built = build(config, seeds=seeds, annotations=empty, out=tmp_path / "dist", progress=False)
    assert not validate_paths([built.target])
    return built.target


def _table(release, config, split):
    return pq.read_table(release / config / f"{split}.parquet")


def _write(release, config, split, table):
    path = release / config / f"{split}.parquet"
    pq.write_table(table.cast(pq.read_schema(path)), path)


def _messages(release, file):
    return [(v.record, v.message) for v in validate_paths([release]) if v.file.endswith(file)]


def test_a_row_moved_to_another_split_is_reported_with_its_articles_split(release):
    splits = sorted(p.stem for p in (release / "sentences").glob("*.parquet"))
    source, target = splits[0], splits[1]
    moved = _table(release, "sentences", source).slice(0, 1)
    _write(
        release,
        "sentences",
        target,
        pa.concat_tables([_table(release, "sentences", target), moved]),
    )
    found = _messages(release, f"sentences/{target}.parquet")
    assert any(m == f"its article is in split {source!r}" for _, m in found), found


def test_rows_out_of_their_articles_order_are_reported(release):
    split = max(
        (p.stem for p in (release / "sentences").glob("*.parquet")),
        key=lambda s: len(set(_table(release, "sentences", s).column("article_id").to_pylist())),
    )
    rows = _table(release, "sentences", split)
    articles = rows.column("article_id").to_pylist()
    assert articles[0] != articles[-1]  # at least two articles in the file
    first_of_last = articles.index(articles[-1])
    reordered = pa.concat_tables([rows.slice(first_of_last), rows.slice(0, first_of_last)])
    _write(release, "sentences", split, reordered)
    found = _messages(release, f"sentences/{split}.parquet")
    assert any("out of order" in m for _, m in found), found
    # the walk recovers: only the rows that came back to an earlier article are reported
    assert sum("out of order" in m for _, m in found) < len(articles)


def test_duplicate_ids_across_splits_and_unknown_articles_are_reported(release):
    one, other = sorted(p.stem for p in (release / "sentences").glob("*.parquet"))[:2]
    first, second = _table(release, "sentences", one), _table(release, "sentences", other)
    # a copy of one split's row, moved under an article of the other split: only its id is wrong
    duplicate = first.slice(0, 1).set_column(
        1, "article_id", pa.array([second.column("article_id")[-1].as_py()])
    )
    orphan = second.slice(0, 1).set_column(0, "sentence_id", pa.array(["nobody-s0000"]))
    orphan = orphan.set_column(1, "article_id", pa.array(["nobody"]))
    _write(release, "sentences", other, pa.concat_tables([second, duplicate, orphan]))
    found = _messages(release, f"sentences/{other}.parquet")
    key = first.column("sentence_id")[0].as_py()
    assert (f"row {second.num_rows} ({key})", "duplicate id") in found
    assert (f"row {second.num_rows + 1} (nobody-s0000)", "no such article in the release") in found
