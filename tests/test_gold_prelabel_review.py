"""The pre-label review: kept, edited, deleted, added per detector and label, worked out by hand."""

from __future__ import annotations

from builders.cues import default_detectors
from builders.gold.ballots import Ballot
from builders.gold.prelabel_review import (
    NO_DETECTOR,
    PrelabelReview,
    PrelabelReviewer,
    Region,
    label_detectors,
    review_annotation,
    review_table,
)
from builders.records import Article, Document, make_span
from builders.taxonomy import load_taxonomy

HEDGE, QUOTE = "hedge@0.1.0", "quote@0.2.0"
SHOWN = {HEDGE, QUOTE}
DETECTORS = {"HEDGE": [HEDGE], "QUOTE": [QUOTE], "FRAME": []}  # FRAME: no detector makes it
# four HEDGE pre-labels and one QUOTE
PRELABELS = [
    Region(0, 5, "HEDGE", source=HEDGE),
    Region(10, 15, "HEDGE", source=HEDGE),
    Region(20, 25, "HEDGE", source=HEDGE),
    Region(30, 35, "HEDGE", source=HEDGE),
    Region(40, 50, "QUOTE", source=QUOTE),
]


def test_each_prelabel_is_kept_edited_or_deleted_and_new_cues_are_added():
    spans = [
        Region(0, 5, "HEDGE", origin="prediction"),  # kept
        Region(10, 18, "HEDGE", origin="prediction-changed"),  # edited: another extent
        Region(20, 25, "HEDGE", origin="prediction-changed"),  # edited in Label Studio
        # (30, 35) deleted
        Region(40, 50, "HEDGE", origin="prediction-changed"),  # QUOTE relabelled as HEDGE
        Region(60, 64, "HEDGE", origin="manual"),  # added
        Region(70, 80, "FRAME", origin="manual"),  # added, no detector for the label
    ]
    counts = review_annotation(PRELABELS, spans, SHOWN, DETECTORS)
    assert counts == {
        (HEDGE, "HEDGE", "kept"): 1,
        (HEDGE, "HEDGE", "edited"): 2,
        (HEDGE, "HEDGE", "deleted"): 1,
        # the relabelled QUOTE: deleted as a QUOTE, and a HEDGE nobody proposed there
        (QUOTE, "QUOTE", "deleted"): 1,
        (HEDGE, "HEDGE", "added"): 2,
        (NO_DETECTOR, "FRAME", "added"): 1,
    }


def test_the_same_extent_drawn_again_or_without_a_recorded_origin_counts_as_kept():
    for origin in ("manual", None):
        spans = [Region(0, 5, "HEDGE", origin=origin)]
        counts = review_annotation(PRELABELS[:1], spans, SHOWN, DETECTORS)
        assert counts == {(HEDGE, "HEDGE", "kept"): 1}


def test_one_span_over_two_prelabels_edits_both():
    spans = [Region(0, 15, "HEDGE", origin="prediction-changed")]
    counts = review_annotation(PRELABELS[:2], spans, SHOWN, DETECTORS)
    assert counts == {(HEDGE, "HEDGE", "edited"): 2}


def test_detectors_the_annotation_was_not_shown_are_not_judged():
    spans = [Region(0, 5, "HEDGE", origin="prediction"), Region(60, 64, "HEDGE")]
    counts = review_annotation(PRELABELS, spans, {QUOTE}, DETECTORS)
    # the QUOTE pre-label was shown and not kept; HEDGE was not shown: no verdict, no additions
    assert counts == {(QUOTE, "QUOTE", "deleted"): 1}


def test_precision_and_recall_over_several_annotations():
    review = PrelabelReview()
    version = "+".join(sorted(SHOWN))
    # annotation 1: kept 1, edited 1, deleted 2 (HEDGE); QUOTE kept
    review.add_annotation(
        PRELABELS,
        [
            Region(0, 5, "HEDGE", origin="prediction"),
            Region(10, 14, "HEDGE", origin="prediction-changed"),
            Region(40, 50, "QUOTE", origin="prediction"),
        ],
        version,
        DETECTORS,
    )
    # annotation 2: kept 4 HEDGE, added 1 HEDGE; QUOTE deleted
    review.add_annotation(
        PRELABELS,
        [*(Region(p.start, p.end, "HEDGE", origin="prediction") for p in PRELABELS[:4])]
        + [Region(90, 95, "HEDGE", origin="manual")],
        version,
        DETECTORS,
    )
    review.add_annotation(PRELABELS, [], None, DETECTORS)  # made without a prediction
    review.add_annotation(PRELABELS, [], "hedge@0.0.9", DETECTORS)  # an older detector
    record = review.to_record()
    # HEDGE: kept 5, edited 1, deleted 2, added 1 → precision 6/8, recall 6/7
    assert record["detectors"][HEDGE]["HEDGE"] == {
        "kept": 5,
        "edited": 1,
        "deleted": 2,
        "added": 1,
        "precision": 0.75,
        "recall": 0.8571,
    }
    # QUOTE: kept 1, deleted 1, nothing added → precision 1/2, recall 1/1
    assert record["detectors"][QUOTE]["QUOTE"] == {
        "kept": 1,
        "edited": 0,
        "deleted": 1,
        "added": 0,
        "precision": 0.5,
        "recall": 1.0,
    }
    assert record["annotations_compared"] == {HEDGE: 2, QUOTE: 2}
    assert record["not_compared"] == {"no_prediction": 1, "other_detector_versions": 1}
    table = "\n".join(review_table(record))
    assert f"| `{HEDGE}` | `HEDGE` | 5 | 1 | 2 | 1 | 0.750 | 0.857 |" in table
    assert "1 made without a pre-label prediction" in table


def test_nothing_kept_or_edited_and_nothing_to_divide_by():
    review = PrelabelReview()
    review.add_annotation(
        [], [Region(0, 5, "HEDGE", origin="manual")], "+".join(sorted(SHOWN)), DETECTORS
    )
    (row,) = review.to_record()["detectors"][HEDGE].values()
    assert (row["precision"], row["recall"]) == (None, 0.0)  # no pre-label, one cue missed


def test_the_pipeline_step_reads_prelabels_and_each_annotators_latest_spans():
    taxonomy, detectors = load_taxonomy(), default_detectors()
    sources = {d.name: d.source for d in detectors}
    text = "Rzekomo zginęło dwóch. Prawdopodobnie to spekulacje."
    article = Article("p1", text, "pl")
    document = Document(article)

    def span(phrase, label, origin, source, **attributes):
        start = text.index(phrase)
        return make_span(article, [], start, start + len(phrase), label, origin, source, attributes)

    hedge, who = sources["hedge"], "annotator-aaaaaaaa"
    document.spans = [
        span("Rzekomo", "HEDGE", "prelabel", hedge),
        span("Prawdopodobnie", "HEDGE", "prelabel", hedge),
        # annotator a: ls-1 superseded by ls-2, which keeps "Rzekomo", deletes "Prawdopodobnie"
        # and adds "spekulacje"
        span("Rzekomo zginęło", "HEDGE", "annotation", who, annotation_id="ls-1"),
        span("Rzekomo", "HEDGE", "annotation", who, annotation_id="ls-2", ls_origin="prediction"),
        span("spekulacje", "HEDGE", "annotation", who, annotation_id="ls-2", ls_origin="manual"),
    ]
    version = "+".join(sorted(sources.values()))
    document.ballots = [
        Ballot("p1", who, "ls-1", prediction_model_version=version),
        Ballot("p1", who, "ls-2", prediction_model_version=version),
    ]
    step = PrelabelReviewer(taxonomy, detectors)
    assert list(step.run([document])) == [document]
    record = step.review.to_record()
    assert record["detectors"] == {
        hedge: {
            "HEDGE": {
                "kept": 1,
                "edited": 0,
                "deleted": 1,
                "added": 1,
                "precision": 0.5,
                "recall": 0.5,
            }
        }
    }
    assert record["annotations_compared"] == dict.fromkeys(sorted(sources.values()), 1)
    assert label_detectors(taxonomy, detectors)["HEDGE"] == [hedge]
