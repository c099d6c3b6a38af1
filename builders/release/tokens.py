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

from builders.cues.tokens import WORDS
from builders.records import Document

# the detectors' words first, then any other single non-space character
TOKEN = re.compile(rf"{WORDS.pattern}|[^\w\s]")
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
    gold = gold_decided(document)
    wanted = "gold" if gold else "prelabel"
    order = {label: rank for rank, label in enumerate(labels)}
    # earliest start, longest, then taxonomy order: the precedence of every tag column
    spans = sorted(
        (s.start, -s.end, order[s.label], s.end)
        for s in document.spans
        if s.origin == wanted and s.label in order
    )
    rows = []
    for sentence in document.sentences:
        base = sentence.start
        matches = list(TOKEN.finditer(sentence.text))
        starts = [base + m.start() for m in matches]
        ends = [base + m.end() for m in matches]
        per_label = [[OUTSIDE] * len(matches) for _ in labels]
        combined = [OUTSIDE] * len(matches)
        untagged = 0
        for start, _, rank, end in spans:
            if end <= sentence.start or start >= sentence.end:
                continue
            lo = bisect_right(ends, start)  # first token ending after the span starts
            hi = bisect_left(starts, end)  # tokens starting before the span ends
            if lo >= hi:
                continue  # only spaces of this sentence
            label = labels[rank]
            if not _place(per_label[rank], lo, hi, label):
                untagged += 1
            _place(combined, lo, hi, label)
        row = {
            "sentence_id": sentence.sentence_id,
            "article_id": sentence.article_id,
            "kind": sentence.kind,
            "tokens": [m.group() for m in matches],
            "starts": starts,
            "ends": ends,
            "tags_from": wanted,
            "untagged_spans": untagged,
            "ner_tags": combined,
        }
        for label, tags in zip(labels, per_label, strict=True):
            row[tag_column(label)] = tags
        rows.append(row)
    return rows


def _place(tags: list[str], lo: int, hi: int, label: str) -> bool:
    """Tag tokens [lo, hi) as one entity unless one of them is tagged already."""
    if any(tag != OUTSIDE for tag in tags[lo:hi]):
        return False
    tags[lo] = f"B-{label}"
    tags[lo + 1 : hi] = [f"I-{label}"] * (hi - lo - 1)
    return True


def tokens_problem(article_text: str, record: dict) -> str | None:
    """Why a schema-valid ``tokens`` record breaks the offsets or BIO invariants, or None."""
    tokens, starts, ends = record["tokens"], record["starts"], record["ends"]
    if not len(tokens) == len(starts) == len(ends):
        return f"{len(tokens)} tokens but {len(starts)} starts and {len(ends)} ends"
    for k, (token, start, end) in enumerate(zip(tokens, starts, ends, strict=True)):
        if not start < end <= len(article_text) or article_text[start:end] != token:
            return f"token {k} {token!r} is not the article's text at [{start}, {end})"
    for column, tags in record.items():
        if not column.endswith("_tags"):
            continue
        if len(tags) != len(tokens):
            return f"{column}: {len(tags)} tags for {len(tokens)} tokens"
        previous = OUTSIDE
        for k, tag in enumerate(tags):
            if tag.startswith("I-") and previous[2:] != tag[2:]:
                return f"{column}: tag {k} {tag} follows {previous} (BIO: I- continues B-/I-)"
            previous = tag
    return None
