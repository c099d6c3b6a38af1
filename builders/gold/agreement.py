"""Inter-annotator agreement: Krippendorff's alpha for sentence stance, pairwise span F1.

- **alpha** (nominal, the maintained ``krippendorff`` package) per stance target over
  sentence-level stances: one row per annotator, one column per (article, sentence), missing
  where an annotator gave no stance. Undefined (None) when fewer than two values can be paired
  or only one stance value occurs at all.
- **span F1** per label, for every pair of annotators over the articles both annotated, summed
  over pairs (micro): F1 = 2·matched / (spans of one + spans of the other). ``exact`` matches a
  span to one with the same (start, end); ``overlap`` matches it one-to-one to a span of the
  same label sharing at least one character (greedy, in offset order).
- **items per annotator**: articles annotated (ballots) and sentence stances given.
Reviewers' decisions (``adjudication`` ballots) are left out: they are not independent ratings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import krippendorff
import numpy as np

from builders.gold.ballots import Ballot, SpanKey


@dataclass
class Agreement:
    alpha: dict[str, float | None] = field(default_factory=dict)  # target → alpha
    alpha_items: dict[str, int] = field(default_factory=dict)  # target → sentences judged ≥ 2×
    span_f1: dict[str, dict[str, float | None]] = field(default_factory=dict)  # label → kind → F1
    span_pairs: int = 0  # (article, annotator pair) comparisons
    items: dict[str, dict[str, int]] = field(default_factory=dict)  # annotator → kind → n

    def to_record(self) -> dict:
        def rounded(value):
            return None if value is None else round(value, 4)

        return {
            "stance_alpha": {
                t: {"alpha": rounded(a), "items": self.alpha_items[t]}
                for t, a in sorted(self.alpha.items())
            },
            "span_f1": {
                label: {kind: rounded(v) for kind, v in sorted(kinds.items())}
                for label, kinds in sorted(self.span_f1.items())
            },
            "span_pairs": self.span_pairs,
            "items_per_annotator": dict(sorted(self.items.items())),
        }


def stance_alpha(ballots: list[Ballot], target: str, values: list[str]) -> tuple[float | None, int]:
    annotators = sorted({b.annotator for b in ballots})
    units = sorted(
        {
            (b.article_id, key[0])
            for b in ballots
            for key in b.stances
            if key[0] and key[1] == target
        }
    )
    if not units:
        return None, 0
    column = {unit: i for i, unit in enumerate(units)}
    row = {annotator: i for i, annotator in enumerate(annotators)}
    data = np.full((len(annotators), len(units)), np.nan)
    for ballot in ballots:
        for (sentence_id, judged_target), stance in ballot.stances.items():
            if sentence_id and judged_target == target:
                unit = column[(ballot.article_id, sentence_id)]
                data[row[ballot.annotator], unit] = values.index(stance)
    paired = int((np.sum(~np.isnan(data), axis=0) >= 2).sum())
    try:
        alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except ValueError:  # one value in the whole domain, or nothing pairable
        return None, paired
    return (None if np.isnan(alpha) else float(alpha)), paired


def _overlap_matches(a: list[SpanKey], b: list[SpanKey]) -> int:
    taken: set[int] = set()
    matched = 0
    for start, end, _ in sorted(a):
        for i, (s, e, _) in enumerate(sorted(b)):
            if i not in taken and s < end and start < e:
                taken.add(i)
                matched += 1
                break
    return matched


def span_f1(ballots: list[Ballot]) -> tuple[dict[str, dict[str, float | None]], int]:
    by_article: dict[str, list[Ballot]] = defaultdict(list)
    for ballot in ballots:
        by_article[ballot.article_id].append(ballot)
    matched: Counter = Counter()
    sizes: Counter = Counter()
    pairs = 0
    labels = sorted({span[2] for b in ballots for span in b.spans})
    for article_ballots in by_article.values():
        for one, other in combinations(article_ballots, 2):
            pairs += 1
            for label in labels:
                a = [s for s in one.spans if s[2] == label]
                b = [s for s in other.spans if s[2] == label]
                sizes[label] += len(a) + len(b)
                matched[(label, "exact")] += len(set(a) & set(b))
                matched[(label, "overlap")] += _overlap_matches(a, b)
    scores = {
        label: {
            kind: (2 * matched[(label, kind)] / sizes[label]) if sizes[label] else None
            for kind in ("exact", "overlap")
        }
        for label in labels
    }
    return scores, pairs


def agreement(ballots: list[Ballot], targets: list[str], values: list[str]) -> Agreement:
    """Agreement over ``ballots`` (one per annotator and article, see ``latest_per_annotator``)."""
    result = Agreement()
    ballots = [b for b in ballots if not b.adjudication]  # reviewers' decisions are not ratings
    judged_targets = sorted({key[1] for b in ballots for key in b.stances if key[0]})
    for target in [*targets, *(t for t in judged_targets if t not in targets)]:
        result.alpha[target], result.alpha_items[target] = stance_alpha(ballots, target, values)
    result.span_f1, result.span_pairs = span_f1(ballots)
    for ballot in ballots:
        counts = result.items.setdefault(ballot.annotator, {"articles": 0, "sentence_stances": 0})
        counts["articles"] += 1
        counts["sentence_stances"] += sum(1 for key in ballot.stances if key[0])
    return result


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def agreement_tables(result: Agreement) -> list[list[str]]:
    """Markdown table lines: alpha per target, span F1 per label, items per annotator."""
    from builders.release.card import markdown_table

    return [
        markdown_table(
            ["target", "Krippendorff's alpha (nominal)", "sentences judged by ≥ 2"],
            [[t, _cell(a), result.alpha_items[t]] for t, a in result.alpha.items()],
        ),
        markdown_table(
            ["label", "span F1 exact", "span F1 overlap"],
            [
                [f"`{label}`", _cell(k["exact"]), _cell(k["overlap"])]
                for label, k in result.span_f1.items()
            ],
        ),
        markdown_table(
            ["annotator", "articles", "sentence stances"],
            [[a, c["articles"], c["sentence_stances"]] for a, c in sorted(result.items.items())],
        ),
    ]
