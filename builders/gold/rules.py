"""Gold rules: one answer per item from several annotators' ballots (all of one article).

Stance (per sentence and target, and per article and target):
  - if an annotation of the article carries Label Studio's ground-truth flag (an adjudication),
    its stance for the item is gold (``adjudicated``); the latest such annotation wins. A
    reviewer's annotation (``adjudication``, from ``agitprop review pull``) is such an annotation
    but no vote: ``votes`` and ``agreeing`` count the annotators only;
  - otherwise an item judged by fewer than ``min_annotators`` annotators (``[tool.agitprop]
    gold_min_annotators``, default 2) has no gold stance (``insufficient_votes``): one vote of
    three expected is not a majority of anything;
  - otherwise the stance given by a strict majority (> half) of the annotators who judged the
    item is gold (``majority``); without one the item has no gold stance (``no_majority``).
Spans (``gold:overlap-majority@1``):
  - if an annotation carries the ground-truth flag, its spans are gold (``gold:adjudicated@1``);
  - otherwise an article annotated by fewer than ``min_annotators`` annotators has no gold spans;
  - otherwise, per label, the spans of all ballots are clustered: spans overlapping by at least
    one character are joined, transitively. A cluster is gold when a strict majority of the
    article's annotators (every ballot counts, also one without spans) has a span in it. Its
    offsets are the (start, end) given by the most annotators of the cluster; a tie goes to the
    earliest start, then the earliest end.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from builders.gold.ballots import Ballot, SpanKey, StanceKey, annotation_order

SPAN_RULE = "gold:overlap-majority@1"
ADJUDICATED_RULE = "gold:adjudicated@1"
# what a gold item's ``method`` says; also the ClassLabel names of the released ``method``
# (append only: the stored integers of older releases keep their meaning)
METHODS = ("adjudicated", "majority", "no_majority", "insufficient_votes")
SPAN_METHODS = ("adjudicated", "majority", "insufficient_votes")  # per article (span_method)
DEFAULT_MIN_ANNOTATORS = 2


@dataclass(frozen=True)
class GoldStance:
    sentence_id: str | None
    target: str
    stance: str | None  # None: no strict majority
    method: str  # adjudicated | majority | no_majority | insufficient_votes
    votes: int  # annotators who judged the item
    agreeing: int  # of them, how many gave the gold stance


def adjudication(ballots: list[Ballot]) -> Ballot | None:
    flagged = [b for b in ballots if b.ground_truth]
    return max(flagged, key=lambda b: annotation_order(b.annotation_id)) if flagged else None


def strict_majority(values: list[str]) -> str | None:
    """The value given by more than half of ``values``, or None."""
    if not values:
        return None
    value, count = Counter(values).most_common(1)[0]
    return value if 2 * count > len(values) else None


def gold_stances(
    ballots: list[Ballot], min_annotators: int = DEFAULT_MIN_ANNOTATORS
) -> list[GoldStance]:
    judged: dict[StanceKey, list[str]] = {}
    for ballot in ballots:
        for key, stance in ballot.stances.items():
            judged.setdefault(key, [])
            if not ballot.adjudication:  # a reviewer's decision settles an item, it is no vote
                judged[key].append(stance)
    adjudicated = adjudication(ballots)
    found = []
    for key in sorted(judged, key=lambda k: (k[0] is not None, k[0] or "", k[1])):
        values = judged[key]
        if adjudicated is not None and key in adjudicated.stances:
            stance, method = adjudicated.stances[key], "adjudicated"
        elif len(values) < min_annotators:
            stance, method = None, "insufficient_votes"
        else:
            stance = strict_majority(values)
            method = "majority" if stance is not None else "no_majority"
        agreeing = sum(v == stance for v in values) if stance is not None else 0
        found.append(GoldStance(key[0], key[1], stance, method, len(values), agreeing))
    return found


def overlap_clusters(spans: list[tuple[SpanKey, str]]) -> list[list[tuple[SpanKey, str]]]:
    """(span, annotator) pairs of one label → clusters of transitively overlapping spans."""
    ordered = sorted(spans)
    clusters: list[list[tuple[SpanKey, str]]] = []
    reach = -1
    for item in ordered:
        (start, end, _), _annotator = item
        if clusters and start < reach:  # overlaps some span of the open cluster
            clusters[-1].append(item)
            reach = max(reach, end)
        else:
            clusters.append([item])
            reach = end
    return clusters


def label_clusters(ballots: list[Ballot]) -> list[tuple[str, list[tuple[SpanKey, str]]]]:
    """(label, cluster) for every cluster of overlapping spans, labels in order."""
    by_label: dict[str, list[tuple[SpanKey, str]]] = {}
    for ballot in ballots:
        for span in ballot.spans:
            by_label.setdefault(span[2], []).append((span, ballot.annotator))
    return [
        (label, cluster)
        for label in sorted(by_label)
        for cluster in overlap_clusters(by_label[label])
    ]


def span_method(ballots: list[Ballot], min_annotators: int = DEFAULT_MIN_ANNOTATORS) -> str:
    """How one article's gold spans are decided: ``adjudicated``, ``majority`` (overlap
    majority; it may find no span) or ``insufficient_votes`` (no gold spans)."""
    if adjudication(ballots) is not None:
        return "adjudicated"
    annotators = len({b.annotator for b in ballots})
    return "majority" if annotators >= min_annotators else "insufficient_votes"


def gold_spans(
    ballots: list[Ballot], min_annotators: int = DEFAULT_MIN_ANNOTATORS
) -> tuple[list[SpanKey], str]:
    """Gold (start, end, label) spans of one article and the rule that made them."""
    adjudicated = adjudication(ballots)
    if adjudicated is not None:
        return sorted(adjudicated.spans), ADJUDICATED_RULE
    annotators = len({b.annotator for b in ballots})
    if annotators < min_annotators:
        return [], SPAN_RULE
    found = []
    for label, cluster in label_clusters(ballots):
        backers = {annotator for _, annotator in cluster}
        if 2 * len(backers) <= annotators:
            continue
        start, end = most_drawn_extent(cluster)[0]
        found.append((start, end, label))
    return sorted(found), SPAN_RULE


def most_drawn_extent(cluster: list[tuple[SpanKey, str]]) -> tuple[tuple[int, int], int]:
    """The (start, end) drawn by the most annotators of a cluster (ties: earliest start, then
    end) and how many drew it; each annotator counts once per extent, however often drawn."""
    extents = Counter(extent for extent, _ in {((s, e), who) for (s, e, _), who in cluster})
    best = max(extents.values())
    return min(extent for extent, n in extents.items() if n == best), best
