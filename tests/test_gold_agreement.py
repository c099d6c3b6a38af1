"""Agreement figures against values computed by hand."""

from __future__ import annotations

import math

from builders.gold.agreement import agreement, stance_alpha
from builders.gold.ballots import Ballot

VALUES = ["favor", "against", "neutral", "unclear"]


def ballot(who, article="a1", spans=(), stances=None) -> Ballot:
    return Ballot(
        article,
        f"annotator-{who * 8}",
        f"ls-{who}{article}",
        False,
        frozenset(spans),
        stances or {},
    )


# Sentences s1..s3 of a1, target Rosja; annotators A, B, C:
#   s1: against, against, against   s2: against, against, neutral   s3: favor, favor, favor
# Coincidences (pairs within a sentence, each weighted 1/(m_u - 1) = 1/2):
#   o(against, against) = 3 + 1 = 4, o(against, neutral) = o(neutral, against) = 1,
#   o(favor, favor) = 3;  n_against = 5, n_neutral = 1, n_favor = 3, n = 9
# alpha = 1 - (n - 1) * sum_{c≠k} o_ck / sum_{c≠k} n_c n_k
#       = 1 - 8 * 2 / (2 * (5*1 + 5*3 + 1*3)) = 1 - 16/46 = 15/23
ALPHA_BY_HAND = 15 / 23
STANCES = {
    "a": {"s1": "against", "s2": "against", "s3": "favor"},
    "b": {"s1": "against", "s2": "against", "s3": "favor"},
    "c": {"s1": "against", "s2": "neutral", "s3": "favor"},
}


def test_alpha_matches_the_hand_computation():
    ballots = [
        ballot(w, stances={(s, "Rosja"): v for s, v in given.items()} | {(None, "Rosja"): "favor"})
        for w, given in STANCES.items()
    ]
    alpha, items = stance_alpha(ballots, "Rosja", VALUES)
    assert math.isclose(alpha, ALPHA_BY_HAND, rel_tol=1e-9) and items == 3


def test_alpha_is_undefined_with_one_value_or_one_annotator():
    same = [ballot(w, stances={("s1", "KRLD"): "favor", ("s2", "KRLD"): "favor"}) for w in "ab"]
    assert stance_alpha(same, "KRLD", VALUES)[0] is None
    alone = [ballot("a", stances={("s1", "KRLD"): "favor", ("s2", "KRLD"): "against"})]
    assert stance_alpha(alone, "KRLD", VALUES) == (None, 0)


def test_span_f1_exact_and_overlap_per_label():
    ballots = [
        ballot("a", spans=[(10, 20, "HEDGE"), (30, 40, "EVALUATIVE")]),
        ballot("b", spans=[(10, 20, "HEDGE")]),
        ballot("c", spans=[(12, 20, "HEDGE")]),
    ]
    result = agreement(ballots, ["Rosja"], VALUES)
    # HEDGE pairs (a,b) (a,c) (b,c): exact matches 1, 0, 0 → 2·1 / (2+2+2) = 1/3;
    # overlap matches 1, 1, 1 → 2·3 / 6 = 1
    assert math.isclose(result.span_f1["HEDGE"]["exact"], 1 / 3)
    assert result.span_f1["HEDGE"]["overlap"] == 1.0
    # EVALUATIVE: only a marked it: 0 matched of (1+0) + (1+0) + (0+0) spans → 0
    assert result.span_f1["EVALUATIVE"] == {"exact": 0.0, "overlap": 0.0}
    assert result.span_pairs == 3
    assert result.items["annotator-aaaaaaaa"] == {"articles": 1, "sentence_stances": 0}
