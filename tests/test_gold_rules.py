"""Gold rules: strict-majority stance, adjudication wins, overlap-majority spans and their ties,
no gold below the minimum of annotators."""

from __future__ import annotations

import pytest

from builders.config import ProjectConfig, load_config
from builders.gold.ballots import Ballot, latest_per_annotator
from builders.gold.rules import (
    ADJUDICATED_RULE,
    SPAN_RULE,
    gold_spans,
    gold_stances,
    overlap_clusters,
    span_method,
    strict_majority,
)


def ballot(who: str, spans=(), stances=None, ground_truth=False, annotation_id=None) -> Ballot:
    return Ballot(
        article_id="a1",
        annotator=f"annotator-{who * 8}",
        annotation_id=annotation_id or f"ls-{who}",
        ground_truth=ground_truth,
        spans=frozenset(spans),
        stances=stances or {},
    )


def test_strict_majority_needs_more_than_half():
    assert strict_majority(["favor", "favor", "against"]) == "favor"  # 2 of 3
    assert strict_majority(["favor", "against"]) is None  # 1 of 2 is a tie
    assert strict_majority(["favor", "favor", "against", "neutral"]) is None  # 2 of 4
    assert strict_majority(["neutral"]) == "neutral"
    assert strict_majority([]) is None


def test_sentence_and_article_stance_by_majority_of_those_who_judged():
    s1 = ("a1-s0001", "Rosja")
    article = (None, "Rosja")
    ballots = [
        ballot("a", stances={s1: "against", article: "against"}),
        ballot("b", stances={s1: "against", article: "favor"}),
        ballot("c", stances={s1: "neutral"}),  # gave no article stance: not a voter there
    ]
    by_item = {(g.sentence_id, g.target): g for g in gold_stances(ballots)}
    assert by_item[s1].stance == "against" and by_item[s1].method == "majority"
    assert (by_item[s1].votes, by_item[s1].agreeing) == (3, 2)
    # 1 favor vs 1 against among the two voters: a tie, no gold value
    assert by_item[article].stance is None and by_item[article].method == "no_majority"
    assert (by_item[article].votes, by_item[article].agreeing) == (2, 0)


def test_the_ground_truth_annotation_wins_over_the_majority():
    s1 = ("a1-s0001", "KRLD")
    s2 = ("a1-s0002", "KRLD")
    ballots = [
        ballot("a", stances={s1: "favor", s2: "neutral"}),
        ballot("b", stances={s1: "favor", s2: "neutral"}),
        ballot("c", stances={s1: "against"}, ground_truth=True),
    ]
    by_item = {(g.sentence_id, g.target): g for g in gold_stances(ballots)}
    assert by_item[s1].stance == "against" and by_item[s1].method == "adjudicated"
    assert by_item[s1].agreeing == 1
    # the adjudication says nothing about s2: the majority decides it
    assert by_item[s2].stance == "neutral" and by_item[s2].method == "majority"


def test_an_annotators_latest_annotation_is_their_only_ballot():
    first = ballot("a", stances={(None, "Rosja"): "favor"}, annotation_id="ls-9")
    second = ballot("a", stances={(None, "Rosja"): "against"}, annotation_id="ls-12")
    (kept,) = latest_per_annotator([second, first])
    assert kept.annotation_id == "ls-12"  # 12 > 9 as numbers, not as strings


def test_overlapping_spans_cluster_transitively_per_label():
    spans = [((0, 5, "HEDGE"), "x"), ((4, 9, "HEDGE"), "y"), ((8, 12, "HEDGE"), "z")]
    spans += [((12, 15, "HEDGE"), "x")]  # touches 12 but shares no character: its own cluster
    clusters = overlap_clusters(spans)
    assert [len(c) for c in clusters] == [3, 1]


def test_span_cluster_kept_by_a_strict_majority_of_the_articles_annotators():
    ballots = [
        ballot("a", spans=[(10, 20, "HEDGE"), (30, 40, "EVALUATIVE")]),
        ballot("b", spans=[(10, 20, "HEDGE")]),
        ballot("c", spans=[(12, 20, "HEDGE")]),
    ]
    found, rule = gold_spans(ballots)
    # HEDGE: 3 of 3 annotators, (10, 20) given by 2 → kept there; EVALUATIVE: 1 of 3 → dropped
    assert found == [(10, 20, "HEDGE")] and rule == SPAN_RULE


def test_an_annotator_without_spans_still_counts_toward_the_majority():
    ballots = [ballot("a", spans=[(0, 4, "QUOTE")]), ballot("b")]
    assert gold_spans(ballots) == ([], SPAN_RULE)  # 1 of 2 is not a strict majority


def test_extent_tie_goes_to_the_earliest_start_then_end():
    ballots = [
        ballot("a", spans=[(5, 9, "HEDGE")]),
        ballot("b", spans=[(3, 9, "HEDGE")]),
        ballot("c", spans=[(3, 8, "HEDGE")]),
    ]
    # every extent is given once: the earliest start (3), then the earliest end (8)
    assert gold_spans(ballots)[0] == [(3, 8, "HEDGE")]


def test_an_annotator_drawing_one_extent_twice_counts_once():
    ballots = [
        ballot("a", spans=[(0, 6, "QUOTE"), (1, 6, "QUOTE")]),
        ballot("b", spans=[(1, 6, "QUOTE")]),
        ballot("c", spans=[(0, 6, "QUOTE")]),
    ]
    # (0, 6): a, c; (1, 6): a, b — a tie of 2 each → the earliest start wins
    assert gold_spans(ballots)[0] == [(0, 6, "QUOTE")]


def test_adjudicated_spans_are_the_gold():
    ballots = [
        ballot("a", spans=[(0, 4, "HEDGE")]),
        ballot("b", spans=[(0, 4, "HEDGE")]),
        ballot("c", spans=[(6, 9, "QUOTE")], ground_truth=True),
    ]
    assert gold_spans(ballots) == ([(6, 9, "QUOTE")], ADJUDICATED_RULE)


def test_an_item_judged_by_fewer_than_the_minimum_has_no_gold():
    s1 = ("a1-s0001", "Rosja")
    alone = [ballot("a", stances={s1: "against"})]
    (found,) = gold_stances(alone)  # the default minimum is 2
    assert (found.stance, found.method, found.votes, found.agreeing) == (
        None,
        "insufficient_votes",
        1,
        0,
    )
    (found,) = gold_stances(alone, min_annotators=1)
    assert (found.stance, found.method) == ("against", "majority")
    # two of three annotators of the article judged s2: enough votes for a minimum of 2, not of 3
    s2 = ("a1-s0002", "Rosja")
    ballots = [
        ballot("a", stances={s2: "favor"}),
        ballot("b", stances={s2: "favor"}),
        ballot("c", stances={s1: "neutral"}),
    ]
    by_item = {(g.sentence_id, g.target): g for g in gold_stances(ballots)}
    assert (by_item[s2].stance, by_item[s2].method) == ("favor", "majority")
    assert by_item[s1].method == "insufficient_votes"
    by_item = {(g.sentence_id, g.target): g for g in gold_stances(ballots, min_annotators=3)}
    assert by_item[s2].stance is None and by_item[s2].method == "insufficient_votes"


def test_a_tie_with_enough_votes_is_no_majority_not_insufficient_votes():
    s1 = ("a1-s0001", "Rosja")
    ballots = [ballot("a", stances={s1: "favor"}), ballot("b", stances={s1: "against"})]
    (found,) = gold_stances(ballots)
    assert (found.stance, found.method, found.votes) == (None, "no_majority", 2)


def test_adjudication_is_gold_whatever_the_number_of_annotators():
    s1 = ("a1-s0001", "KRLD")
    judge = ballot("j", spans=[(3, 9, "HEDGE")], stances={s1: "against"}, ground_truth=True)
    (found,) = gold_stances([judge], min_annotators=3)
    assert (found.stance, found.method, found.votes, found.agreeing) == (
        "against",
        "adjudicated",
        1,
        1,
    )
    assert gold_spans([judge], min_annotators=3) == ([(3, 9, "HEDGE")], ADJUDICATED_RULE)
    assert span_method([judge], min_annotators=3) == "adjudicated"


def test_gold_spans_need_the_minimum_of_the_articles_annotators():
    one = [ballot("a", spans=[(10, 20, "HEDGE")])]
    assert gold_spans(one) == ([], SPAN_RULE)
    assert span_method(one) == "insufficient_votes"
    assert gold_spans(one, min_annotators=1) == ([(10, 20, "HEDGE")], SPAN_RULE)
    two = [ballot("a", spans=[(10, 20, "HEDGE")]), ballot("b", spans=[(12, 20, "HEDGE")])]
    assert gold_spans(two) == ([(10, 20, "HEDGE")], SPAN_RULE)
    assert span_method(two) == "majority"
    # a second annotator without spans counts towards the minimum, and against the majority
    silent = [ballot("a", spans=[(10, 20, "HEDGE")]), ballot("b")]
    assert gold_spans(silent) == ([], SPAN_RULE) and span_method(silent) == "majority"


def test_gold_min_annotators_comes_from_the_config_and_must_be_a_positive_integer(tmp_path):
    assert load_config().gold_min_annotators == 2
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.agitprop]\ngold_min_annotators = 3\n", encoding="utf-8")
    assert load_config(pyproject).gold_min_annotators == 3
    for bad in (0, -1, True, "2", 1.5):
        with pytest.raises(ValueError, match="gold_min_annotators"):
            ProjectConfig(gold_min_annotators=bad)
