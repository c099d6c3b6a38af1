"""QUOTE across line breaks and paragraphs, per language: en “…” continued over paragraphs
(one span per paragraph piece, never the reopening mark), ru «…„…“…», pl „…‚…’…” and „…“."""

from __future__ import annotations

import json

import pytest
from cue_evaluation import tag_article

from builders.cues.rules import load_quote_rules
from builders.records import Article
from builders.schemas import DataFileError


def quote_spans(text: str, language: str) -> tuple[list, list]:
    spans, warnings = tag_article(Article("t", text, language))
    found = [s for s in spans if s.label == "QUOTE"]
    for span in found:
        assert text[span.start : span.end] == span.text
    return found, warnings


def offsets(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


# PTC shape: title, blank line, paragraphs separated by blank lines, lines inside paragraphs
PTC_ARTICLE = (
    "Minister Vows To Fight On\n"
    "\n"
    "The minister said: “We will never surrender.\n"
    "The fight goes on.” He left the stage.\n"
    "\n"
    "Later he added: “Our enemies are weak.\n"
    "\n"
    "“They will fall, and soon.\n"
    "\n"
    "“Nobody can stop us.”\n"
    "\n"
    "Critics called it “propaganda”.\n"
)


def test_english_quote_across_a_line_break_is_one_span():
    found, warnings = quote_spans(PTC_ARTICLE, "en")
    piece = "We will never surrender.\nThe fight goes on."
    assert (found[0].start, found[0].end) == offsets(PTC_ARTICLE, piece)
    assert found[0].text == piece
    assert "part" not in found[0].attributes
    assert warnings == []


def test_english_quote_continued_over_paragraphs_gives_one_span_per_piece():
    found, _ = quote_spans(PTC_ARTICLE, "en")
    pieces = ["Our enemies are weak.", "They will fall, and soon.", "Nobody can stop us."]
    continued = [s for s in found if "part" in s.attributes]
    assert [(s.start, s.end) for s in continued] == [offsets(PTC_ARTICLE, p) for p in pieces]
    assert [s.attributes["part"] for s in continued] == [1, 2, 3]
    assert {s.attributes["parts"] for s in continued} == {3}
    assert all("“" not in s.text for s in continued)  # never the reopening mark
    assert {s.attributes["kind"] for s in continued} == {"direct"}
    assert {s.attributes["depth"] for s in continued} == {0}
    scare = [s for s in found if s.text == "propaganda"]
    assert [(s.start, s.end) for s in scare] == [offsets(PTC_ARTICLE, "propaganda")]


def test_english_continued_pieces_share_the_speaker():
    text = "Putin said: “We are strong.\n\n“We will win.”"
    found, warnings = quote_spans(text, "en")
    assert [s.text for s in found] == ["We are strong.", "We will win."]
    assert [(s.start, s.end) for s in found] == [(13, 27), (30, 42)]
    assert found[0].attributes["speaker"] == found[1].attributes["speaker"] == "Putin"
    assert warnings == []


def test_english_continuation_never_closed_gives_no_span_and_one_warning():
    text = "He said: “First part.\n\n“Second part, never closed.\n\nNext paragraph."
    found, warnings = quote_spans(text, "en")
    assert found == []
    assert [(w.kind, w.offset) for w in warnings] == [("unbalanced quotation mark", 9)]


def test_paragraph_without_a_reopening_mark_ends_the_quote():
    text = "He said: “First part.\n\nOther text here.\n\n“Second.”"
    found, warnings = quote_spans(text, "en")
    assert [(s.start, s.end) for s in found] == [offsets(text, "Second.")]
    assert [w.offset for w in warnings] == [9]


def test_apostrophes_inside_english_single_quotes():
    text = "She wrote: “He called it ‘a war we don’t want’ yesterday.”"
    found, _ = quote_spans(text, "en")
    inner = [s for s in found if s.attributes["depth"] == 1]
    assert [(s.start, s.end) for s in inner] == [offsets(text, "a war we don’t want")]


def test_russian_guillemets_with_inner_low_quotes():
    text = "Песков заявил: «Это так называемая „операция“ в Киеве.\nМы продолжим»."
    found, warnings = quote_spans(text, "ru")
    outer = "Это так называемая „операция“ в Киеве.\nМы продолжим"
    assert [(s.start, s.end, s.attributes["depth"]) for s in found] == [
        (*offsets(text, outer), 0),
        (*offsets(text, "операция"), 1),
    ]
    assert warnings == []


def test_ukrainian_guillemets():
    text = "Зеленський сказав: «Ми не здамося»."
    found, _ = quote_spans(text, "uk")
    assert [(s.start, s.end) for s in found] == [offsets(text, "Ми не здамося")]


def test_polish_nested_quotes_across_a_line_break():
    text = "Minister powiedział: „Słyszałem ‚wracajcie do domu’\ni odszedłem”. Tyle.\n„Inny“ cytat."
    found, warnings = quote_spans(text, "pl")
    assert [(s.start, s.end, s.attributes["depth"]) for s in found] == [
        (*offsets(text, "Słyszałem ‚wracajcie do domu’\ni odszedłem"), 0),
        (*offsets(text, "wracajcie do domu"), 1),
        (*offsets(text, "Inny"), 0),
    ]
    assert warnings == []


def test_polish_has_no_paragraph_continuation():
    text = "Powiedział: „Pierwszy akapit.\n\n„Drugi akapit”."
    found, warnings = quote_spans(text, "pl")
    assert [(s.start, s.end) for s in found] == [offsets(text, "Drugi akapit")]
    assert [w.offset for w in warnings] == [12]


def test_paragraph_break_still_ends_an_open_quote():
    text = "Portal podał „bez końca.\n\nNowy akapit z „cytatem”."
    found, warnings = quote_spans(text, "pl")
    assert [(s.start, s.end) for s in found] == [offsets(text, "cytatem")]
    assert [(w.kind, w.offset) for w in warnings] == [("unbalanced quotation mark", 13)]


def test_each_span_names_its_quote_rules():
    found, _ = quote_spans("Rzecznik: „Tak”.", "pl")
    assert found[0].attributes["quote_rules"] == "quotes_pl@1.0.0"


@pytest.mark.parametrize("language", ["pl", "en", "ru", "uk"])
def test_every_language_has_quote_rules(language):
    rules = load_quote_rules(language)
    assert rules.ref == f"quotes_{language}@1.0.0"
    assert "”" in rules.marks and "»" in rules.marks


def test_quote_rules_breaking_their_schema_are_refused(tmp_path):
    (tmp_path / "pl.json").write_text(
        json.dumps(
            {
                "$schema": "quote_rules.schema.json",
                "name": "quotes_pl",
                "version": "1",
                "language": "pl",
                "pairs": {"„„": "”"},
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as refused:
        load_quote_rules("pl", tmp_path)
    assert "/version" in str(refused.value) and "/pairs" in str(refused.value)
