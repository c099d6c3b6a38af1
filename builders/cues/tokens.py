"""Words of a document with offsets and lemmas, computed once per document for every detector.

Tokenising is one ``re.split`` (C speed) plus a running sum of piece lengths for offsets; lemmas
come from a per-language cache in front of simplemma, so each distinct word form is lemmatised
once per process. Detectors of the same document share one :class:`TokenView` (see ``shared``)
and its index of where the words they look for occur (:attr:`TokenView.where`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from itertools import accumulate, compress

from builders.cues.lemmas import lemmatizer
from builders.records import Document

SPLIT = re.compile(r"(\W+)")
PLAIN_GAP = re.compile(r"[ \t\u00a0-]+")
_PLAIN_GAPS: dict[str, bool] = {}  # gap text → PLAIN_GAP matches; gaps repeat (" ", ", ")


class TokenView:
    """``words[k]`` spans ``text[starts[k]:ends[k]]``; ``gaps[k]`` is the text after word k.

    ``lemmas[k]`` is the word's lower-cased lemma; ``keys[k]`` its name key (``"\\0" + stem``) if
    it is capitalised, else None. Detectors find the words they look for through :attr:`where`
    (built at C speed), so per-word Python work happens only at candidates.
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
        self._where: dict[str, list[int]] | None = None
        self._where_watched = 0

    @property
    def where(self) -> dict[str, list[int]]:
        """Watched lemma or name key → indices of the words that have it, ascending.

        Only keys some detector registered with :func:`watch` are indexed (lexicon and actor
        words, reporting verbs): finding their words is one C-speed pass (``map`` +
        ``compress``), and Python touches only those words. Built once per document and
        shared by every detector; rebuilt if a detector registered new keys meanwhile.
        """
        watched = _WATCHED.setdefault(self.language, set())
        if self._where is None or self._where_watched != len(watched):
            self._where = _index(self.lemmas, self.keys, watched)
            self._where_watched = len(watched)
        return self._where

    def __len__(self) -> int:
        return len(self.words)

    def positions(self, wanted: AbstractSet[str]) -> list[int]:
        """Indices of the words whose lemma or name key is in ``wanted`` (watched keys only)."""
        where = self.where
        found = [k for key in where.keys() & wanted for k in where[key]]
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


_WATCHED: dict[str, set[str]] = {}  # language → lemmas and name keys detectors look up


def watch(language: str, keys: Iterable[str]) -> None:
    """Register lemmas / name keys (``"\\0" + stem``) that ``TokenView.where`` must index."""
    _WATCHED.setdefault(language, set()).update(keys)


def _index(lemmas: tuple, keys: tuple, watched: set[str]) -> dict[str, list[int]]:
    where: dict[str, list[int]] = {}
    for values in (lemmas, keys):
        for k in compress(range(len(values)), map(watched.__contains__, values)):
            found = where.get(values[k])
            if found is None:
                where[values[k]] = [k]
            else:
                found.append(k)
    return where


def build_view(document: Document) -> TokenView:
    article = document.article
    return TokenView(article.text, article.language, [s.start for s in document.sentences])
