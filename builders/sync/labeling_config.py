"""The Label Studio labeling config, generated from the taxonomy, the keyboard and the targets.

The config is built and checked as objects with label-studio-sdk's ``LabelInterface`` (and the
server checks it again when the project is saved). ``annotations/labeling_config.xml`` is this
module's output, committed so reviewers can read it; a test keeps the two identical.

What annotators see, top to bottom: the cue and region labels, the article text, the stance of
the selected sentence (only while a SENTENCE region is selected), then article-level stance per
target and the article choices (genre). Over the text lie two kinds of regions: ``sentence``
regions (SENTENCE; TITLE for the title and headings and BOILERPLATE for link tails and the like:
shown, but with nothing to annotate inside) that make sentence boundaries visible and carry the
per-sentence stance, and ``cue`` regions, one label per taxonomy label, pre-filled from the
detectors. Every label and choice has a fixed key (``rules/keyboard.json``, cue keys in the
taxonomy), every single choice is a radio button, and texts are in the guidelines language.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from label_studio_sdk.label_interface import LabelInterface

from builders.config import ProjectConfig
from builders.sync.keyboard import Keyboard, key_caption, load_keyboard
from builders.taxonomy import Taxonomy, load_taxonomy

TEXT = "text"
CUE = "cue"
SENTENCE = "sentence"
SENTENCE_LABEL = "SENTENCE"
BOILERPLATE_LABEL = "BOILERPLATE"
TITLE_LABEL = "TITLE"
# sentence kind (builders.segment) → region label; only body sentences take a stance
REGION_LABEL_OF_KIND = {
    "body": SENTENCE_LABEL,
    "title": TITLE_LABEL,
    "heading": TITLE_LABEL,
    "boilerplate": BOILERPLATE_LABEL,
}
# light grey under every sentence (cues stay readable over it), black for text that is not the
# article's, yellow for titles: at Label Studio's 0.3 opacity they differ by ΔE ≥ 24
REGION_COLORS = {SENTENCE_LABEL: "#e0e0e0", BOILERPLATE_LABEL: "#000000", TITLE_LABEL: "#ffd600"}
ARTICLE_STANCE_PREFIX = "article_stance_"
SENTENCE_STANCE_PREFIX = "sentence_stance_"
LANGUAGES = ("pl", "en")
DEFAULT_LANGUAGE = "pl"
# Label Studio paints a text region in its colour at this opacity over white
# (editor mixins/HighlightMixin.js, LABEL_COLOR_ALPHA)
HIGHLIGHT_ALPHA = 0.3
MIN_COLOR_DISTANCE = 12.0  # CIE76 ΔE between any two region colours as painted

UI_TEXT = {
    "en": {
        "cues": "Framing cues — pre-labelled: keep = accept, Backspace = reject, or fix",
        "regions": "Regions (pre-labelled; rarely changed)",
        "sentence_stance": "Sentence stance toward {target} — {modifier} + {keys}",
        "article_stance": "Article stance toward {target} — {modifier} + {keys}",
        "choice": "{label} — {keys}",
        SENTENCE_LABEL: "One sentence of the article: select it to give its stance",
        TITLE_LABEL: "Title or heading: read it, mark nothing inside, no stance",
        BOILERPLATE_LABEL: "Not the article's text (links, credits): mark nothing, no stance",
    },
    "pl": {
        "cues": "Wskaźniki ujęcia — wstępnie oznaczone: zostaw = akceptuj, Backspace = "
        "odrzuć, albo popraw",
        "regions": "Regiony (wstępnie oznaczone; rzadko zmieniane)",
        "sentence_stance": "Stanowisko zdania wobec: {target} — {modifier} + {keys}",
        "article_stance": "Stanowisko artykułu wobec: {target} — {modifier} + {keys}",
        "choice": "{label} — {keys}",
        SENTENCE_LABEL: "Jedno zdanie artykułu: zaznacz je, by podać jego stanowisko",
        TITLE_LABEL: "Tytuł lub śródtytuł: przeczytaj, nic w nim nie zaznaczaj, bez stanowiska",
        BOILERPLATE_LABEL: "Nie tekst artykułu (linki, podpisy): nic nie zaznaczaj, bez stanowiska",
    },
}
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
    language: str = DEFAULT_LANGUAGE
    keyboard: Keyboard | None = None  # None: rules/keyboard.json

    def __post_init__(self) -> None:
        slugs = [slug(t) for t in self.stance_targets]
        if any(not s for s in slugs) or len(set(slugs)) != len(slugs):
            raise LabelingConfigError(
                f"stance targets {list(self.stance_targets)} must give distinct, non-empty "
                f"control names; got {slugs}"
            )
        if self.language not in LANGUAGES:
            raise LabelingConfigError(
                f"guidelines language {self.language!r} is not one of {list(LANGUAGES)}"
            )
        if self.keyboard is None:
            object.__setattr__(self, "keyboard", load_keyboard())

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

    @property
    def region_colors(self) -> dict[str, str]:
        """Every region label (cue and sentence) → its colour."""
        return {**{x.name: x.color for x in self.taxonomy.annotator_labels}, **REGION_COLORS}

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
        self.check_keys()
        self.check_colors()
        text = UI_TEXT[self.language]
        cues = [
            (x.name, x.color, self._definition(x), x.hotkey) for x in self.taxonomy.annotator_labels
        ]
        regions = [
            (name, color, text[name], self.keyboard.region_label_key(name))
            for name, color in REGION_COLORS.items()
        ]
        return {
            "cues_header": _header(text["cues"]),
            CUE: _labels(CUE, cues),
            "regions_header": _header(text["regions"]),
            SENTENCE: _labels(SENTENCE, regions),
            TEXT: ("Text", {"name": TEXT, "value": "$text"}, ()),
            # headers included: the whole panel shows only while a SENTENCE region is selected
            "sentence_stances": (
                "View",
                {
                    "visibleWhen": "region-selected",
                    "whenTagName": SENTENCE,
                    "whenLabelValue": SENTENCE_LABEL,
                },
                self._sentence_level(),
            ),
            "article": ("View", {}, self._article_level()),
        }

    def _definition(self, label) -> str:
        return label.definition.get(self.language) or label.description

    def _stance_hints(self) -> dict[str, str]:
        return {
            value: self.taxonomy.stance_definitions.get(value, {}).get(self.language, "")
            for value in self.taxonomy.stance_values
        }

    def _stance_questions(self, kind: str, controls: dict, keys: dict, key_of, **attributes):
        """A header and a Choices per target: ``keys`` value → key (without the target's
        modifier, for the header), ``key_of(index, target, value)`` → the full key."""
        tags = []
        captions = " / ".join(key_caption(keys[v]) for v in self.taxonomy.stance_values)
        for index, (name, target) in enumerate(controls.items()):
            modifier = key_caption(self.keyboard.target_modifier(index, target))
            text = UI_TEXT[self.language][kind]
            tags.append(_header(text.format(target=target, modifier=modifier, keys=captions)))
            hotkeys = {v: key_of(index, target, v) for v in self.taxonomy.stance_values}
            tags.append(_choices(name, hotkeys, self._stance_hints(), **attributes))
        return tags

    def _sentence_level(self) -> tuple:
        return tuple(
            self._stance_questions(
                "sentence_stance",
                self.sentence_stance_controls,
                self.keyboard.stance_value_keys,
                self.keyboard.sentence_stance_key,
                perRegion="true",
                whenTagName=SENTENCE,
                whenLabelValue=SENTENCE_LABEL,
            )
        )

    def _article_level(self) -> tuple:
        # required answers (taxonomy data): Label Studio refuses Submit until they are given
        tags = self._stance_questions(
            "article_stance",
            self.article_stance_controls,
            self.keyboard.article_stance_value_keys,
            self.keyboard.article_stance_key,
            **_required(self.taxonomy.article_stance_required),
        )
        for name, choice in self.article_choice_controls.items():
            hotkeys = {
                value: self.keyboard.article_choice_key(name, value) for value in choice["choices"]
            }
            label = choice.get("label", {}).get(self.language) or choice["description"]
            captions = " / ".join(key_caption(k) for k in hotkeys.values())
            question = UI_TEXT[self.language]["choice"].format(label=label, keys=captions)
            tags.append(_header(question))
            hints = {
                value: text.get(self.language, "")
                for value, text in choice.get("definitions", {}).items()
            }
            style = "multiple" if choice.get("multiple") else "single-radio"
            required = _required(choice.get("required", False))
            tags.append(_choices(name, hotkeys, hints, choice=style, **required))
        return tuple(tags)

    def hotkeys(self) -> dict[str, str]:
        """Every key the config sets → what it does ("cue QUOTE", "article_stance_krld favor")."""
        found: dict[str, str] = {}
        for control in self.taxonomy.annotator_labels:
            _claim(found, control.hotkey, f"cue {control.name}")
        for name in REGION_COLORS:
            _claim(found, self.keyboard.region_label_key(name), f"region {name}")
        levels = (
            (self.sentence_stance_controls, self.keyboard.sentence_stance_key),
            (self.article_stance_controls, self.keyboard.article_stance_key),
        )
        for controls, key_of in levels:
            for index, (name, target) in enumerate(controls.items()):
                for value in self.taxonomy.stance_values:
                    _claim(found, key_of(index, target, value), f"{name} {value}")
        for name, choice in self.article_choice_controls.items():
            for value in choice["choices"]:
                _claim(found, self.keyboard.article_choice_key(name, value), f"{name} {value}")
        return found

    def check_keys(self) -> None:
        """One key per action in the whole view (Label Studio binds every control's keys at
        once, hidden or not), none of them one of Label Studio's own, none left to chance."""
        missing = [x.name for x in self.taxonomy.annotator_labels if not x.hotkey]
        if missing:
            raise LabelingConfigError(f"taxonomy labels without a hotkey: {missing}")
        taken = sorted(set(self.hotkeys()) & self.keyboard.reserved)
        if taken:
            raise LabelingConfigError(
                f"{self.keyboard.path}: key(s) {taken} are Label Studio's own (studio_keys)"
            )

    def check_colors(self) -> None:
        colors = self.region_colors
        for (one, a), (other, b) in itertools.combinations(colors.items(), 2):
            distance = painted_color_distance(a, b)
            if distance < MIN_COLOR_DISTANCE:
                raise LabelingConfigError(
                    f"region colours of {one} ({a}) and {other} ({b}) are too alike as Label "
                    f"Studio paints them: ΔE {distance:.1f} < {MIN_COLOR_DISTANCE}"
                )

    @cached_property
    def interface(self) -> LabelInterface:
        interface = LabelInterface(self.xml)
        interface.validate()
        return interface

    def check_prediction(self, prediction: dict) -> None:
        errors = self.interface.validate_prediction(prediction, return_errors=True)
        if errors:
            raise LabelingConfigError(f"prediction does not fit the labeling config: {errors}")


def _claim(found: dict[str, str], key: str, action: str) -> None:
    if key in found:
        raise LabelingConfigError(f"key {key!r} given twice: {found[key]} and {action}")
    found[key] = action


def painted_color_distance(a: str, b: str, alpha: float = HIGHLIGHT_ALPHA) -> float:
    """CIE76 ΔE between two region colours as Label Studio paints them (at ``alpha`` over
    white): about 2 is just noticeable, above 10 clearly different at a glance."""
    first, second = _lab(_over_white(a, alpha)), _lab(_over_white(b, alpha))
    return sum((x - y) ** 2 for x, y in zip(first, second, strict=True)) ** 0.5


def _over_white(color: str, alpha: float) -> tuple[float, ...]:
    return tuple(alpha * int(color[i : i + 2], 16) + (1 - alpha) * 255 for i in (1, 3, 5))


def _lab(rgb: tuple[float, ...]) -> tuple[float, float, float]:
    """sRGB (0–255) → CIELAB under D65."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _hint(text: str | None) -> dict[str, str]:
    return {"hint": text} if text else {}


def _required(required: bool) -> dict[str, str]:
    return {"required": "true"} if required else {}


def _header(text: str) -> tuple:
    return ("Header", {"value": text}, ())


def _labels(name: str, labels) -> tuple:
    """A Labels control over the text; ``labels`` are (value, colour, hint, hotkey)."""
    children = tuple(
        ("Label", {"value": value, "background": color, "hint": hint, "hotkey": hotkey}, ())
        for value, color, hint, hotkey in labels
    )
    return ("Labels", {"name": name, "toName": TEXT}, children)


def _choices(name: str, hotkeys: dict[str, str], hints: dict[str, str], **attributes) -> tuple:
    """A Choices control: value → hotkey, with a hover hint per value where there is one."""
    attributes = {"choice": "single-radio", "showInline": "true", **attributes}
    children = tuple(
        ("Choice", {"value": value, "hotkey": key, **_hint(hints.get(value))}, ())
        for value, key in hotkeys.items()
    )
    return ("Choices", {"name": name, "toName": TEXT, **attributes}, children)


def guidelines_language(config: ProjectConfig) -> str:
    """``[tool.agitprop] guidelines_language``: the annotators' language ("pl" or "en")."""
    language = config.extra.get("guidelines_language", DEFAULT_LANGUAGE)
    if language not in LANGUAGES:
        raise ValueError(
            f"[tool.agitprop] guidelines_language must be one of {list(LANGUAGES)}: {language!r}"
        )
    return language


def project_labeling_config(config: ProjectConfig) -> LabelingConfig:
    """The labeling config for this project: its taxonomy, ``stance_targets`` and language."""
    return LabelingConfig(
        load_taxonomy(), tuple(config.stance_targets), guidelines_language(config)
    )


def labeling_config_path(config: ProjectConfig) -> Path:
    return Path(config.annotations) / "labeling_config.xml"
