"""Detector warnings: counted by kind on stderr with the first few examples and the path of
``warnings.jsonl``, which lists every one of them and is a listed, validated release file."""

from __future__ import annotations

import json

from builders.cli import main
from builders.commands._inputs import WARNING_EXAMPLES
from builders.release.manifest import release_files
from builders.release.writer import WARNINGS
from builders.validate import validate_release

# per article: two quotes opened and never closed, one closing mark without an opening one
BROKEN = "Rzecznik powiedział „że nic.\n\nPotem dodał „i tyle.\n\nKoniec” tematu.\n"
GOOD = "Minister said: “We will never surrender.\nThe fight goes on.”\n\nHe left.\n"


def _seeds(tmp_path, articles: int):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    with (seeds / "articles.jsonl").open("w", encoding="utf-8") as handle:
        for number in range(articles):
            record = {"id": f"broken-{number}", "text": BROKEN, "language": "pl"}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        record = {"id": "good", "text": GOOD, "language": "en"}
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return seeds


def test_build_summarises_warnings_and_lists_them_all(tmp_path, capsys):
    seeds = _seeds(tmp_path, articles=5)
    out = tmp_path / "dist"
    arguments = ["build", "--seeds", str(seeds), "--out", str(out), "--quiet"]
    code = main([*arguments, "--annotations", str(tmp_path / "none")])
    _, err = capsys.readouterr()
    assert code == 0
    (target,) = list(out.glob("*/dev"))
    assert "warning: 15 detector warnings" in err
    assert "  10 unbalanced quotation mark" in err
    assert "  5 closing mark without opening" in err
    examples = [line for line in err.splitlines() if line.startswith("    broken-")]
    assert len(examples) == WARNING_EXAMPLES
    assert f"full list: {target / WARNINGS}" in err
    assert len(err.splitlines()) < 15  # a summary, not one line per warning

    records = [json.loads(line) for line in (target / WARNINGS).read_text().splitlines()]
    assert len(records) == 15
    assert {r["article_id"] for r in records} == {f"broken-{n}" for n in range(5)}
    assert sorted((r["kind"], r["offset"]) for r in records if r["article_id"] == "broken-0") == [
        ("closing mark without opening", BROKEN.index("”")),
        ("unbalanced quotation mark", BROKEN.index("„")),
        ("unbalanced quotation mark", BROKEN.index("„", BROKEN.index("„") + 1)),
    ]
    assert WARNINGS in release_files(target)
    assert validate_release(target) == []


def test_a_warnings_line_breaking_its_schema_is_reported(tmp_path):
    seeds = _seeds(tmp_path, articles=1)
    out = tmp_path / "dist"
    none = str(tmp_path / "none")
    main(["build", "--seeds", str(seeds), "--out", str(out), "--quiet", "--annotations", none])
    (target,) = list(out.glob("*/dev"))
    path = target / WARNINGS
    path.write_text('{"kind": "x"}\n', encoding="utf-8")
    found = validate_release(target)
    assert any(v.file == str(path) and v.record == "line 1" for v in found)


def test_no_warnings_no_summary(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.jsonl").write_text(
        json.dumps({"id": "good", "text": GOOD, "language": "en"}) + "\n", encoding="utf-8"
    )
    out, none = str(tmp_path / "dist"), str(tmp_path / "none")
    main(["build", "--seeds", str(seeds), "--out", out, "--quiet", "--annotations", none])
    _, err = capsys.readouterr()
    assert "warning" not in err
    (target,) = list((tmp_path / "dist").glob("*/dev"))
    assert (target / WARNINGS).read_text() == ""
