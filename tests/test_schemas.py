"""Schemas: data files are validated, violations come back readable; the CLI exits non-zero."""

from __future__ import annotations

import json

import pytest

from builders.cli import main
from builders.paths import RULES_DIR
from builders.schemas import DataFileError, load_data_file, schema_names


def test_every_schema_is_a_valid_2020_12_schema():
    from jsonschema import Draft202012Validator

    from builders.schemas import _registry

    for name, schema in _registry()[1].items():
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"].endswith("2020-12/schema"), name
    assert {"article_input", "article", "sentence", "span", "annotation", "taxonomy"} <= set(
        schema_names()
    )


def test_shipped_rule_files_are_valid():
    for path in RULES_DIR.rglob("*.json"):
        load_data_file(path)


def test_broken_taxonomy_is_refused_readably(tmp_path):
    data = json.loads((RULES_DIR / "taxonomy.json").read_text())
    data["labels"][0]["color"] = "blue"
    del data["labels"][1]["description"]
    path = tmp_path / "taxonomy.json"
    path.write_text(json.dumps(data))
    with pytest.raises(DataFileError) as caught:
        load_data_file(path)
    message = str(caught.value)
    assert "/labels/0/color" in message and "'blue' does not match" in message
    assert "/labels/1" in message and "'description' is a required property" in message


def test_validate_cli_lists_violations_and_fails(tmp_path, capsys):
    snapshot = tmp_path / "annotations" / "snapshots" / "bad.jsonl"
    snapshot.parent.mkdir(parents=True)
    snapshot.write_text(
        json.dumps(
            {
                "annotation_id": "x",
                "article_id": "a",
                "annotator": "Jan Kowalski",
                "spans": [],
                "stances": [],
            }
        )
        + "\n"
    )
    assert main(["validate", str(tmp_path / "annotations")]) == 1
    out = capsys.readouterr().out
    assert "bad.jsonl line 1 /annotator" in out and "does not match" in out


def test_validate_cli_passes_on_shipped_inputs(capsys):
    from builders.paths import REPO_ROOT

    assert main(["validate", str(REPO_ROOT / "seeds"), str(RULES_DIR)]) == 0


def test_annotation_provenance_fields_are_optional_and_checked():
    from builders.schemas import violations

    old = {
        "annotation_id": "ls-1",
        "article_id": "a1",
        "annotator": "annotator-0a1b2c3d",
        "spans": [{"start": 0, "end": 4, "text": "Nikt", "label": "HEDGE"}],
        "stances": [],
    }
    assert violations("annotation", old) == []  # snapshots pulled before provenance was kept
    new = {
        **old,
        "lead_time": 12.5,
        "prediction_model_version": "hedge@0.1.0+quote@0.2.0",
        "spans": [{**old["spans"][0], "origin": "prediction-changed"}],
    }
    assert violations("annotation", new) == []
    assert (
        violations("annotation", {**new, "lead_time": None, "prediction_model_version": None}) == []
    )
    bad = {**new, "lead_time": "12 s", "spans": [{**old["spans"][0], "origin": "browser"}]}
    pointers = {v.pointer for v in violations("annotation", bad)}
    assert pointers == {"/lead_time", "/spans/0/origin"}
