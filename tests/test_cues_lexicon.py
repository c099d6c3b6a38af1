"""REGIME_TERM, HEDGE, EVALUATIVE and ATTRIBUTION: lemma matching across inflection and order."""

from __future__ import annotations

import pytest
from cue_evaluation import tag_article

from builders.records import Article


def labelled(text: str, label: str, language: str = "pl") -> list[str]:
    spans, _ = tag_article(Article("t", text, language))
    return [s.text for s in spans if s.label == label]


@pytest.mark.parametrize(
    ("language", "text", "term"),
    [
        ("pl", "Rosja kontynuuje specjalną operację wojskową.", "specjalną operację wojskową"),
        ("pl", "W trakcie specjalnej operacji wojskowej zginęli.", "specjalnej operacji wojskowej"),
        ("pl", "Mówił o walce z reżimem kijowskim.", "reżimem kijowskim"),
        ("pl", "Mówił o walce z kijowskim reżimem.", "kijowskim reżimem"),
        ("pl", "Chodzi o wyzwolenia terytorium Rosji.", "wyzwolenia terytorium Rosji"),
        ("pl", "Celem jest denazyfikacji kraju.", "denazyfikacji"),
        ("ru", "В ходе специальной военной операции.", "специальной военной операции"),
        ("uk", "Під час спеціальної військової операції.", "спеціальної військової операції"),
        ("en", "The special military operations continue.", "special military operations"),
    ],
)
def test_regime_terms_across_inflection_and_order(language, text, term):
    assert labelled(text, "REGIME_TERM", language) == [term]


def test_terms_do_not_match_across_punctuation():
    assert labelled("To była operacja specjalna. Wojskowa kolumna ruszyła.", "REGIME_TERM") == [
        "operacja specjalna"
    ]
    assert labelled("Była to operacja. Specjalna komisja zbadała sprawę.", "REGIME_TERM") == []


def test_evaluative_is_the_outlets_own_words_only():
    text = 'Ambasador powiedział: "Reżim rosyjski kłamie". Reżim Putina milczy.'
    assert labelled(text, "EVALUATIVE") == ["Reżim Putina"]


def test_evaluative_yields_to_regime_term():
    assert labelled("Mówi się o reżimie kijowskim.", "EVALUATIVE") == []
    assert labelled("Mówi się o reżimie kijowskim.", "REGIME_TERM") == ["reżimie kijowskim"]


def test_hedges_inflected():
    text = "Pojawiły się spekulacje. Wizyta może być związana z rocznicą, rzekomo tajną."
    assert labelled(text, "HEDGE") == ["spekulacje", "może być związana", "rzekomo"]


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        ("Decyzję podjęto – podała agencja Yonhap.", "podała agencja Yonhap", "agencja Yonhap"),
        ("Szojgu oświadczyła, że zgoda jest.", "Szojgu oświadczyła, że", "Szojgu"),
        ("Szojgu oświadczy jutro swoje stanowisko.", "Szojgu oświadczy", "Szojgu"),
        ("Według rosyjskich mediów Szojgu przybył.", "Według rosyjskich mediów", None),
        ("Wcześniej północnokoreańskie media podadzą, że tak.", None, "północnokoreańskie media"),
    ],
)
def test_attribution_any_person_and_tense(text, cue, speaker):
    spans, _ = tag_article(Article("t", text, "pl"))
    (found,) = [s for s in spans if s.label == "ATTRIBUTION"]
    if cue:
        assert found.text == cue
    assert found.attributes["speaker"] == (speaker or "rosyjskich mediów")


def test_attribution_speaker_carried_by_pronoun_and_subjectless_verb():
    text = "Rzecznik Kremla Dmitrij Pieskow powiedział to wczoraj. Dodał, że nic się nie zmieni."
    spans, _ = tag_article(Article("t", text, "pl"))
    carried = [s for s in spans if s.label == "ATTRIBUTION" and s.text == "Dodał, że"]
    assert carried and carried[0].attributes["speaker"] == "Rzecznik Kremla Dmitrij Pieskow"
    assert carried[0].attributes["carried"] is True
    assert carried[0].attributes["actor"] == "ru.peskov"


def test_reportative_mial_with_infinitive_is_a_hedge():
    text = "W styczniu reżim miał dysponować głowicami. Saperzy mają zająć się minami. Miał dom."
    assert labelled(text, "HEDGE") == ["miał dysponować"]


def test_dative_regime_label_that_simplemma_misreads_is_covered_by_forms():
    assert labelled("Reżimowi Kima zależy na wojnie.", "EVALUATIVE") == ["Reżimowi Kima"]
