"""Rule data: shipped lexicons/actors/cue files load; broken ones are refused readably."""

from __future__ import annotations

import json
import shutil

import pytest

from builders.cues import default_detectors
from builders.cues.rules import (
    LEXICON_DIR,
    load_actors,
    load_attribution_cues,
    load_lexicon,
)
from builders.paths import RULES_DIR
from builders.schemas import DataFileError
from builders.taxonomy import load_taxonomy
from builders.validate import validate_paths


def _write(path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_shipped_rule_files_validate():
    assert validate_paths([RULES_DIR]) == []
    for name in ("regime_terms", "hedges", "evaluative"):
        assert load_lexicon(name).entries
    assert load_actors().actors
    for language in ("pl", "en", "ru", "uk"):
        assert load_attribution_cues(language).reporting_verbs


def test_broken_lexicon_is_refused_with_file_and_pointer(tmp_path):
    data = json.loads((LEXICON_DIR / "hedges.json").read_text(encoding="utf-8"))
    data["entries"][1]["language"] = "de"
    del data["label"]
    _write(tmp_path / "hedges.json", data)
    with pytest.raises(DataFileError) as refused:
        load_lexicon.__wrapped__("hedges", tmp_path)
    message = str(refused.value)
    assert str(tmp_path / "hedges.json") in message
    assert "/entries/1/language: 'de' is not one of" in message
    assert "'label' is a required property" in message


def test_broken_actor_list_is_refused(tmp_path):
    data = json.loads((RULES_DIR / "actors.json").read_text(encoding="utf-8"))
    data["actors"][0]["id"] = "Putin"
    del data["actors"][1]["regime"]
    _write(tmp_path / "actors.json", data)
    with pytest.raises(DataFileError) as refused:
        load_actors.__wrapped__(tmp_path / "actors.json")
    message = str(refused.value)
    assert "/actors/0/id: 'Putin' does not match" in message
    assert "'regime' is a required property" in message


def test_broken_attribution_cues_are_refused(tmp_path):
    shutil.copy(LEXICON_DIR / "attribution_pl.json", tmp_path / "attribution_pl.json")
    data = json.loads((tmp_path / "attribution_pl.json").read_text(encoding="utf-8"))
    data["reporting_verbs"] = "podać"
    _write(tmp_path / "attribution_pl.json", data)
    with pytest.raises(DataFileError, match="/reporting_verbs: 'podać' is not of type 'array'"):
        load_attribution_cues.__wrapped__("pl", tmp_path)


def test_validate_command_reports_a_broken_lexicon(tmp_path):
    _write(tmp_path / "bad.json", {"$schema": "lexicon.schema.json", "name": "bad"})
    problems = validate_paths([tmp_path / "bad.json"])
    assert problems and all(p.file.endswith("bad.json") for p in problems)


def test_taxonomy_defines_every_label_and_names_its_detectors():
    taxonomy = load_taxonomy()
    assert taxonomy.label_names == [
        "QUOTE", "REGIME_QUOTE", "ATTRIBUTION", "REGIME_TERM", "HEDGE", "EVALUATIVE",
        "CORPUS_SPAN",
    ]  # fmt: skip
    detector_names = {d.name for d in default_detectors()}
    for label in taxonomy.labels:
        assert len(label.description) > 40 and label.color.startswith("#")
        if not label.annotators:  # CORPUS_SPAN: only imports make it, no detector does
            assert not label.detectors
            continue
        assert label.detectors and set(label.detectors) <= detector_names
        if label.semeval_2023_task3:
            assert label.semeval_2023_task3_kind in ("technique", "frame")
