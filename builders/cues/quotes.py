"""QUOTE pre-labels: the text inside quotation marks, with its speaker and kind.

Which marks open and close a quotation is each language's rule data
(``rules/quotes/<language>.json``, schema ``quote_rules``): pl „…” and „…“ (‚…’ inside), en “…”
(‘…’ inside), ru/uk «…» („…“ inside), plus straight quotes and the rest every file lists. Marks
are paired with a stack, so nested quotes work („…‚…’…”, «…„…“…») and a quote may span
sentences and lines. "’" closes only an open "‚"/"‘" and never between two letters — otherwise
it is an apostrophe ("don’t").

Paragraphs: a quotation may cross a single line break ("said: “We will never surrender.\nThe
fight goes on.”"), never a paragraph break (a blank line): an opening mark still open there or
at the end of the text yields no span (and a warning) rather than a span running on. The
exception is the English convention for a quotation over several paragraphs (the marks in
``reopened_per_paragraph``): an opening mark reopens each paragraph and only the last one closes
(“First paragraph.\n\n“Second paragraph.”). An open quotation whose next line begins with its
own opening mark continues there, and gives **one QUOTE span per paragraph piece** — a span never
crosses a paragraph and never includes the reopening mark, so each piece is exact text between
marks. The pieces share the first piece's speaker and kind and carry ``part`` (1, 2, …) and
``parts``; a quotation in one piece has neither. Every span names the rule data that paired
it (``quote_rules``: ``quotes_en@1.0.0``). If the last piece never closes, no piece is a
span (one warning, at the first opening mark).

The speaker comes from an ATTRIBUTION in the quote's sentence (the nearest before the quote,
else the first after it) or, when the text continues one speaker's statement, from the latest
attribution up to ``CARRY_SENTENCES`` sentences back in the same paragraph. ``kind`` is
``scare`` after a scare marker ("tzw.", "so-called") or for a short quote nobody is said to
have spoken; otherwise ``direct`` (direct speech or a partial quotation).

Warnings are :class:`~builders.cues.base.CueWarning` rows of two kinds: ``UNBALANCED`` (an
opening mark never closed) and ``UNOPENED`` (a closing mark without an opening one).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from builders.cues.attribution import CARRY_SENTENCES, Attribution, attributions_in
from builders.cues.base import CueDetector, CueWarning
from builders.cues.rules import QuoteRules, load_attribution_cues, load_quote_rules
from builders.cues.shared import shared, span_maker, token_view
from builders.records import Document, Span

UNBALANCED = "unbalanced quotation mark"
UNOPENED = "closing mark without opening"
SCARE_MAX_WORDS = 3
LONG_QUOTE = 1_000  # characters; a longer quote's words are counted from an index
WORD_START = re.compile(r"(?<!\S)\S")  # \s is str.isspace, as in str.split
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")  # a blank line, maybe with spaces


class Quote(NamedTuple):
    start: int  # offsets of the text inside the marks
    end: int
    mark: str
    depth: int  # 0 for an outermost quote
    speaker: Attribution | None
    kind: str
    part: int = 0  # of a quotation continued over paragraphs: 1, 2, …; else 0
    parts: int = 1


class _Pair(NamedTuple):
    start: int  # inner start and end, before whitespace is trimmed
    end: int
    mark: str
    depth: int
    opened: int  # where the quotation's first opening mark stands (shared by its pieces)
    part: int
    parts: int


@dataclass
class QuoteScan:
    quotes: list[Quote]
    warnings: list[CueWarning]


def quotes_in(document: Document) -> QuoteScan:
    return shared(document, "quotes", _scan)


def _pairs(text: str, article_id: str, rules: QuoteRules) -> tuple[list[_Pair], list[CueWarning]]:
    """Every balanced pair (each piece of a continued quotation is one), and warnings.

    Besides the stack, each opening mark keeps the stack indices where it stands, so the
    innermost mark a closing mark can close is found in constant time: scanning the stack for
    it took time proportional to its depth at every closing mark (quadratic on text full of
    marks that close nothing, e.g. "»" after many "„"). Between two marks the text is looked
    at once (line and paragraph breaks), so the whole pass stays linear in the text.
    """
    closed_by, reopened = rules.closed_by, rules.reopened_per_paragraph
    # entries: (mark, offset of the mark, pieces so far [(inner start, inner end)] or None)
    stack: list[tuple[str, int, list | None]] = []
    where: dict[str, list[int]] = {mark: [] for mark in rules.pairs}  # mark → its stack indices
    pairs: list[_Pair] = []
    warnings: list[CueWarning] = []

    def unbalanced(mark: str, at: int, pieces: list | None) -> None:
        first = pieces[0][0] - 1 if pieces else at
        more = f" (continued over {len(pieces) + 1} paragraphs)" if pieces else ""
        message = f"unbalanced {mark!r} at {first}{more}; no QUOTE span produced"
        warnings.append(CueWarning(UNBALANCED, article_id, first, message))

    def pop_from(index: int) -> None:
        for mark, at, pieces in stack[index:]:
            unbalanced(mark, at, pieces)
            where[mark].pop()
        del stack[index:]

    last = 0
    for at, char in _marks(text, rules):
        if stack:
            newline = text.rfind("\n", last, at)
            if newline >= 0:
                if char in reopened and stack[0][0] == char and _reopens(text, last, newline, at):
                    pop_from(1)  # inner quotes left open at the paragraph's end
                    mark, opened, pieces = stack[0]
                    pieces = pieces or []
                    pieces.append((opened + 1, newline))
                    stack[0] = (mark, at, pieces)
                    last = at
                    continue
                if PARAGRAPH_BREAK.search(text, last, at):  # a paragraph break closes no quote
                    pop_from(0)
        last = at
        if char in rules.apostrophes and _between_letters(text, at):
            continue
        open_index = max((where[mark][-1] for mark in closed_by[char] if where[mark]), default=None)
        self_opens = char in rules.pairs and (open_index is None or open_index != len(stack) - 1)
        if open_index is not None and (char not in rules.symmetric or not self_opens):
            pop_from(open_index + 1)  # an inner quote left open inside a closed one
            mark, opened, pieces = stack[open_index]
            where[mark].pop()
            del stack[open_index]
            depth = len(stack)
            spans = [*(pieces or ()), (opened + 1, at)]
            first = spans[0][0] - 1
            for part, (start, end) in enumerate(spans, start=1):
                pieces_count = len(spans)
                number = part if pieces_count > 1 else 0
                pairs.append(_Pair(start, end, mark, depth, first, number, pieces_count))
        elif char in rules.pairs:
            where[char].append(len(stack))
            stack.append((char, at, None))
        elif char not in rules.apostrophes:
            message = f"closing {char!r} at {at} without an opening mark"
            warnings.append(CueWarning(UNOPENED, article_id, at, message))
    pop_from(0)
    return pairs, warnings


def _reopens(text: str, last: int, newline: int, at: int) -> bool:
    """Does the mark at ``at`` begin its line (after spaces) and reopen the quotation open
    since ``last``, with no paragraph of other text between (the paragraph break, if any, is
    the one right before the mark)?"""
    if text[newline + 1 : at].strip():
        return False
    content_end = last + len(text[last:newline].rstrip())
    return PARAGRAPH_BREAK.search(text, last, content_end + 1) is None


def _between_letters(text: str, at: int) -> bool:
    return 0 < at < len(text) - 1 and text[at - 1].isalpha() and text[at + 1].isalpha()


def _marks(text: str, rules: QuoteRules) -> list[tuple[int, str]]:
    """(offset, mark) of every quotation mark in text order: one ``str.find`` loop per mark
    is ~3x faster than a regex scan, as marks are few."""
    found = []
    for char in rules.marks:
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
    pairs, warnings = _pairs(text, article.article_id, load_quote_rules(article.language))
    view = token_view(document)
    speakers = _Speakers(text, attributions_in(document))
    scare = _scare_marker(article.language)
    quotes = []
    first_pieces: dict[int, tuple[Attribution | None, str]] = {}  # opened → (speaker, kind)
    for start, end, mark, depth, opened, part, parts in sorted(pairs):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        if part > 1 and opened in first_pieces:  # a later paragraph of a continued quotation
            speaker, kind = first_pieces[opened]
        else:
            sentence = view.sentence_of(start - 1)
            speaker = speakers.of(sentence, start, end)
            marked = scare is not None and scare.search(text, max(0, start - 31), start - 1)
            short_unsourced = speaker is None and speakers.words(start, end) <= SCARE_MAX_WORDS
            kind = "scare" if (marked or short_unsourced) and parts == 1 else "direct"
            if part:
                first_pieces[opened] = (speaker, kind)
        quotes.append(Quote(start, end, mark, depth, speaker, kind, part, parts))
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
    version = "0.3.0"

    def __init__(self) -> None:
        self._warnings: list[CueWarning] = []

    def drain_warnings(self) -> list[CueWarning]:
        warnings, self._warnings = self._warnings, []
        return warnings

    def detect(self, document: Document) -> list[Span]:
        scan = quotes_in(document)
        self._warnings.extend(scan.warnings)
        text = document.article.text
        make = span_maker(document)
        source, rules = self.source, load_quote_rules(document.article.language).ref
        spans = []
        for quote in scan.quotes:
            attributes = {"mark": quote.mark, "kind": quote.kind, "depth": quote.depth}
            attributes["quote_rules"] = rules  # which marks and conventions paired it
            if quote.part:
                attributes.update(part=quote.part, parts=quote.parts)
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
