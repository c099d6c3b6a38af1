"""The shortcuts that make cue detection fast must not change what it finds or the ids it gives.

Each test pins one shortcut against the plain definition it replaces: span ids built from
per-article parts against ``json.dumps`` + SHA-1, the per-text word index against a full scan,
and phrase matching at the rarest word against matching at every word.
"""

from __future__ import annotations

import hashlib
import json

from builders.cues.phrases import PhraseMatcher
from builders.cues.tokens import TokenView, watch
from builders.records import Article, Sentence, SpanMaker, make_span, span_id


def test_span_ids_are_the_documented_hash_of_json():
    article = Article('a"1\\ł', "Szojgu oświadczył, że „to prawda”.", "pl")
    sentences = [Sentence("a-s0000", article.article_id, 0, 0, len(article.text), article.text)]
    made = SpanMaker(article, sentences)(23, 32, "QUOTE", "prelabel", "quote@0.2.0", {"k": 1})
    key = json.dumps(
        [article.article_id, 23, 32, "QUOTE", "prelabel", "quote@0.2.0"], ensure_ascii=False
    )
    expected = f"{article.article_id}-{hashlib.sha1(key.encode()).hexdigest()[:12]}"
    assert made.span_id == expected
    assert span_id(article.article_id, 23, 32, "QUOTE", "prelabel", "quote@0.2.0") == expected
    assert made == make_span(
        article, sentences, 23, 32, "QUOTE", "prelabel", "quote@0.2.0", {"k": 1}
    )
    assert (made.text, made.sentence_id) == ("to prawda", "a-s0000")


def test_span_outside_every_sentence_has_no_sentence_id():
    article = Article("a", "Tytuł\n\nTreść.", "pl")
    sentences = [Sentence("a-s0000", "a", 0, 7, 13, "Treść.")]
    maker = SpanMaker(article, sentences)
    assert maker(0, 5, "QUOTE", "prelabel", "q@1").sentence_id is None
    assert maker(7, 12, "QUOTE", "prelabel", "q@1").sentence_id == "a-s0000"


def test_word_index_lists_every_occurrence_of_watched_words_only():
    view = TokenView("Reżim milczy. Reżimowi Kima nic. Kim milczy.", "pl", [])
    watch("pl", ["milczeć", "\0kim"])
    where = view.where
    assert where["milczeć"] == [k for k, lemma in enumerate(view.lemmas) if lemma == "milczeć"]
    assert where["\0kim"] == [3, 5]  # "Kima", "Kim": capitalised words by name stem
    assert "nic" not in where  # nobody watches it


def test_index_is_rebuilt_for_words_watched_after_it_was_built():
    view = TokenView("Rzekomo padł deszcz w Pcimiu.", "pl", [])
    assert "\0pcimi" not in view.where
    matcher = PhraseMatcher("pl", [("deszcz w Pcimiu", False, "entry")])  # watches its words
    hits = matcher.find(view)
    assert [(h.first, h.last) for h in hits] == [(2, 4)]


def test_phrase_found_wherever_its_rarest_word_is():
    # "Putin" occurs three times, "reżim" once: the phrase is tried at "reżim" only, and still
    # found however the words are spread or ordered
    text = "Putin mówi. Reżim Putina trwa. Putin milczy. Rządzi Putinem reżim."
    view = TokenView(text, "pl", [])
    matcher = PhraseMatcher(
        "pl",
        [("reżim Putina", False, "fixed"), ("reżim kijowski", True, "absent")],
    )
    hits = matcher.find(view)
    assert [(view.words[h.first], view.words[h.last], h.phrase.payload) for h in hits] == [
        ("Reżim", "Putina", "fixed")
    ]
    reordered = PhraseMatcher("pl", [("reżim Putina", True, "any order")])
    found = [(view.words[h.first], view.words[h.last]) for h in reordered.find(view)]
    assert found == [("Reżim", "Putina"), ("Putinem", "reżim")]
