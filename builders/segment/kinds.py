"""What each sentence is: ``title``, ``heading``, ``boilerplate`` or ``body``.

Kinds are data only: everything stays in the release, later steps decide what to annotate.

- **title**: the article's first segment when it has at most ``title_max_words`` words and more
  text follows. Scraped news opens with its headline, often with a period added and no line
  break ("Reżim Kima wspiera Putina. Korea Północna wyśle…"), so a short first segment is the
  headline/lead line; a short first sentence of a headline-less text is mislabelled — accepted.
- **heading**: a whole line without final punctuation and at most ``heading_max_words`` words.
- **fused heading** (best effort): scrapers glue a subheading to the paragraph after it with no
  punctuation at all: "…w listopadzie.Ogromne straty wśród żołnierzy Nowy kontyngent to…". A
  sentence that starts a line or follows a fused cut (no space after the previous sentence) is
  split when, within ``heading_max_words`` words and with no punctuation before it, a word from
  ``heading_openers`` (common words that are never names: "Nowy", "W", "Jednak") is capitalised
  right after a lower-case word and followed by a lower-case word, and the rest is a sentence of
  at least three words ending in terminal punctuation. Mid-sentence, Polish capitalises only
  names, so a capitalised common word there is a sentence start; names ("Nowy Jork") are
  excluded because the next word is capitalised too.
- **boilerplate**: a segment starting with one of ``boilerplate_prefixes`` ("Czytaj więcej:")
  is boilerplate together with the link title after the prefix, and no further: scraped news
  often arrives as one line with "Czytaj więcej: <title>" in the middle, and the prose after the
  title is body again. Which segments the title covers, precisely:

  1. the prefix's own segment (up to the cut the boundaries found: "Czytaj więcej: Skutki
     wsparcia Rosji.");
  2. cut shorter when the title is glued to the next sentence without punctuation ("Czytaj
     więcej: Straty rosną W piątek Korea wysłała…"): the fused-heading test above, applied
     from the title's first word, ends the boilerplate before the heading opener and the rest
     of the segment is body;
  3. otherwise extended over every following segment of the same line when that rest of the
     line is a headline-like tail: at most ``boilerplate_tail_max_words`` words in all, and not
     ending like prose, i.e. its last character (closing quotes and brackets skipped) is not a
     period or an ellipsis ("Czytaj więcej: Skutki wsparcia Rosji. Ponad połowa żołnierzy
     stracona", "Ta strona używa plików cookie. Zgoda?"). A longer rest, or one ending in a
     period, is left as it is: every segment of it is read on its own (body, or boilerplate
     again after another prefix).

  A short prose ending without a final period right after a link title ("…Czytaj więcej: X.
  Koniec wojny") is taken for the title's tail — accepted. A segment starting with a marker
  word ("REKLAMA") has the marker split off as its own segment.

Time is linear in the text: every test above looks at a bounded number of words, or at one
segment, or (the tail) at the segments of at most ``boilerplate_tail_max_words`` words after a
prefix.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import repeat

from builders.segment.patterns import alternation
from builders.segment.rules import SegmentationRules, per_rules

TERMINAL_OR_CLOSER = ".!?…;:\"'”’»)]"
HEADING_BREAKS = '.,;:!?…"„”«»()[]'
MIN_WORDS = 3  # in the sentence left after a fused heading
OPENING_WIDTH = 6
HORIZONTAL_SPACE = " \t\u00a0"
CLOSERS = "\"'”’»)]"
PROSE_ENDS = ".…"  # a link title's tail ending so is prose, not part of the title

Piece = tuple[int, int, str]


@per_rules
def _prefix_spellings(rules: SegmentationRules) -> tuple[str, ...]:
    spellings = set()
    for prefix in rules.boilerplate_prefixes:
        spellings.update({prefix, prefix.upper(), prefix[0].upper() + prefix[1:]})
    return tuple(sorted(spellings))


@per_rules
def _openings(rules: SegmentationRules) -> tuple[int, frozenset[str]]:
    """The first characters of every boilerplate prefix or marker: a cheap first filter."""
    spellings = (*_prefix_spellings(rules), *rules.boilerplate_markers)
    width = min([OPENING_WIDTH, *map(len, spellings)])
    return width, frozenset(spelling[:width] for spelling in spellings)


def _words(text: str, start: int, end: int) -> int:
    return text.count(" ", start, end) + 1


def _alone_on_line(text: str, start: int, end: int) -> bool:
    """Only whitespace between the piece and the line breaks around it (looks at no more)."""
    before = start
    while before > 0 and text[before - 1] in HORIZONTAL_SPACE:
        before -= 1
    after = end
    while after < len(text) and text[after] in HORIZONTAL_SPACE:
        after += 1
    return (before == 0 or text[before - 1] == "\n") and (
        after == len(text) or text[after] in "\n\r"
    )


def _title_start(text: str, start: int, end: int, prefixes: tuple[str, ...]) -> int:
    """Where the link title starts in a segment opening with a boilerplate prefix: after the
    longest prefix and the spaces after it."""
    title = start + max(len(prefix) for prefix in prefixes if text.startswith(prefix, start))
    while title < end and text[title].isspace():
        title += 1
    return title


def _link_tail_end(
    text: str, pieces: list[tuple[int, int]], index: int, rules: SegmentationRules
) -> int:
    """How far a link title extends: the index after the last of ``pieces[index:]`` that
    belongs to it — ``index`` itself unless the rest of the line is a headline-like tail (at
    most ``boilerplate_tail_max_words`` words, not ending in a period or ellipsis). Looks at
    no more pieces than that many words fill."""
    words = 0
    last = index
    previous_end = pieces[index - 1][1]
    while last < len(pieces):
        start, end = pieces[last]
        if text.find("\n", previous_end, start) >= 0:
            break  # the line ended with the piece before
        words += _words(text, start, end)
        if words > rules.boilerplate_tail_max_words:
            return index
        previous_end = end
        last += 1
    if last == index:
        return index
    tail_start, tail_end = pieces[index][0], previous_end
    while tail_end > tail_start and text[tail_end - 1] in CLOSERS:
        tail_end -= 1
    return index if tail_end > tail_start and text[tail_end - 1] in PROSE_ENDS else last


def _split_marker(text: str, start: int, end: int, rules: SegmentationRules) -> int | None:
    """End of a boilerplate marker that opens the segment ("REKLAMA Obecna wizyta…")."""
    for marker in rules.boilerplate_markers:
        stop = start + len(marker)
        if text.startswith(marker, start) and (stop == end or text[stop].isspace()):
            return stop
    return None


def _fused_heading_end(text: str, start: int, end: int, rules: SegmentationRules) -> int | None:
    """End of a heading glued to the sentence after it, or None."""
    limit = rules.heading_max_words
    words = text[start : min(end, start + 30 * limit)].split(" ", limit + 1)
    if rules.heading_openers.isdisjoint(words[2 : limit + 1]) or not text[start].isupper():
        return None  # the common case, decided by one set operation
    for index in range(2, min(limit + 1, len(words) - 1)):
        if (
            words[index] in rules.heading_openers
            and words[index - 1][:1].islower()
            and words[index + 1][:1].islower()
        ):
            heading_end = start + len(" ".join(words[:index]))
            if any(char in HEADING_BREAKS for char in text[start:heading_end]):
                return None
            if text[end - 1] not in ".!?…" or _words(text, heading_end + 1, end) < MIN_WORDS:
                return None
            return heading_end
    return None


def _is_heading_line(text: str, start: int, end: int, rules: SegmentationRules) -> bool:
    return (
        text[end - 1] not in TERMINAL_OR_CLOSER
        and _words(text, start, end) <= rules.heading_max_words
        and _alone_on_line(text, start, end)
    )


@per_rules
def _opener_pattern(rules: SegmentationRules) -> re.Pattern:
    """A heading opener as a whole word between spaces. The look-ahead for its first letter
    rejects most spaces with one test before the word list is tried."""
    openers = rules.heading_openers
    firsts = "".join(sorted({re.escape(word[0]) for word in openers}))
    return re.compile(rf" (?=[{firsts}]){alternation(openers)}(?= )")


def _heading_suspects(text: str, starts: list[int], rules: SegmentationRules) -> set[int]:
    """Indices of the pieces holding a heading opener, between spaces, with a lower-case word
    on both sides: only these can start with a fused heading ("…żołnierzy Nowy kontyngent…",
    not "…w Nowy Sącz"). One scan of the text, not a look at each piece."""
    suspects = set()
    for match in _opener_pattern(rules).finditer(text):
        before = text.rfind(" ", 0, match.start()) + 1
        if text[before].islower() and text[match.end() + 1 : match.end() + 2].islower():
            suspects.add(bisect_right(starts, match.start()) - 1)
    return suspects


def assign_kinds(
    text: str, starts: list[int], ends: list[int], rules: SegmentationRules, fused: bool = True
) -> list[Piece]:
    """Kinds for the pieces ``(starts[i], ends[i])``; may split a fused heading or marker off,
    or merge a tail. ``fused`` False promises that every piece but the first follows
    whitespace, which spares the search for fused headings."""
    width, openings = _openings(rules)
    boilerplate = not openings.isdisjoint({text[start : start + width] for start in starts})
    has_lines = "\n" in text
    suspects = _heading_suspects(text, starts, rules) if fused or has_lines else set()
    if boilerplate or has_lines:
        pieces = list(zip(starts, ends, strict=True))
        result = _assign_slowly(text, pieces, rules, boilerplate, has_lines, suspects)
    else:
        result = list(zip(starts, ends, repeat("body")))
        for index in sorted(suspects, reverse=True):  # from the end: indices stay valid
            start, end = starts[index], ends[index]
            if start and not text[start - 1].isspace():
                heading_end = _fused_heading_end(text, start, end, rules)
                if heading_end is not None:
                    result[index : index + 1] = [
                        (start, heading_end, "heading"),
                        (heading_end + 1, end, "body"),
                    ]
    if len(result) > 1:
        first_start, first_end, first_kind = result[0]
        if first_kind != "boilerplate" and (
            _words(text, first_start, first_end) <= rules.title_max_words
        ):
            result[0] = (first_start, first_end, "title")
    return result


def _assign_slowly(
    text: str,
    pieces: list[tuple[int, int]],
    rules: SegmentationRules,
    boilerplate: bool,
    has_lines: bool,
    suspects: set[int],
) -> list[Piece]:
    prefixes = _prefix_spellings(rules)
    result: list[Piece] = []
    index = 0
    while index < len(pieces):
        start, end = pieces[index]
        index += 1
        if boilerplate and text.startswith(prefixes, start):
            title = _title_start(text, start, end, prefixes)
            heading_end = _fused_heading_end(text, title, end, rules) if title < end else None
            if heading_end is not None:  # the title glued to a sentence: that sentence is body
                result.append((start, heading_end, "boilerplate"))
                index -= 1
                pieces[index] = (heading_end + 1, end)
                continue
            tail_end = _link_tail_end(text, pieces, index, rules)
            if tail_end > index:
                end = pieces[tail_end - 1][1]
                index = tail_end
            result.append((start, end, "boilerplate"))
            continue
        if boilerplate:
            marker_end = _split_marker(text, start, end, rules)
            if marker_end is not None:
                result.append((start, marker_end, "boilerplate"))
                rest = marker_end
                while rest < end and text[rest].isspace():
                    rest += 1
                if rest < end:
                    index -= 1
                    pieces[index] = (rest, end)
                continue
        if index - 1 in suspects and (
            (start > 0 and not text[start - 1].isspace())  # a fused start
            or (has_lines and (start == 0 or text[start - 1] == "\n"))
        ):
            heading_end = _fused_heading_end(text, start, end, rules)
            if heading_end is not None:
                result.append((start, heading_end, "heading"))
                start = heading_end + 1
        kind = "body"
        if has_lines and _is_heading_line(text, start, end, rules):
            kind = "heading"
        result.append((start, end, kind))
    return result
