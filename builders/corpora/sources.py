"""The importers and export formats by name, as the command line offers them."""

from __future__ import annotations

from pathlib import Path

from builders.corpora import ptc
from builders.corpora.imported import ImportSummary, TechniqueMap, write_import
from builders.taxonomy import load_taxonomy

FORMATS = {"ptc": ptc.FORMAT}


def import_source(source: str, path: Path, *, seeds: Path, annotations: Path) -> ImportSummary:
    """Read ``path`` as ``source``, check everything, then write seeds and snapshots."""
    taxonomy = load_taxonomy()
    if source == "ptc":
        articles = ptc.read_corpus(path)
        origin, project, aliases, notes = ptc.ORIGIN, ptc.PROJECT, ptc.ALIASES, []
    else:
        raise ValueError(f"unknown source {source!r}")
    summary = ImportSummary(origin, notes=notes)
    return write_import(
        articles,
        origin=origin,
        project=project,
        labels=TechniqueMap(taxonomy, aliases),
        seeds=Path(seeds),
        annotations=Path(annotations),
        summary=summary,
    )
