"""Public corpora in and out: PTC and SemEval-2023 label files survive import → release → export
byte for byte; a Label Studio export becomes snapshots the build accepts with exact offsets; bad
lines are clear errors; techniques without a taxonomy label are kept, under their own names.

The corpora are generated (tests/corpora_synthetic.py): the real ones may not be redistributed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import read_config
from corpora_synthetic import write_ptc, write_semeval2023

from builders.corpora.text import CorpusText
from builders.paths import REPO_ROOT


def cli(*args, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "AGITPROP_PSEUDONYM_SALT": "test-salt"}
    done = subprocess.run(
        [sys.executable, "-m", "builders", *map(str, args)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


def import_and_release(tmp_path: Path, source: str, corpus: Path) -> tuple[Path, str]:
    seeds, annotations = tmp_path / "seeds", tmp_path / "annotations"
    summary = cli("import", source, corpus, "--seeds", seeds, "--annotations", annotations).stdout
    done = cli(
        "release", "--version", "1.0.0", "--seeds", seeds, "--annotations", annotations,
        "--out", tmp_path / "dist", "--quiet", "--jobs", "1",
    )  # fmt: skip
    assert "0 quarantined" in done.stdout, done.stdout + done.stderr
    return tmp_path / "dist" / "agitprop-news" / "1.0.0", summary


def label_files(root: Path, pattern: str) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob(pattern))
        if p.is_file()
    }


def test_ptc_round_trip_is_byte_identical(tmp_path):
    corpus = write_ptc(tmp_path / "ptc", articles=16)
    # label files as hand-edited ones come: CRLF line ends, no newline after the last line
    crlf, unterminated = sorted((corpus / "train-labels-task-flc-tc").iterdir())[1:3]
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
    unterminated.write_bytes(unterminated.read_bytes().rstrip(b"\n"))
    assert b"\r\n" in crlf.read_bytes() and not unterminated.read_bytes().endswith(b"\n")
    release, summary = import_and_release(tmp_path, "ptc", corpus)
    out = tmp_path / "exported"
    cli("export", "ptc", release, out)

    original = label_files(corpus, "*.labels")
    exported = label_files(out, "article*.labels")
    assert exported == original
    assert len(original) == 32  # every train article, both tasks, empty files included
    assert any(content == b"" for content in original.values())
    # the split's one-file form is the per-article files in file-name order
    joined = b"".join(v for k, v in original.items() if k.startswith("train-labels-task-flc-tc/"))
    assert (out / "train-task-flc-tc.labels").read_bytes() == joined
    assert "kept as CORPUS_SPAN under their own names" in summary


def test_ptc_crlf_article_keeps_raw_seed_and_exact_offsets(tmp_path):
    corpus = write_ptc(tmp_path / "ptc", articles=6)
    release, _ = import_and_release(tmp_path, "ptc", corpus)
    raw = (corpus / "train-articles" / "article700001000.txt").read_bytes().decode("utf-8")
    assert "\r\n" in raw  # the generator's CRLF article
    seed = [
        json.loads(line)
        for line in (tmp_path / "seeds" / "ptc" / "train.jsonl").read_text("utf-8").splitlines()
    ]
    assert {"id": "ptc-train-700001000", "language": "en", "text": raw} in seed
    articles = {a["article_id"]: a for a in read_config(release, "articles")}
    article = articles["ptc-train-700001000"]
    assert article["text"] == raw.replace("\r\n", "\n")
    assert "crlf_to_lf" in article["normalization"]
    spans = [s for s in read_config(release, "spans") if s["article_id"] == article["article_id"]]
    imported = [s for s in spans if "corpus_start" in s["attributes"]]
    assert imported
    for span in imported:
        attributes = span["attributes"]
        assert article["text"][span["start"] : span["end"]] == span["text"]
        # the corpus offsets count the \r of each CRLF; the released ones do not
        raw_text = raw[attributes["corpus_start"] : attributes["corpus_end"]]
        assert raw_text.replace("\r\n", "\n") == span["text"]


@pytest.mark.parametrize("per_article", [True, False], ids=["file-per-article", "file-per-split"])
def test_semeval2023_round_trip_is_byte_identical(tmp_path, per_article):
    corpus = write_semeval2023(tmp_path / "bundle" / "data", articles=8, per_article=per_article)
    release, summary = import_and_release(tmp_path, "semeval2023", tmp_path / "bundle")
    out = tmp_path / "exported"
    cli("export", "semeval2023", release, out)

    pattern = "*labels-subtask-3*"
    original = {k: v for k, v in label_files(corpus, pattern).items() if not k.startswith("fr/")}
    assert label_files(out, pattern) == original
    assert len(original) == (18 if per_article else 4)  # en + po: spans, paragraph labels
    assert "fr: 9 articles not imported: no segmentation rules for 'fr'" in summary
    snapshot = tmp_path / "annotations" / "snapshots" / "semeval2023"
    record = json.loads(next(snapshot.glob("semeval2023-po-*.jsonl")).read_text("utf-8"))
    assert record["origin"] == "semeval2023@task3"
    assert record["article_labels"]["semeval2023_frames"] == ["Political", "Security_and_defense"]


def test_unmapped_techniques_survive_under_their_own_names(tmp_path):
    corpus = write_ptc(tmp_path / "ptc", articles=10)
    release, _ = import_and_release(tmp_path, "ptc", corpus)
    given = {}
    for path in (corpus / "train-labels-task-flc-tc").iterdir():
        for line in path.read_text("utf-8").splitlines():
            given[line] = line.split("\t")[1]
    kept = {}
    for span in read_config(release, "spans"):
        attributes = span["attributes"]
        if span["origin"] == "annotation" and attributes.get("corpus_task") == "tc":
            kept[attributes["corpus_label"]] = kept.get(attributes["corpus_label"], 0) + 1
            if attributes["corpus_label"] == "Flag-Waving":
                assert span["label"] == "CORPUS_SPAN"
            if attributes["corpus_label"] == "Name_Calling,Labeling":
                assert span["label"] == "EVALUATIVE"  # through the taxonomy's SemEval name
    distinct = {}
    for technique in given.values():
        distinct[technique] = distinct.get(technique, 0) + 1
    assert kept == distinct  # every distinct line of every technique, none dropped
    gold = [s for s in read_config(release, "spans") if s["origin"] == "gold"]
    assert {s["label"] for s in gold} >= {"CORPUS_SPAN", "EVALUATIVE"}


def test_snapshot_label_outside_the_taxonomy_is_quarantined_not_a_crash(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.jsonl").write_text(
        json.dumps({"id": "x1", "language": "en", "text": "They wave flags here."}) + "\n"
    )
    snapshots = tmp_path / "annotations" / "snapshots"
    snapshots.mkdir(parents=True)
    record = {
        "annotation_id": "c-1", "article_id": "x1", "annotator": "annotator-0a1b2c3d",
        "origin": "mine@1", "ground_truth": True, "stances": [],
        "spans": [{"start": 5, "end": 9, "text": "wave", "label": "FLAG_WAVING"}],
    }  # fmt: skip
    (snapshots / "x.jsonl").write_text(json.dumps(record) + "\n")
    done = cli(
        "build", "--seeds", seeds, "--annotations", tmp_path / "annotations",
        "--out", tmp_path / "dist", "--quiet", "--jobs", "1",
    )  # fmt: skip
    assert "1 quarantined" in done.stdout
    assert "'FLAG_WAVING' is not in the taxonomy" in done.stderr and "unknown_label" in done.stderr


def labelstudio_export() -> list[dict]:
    text = "Putin 🙂 said:\r\n„reżim kijowski” is a threat.\r\nThey wave flags."
    # Label Studio's front end counts UTF-16 units: after the emoji its offsets run one ahead
    start = text.index("reżim")
    return [
        {
            "id": 7,
            "data": {"text": text},
            "annotations": [
                {
                    "id": 31,
                    "completed_by": {"id": 2, "email": "anna@example.org"},
                    "ground_truth": True,
                    "lead_time": 12.5,
                    "result": [
                        {
                            "id": "r1",
                            "type": "labels",
                            "from_name": "label",
                            "to_name": "text",
                            "value": {
                                "start": start + 1,
                                "end": start + 15,
                                "text": "reżim kijowski",
                                "labels": ["REGIME_TERM"],
                            },
                        },
                        {
                            "id": "r2",
                            "type": "labels",
                            "from_name": "label",
                            "to_name": "text",
                            "value": {
                                "start": text.index("wave") + 1,
                                "end": text.index("wave") + 11,
                                "text": "wave flags",
                                "labels": ["Flag_Waving", "Slogans"],
                            },
                        },
                        {
                            "id": "c",
                            "type": "choices",
                            "from_name": "genre",
                            "to_name": "text",
                            "value": {"choices": ["news"]},
                        },
                    ],
                },  # fmt: skip
                {"id": 32, "completed_by": 3, "was_cancelled": True, "result": []},
            ],
            "predictions": [{"id": 1, "result": []}],
        }
    ]


def test_labelstudio_export_imports_with_exact_offsets(tmp_path):
    export = tmp_path / "Project 4 export.json"
    export.write_text(json.dumps(labelstudio_export(), ensure_ascii=False), encoding="utf-8")
    release, summary = import_and_release(tmp_path, "labelstudio", export)
    assert "1 cancelled annotations not imported" in summary and "1 predictions" in summary

    snapshot = next((tmp_path / "annotations" / "snapshots" / "labelstudio").glob("*.jsonl"))
    record = json.loads(snapshot.read_text("utf-8"))
    assert record["origin"] == "labelstudio@project-4-export"
    assert "anna" not in snapshot.read_text("utf-8")  # pseudonymised
    text = CorpusText(labelstudio_export()[0]["data"]["text"]).text
    for span in record["spans"]:
        assert text[span["start"] : span["end"]] == span["text"]
    assert [(s["label"], s["attributes"]["corpus_label"]) for s in record["spans"]] == [
        ("REGIME_TERM", "REGIME_TERM"),
        ("CORPUS_SPAN", "Flag_Waving"),
        ("CORPUS_SPAN", "Slogans"),
    ]
    released = [s for s in read_config(release, "spans") if s["origin"] == "annotation"]
    assert sorted((s["text"], s["label"]) for s in released) == [
        ("reżim kijowski", "REGIME_TERM"),
        ("wave flags", "CORPUS_SPAN"),
        ("wave flags", "CORPUS_SPAN"),
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("700000000\tDoubt\t5\n", "expected 4 tab-separated fields"),
        ("700000000\tDoubt\tfive\t9\n", "are not integers"),
        ("700000000\tDoubt\t9\t5\n", "is empty or outside the article"),
        ("700000000\tDoubt\t5\t99999\n", "is empty or outside the article"),
        ("123\tDoubt\t5\t9\n", "article id '123' in a label file of '700000000'"),
        ("700000000\t\t5\t9\n", "is empty or padded"),
    ],
)
def test_bad_label_line_is_one_clear_error_and_nothing_is_written(tmp_path, line, reason):
    corpus = write_ptc(tmp_path / "ptc", articles=3)
    labels = corpus / "train-labels-task-flc-tc" / "article700000000.task-flc-tc.labels"
    before = labels.read_text("utf-8")
    labels.write_text(before + line, encoding="utf-8")
    number = before.count("\n") + 1
    seeds = tmp_path / "seeds"
    done = cli(
        "import", "ptc", corpus, "--seeds", seeds, "--annotations", tmp_path / "a", check=False
    )
    assert done.returncode == 1
    expected = f"ptc/train-labels-task-flc-tc/article700000000.task-flc-tc.labels:{number}: "
    assert expected in done.stderr and reason in done.stderr
    assert "nothing was written" in done.stderr and not seeds.exists()


def test_offset_inside_a_crlf_is_refused(tmp_path):
    corpus = write_ptc(tmp_path / "ptc", articles=3)
    article = (corpus / "train-articles" / "article700001000.txt").read_bytes().decode("utf-8")
    inside = article.index("\r\n") + 1
    labels = corpus / "train-labels-task-flc-tc" / "article700001000.task-flc-tc.labels"
    labels.write_text(f"700001000\tDoubt\t0\t{inside}\n", encoding="utf-8")
    done = cli("import", "ptc", corpus, "--annotations", tmp_path / "a", check=False)
    assert done.returncode == 1 and "article700001000.task-flc-tc.labels:1: offset" in done.stderr
    assert "has no offset in the released text" in done.stderr


def test_corpus_text_maps_offsets_both_ways():
    raw = "\ufeffAla\r\nma ko\u0301ta\rx\r\n"
    text = CorpusText(raw)
    assert text.text == "Ala\nma k\u00f3ta\nx\n"
    assert text.to_text(1) == 0 and text.to_raw(0) == 1  # the BOM is no text
    assert text.to_text(4) == 3 and text.to_text(5) is None  # before / inside the CRLF
    assert text.to_text(6) == 4 and text.to_raw(4) == 6
    assert text.to_text(10) == 8 and text.to_text(11) is None  # o + combining acute = ó
    assert text.to_text(12) == 9 and text.to_raw(9) == 12
    assert text.to_text(len(raw)) == len(text.text) and text.to_raw(len(text.text)) == len(raw)


def test_gold_spans_export_for_the_scorer_maps_offsets_back_to_the_corpus_files(tmp_path):
    corpus = write_ptc(tmp_path / "ptc", articles=8)
    release, _ = import_and_release(tmp_path, "ptc", corpus)
    refused = cli("export", "ptc", release, tmp_path / "refused", "--spans", "gold", check=False)
    assert refused.returncode == 1 and "give the corpus folder (--corpus DIR)" in refused.stderr

    out = tmp_path / "gold"
    done = cli("export", "ptc", release, out, "--spans", "gold", "--corpus", corpus)
    assert "not written (no technique name in this format): CORPUS_SPAN" in done.stdout
    # the techniques with a taxonomy label come back as the corpus wrote them, CRLF articles too
    mapped = {"Doubt", "Loaded_Language", "Appeal_to_Authority", "Name_Calling,Labeling"}
    given = {
        line
        for path in (corpus / "train-labels-task-flc-tc").iterdir()
        for line in path.read_text("utf-8").splitlines()
        if line.split("\t")[1] in mapped
    }
    exported = {
        line
        for path in (out / "train-labels-task-flc-tc").iterdir()
        for line in path.read_text("utf-8").splitlines()
    }
    assert given and exported == given


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[{]", ":1: not JSON"),
        ('{"data": {}}', "expected a JSON list of tasks"),
        ('[{"id": 1, "data": {}}]', "task #0 (id 1): no data.text"),
        (
            '[{"id": 1, "data": {"text": "Ala ma kota."}, "annotations": [{"id": 9, "result": '
            '[{"id": "r", "type": "labels", "value": {"start": 0, "end": 3, "text": "Ola", '
            '"labels": ["HEDGE"]}}]}]}]',
            "task #0 (id 1) annotation 9 region 'r': 'Ola' at 0..3 is not in the task text",
        ),
    ],
)
def test_bad_labelstudio_export_is_one_clear_error(tmp_path, content, reason):
    export = tmp_path / "export.json"
    export.write_text(content, encoding="utf-8")
    seeds = tmp_path / "seeds"
    annotations = tmp_path / "a"
    args = ("import", "labelstudio", export, "--seeds", seeds, "--annotations", annotations)
    done = cli(*args, check=False)
    assert done.returncode == 1 and reason in done.stderr and not seeds.exists()


def test_semeval2023_span_line_of_an_unknown_article_names_file_and_line(tmp_path):
    corpus = write_semeval2023(tmp_path / "data", articles=3, per_article=False)
    spans = corpus / "en" / "train-labels-subtask-3-spans.txt"
    lines = spans.read_text("utf-8").count("\n")
    spans.write_text(spans.read_text("utf-8") + "42\tDoubt\t0\t3\n", encoding="utf-8")
    done = cli("import", "semeval2023", tmp_path, "--annotations", tmp_path / "a", check=False)
    assert done.returncode == 1
    assert f"en/train-labels-subtask-3-spans.txt:{lines + 1}: article id '42'" in done.stderr
