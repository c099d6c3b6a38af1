"""Hugging Face ``Features`` of each released config: typed columns, ClassLabel for closed sets."""

from __future__ import annotations

import json
from collections.abc import Callable

from datasets import ClassLabel, Features, List, Value

from builders.gold.rules import METHODS
from builders.release.tokens import TAGS_FROM, tag_column, tag_names
from builders.taxonomy import Taxonomy

CONFIGS = ("articles", "sentences", "spans", "stances", "annotations", "tokens")
ID_COLUMN = {
    "articles": "article_id",
    "sentences": "sentence_id",
    "spans": "span_id",
    "stances": "stance_id",
    "annotations": "judgement_id",
    "tokens": "sentence_id",
}
STANCE_LEVELS = ["sentence", "article"]
GOLD_METHODS = list(METHODS)  # insufficient_votes appended in schema 2.1.0
LANGUAGES = ["pl", "en", "ru", "uk"]
SENTENCE_KINDS = ["body", "title", "heading", "boilerplate"]
ORIGINS = ["prelabel", "annotation", "gold"]


def config_features(config: str, taxonomy: Taxonomy) -> Features:
    if config == "articles":
        return Features(
            {
                "article_id": Value("string"),
                "text": Value("string"),
                "language": ClassLabel(names=LANGUAGES),
                "title": Value("string"),
                "url": Value("string"),
                "outlet": Value("string"),
                "published": Value("string"),
                "source_file": Value("string"),
                "normalization": [Value("string")],
                "author": Value("string"),
                "extractor": Value("string"),
                "source_sha256": Value("string"),
                "captured": Value("string"),
            }
        )
    if config == "sentences":
        return Features(
            {
                "sentence_id": Value("string"),
                "article_id": Value("string"),
                "index": Value("int32"),
                "start": Value("int32"),
                "end": Value("int32"),
                "text": Value("string"),
                "kind": ClassLabel(names=SENTENCE_KINDS),
            }
        )
    if config == "spans":
        return Features(
            {
                "span_id": Value("string"),
                "article_id": Value("string"),
                "sentence_id": Value("string"),
                "start": Value("int32"),
                "end": Value("int32"),
                "text": Value("string"),
                "label": ClassLabel(names=taxonomy.label_names),
                "origin": ClassLabel(names=ORIGINS),
                "source": Value("string"),
                # Label-specific attributes vary by label; a JSON object keeps the column one type.
                "attributes": Value("string"),
            }
        )
    if config == "stances":
        return Features(
            {
                "stance_id": Value("string"),
                "article_id": Value("string"),
                "sentence_id": Value("string"),
                "level": ClassLabel(names=STANCE_LEVELS),
                "target": Value("string"),
                # null: no gold (no_majority, insufficient_votes)
                "stance": ClassLabel(names=list(taxonomy.stance_values)),
                "method": ClassLabel(names=GOLD_METHODS),
                "votes": Value("int32"),
                "agreeing": Value("int32"),
            }
        )
    if config == "annotations":
        return Features(
            {
                "judgement_id": Value("string"),
                "annotation_id": Value("string"),
                "article_id": Value("string"),
                "annotator": Value("string"),
                "ground_truth": Value("bool"),
                "sentence_id": Value("string"),
                "level": ClassLabel(names=STANCE_LEVELS),
                "target": Value("string"),
                "stance": ClassLabel(names=list(taxonomy.stance_values)),
                # seconds Label Studio measured on the whole annotation; null if not recorded
                "lead_time": Value("float64"),
            }
        )
    if config == "tokens":
        # List(ClassLabel) is what token-classification scripts read the tag names from
        # (features["ner_tags"].feature.names)
        labels = list(taxonomy.label_names)
        return Features(
            {
                "sentence_id": Value("string"),
                "article_id": Value("string"),
                "kind": ClassLabel(names=SENTENCE_KINDS),
                "tokens": List(Value("string")),
                "starts": List(Value("int32")),
                "ends": List(Value("int32")),
                "tags_from": ClassLabel(names=TAGS_FROM),
                "untagged_spans": Value("int32"),
                "ner_tags": List(ClassLabel(names=tag_names(labels))),
                **{tag_column(name): List(ClassLabel(names=tag_names([name]))) for name in labels},
            }
        )
    raise KeyError(f"unknown config {config!r}; expected one of {CONFIGS}")


# one encoder for every span: json.dumps with options builds a new JSONEncoder per call
_ATTRIBUTES_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
_attributes_json = _ATTRIBUTES_ENCODER.encode


def _nullable(index: dict) -> Callable:
    def encode(value):
        return None if value is None else index[value]

    return encode


def _is_tag_list(feature) -> bool:
    """A ``List(ClassLabel)`` column: the tokens config's tags."""
    return isinstance(feature, List) and isinstance(feature.feature, ClassLabel)


def _names_to_indices(index: dict) -> Callable:
    def encode(names):
        return list(map(index.__getitem__, names))

    return encode


def unchanged(value):
    """The encoder of a column stored as it is (the writer copies such columns without a call)."""
    return value


def column_encoders(config: str, features: Features) -> dict[str, Callable]:
    """Per column of the config, the function from a record's value to the stored value:
    ClassLabel names → indices (a dict lookup; ``ClassLabel.str2int`` re-validates per call),
    span attributes → a JSON object string, everything else as it is."""
    encoders: dict[str, Callable] = {}
    for column, feature in features.items():
        if isinstance(feature, ClassLabel):
            index = {name: i for i, name in enumerate(feature.names)}
            # a gold stance without a majority is null; every other label is a plain look-up
            encoders[column] = (
                _nullable(index) if (config, column) == ("stances", "stance") else index.__getitem__
            )
        elif _is_tag_list(feature):
            index = {name: i for i, name in enumerate(feature.feature.names)}
            encoders[column] = _names_to_indices(index)
        elif config == "spans" and column == "attributes":
            encoders[column] = _attributes_json
        else:
            encoders[column] = unchanged
    return encoders


def decode_row(config: str, row: dict, features: Features) -> dict:
    """A parquet row back into a schema-shaped record (the inverse of the column encoders)."""
    record = dict(row)
    for column, feature in features.items():
        if isinstance(feature, ClassLabel) and isinstance(record.get(column), int):
            record[column] = feature.int2str(record[column])
        elif _is_tag_list(feature) and isinstance(record.get(column), list):
            record[column] = feature.feature.int2str(record[column])
    if config == "spans" and isinstance(record.get("attributes"), str):
        record["attributes"] = json.loads(record["attributes"])
    return record
