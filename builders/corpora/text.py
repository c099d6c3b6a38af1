"""Offsets in a corpus file's text ↔ offsets in the released text.

The shared tasks' offsets count code points of the article file decoded as UTF-8 with no newline
translation (the organisers' tools read articles with ``codecs.open``, which does none), so a
``\\r\\n`` is two characters. The build normalises text before any offset exists (BOM, CRLF, CR,
NFC: :func:`builders.ingest.normalize.normalize_text`), so each offset is mapped through the same
steps. An offset inside a changed piece (between ``\\r`` and ``\\n``, inside a character NFC
composes) has no counterpart and is refused, never rounded.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from builders.ingest.normalize import normalize_text


@dataclass(frozen=True)
class _Piece:
    raw_start: int
    raw_end: int
    start: int  # in the normalised text
    end: int
    copied: bool  # the same characters on both sides: every offset inside maps


class CorpusText:
    """A corpus article: ``raw`` as the file holds it, ``text`` as the build will release it."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        pieces: list[_Piece] = []
        out: list[str] = []
        position = 0

        def add(raw_end: int, normalised: str, copied: bool) -> None:
            nonlocal position
            start = pieces[-1].end if pieces else 0
            pieces.append(_Piece(position, raw_end, start, start + len(normalised), copied))
            out.append(normalised)
            position = raw_end

        if raw.startswith("\ufeff"):
            add(1, "", False)
        while position < len(raw):
            cr = raw.find("\r", position)
            line_end = len(raw) if cr == -1 else cr
            if line_end > position:
                self._add_nfc(raw[position:line_end], position, add)
            if cr != -1:
                crlf = raw.startswith("\r\n", cr)
                add(cr + (2 if crlf else 1), "\n", False)
        self.text = "".join(out)
        self._pieces = pieces
        self._raw_starts = [p.raw_start for p in pieces]
        self._starts = [p.start for p in pieces]
        expected, _ = normalize_text(raw)
        if self.text != expected:  # the steps above must be normalize_text's, piece by piece
            raise ValueError(
                "offset map disagrees with normalize_text (a normalisation step changed)"
            )

    @staticmethod
    def _add_nfc(segment: str, offset: int, add) -> None:
        """NFC piece by piece: unchanged runs are copied; each changed cluster (a starter and
        its combining marks) is one piece. Newlines never compose, so lines are independent."""
        if unicodedata.is_normalized("NFC", segment):
            add(offset + len(segment), segment, True)
            return
        clusters, begin = [], 0
        for index in range(1, len(segment) + 1):
            if index == len(segment) or unicodedata.combining(segment[index]) == 0:
                clusters.append(segment[begin:index])
                begin = index
        composed = [unicodedata.normalize("NFC", cluster) for cluster in clusters]
        if "".join(composed) != unicodedata.normalize("NFC", segment):
            # starters composing with each other (Hangul jamo): the line is one piece
            add(offset + len(segment), unicodedata.normalize("NFC", segment), False)
            return
        copied = ""  # unchanged clusters run together into one copied piece
        for cluster, normalised in zip(clusters, composed, strict=True):
            if cluster == normalised:
                copied += cluster
                continue
            if copied:
                offset += len(copied)
                add(offset, copied, True)
                copied = ""
            offset += len(cluster)
            add(offset, normalised, False)
        if copied:
            add(offset + len(copied), copied, True)

    def to_text(self, raw_offset: int) -> int | None:
        """The offset in :attr:`text` for ``raw_offset``, or None inside a changed piece."""
        return self._map(raw_offset, len(self.raw), self._raw_starts, raw_side=True)

    def to_raw(self, offset: int) -> int | None:
        """The offset in :attr:`raw` for ``offset`` into :attr:`text`, or None."""
        return self._map(offset, len(self.text), self._starts, raw_side=False)

    def _map(self, offset: int, length: int, starts: list[int], raw_side: bool) -> int | None:
        if not 0 <= offset <= length:
            return None
        if not self._pieces:
            return offset
        # the last piece starting at or before the offset (after an empty BOM piece: the next)
        piece = self._pieces[max(bisect_right(starts, offset) - 1, 0)]
        start, end, to_start, to_end = (
            (piece.raw_start, piece.raw_end, piece.start, piece.end)
            if raw_side
            else (piece.start, piece.end, piece.raw_start, piece.raw_end)
        )
        if piece.copied:
            return to_start + (offset - start)
        if offset == start:
            return to_start
        if offset == end:
            return to_end
        return None
