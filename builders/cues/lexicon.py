"""Lexicon pre-labels (REGIME_TERM, HEDGE, EVALUATIVE): phrases from a lexicon file, by lemma.

Each lexicon file names its label and version; every span records ``lexicon`` = name@version
and the entry it matched. A lexicon may keep only the outlet's own words (``outside_quotes``)
and give way to another lexicon where their hits overlap (``yield_to``: EVALUATIVE "reżim"
gives way to REGIME_TERM "reżim kijowski").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate

from builders.cues.base import CueDetector
from builders.cues.phrases import PhraseHit
from builders.cues.quotes import quotes_in
from builders.cues.rules import Lexicon, load_lexicon
from builders.cues.shared import shared, span_maker, token_view
from builders.cues.tokens import TokenView
from builders.records import Document, Span


def lexicon_hits(document: Document, lexicon: Lexicon) -> list[PhraseHit]:
    def find(doc: Document) -> list[PhraseHit]:
        view = token_view(doc)
        hits = lexicon.matcher(doc.article.language).find(view)
        return [hit for hit in (_with_constraints(view, h) for h in hits) if hit]

    return shared(document, ("lexicon", lexicon.name), find)


def _with_constraints(view: TokenView, hit: PhraseHit) -> PhraseHit | None:
    """Apply an entry's ``exact_forms`` and ``infinitive_after``; None if the hit fails them."""
    entry = hit.phrase.payload
    if entry.exact_forms:
        words = tuple(word.lower() for word in view.words[hit.first : hit.last + 1])
        if words not in entry.exact_forms:
            return None
    if entry.infinitive_after:
        t = hit.last + 1
        if t >= len(view) or not view.plain_gap(hit.last):
            return None
        word = view.words[t]
        if not (word.islower() and word.endswith(entry.infinitive_after)):
            return None
        if view.lemmas[t] != word:
            return None  # inflected, so not an infinitive
        return PhraseHit(hit.first, t, hit.phrase)
    return hit


class LexiconDetector(CueDetector):
    version = "0.1.0"

    def __init__(self, name: str, lexicon: str) -> None:
        self.name = name
        self.lexicon_name = lexicon

    @property
    def lexicon(self) -> Lexicon:
        return load_lexicon(self.lexicon_name)

    def detect(self, document: Document) -> list[Span]:
        lexicon = self.lexicon
        view = token_view(document)
        hits = lexicon_hits(document, lexicon)
        if not hits:
            return []
        quotes = shared(document, "quote_ranges", _quote_ranges)
        winners = _Ranges(
            [
                (view.starts[h.first], view.ends[h.last])
                for other in lexicon.yield_to
                for h in lexicon_hits(document, load_lexicon(other))
            ]
        )
        make = span_maker(document)
        label, source, ref = lexicon.label, self.source, lexicon.ref  # once, not per span
        starts, ends = view.starts, view.ends
        spans = []
        for hit in hits:
            start, end = starts[hit.first], ends[hit.last]
            quoted = quotes.contain(start, end)
            if lexicon.outside_quotes and quoted or winners.overlap(start, end):
                continue
            attributes = {"lexicon": ref, "entry": hit.phrase.payload.term, "quoted": quoted}
            spans.append(make(start, end, label, "prelabel", source, attributes))
        return spans


def _quote_ranges(document: Document) -> _Ranges:
    return _Ranges([(q.start, q.end) for q in quotes_in(document).quotes])


class _Ranges:
    """Containment and overlap tests against many ranges: a binary search over the ranges
    sorted by start, with the furthest end reached so far (ranges may nest or overlap)."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        ranges = sorted(ranges)
        self._starts = [start for start, _ in ranges]
        self._reach = list(accumulate((end for _, end in ranges), max))

    def contain(self, start: int, end: int) -> bool:
        """Does one range hold all of [start, end)?"""
        at = bisect_right(self._starts, start)  # ranges starting at or before ``start``
        return at > 0 and self._reach[at - 1] >= end

    def overlap(self, start: int, end: int) -> bool:
        """Does a range share at least one position with [start, end)?"""
        at = bisect_left(self._starts, end)  # ranges starting before ``end``
        return at > 0 and self._reach[at - 1] > start
