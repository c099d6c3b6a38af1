"""The hand-written gold set: coverage, and precision/recall floors per label.

Floors sit a little under the figures measured when they were set (docs/cues.md), so
a regression fails here while small data edits do not. ATTRIBUTION extents are a judgement call
("…poinformował" vs "…poinformował w raporcie, że"), so its floor is on overlapping spans;
every other label is scored on exact offsets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cue_evaluation import GoldError, evaluate, load_gold

from builders.taxonomy import load_taxonomy

GOLD = Path(__file__).parent / "fixtures" / "cues" / "gold.jsonl"
FLOORS = {  # label: (precision, recall)
    "QUOTE": (0.95, 0.95),
    "REGIME_QUOTE": (0.9, 0.8),
    "REGIME_TERM": (0.9, 0.9),
    "HEDGE": (0.9, 0.9),
    "EVALUATIVE": (0.85, 0.85),
}
ATTRIBUTION_OVERLAP_FLOOR = (0.9, 0.85)
QUOTE_MARKS = '„“"«‚‹'


@pytest.fixture(scope="module")
def gold():
    return load_gold(GOLD)


@pytest.fixture(scope="module")
def result(gold):
    return evaluate(gold, load_taxonomy().label_names)


def test_gold_covers_every_label_quote_style_and_language(gold):
    assert len([p for p in gold if p.article.article_id != "seed"]) >= 20
    labels = {span.label for passage in gold for span in passage.spans}
    assert labels == {label.name for label in load_taxonomy().labels if label.detectors}
    marks = {
        passage.article.text[span.start - 1]
        for passage in gold
        for span in passage.spans
        if span.label == "QUOTE"
    }
    assert set(QUOTE_MARKS) <= marks
    assert {p.article.language for p in gold} == {"pl", "en", "ru", "uk"}


def test_precision_and_recall_floors(result):
    for label, (precision, recall) in FLOORS.items():
        p, r, _ = result.labels[label].exact_prf()
        assert p >= precision and r >= recall, (label, p, r, result.misses)
    p, r, _ = result.labels["ATTRIBUTION"].overlap_prf()
    floor_p, floor_r = ATTRIBUTION_OVERLAP_FLOOR
    assert p >= floor_p and r >= floor_r, (p, r, result.misses)


def test_quote_speakers_mostly_right(result):
    assert result.speaker["wrong"] <= 2
    assert result.speaker["correct"] >= 0.85 * sum(result.speaker.values())


def test_gold_span_not_in_passage_is_an_error(tmp_path):
    bad = tmp_path / "gold.jsonl"
    line = {"id": "x", "language": "pl", "text": "Ala ma kota.", "spans": []}
    line["spans"].append({"label": "HEDGE", "text": "psa"})
    bad.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"gold.jsonl:1: HEDGE 'psa' not in the passage"):
        load_gold(bad)


def test_malformed_gold_line_names_file_and_line(tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"id": "x", "language": "pl", "text": "Ala."}\n{not json\n', encoding="utf-8")
    with pytest.raises(GoldError, match=r"gold.jsonl:1: unusable gold line \(KeyError: 'spans'\)"):
        load_gold(bad)
