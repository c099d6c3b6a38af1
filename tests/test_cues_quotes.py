"""QUOTE: every quote style, nesting, quotes across sentences, unbalanced marks, kind, speaker."""

from __future__ import annotations

import pytest
from conftest import build_into
from cue_evaluation import tag_article

from builders.records import Article


def tag(text: str, language: str = "pl"):
    spans, warnings = tag_article(Article("t", text, language))
    for span in spans:
        assert text[span.start : span.end] == span.text
    return spans, warnings


def quotes(text: str, language: str = "pl") -> dict[str, dict]:
    return {s.text: s.attributes for s in tag(text, language)[0] if s.label == "QUOTE"}


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("„", "”"), ('"', '"'), ("“", "”"), ("«", "»"), ("‚", "’"), ("‹", "›"), ("„", "“")],
)
def test_each_quote_style(opening, closing):
    text = f"Minister powiedział: {opening}Nie oddamy ani metra{closing}. Koniec."
    found = quotes(text)
    assert list(found) == ["Nie oddamy ani metra"]
    assert found["Nie oddamy ani metra"]["mark"] == opening


def test_nested_quotes_both_found_with_depth():
    found = quotes("Napisał: „Usłyszałem ‚wracajcie do domu’ i odszedłem”. Potem zamilkł.")
    assert found["Usłyszałem ‚wracajcie do domu’ i odszedłem"]["depth"] == 0
    assert found["wracajcie do domu"]["depth"] == 1


def test_quote_spanning_sentences():
    text = "Ławrow oświadczył: „Zachód prowadzi wojnę. Nie poddamy się”. Tyle."
    assert "Zachód prowadzi wojnę. Nie poddamy się" in quotes(text)


def test_unbalanced_mark_gives_no_span_and_a_warning():
    text = "Portal podał „bez zmian. Dalej tekst bez końca.\nNowy akapit z „cytatem pełnym”."
    spans, warnings = tag(text)
    found = [s.text for s in spans if s.label == "QUOTE"]
    assert found == ["cytatem pełnym"]
    assert any("unbalanced '„' at 13" in w.message for w in warnings)


def test_unclosed_at_end_never_runs_to_the_end():
    spans, warnings = tag("Rzecznik powiedział „że wszystko jest w porządku. I tak dalej")
    assert [s for s in spans if s.label == "QUOTE"] == []
    assert warnings


def test_apostrophes_are_not_quotes():
    text = "Ukraine’s minister said Russia’s “peace plan” is a trap."
    spans, warnings = tag(text, "en")
    assert [s.text for s in spans if s.label == "QUOTE"] == ["peace plan"]
    assert warnings == []


def test_scare_quote_after_tzw_and_direct_speech_with_speaker():
    found = quotes("Zorganizowano tzw. „referendum” w Chersoniu.")
    assert found["referendum"]["kind"] == "scare" and "speaker" not in found["referendum"]
    found = quotes("„Nie ma mowy o negocjacjach” – powiedział rzecznik Kremla Dmitrij Pieskow.")
    quote = found["Nie ma mowy o negocjacjach"]
    assert quote["kind"] == "direct" and quote["speaker"] == "rzecznik Kremla Dmitrij Pieskow"


def test_speaker_carried_to_following_sentences_but_not_past_a_paragraph():
    text = (
        "Szojgu oświadczył, że decyzja zapadła. Saperzy mają zająć się „rozminowywaniem”. "
        "Celem jest „odbudowa infrastruktury”.\nW nowym akapicie ktoś mówi o „odbudowie mostów”."
    )
    found = quotes(text)
    assert found["rozminowywaniem"]["speaker"] == "Szojgu"
    assert found["odbudowa infrastruktury"]["speaker"] == "Szojgu"
    assert "speaker" not in found["odbudowie mostów"]


def test_regime_quote_follows_the_speaker():
    spans, _ = tag("Jak podała agencja TASS, wojska „zneutralizowały grupę dywersyjną”.")
    regime = [s for s in spans if s.label == "REGIME_QUOTE"]
    assert [s.text for s in regime] == ["zneutralizowały grupę dywersyjną"]
    assert regime[0].attributes["actor"] == "ru.tass"
    spans, _ = tag("Jak podała agencja Yonhap, wojska „zajęły pozycje”.")
    assert not [s for s in spans if s.label == "REGIME_QUOTE"]


def test_build_reports_unbalanced_quotes(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "unbalanced.txt").write_text("Rzecznik powiedział „że nic. Koniec.", encoding="utf-8")
    result = build_into(tmp_path, seeds)
    assert [w.describe() for w in result.warnings] == [
        "unbalanced: unbalanced '„' at 20; no QUOTE span produced"
    ]
