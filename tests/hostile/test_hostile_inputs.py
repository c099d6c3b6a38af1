"""Hostile seeds: every entry of the seeds folder is read or refused by name, nothing outside it
is read, and one bad input never stops the others from being built."""

from __future__ import annotations

import json
import os

import pytest
from conftest import SEED_ID, SEEDS, build_into, read_config

from builders.cli import main
from builders.ingest import SeedReader
from builders.validate import validate_paths

SEED_TEXT = (SEEDS / f"{SEED_ID}.txt").read_text(encoding="utf-8")


def _quarantine(result) -> dict[str, list]:
    by_code: dict[str, list] = {}
    for row in result.quarantine:
        by_code.setdefault(row.code, []).append(row)
    return by_code


def _articles(release) -> dict[str, dict]:
    return {row["article_id"]: row for row in read_config(release, "articles")}


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "good.txt").write_text(SEED_TEXT, encoding="utf-8")
    return folder


def test_symlinks_out_of_the_seeds_folder_are_refused_by_name(tmp_path, seeds):
    (seeds / "passwd.txt").symlink_to("/etc/passwd")
    outside = tmp_path / "outside.txt"
    outside.write_text("Tajny tekst spoza folderu.", encoding="utf-8")
    (seeds / "relative.txt").symlink_to("../outside.txt")
    result = build_into(tmp_path, seeds)
    refused = _quarantine(result)["outside_input_folder"]
    assert sorted(row.file.rsplit("/", 1)[1] for row in refused) == ["passwd.txt", "relative.txt"]
    assert all("leaves the input folder" in row.reason for row in refused)
    articles = _articles(result.target)
    assert set(articles) == {"good"}
    assert "root:" not in json.dumps(articles, ensure_ascii=False)


def test_every_entry_is_read_or_listed_with_a_reason(tmp_path, seeds):
    """7 entries in: 2 read, 3 quarantined, 2 ignored by rule (hidden), each counted."""
    (seeds / "sub" / ".git").mkdir(parents=True)
    (seeds / "sub" / "two.txt").write_text("Ala ma kota. Kot ma Alę.", encoding="utf-8")
    (seeds / "sub" / ".git" / "config.txt").write_text("[core]", encoding="utf-8")
    (seeds / ".hidden.txt").write_text("Ukryty tekst.", encoding="utf-8")
    (seeds / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (seeds / "linked").symlink_to(seeds / "sub", target_is_directory=True)
    os.mkfifo(seeds / "pipe.txt")  # reading a FIFO would hang the build
    reader = SeedReader([seeds])
    ids = sorted(article.article_id for article in reader.run())
    assert ids == ["good", "two"]
    codes = sorted((row.file.rsplit("/", 1)[1], row.code) for row in reader.quarantine)
    assert codes == [
        ("dangling.txt", "dangling_symlink"),
        ("linked", "symlinked_folder"),
        ("pipe.txt", "not_a_regular_file"),
    ]
    assert reader.ignored == [".hidden.txt", "sub/.git"]


def test_ignored_entries_are_counted_on_stderr(tmp_path, seeds, capsys):
    (seeds / ".hidden.txt").write_text("Ukryty tekst.", encoding="utf-8")
    code = main(_build_args(tmp_path, seeds))
    assert code == 0
    assert "ignored by rule: 1 hidden entry (.hidden.txt)" in capsys.readouterr().err


def _build_args(tmp_path, seeds, *more):
    return [
        "build",
        "--seeds",
        str(seeds),
        "--out",
        str(tmp_path / "dist"),
        "--annotations",
        str(tmp_path / "none"),
        "--quiet",
        "--jobs",
        "1",
        *more,
    ]


@pytest.mark.parametrize("field", ["text", "title"])
def test_a_lone_surrogate_is_quarantined_and_the_rest_built(tmp_path, seeds, field):
    record = {"id": "broken", "text": "Zdanie jest tutaj."}
    record[field] = "Zdanie \ud800 tutaj."
    line = json.dumps(record)  # ASCII: the surrogate stays a \ud800 escape, as a scraper wrote it
    (seeds / "a.jsonl").write_text(line + "\n", encoding="utf-8")
    result = build_into(tmp_path, seeds)
    (row,) = _quarantine(result)["lone_surrogate"]
    assert (row.line, row.field, row.raw) == (1, f"/{field}", line)
    assert "U+D800 at character 7" in row.reason
    assert set(_articles(result.target)) == {"good"}
    found = validate_paths([seeds])
    assert [(v.pointer, "lone surrogate" in v.message) for v in found] == [(f"/{field}", True)]


def test_a_file_name_that_is_not_utf8_is_quarantined_and_the_rest_built(tmp_path, seeds):
    name = os.fsdecode(b"bad\xffname.txt")
    (seeds / name).write_text("Zdanie jest tutaj.", encoding="utf-8")
    result = build_into(tmp_path, seeds)
    (row,) = _quarantine(result)["invalid_file_name"]
    assert row.file.endswith("bad\\xffname.txt")  # printable, and writable as UTF-8
    assert set(_articles(result.target)) == {"good"}
    lines = (result.target / "quarantine.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["code"] == "invalid_file_name"


def test_an_id_ending_in_a_newline_is_refused_by_a_full_match(tmp_path, seeds):
    (seeds / "nl\n.txt").write_text("Zdanie jest tutaj.", encoding="utf-8")
    (seeds / "a.jsonl").write_text(json.dumps({"id": "x\n", "text": "Tekst."}) + "\n")
    result = build_into(tmp_path, seeds)
    rows = _quarantine(result)["invalid_id"]
    assert sorted(row.field for row in rows) == ["(file name)", "/id"]
    assert all("\n" not in row.describe() for row in rows)  # one line each
    assert set(_articles(result.target)) == {"good"}


@pytest.mark.parametrize("depth", [1_000, 100])
def test_deeply_nested_json_is_quarantined_in_build_and_validate(tmp_path, seeds, depth):
    line = '{"id": "deep", "text": "Tekst.", "title": ' + "[" * depth + "]" * depth + "}"
    (seeds / "a.jsonl").write_text(line + "\n", encoding="utf-8")
    result = build_into(tmp_path, seeds)
    (row,) = _quarantine(result)["too_deep"]
    assert row.line == 1 and row.raw == line
    found = validate_paths([seeds])
    assert len(found) == 1 and "nested" in found[0].message
    snapshots = tmp_path / "annotations" / "snapshots"
    snapshots.mkdir(parents=True)
    (snapshots / "x.jsonl").write_text(line + "\n", encoding="utf-8")
    found = validate_paths([tmp_path / "annotations"])
    assert len(found) == 1 and "nested" in found[0].message
    data_file = tmp_path / "rules.json"  # a rules/data file naming its schema
    data_file.write_text('{"$schema": "taxonomy.schema.json", "labels": ' + line + "}")
    found = validate_paths([data_file])
    assert len(found) == 1 and "nested" in found[0].message


def test_an_article_over_max_article_chars_is_quarantined(tmp_path, seeds):
    from dataclasses import replace

    from builders.build import build
    from builders.config import load_config

    (seeds / "long.txt").write_text("Ala ma kota. " * 1000, encoding="utf-8")
    config = replace(load_config(), max_article_chars=len(SEED_TEXT))
    result = build(
        config, seeds=seeds, out=tmp_path / "dist", annotations=tmp_path / "none", progress=False
    )
    (row,) = _quarantine(result)["article_too_long"]
    assert row.file.endswith("long.txt") and "max_article_chars" in row.reason
    assert set(_articles(result.target)) == {"good"}


def test_quarantined_ids_keep_the_raw_line(tmp_path, seeds):
    lines = [
        json.dumps({"id": "../x", "text": "Tekst."}),
        json.dumps({"id": "bad id", "text": "Tekst."}),
        json.dumps({"id": "same", "text": "Tekst."}),
        json.dumps({"id": "same", "text": "Tekst."}),
    ]
    (seeds / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_into(tmp_path, seeds)
    raw = {row.code: row.raw for row in result.quarantine}
    assert raw == {"unsafe_id": lines[0], "invalid_id": lines[1], "duplicate_id": lines[3]}


def test_validate_seeds_finds_an_id_duplicated_across_files(tmp_path, seeds):
    (seeds / "a.jsonl").write_text(json.dumps({"id": "good", "text": "Tekst."}) + "\n")
    found = validate_paths([seeds])
    # a.jsonl is read first: the text file's name is the second use of the id
    assert [(v.file, v.message) for v in found] == [
        (str(seeds / "good.txt"), f"duplicate id 'good' (first seen in {seeds / 'a.jsonl'}:1)")
    ]


def test_validate_does_not_follow_a_symlink_out_of_the_folder(tmp_path, seeds):
    (seeds / "passwd.txt").symlink_to("/etc/passwd")
    found = validate_paths([seeds])
    assert len(found) == 1 and "leaves the input folder" in found[0].message
