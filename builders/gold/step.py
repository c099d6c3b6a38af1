"""Pipeline step: gold spans and stances for each annotated document, and the release's ballots.

Runs after :class:`builders.annotations.AnnotationMerger`, which attaches one ballot per
annotation (with spans re-anchored to the article) to the document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from builders.gold.ballots import Ballot, latest_per_annotator
from builders.gold.rules import (
    DEFAULT_MIN_ANNOTATORS,
    METHODS,
    SPAN_METHODS,
    gold_spans,
    gold_stances,
    span_method,
)
from builders.pipeline import PipelineStep
from builders.records import Document, make_span


def _key(*parts: str | None) -> str:
    return hashlib.sha256("\0".join(p or "" for p in parts).encode("utf-8")).hexdigest()[:12]


def stance_record(article_id: str, gold) -> dict:
    return {
        "stance_id": f"{article_id}-stance-{_key(gold.sentence_id, gold.target)}",
        "article_id": article_id,
        "sentence_id": gold.sentence_id,
        "level": "sentence" if gold.sentence_id else "article",
        "target": gold.target,
        "stance": gold.stance,
        "method": gold.method,
        "votes": gold.votes,
        "agreeing": gold.agreeing,
    }


def judgement_records(ballot: Ballot) -> list[dict]:
    """Every stance one annotation gave, one row each, with the annotator's pseudonym."""
    rows = []
    for (sentence_id, target), stance in sorted(
        ballot.stances.items(), key=lambda item: (item[0][0] or "", item[0][1])
    ):
        key = _key(ballot.annotation_id, sentence_id, target)
        rows.append(
            {
                "judgement_id": f"{ballot.article_id}-judgement-{key}",
                "annotation_id": ballot.annotation_id,
                "article_id": ballot.article_id,
                "annotator": ballot.annotator,
                "ground_truth": ballot.ground_truth,
                "sentence_id": sentence_id,
                "level": "sentence" if sentence_id else "article",
                "target": target,
                "stance": stance,
                "lead_time": ballot.lead_time,
            }
        )
    return rows


class GoldStep(PipelineStep):
    """Adds ``origin = gold`` spans and gold stances; keeps every counted ballot for agreement
    and counts how many items got gold, and why not (:meth:`coverage`)."""

    name = "gold"

    def __init__(self, min_annotators: int = DEFAULT_MIN_ANNOTATORS) -> None:
        super().__init__()
        self.min_annotators = min_annotators
        self.ballots: list[Ballot] = []  # one per annotator and article, for the agreement
        self.stance_methods: dict[str, dict[str, int]] = {
            level: dict.fromkeys(METHODS, 0) for level in ("sentence", "article")
        }
        self.span_methods: dict[str, int] = dict.fromkeys(SPAN_METHODS, 0)

    def coverage(self) -> dict:
        """Gold coverage: stance items per level and annotated articles (for their spans), by
        how their gold was decided or why there is none."""
        return {
            "min_annotators": self.min_annotators,
            "stances": self.stance_methods,
            "span_articles": self.span_methods,
        }

    def run(self, records: Iterable[Document]) -> Iterator[Document]:
        for document in records:
            if document.ballots:
                self._gold(document)
            yield document

    def _gold(self, document: Document) -> None:
        ballots = latest_per_annotator(document.ballots)
        self.ballots.extend(ballots)
        annotators = sum(1 for b in ballots if not b.adjudication)
        found, rule = gold_spans(ballots, self.min_annotators)
        self.span_methods[span_method(ballots, self.min_annotators)] += 1
        for start, end, label in found:
            document.spans.append(
                make_span(
                    document.article,
                    document.sentences,
                    start,
                    end,
                    label,
                    "gold",
                    rule,
                    {"annotators": annotators},
                )
            )
        self.stats["gold_spans"] += len(found)
        document.stances = [
            stance_record(document.article.article_id, g)
            for g in gold_stances(ballots, self.min_annotators)
        ]
        for stance in document.stances:
            self.stance_methods[stance["level"]][stance["method"]] += 1
        self.stats["gold_stances"] += sum(1 for s in document.stances if s["stance"] is not None)
