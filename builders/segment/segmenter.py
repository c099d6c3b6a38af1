"""Sentences with code-point offsets and a ``kind``; the text itself is never edited.

``boundaries`` finds where sentences end, ``kinds`` says what each one is; both read the
language's rule data (``builders/rules/segmentation/<lang>.json``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from builders.pipeline import PipelineStep
from builders.records import Document, Sentence, sentence_id
from builders.segment.boundaries import find_boundaries, piece_offsets
from builders.segment.kinds import assign_kinds
from builders.segment.rules import SegmentationRules, load_rules

__all__ = ["SentenceSegmenter", "find_boundaries", "segment_sentences", "split_text"]


def split_text(text: str, rules: SegmentationRules) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every sentence of ``text``, in order."""
    starts, ends, fused = piece_offsets(text, rules)
    return assign_kinds(text, starts, ends, rules, fused)


def segment_sentences(article_id: str, text: str, rules: SegmentationRules) -> list[Sentence]:
    """Split ``text`` into sentences whose offsets satisfy ``text[start:end] == sentence.text``."""
    return [
        Sentence(
            sentence_id(article_id, index), article_id, index, start, end, text[start:end], kind
        )
        for index, (start, end, kind) in enumerate(split_text(text, rules))
    ]


class SentenceSegmenter(PipelineStep):
    """Pipeline step: attach sentences to each document."""

    name = "segment"

    def run(self, records: Iterable) -> Iterator[Document]:
        for record in records:
            document = record if isinstance(record, Document) else Document(record)
            rules = load_rules(document.article.language)
            document.sentences = segment_sentences(
                document.article.article_id, document.article.text, rules
            )
            self.stats["articles"] += 1
            self.stats[f"rules {rules.source}"] += 1  # which rule data segmented them
            self.stats["sentences"] += len(document.sentences)
            for sentence in document.sentences:
                self.stats[f"kind_{sentence.kind}"] += 1
            yield document
