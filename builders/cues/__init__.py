"""Cues: detectors that pre-label framing cues as spans (``origin = prelabel``)."""

from builders.cues.base import CueDetector, CueTagger
from builders.cues.quotes import QuoteDetector

__all__ = ["CueDetector", "CueTagger", "QuoteDetector", "default_detectors"]


def default_detectors() -> list[CueDetector]:
    return [QuoteDetector()]
