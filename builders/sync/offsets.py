"""Checking spans that come back from Label Studio against the article text.

The front end measures offsets in JavaScript string units (UTF-16 code units), so after an emoji
or any other character outside the Basic Multilingual Plane its offsets run ahead of our code
points (upstream issues #1347, #4988). Every span is checked against its own ``text``; a span
that does not match is re-anchored — first by reading its offsets as UTF-16, then to the nearest
exact occurrence of its text — or rejected. It is never stored wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from builders.annotations import reanchor


def utf16_to_code_points(text: str, offset: int) -> int | None:
    """The code point index at UTF-16 offset ``offset`` of ``text`` (None if it splits a pair)."""
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        if units > offset:
            return None
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text) if units == offset else None


@dataclass(frozen=True)
class Anchored:
    start: int
    end: int
    how: str  # "exact", "utf16" or "nearest"


def anchor_span(article_text: str, start, end, text) -> Anchored | None:
    """Where ``text`` really is in ``article_text``, given the offsets Label Studio reported."""
    if not isinstance(text, str) or not text:
        return None
    if isinstance(start, int) and isinstance(end, int):
        if article_text[start:end] == text and 0 <= start < end:
            return Anchored(start, end, "exact")
        cp_start = utf16_to_code_points(article_text, start)
        cp_end = utf16_to_code_points(article_text, end)
        if cp_start is not None and cp_end is not None and article_text[cp_start:cp_end] == text:
            return Anchored(cp_start, cp_end, "utf16")
    nearest = reanchor(article_text, start if isinstance(start, int) else 0, 0, text)
    if nearest is None:
        return None
    return Anchored(nearest, nearest + len(text), "nearest")
