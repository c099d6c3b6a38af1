"""Lemmatisation with simplemma behind a per-language cache.

Chosen over morfeusz2 by measurement (see README, "Framing cues"): simplemma covers all four of
our languages (morfeusz2 is Polish only), is pure Python with no native dictionary to install,
and with a cache in front costs one dict lookup per word. Its known misses on Polish forms
(e.g. "reżimowi" → "reżimowy", surnames such as "Kima") are handled in data: lexicon ``forms``
and the name-stem rule in ``builders.cues.phrases``.
"""

from __future__ import annotations

from functools import cache

import simplemma

CACHE_LIMIT = 500_000  # distinct word forms kept per language before the cache starts afresh


class Lemmatizer:
    def __init__(self, language: str) -> None:
        self.language = language
        self._cache: dict[str, str] = {"": ""}
        self._known: dict[str, bool] = {}

    def lemma(self, word: str) -> str:
        """Lower-cased lemma of ``word`` (lower-cased word if simplemma does not know it)."""
        found = self._cache.get(word)
        if found is None:
            if len(self._cache) > CACHE_LIMIT:
                self._cache = {"": ""}
            found = simplemma.lemmatize(word, lang=self.language).lower()
            self._cache[word] = found
        return found

    def is_known(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = simplemma.is_known(word, lang=self.language)
        return known

    def lemmas(self, words: list[str]) -> list[str]:
        get, lemma = self._cache.get, self.lemma
        return [get(word) or lemma(word) for word in words]


@cache
def lemmatizer(language: str) -> Lemmatizer:
    return Lemmatizer(language)
