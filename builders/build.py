"""``agitprop build``: seeds + annotations → a validated release directory, offline."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from builders.annotations import AnnotationMerger
from builders.config import ProjectConfig
from builders.cues import CueTagger, default_detectors
from builders.ingest import SeedReader
from builders.pipeline import run_pipeline
from builders.records import QuarantineRow
from builders.release import ReleaseWriter
from builders.release.card import render_card
from builders.segment import SentenceSegmenter
from builders.taxonomy import load_taxonomy


class StrictModeError(RuntimeError):
    """Raised by ``--strict`` when any input had to be quarantined."""


@dataclass
class BuildResult:
    target: Path | None
    counts: Counter
    quarantine: list[QuarantineRow]
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        c = self.counts
        return (
            f"{c['articles']} articles, {c['sentences']} sentences, {c['spans']} spans, "
            f"{len(self.quarantine)} quarantined, {self.seconds:.2f} s"
        )


def build(
    config: ProjectConfig,
    *,
    seeds: Path | None = None,
    annotations: Path | None = None,
    out: Path | None = None,
    name: str | None = None,
    version: str | None = None,
    strict: bool = False,
    progress: bool = True,
) -> BuildResult:
    began = time.perf_counter()
    seeds = Path(seeds or config.seeds)
    if not seeds.exists():
        raise FileNotFoundError(f"seeds folder {seeds} does not exist")
    config = replace(config, name=name or config.name, version=version or config.version)
    version = config.version
    target = Path(out or config.out) / config.name / version
    taxonomy = load_taxonomy()

    reader = SeedReader([seeds], default_language=config.default_language)
    merger = AnnotationMerger(annotations if annotations is not None else config.annotations)
    tagger = CueTagger(default_detectors())
    stream = run_pipeline(reader.run(), [SentenceSegmenter(), tagger, merger])

    languages, labels, origins = set(), Counter(), Counter()
    with ReleaseWriter(target, taxonomy) as writer:
        for document in tqdm(
            stream, unit=" articles", desc="build", disable=not progress or None, leave=False
        ):
            writer.write(document)
            languages.add(document.article.language)
            labels.update(span.label for span in document.spans)
            origins.update(span.origin for span in document.spans)
        quarantine = sorted(
            reader.quarantine + merger.quarantine, key=lambda q: (q.file, q.line or 0, q.code)
        )
        if strict and quarantine:
            listing = "\n".join(f"  {row.describe()}" for row in quarantine)
            raise StrictModeError(f"--strict: {len(quarantine)} input(s) quarantined:\n{listing}")
        card = render_card(
            config, version, taxonomy, writer.counts, sorted(languages), labels, origins
        )
        writer.finish(quarantine, card, {})
    return BuildResult(
        target, writer.counts, quarantine, tagger.warnings, time.perf_counter() - began
    )
