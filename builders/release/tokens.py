"""The ``tokens`` config: one row per sentence, words with code-point offsets and BIO tags.

Tokens are the cue detectors' words (``builders.cues.tokens.WORDS``: maximal ``\\w+`` runs, so a
word has the same offsets here as in every detector) plus each other non-space character as a
token of its own (quotation marks, commas, dashes), so a quotation's marks are tokens and
``" ".join(tokens)`` reads like the sentence. Sentences are tokenised one at a time: a token never
crosses a sentence boundary (a fused "Ukrainą.Elementem" is two sentences, so two rows).

Which spans: an article whose gold spans were decided (adjudicated, or enough annotators for the
overlap majority, even if that found none) is tagged from its ``gold`` spans, every other article
from its ``prelabel`` spans (``tags_from`` says which); single annotators' spans never. Per label
a column ``<label>_tags`` (``quote_tags``, ``regime_term_tags``, …): a span tags every token it
touches (a span that starts or ends inside a word tags the whole word; the ``spans`` config keeps
the exact offsets); a span crossing a sentence boundary is one entity per sentence (B- again at
the first token of the next row); a span whose tokens an earlier span of the same label already
tagged (earliest start first, then the longest) is left out and counted in ``untagged_spans``.
``ner_tags`` flattens every label into one column with the same rule across labels, taxonomy
order breaking ties: a quotation wins over the regime term inside it, which stays in
``regime_term_tags``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from builders.cues.tokens import WORDS
from builders.records import Document

# the detectors' words first, then any other single non-space character; split, not finditer:
# the pieces alternate gap, token, gap, … and their lengths give the offsets at C speed
TOKEN = re.compile(rf"({WORDS.pattern.removeprefix('(').removesuffix(')')}|[^\w\s])")
TAGS_FROM = ["prelabel", "gold"]
OUTSIDE = "O"


def tag_column(label: str) -> str:
    return f"{label.lower()}_tags"


def tag_names(labels: list[str]) -> list[str]:
    """ClassLabel names of a tag column: O, then B-/I- per label (their integers follow the
    taxonomy's order, so appending a label keeps every earlier integer)."""
    return [OUTSIDE, *(f"{prefix}-{label}" for label in labels for prefix in ("B", "I"))]


def gold_decided(document: Document) -> bool:
    return document.span_gold is not None


def token_records(document: Document, labels: list[str]) -> list[dict]:
    """The ``tokens`` rows of one document, in sentence order, tags as names."""
    wanted = "gold" if gold_decided(document) else "prelabel"
    order = {label: rank for rank, label in enumerate(labels)}
    columns = [tag_column(label) for label in labels]
    sentences = document.sentences
    sentence_starts = [s.start for s in sentences]
    # each span goes to the rows it overlaps, in precedence order: earliest start, longest,
    # then taxonomy order (sentences are few per span, so this is a bisect, not a scan per row)
    per_row: list[list[tuple[int, int, int]]] = [[] for _ in sentences]
    for start, negative_end, rank in sorted(
        (s.start, -s.end, order[s.label])
        for s in document.spans
        if s.origin == wanted and s.label in order
    ):
        first = max(bisect_right(sentence_starts, start) - 1, 0)
        for index in range(first, bisect_left(sentence_starts, -negative_end)):
            per_row[index].append((start, -negative_end, rank))
    rows = []
    for sentence, spans in zip(sentences, per_row, strict=True):
        parts = TOKEN.split(sentence.text)
        offsets = list(accumulate(map(len, parts), initial=sentence.start))
        starts, ends = offsets[1:-1:2], offsets[2::2]
        size = len(starts)
        combined = [OUTSIDE] * size
        tagged: dict[int, list[str]] = {}  # label rank → its tags, for the labels with spans
        untagged = 0
        for start, end, rank in spans:
            lo = bisect_right(ends, start)  # first token ending after the span starts
            hi = bisect_left(starts, end)  # tokens starting before the span ends
            if lo >= hi:
                continue  # only spaces of this row (or the span is in another row)
            tags = tagged.get(rank)
            if tags is None:
                tags = tagged[rank] = [OUTSIDE] * size
            if not _place(tags, lo, hi, labels[rank]):
                untagged += 1
            _place(combined, lo, hi, labels[rank])
        row = {
            "sentence_id": sentence.sentence_id,
            "article_id": sentence.article_id,
            "kind": sentence.kind,
            "tokens": parts[1::2],
            "starts": starts,
            "ends": ends,
            "tags_from": wanted,
            "untagged_spans": untagged,
            "ner_tags": combined,
        }
        for rank, column in enumerate(columns):
            row[column] = tagged.get(rank) or [OUTSIDE] * size
        rows.append(row)
    return rows


def _place(tags: list[str], lo: int, hi: int, label: str) -> bool:
    """Tag tokens [lo, hi) as one entity unless one of them is tagged already."""
    if tags[lo:hi].count(OUTSIDE) != hi - lo:
        return False
    tags[lo] = f"B-{label}"
    tags[lo + 1 : hi] = [f"I-{label}"] * (hi - lo - 1)
    return True


def tokens_problem(article_text: str, record: dict) -> str | None:
    """Why a schema-valid ``tokens`` record breaks the offsets or BIO invariants, or None."""
    tokens, starts, ends = record["tokens"], record["starts"], record["ends"]
    if not len(tokens) == len(starts) == len(ends):
        return f"{len(tokens)} tokens but {len(starts)} starts and {len(ends)} ends"
    # slicing at C speed first; the token at fault is looked for only when one is
    if list(map(article_text.__getitem__, map(slice, starts, ends))) != tokens or not all(
        map(int.__lt__, starts, ends)
    ):
        for k, (token, start, end) in enumerate(zip(tokens, starts, ends, strict=True)):
            if not start < end <= len(article_text) or article_text[start:end] != token:
                return f"token {k} {token!r} is not the article's text at [{start}, {end})"
    for column, tags in record.items():
        if not column.endswith("_tags"):
            continue
        if len(tags) != len(tokens):
            return f"{column}: {len(tags)} tags for {len(tokens)} tokens"
        if tags.count(OUTSIDE) == len(tags):
            continue  # most label columns of most rows
        previous = OUTSIDE
        for k, tag in enumerate(tags):
            if tag.startswith("I-") and previous[2:] != tag[2:]:
                return f"{column}: tag {k} {tag} follows {previous} (BIO: I- continues B-/I-)"
            previous = tag
    return None
