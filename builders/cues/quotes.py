"""QUOTE pre-labels: the text inside quotation marks, matched pair by pair.

Marks are paired with a stack so nested quotes work; an opening mark left without its closing
mark yields no span (and a warning) rather than a span running to the end of the article.
"""

from __future__ import annotations

from builders.cues.base import CueDetector
from builders.records import Document, Span, make_span

# opening mark → closing mark. Straight double quotes are symmetric and handled separately.
PAIRS = {"„": "”", "“": "”", "«": "»", "‚": "’", "‹": "›"}
CLOSING = {"”", "»", "’", "›"}


class QuoteDetector(CueDetector):
    name = "quote"
    version = "0.1.0"

    def __init__(self) -> None:
        self._warnings: list[str] = []

    def drain_warnings(self) -> list[str]:
        warnings, self._warnings = self._warnings, []
        return warnings

    def detect(self, document: Document) -> list[Span]:
        article = document.article
        text = article.text
        stack: list[tuple[str, int]] = []
        spans = []
        for position, char in enumerate(text):
            closes_top = stack and (
                PAIRS.get(stack[-1][0]) == char or (stack[-1][0] == '"' == char)
            )
            if closes_top:
                opener, start = stack.pop()
                inner_start, inner_end = start + 1, position
                if inner_end > inner_start and text[inner_start:inner_end].strip():
                    spans.append(
                        make_span(
                            article,
                            document.sentences,
                            inner_start,
                            inner_end,
                            "QUOTE",
                            "prelabel",
                            self.source,
                            {"mark": opener},
                        )
                    )
            elif char in PAIRS or char == '"':
                stack.append((char, position))
            elif char in CLOSING and char != "’":
                self._warnings.append(
                    f"{article.article_id}: closing {char!r} at {position} without an opening mark"
                )
        for opener, start in stack:
            self._warnings.append(
                f"{article.article_id}: unbalanced {opener!r} at {start}; no QUOTE span produced"
            )
        return spans
