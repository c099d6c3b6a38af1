"""Disputed items: what the gold rules (``builders.gold.rules``) leave undecided, for a reviewer.

One article's ballots (one per annotator, ``latest_per_annotator``) are disputed where the gold
rules give no gold:
  - a **stance** item (sentence or article, per target) whose gold ``method`` is ``no_majority``
    or ``insufficient_votes`` (judged by fewer than ``min_annotators``);
  - an **article choice** (genre, frames; by control name) is held to the stance rule: fewer
    than ``min_annotators`` answers, or no answer (the set of choices) given by a strict majority;
  - a **span cluster** of one label (spans overlapping transitively, as the gold rule clusters
    them) unless a strict majority of the article's annotators drew exactly the same extent in
    it: a minority cluster (the rule drops it) and a kept cluster whose extent the annotators do
    not agree on are both disputed; with fewer than ``min_annotators`` annotators every cluster is.
An article with an adjudication (a ground-truth ballot) is decided: it has no disputes.
"""

from __future__ import annotations

from dataclasses import dataclass

from builders.gold.ballots import Ballot
from builders.gold.rules import (
    DEFAULT_MIN_ANNOTATORS,
    adjudication,
    gold_stances,
    label_clusters,
    most_drawn_extent,
    strict_majority,
)

UNDECIDED = ("no_majority", "insufficient_votes")


@dataclass(frozen=True)
class Dispute:
    kind: str  # stance | choice | span
    item: str  # what is disputed, e.g. "sentence gold-1-s0002 / Rosja", "genre", "HEDGE 10..17"
    reason: str  # no_majority | insufficient_votes | no_extent_majority | minority
    answers: dict[str, str]  # annotator → what they gave ("—" for nothing)
    extent: tuple[int, int] | None = None  # spans: from the cluster's first start to last end


def stance_item(sentence_id: str | None, target: str) -> str:
    return f"sentence {sentence_id} / {target}" if sentence_id else f"article / {target}"


def disputes(
    ballots: list[Ballot],
    article_labels: dict[str, dict] | None = None,
    min_annotators: int = DEFAULT_MIN_ANNOTATORS,
) -> list[Dispute]:
    """The disputed items of one article; ``article_labels``: annotation id → its choices."""
    if not ballots or adjudication(ballots) is not None:
        return []
    found = []
    for gold in gold_stances(ballots, min_annotators):
        if gold.method in UNDECIDED:
            key = (gold.sentence_id, gold.target)
            answers = {b.annotator: b.stances.get(key, "—") for b in ballots}
            found.append(
                Dispute("stance", stance_item(gold.sentence_id, gold.target), gold.method, answers)
            )
    found += _choice_disputes(ballots, article_labels or {}, min_annotators)
    found += _span_disputes(ballots, min_annotators)
    return found


def _choice_disputes(ballots, article_labels, min_annotators) -> list[Dispute]:
    given: dict[str, dict[str, str]] = {}  # control → annotator → answer
    for ballot in ballots:
        for name, choices in sorted(article_labels.get(ballot.annotation_id, {}).items()):
            given.setdefault(name, {})[ballot.annotator] = ", ".join(choices) or "—"
    found = []
    for name, answers in sorted(given.items()):
        if len(answers) < min_annotators:
            reason = "insufficient_votes"
        elif strict_majority(list(answers.values())) is None:
            reason = "no_majority"
        else:
            continue
        every = {b.annotator: answers.get(b.annotator, "—") for b in ballots}
        found.append(Dispute("choice", name, reason, every))
    return found


def _span_disputes(ballots, min_annotators) -> list[Dispute]:
    annotators = len({b.annotator for b in ballots})
    found = []
    for label, cluster in label_clusters(ballots):
        most = most_drawn_extent(cluster)[1]
        if annotators >= min_annotators and 2 * most > annotators:
            continue
        if annotators < min_annotators:
            reason = "insufficient_votes"
        elif 2 * len({who for _, who in cluster}) > annotators:
            reason = "no_extent_majority"  # kept by the rule, but on no agreed extent
        else:
            reason = "minority"  # the rule drops it
        low = min(s for (s, _, _), _ in cluster)
        high = max(e for (_, e, _), _ in cluster)
        drawn: dict[str, list[str]] = {}
        for (s, e, _), who in sorted(cluster):
            drawn.setdefault(who, []).append(f"{s}..{e}")
        answers = {b.annotator: ", ".join(drawn.get(b.annotator, [])) or "—" for b in ballots}
        found.append(Dispute("span", f"{label} {low}..{high}", reason, answers, (low, high)))
    return found
