"""Per-language segmentation rules, loaded from schema-validated data files."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from builders.paths import RULES_DIR
from builders.schemas import load_data_file


@dataclass(frozen=True)
class SegmentationRules:
    language: str
    version: str
    abbreviations: frozenset[str]
    boilerplate_prefixes: tuple[str, ...]


@cache
def load_rules(language: str, rules_dir: Path = RULES_DIR / "segmentation") -> SegmentationRules:
    path = rules_dir / f"{language}.json"
    if not path.exists():
        raise FileNotFoundError(f"no segmentation rules for language {language!r} ({path})")
    data = load_data_file(path)
    return SegmentationRules(
        language=data["language"],
        version=data["version"],
        abbreviations=frozenset(a.lower() for a in data["abbreviations"]),
        boilerplate_prefixes=tuple(p.lower() for p in data["boilerplate_prefixes"]),
    )
