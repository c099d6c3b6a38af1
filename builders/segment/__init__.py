"""Segment: article text → sentences with code-point offsets and a ``kind``."""

from builders.segment.rules import SegmentationRules, load_rules
from builders.segment.segmenter import SentenceSegmenter, segment_sentences, split_text

__all__ = [
    "SegmentationRules",
    "SentenceSegmenter",
    "load_rules",
    "segment_sentences",
    "split_text",
]
