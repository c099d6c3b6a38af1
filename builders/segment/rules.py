"""Per-language segmentation rules, loaded from schema-validated data files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property, wraps
from pathlib import Path
from typing import TypeVar

from builders.paths import RULES_DIR
from builders.schemas import load_data_file


def _spellings(words: list[str]) -> frozenset[str]:
    """Lower-case entries also match capitalised (a sentence may start with "Np."); others exact."""
    found = set(words)
    found.update(w[0].upper() + w[1:] for w in words if w.islower())
    return frozenset(found)


@dataclass(frozen=True)
class SegmentationRules:
    language: str
    version: str
    abbreviations: frozenset[str]
    final_abbreviations: frozenset[str]
    final_abbreviation_min_words: int
    numeric_abbreviations: frozenset[str]
    initial_digraphs: frozenset[str]
    boilerplate_prefixes: tuple[str, ...]
    boilerplate_markers: tuple[str, ...]
    boilerplate_tail_max_words: int
    title_max_words: int
    heading_max_words: int
    heading_openers: frozenset[str]

    @cached_property
    def memo(self) -> dict:
        """Data derived from these rules (compiled patterns, tables), filled by ``per_rules``."""
        return {}

    @property
    def source(self) -> str:
        """Which data produced a segmentation, e.g. ``segmentation-pl@0.2.0``."""
        return f"segmentation-{self.language}@{self.version}"


Derived = TypeVar("Derived")
Builder = Callable[[SegmentationRules], Derived]


def per_rules(build: Builder) -> Builder:
    """Memoise ``build(rules)`` on the rules object. Derived data is looked up for every text;
    a ``functools.cache`` would rehash every field of the rules on each lookup, which cost
    more than some of the work it saved."""

    @wraps(build)
    def derived(rules: SegmentationRules) -> Derived:
        try:
            return rules.memo[build]
        except KeyError:
            value = rules.memo[build] = build(rules)
            return value

    return derived


@cache
def load_rules(language: str, rules_dir: Path = RULES_DIR / "segmentation") -> SegmentationRules:
    path = rules_dir / f"{language}.json"
    if not path.exists():
        raise FileNotFoundError(f"no segmentation rules for language {language!r} ({path})")
    data = load_data_file(path)
    return SegmentationRules(
        language=data["language"],
        version=data["version"],
        abbreviations=_spellings(data["abbreviations"]),
        final_abbreviations=_spellings(data["final_abbreviations"]),
        final_abbreviation_min_words=data["final_abbreviation_min_words"],
        numeric_abbreviations=_spellings(data["numeric_abbreviations"]),
        initial_digraphs=frozenset(data["initial_digraphs"]),
        boilerplate_prefixes=tuple(p.casefold() for p in data["boilerplate_prefixes"]),
        boilerplate_markers=tuple(data["boilerplate_markers"]),
        boilerplate_tail_max_words=data["boilerplate_tail_max_words"],
        title_max_words=data["title_max_words"],
        heading_max_words=data["heading_max_words"],
        heading_openers=frozenset(data["heading_openers"]),
    )
