"""Lemmatisation with simplemma behind a per-language cache.

Chosen over morfeusz2 by measurement (see docs/cues.md): simplemma covers all four of
our languages (morfeusz2 is Polish only), is pure Python with no native dictionary to install,
and with a cache in front costs one dict lookup per word. Its known misses on Polish forms
(e.g. "reżimowi" → "reżimowy", surnames such as "Kima") are handled in data: lexicon ``forms``
and the name-stem rule in ``builders.cues.phrases``.
"""

from __future__ import annotations

from functools import cache
from itertools import filterfalse

from simplemma import Lemmatizer as SimplemmaLemmatizer
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.utils import normalize_token

from builders.cues.dictionaries import DICTIONARIES

# simplemma.lemmatize / is_known with their defaults, over the once-decoded dictionaries
_LEMMATIZER = SimplemmaLemmatizer(
    lemmatization_strategy=DefaultStrategy(greedy=False, dictionary_factory=DICTIONARIES)
)
_LOOKUP = DictionaryLookupStrategy(DICTIONARIES)

CACHE_LIMIT = 500_000  # distinct word forms kept per language before the cache starts afresh


class Lemmatizer:
    def __init__(self, language: str) -> None:
        self.language = language
        self._known: dict[str, bool] = {}
        self.clear()

    def clear(self) -> None:
        """Forget every cached word form (benchmarks use this to measure a cold start)."""
        # two dicts, not one of pairs: ``analyse`` then reads each with one C-speed ``map``
        self._lemmas: dict[str, str] = {"": ""}
        self._keys: dict[str, str | None] = {"": None}

    def _entry(self, word: str) -> tuple[str, str | None]:
        """(lower-cased lemma, name key or None): the key is set for capitalised words."""
        lemma = self._lemmas.get(word)
        if lemma is None:
            if len(self._lemmas) > CACHE_LIMIT:
                self.clear()
            lemma = self._lemmas[word] = _LEMMATIZER.lemmatize(word, self.language).lower()
            self._keys[word] = "\0" + name_stem(word) if word[:1].isupper() else None
        return lemma, self._keys[word]

    def lemma(self, word: str) -> str:
        """Lower-cased lemma of ``word`` (lower-cased word if simplemma does not know it)."""
        return self._entry(word)[0]

    def is_known(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = (
                _LOOKUP.get_lemma(normalize_token(word), self.language) is not None
            )
        return known

    def analyse(self, words: list[str]) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
        """Lemmas of ``words`` and their name keys, one C-speed pass each once cached."""
        try:
            return tuple(map(self._lemmas.__getitem__, words)), tuple(
                map(self._keys.__getitem__, words)
            )
        except KeyError:  # new forms: Python touches only them
            for word in filterfalse(self._lemmas.__contains__, words):
                self._entry(word)
        try:
            return tuple(map(self._lemmas.__getitem__, words)), tuple(
                map(self._keys.__getitem__, words)
            )
        except KeyError:  # the cache started afresh while filling it
            lemmas, keys = zip(*map(self._entry, words), strict=True) if words else ((), ())
            return lemmas, keys


_ENDINGS_PL = ("owi", "ach", "ami", "om", "em", "ie", "ym", "a", "u", "y", "ę", "ą", "i", "e")
_ENDINGS_EAST = ("ого", "ему", "ові", "ой", "ом", "ым", "ою", "а", "у", "е", "ы", "ю", "я", "і")
NAME_ENDINGS = tuple(sorted({*_ENDINGS_PL, *_ENDINGS_EAST}, key=lambda e: (-len(e), e)))


_STEMS: dict[str, str] = {}


def name_stem(word: str) -> str:
    """The word lower-cased without one case ending: "Kima", "Kimem" → "kim"."""
    found = _STEMS.get(word)
    if found is None:
        if len(_STEMS) > 200_000:
            _STEMS.clear()
        found = _STEMS[word] = _strip_ending(word)
    return found


def _strip_ending(word: str) -> str:
    lowered = word.lower()
    if word.isupper() and len(word) > 1:
        return lowered  # acronyms (TASS, KCNA) are not inflected by stripping
    for ending in NAME_ENDINGS:
        if lowered.endswith(ending) and len(lowered) - len(ending) >= 3:
            return lowered[: -len(ending)]
    return lowered


@cache
def lemmatizer(language: str) -> Lemmatizer:
    return Lemmatizer(language)
