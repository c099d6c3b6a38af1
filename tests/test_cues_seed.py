"""The seed article: the mission's six regime quotations, their speakers and the source cues."""

from __future__ import annotations

import pytest
from conftest import SEED_ID, SEEDS, build_into, read_config
from cue_evaluation import tag_article

from builders.cues import default_detectors
from builders.records import Article
from builders.taxonomy import load_taxonomy

SEED_TEXT = (SEEDS / f"{SEED_ID}.txt").read_text(encoding="utf-8")
QUOTES = {  # quotation → a word its speaker attribute must contain, and the actor's country
    "rozminowywaniem rosyjskiego terytorium": ("Szojgu", "RU"),
    "odbudową zniszczonych obiektów infrastrukturalnych": ("Szojgu", "RU"),
    "uwiecznienie bohaterskiego czynu żołnierzy Armii Koreańskiej Republiki "
    "Ludowo-Demokratycznej, którzy brali udział w działaniach bojowych": ("Szojgu", "RU"),
    "polegli w walkach o wyzwolenie terytorium Rosji": ("Szojgu", "RU"),
    "po otrzymaniu specjalnych instrukcji": ("rosyjskich mediów", "RU"),
    "bezwarunkowe": ("północnokoreańskie media", "KP"),
}
ATTRIBUTIONS = [
    "podała agencja Yonhap",
    "Szojgu oświadczył, że",
    "Jak zaznaczyło biuro prasowe",
    "Według rosyjskich mediów",
    "północnokoreańskie media podały",
    "podkreśla Yonhap",
    "Szojgu zapowiedział",
    "Według brytyjskiego resortu obrony",
]


@pytest.fixture(scope="module")
def seed_spans():
    spans, warnings = tag_article(Article(SEED_ID, SEED_TEXT, "pl"))
    assert warnings == []
    return spans


def _by_label(spans, label):
    return {span.text: span for span in spans if span.label == label}


def test_all_six_quotations_exact_with_speaker(seed_spans):
    quotes = _by_label(seed_spans, "QUOTE")
    assert set(quotes) == set(QUOTES)
    for text, (speaker, _) in QUOTES.items():
        span = quotes[text]
        assert SEED_TEXT[span.start - 1] == "„" and SEED_TEXT[span.end] == "”"
        assert speaker in span.attributes["speaker"], (text, span.attributes)
        assert span.attributes["kind"] == "direct"
        start, end = span.attributes["speaker_start"], span.attributes["speaker_end"]
        assert SEED_TEXT[start:end] == span.attributes["speaker"]


def test_every_seed_quotation_is_a_regime_quote(seed_spans):
    regime = _by_label(seed_spans, "REGIME_QUOTE")
    quotes = _by_label(seed_spans, "QUOTE")
    assert set(regime) == set(QUOTES)
    for text, (_, country) in QUOTES.items():
        assert (regime[text].start, regime[text].end) == (quotes[text].start, quotes[text].end)
        assert regime[text].attributes["country"] == country
        assert regime[text].attributes["actors"].startswith("actors@")


def test_regime_term_flagged_inside_the_quote(seed_spans):
    terms = _by_label(seed_spans, "REGIME_TERM")
    term = terms["wyzwolenie terytorium Rosji"]
    assert term.attributes["quoted"] is True
    assert term.attributes["lexicon"].startswith("regime_terms@")
    assert term.source.startswith("regime_term@")


def test_explicit_attributions_found(seed_spans):
    found = [span.text for span in seed_spans if span.label == "ATTRIBUTION"]
    for cue in ATTRIBUTIONS:
        assert any(text.startswith(cue) for text in found), (cue, found)


def test_hedges_and_loaded_labels(seed_spans):
    assert {"spekulacje", "mogą być związane", "prawdopodobnie"} <= set(
        _by_label(seed_spans, "HEDGE")
    )
    assert {"Reżim Kima", "rosyjskiego dyktatora"} <= set(_by_label(seed_spans, "EVALUATIVE"))


def test_spans_exact_and_sourced(seed_spans):
    sources = {detector.source for detector in default_detectors()}
    labels = set(load_taxonomy().label_names)
    for span in seed_spans:
        assert SEED_TEXT[span.start : span.end] == span.text
        assert span.source in sources and span.label in labels


def test_build_releases_every_label(tmp_path):
    release = build_into(tmp_path, SEEDS).target
    spans = read_config(release, "spans")
    # every label a detector makes (CORPUS_SPAN only comes from imported corpora)
    detected = {label.name for label in load_taxonomy().labels if label.detectors}
    assert detected and {span["label"] for span in spans} == detected
    speakers = [s["attributes"].get("speaker") for s in spans if s["label"] == "QUOTE"]
    assert len(speakers) == 6 and all(speakers)
