"""What every importer produces, and how it becomes seeds and annotation snapshots.

An imported article keeps its text exactly as the corpus file holds it (the seed reader then
normalises it as it does every seed, recording the steps); its spans are mapped to offsets in the
normalised text, and each span's attributes record where it came from, so an exporter can write
the corpus's own line back:

``corpus``          the corpus, ``name@edition`` (also the annotation's ``origin``)
``corpus_task``     which label file: ``tc`` / ``si`` (PTC), ``spans`` (SemEval-2023), ``ls``
``corpus_label``    the technique (or Label Studio label) as the corpus names it; absent for SI
``corpus_line``     the line of the label file, and ``corpus_file_lines`` how many it has
``corpus_start``/``corpus_end``  the offsets as the file gives them (code points of the raw text)
``corpus_eol``      what ended the line, when not ``\\n``; ``corpus_repeats``: later identical lines
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from builders.corpora.labels import CorpusError, LabelLine
from builders.corpora.text import CorpusText
from builders.records import ID_PATTERN, text_sha256
from builders.schemas import violations
from builders.taxonomy import Taxonomy

# The taxonomy label of a span whose technique no agitprop label matches; the corpus's own name
# is in attributes.corpus_label. Label Studio does not offer it to annotators.
CORPUS_LABEL = "CORPUS_SPAN"


class TechniqueMap:
    """Corpus technique name → taxonomy label, through the taxonomy's SemEval-2023 names;
    ``aliases`` first turn another edition's name into its SemEval-2023 name."""

    def __init__(self, taxonomy: Taxonomy, aliases: dict[str, str] | None = None) -> None:
        self.aliases = aliases or {}
        self.names = set(taxonomy.label_names)
        self.by_semeval = {
            label.semeval_2023_task3: label.name
            for label in taxonomy.labels
            if label.semeval_2023_task3 and label.semeval_2023_task3_kind == "technique"
        }

    def label(self, technique: str | None) -> str:
        if technique is None:
            return CORPUS_LABEL
        if technique in self.names and technique != CORPUS_LABEL:
            return technique
        return self.by_semeval.get(self.aliases.get(technique, technique), CORPUS_LABEL)


@dataclass
class ImportedSpan:
    start: int  # in the released (normalised) text
    end: int
    corpus_label: str | None
    attributes: dict  # the corpus_* provenance above


@dataclass
class ImportedAnnotation:
    annotation_id: str
    annotator: str
    spans: list[ImportedSpan]
    ground_truth: bool = True
    article_labels: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # lead_time, task_id (Label Studio)


@dataclass
class ImportedArticle:
    article_id: str
    text: CorpusText
    seed_file: str  # relative to the seeds folder
    language: str | None = None  # None: identified by the seed reader
    annotations: list[ImportedAnnotation] = field(default_factory=list)


def corpus_annotator(origin: str, task: str) -> str:
    """A public corpus is no person: its pseudonym is a plain hash of its name, the same on
    every machine (people's pseudonyms are keyed: builders.sync.pseudonyms)."""
    return "annotator-" + hashlib.sha256(f"{origin}/{task}".encode()).hexdigest()[:12]


def checked_id(article_id: str, shown: str) -> str:
    if not ID_PATTERN.fullmatch(article_id):
        raise CorpusError(shown, None, f"article id {article_id!r} is not usable as an id")
    return article_id


def line_span(
    text: CorpusText, line: LabelLine, total: int, origin: str, task: str, shown: str
) -> ImportedSpan:
    """A label file line as a span of the normalised text, with its provenance."""
    start, end = text.to_text(line.start), text.to_text(line.end)
    if start is None or end is None:
        inside = line.start if start is None else line.end
        raise CorpusError(
            shown,
            line.number,
            f"offset {inside} falls inside {text.raw[max(inside - 1, 0) : inside + 1]!r}, which "
            "the build normalises (CRLF, NFC): it has no offset in the released text",
        )
    attributes = {
        "corpus": origin,
        "corpus_task": task,
        "corpus_line": line.number,
        "corpus_file_lines": total,
        "corpus_start": line.start,
        "corpus_end": line.end,
    }
    if line.technique is not None:
        attributes["corpus_label"] = line.technique
    if line.eol != "\n":
        attributes["corpus_eol"] = line.eol
    if line.repeats:
        attributes["corpus_repeats"] = [list(repeat) for repeat in line.repeats]
    return ImportedSpan(start, end, line.technique, attributes)


@dataclass
class ImportSummary:
    origin: str
    articles: int = 0
    annotations: int = 0
    labels: Counter = field(default_factory=Counter)  # taxonomy label → spans
    unmapped: Counter = field(default_factory=Counter)  # corpus name → spans kept as CORPUS_SPAN
    seed_files: list[Path] = field(default_factory=list)
    snapshot_folder: Path | None = None
    notes: list[str] = field(default_factory=list)  # what was read but not imported, and why

    def lines(self) -> list[str]:
        spans = sum(self.labels.values())
        out = [
            f"imported {self.origin}: {self.articles} articles, {self.annotations} annotations, "
            f"{spans} spans ({', '.join(f'{k} {v}' for k, v in sorted(self.labels.items()))})"
        ]
        if self.unmapped:
            named = ", ".join(f"{k} {v}" for k, v in sorted(self.unmapped.items()))
            out.append(
                f"  {sum(self.unmapped.values())} spans of techniques without a taxonomy label "
                f"kept as {CORPUS_LABEL} under their own names (attributes.corpus_label): {named}"
            )
        out += [f"  {note}" for note in self.notes]
        seeds = ", ".join(str(path) for path in self.seed_files)
        out.append(f"  seeds: {seeds}; snapshots: {self.snapshot_folder}")
        return out


def write_import(
    articles: list[ImportedArticle],
    *,
    origin: str,
    project: str,
    labels: TechniqueMap,
    seeds: Path,
    annotations: Path,
    summary: ImportSummary,
) -> ImportSummary:
    """Seeds (one JSONL per ``seed_file``) and snapshots (one file per article under
    ``<annotations>/snapshots/<project>/``), written only once everything has been checked."""
    seed_lines: dict[str, list[str]] = {}
    snapshots: dict[str, str] = {}
    for article in articles:
        seed = {"id": article.article_id, "language": article.language, "text": article.text.raw}
        seed = {key: value for key, value in seed.items() if value is not None}
        seed_lines.setdefault(article.seed_file, []).append(json.dumps(seed, ensure_ascii=False))
        records = [
            _record(article, annotation, origin, labels, summary)
            for annotation in sorted(article.annotations, key=lambda a: a.annotation_id)
        ]
        if records:
            snapshots[article.article_id] = "".join(
                json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records
            )
        summary.articles += 1
    for name, lines in sorted(seed_lines.items()):
        path = seeds / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        summary.seed_files.append(path)
    folder = annotations / "snapshots" / project
    folder.mkdir(parents=True, exist_ok=True)
    for article_id, content in sorted(snapshots.items()):
        (folder / f"{article_id}.jsonl").write_text(content, encoding="utf-8")
    summary.snapshot_folder = folder
    return summary


def _record(article, annotation, origin, labels, summary) -> dict:
    text = article.text.text
    spans = []
    for span in annotation.spans:
        label = labels.label(span.corpus_label)
        summary.labels[label] += 1
        if label == CORPUS_LABEL:
            summary.unmapped[span.corpus_label or "(span only, no technique)"] += 1
        spans.append(
            {
                "start": span.start,
                "end": span.end,
                "text": text[span.start : span.end],
                "label": label,
                "attributes": span.attributes,
            }
        )
    record = {
        "annotation_id": annotation.annotation_id,
        "article_id": article.article_id,
        "annotator": annotation.annotator,
        "origin": origin,
        "ground_truth": annotation.ground_truth,
        "article_sha256": text_sha256(text),
        "spans": spans,
        "stances": [],
        **({"article_labels": annotation.article_labels} if annotation.article_labels else {}),
        **annotation.extra,
    }
    found = violations("annotation", record)
    if found:  # an importer bug, not bad input: the record is ours
        problems = "; ".join(f"{v.pointer}: {v.message}" for v in found)
        raise ValueError(f"{article.article_id}: imported annotation breaks the schema: {problems}")
    summary.annotations += 1
    return record
