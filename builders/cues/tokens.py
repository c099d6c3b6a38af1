"""Words of a document with offsets and lemmas, computed once per document for every detector.

Tokenising is one ``re.split`` (C speed) plus a running sum of piece lengths for offsets; lemmas
come from a per-language cache in front of simplemma, so each distinct word form is lemmatised
once per process. Detectors of the same document share one :class:`TokenView` (see ``shared``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Container
from functools import cached_property
from itertools import accumulate, compress

from builders.cues.lemmas import lemmatizer
from builders.records import Document

SPLIT = re.compile(r"(\W+)")
PLAIN_GAP = re.compile(r"[ \t\u00a0-]+")
_PLAIN_GAPS: dict[str, bool] = {}  # gap text → PLAIN_GAP matches; gaps repeat (" ", ", ")


class TokenView:
    """``words[k]`` spans ``text[starts[k]:ends[k]]``; ``gaps[k]`` is the text after word k.

    ``lemmas[k]`` is the word's lower-cased lemma; ``keys[k]`` its name key (``"\\0" + stem``) if
    it is capitalised, else None. Detectors look tokens up with :meth:`positions`, which scans
    at C speed, so per-token Python work happens only at candidates.
    """

    def __init__(self, text: str, language: str, sentence_starts: list[int]) -> None:
        parts = SPLIT.split(text)
        offsets = list(accumulate(map(len, parts), initial=0))
        self.text = text
        self.language = language
        self.words = parts[0::2]
        self.gaps = parts[1::2]
        self.starts = offsets[0:-1:2]
        self.ends = offsets[1::2]
        self.lemmas, self.keys = lemmatizer(language).analyse(self.words)
        self._sentence_starts = sentence_starts

    @cached_property
    def where(self) -> dict[str, list[int]]:
        """Lemma or name key → indices of the words that have it, ascending.

        Built once per document and shared by every lexicon, the actor list and the reporting
        verbs, so each looks up only the words it knows instead of scanning the text.
        """
        where: dict[str, list[int]] = {}
        for k, lemma in enumerate(self.lemmas):
            found = where.get(lemma)
            if found is None:
                where[lemma] = [k]
            else:
                found.append(k)
        keys = self.keys
        for k in compress(range(len(keys)), keys):
            found = where.get(keys[k])
            if found is None:
                where[keys[k]] = [k]
            else:
                found.append(k)
        return where

    def __len__(self) -> int:
        return len(self.words)

    def positions(self, wanted: Container[str], lo: int = 0, hi: int | None = None) -> list[int]:
        """Indices k in [lo, hi) whose lemma or name key is in ``wanted``, ascending."""
        where = self.where
        hi = len(self.words) if hi is None else hi
        found = [k for key in where.keys() & wanted for k in where[key] if lo <= k < hi]
        found.sort()
        return found

    def plain_gap(self, k: int) -> bool:
        """True if word k and word k+1 are separated by spaces/hyphens only (same phrase)."""
        if k >= len(self.gaps):
            return False
        gap = self.gaps[k]
        plain = _PLAIN_GAPS.get(gap)
        if plain is None:
            if len(_PLAIN_GAPS) > 10_000:
                _PLAIN_GAPS.clear()
            plain = _PLAIN_GAPS[gap] = PLAIN_GAP.fullmatch(gap) is not None
        return plain

    def is_capitalised(self, k: int) -> bool:
        return self.keys[k] is not None

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
