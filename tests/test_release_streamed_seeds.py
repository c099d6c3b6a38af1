"""Releases read JSONL seeds line by line (memory flat with corpus size), yet a file that is
binary or not UTF-8 anywhere is still refused whole, naming the line, before any line is used."""

from __future__ import annotations

import json

from builders.ingest import SeedReader


def _jsonl(tmp_path, tail: bytes):
    good = [json.dumps({"id": f"a{i}", "text": "Zdanie pierwsze."}).encode() for i in range(2)]
    path = tmp_path / "articles.jsonl"
    path.write_bytes(b"\n".join([*good, tail]) + b"\n")
    return path


def _read(path):
    reader = SeedReader([path])
    return [a.article_id for a in reader.run()], reader.quarantine


def test_streamed_jsonl_yields_every_line(tmp_path):
    path = _jsonl(tmp_path, json.dumps({"id": "a2", "text": "Trzecie.\r"}).encode() + b"\r")
    articles, quarantine = _read(path)
    assert articles == ["a0", "a1", "a2"] and quarantine == []


def test_a_bad_byte_late_in_the_file_refuses_it_whole(tmp_path):
    articles, quarantine = _read(
        _jsonl(tmp_path, '{"id": "a2", "text": "Gdańsk"}'.encode("cp1250"))
    )
    assert articles == []
    (row,) = quarantine
    assert (row.code, row.line) == ("not_utf8", 3)
    assert "byte 0xf1" in row.reason


def test_a_nul_byte_refuses_it_as_binary(tmp_path):
    articles, quarantine = _read(_jsonl(tmp_path, b'{"id": "a2", "text": "x\x00"}'))
    assert articles == []
    (row,) = quarantine
    assert (row.code, row.line) == ("binary_file", 3)
