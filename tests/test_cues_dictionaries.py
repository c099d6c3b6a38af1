"""simplemma's dictionaries decoded once and cached: the lemmas must be simplemma's own."""

from __future__ import annotations

import simplemma

from builders.cues import dictionaries
from builders.cues.lemmas import Lemmatizer

WORDS = {
    "pl": [
        "wyzwolenia",
        "terytorium",
        "Rosji",
        "reżimowi",
        "żołnierzy",
        "Szojgu",
        "podała",
        "oświadczył",
        "mogą",
        "spekulacje",
        "prawdopodobnie",
        "xyzqwe",
        "Kima",
        "dyktatora",
    ],
    "ru": ["освобождения", "территории", "России", "заявил", "специальной", "операции"],
    "uk": ["звільнення", "території", "заявив", "режиму"],
    "en": ["liberation", "territory", "claimed", "regime", "allegedly"],
}


def test_cached_lemmas_and_known_words_equal_simplemmas(tmp_path, monkeypatch):
    monkeypatch.setenv("AGITPROP_CACHE", str(tmp_path))
    for language, words in WORDS.items():
        ours = Lemmatizer(language)
        for word in words:
            assert ours.lemma(word) == simplemma.lemmatize(word, lang=language).lower(), word
            assert ours.is_known(word) == simplemma.is_known(word, lang=language), word


def test_decoded_dictionary_is_cached_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("AGITPROP_CACHE", str(tmp_path))
    first = dictionaries.load_decoded("en")
    (cached,) = (tmp_path / "agitprop" / "simplemma").glob("en-*.pickle")
    calls = []
    monkeypatch.setattr(
        dictionaries.shipped, "_load_dictionary_from_disk", lambda lang: calls.append(lang)
    )
    assert dictionaries.load_decoded("en") == first  # from the file, not decoded again
    assert calls == [] and cached.stat().st_size > 0


def test_an_unreadable_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("AGITPROP_CACHE", str(tmp_path))
    expected = dictionaries.load_decoded("en")
    (cached,) = (tmp_path / "agitprop" / "simplemma").glob("en-*.pickle")
    cached.write_bytes(b"not a pickle")
    assert dictionaries.load_decoded("en") == expected
