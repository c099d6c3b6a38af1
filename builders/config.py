"""Project configuration from ``[tool.agitprop]`` in pyproject.toml."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from builders.gold.rules import DEFAULT_MIN_ANNOTATORS
from builders.paths import REPO_ROOT


@dataclass(frozen=True)
class ProjectConfig:
    name: str = "agitprop-news"
    version: str = "0.1.0"
    pretty_name: str = "agitprop dataset"
    default_language: str = "pl"
    stance_targets: tuple[str, ...] = ()
    license: str = "other"
    seeds: Path = Path("seeds")
    annotations: Path = Path("annotations")
    out: Path = Path("dist")
    jobs: int | str = "auto"  # worker processes for segmentation and cues (builders.parallel)
    # longer articles are quarantined (article_too_long): a runaway scrape, not an article
    max_article_chars: int = 2_000_000
    # annotators an item needs before it gets gold by majority (adjudication needs none)
    gold_min_annotators: int = DEFAULT_MIN_ANNOTATORS
    # an article whose input names no language: identified (py3langid) or default_language
    detect_language: bool = True
    # pages (HTML, WARC): seconds of extraction each, and the largest page parsed at all
    page_time_limit: float = 30.0
    max_page_bytes: int = 20_000_000
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        value = self.gold_min_annotators
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"[tool.agitprop] gold_min_annotators must be an integer ≥ 1: {value!r}"
            )


def load_config(pyproject: Path | None = None) -> ProjectConfig:
    """Read ``[tool.agitprop]``; relative paths are resolved against the pyproject's folder."""
    pyproject = pyproject or REPO_ROOT / "pyproject.toml"
    if not pyproject.exists():
        return ProjectConfig()
    with pyproject.open("rb") as handle:
        table = dict(tomllib.load(handle).get("tool", {}).get("agitprop", {}))
    base = pyproject.parent
    known = {f for f in ProjectConfig.__dataclass_fields__ if f != "extra"}
    values = {key: table.pop(key) for key in list(table) if key in known}
    for key in ("seeds", "annotations", "out"):
        if key in values:
            values[key] = base / values[key]
        else:
            values[key] = base / getattr(ProjectConfig, key)
    if "stance_targets" in values:
        values["stance_targets"] = tuple(values["stance_targets"])
    return ProjectConfig(**values, extra=table)
