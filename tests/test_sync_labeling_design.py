"""The designed labeling config, the annotators' guidelines, and what push shows as pre-labels."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from conftest import SEED_ID, SEEDS

from builders.config import load_config
from builders.sync.guidelines import (
    GuidelinesError,
    current_guidelines,
    generated_sections,
    project_instructions,
    render,
)
from builders.sync.keyboard import KeyboardError, load_keyboard
from builders.sync.labeling_config import (
    MIN_COLOR_DISTANCE,
    LabelingConfig,
    LabelingConfigError,
    painted_color_distance,
    project_labeling_config,
)
from builders.sync.push import prepare_documents
from builders.sync.tasks import NOT_ANNOTATED_KINDS, prediction_result, split_prelabels
from builders.taxonomy import load_taxonomy

TARGETS = ("Rosja", "KRLD", "Ukraina")


@pytest.fixture(scope="module")
def labeling():
    return LabelingConfig(load_taxonomy(), TARGETS)


@pytest.fixture(scope="module")
def view(labeling):
    return ET.fromstring(labeling.xml)


def _hotkeys(element) -> list[str]:
    return [e.get("hotkey") for e in element.iter() if e.tag in ("Label", "Choice")]


def test_every_label_and_choice_has_a_key_and_no_key_is_used_twice(view):
    keys = _hotkeys(view)
    assert None not in keys  # none left for Label Studio to assign
    assert len(keys) == len(set(keys))
    assert not set(keys) & load_keyboard().reserved  # none of Label Studio's own


def test_a_value_has_the_same_key_under_every_target_and_a_modifier_per_target(view):
    for level in ("sentence_stance_", "article_stance_"):
        controls = [c for c in view.iter("Choices") if c.get("name").startswith(level)]
        assert len(controls) == len(TARGETS)
        by_value: dict[str, set[str]] = {}
        modifiers = []
        for control in controls:
            keys = {c.get("value"): c.get("hotkey") for c in control.iter("Choice")}
            for value, key in keys.items():
                by_value.setdefault(value, set()).add(key.rsplit("+", 1)[1])
            modifiers.append({key.rsplit("+", 1)[0] for key in keys.values()})
        assert all(len(last) == 1 for last in by_value.values()), by_value
        assert all(len(m) == 1 for m in modifiers) and len(set.union(*modifiers)) == len(TARGETS)
    sentence = view.find(".//Choices[@name='sentence_stance_krld']")
    assert [c.get("hotkey") for c in sentence] == ["alt+f", "alt+a", "alt+n", "alt+u"]


def test_single_choices_are_radio_buttons_and_required_answers_stay_required(view, labeling):
    for control in view.iter("Choices"):
        multiple = labeling.article_choice_controls.get(control.get("name"), {}).get("multiple")
        assert control.get("choice") == ("multiple" if multiple else "single-radio")
    for name in [*labeling.article_stance_controls, "genre"]:
        assert view.find(f".//Choices[@name='{name}']").get("required") == "true"


def test_sentence_stance_panel_with_its_headers_shows_only_for_a_selected_sentence(view):
    (panel,) = [v for v in view.iter("View") if v.get("name") == "sentence_stances"]
    assert panel.attrib == {
        "name": "sentence_stances",
        "visibleWhen": "region-selected",
        "whenTagName": "sentence",
        "whenLabelValue": "SENTENCE",
    }
    inside = {h.get("value") for h in panel.iter("Header")}
    everywhere = {h.get("value") for h in view.iter("Header")}
    assert len(inside) == len(TARGETS)
    assert not {h for h in everywhere - inside if "zdania" in h or "Sentence" in h}


def test_region_colours_are_measurably_distinct_as_label_studio_paints_them(labeling):
    colors = labeling.region_colors
    offered = {x.name for x in load_taxonomy().annotator_labels}
    assert {"SENTENCE", "BOILERPLATE", "TITLE", *offered} == set(colors)
    distances = [
        painted_color_distance(a, b) for a in colors.values() for b in colors.values() if a < b
    ]
    assert min(distances) >= MIN_COLOR_DISTANCE
    # the former SENTENCE/BOILERPLATE greys, which annotators could not tell apart, fail it
    assert painted_color_distance("#e8e8e8", "#9e9e9e") < MIN_COLOR_DISTANCE


def test_keyboard_problems_are_refused_with_the_rule_file_named(labeling):
    keyboard = load_keyboard()
    few = replace(keyboard, target_modifiers=("shift", "alt"))
    with pytest.raises(KeyboardError, match="keyboard.json.*too few.*'Ukraina'"):
        _ = LabelingConfig(load_taxonomy(), TARGETS, keyboard=few).xml
    twice = replace(keyboard, region_label_keys={**keyboard.region_label_keys, "TITLE": "q"})
    with pytest.raises(LabelingConfigError, match="key 'q' given twice: cue QUOTE and region"):
        _ = LabelingConfig(load_taxonomy(), TARGETS, keyboard=twice).xml
    partial = replace(keyboard, article_choice_keys={"genre": {"news": "9"}})
    with pytest.raises(KeyboardError, match="no key for 'genre' choice 'analysis'"):
        _ = LabelingConfig(load_taxonomy(), TARGETS, keyboard=partial).xml
    own = replace(keyboard, region_label_keys={**keyboard.region_label_keys, "TITLE": "u"})
    with pytest.raises(LabelingConfigError, match=r"\['u'\] are Label Studio's own"):
        _ = LabelingConfig(load_taxonomy(), TARGETS, keyboard=own).xml


def test_committed_guidelines_carry_the_current_generated_sections():
    for path, text in current_guidelines(load_config()).items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale; regenerate with: agitprop sync config --write"
        )


def test_guidelines_sections_come_from_the_taxonomy(labeling):
    taxonomy = load_taxonomy()
    for language in ("pl", "en"):
        sections = generated_sections(replace(labeling, language=language), language)
        for label in taxonomy.annotator_labels:
            assert label.definition[language] in sections["labels"]
            for example in label.examples:
                assert f"`{example}`" in sections["labels"]
            for counter in label.counterexamples:
                assert f"`{counter['text']}` — {counter['why'][language]}" in sections["labels"]
        for value, text in taxonomy.stance_definitions.items():
            assert f"**{value}** — {text[language]}" in sections["stance_values"]
        assert "<kbd>Alt+F</kbd>" in sections["keys"]
        assert "<kbd>Ctrl+Enter</kbd>" in sections["keys"]
    with pytest.raises(GuidelinesError, match=r"no generated section\(s\) \['genres'"):
        render("<!-- generated:labels -->\n<!-- /generated:labels -->", sections, "g.md")


def test_instructions_are_the_guidelines_in_the_configured_language_with_lists_and_table():
    config = load_config()
    polish = project_instructions(config)
    english = project_instructions(replace(config, extra={"guidelines_language": "en"}))
    assert "Czyje stanowisko się liczy" in polish and "Whose stance counts" in english
    for html in (polish, english):
        assert "<ul>" in html and "<li>" in html and "<table>" in html
        assert "list-style:disc" in html  # Label Studio's CSS reset would hide the bullets
        assert "<!--" not in html  # Label Studio strips comments: stored ≠ sent, pushed anew
    with pytest.raises(ValueError, match="guidelines_language must be one of"):
        project_labeling_config(replace(config, extra={"guidelines_language": "de"}))


def test_push_shows_no_prelabel_inside_a_title_or_boilerplate(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS / f"{SEED_ID}.txt", seeds)
    (document,) = prepare_documents(seeds, load_config())[0]
    title = document.sentences[0]
    assert title.kind == "title" and title.text == "Reżim Kima wspiera Putina."
    assert document.sentences[-1].kind == "boilerplate"
    assert document.sentences[-1].text.startswith("Czytaj więcej:")

    shown, left_out = split_prelabels(document)
    assert ("EVALUATIVE", "Reżim Kima") in {(s.label, s.text) for s in left_out}
    closed = [(s.start, s.end) for s in document.sentences if s.kind in NOT_ANNOTATED_KINDS]
    regions = prediction_result(document)
    cues = [r["value"] for r in regions if r["from_name"] == "cue"]
    assert cues and len(cues) == len(shown)
    assert not [c for c in cues if any(c["start"] < e and s < c["end"] for s, e in closed)]
    # the release is unchanged: the document still holds every pre-label
    assert len(shown) + len(left_out) == len([s for s in document.spans if s.origin == "prelabel"])
    kinds = {r["value"]["labels"][0] for r in regions if r["from_name"] == "sentence"}
    assert kinds == {"SENTENCE", "TITLE", "BOILERPLATE"}
