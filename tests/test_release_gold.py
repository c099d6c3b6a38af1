"""A release from snapshots: gold only from enough annotators, coverage in the card and manifest,
and the pre-label provenance (origin, lead time, prediction version) carried into the release."""

from __future__ import annotations

import json
from dataclasses import replace

from conftest import read_config
from release_support import ARTICLES, annotation, complete, write_seeds, write_snapshot

from builders.build import build, release
from builders.config import load_config
from builders.release.features import config_features
from builders.release.reuse import build_key
from builders.segment.rules import load_rules
from builders.segment.segmenter import segment_sentences
from builders.sync.push import model_version
from builders.taxonomy import load_taxonomy
from builders.validate import validate_release

A1, A2 = ARTICLES[0], ARTICLES[1]
ROSJA_AGAINST = {"sentence_id": None, "target": "Rosja", "stance": "against"}
ONE, TWO = "annotator-0a1b2c3d", "annotator-4e5f6a7b"


def _span(text: str, phrase: str, label: str, origin: str | None = None) -> dict:
    start = text.index(phrase)
    span = {"start": start, "end": start + len(phrase), "text": phrase, "label": label}
    return span | ({"origin": origin} if origin else {})


def _first_sentence_stance(stance: str) -> dict:
    """A stance on a1's first sentence, naming the judged sentence as pull writes it."""
    first = segment_sentences("a1", A1["text"], load_rules("pl"))[0]
    judged = {"start": first.start, "end": first.end, "text": first.text}
    return {"sentence_id": first.sentence_id, "target": "Rosja", "stance": stance, **judged}


def _snapshots() -> list[dict]:
    # a1: one annotator of the three Label Studio asks for → no gold
    lone = annotation(
        "a1", A1["text"], "Nikt", "HEDGE", [ROSJA_AGAINST, _first_sentence_stance("neutral")]
    )
    # a2: two annotators agree on the article stance and on the HEDGE "Eksperci" → gold. The
    # first worked in Label Studio on the detectors' prediction: kept the ATTRIBUTION, narrowed
    # the QUOTE, deleted the REGIME_QUOTE and added the HEDGE.
    first = complete(
        {
            "annotation_id": "ls-21",
            "article_id": "a2",
            "annotator": ONE,
            "lead_time": 12.5,
            "prediction_model_version": model_version(),
            "spans": [
                _span(A2["text"], "Agencja KCNA podała, że", "ATTRIBUTION", "prediction"),
                _span(A2["text"], "wszystko idzie", "QUOTE", "prediction-changed"),
                _span(A2["text"], "Eksperci", "HEDGE", "manual"),
            ],
            "stances": [ROSJA_AGAINST],
        }
    )  # with "unclear" toward the other targets and a genre, as Label Studio requires
    second = annotation("a2", A2["text"], "Eksperci", "HEDGE", [ROSJA_AGAINST])
    second |= {"annotation_id": "ls-22", "annotator": TWO}  # pulled before provenance was kept
    return [lone, first, second]


def _release(tmp_path, config=None, version="1.0.0"):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    snapshots = write_snapshot(tmp_path / "annotations", _snapshots())
    return release(
        config or load_config(),
        version=version,
        seeds=seeds,
        annotations=snapshots,
        out=tmp_path / "dist",
        progress=False,
    )


def test_one_annotator_gives_no_gold_and_two_agreeing_give_gold(tmp_path):
    result = _release(tmp_path)
    target = result.target
    stances = {
        (r["article_id"], r["sentence_id"], r["target"]): (
            r["stance"],
            r["method"],
            r["votes"],
            r["agreeing"],
        )
        for r in read_config(target, "stances")
    }
    # every annotation also answers "unclear" toward KRLD and Ukraina (required answers)
    assert stances == {
        ("a1", None, "Rosja"): (None, "insufficient_votes", 1, 0),
        ("a1", None, "KRLD"): (None, "insufficient_votes", 1, 0),
        ("a1", None, "Ukraina"): (None, "insufficient_votes", 1, 0),
        ("a1", "a1-s0000", "Rosja"): (None, "insufficient_votes", 1, 0),
        ("a2", None, "Rosja"): ("against", "majority", 2, 2),
        ("a2", None, "KRLD"): ("unclear", "majority", 2, 2),
        ("a2", None, "Ukraina"): ("unclear", "majority", 2, 2),
    }
    gold = [
        (s["article_id"], s["text"], s["label"], s["source"], s["attributes"])
        for s in read_config(target, "spans")
        if s["origin"] == "gold"
    ]
    assert gold == [("a2", "Eksperci", "HEDGE", "gold:overlap-majority@1", {"annotators": 2})]
    assert "insufficient_votes" in config_features("stances", load_taxonomy())["method"].names
    assert validate_release(target) == []

    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["gold"] == {
        "min_annotators": 2,
        "stances": {
            "sentence": {
                "adjudicated": 0,
                "majority": 0,
                "no_majority": 0,
                "insufficient_votes": 1,
            },
            "article": {"adjudicated": 0, "majority": 3, "no_majority": 0, "insufficient_votes": 3},
        },
        "span_articles": {"adjudicated": 0, "majority": 1, "insufficient_votes": 1},
    }
    card = (target / "README.md").read_text(encoding="utf-8")
    assert "## Gold coverage" in card and "at least 2 of them (`gold_min_annotators`)" in card
    assert "| items | adjudicated | majority | no_majority | insufficient_votes |" in card
    assert "| sentence stances | 0 | 0 | 0 | 1 |" in card
    assert "| article stances | 0 | 3 | 0 | 3 |" in card
    assert "| annotated articles (spans) | 0 | 1 | – | 1 |" in card


def test_a_minimum_of_one_makes_the_lone_annotator_gold_and_changes_the_build_key(tmp_path):
    lenient = replace(load_config(), gold_min_annotators=1)
    assert build_key(lenient, {"fingerprint": "x"}) != build_key(
        load_config(), {"fingerprint": "x"}
    )
    result = _release(tmp_path, lenient)
    methods = {
        (r["article_id"], r["sentence_id"], r["target"]): (r["stance"], r["method"])
        for r in read_config(result.target, "stances")
    }
    assert methods[("a1", None, "Rosja")] == ("against", "majority")
    assert methods[("a1", "a1-s0000", "Rosja")] == ("neutral", "majority")
    gold = {(s["article_id"], s["text"]) for s in read_config(result.target, "spans")}
    assert ("a1", "Nikt") in gold


def test_provenance_reaches_the_release_and_the_prelabel_review(tmp_path):
    result = _release(tmp_path)
    target = result.target
    lead_times = {
        (r["annotation_id"], r["annotator"]): r["lead_time"]
        for r in read_config(target, "annotations")
    }
    assert lead_times == {("ls-a1", ONE): None, ("ls-21", ONE): 12.5, ("ls-22", TWO): None}
    origins = {
        (s["attributes"]["annotation_id"], s["text"], s["label"]): s["attributes"].get("ls_origin")
        for s in read_config(target, "spans")
        if s["origin"] == "annotation"
    }
    assert origins[("ls-21", "Agencja KCNA podała, że", "ATTRIBUTION")] == "prediction"
    assert origins[("ls-21", "wszystko idzie", "QUOTE")] == "prediction-changed"
    assert origins[("ls-21", "Eksperci", "HEDGE")] == "manual"
    assert origins[("ls-22", "Eksperci", "HEDGE")] is None  # Label Studio sent no origin

    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    review = manifest["prelabel_review"]
    sources = {d.split("@")[0]: d for d in model_version().split("+")}
    counts = {
        (detector, label): {k: v for k, v in n.items() if v}
        for detector, labels in review["detectors"].items()
        for label, n in labels.items()
    }
    assert counts == {
        (sources["attribution"], "ATTRIBUTION"): {"kept": 1, "precision": 1.0, "recall": 1.0},
        (sources["quote"], "QUOTE"): {"edited": 1, "precision": 1.0, "recall": 1.0},
        # precision 0/1 and recall 0/0 (None) drop out of the comparison above
        (sources["regime_quote"], "REGIME_QUOTE"): {"deleted": 1},
        (sources["hedge"], "HEDGE"): {"added": 1},
    }
    assert review["detectors"][sources["regime_quote"]]["REGIME_QUOTE"]["precision"] == 0.0
    assert review["detectors"][sources["hedge"]]["HEDGE"]["recall"] == 0.0
    # a1's annotation and a2's second were made without a recorded prediction
    assert review["not_compared"] == {"no_prediction": 2, "other_detector_versions": 0}
    card = (target / "README.md").read_text(encoding="utf-8")
    assert "## Pre-labels judged by annotators" in card
    assert f"| `{sources['quote']}` | `QUOTE` | 0 | 1 | 0 | 0 | 1.000 | 1.000 |" in card
    assert f"| `{sources['regime_quote']}` | `REGIME_QUOTE` | 0 | 0 | 1 | 0 | 0.000 | n/a |" in card


def test_the_dev_build_state_carries_coverage_and_review_into_a_reused_release(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES)
    snapshots = write_snapshot(tmp_path / "annotations", _snapshots())
    kwargs = {"seeds": seeds, "annotations": snapshots, "out": tmp_path / "dist"}
    dev = build(load_config(), progress=False, **kwargs)
    released = release(load_config(), version="1.0.0", progress=False, **kwargs)
    assert released.reused
    manifests = [
        json.loads((t / "manifest.json").read_text(encoding="utf-8"))
        for t in (dev.target, released.target)
    ]
    for key in ("gold", "prelabel_review"):
        assert manifests[0][key] == manifests[1][key] and manifests[0][key]
