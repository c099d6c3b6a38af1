"""Documents → Label Studio tasks with one prediction each.

A task's ``data`` carries the article text and a ``task_key``: a hash of everything we send for
that article (text, metadata, prediction). The article id finds the task again on the next push;
the key says whether it changed. Both are content-derived, so pushing twice is a no-op.
"""

from __future__ import annotations

import hashlib
import json
import re

from builders.records import Document, text_sha256
from builders.sync.labeling_config import CUE, REGION_LABEL_OF_KIND, SENTENCE, TEXT

# Sentence kinds annotators mark nothing inside (guidelines: "Title, headings, boilerplate"):
# a detector's cue there is released as a pre-label but not shown as a suggestion to accept.
NOT_ANNOTATED_KINDS = frozenset({"title", "heading", "boilerplate"})

SENTENCE_REGION_ID = re.compile(r"s[0-9]{4,}")  # fullmatch; cue region ids start with "c"


def sentence_region_id(index: int) -> str:
    return f"s{index:04d}"


def cue_region_id(span_id: str) -> str:
    return "c" + span_id.rsplit("-", 1)[-1]


def prediction_result(document: Document) -> list[dict]:
    """Sentence regions (boundaries; title and boilerplate set apart) and the cue regions
    annotators are asked to judge, in text order."""
    result = []
    for sentence in document.sentences:
        label = REGION_LABEL_OF_KIND[sentence.kind]
        result.append(_region(sentence_region_id(sentence.index), SENTENCE, sentence, label))
    shown, _ = split_prelabels(document)
    for span in shown:
        result.append(_region(cue_region_id(span.span_id), CUE, span, span.label))
    return result


def split_prelabels(document: Document) -> tuple[list, list]:
    """The document's pre-labels as (shown to annotators, left out): a pre-label that overlaps
    a title, heading or boilerplate sentence is left out of the task (not out of the release)."""
    closed = [(s.start, s.end) for s in document.sentences if s.kind in NOT_ANNOTATED_KINDS]
    shown, left_out = [], []
    for span in document.spans:
        if span.origin != "prelabel":
            continue
        inside = any(span.start < end and start < span.end for start, end in closed)
        (left_out if inside else shown).append(span)
    return shown, left_out


def _region(region_id: str, control: str, item, label: str) -> dict:
    return {
        "id": region_id,
        "from_name": control,
        "to_name": TEXT,
        "type": "labels",
        "value": {"start": item.start, "end": item.end, "text": item.text, "labels": [label]},
    }


def task_payload(document: Document, model_version: str) -> dict:
    """One import record: ``data`` plus the detectors' prediction."""
    data = article_data(document)
    prediction = {"model_version": model_version, "result": prediction_result(document)}
    return keyed_payload(data, [prediction])


def article_data(document: Document) -> dict:
    """A task's ``data`` for the article (text and metadata), without its key."""
    article = document.article
    return {
        TEXT: article.text,
        "article_id": article.article_id,
        "language": article.language,
        "title": article.title or "",
        "url": article.url or "",
        "article_sha256": text_sha256(article.text),
    }


def keyed_payload(data: dict, predictions: list[dict]) -> dict:
    """An import record whose ``data.task_key`` hashes everything sent (data and predictions):
    the next sync compares keys to see what changed."""
    key_source = json.dumps([data, *predictions], sort_keys=True, ensure_ascii=False)
    data = {**data, "task_key": hashlib.sha256(key_source.encode("utf-8")).hexdigest()[:20]}
    return {"data": data, "predictions": predictions}
