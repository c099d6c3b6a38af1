"""Disputed items are exactly what the gold rules leave undecided (builders/gold/disputes.py)."""

from __future__ import annotations

from builders.gold.ballots import Ballot
from builders.gold.disputes import disputes
from builders.gold.rules import gold_spans, gold_stances


def ballot(who, spans=(), stances=None, ground_truth=False, adjudication=False):
    return Ballot(
        "art",
        who,
        f"ls-{ord(who)}",
        ground_truth=ground_truth,
        spans=frozenset(spans),
        stances=stances or {},
        adjudication=adjudication,
    )


THREE = [
    ballot("a", [(0, 5, "HEDGE"), (10, 15, "EVALUATIVE")], {("s1", "R"): "favor"}),
    ballot("b", [(0, 5, "HEDGE")], {("s1", "R"): "against", (None, "R"): "against"}),
    ballot("c", [(0, 9, "HEDGE")], {("s1", "R"): "neutral", (None, "R"): "against"}),
]
GENRES = {"ls-97": {"genre": ["news"]}, "ls-98": {"genre": ["news"]}, "ls-99": {"genre": ["other"]}}


def test_disputes_are_the_items_without_gold():
    found = {(d.kind, d.item, d.reason) for d in disputes(THREE, GENRES)}
    assert found == {
        ("stance", "sentence s1 / R", "no_majority"),
        ("span", "EVALUATIVE 10..15", "minority"),
    }
    # the same ballots under the gold rules: s1 has no gold, EVALUATIVE is dropped
    methods = {(g.sentence_id, g.target): g.method for g in gold_stances(THREE)}
    assert methods == {("s1", "R"): "no_majority", (None, "R"): "majority"}
    assert gold_spans(THREE)[0] == [(0, 5, "HEDGE")]


def test_a_kept_cluster_without_an_agreed_extent_and_too_few_votes_are_disputed():
    split = [ballot("a", [(0, 5, "HEDGE")]), ballot("b", [(0, 7, "HEDGE")]), ballot("c")]
    assert [(d.item, d.reason) for d in disputes(split)] == [("HEDGE 0..7", "no_extent_majority")]
    alone = [ballot("a", [(0, 5, "HEDGE")], {(None, "R"): "favor"})]
    reasons = {(d.kind, d.reason) for d in disputes(alone, {"ls-97": {"genre": ["news"]}})}
    assert reasons == {
        ("stance", "insufficient_votes"),
        ("span", "insufficient_votes"),
        ("choice", "insufficient_votes"),
    }


def test_an_adjudicated_article_has_no_disputes_and_the_reviewer_is_no_vote():
    reviewer = ballot("r", [(0, 5, "HEDGE")], {("s1", "R"): "neutral"}, True, True)
    assert disputes([*THREE, reviewer], GENRES) == []
    (s1,) = [g for g in gold_stances([*THREE, reviewer]) if g.sentence_id == "s1"]
    assert (s1.stance, s1.method, s1.votes, s1.agreeing) == ("neutral", "adjudicated", 3, 1)
