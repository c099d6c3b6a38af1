"""Ingest: seeds become articles; every bad input is quarantined with file, line and reason."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES, build_into, read_config

from builders.build import StrictModeError
from builders.ingest import SeedReader, normalize_text

BAD = FIXTURES / "bad"


def test_normalisation_is_recorded_and_done_before_offsets():
    text, applied = normalize_text("\ufeffA\r\nB\rC e\u0301")
    assert text == "A\nB\nC é"
    assert applied == ("bom_removed", "crlf_to_lf", "cr_to_lf", "nfc")
    assert normalize_text("już znormalizowany")[1] == ()


def test_jsonl_fields_and_default_language():
    reader = SeedReader([FIXTURES / "good"], default_language="en")
    articles = {a.article_id: a for a in reader.run()}
    crlf = articles["crlf-emoji"]
    assert crlf.language == "pl" and crlf.outlet == "Fixture" and crlf.published == "2026-11-01"
    assert "\r" not in crlf.text and crlf.normalization == ("crlf_to_lf",)
    assert crlf.source_file == "articles.jsonl:1"
    nfd = articles["nfd-text"]
    assert nfd.language == "en"  # no language in the record: the configured default
    assert nfd.normalization == ("nfc",) and nfd.text.startswith("Zażółć")
    assert reader.quarantine == []


@pytest.mark.parametrize(
    ("case", "file", "line", "field", "code", "reason_part"),
    [
        ("not_utf8", "cp1250.txt", 1, None, "not_utf8", "not valid UTF-8: byte 0xbf"),
        ("binary", "archive.txt", 1, None, "binary_file", "binary file"),
        ("empty_text", "blank.txt", None, "/text", "empty_text", "empty text"),
        ("empty_text", "articles.jsonl", 1, "/text", "empty_text", "should be non-empty"),
        ("malformed_jsonl", "articles.jsonl", 2, None, "malformed_json", "malformed JSON"),
        ("missing_id", "articles.jsonl", 1, "/id", "missing_id", "missing required field 'id'"),
        ("duplicate_id", "articles.jsonl", 2, "/id", "duplicate_id", "duplicate id 'same'"),
        ("unsafe_id", "articles.jsonl", 1, "/id", "unsafe_id", "would escape a directory"),
        (
            "wrong_type",
            "articles.jsonl",
            1,
            "/text",
            "schema_violation",
            "12345 is not of type 'string'",
        ),
        ("wrong_type", "articles.jsonl", 2, "/published", "schema_violation", "is not a 'date'"),
    ],
)
def test_bad_input_is_quarantined_with_file_line_and_reason(
    tmp_path, case, file, line, field, code, reason_part
):
    result = build_into(tmp_path, BAD / case)
    rows = [q for q in result.quarantine if q.file.endswith(file) and q.line == line]
    assert len(rows) == 1, result.quarantine
    row = rows[0]
    assert (row.field, row.code) == (field, code)
    assert reason_part in row.reason
    # the report in the build output lists it too, and says where
    report = [json.loads(x) for x in (result.target / "quarantine.jsonl").read_text().splitlines()]
    assert {"file": row.file, "line": line, "code": code} in [
        {k: r[k] for k in ("file", "line", "code")} for r in report
    ]


def test_good_lines_around_a_bad_one_are_kept(tmp_path):
    result = build_into(tmp_path, BAD / "malformed_jsonl")
    ids = [a["article_id"] for a in read_config(result.target, "articles")]
    assert ids == ["ok-1", "ok-2"]
    assert len(result.quarantine) == 1
    assert result.quarantine[0].raw.startswith('{"id": "broken"')  # the line is kept whole
    assert "1 quarantined" in result.summary()


def test_duplicate_keeps_the_first_and_names_it(tmp_path):
    result = build_into(tmp_path, BAD / "duplicate_id")
    (article,) = read_config(result.target, "articles")
    assert article["text"] == "Pierwsza wersja."
    assert "first seen in" in result.quarantine[0].reason and ":1" in result.quarantine[0].reason


def test_unsupported_file_is_reported(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "notes.md").write_text("# not an article\n")
    result = build_into(tmp_path, seeds)
    assert [q.code for q in result.quarantine] == ["unsupported_file"]


def test_strict_mode_fails_and_writes_no_release(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(BAD / "unsafe_id", seeds)
    with pytest.raises(StrictModeError, match="would escape a directory"):
        build_into(tmp_path, seeds, strict=True)
    assert not (tmp_path / "dist").exists() or not any((tmp_path / "dist").rglob("*.parquet"))
