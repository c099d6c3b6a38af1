"""Rule-based sentence segmentation by offsets; the text itself is never edited.

A boundary is a run of terminal punctuation (optionally followed by closing quotes/brackets)
that is followed by the start of a new sentence — with or without a space, since scraped
paragraphs fuse sentences ("Ukrainą.Elementem") — or a line break. Abbreviations from the
language's rule file and single-letter initials do not end a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from builders.pipeline import PipelineStep
from builders.records import Document, Sentence, sentence_id
from builders.segment.rules import SegmentationRules, load_rules

TERMINAL = re.compile(r"[.!?…]+[\"'”’»)\]]*")
CLOSERS = "\"'”’»)]"
OPENERS = "\"'„“«([–—-"
WORD_BEFORE = re.compile(r"(\w+(?:\.\w+)*)$")


def _is_sentence_start(char: str) -> bool:
    return char.isupper() or char.isdigit() or char in OPENERS


def _ends_with_abbreviation(text: str, dot: int, rules: SegmentationRules) -> bool:
    """True if the period at ``dot`` closes an abbreviation or an initial ("J.", "m.in.")."""
    match = WORD_BEFORE.search(text, max(0, dot - 40), dot)
    if not match:
        return False
    word = match.group(1)
    if word.lower() in rules.abbreviations:
        return True
    return len(word) == 1 and word.isalpha() and word.isupper()


def find_boundaries(text: str, rules: SegmentationRules) -> list[int]:
    """Offsets where a sentence ends (exclusive end), in increasing order."""
    cuts = []
    for match in TERMINAL.finditer(text):
        end = match.end()
        if end >= len(text):
            break
        nxt = end
        while nxt < len(text) and text[nxt] in " \t\u00a0":
            nxt += 1
        if nxt >= len(text) or text[nxt] == "\n":
            cuts.append(end)
            continue
        if not _is_sentence_start(text[nxt]):
            continue
        punct = match.group(0)
        if punct.startswith(".") and punct.rstrip(CLOSERS) == ".":
            if _ends_with_abbreviation(text, match.start(), rules):
                continue
            if nxt == end and not text[match.start() - 1 : match.start()].islower():
                continue  # "J.T." or "24.11." — fused splits need a lowercase word before
        cuts.append(end)
    for newline in re.finditer(r"\n", text):
        cuts.append(newline.start())
    return sorted(set(cuts))


def _kind(sentence: str, rules: SegmentationRules) -> str:
    lowered = sentence.lower()
    if any(lowered.startswith(prefix) for prefix in rules.boilerplate_prefixes):
        return "boilerplate"
    return "body"


def segment_sentences(article_id: str, text: str, rules: SegmentationRules) -> list[Sentence]:
    """Split ``text`` into sentences whose offsets satisfy ``text[start:end] == sentence.text``."""
    sentences: list[Sentence] = []
    start = 0
    previous_kind = "body"
    for end in [*find_boundaries(text, rules), len(text)]:
        piece_start, piece_end = start, end
        while piece_start < piece_end and text[piece_start].isspace():
            piece_start += 1
        while piece_end > piece_start and text[piece_end - 1].isspace():
            piece_end -= 1
        start = end
        if piece_start == piece_end:
            continue
        piece = text[piece_start:piece_end]
        kind = _kind(piece, rules)
        if (
            previous_kind == "boilerplate"
            and kind == "body"
            and sentences
            and (text.count("\n", sentences[-1].end, piece_start) == 0)
        ):
            kind = "boilerplate"  # a link tail continues its "Czytaj więcej:" lead-in
        previous_kind = kind
        index = len(sentences)
        sentences.append(
            Sentence(
                sentence_id(article_id, index),
                article_id,
                index,
                piece_start,
                piece_end,
                piece,
                kind,
            )
        )
    return sentences


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
            self.stats["sentences"] += len(document.sentences)
            yield document
