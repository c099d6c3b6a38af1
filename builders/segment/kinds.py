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
  runs to the end of its line as one segment (the link tail is a headline, not prose); a segment
  starting with a marker word ("REKLAMA") has the marker split off as its own segment.
"""

from __future__ import annotations

from functools import cache

import regex

from builders.segment.rules import SegmentationRules

TERMINAL_OR_CLOSER = ".!?…;:\"'”’»)]"
HEADING_BREAKS = ".,;:!?…\"„”«»()[]"
MIN_SENTENCE_WORDS = 3
OPENING_WIDTH = 6

Piece = tuple[int, int, str]


@cache
def _prefix_spellings(rules: SegmentationRules) -> tuple[str, ...]:
    spellings = set()
    for prefix in rules.boilerplate_prefixes:
        spellings.update({prefix, prefix.upper(), prefix[0].upper() + prefix[1:]})
    return tuple(sorted(spellings))


@cache
def _openings(rules: SegmentationRules) -> tuple[int, frozenset[str]]:
    """The first characters of every boilerplate prefix or marker: a cheap first filter."""
    spellings = (*_prefix_spellings(rules), *rules.boilerplate_markers)
    width = min([OPENING_WIDTH, *map(len, spellings)])
    return width, frozenset(spelling[:width] for spelling in spellings)


@cache
def _opener_pattern(rules: SegmentationRules) -> regex.Pattern:
    words = "|".join(sorted(map(regex.escape, rules.heading_openers), key=len, reverse=True))
    return regex.compile(rf" (?=\p{{Lu}})(?:{words}) (?=\p{{Ll}})(?<=\p{{Ll}}[\w-]* \w+ )")


def _words(text: str, start: int, end: int) -> int:
    return text.count(" ", start, end) + 1


def _line_bounds(text: str, start: int, end: int) -> tuple[bool, bool]:
    before = text[text.rfind("\n", 0, start) + 1 : start]
    after_end = text.find("\n", end)
    after = text[end : len(text) if after_end == -1 else after_end]
    return not before.strip(), not after.strip()


def _line_end(text: str, position: int) -> int:
    newline = text.find("\n", position)
    return len(text.rstrip()) if newline == -1 else len(text[:newline].rstrip())


def _split_marker(text: str, start: int, end: int, rules: SegmentationRules) -> int | None:
    """End of a boilerplate marker that opens the segment ("REKLAMA Obecna wizyta…")."""
    for marker in rules.boilerplate_markers:
        stop = start + len(marker)
        if text.startswith(marker, start) and (stop == end or text[stop].isspace()):
            return stop
    return None


def _fused_heading_end(text: str, start: int, end: int, rules: SegmentationRules) -> int | None:
    """End of a heading glued to the sentence after it, or None."""
    if not text[start].isupper():
        return None
    window_end = min(end, start + 40 * rules.heading_max_words)
    match = _opener_pattern(rules).search(text, start, window_end)
    if match is None:
        return None
    heading_end = match.start()
    if _words(text, start, heading_end) > rules.heading_max_words:
        return None
    if any(char in HEADING_BREAKS for char in text[start:heading_end]):
        return None
    rest_start = heading_end + 1
    if text[end - 1] not in ".!?…" or _words(text, rest_start, end) < MIN_SENTENCE_WORDS:
        return None
    return heading_end


def _is_heading_line(text: str, start: int, end: int, rules: SegmentationRules) -> bool:
    starts, ends = _line_bounds(text, start, end)
    return (
        starts
        and ends
        and text[end - 1] not in TERMINAL_OR_CLOSER
        and _words(text, start, end) <= rules.heading_max_words
    )


def assign_kinds(text: str, pieces: list[tuple[int, int]], rules: SegmentationRules) -> list[Piece]:
    """Kinds for (start, end) pieces; may split a fused heading or marker off, or merge a tail."""
    width, openings = _openings(rules)
    boilerplate = not openings.isdisjoint({text[start : start + width] for start, _ in pieces})
    has_lines = "\n" in text
    fused = [start for start, _ in pieces if start and not text[start - 1].isspace()]
    if not (boilerplate or has_lines or fused):
        result = [(start, end, "body") for start, end in pieces]
    else:
        result = _assign_slowly(text, list(pieces), rules, boilerplate, has_lines)
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
) -> list[Piece]:
    prefixes = _prefix_spellings(rules)
    result: list[Piece] = []
    index = 0
    while index < len(pieces):
        start, end = pieces[index]
        index += 1
        if boilerplate and text.startswith(prefixes, start):
            tail_end = _line_end(text, start)
            while index < len(pieces) and pieces[index][1] <= tail_end:
                end = pieces[index][1]
                index += 1
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
        fused_start = start > 0 and not text[start - 1].isspace()
        if fused_start or (has_lines and (start == 0 or text[start - 1] == "\n")):
            heading_end = _fused_heading_end(text, start, end, rules)
            if heading_end is not None:
                result.append((start, heading_end, "heading"))
                start = heading_end + 1
        kind = "body"
        if has_lines and _is_heading_line(text, start, end, rules):
            kind = "heading"
        result.append((start, end, kind))
    return result
