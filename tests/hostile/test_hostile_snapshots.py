"""Tampered and stale annotation snapshots: every judgement lands on exactly what the annotator
judged, or is refused by name (file, line, field, annotation and annotator, reason), counted,
listed in quarantine.jsonl and fatal under --strict. Never attached anywhere else."""

from __future__ import annotations

import hashlib
import json

import pytest
from conftest import build_into, read_config
from release_support import complete, write_seeds, write_snapshot

from builders.build import StrictModeError
from builders.segment.rules import load_rules
from builders.segment.segmenter import segment_sentences
from builders.validate import validate_paths

TEXT = "Kreml twierdzi, że wojna idzie zgodnie z planem. Rzekomo zginęło tylko kilku żołnierzy."
ARTICLE = {"id": "a1", "language": "pl", "text": TEXT}
SHA = hashlib.sha256(TEXT.encode()).hexdigest()
SENTENCES = segment_sentences("a1", TEXT, load_rules("pl"))


def _record(**changes) -> dict:
    record = complete(
        {
            "annotation_id": "ls-7",
            "article_id": "a1",
            "annotator": "annotator-0a1b2c3d",
            "task_id": 7,
            "article_sha256": SHA,
            "spans": [],
            "stances": [],
        }
    )
    return {**record, **changes}


def _sentence_stance(sentence, stance="against", **changes) -> dict:
    judged = {
        "sentence_id": sentence.sentence_id,
        "target": "Rosja",
        "stance": stance,
        "start": sentence.start,
        "end": sentence.end,
        "text": sentence.text,
    }
    return {**judged, **changes}


def _build(tmp_path, *records, **kwargs):
    seeds = write_seeds(tmp_path / "seeds", [ARTICLE])
    annotations = write_snapshot(tmp_path / "annotations", list(records))
    return build_into(tmp_path, seeds, annotations=annotations, **kwargs)


def _sentence_stances(release) -> list[tuple]:
    rows = read_config(release, "annotations")
    return sorted((r["sentence_id"], r["target"], r["stance"]) for r in rows if r["sentence_id"])


def test_the_two_sentences_of_the_article():
    assert [s.text for s in SENTENCES] == [
        "Kreml twierdzi, że wojna idzie zgodnie z planem.",
        "Rzekomo zginęło tylko kilku żołnierzy.",
    ]


def test_a_stance_lands_on_the_sentence_with_its_offsets_and_text(tmp_path):
    first, second = SENTENCES
    # judged when the rules numbered the second sentence s0005: the offsets decide, not the id
    stale_id = _sentence_stance(second, sentence_id="a1-s0005")
    result = _build(tmp_path, _record(stances=_record()["stances"] + [stale_id]))
    assert result.quarantine == []
    assert _sentence_stances(result.target) == [("a1-s0001", "Rosja", "against")]


def test_a_stance_on_a_sentence_that_does_not_exist_is_refused_never_moved(tmp_path):
    """The reported case: a stance on a1-s0099 of a two-sentence article, with a zeroed hash."""
    ghost = {"sentence_id": "a1-s0099", "target": "Rosja", "stance": "against"}
    record = _record(article_sha256="0" * 64, stances=_record()["stances"] + [ghost])
    result = _build(tmp_path, record)
    codes = sorted((row.code, row.field) for row in result.quarantine)
    assert codes == [("article_changed", "/article_sha256"), ("unverifiable_stance", "/stances/3")]
    assert all("ls-7" in row.reason or "a1-s0099" in row.reason for row in result.quarantine)
    assert _sentence_stances(result.target) == []
    assert validate_paths([result.target]) == []  # what was released is consistent


def test_a_stance_whose_sentence_changed_is_refused(tmp_path):
    first, _ = SENTENCES
    # segmented differently when judged: the sentence ran to the end of the text
    merged = _sentence_stance(first, end=len(TEXT), text=TEXT)
    result = _build(tmp_path, _record(stances=_record()["stances"] + [merged]))
    (row,) = result.quarantine
    assert (row.code, row.field, row.line) == ("stance_sentence_changed", "/stances/3", 1)
    assert "no sentence of the article is now 0.." in row.reason
    assert _sentence_stances(result.target) == []


def test_a_changed_article_keeps_only_judgements_on_the_same_text_at_the_same_offsets(tmp_path):
    first, second = SENTENCES
    old_text = TEXT.replace("Rzekomo", "Prawdopodobnie")  # the seed was corrected since
    old_second = second.text.replace("Rzekomo", "Prawdopodobnie")
    stances = [
        _sentence_stance(first),  # untouched sentence: same offsets, same text
        _sentence_stance(second, target="KRLD", text=old_second, end=len(old_text)),
    ]
    spans = [
        {"start": 0, "end": 5, "text": "Kreml", "label": "ATTRIBUTION"},
        {
            "start": second.start,
            "end": second.start + 14,
            "text": "Prawdopodobnie",
            "label": "HEDGE",
        },
    ]
    record = _record(
        article_sha256=hashlib.sha256(old_text.encode()).hexdigest(),
        spans=spans,
        stances=_record()["stances"] + stances,
    )
    result = _build(tmp_path, record)
    codes = sorted((row.code, row.field) for row in result.quarantine)
    assert codes == [
        ("article_changed", "/article_sha256"),
        ("span_offsets_wrong", "/spans/1"),
        ("stance_sentence_changed", "/stances/4"),
    ]
    assert _sentence_stances(result.target) == [("a1-s0000", "Rosja", "against")]
    spans = [s for s in read_config(result.target, "spans") if s["origin"] == "annotation"]
    assert [(s["text"], s["label"]) for s in spans] == [("Kreml", "ATTRIBUTION")]


def test_a_span_outside_the_text_is_refused(tmp_path):
    outside = {"start": len(TEXT) + 10, "end": len(TEXT) + 15, "text": "Kreml", "label": "HEDGE"}
    result = _build(tmp_path, _record(spans=[outside]))
    (row,) = result.quarantine
    assert (row.code, row.field) == ("span_offsets_wrong", "/spans/0")
    assert "outside the article" in row.reason


def test_a_duplicate_annotation_id_is_refused(tmp_path):
    again = _record(annotator="annotator-99999999")
    result = _build(tmp_path, _record(), again)
    (row,) = result.quarantine
    assert (row.code, row.line) == ("duplicate_annotation", 2)
    assert "ls-7 by annotator-99999999 appears again" in row.reason


def test_an_annotation_without_an_annotator_is_refused(tmp_path):
    record = _record()
    del record["annotator"]
    result = _build(tmp_path, record)
    (row,) = result.quarantine
    assert row.code == "schema_violation" and "'annotator' is a required property" in row.reason
    assert row.raw == json.dumps(record, ensure_ascii=False)


def test_an_incomplete_annotation_is_refused_and_not_counted(tmp_path):
    record = _record(article_labels={}, stances=[_sentence_stance(SENTENCES[0])])
    result = _build(tmp_path, record)
    (row,) = result.quarantine
    assert row.code == "incomplete_annotation"
    assert "no article stance toward Rosja, article stance toward KRLD" in row.reason
    assert "genre" in row.reason
    assert read_config(result.target, "annotations") == []
    found = validate_paths([tmp_path / "annotations"])
    assert len(found) == 1 and "(incomplete_annotation)" in found[0].message


@pytest.mark.parametrize(
    "record",
    [
        _record(article_sha256="0" * 64),
        _record(stances=[{"sentence_id": "a1-s0099", "target": "Rosja", "stance": "against"}]),
    ],
    ids=["wrong sha", "unknown sentence"],
)
def test_strict_refuses_every_tampered_snapshot(tmp_path, record):
    with pytest.raises(StrictModeError):
        _build(tmp_path, record, strict=True)
