"""Where sentences end: code-point offsets only; the text itself is never edited.

Each language's rule data compiles into one pattern that matches the sentence cuts, so nearly
all of the decision runs inside the regex engine; Python collects offsets from ``split`` (no
match object per cut) and looks up the token before a lone period in the abbreviation lists.
A cut is a run of terminal punctuation, with the closing quotes and brackets after it, followed
— after optional spaces, or directly, since scraped paragraphs fuse sentences
("Ukrainą.Elementem") — by something that can start a sentence: a capital letter, a digit, an
opening quote or bracket, a dash. A lower-case letter never starts one, so "11 tys. żołnierzy"
and "m.in. w" are not even candidates. Line breaks always cut.

No nested quantifiers, possessive runs and bounded look-behinds: time is linear in the text.
"""

from __future__ import annotations

from functools import cache
from itertools import accumulate

import regex

from builders.segment.rules import SegmentationRules

SPACE = r"[ \t\u00a0]"
# A straight quote glued to the following word opens the next sentence ('…plama!"Niebawem').
CLOSER = r"(?:[”’»)\]]|[\"'](?!\w))"
SENTENCE_START = r"[\p{Lu}\p{Lt}\d„“«\"'(\[–—-]"
TOKEN_EDGE = r"(?:^|[^\w.'’-])"  # what precedes a whole token ("m.in", not the "in" of it)
ROMAN_DIGITS = frozenset("IVXLCDM")
URLISH = regex.compile(r"://|www\.|@")


def _bare_period(longest: int) -> str:
    """Conditions, checked just after it, for a single period that ends a sentence.

    Ordered so that the common case — a lower-case word before the period — passes a
    one-character look-behind and skips the checks for initials and numbers.
    """
    return (
        rf"(?![.!?…]|{CLOSER})"
        # the token before it ("m.in", "tys", "Ch"), looked up in Python: a set lookup is far
        # cheaper than the list in a look-behind. Read at most one character more than the
        # longest abbreviation, so a longer token can never look like one.
        rf"(?<=(?P<token>[\w.'’-]{{0,{longest + 1}}})\.)"
        r"(?:(?<=\p{Ll}\.)|"
        # a single capital is an initial: "J.T.", "Marek K."; "NATO." is not
        r"(?!(?<=(?:^|[^\w'’-])\p{Lu}\.))"
        # a digit glued to a period after a non-letter: "24.11.2026", "2.603", "3.5"
        r"(?!(?<=\d\.)\d)"
        # an ordinal or list number before a capital: "11. Dywizja", "13. Żona", unless it
        # follows a capitalised word (a street number: "Wolborskiej 3. Inwestycję") or a unit
        # (the unit's argument: "o godz. 17. Spotkanie")
        rf"(?!(?<=\d\.)(?<=(?:{TOKEN_EDGE}|\p{{L}}\.)\d{{1,3}}\.)"
        rf"(?<!\b\p{{Lu}}\w*{SPACE}+\d{{1,3}}\.)"
        rf"(?<!\b\L<numeric>\.{SPACE}+\d{{1,3}}\.){SPACE}+\p{{Lu}}))"
    )


@cache
def cut_pattern(rules: SegmentationRules) -> regex.Pattern:
    """Groups: 1 the terminal punctuation with its closers, 2 the token before a lone period,
    3 the spaces before the next sentence."""
    # the pattern opens with a plain character class so the engine can scan for it quickly;
    # the look-behind right after it makes the match start a whole punctuation run; the lone
    # period, by far the most common ending, is tried first
    longest = max(map(len, _abbreviation_kinds(rules)), default=1)
    bare_period = rf"(?<=\.){_bare_period(longest)}"
    run = rf"(?:(?<=[!?…])[.!?…]*+|(?<=\.)[.!?…]++){CLOSER}*+"
    closed_period = rf"(?<=\.){CLOSER}++"
    return regex.compile(
        r"(?P<term>[.!?…](?<![(\[.!?…].)"  # "(...)" marks an omission, not an end
        rf"(?:{bare_period}|{run}|{closed_period}))"
        rf"(?P<gap>{SPACE}*+)(?={SENTENCE_START})"
        # "– Dlaczego ona? – zapytałem.": a dash and a lower-case word continue the sentence
        rf"(?![–—-]{SPACE}*\p{{Ll}})",
        numeric=rules.numeric_abbreviations or {"\0"},
    )


@cache
def _abbreviation_kinds(rules: SegmentationRules) -> dict[str, str]:
    kinds = dict.fromkeys(rules.numeric_abbreviations, "numeric")
    kinds.update(dict.fromkeys(rules.final_abbreviations, "final"))
    kinds.update(dict.fromkeys(rules.abbreviations, "never"))
    kinds.update(dict.fromkeys(rules.initial_digraphs, "never"))  # "Marek Ch."
    return kinds


def _abbreviation_ends_sentence(
    text: str, kind: str, sentence_start: int, token_start: int, next_start: int, min_words: int
) -> bool:
    if kind == "never":  # "prof.", "tzw.", "m.in."
        return False
    if text[next_start].isdigit():  # "r. 5", "proc. 3"
        return False
    if kind == "final":  # "w 1981 r. W mieście…", "mleko itd. Potem…"
        line_start = text.rfind("\n", sentence_start, token_start) + 1
        words = text[max(sentence_start, line_start) : token_start].split()
        if words and (words[-1].isdigit() or set(words[-1]) <= ROMAN_DIGITS):
            # a date adverbial opens a sentence: "W 2014 r. Rosja zaanektowała Krym."
            return sum(not word.isdigit() for word in words) >= min_words
        return True
    # a unit ends a sentence only right after a number: "48,8 proc. Towarzystwo", "min. Nowak"
    position = token_start - 1
    while position >= 0 and text[position] in " \t\u00a0":
        position -= 1
    return position >= 0 and text[position].isdigit()


def _inside_url_or_email(text: str, dot: int) -> bool:
    """The whitespace-free token around a period looks like a URL or an e-mail address."""
    left = max(text.rfind(" ", max(0, dot - 200), dot), text.rfind("\n", max(0, dot - 200), dot))
    right = dot
    limit = min(len(text), dot + 200)
    while right < limit and not text[right].isspace():
        right += 1
    return URLISH.search(text, left + 1, right) is not None


def _cut_offsets(text: str, rules: SegmentationRules) -> tuple[list[int], list[int]]:
    """Ends of sentences and starts of the next ones, in increasing order."""
    # ``split`` hands back, per cut, [text before, punctuation, token, spaces] without building
    # a match object each: offsets are running sums of lengths, all computed in C
    parts = cut_pattern(rules).split(text)
    tokens = parts[2::4]
    fused = "" in parts[3::4]
    del parts[2::4]
    offsets = list(accumulate(map(len, parts)))
    ends, starts = offsets[1::3], offsets[2::3]
    special = _abbreviation_kinds(rules)
    found = special.keys() & set(tokens)  # usually empty, else one or two abbreviations
    if found:
        dropped = set()
        sentence_start = 0
        for index, token in enumerate(tokens):
            if token in found and not _abbreviation_ends_sentence(
                text,
                special[token],
                sentence_start,
                offsets[3 * index] - len(token),
                starts[index],
                rules.final_abbreviation_min_words,
            ):
                dropped.add(index)
            else:
                sentence_start = starts[index]
        ends = [end for index, end in enumerate(ends) if index not in dropped]
        starts = [start for index, start in enumerate(starts) if index not in dropped]
    if fused and ("@" in text or "://" in text or "www." in text):  # "www.Example.com"
        kept = [
            (end, start)
            for end, start in zip(ends, starts, strict=True)
            if end != start or not _inside_url_or_email(text, end - 1)
        ]
        ends, starts = [cut[0] for cut in kept], [cut[1] for cut in kept]
    if "\n" in text:
        cuts = list(zip(ends, starts, strict=True))
        position = text.find("\n")
        while position != -1:
            cuts.append((position, position + 1))
            position = text.find("\n", position + 1)
        cuts.sort()
        ends, starts = [cut[0] for cut in cuts], [cut[1] for cut in cuts]
    return ends, starts


def find_cuts(text: str, rules: SegmentationRules) -> list[tuple[int, int]]:
    """Sentence cuts as (end of one sentence, start of the next), in increasing order."""
    return list(zip(*_cut_offsets(text, rules), strict=True))


def find_pieces(text: str, rules: SegmentationRules) -> list[tuple[int, int]]:
    """(start, end) of every sentence: no leading or trailing whitespace, never empty."""
    if not text or text.isspace():
        return []
    ends, starts = _cut_offsets(text, rules)
    ends.append(len(text))
    starts.insert(0, 0)
    if "\n" not in text and not text[0].isspace() and not text[-1].isspace():
        return list(zip(starts, ends, strict=True))
    pieces = []
    start = 0
    for end, next_start in zip(ends, [*starts[1:], len(text)], strict=True):
        while start < end and text[start].isspace():
            start += 1
        piece_end = end
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        if start < piece_end:
            pieces.append((start, piece_end))
        start = max(start, next_start)
    return pieces


def find_boundaries(text: str, rules: SegmentationRules) -> list[int]:
    """Offsets where a sentence ends (exclusive), in increasing order."""
    return [end for _, end in find_pieces(text, rules)]
