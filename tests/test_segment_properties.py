"""Properties of segmentation on arbitrary text, and linear time on pathological input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders.segment import load_rules, segment_sentences

PIECES = st.sampled_from(
    [
        "Zdanie",
        "zdanie",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\t",
        "\u00a0",
        ".",
        "...",
        "…",
        "?",
        "!",
        "?!",
        "„",
        "”",
        '"',
        "'",
        "«",
        "»",
        "(",
        ")",
        "[",
        "]",
        "–",
        "-",
        " – ",
        "tys.",
        "m.in.",
        "r.",
        "J.",
        "Ch.",
        "11.",
        "24.11.2026",
        "3.5",
        "www.",
        "@",
        "://",
        "NATO",
        "Ukrainą.Elementem",
        "Czytaj więcej:",
        "REKLAMA",
        "Nowy",
        " w ",
        "😀",
        "e\u0301",
        "Ż",
        "ż",
        "Москва",
        "т.е.",
        "г.",
        "Mr.",
        "a",
        "A",
        "1",
    ]
)
WORDS = st.sampled_from(
    [
        "Ogromne",
        "straty",
        "wśród",
        "żołnierzy",
        "Nowy",
        "Sącz",
        "kontyngent",
        "to",
        "wsparcie",
        "REKLAMA",
        "Czytaj",
        "więcej:",
        "W",
        "2014",
        "r.",
        "tys.",
        "Rosja",
        "itd.",
        "–",
        "zapytał",
    ]
)
SEPARATORS = st.sampled_from([" ", " ", " ", "", ".", ". ", "? ", "\n", ".\n"])
# sentence-like text, where headings, tails and markers actually occur and get split
PROSE = st.lists(st.tuples(WORDS, SEPARATORS), max_size=60).map(
    lambda pairs: "".join(word + separator for word, separator in pairs)
)
TEXTS = st.one_of(
    st.lists(PIECES, min_size=0, max_size=80).map("".join),
    st.text(max_size=200),
    PROSE,
)
KINDS = {"title", "heading", "boilerplate", "body"}


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, language=st.sampled_from(["pl", "en", "ru", "uk"]))
def test_sentences_are_exact_ordered_trimmed_and_lose_nothing(text, language):
    sentences = segment_sentences("p", text, load_rules(language))
    previous_end = 0
    for index, sentence in enumerate(sentences):
        assert sentence.index == index
        assert text[sentence.start : sentence.end] == sentence.text  # code-point offsets
        assert sentence.text and sentence.text == sentence.text.strip()
        assert sentence.kind in KINDS
        # in order, never overlapping, and only whitespace left out between them
        assert previous_end <= sentence.start
        assert text[previous_end : sentence.start].strip() == ""
        previous_end = sentence.end
    assert text[previous_end:].strip() == ""


@settings(max_examples=100, deadline=None)
@given(text=TEXTS)
def test_segmentation_is_deterministic(text):
    rules = load_rules("pl")
    assert segment_sentences("p", text, rules) == segment_sentences("p", text, rules)


PATHOLOGICAL = {
    "100k characters without punctuation": "słowo " * 16_667,
    "100k characters, one word": "a" * 100_000,
    "10k periods in a row": "." * 10_000,
    "10k periods between words": "Ala. " * 10_000,
    "only whitespace": " \n\t\u00a0" * 25_000,
    "50k initials": "A." * 50_000,
    "50k fused cuts": "a.B" * 33_334,
    "abbreviations everywhere": "tys. Ala " * 11_000,
    "fused cuts around an @": "@" + "ab.Cd" * 20_000,
    "a hundred thousand line breaks": "\n" * 100_000,
    "headings everywhere": "Ogromne straty wśród żołnierzy Nowy kontyngent.\n" * 2_000,
    "boilerplate everywhere": "Czytaj więcej: x. Y\n" * 5_000,
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=list(PATHOLOGICAL))
def test_pathological_input_keeps_offsets_exact(text):
    # how the time grows on such input is tested as a ratio in tests/hostile/test_linear_time.py
    rules = load_rules("pl")
    sentences = segment_sentences("p", text, rules)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    if not text.strip():
        assert sentences == []
