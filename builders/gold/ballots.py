"""Ballots: what each annotator said about an article, one ballot per annotator.

An annotator who annotated the same task twice has their latest annotation counted (the highest
Label Studio annotation id), so no one votes twice. Spans are (start, end, label) triples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

SpanKey = tuple[int, int, str]  # start, end, label
StanceKey = tuple[str | None, str]  # sentence_id (None: the article), target


@dataclass(frozen=True)
class Ballot:
    article_id: str
    annotator: str
    annotation_id: str
    ground_truth: bool = False
    spans: frozenset[SpanKey] = frozenset()
    stances: dict[StanceKey, str] = field(default_factory=dict)
    # appended (Ballot is also built positionally):
    lead_time: float | None = None  # seconds Label Studio measured on the annotation
    # the ``model_version`` of the prediction the annotation started from (the pre-labels shown)
    prediction_model_version: str | None = None
    # a reviewer's decision (``agitprop review pull``): it settles items, it is not a vote
    adjudication: bool = False


def annotation_order(annotation_id: str) -> tuple:
    """Sort key: ``ls-12`` after ``ls-9`` (numbers compare as numbers)."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", annotation_id)
        if part
    )


def ballot_from_record(
    record: dict, spans: Iterable[SpanKey] | None = None, stances: list[dict] | None = None
) -> Ballot:
    """A snapshot record as a ballot; ``spans`` and ``stances`` override the record's (e.g.
    re-anchored spans, stances re-attached to the current sentences)."""
    if spans is None:
        spans = ((s["start"], s["end"], s["label"]) for s in record["spans"])
    given = record["stances"] if stances is None else stances
    stances = {(s.get("sentence_id"), s["target"]): s["stance"] for s in given}
    return Ballot(
        article_id=record["article_id"],
        annotator=record["annotator"],
        annotation_id=record["annotation_id"],
        lead_time=record.get("lead_time"),
        prediction_model_version=record.get("prediction_model_version"),
        ground_truth=bool(record.get("ground_truth")),
        adjudication=bool(record.get("adjudication")),
        spans=frozenset(spans),
        stances=stances,
    )


def latest_per_annotator(ballots: Iterable[Ballot]) -> list[Ballot]:
    """One ballot per (article, annotator): the latest annotation; sorted by article, annotator."""
    kept: dict[tuple[str, str], Ballot] = {}
    for ballot in ballots:
        key = (ballot.article_id, ballot.annotator)
        held = kept.get(key)
        if held is None or annotation_order(ballot.annotation_id) > annotation_order(
            held.annotation_id
        ):
            kept[key] = ballot
    return [kept[key] for key in sorted(kept)]
