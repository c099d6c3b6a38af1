"""Pieces of stdlib ``re`` patterns built from rule data and Unicode tables."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from itertools import groupby


@cache
def letters(*categories: str) -> str:
    """Body of a character class for Unicode general categories (``re`` has no ``\\p{Lu}``).

    Basic Multilingual Plane only: ``re`` tests characters above it range by range, which
    made every failed test of a class slow; every script these rules serve lies below it.
    """
    ranges, code = [], 0
    for category, run in groupby(map(unicodedata.category, map(chr, range(0x10000)))):
        size = sum(1 for _ in run)
        if category in categories:
            last = code + size - 1
            ranges.append(f"\\u{code:04x}-\\u{last:04x}" if size > 1 else f"\\u{code:04x}")
        code += size
    return "".join(ranges)


def alternation(words: Iterable[str]) -> str:
    """The words as a trie-shaped alternation: no two branches start with the same character,
    and the engine rejects a branch by its first character, so a long list costs a few tests."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[:1], []).append(word[1:])
    ends_here = by_first.pop("", None) is not None
    branches = [re.escape(first) + alternation(rests) for first, rests in sorted(by_first.items())]
    if ends_here:
        branches.append("")  # after the longer words: "m.in" is tried before "in"
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
