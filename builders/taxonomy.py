"""The label taxonomy (rules/taxonomy.json): the one place labels are defined."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from builders.paths import RULES_DIR
from builders.schemas import load_data_file


@dataclass(frozen=True)
class Label:
    name: str
    description: str
    color: str
    semeval_2023_task3: str | None = None
    semeval_2023_task3_kind: str | None = None  # "technique" or "frame"
    hotkey: str | None = None
    detectors: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()  # positive examples for annotators
    annotators: bool = True  # offered in Label Studio; False: only imports make it (CORPUS_SPAN)
    # for annotators, per guidelines language: {"en": …, "pl": …}
    definition: dict[str, str] = field(default_factory=dict, hash=False)
    counterexamples: tuple[dict, ...] = ()  # {"text": …, "why": {"en": …, "pl": …}}


@dataclass(frozen=True)
class Taxonomy:
    version: str
    labels: tuple[Label, ...]
    stance_values: tuple[str, ...]
    article_choices: tuple[dict, ...]
    article_stance_required: bool = False
    # stance value → {"en": …, "pl": …}: what annotators are told it means
    stance_definitions: dict[str, dict[str, str]] = field(default_factory=dict, hash=False)

    @property
    def annotator_labels(self) -> tuple[Label, ...]:
        """The labels offered in Label Studio (not those only imports make)."""
        return tuple(label for label in self.labels if label.annotators)

    @property
    def label_names(self) -> list[str]:
        return [label.name for label in self.labels]

    def missing_answers(self, record: dict, stance_targets) -> list[str]:
        """The required questions an annotation record leaves unanswered, by name."""
        missing = []
        if self.article_stance_required:
            given = {s["target"] for s in record.get("stances", []) if not s.get("sentence_id")}
            missing += [f"article stance toward {t}" for t in stance_targets if t not in given]
        answered = record.get("article_labels") or {}
        missing += [
            choice["name"]
            for choice in self.article_choices
            if choice.get("required") and not answered.get(choice["name"])
        ]
        return missing


def _label(data: dict) -> Label:
    keys = ("detectors", "examples", "counterexamples")
    lists = {key: tuple(data[key]) for key in keys if key in data}
    return Label(**{**data, **lists})


@cache
def load_taxonomy(path: Path = RULES_DIR / "taxonomy.json") -> Taxonomy:
    data = load_data_file(path)
    return Taxonomy(
        version=data["version"],
        labels=tuple(_label(label) for label in data["labels"]),
        stance_values=tuple(data.get("stance_values", ["favor", "against", "neutral", "unclear"])),
        article_choices=tuple(data.get("article_choices", [])),
        article_stance_required=bool(data.get("article_stance_required", False)),
        stance_definitions=data.get("stance_definitions", {}),
    )
