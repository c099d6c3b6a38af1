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
from itertools import accumulate, compress, filterfalse

from builders.cues.lemmas import lemmatizer
from builders.records import Document

WORDS = re.compile(r"(\w+)")
PLAIN_GAP = re.compile(r"[ \t\u00a0-]+")
_PLAIN_GAPS: dict[str, bool] = {}  # gap text → PLAIN_GAP matches; gaps repeat (" ", ", ")


class TokenView:
    """``words[k]`` spans ``text[starts[k]:ends[k]]``; ``gaps[k]`` is the text after word k.

    ``lemmas[k]`` is the word's lower-cased lemma; ``keys[k]`` its name key (``"\\0" + stem``) if
    it is capitalised, else None. Detectors find the words they look for through :attr:`where`
    (built at C speed), so per-word Python work happens only at candidates.
    """

    def __init__(self, text: str, language: str, sentence_starts: list[int]) -> None:
        # splitting at the words, not at the gaps, is ~25 % faster in ``re``; the parts are
        # then made to alternate word, gap, word, … with "" words at the edges, as ever
        parts = WORDS.split(text)
        if parts[0]:
            parts.insert(0, "")
        else:
            del parts[0]
        if parts[-1]:
            parts.append("")
        else:
            parts.pop()
        offsets = list(accumulate(map(len, parts), initial=0))
        self.text = text
        self.language = language
        self.words = parts[0::2]
        self.gaps = parts[1::2]
        self.starts = offsets[0:-1:2]
        self.ends = offsets[1::2]
        self.lemmas, self.keys = lemmatizer(language).analyse(self.words)
        # plain[k]: word k and k+1 are separated by spaces/hyphens only (one more False at the
        # end, for the last word); hot loops read it directly instead of calling plain_gap()
        try:
            self.plain = [*map(_PLAIN_GAPS.__getitem__, self.gaps), False]
        except KeyError:
            self.plain = [*map(_is_plain, self.gaps), False]
        self._sentence_starts = sentence_starts
        self._where: dict[str, list[int]] | None = None
        self._where_watched = 0
        self._merged: dict[tuple[str, str], list[int]] = {}

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
            self._where = _index(self.language, self.words, watched)
            self._where_watched = len(watched)
            self._merged = {}
        return self._where

    @property
    def merged(self) -> dict[tuple[str, str], list[int]]:
        """(lemma, name stem) → indices of the words with that lemma or name key, ascending:
        filled by the phrase matcher, kept as long as :attr:`where` is."""
        self.where  # noqa: B018 - rebuilds (and empties this) when new keys are watched
        return self._merged

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
        return k < len(self.gaps) and self.plain[k]

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence holding ``offset`` (0 if the document has no sentences)."""
        return max(0, bisect_left(self._sentence_starts, offset + 1) - 1)

    def sentence_token_ranges(self) -> list[tuple[int, int]]:
        """Token index ranges [lo, hi) of each sentence (one range if there are no sentences)."""
        if not self._sentence_starts:
            return [(0, len(self.words))]
        bounds = [bisect_left(self.starts, start) for start in self._sentence_starts]
        return list(zip(bounds, [*bounds[1:], len(self.words)], strict=True))


def _is_plain(gap: str) -> bool:
    plain = _PLAIN_GAPS.get(gap)
    if plain is None:
        if len(_PLAIN_GAPS) > 10_000:
            _PLAIN_GAPS.clear()
        plain = _PLAIN_GAPS[gap] = PLAIN_GAP.fullmatch(gap) is not None
    return plain


_WATCHED: dict[str, set[str]] = {}  # language → lemmas and name keys detectors look up


def watch(language: str, keys: Iterable[str]) -> None:
    """Register lemmas / name keys (``"\\0" + stem``) that ``TokenView.where`` must index."""
    _WATCHED.setdefault(language, set()).update(keys)


_HITS: dict[str, tuple[int, dict[str, tuple[str, ...]]]] = {}  # language → (watched size, …)


def _hits_by_form(language: str, watched: set[str]) -> dict[str, tuple[str, ...]]:
    """Word form → its watched lemma and/or name key (``()`` if neither is watched).

    Kept per process like the lemma cache, so an article's index is one C-speed ``map`` over
    its words; started afresh whenever a detector registers new keys.
    """
    size, hits = _HITS.get(language, (-1, {}))
    if size != len(watched) or len(hits) > CLASSIFIED_LIMIT:
        hits = {}
        _HITS[language] = (len(watched), hits)
    return hits


CLASSIFIED_LIMIT = 500_000


def _index(language: str, words: list[str], watched: set[str]) -> dict[str, list[int]]:
    hits = _hits_by_form(language, watched)
    try:
        found = list(map(hits.__getitem__, words))
    except KeyError:  # forms not seen yet: classify only them
        analyse = lemmatizer(language).analyse
        new = list(dict.fromkeys(filterfalse(hits.__contains__, words)))
        for word, lemma, key in zip(new, *analyse(new), strict=True):
            hits[word] = tuple(value for value in (lemma, key) if value in watched)
        found = list(map(hits.__getitem__, words))
    where: dict[str, list[int]] = {}
    for k in compress(range(len(found)), found):
        for value in found[k]:
            indices = where.get(value)
            if indices is None:
                where[value] = [k]
            else:
                indices.append(k)
    return where


def build_view(document: Document) -> TokenView:
    article = document.article
    return TokenView(article.text, article.language, [s.start for s in document.sentences])
