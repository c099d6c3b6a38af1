"""The importers and export formats by name, as the command line offers them."""

from __future__ import annotations

from pathlib import Path

from builders.corpora import labelstudio, ptc, semeval2023
from builders.corpora.imported import ImportSummary, TechniqueMap, write_import
from builders.taxonomy import load_taxonomy

FORMATS = {"ptc": ptc.FORMAT, "semeval2023": semeval2023.FORMAT}


def import_source(source: str, path: Path, *, seeds: Path, annotations: Path) -> ImportSummary:
    """Read ``path`` as ``source``, check everything, then write seeds and snapshots."""
    taxonomy = load_taxonomy()
    if source == "ptc":
        articles = ptc.read_corpus(path)
        origin, project, aliases, notes = ptc.ORIGIN, ptc.PROJECT, ptc.ALIASES, []
    elif source == "semeval2023":
        from builders.ingest.language import supported_languages

        articles, notes = semeval2023.read_corpus(path, set(supported_languages()))
        origin, project, aliases = semeval2023.ORIGIN, semeval2023.PROJECT, {}
    elif source == "labelstudio":
        from builders.ingest.language import supported_languages
        from builders.sync.pseudonyms import Pseudonymizer

        pseudonyms = Pseudonymizer.default()
        articles, notes, origin = labelstudio.read_export(
            path, pseudonyms.pseudonym, set(supported_languages())
        )
        project, aliases = labelstudio.PROJECT, {}
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
