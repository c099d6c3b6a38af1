"""Annotation snapshots become annotation spans; drifted offsets are re-anchored or refused."""

from __future__ import annotations

import hashlib
import json

from conftest import SEED_ID, SEEDS, build_into, read_config
from release_support import complete

from builders.annotations import reanchor

SEED_TEXT = (SEEDS / f"{SEED_ID}.txt").read_text(encoding="utf-8")
PHRASE = "wyzwolenie terytorium Rosji"


def _snapshot(tmp_path, spans, hashed=True):
    """A pulled snapshot (``hashed``: it names the article text's sha256, as pull writes it) or
    one written by another tool (no hash)."""
    folder = tmp_path / "annotations" / "snapshots"
    folder.mkdir(parents=True)
    record = {
        "annotation_id": "ls-1",
        "article_id": SEED_ID,
        "annotator": "annotator-0a1b2c3d",
        "task_id": 1,
        "spans": spans,
        "stances": [{"sentence_id": None, "target": "Rosja", "stance": "against"}],
    }
    if hashed:
        record["article_sha256"] = hashlib.sha256(SEED_TEXT.encode()).hexdigest()
    (folder / "snapshot.jsonl").write_text(json.dumps(complete(record), ensure_ascii=False) + "\n")
    return tmp_path / "annotations"


def test_reanchor_prefers_exact_then_nearest():
    text = "ab xx cd xx ef"
    assert reanchor(text, 3, 5, "xx") == 3
    assert reanchor(text, 8, 10, "xx") == 9  # shifted by one (emoji counted as two) → nearest
    assert reanchor(text, 0, 2, "zz") is None


def test_spans_of_a_snapshot_without_a_hash_are_reanchored_or_refused(tmp_path):
    start = SEED_TEXT.index(PHRASE)
    spans = [
        {"start": start, "end": start + len(PHRASE), "text": PHRASE, "label": "REGIME_TERM"},
        {"start": start + 2, "end": start + 2 + len(PHRASE), "text": PHRASE, "label": "QUOTE"},
        {"start": 0, "end": 5, "text": "nie ma tego w tekście", "label": "HEDGE"},
    ]
    result = build_into(tmp_path, SEEDS, annotations=_snapshot(tmp_path, spans, hashed=False))
    released = [s for s in read_config(result.target, "spans") if s["origin"] == "annotation"]
    assert sorted(s["label"] for s in released) == ["QUOTE", "REGIME_TERM"]
    for span in released:
        assert (span["start"], span["text"]) == (start, PHRASE)
        assert span["source"] == "annotator-0a1b2c3d"
        assert span["attributes"]["annotation_id"] == "ls-1"
    (refused,) = result.quarantine
    assert refused.code == "span_not_found" and refused.field == "/spans/2"


def test_repeated_span_is_kept_once_and_reported(tmp_path):
    start = SEED_TEXT.index(PHRASE)
    span = {"start": start, "end": start + len(PHRASE), "text": PHRASE, "label": "REGIME_TERM"}
    result = build_into(tmp_path, SEEDS, annotations=_snapshot(tmp_path, [span, dict(span)]))
    released = [s for s in read_config(result.target, "spans") if s["origin"] == "annotation"]
    assert len(released) == 1
    (row,) = result.quarantine
    assert (row.code, row.field) == ("duplicate_span", "/spans/1")


def test_two_annotations_by_one_annotator_keep_their_own_spans(tmp_path):
    start = SEED_TEXT.index(PHRASE)
    span = {"start": start, "end": start + len(PHRASE), "text": PHRASE, "label": "REGIME_TERM"}
    folder = _snapshot(tmp_path, [span])
    snapshot = folder / "snapshots" / "snapshot.jsonl"
    record = json.loads(snapshot.read_text())
    snapshot.write_text(
        snapshot.read_text() + json.dumps({**record, "annotation_id": "ls-2"}) + "\n"
    )
    result = build_into(tmp_path, SEEDS, annotations=folder)
    released = [s for s in read_config(result.target, "spans") if s["origin"] == "annotation"]
    assert sorted(s["attributes"]["annotation_id"] for s in released) == ["ls-1", "ls-2"]
    assert len({s["span_id"] for s in released}) == 2


def test_spans_of_a_pulled_snapshot_are_exact_or_refused(tmp_path):
    """A snapshot naming the article's hash was pulled against this very text (Label Studio's
    offset drift repaired at pull): a span not at its offsets was edited, and is refused."""
    start = SEED_TEXT.index(PHRASE)
    spans = [
        {"start": start, "end": start + len(PHRASE), "text": PHRASE, "label": "REGIME_TERM"},
        {"start": start + 2, "end": start + 2 + len(PHRASE), "text": PHRASE, "label": "QUOTE"},
    ]
    result = build_into(tmp_path, SEEDS, annotations=_snapshot(tmp_path, spans))
    released = [s for s in read_config(result.target, "spans") if s["origin"] == "annotation"]
    assert [(s["label"], s["start"]) for s in released] == [("REGIME_TERM", start)]
    (refused,) = result.quarantine
    assert (refused.code, refused.field) == ("span_offsets_wrong", "/spans/1")
    assert "QUOTE span" in refused.reason and f"{start + 2}..{start + 2 + len(PHRASE)}" in (
        refused.reason
    )
