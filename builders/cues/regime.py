"""REGIME_QUOTE pre-labels: quotations whose speaker is a regime actor from ``rules/actors.json``.

The span is the QUOTE's span; the actor is found in the speaker phrase of the quote's
attribution ("Szojgu", "północnokoreańskie media", "agencja TASS"), by lemma and name stem.
"""

from __future__ import annotations

from builders.cues.base import CueDetector
from builders.cues.quotes import quotes_in, speaker_attributes
from builders.cues.rules import load_actors
from builders.cues.shared import span_maker
from builders.records import Document, Span


class RegimeQuoteDetector(CueDetector):
    name = "regime_quote"
    version = "0.1.0"

    def detect(self, document: Document) -> list[Span]:
        actors = load_actors()
        text = document.article.text
        make = span_maker(document)
        spans = []
        for quote in quotes_in(document).quotes:
            actor = quote.speaker.actor if quote.speaker else None
            if actor is None or not actor.regime:
                continue
            attributes = {
                **speaker_attributes(text, quote.speaker),
                "actor": actor.id,
                "country": actor.country,
                "actor_kind": actor.kind,
                "actors": actors.ref,
            }
            spans.append(
                make(
                    quote.start,
                    quote.end,
                    "REGIME_QUOTE",
                    "prelabel",
                    self.source,
                    attributes,
                )
            )
        return spans
