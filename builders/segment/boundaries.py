"""Where sentences end: code-point offsets only; the text itself is never edited.

Each language's rule data compiles into stdlib ``re`` patterns that match only real cuts, so
nearly all of the decision runs inside the regex engine; Python collects offsets from ``split``
(no match object per cut) and looks again only at the rare cuts the patterns flag as ambiguous.
A cut is a run of terminal punctuation, with the closing quotes and brackets after it, followed
— after optional spaces, or directly, since scraped paragraphs fuse sentences
("Ukrainą.Elementem") — by something that can start a sentence: a capital letter, a digit, an
opening quote or bracket, a dash. A lower-case letter never starts one, so "11 tys. żołnierzy"
and "m.in. w" are not even candidates. Line breaks always cut.

Why stdlib ``re``, and several patterns (measured, see the README): the engine finds a pattern
that opens with a literal character (``\\.``) by a fast scan for that character, several times
quicker than testing every character against a class, and the ``regex`` module is slower still.
So periods, by far the most common ending, get their own pattern, and "!", "?", "…" one each,
run only when the text holds that character. ``re`` has fixed-width look-behinds only, so the
token before a lone period is read in the reversed text, where it follows the period: one scan
finds every listed abbreviation with its period, and Python looks only at the few that sit at
a cut. No Python code runs per cut (offsets are sums computed in C); the abbreviations,
ordinals ("11. Dywizja") and URLs it checks are a handful per article.

No nested quantifiers and possessive runs: time is linear in the text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from itertools import accumulate

from builders.segment.patterns import alternation, letters
from builders.segment.rules import SegmentationRules, per_rules

SPACE = "[ \t\u00a0]"
# A straight quote glued to the following word opens the next sentence ('…plama!"Niebawem').
CLOSER = r"(?:[”’»)\]]|[\"'](?!\w))"
TOKEN_CHAR = r"[\w.'’-]"  # what a token is made of ("m.in", "e-mail")
ROMAN_DIGITS = frozenset("IVXLCDM")
URLISH = re.compile(r"://|www\.|@")


@per_rules
def _patterns(rules: SegmentationRules) -> tuple[re.Pattern, dict[str, re.Pattern]]:
    """The pattern of period cuts, and one for each other terminal character ("!", "?", "…").

    Split groups: the punctuation with its closers; for periods only, an ordinal flag ("" when
    set, None when not); the spaces before the next sentence.
    """
    upper, capital, lower = letters("Lu", "Lt"), letters("Lu"), letters("Ll")
    # After a cut: optional spaces (none for fused text), then what can start a sentence;
    # "– Dlaczego ona? – zapytałem.": a dash and a lower-case word continue the sentence.
    gap = rf"({SPACE}*+)(?=[{upper}\d„“«\"'(\[–—-])(?![–—-]{SPACE}*[{lower}])"
    lone_period = (
        rf"(?![.!?…]|{CLOSER})"
        rf"(?:(?<=[{lower}]\.)"  # the common case: a lower-case word ends the sentence
        # a single capital is an initial: "J.T.", "Marek K."; "NATO." is not
        rf"|(?<![^\w'’-][{capital}]\.)(?<!^[{capital}]\.)"
        # a digit glued to a period after a digit: "24.11.2026", "2.603", "3.5"
        r"(?!(?<=\d\.)\d)"
        # a number before ". Capital" may be an ordinal ("11. Dywizja"): decided in Python
        rf"((?<=\d\.)(?={SPACE}+[{capital}]))?)"
    )
    periods = re.compile(
        r"(\.(?<![(\[.!?…]\.)"  # "(...)" marks an omission, not an end
        rf"(?:{lone_period}|[.!?…]++{CLOSER}*+|{CLOSER}++))" + gap
    )
    others = {
        char: re.compile(rf"({re.escape(char)}(?<![(\[.!?…].)[.!?…]*+{CLOSER}*+)" + gap)
        for char in "!?…"
    }
    return periods, others


@per_rules
def _reversed_abbreviations(rules: SegmentationRules) -> re.Pattern:
    """A period and the listed abbreviation before it, as a whole token, in the reversed text:
    there the token is read forwards, without the fixed-width look-behinds of ``re``."""
    words = (word[::-1] for word in _abbreviation_kinds(rules))
    return re.compile(rf"\.({alternation(words)})(?!{TOKEN_CHAR})")


def _abbreviations_before(text: str, rules: SegmentationRules) -> dict[int, str]:
    """Listed abbreviations followed by a period: {offset just after the period: token}."""
    size = len(text)
    return {
        size - match.start(): match[1][::-1]
        for match in _reversed_abbreviations(rules).finditer(text[::-1])
    }


@per_rules
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
    return _number_before(text, token_start)


def _number_before(text: str, position: int) -> bool:
    """A digit ends the text before ``position``, spaces skipped."""
    position -= 1
    while position >= 0 and text[position] in " \t\u00a0":
        position -= 1
    return position >= 0 and text[position].isdigit()


def _is_ordinal(text: str, period: int, numeric: frozenset[str]) -> bool:
    """A 1–3 digit number before ". Capital" is an ordinal or a list number ("11. Dywizja",
    "13. Żona"), unless it follows a capitalised word (a street number: "Wolborskiej 3.
    Inwestycję") or a unit (the unit's argument: "o godz. 17. Spotkanie")."""
    digits = period
    while digits > 0 and text[digits - 1].isdecimal():
        digits -= 1
    if period - digits > 3:
        return False
    if digits and text[digits - 1] == ".":  # "r.11. Dywizja": glued to an abbreviation
        return digits > 1 and text[digits - 2].isalpha()
    if digits and _is_token_char(text[digits - 1]):  # "A12. ", "1.234. "
        return False
    word_end = digits
    while word_end > 0 and text[word_end - 1] in " \t\u00a0":
        word_end -= 1
    if word_end == digits or word_end == 0:
        return True
    if text[word_end - 1] == ".":  # a unit before the number: "godz. 17."
        return not any(
            text.startswith(unit, word_end - 1 - len(unit))
            and (word_end - 1 - len(unit) == 0 or not _is_word_char(text[word_end - 2 - len(unit)]))
            for unit in numeric
            if len(unit) < word_end
        )
    word_start = word_end  # a capitalised word before the number: "Wolborskiej 3."
    while word_start > 0 and _is_word_char(text[word_start - 1]):
        word_start -= 1
    return word_start == word_end or unicodedata.category(text[word_start]) != "Lu"


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # exactly re's \w


def _is_token_char(char: str) -> bool:
    return char.isalnum() or char in "_.'’-"


def _split_offsets(
    pattern: re.Pattern, text: str, flags: int
) -> tuple[list[int], list[int], list[list], bool]:
    """(ends, starts, flag columns, any fused cut) of every match of ``pattern``, in order.

    ``split`` hands back, per cut, [text before, punctuation, *flags, spaces] without building a
    match object each: offsets are running sums of lengths, all computed in C.
    """
    parts = pattern.split(text)
    step = 3 + flags
    fused = "" in parts[step - 1 :: step]  # no space after the cut
    columns = [parts[2 + column :: step] for column in range(flags)]
    for _ in range(flags):
        del parts[2::step]
        step -= 1
    offsets = list(accumulate(map(len, parts)))
    return offsets[1::3], offsets[2::3], columns, fused


def _cut_offsets(text: str, rules: SegmentationRules) -> tuple[list[int], list[int], bool]:
    """Ends of sentences and starts of the next ones, in increasing order, and whether any cut
    had no space after it (a fused cut; may still be true after that cut was dropped)."""
    periods, others = _patterns(rules)
    ends, starts, (ordinals,), fused = _split_offsets(periods, text, 1)
    if ordinals.count(None) != len(ordinals):  # "11. Dywizja", or "w roku 2014. Potem"
        numeric = rules.numeric_abbreviations
        ordinal = {
            index
            for index, flag in enumerate(ordinals)
            if flag is not None and _is_ordinal(text, ends[index] - 1, numeric)
        }
        _drop(ordinal, ends, starts)
    merged = False
    for char, pattern in others.items():
        if char in text:
            more_ends, more_starts, _, more_fused = _split_offsets(pattern, text, 0)
            ends += more_ends
            starts += more_starts
            merged = merged or bool(more_ends)
            fused = fused or more_fused
    if merged:  # cuts never overlap, so ends and starts sort alike
        ends.sort()
        starts.sort()
    _drop(_abbreviations_not_ending(text, rules, ends, starts), ends, starts)
    # one-character tests first: they are far quicker than looking for a longer string
    if fused and ("@" in text or ("/" in text and "://" in text) or "www." in text):
        inside = {
            index
            for index, (end, start) in enumerate(zip(ends, starts, strict=True))
            if end == start and _inside_url_or_email(text, end - 1)
        }
        _drop(inside, ends, starts)
    if "\n" in text:
        cuts = list(zip(ends, starts, strict=True))
        position = text.find("\n")
        while position != -1:
            cuts.append((position, position + 1))
            position = text.find("\n", position + 1)
        cuts.sort()
        ends, starts = [cut[0] for cut in cuts], [cut[1] for cut in cuts]
    return ends, starts, fused


def _drop(indices: set[int], ends: list[int], starts: list[int]) -> None:
    """Remove the cuts at ``indices``, in place."""
    if len(indices) < 16:  # the usual few: deleting moves the tail, in C
        for index in sorted(indices, reverse=True):
            del ends[index], starts[index]
    else:  # many (pathological input): one linear pass
        ends[:] = [end for index, end in enumerate(ends) if index not in indices]
        starts[:] = [start for index, start in enumerate(starts) if index not in indices]


def _abbreviations_not_ending(
    text: str, rules: SegmentationRules, ends: list[int], starts: list[int]
) -> set[int]:
    """Indices of the cuts at a lone period after an abbreviation whose kind and context do not
    let it end a sentence."""
    abbreviations = _abbreviations_before(text, rules)
    # a cut that ends right after the abbreviation's period is a lone period
    found = abbreviations.keys() & set(ends)
    dropped: set[int] = set()
    last_dropped = kept_before_it = -2  # the last cut dropped, the last cut kept before it
    kinds = _abbreviation_kinds(rules)
    index = -1
    for end in sorted(found):
        index = bisect_left(ends, end, index + 1)
        token = abbreviations[end]
        # the sentence starts after the last cut kept. Cuts are looked at in order, so when
        # the cut just before this one was dropped, it was the last one dropped (walking back
        # over a run of dropped cuts made "tys. Ala " * n quadratic)
        previous = kept_before_it if index - 1 == last_dropped else index - 1
        if not _abbreviation_ends_sentence(
            text,
            kinds[token],
            starts[previous] if previous >= 0 else 0,
            end - 1 - len(token),
            starts[index],
            rules.final_abbreviation_min_words,
        ):
            dropped.add(index)
            last_dropped, kept_before_it = index, previous
    return dropped


def _inside_url_or_email(text: str, dot: int) -> bool:
    """The whitespace-free token around a period looks like a URL or an e-mail address."""
    left = max(text.rfind(" ", max(0, dot - 200), dot), text.rfind("\n", max(0, dot - 200), dot))
    right = dot
    limit = min(len(text), dot + 200)
    while right < limit and not text[right].isspace():
        right += 1
    return URLISH.search(text, left + 1, right) is not None


def piece_offsets(text: str, rules: SegmentationRules) -> tuple[list[int], list[int], bool]:
    """Starts and ends of every sentence (no leading or trailing whitespace, never empty), and
    False when no sentence can follow another without a space between (no fused cut)."""
    if not text or text.isspace():
        return [], [], False
    ends, starts, fused = _cut_offsets(text, rules)
    ends.append(len(text))
    starts.insert(0, 0)
    if "\n" not in text and not text[0].isspace() and not text[-1].isspace():
        return starts, ends, fused
    piece_starts, piece_ends = [], []
    start = 0
    for end, next_start in zip(ends, [*starts[1:], len(text)], strict=True):
        while start < end and text[start].isspace():
            start += 1
        piece_end = end
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        if start < piece_end:
            piece_starts.append(start)
            piece_ends.append(piece_end)
        start = max(start, next_start)
    return piece_starts, piece_ends, fused


def find_pieces(text: str, rules: SegmentationRules) -> list[tuple[int, int]]:
    """(start, end) of every sentence: no leading or trailing whitespace, never empty."""
    starts, ends, _ = piece_offsets(text, rules)
    return list(zip(starts, ends, strict=True))


def find_boundaries(text: str, rules: SegmentationRules) -> list[int]:
    """Offsets where a sentence ends (exclusive), in increasing order."""
    return [end for _, end in find_pieces(text, rules)]
