"""Words of a document with offsets and lemmas, computed once per document for every detector.

Tokenising is one ``re.split`` (C speed) plus a running sum of piece lengths for offsets; lemmas
come from a per-language cache in front of simplemma, so each distinct word form is lemmatised
once per process. Detectors of the same document share one :class:`TokenView` (see ``shared``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate, compress

from builders.cues.lemmas import lemmatizer
from builders.records import Document

SPLIT = re.compile(r"(\W+)")
PLAIN_GAP = re.compile(r"[ \t\u00a0-]+")


# Case endings of PL/RU/UK names, longest first; stripped from both phrase and text.
class TokenView:
    """``words[k]`` spans ``text[starts[k]:ends[k]]``; ``gaps[k]`` is the text after word k."""

    def __init__(self, text: str, language: str, sentence_starts: list[int]) -> None:
        parts = SPLIT.split(text)
        offsets = list(accumulate(map(len, parts), initial=0))
        self.text = text
        self.language = language
        self.words = parts[0::2]
        self.gaps = parts[1::2]
        self.starts = offsets[0:-1:2]
        self.ends = offsets[1::2]
        self.lemmas, keys = lemmatizer(language).analyse(self.words)
        self._name_keys = list(compress(enumerate(keys), keys))
        self._sentence_starts = sentence_starts
        self._capitalised: set[int] | None = None

    def name_keys(self) -> list[tuple[int, str]]:
        """(k, key) for every capitalised word: its name stem, keyed apart from lemmas."""
        return self._name_keys

    def __len__(self) -> int:
        return len(self.words)

    def plain_gap(self, k: int) -> bool:
        """True if word k and word k+1 are separated by spaces/hyphens only (same phrase)."""
        return k < len(self.gaps) and PLAIN_GAP.fullmatch(self.gaps[k]) is not None

    def is_capitalised(self, k: int) -> bool:
        if self._capitalised is None:
            self._capitalised = {k for k, _ in self.name_keys()}
        return k in self._capitalised

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence holding ``offset`` (0 if the document has no sentences)."""
        return max(0, bisect_left(self._sentence_starts, offset + 1) - 1)

    def sentence_token_ranges(self) -> list[tuple[int, int]]:
        """Token index ranges [lo, hi) of each sentence (one range if there are no sentences)."""
        if not self._sentence_starts:
            return [(0, len(self.words))]
        bounds = [bisect_left(self.starts, start) for start in self._sentence_starts]
        return list(zip(bounds, [*bounds[1:], len(self.words)], strict=True))

    def first_token_at_or_after(self, offset: int) -> int:
        return bisect_left(self.starts, offset)


def build_view(document: Document) -> TokenView:
    article = document.article
    return TokenView(article.text, article.language, [s.start for s in document.sentences])
