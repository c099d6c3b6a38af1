"""The Label Studio labeling config, generated from the taxonomy and the stance targets.

The config is built and checked as objects with label-studio-sdk's ``LabelInterface`` (and the
server checks it again when the project is saved). ``annotations/labeling_config.xml`` is this
module's output, committed so reviewers can read it; a test keeps the two identical.

What annotators see, top to bottom: the cue and sentence labels, the article text, the stance of
the selected sentence, then article-level stance per target and the article choices (genre). Over
the text lie two kinds of regions: ``sentence`` regions (SENTENCE, or
BOILERPLATE for link tails and the like: shown, but with no stance to give) that make sentence
boundaries visible and carry the per-sentence stance, and ``cue`` regions, one label per taxonomy
label, pre-filled from the detectors.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from label_studio_sdk.label_interface import LabelInterface

from builders.config import ProjectConfig
from builders.taxonomy import Taxonomy, load_taxonomy

TEXT = "text"
CUE = "cue"
SENTENCE = "sentence"
SENTENCE_LABEL = "SENTENCE"
BOILERPLATE_LABEL = "BOILERPLATE"
SENTENCE_LABELS = [
    (SENTENCE_LABEL, "#e8e8e8", "one sentence; select it to give its stance"),
    (BOILERPLATE_LABEL, "#9e9e9e", "not article text (links, credits): no stance"),
]
ARTICLE_STANCE_PREFIX = "article_stance_"
SENTENCE_STANCE_PREFIX = "sentence_stance_"
REVIEW_SUMMARY = "review_summary"  # review tasks: the disputed items, as HTML


class LabelingConfigError(ValueError):
    """The taxonomy or targets cannot become a valid labeling config."""


def slug(target: str) -> str:
    """An ASCII control-name fragment for a stance target ("Ukraina" → "ukraina")."""
    ascii_text = unicodedata.normalize("NFKD", target).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


@dataclass(frozen=True)
class LabelingConfig:
    """The taxonomy and targets as a Label Studio interface, plus the names it uses."""

    taxonomy: Taxonomy
    stance_targets: tuple[str, ...]

    def __post_init__(self) -> None:
        slugs = [slug(t) for t in self.stance_targets]
        if any(not s for s in slugs) or len(set(slugs)) != len(slugs):
            raise LabelingConfigError(
                f"stance targets {list(self.stance_targets)} must give distinct, non-empty "
                f"control names; got {slugs}"
            )

    @property
    def article_stance_controls(self) -> dict[str, str]:
        """control name → target."""
        return {ARTICLE_STANCE_PREFIX + slug(t): t for t in self.stance_targets}

    @property
    def sentence_stance_controls(self) -> dict[str, str]:
        return {SENTENCE_STANCE_PREFIX + slug(t): t for t in self.stance_targets}

    @property
    def article_choice_controls(self) -> dict[str, dict]:
        return {choice["name"]: choice for choice in self.taxonomy.article_choices}

    @cached_property
    def xml(self) -> str:
        return LabelInterface.create(self._tags(), pretty=True)

    @cached_property
    def review_xml(self) -> str:
        """The same controls (so a reviewer's annotation has an annotator's shape), with the
        review task's summary of disputed items (``$review_summary``, HTML) above them."""
        summary = {
            REVIEW_SUMMARY: (
                "HyperText",
                {"name": REVIEW_SUMMARY, "value": "$" + REVIEW_SUMMARY},
                (),
            )
        }
        return LabelInterface.create({**summary, **self._tags()}, pretty=True)

    def _tags(self) -> dict:
        return {
            "cues_header": _header("Framing cues (pre-labelled: accept, fix or delete)"),
            CUE: _labels(
                CUE,
                [(x.name, x.color, x.description) for x in self.taxonomy.labels if x.annotators],
            ),
            SENTENCE: _labels(SENTENCE, SENTENCE_LABELS),
            TEXT: ("Text", {"name": TEXT, "value": "$text"}, ()),
            "sentence_stances": (
                "View",
                {"visibleWhen": "region-selected"},
                self._sentence_level(),
            ),
            "article": ("View", {}, self._article_level()),
        }

    def _sentence_level(self) -> tuple:
        tags = []
        for name, target in self.sentence_stance_controls.items():
            tags.append(_header(f"Sentence stance toward {target}"))
            tags.append(
                _choices(
                    name,
                    self.taxonomy.stance_values,
                    perRegion="true",
                    whenTagName=SENTENCE,
                    whenLabelValue=SENTENCE_LABEL,
                )
            )
        return tuple(tags)

    def _article_level(self) -> tuple:
        tags = []
        # required answers (taxonomy data): Label Studio refuses Submit until they are given
        stance_required = _required(self.taxonomy.article_stance_required)
        for name, target in self.article_stance_controls.items():
            tags.append(_header(f"Article stance toward {target}"))
            tags.append(_choices(name, self.taxonomy.stance_values, **stance_required))
        for name, choice in self.article_choice_controls.items():
            tags.append(_header(choice["description"]))
            multiple = "multiple" if choice.get("multiple") else "single"
            required = _required(choice.get("required", False))
            tags.append(_choices(name, choice["choices"], choice=multiple, **required))
        return tuple(tags)

    @cached_property
    def interface(self) -> LabelInterface:
        interface = LabelInterface(self.xml)
        interface.validate()
        return interface

    def check_prediction(self, prediction: dict) -> None:
        errors = self.interface.validate_prediction(prediction, return_errors=True)
        if errors:
            raise LabelingConfigError(f"prediction does not fit the labeling config: {errors}")


def _required(required: bool) -> dict[str, str]:
    return {"required": "true"} if required else {}


def _header(text: str) -> tuple:
    return ("Header", {"value": text}, ())


def _labels(name: str, labels) -> tuple:
    """A Labels control over the text; ``labels`` are (value, colour, hint) triples."""
    children = tuple(
        ("Label", {"value": value, "background": color, "hint": hint}, ())
        for value, color, hint in labels
    )
    return ("Labels", {"name": name, "toName": TEXT}, children)


def _choices(name: str, values, **attributes: str) -> tuple:
    attributes = {"choice": "single", "showInline": "true", **attributes}
    children = tuple(("Choice", {"value": value}, ()) for value in values)
    return ("Choices", {"name": name, "toName": TEXT, **attributes}, children)


def project_labeling_config(config: ProjectConfig) -> LabelingConfig:
    """The labeling config for this project: its taxonomy and ``stance_targets``."""
    return LabelingConfig(load_taxonomy(), tuple(config.stance_targets))


def labeling_config_path(config: ProjectConfig) -> Path:
    return Path(config.annotations) / "labeling_config.xml"
