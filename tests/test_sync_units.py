"""Sync pieces that need no server: offsets from the front end, the config, pseudonyms, keys."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from conftest import FIXTURES, SEED_ID, SEEDS

from builders.config import load_config
from builders.sync.labeling_config import (
    LabelingConfig,
    labeling_config_path,
    project_labeling_config,
)
from builders.sync.offsets import anchor_span, utf16_to_code_points
from builders.sync.pseudonyms import Pseudonymizer
from builders.sync.push import annotators_per_task, model_version, prepare_documents
from builders.sync.tasks import task_payload
from builders.taxonomy import load_taxonomy

TEXT = "Kreml 😡 mówi o „operacji”."


def test_utf16_offsets_become_code_points():
    start = TEXT.index("operacji")
    utf16 = len(TEXT[:start].encode("utf-16-le")) // 2
    assert utf16 == start + 1
    assert utf16_to_code_points(TEXT, utf16) == start
    assert utf16_to_code_points(TEXT, TEXT.index("😡") + 1) is None  # inside the surrogate pair


def test_anchor_span_exact_then_utf16_then_nearest_else_none():
    start = TEXT.index("operacji")
    end = start + len("operacji")
    assert anchor_span(TEXT, start, end, "operacji").how == "exact"
    shifted = anchor_span(TEXT, start + 1, end + 1, "operacji")
    assert (shifted.start, shifted.end, shifted.how) == (start, end, "utf16")
    nearest = anchor_span(TEXT, start + 3, end + 3, "operacji")
    assert (nearest.start, nearest.how) == (start, "nearest")
    assert anchor_span(TEXT, 0, 4, "nie ma") is None
    assert anchor_span(TEXT, 0, 4, "") is None


def test_committed_labeling_config_is_the_generated_one():
    config = load_config()
    assert labeling_config_path(config).read_text(encoding="utf-8") == (
        project_labeling_config(config).xml
    ), "regenerate with: agitprop sync config --write"


def test_labeling_config_has_every_label_and_target_and_validates():
    labeling = LabelingConfig(load_taxonomy(), ("Rosja", "KRLD", "Ukraina"))
    interface = labeling.interface  # validated by label-studio-sdk's LabelInterface
    offered = [label.name for label in load_taxonomy().labels if label.annotators]
    assert interface.get_control("cue").labels == offered
    assert "CORPUS_SPAN" not in offered  # only imports make it
    assert set(labeling.sentence_stance_controls.values()) == {"Rosja", "KRLD", "Ukraina"}
    for name in [*labeling.article_stance_controls, *labeling.sentence_stance_controls, "genre"]:
        assert interface.get_control(name) is not None


def test_pseudonyms_are_stable_keyed_and_hide_the_email():
    one, other = Pseudonymizer("salt-a"), Pseudonymizer("salt-b")
    email = "jan.kowalski@example.org"
    assert one.pseudonym(email) == one.pseudonym(" Jan.Kowalski@example.org ")
    assert one.pseudonym(email) != other.pseudonym(email)
    assert one.pseudonym(email) != one.pseudonym("anna@example.org")
    assert "kowalski" not in one.pseudonym(email) and "salt-a" not in repr(one)


def test_task_keys_are_content_derived(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS / f"{SEED_ID}.txt", seeds)
    shutil.copy(FIXTURES / "studio" / "emoji_crlf.txt", seeds)
    first, _ = prepare_documents(seeds, load_config())
    again, _ = prepare_documents(seeds, load_config())
    keys = [task_payload(d, model_version())["data"]["task_key"] for d in first]
    assert keys == [task_payload(d, model_version())["data"]["task_key"] for d in again]
    assert len(set(keys)) == 2
    assert task_payload(first[0], "other@9.9.9")["data"]["task_key"] != keys[0]


def test_annotators_per_task_comes_from_the_config_and_must_be_a_positive_integer():
    config = load_config()
    assert annotators_per_task(config) == config.extra["annotators_per_task"] == 3
    assert annotators_per_task(replace(config, extra={})) == 1
    for bad in (0, -2, 2.5, "3", True):
        with pytest.raises(ValueError, match="annotators_per_task"):
            annotators_per_task(replace(config, extra={"annotators_per_task": bad}))
