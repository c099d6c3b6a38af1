"""Cues: detectors that pre-label framing cues as spans (``origin = prelabel``)."""

from builders.cues.attribution import AttributionDetector
from builders.cues.base import CueDetector, CueTagger
from builders.cues.lexicon import LexiconDetector
from builders.cues.quotes import QuoteDetector
from builders.cues.regime import RegimeQuoteDetector

__all__ = [
    "AttributionDetector",
    "CueDetector",
    "CueTagger",
    "LexiconDetector",
    "QuoteDetector",
    "RegimeQuoteDetector",
    "default_detectors",
]


def default_detectors() -> list[CueDetector]:
    """Every pre-label detector, one per taxonomy label."""
    return [
        QuoteDetector(),
        AttributionDetector(),
        RegimeQuoteDetector(),
        LexiconDetector("regime_term", "regime_terms"),
        LexiconDetector("hedge", "hedges"),
        LexiconDetector("evaluative", "evaluative"),
    ]
