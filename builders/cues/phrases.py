"""Multi-word phrase matching by lemma, for lexicons and actor names.

A phrase is lemmatised like the text, so one entry ("specjalna operacja wojskowa") matches every
inflected form ("specjalnej operacji wojskowej"). Capitalised words (names) match a capitalised
word with the same lemma *or* the same name stem, because lemmatisers guess badly on foreign
surnames ("Kima" → "kima", "Kim" → "kto"): the stem rule strips one case ending from both sides.
Words of one match must be separated by spaces or hyphens only, never by punctuation.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple

from builders.cues.lemmas import lemmatizer, name_stem
from builders.cues.tokens import TokenView, watch

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PhraseWord:
    lemma: str
    stem: str | None  # set for capitalised words: the word is a name

    @property
    def keys(self) -> tuple[str, ...]:
        """What a text word may have to match: its lemma, or for a name also its name key."""
        return (self.lemma,) if self.stem is None else (self.lemma, "\0" + self.stem)

    def matches(self, view: TokenView, k: int) -> bool:
        if self.stem is None:
            return view.lemmas[k] == self.lemma
        key = view.keys[k]
        return key is not None and (view.lemmas[k] == self.lemma or key == "\0" + self.stem)


@dataclass(frozen=True)
class Phrase:
    words: tuple[PhraseWord, ...]
    any_order: bool
    payload: Any

    @property
    def plain(self) -> bool:
        """No names: the phrase matches on lemmas alone (the fast path)."""
        return all(word.stem is None for word in self.words)


class PhraseHit(NamedTuple):
    first: int  # token index of the first word
    last: int  # token index of the last word (inclusive)
    phrase: Phrase


class PhraseMatcher:
    """Finds phrases in a :class:`TokenView`; leftmost-longest, non-overlapping.

    Candidates come from the text's own index (``TokenView.where``): a phrase is tried only if
    every one of its words occurs in the text, and only at the occurrences of the word that is
    rarest *in this text* ("reżim Putina" is tried at each "reżim", not at each "Putin").
    """

    def __init__(self, language: str, phrases: list[tuple[str, bool, Any]]) -> None:
        lemma = lemmatizer(language).lemma
        self.phrases: list[Phrase] = []  # distinct phrases, in data order
        seen = set()
        for text, any_order, payload in phrases:
            words = tuple(
                PhraseWord(lemma(w), name_stem(w) if w[0].isupper() else None)
                for w in WORD.findall(text)
            )
            phrase = Phrase(words, any_order and len(words) > 1, payload)
            # inflected forms of one entry often lemmatise alike ("miał", "miała"): keep one
            if (words, phrase.any_order, id(payload)) not in seen:
                seen.add((words, phrase.any_order, id(payload)))
                self.phrases.append(phrase)
        # Each phrase is listed under one word, the one fewest phrases share ("dyktator" rather
        # than "rosyjski"): a text lacking that word cannot hold the phrase.
        shared_by = Counter(word.lemma for phrase in self.phrases for word in phrase.words)
        self.by_key: dict[str, list[int]] = {}
        for number, phrase in enumerate(self.phrases):
            word = min(phrase.words, key=lambda w: (shared_by[w.lemma], -len(w.lemma)))
            for key in word.keys:
                self.by_key.setdefault(key, []).append(number)
        watch(language, {key for phrase in self.phrases for w in phrase.words for key in w.keys})
        # plain phrases: their lemmas (sorted if any order), compared as tuple slices
        self._plain = [
            None
            if not phrase.plain
            else tuple(sorted(w.lemma for w in phrase.words))
            if phrase.any_order
            else tuple(w.lemma for w in phrase.words)
            for phrase in self.phrases
        ]

    def find(self, view: TokenView, lo: int = 0, hi: int | None = None) -> list[PhraseHit]:
        hi = len(view) if hi is None else hi
        where = view.where
        present = where.keys() & self.by_key.keys()
        if not present:
            return []
        by_key = self.by_key
        hits = []
        for number in sorted({n for key in present for n in by_key[key]}):
            phrase = self.phrases[number]
            anchor = _rarest_word(phrase, where, view.merged)
            if anchor is None:
                continue  # some word of the phrase is nowhere in the text
            position, occurrences = anchor
            plain = self._plain[number]
            if lo or hi < len(view):  # a window (a speaker phrase): its occurrences only, not
                # a look at every occurrence in the text for each of many small windows
                occurrences = occurrences[
                    bisect_left(occurrences, lo) : bisect_left(occurrences, hi)
                ]
            for k in occurrences:
                if plain is None:
                    hit = _match_at(view, k, position, phrase, lo, hi)
                else:
                    hit = _match_plain(view, k, position, phrase, plain, lo, hi)
                if hit:
                    hits.append((hit.first, hit.first - hit.last, number, hit))
        if len(hits) > 1:
            return _leftmost_longest(hits)
        return [hit for *_, hit in hits]


def _rarest_word(
    phrase: Phrase, where: dict[str, list[int]], merged: dict[tuple[str, str], list[int]]
) -> tuple[int, list[int]] | None:
    """(position, occurrences) of the phrase's word that occurs least often in the text.

    ``merged``: the document's name words found by lemma or by name key, merged once per
    document (merging them at every call made each speaker's actor lookup cost a pass over
    the whole text).
    """
    best = None
    for position, word in enumerate(phrase.words):
        if word.stem is None:
            occurrences = where.get(word.lemma)
        else:
            by_lemma, by_name = where.get(word.lemma, ()), where.get("\0" + word.stem, ())
            if by_lemma and by_name:
                occurrences = merged.get((word.lemma, word.stem))
                if occurrences is None:
                    occurrences = merged[word.lemma, word.stem] = sorted({*by_lemma, *by_name})
            else:
                occurrences = by_lemma or by_name
        if not occurrences:
            return None
        if best is None or len(occurrences) < len(best[1]):
            best = (position, occurrences)
    return best


def _match_plain(view, k, position, phrase, lemmas, lo, hi) -> PhraseHit | None:
    """A phrase without names, its word ``position`` at token k: compare lemma tuples."""
    size = len(lemmas)
    if size == 1:
        return PhraseHit(k, k, phrase)  # the anchor lookup already matched its lemma
    if not phrase.any_order:
        first = k - position
        if lo <= first and first + size <= hi and view.lemmas[first : first + size] == lemmas:
            return _joined(view, first, first + size - 1, phrase)
        return None
    for first in range(max(lo, k - size + 1), min(k, hi - size) + 1):
        if tuple(sorted(view.lemmas[first : first + size])) == lemmas:
            hit = _joined(view, first, first + size - 1, phrase)
            if hit:
                return hit
    return None


def _match_at(view, k, position, phrase, lo, hi) -> PhraseHit | None:
    size = len(phrase.words)
    if not phrase.any_order:
        first, last = k - position, k - position + size - 1
        if (
            first < lo
            or last >= hi
            or not all(word.matches(view, first + i) for i, word in enumerate(phrase.words))
        ):
            return None
        return _joined(view, first, last, phrase)
    for first in range(max(lo, k - size + 1), k + 1):
        last = first + size - 1
        if last >= hi:
            break
        unused = list(phrase.words)
        for t in range(first, last + 1):
            match = next((w for w in unused if w.matches(view, t)), None)
            if match is None:
                break
            unused.remove(match)
        else:
            hit = _joined(view, first, last, phrase)
            if hit:
                return hit
    return None


def _joined(view: TokenView, first: int, last: int, phrase: Phrase) -> PhraseHit | None:
    if all(view.plain[t] for t in range(first, last)):
        return PhraseHit(first, last, phrase)
    return None


def _leftmost_longest(hits: list[tuple[int, int, int, PhraseHit]]) -> list[PhraseHit]:
    """Hits as (first, first - last, phrase number, hit): at one start the longest wins, then
    the phrase listed first in the data."""
    chosen: list[PhraseHit] = []
    hits.sort(key=itemgetter(0, 1, 2))
    for *_, hit in hits:
        if not chosen or hit.first > chosen[-1].last:
            chosen.append(hit)
    return chosen
