"""Seeds + annotations → a validated dataset directory, offline.

``build`` writes a development build, ``<out>/<name>/dev/``, replaced on every run. ``release``
writes ``<out>/<name>/<X.Y.Z>/``, which is never replaced: releasing a version that exists is a
no-op when the content is identical and refused when it differs. Both run the same pipeline and
write the same files: parquet per config, dataset card, ``CHANGELOG.md`` (against the newest
older release), ``quarantine.jsonl`` and ``manifest.json``.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from builders.annotations import AnnotationMerger
from builders.config import ProjectConfig
from builders.cues import CueTagger, default_detectors
from builders.cues.base import CueWarning
from builders.gold.agreement import Agreement, agreement
from builders.gold.prelabel_review import PrelabelReviewer
from builders.gold.splits import SplitSettings, StoryClusterer, StorySignatures
from builders.gold.step import GoldStep
from builders.ingest import SeedReader
from builders.parallel import ParallelSteps
from builders.pipeline import run_pipeline
from builders.records import ID_PATTERN, QuarantineRow
from builders.release import ReleaseWriter
from builders.release.card import render_card
from builders.release.diff import ReleaseDiff, diff_releases, render_changelog
from builders.release.lock import output_lock
from builders.release.manifest import (
    RELEASE_SCHEMA_VERSION,
    input_fingerprints,
    make_manifest,
    release_files,
    write_manifest,
)
from builders.release.reuse import BuildState, build_key, copy_rows, reusable_state, save_state
from builders.release.stats import release_stats
from builders.release.versions import (
    DEV_DIR,
    MANIFEST,
    Version,
    latest_release,
    next_version,
    previous_release,
    released_versions,
)
from builders.release.writer import UNSPLIT_DIR, add_schemas
from builders.segment import SentenceSegmenter
from builders.taxonomy import load_taxonomy


class StrictModeError(RuntimeError):
    """Raised by ``--strict`` when any input had to be quarantined."""


class ReleaseExists(RuntimeError):
    """The version is already released with different content: releases are immutable."""

    def __init__(self, target: Path, differing: list[str]):
        self.target = target
        self.differing = differing
        listing = "\n".join(f"  {name}" for name in differing)
        super().__init__(
            f"{target} is already released with different content; a changed dataset needs a "
            f"new version (--bump patch|minor|major). Files that would change:\n{listing}"
        )


@dataclass
class BuildResult:
    target: Path | None
    counts: Counter
    quarantine: list[QuarantineRow]
    warnings: list[CueWarning] = field(default_factory=list)
    seconds: float = 0.0
    version: str = ""
    previous: str | None = None
    diff: ReleaseDiff | None = None
    unchanged: bool = False  # the version was already released with exactly this content
    splits: dict | None = None  # the split plan's summary (clusters, articles per split)
    agreement: Agreement | None = None
    ignored: list[str] = field(default_factory=list)  # hidden input entries, ignored by rule
    reused: bool = False  # a release whose rows were copied from the matching dev build
    reuse: str = ""  # why the dev build was (not) reused

    def summary(self) -> str:
        c = self.counts
        return (
            f"{c['articles']} articles, {c['sentences']} sentences, {c['spans']} spans, "
            f"{len(self.quarantine)} quarantined, {self.seconds:.2f} s"
        )


@dataclass(frozen=True)
class _Inputs:
    seeds: Path
    annotations: Path | None
    strict: bool
    progress: bool
    jobs: int = 1  # worker processes for segmentation and cues; not an input of the data


def _prepare(config, seeds, annotations, out, name, strict, progress, jobs=1):
    seeds = Path(seeds or config.seeds)
    if not seeds.exists():
        raise FileNotFoundError(f"seeds folder {seeds} does not exist")
    config = replace(config, name=name or config.name)
    if not ID_PATTERN.fullmatch(config.name):
        # the name is a folder under --out: "../../x" would write outside it
        raise ValueError(
            f"dataset name {config.name!r} must match {ID_PATTERN.pattern} "
            "(letters, digits, '.', '_', '-'; no path separators)"
        )
    annotations = annotations if annotations is not None else config.annotations
    inputs = _Inputs(seeds, Path(annotations) if annotations else None, strict, progress, jobs)
    return config, Path(out or config.out) / config.name, inputs


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
    jobs: int = 1,
) -> BuildResult:
    """A development build, ``<out>/<name>/dev/``, labelled ``<base>+dev`` where the base is
    ``version`` if given, else the newest release, else ``[tool.agitprop] version``."""
    config, root, inputs = _prepare(config, seeds, annotations, out, name, strict, progress, jobs)
    base = Version.parse(version) if version else None
    with output_lock(root):
        newest = latest_release(root)
        label = f"{base or newest or Version.parse(config.version)}+dev"
        return _assemble(config, inputs, root / DEV_DIR, label, newest, released=False)


def release(
    config: ProjectConfig,
    *,
    bump: str | None = None,
    version: str | None = None,
    seeds: Path | None = None,
    annotations: Path | None = None,
    out: Path | None = None,
    name: str | None = None,
    strict: bool = False,
    progress: bool = True,
    jobs: int = 1,
) -> BuildResult:
    """Release ``<out>/<name>/<version>/``: ``--bump`` from the newest release, or ``version``."""
    config, root, inputs = _prepare(config, seeds, annotations, out, name, strict, progress, jobs)
    if version is not None:
        Version.parse(version)  # a clear error before anything is locked or written
    with output_lock(root):
        new = next_version(root, bump, version)
        _check_not_older(root, new)
        previous = previous_release(root, new)
        _check_schema_bump(root, previous, new)
        return _assemble(
            config,
            inputs,
            root / str(new),
            str(new),
            previous,
            released=True,
            bumped=bump is not None,
        )


def _assemble(
    config: ProjectConfig,
    inputs: _Inputs,
    target: Path,
    label: str,
    previous: Version | None,
    *,
    released: bool,
    bumped: bool = False,
) -> BuildResult:
    began = time.perf_counter()
    taxonomy = load_taxonomy()
    detectors = default_detectors()
    result = BuildResult(target, Counter(), [], version=label)
    result.previous = str(previous) if previous else None
    fingerprints = input_fingerprints(inputs.seeds, _snapshot_root(inputs.annotations))
    key = build_key(config, fingerprints)
    dev = target.parent / DEV_DIR
    state, result.reuse = reusable_state(dev, key) if released else (None, "")

    with ReleaseWriter(target, taxonomy) as writer:
        if state is None:
            state = _write_rows(config, inputs, writer, taxonomy, detectors, key)
        else:
            copy_rows(dev, writer.staging)
            writer.counts = state.counts
            result.reused = True
        _check_strict(inputs, state.quarantine)  # a reused build's quarantine counts too
        staging = writer.staging
        if not released:
            save_state(staging, state)
        result.agreement = state.agreement
        result.splits = state.splits
        stats = release_stats(staging, taxonomy, inputs.annotations, len(state.quarantine))
        card = render_card(
            config,
            label,
            taxonomy,
            stats,
            released=released,
            agreement=state.agreement,
            splits=state.splits,
            gold=state.gold,
            prelabel_review=state.prelabel_review,
        )
        writer.add_text("README.md", card)
        previous_dir = target.parent / str(previous) if previous else None
        result.diff = diff_releases(previous_dir, staging)
        writer.add_text("CHANGELOG.md", render_changelog(result.diff, label, result.previous))
        add_schemas(staging)  # before the manifest, which lists them
        manifest = make_manifest(
            staging,
            name=config.name,
            version=label,
            taxonomy_version=taxonomy.version,
            detectors=detectors,
            inputs=fingerprints,
            counts=stats.rows,
            previous=result.previous,
            agreement=state.agreement.to_record(),
            splits=state.splits,
            gold=state.gold,
            prelabel_review=state.prelabel_review,
        )
        write_manifest(staging, manifest)
        if released and target.exists():
            differing = _differing_files(release_files(target), manifest["files"])
            if differing:
                raise ReleaseExists(target, differing)
            writer.discard()
            result.unchanged = True
        elif bumped and previous_dir is not None and _same_data(previous_dir, manifest["files"]):
            # --bump with nothing changed is the no-op that re-releasing a version is
            writer.discard()
            result.unchanged = True
            result.target = previous_dir
            result.version = str(previous)
        else:
            writer.publish()
    result.counts = writer.counts
    result.quarantine = state.quarantine
    result.warnings = state.warnings
    result.ignored = state.ignored
    result.seconds = time.perf_counter() - began
    return result


def _write_rows(config, inputs, writer, taxonomy, detectors, key) -> BuildState:
    """The pass over the seeds: ingest, segment, cues, annotations, gold → rows in ``writer``,
    split by story; returns what the pass learnt."""
    reader = SeedReader.from_config([inputs.seeds], config)
    merger = AnnotationMerger(inputs.annotations, taxonomy, config.stance_targets)
    tagger = CueTagger(detectors)
    review = PrelabelReviewer(taxonomy, detectors)
    gold = GoldStep(config.gold_min_annotators)
    # Story signatures go to the workers only when there are two or more: with one worker, that
    # worker is already the busier process (100k articles, 2 cores: 31.5 s with the signatures
    # in the main process, 34.9 s in the worker, two runs each).
    signatures = [StorySignatures()] if inputs.jobs > 2 else []
    per_article = ParallelSteps([SentenceSegmenter(), tagger, *signatures], inputs.jobs)
    stream = run_pipeline(reader.run(), [per_article, merger, review, gold])
    # its scratch files sit beside the unsplit rows, deleted with them if the build fails
    stories = StoryClusterer(
        SplitSettings.from_config(config.extra), scratch=writer.staging / UNSPLIT_DIR
    )
    for document in tqdm(
        stream, unit=" articles", desc="build", disable=not inputs.progress or None, leave=False
    ):
        writer.write(document)
        stories.add(document)
    quarantine = sorted(
        reader.quarantine + merger.quarantine, key=lambda q: (q.file, q.line or 0, q.code)
    )
    _check_strict(inputs, quarantine)  # before routing: a refused build should fail fast
    plan = stories.finish()
    writer.seal(quarantine, plan, tagger.warnings)
    return BuildState(
        key=key,
        counts=writer.counts,
        quarantine=quarantine,
        warnings=tagger.warnings,
        agreement=agreement(
            gold.ballots, list(config.stance_targets), list(taxonomy.stance_values)
        ),
        splits=plan.summary(),
        ignored=reader.ignored,
        gold=gold.coverage(),
        prelabel_review=review.review.to_record(),
    )


def _check_strict(inputs: _Inputs, quarantine: list[QuarantineRow]) -> None:
    if inputs.strict and quarantine:
        listing = "\n".join(f"  {row.describe()}" for row in quarantine)
        raise StrictModeError(f"--strict: {len(quarantine)} input(s) quarantined:\n{listing}")


def _check_not_older(root: Path, new: Version) -> None:
    """A new release is newer than every release: 0.0.1 after 0.3.0 would sort before it."""
    versions = released_versions(root)
    if versions and new < versions[-1] and new not in versions:
        raise ValueError(
            f"version {new} is older than the newest release {versions[-1]}; a new release "
            "needs a higher version (--bump patch|minor|major)"
        )


def _check_schema_bump(root: Path, previous: Version | None, new: Version) -> None:
    """A release whose record layout breaks loaders of the previous one needs a new major."""
    if previous is None:
        return
    manifest = json.loads((root / str(previous) / MANIFEST).read_text(encoding="utf-8"))
    before = Version.parse(manifest.get("schema_version", "1.0.0")).major
    now = Version.parse(RELEASE_SCHEMA_VERSION).major
    if now != before and new.major == previous.major:
        raise ValueError(
            f"the release schema changed ({manifest.get('schema_version')} in {previous} → "
            f"{RELEASE_SCHEMA_VERSION}: loaders of {previous} break), so this release needs a "
            f"new major version (--bump major), not {new}"
        )


def _snapshot_root(annotations: Path | None) -> Path | None:
    if annotations is None:
        return None
    return annotations / "snapshots" if (annotations / "snapshots").is_dir() else annotations


# written per version: they name the version, so they differ between versions of the same data
_PER_VERSION_FILES = ("README.md", "CHANGELOG.md")


def _same_data(previous: Path, staged: dict[str, dict]) -> bool:
    """The staged release holds the same data files, byte for byte, as ``previous``, in the
    same release layout."""
    manifest = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("schema_version") != RELEASE_SCHEMA_VERSION:
        return False
    existing = {k: v for k, v in release_files(previous).items() if k not in _PER_VERSION_FILES}
    staged = {k: v for k, v in staged.items() if k not in _PER_VERSION_FILES}
    return not _differing_files(existing, staged)


def _differing_files(existing: dict[str, dict], staged: dict[str, dict]) -> list[str]:
    names = sorted(set(existing) | set(staged))
    sha = {
        name: (existing.get(name, {}).get("sha256"), staged.get(name, {}).get("sha256"))
        for name in names
    }
    return [name for name in names if sha[name][0] != sha[name][1]]
