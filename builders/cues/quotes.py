"""QUOTE pre-labels: the text inside quotation marks, with its speaker and kind.

Marks are paired with a stack, so nested quotes work („…‚…’…”, „…«…»…”) and a quote may span
sentences. A quote never crosses a line break: an opening mark still open at a line break or at
the end of the text yields no span (and a warning) rather than a span running on. "’" closes
only an open "‚" — otherwise it is an apostrophe ("don’t").

The speaker comes from an ATTRIBUTION in the quote's sentence (the nearest before the quote,
else the first after it) or, when the text continues one speaker's statement, from the latest
attribution up to ``CARRY_SENTENCES`` sentences back in the same paragraph. ``kind`` is
``scare`` after a scare marker ("tzw.", "so-called") or for a short quote nobody is said to
have spoken; otherwise ``direct`` (direct speech or a partial quotation).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from builders.cues.attribution import CARRY_SENTENCES, Attribution, attributions_in
from builders.cues.base import CueDetector
from builders.cues.rules import load_attribution_cues
from builders.cues.shared import shared, span_maker, token_view
from builders.records import Document, Span

# opening mark → closing marks that end it
CLOSERS = {"„": "”“", "“": "”", '"': '"', "«": "»", "‚": "’", "‹": "›"}
MARKS = '„“”"«»‚’‹›'  # every opening and closing mark
# mark → the opening marks it closes
CLOSED_BY = {char: tuple(o for o, closers in CLOSERS.items() if char in closers) for char in MARKS}
SCARE_MAX_WORDS = 3
LONG_QUOTE = 1_000  # characters; a longer quote's words are counted from an index
WORD_START = re.compile(r"(?<!\S)\S")  # \s is str.isspace, as in str.split


class Quote(NamedTuple):
    start: int  # offsets of the text inside the marks
    end: int
    mark: str
    depth: int  # 0 for an outermost quote
    speaker: Attribution | None
    kind: str


@dataclass
class QuoteScan:
    quotes: list[Quote]
    warnings: list[str]


def quotes_in(document: Document) -> QuoteScan:
    return shared(document, "quotes", _scan)


def _pairs(text: str, article_id: str) -> tuple[list[tuple[int, int, str, int]], list[str]]:
    """(inner start, inner end, opening mark, depth) of every balanced pair, and warnings.

    Besides the stack, each opening mark keeps the stack indices where it stands, so the
    innermost mark a closing mark can close is found in constant time: scanning the stack for
    it took time proportional to its depth at every closing mark (quadratic on text full of
    marks that close nothing, e.g. "»" after many "„").
    """
    stack: list[tuple[str, int]] = []
    where: dict[str, list[int]] = {mark: [] for mark in CLOSERS}  # mark → its stack indices
    pairs, warnings = [], []

    def unbalanced(mark: str, at: int) -> None:
        warnings.append(f"{article_id}: unbalanced {mark!r} at {at}; no QUOTE span produced")

    def pop_from(index: int) -> None:
        for mark, _ in stack[index:]:
            where[mark].pop()
        del stack[index:]

    last = 0
    for at, char in _marks(text):
        if stack and text.find("\n", last, at) >= 0:  # a line break closes no quote
            for mark, start in stack:
                unbalanced(mark, start)
            pop_from(0)
        last = at
        open_index = max((where[mark][-1] for mark in CLOSED_BY[char] if where[mark]), default=None)
        straight_opens = char == '"' and (open_index is None or open_index != len(stack) - 1)
        if open_index is not None and not straight_opens:
            for mark, start in stack[open_index + 1 :]:
                unbalanced(mark, start)  # an inner quote left open inside a closed one
            mark, start = stack[open_index]
            pop_from(open_index)
            pairs.append((start + 1, at, mark, len(stack)))
        elif char in CLOSERS:
            where[char].append(len(stack))
            stack.append((char, at))
        elif char != "’":
            warnings.append(f"{article_id}: closing {char!r} at {at} without an opening mark")
    for mark, start in stack:
        unbalanced(mark, start)
    return pairs, warnings


def _marks(text: str) -> list[tuple[int, str]]:
    """(offset, mark) of every quotation mark in text order: one ``str.find`` loop per mark
    is ~3x faster than a regex scan, as marks are few."""
    found = []
    for char in MARKS:
        at = text.find(char)
        while at >= 0:
            found.append((at, char))
            at = text.find(char, at + 1)
    found.sort()
    return found


@cache
def _scare_marker(language: str) -> re.Pattern | None:
    cues = load_attribution_cues(language)
    if cues is None or not cues.scare_markers:
        return None
    words = "|".join(r"\s+".join(map(re.escape, m.rstrip(".").split())) for m in cues.scare_markers)
    return re.compile(rf"(?<!\w)(?:{words})\.?\s*$", re.IGNORECASE)


def _scan(document: Document) -> QuoteScan:
    article = document.article
    text = article.text
    pairs, warnings = _pairs(text, article.article_id)
    view = token_view(document)
    speakers = _Speakers(text, attributions_in(document))
    scare = _scare_marker(article.language)
    quotes = []
    for start, end, mark, depth in sorted(pairs):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        sentence = view.sentence_of(start - 1)
        speaker = speakers.of(sentence, start, end)
        marked = scare is not None and scare.search(text, max(0, start - 31), start - 1)
        short_unsourced = speaker is None and speakers.words(start, end) <= SCARE_MAX_WORDS
        kind = "scare" if marked or short_unsourced else "direct"
        quotes.append(Quote(start, end, mark, depth, speaker, kind))
    return QuoteScan(quotes, warnings)


class _Speakers:
    """The speaker of a quote, found by binary search in the article's attributions.

    Attributions never overlap and come in text order, so their starts, their ends and their
    sentence numbers all ascend: a quote's own sentence is a slice of them, the nearest before
    the quote is a bisection of the ends, the first after it one of the starts. (Filtering
    every nearby attribution per quote took time proportional to their number: quadratic on a
    long sentence full of quotes and attributions.)
    """

    def __init__(self, text: str, attributions: list[Attribution]) -> None:
        self.text = text
        self.attributions = attributions
        self.sentences = [a.sentence for a in attributions]
        self.starts = [a.start for a in attributions]
        self.ends = [a.end for a in attributions]
        self._newlines: list[int] | None = None
        self._word_starts: list[int] | None = None

    def of(self, sentence: int, start: int, end: int) -> Attribution | None:
        """The nearest attribution before the quote [start, end) in its sentence, else the
        first after it, else the latest up to CARRY_SENTENCES sentences back with no line
        break between it and the quote. Only attributions outside the quote and its marks
        count: those ending by ``start - 1`` or starting from ``end + 1``."""
        sentences, attributions = self.sentences, self.attributions
        first = bisect_left(sentences, sentence)  # the quote's sentence: [first, last)
        last = bisect_right(sentences, sentence, first)
        if first < last:
            before = bisect_right(self.ends, start - 1, first, last) - 1
            if before >= first:
                return attributions[before]
            after = bisect_left(self.starts, end + 1, first, last)
            if after < last:
                return attributions[after]
        earliest = bisect_left(sentences, sentence - CARRY_SENTENCES, 0, first)
        for index in range(first - 1, earliest - 1, -1):
            candidate = attributions[index]
            if candidate.end <= start - 1 or candidate.start >= end + 1:
                # ends ascend: an earlier one has this one's line break between it and the quote
                return None if self._line_break(candidate.end, start) else candidate
        return None

    def words(self, start: int, end: int) -> int:
        """``len(text[start:end].split())`` for a quote starting with a word. A long quote is
        counted from an index of where words start: splitting each of many nested quotes
        ("„„„…”””") would take time proportional to their total length."""
        if end - start <= LONG_QUOTE:
            return len(self.text[start:end].split())
        if self._word_starts is None:
            self._word_starts = [match.start() for match in WORD_START.finditer(self.text)]
        starts = self._word_starts
        return 1 + bisect_left(starts, end) - bisect_right(starts, start)

    def _line_break(self, start: int, end: int) -> bool:
        """Is there a line break in text[start:end]?"""
        if self._newlines is None:
            text, found = self.text, []
            at = text.find("\n")
            while at >= 0:
                found.append(at)
                at = text.find("\n", at + 1)
            self._newlines = found
        at = bisect_left(self._newlines, start)
        return at < len(self._newlines) and self._newlines[at] < end


class QuoteDetector(CueDetector):
    name = "quote"
    version = "0.2.0"

    def __init__(self) -> None:
        self._warnings: list[str] = []

    def drain_warnings(self) -> list[str]:
        warnings, self._warnings = self._warnings, []
        return warnings

    def detect(self, document: Document) -> list[Span]:
        scan = quotes_in(document)
        self._warnings.extend(scan.warnings)
        text = document.article.text
        make = span_maker(document)
        source = self.source
        spans = []
        for quote in scan.quotes:
            attributes = {"mark": quote.mark, "kind": quote.kind, "depth": quote.depth}
            if quote.speaker is not None:
                attributes.update(speaker_attributes(text, quote.speaker))
            spans.append(make(quote.start, quote.end, "QUOTE", "prelabel", source, attributes))
        return spans


def speaker_attributes(text: str, attribution: Attribution) -> dict:
    return {
        "speaker": text[attribution.speaker_start : attribution.speaker_end],
        "speaker_start": attribution.speaker_start,
        "speaker_end": attribution.speaker_end,
    }
