"""The benchmark's reading and scoring, on a shipped miniature treebank (not ../shared)."""

from __future__ import annotations

import importlib.util
import sys

from conftest import FIXTURES

from builders.paths import REPO_ROOT

_spec = importlib.util.spec_from_file_location(
    "segmentation_benchmark", REPO_ROOT / "benchmarks" / "segmentation.py"
)
benchmark = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = benchmark  # dataclasses look their module up
_spec.loader.exec_module(benchmark)

MINI = FIXTURES / "segment" / "mini.conllu"


def test_only_newspaper_sentences_are_read():
    assert benchmark.newspaper_sentences(MINI) == [
        "W 1981 r. było zimno.",
        "Zginęło 6 tys. żołnierzy.",
    ]


def test_pseudo_articles_mark_gold_boundaries_in_both_variants():
    sentences = ["Ala ma kota.", "Kot ma Alę.", "Koniec."]
    clean, fused = (benchmark.pseudo_articles(sentences, j)[0] for j in (" ", ""))
    assert clean.text == "Ala ma kota. Kot ma Alę. Koniec."
    assert clean.gold == {12, 24}
    assert fused.text == "Ala ma kota.Kot ma Alę.Koniec."
    assert fused.gold == {12, 23}


def test_scores_count_every_miss_and_false_alarm():
    articles = benchmark.pseudo_articles(["Ala ma 6 tys. kotów.", "Kot śpi.", "Pies nie."], "")
    perfect = benchmark.evaluate(benchmark.agitprop_splitter(), articles, 1, [])
    assert (perfect.tp, perfect.fp, perfect.fn) == (2, 0, 0)
    assert perfect.f1 == 1.0
    errors: list[str] = []
    never = benchmark.evaluate(lambda text: set(), articles, 1, errors)
    assert (never.tp, never.fn, never.recall) == (0, 2, 0.0)
    assert len(errors) == 2 and errors[0].startswith("FN")
