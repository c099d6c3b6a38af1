"""A release carries the JSON Schemas of its records (``schema/``, listed in the manifest), and
anyone can check it with pyarrow, jsonschema and referencing alone: nothing from agitprop is
imported to validate below, only the files in the release folder are read."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

# the release's configs and the schema each one's rows follow (as the release card says)
RECORD_SCHEMAS = {
    "articles": "article",
    "sentences": "sentence",
    "spans": "span",
    "stances": "stance",
    "annotations": "judgement",
}


def release_validator(release: Path, name: str) -> Draft202012Validator:
    """Every schema in ``<release>/schema/`` registered under its ``$id``, so the relative
    ``$ref``s between them resolve with no network and no other files."""
    resources = []
    for path in sorted((release / "schema").glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    registry = Registry().with_resources(resources)
    schema = json.loads((release / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def parquet_records(path: Path) -> list[dict]:
    """Rows as records: ClassLabel columns are stored as integers (their names are in the
    file's ``huggingface`` metadata) and span ``attributes`` as a JSON string."""
    table = pq.read_table(path)
    features = json.loads(table.schema.metadata[b"huggingface"])["info"]["features"]
    records = []
    for row in table.to_pylist():
        for column, feature in features.items():
            if feature.get("_type") == "ClassLabel" and isinstance(row[column], int):
                row[column] = feature["names"][row[column]]
        if isinstance(row.get("attributes"), str):
            row["attributes"] = json.loads(row["attributes"])
        records.append(row)
    return records


def test_release_records_validate_with_plain_jsonschema_and_the_schemas_inside_it(seed_release):
    manifest = json.loads((seed_release / "manifest.json").read_text(encoding="utf-8"))
    shipped = sorted(p.name for p in (seed_release / "schema").iterdir())
    listed = sorted(rel.removeprefix("schema/") for rel in manifest["files"] if "schema/" in rel)
    assert shipped == listed and "defs.schema.json" in shipped  # every $ref target travels too
    assert not list(release_validator(seed_release, "manifest").iter_errors(manifest))
    checked = 0
    for config, name in RECORD_SCHEMAS.items():
        validator = release_validator(seed_release, name)
        for path in sorted((seed_release / config).glob("*.parquet")):
            for record in parquet_records(path):
                assert not [e.message for e in validator.iter_errors(record)], (path, record)
                checked += 1
    assert checked == sum(manifest["counts"][config] for config in RECORD_SCHEMAS)
    assert checked > 50

    # not vacuous: a span with a negative offset is refused, naming the field
    (span_file,) = sorted((seed_release / "spans").glob("*.parquet"))[:1]
    span = parquet_records(span_file)[0]
    errors = list(release_validator(seed_release, "span").iter_errors(span | {"start": -1}))
    assert [list(e.absolute_path) for e in errors] == [["start"]]
