"""Multi-word phrase matching by lemma, for lexicons and actor names.

A phrase is lemmatised like the text, so one entry ("specjalna operacja wojskowa") matches every
inflected form ("specjalnej operacji wojskowej"). Capitalised words (names) match a capitalised
word with the same lemma *or* the same name stem, because lemmatisers guess badly on foreign
surnames ("Kima" → "kima", "Kim" → "kto"): the stem rule strips one case ending from both sides.
Words of one match must be separated by spaces or hyphens only, never by punctuation.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from builders.cues.lemmas import lemmatizer, name_stem
from builders.cues.tokens import TokenView

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PhraseWord:
    lemma: str
    stem: str | None  # set for capitalised words: the word is a name

    def matches(self, view: TokenView, k: int) -> bool:
        if self.stem is None:
            return view.lemmas[k] == self.lemma
        if not view.is_capitalised(k):
            return False
        return view.lemmas[k] == self.lemma or name_stem(view.words[k]) == self.stem


@dataclass(frozen=True)
class Phrase:
    words: tuple[PhraseWord, ...]
    any_order: bool
    payload: Any

    @property
    def plain(self) -> bool:
        """No names: the phrase matches on lemmas alone (the fast path)."""
        return all(word.stem is None for word in self.words)


@dataclass(frozen=True)
class PhraseHit:
    first: int  # token index of the first word
    last: int  # token index of the last word (inclusive)
    phrase: Phrase


class PhraseMatcher:
    """Finds phrases in a :class:`TokenView`; leftmost-longest, non-overlapping."""

    def __init__(self, language: str, phrases: list[tuple[str, bool, Any]]) -> None:
        lemma = lemmatizer(language).lemma
        self.index: dict[str, list[tuple[int, Phrase]]] = {}
        # plain phrases: id → their lemmas (sorted if any order), compared as tuple slices
        self._fast: dict[int, tuple[str, ...]] = {}
        built = []
        for text, any_order, payload in phrases:
            words = tuple(
                PhraseWord(lemma(w), name_stem(w) if w[0].isupper() else None)
                for w in WORD.findall(text)
            )
            built.append(Phrase(words, any_order and len(words) > 1, payload))
        # Each phrase is looked up by one word, the one fewest phrases share ("dyktator" rather
        # than "rosyjski"), so common words do not trigger checks that fail.
        shared_by = Counter(word.lemma for phrase in built for word in phrase.words)
        for phrase in built:
            words = phrase.words
            if phrase.plain:
                lemmas = tuple(word.lemma for word in words)
                self._fast[id(phrase)] = tuple(sorted(lemmas)) if phrase.any_order else lemmas
            position = min(
                range(len(words)),
                key=lambda i: (shared_by[words[i].lemma], -len(words[i].lemma)),
            )
            word = words[position]
            for key in {word.lemma} | ({"\0" + word.stem} if word.stem else set()):
                self.index.setdefault(key, []).append((position, phrase))

    def find(self, view: TokenView, lo: int = 0, hi: int | None = None) -> list[PhraseHit]:
        hi = len(view) if hi is None else hi
        index = self.index
        # Anchor tokens are found at C speed (map + compress); Python only sees the candidates.
        anchored = [
            (k, entry)
            for k in view.positions(index, lo, hi)
            for entry in index[view.lemmas[k]]
        ]
        anchored.extend(
            (k, entry) for k in view.name_positions(index, lo, hi) for entry in index[view.keys[k]]
        )
        if not anchored:
            return []
        hits = []
        fast = self._fast
        for k, (position, phrase) in anchored:
            lemmas = fast.get(id(phrase))
            if lemmas is None:
                hit = _match_at(view, k, position, phrase, lo, hi)
            else:
                hit = _match_plain(view, k, position, phrase, lemmas, lo, hi)
            if hit:
                hits.append(hit)
        return _leftmost_longest(hits) if len(hits) > 1 else hits


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
    if all(view.plain_gap(t) for t in range(first, last)):
        return PhraseHit(first, last, phrase)
    return None


def _leftmost_longest(hits: list[PhraseHit]) -> list[PhraseHit]:
    chosen: list[PhraseHit] = []
    for hit in sorted(hits, key=lambda h: (h.first, -(h.last - h.first))):
        if not chosen or hit.first > chosen[-1].last:
            chosen.append(hit)
    return chosen
