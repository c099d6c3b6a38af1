"""A release's corpus spans → the corpus's own label files, byte for byte.

What the export knows comes from the release alone: the article ids say which corpus article and
split (``ptc-train-<ID>``, ``semeval2023-<lang>-<split>-<ID>``), and each imported span's
attributes say which file, which line, which technique name and which offsets the corpus gave
(:mod:`builders.corpora.imported`). The spans read are the ``annotation`` rows whose
``attributes.corpus`` is the corpus: the gold copies of them carry no line numbers. A label file
of a labelled split is written for every article of the split (empty if it has no span), as the
corpus has one; a line missing from the release is an error, not a shorter file.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
from datasets import ClassLabel, Features

from builders.corpora.labels import CorpusError, render_label_file
from builders.release.writer import config_files


@dataclass(frozen=True)
class CorpusFormat:
    origin: str
    # release article id → (group, ident): group is the folder part the files share (a split, a
    # language/split), ident the corpus's own article id; None for an article of another corpus
    parse_id: Callable[[str], tuple[str, str] | None]
    label_path: Callable[[str, str, str], str]  # (group, ident, task) → relative path
    aggregate_path: Callable[[str, str], str | None]  # (group, task) → one file of the group
    # group → a file derived from the spans and texts (SemEval-2023 paragraph labels), or None
    derived: Callable[[str], str] | None = None
    derive: Callable[[list[tuple[str, str, list]]], str] | None = None
    # for spans not imported (builders.corpora.scoring): the article file of (group, ident),
    # a SemEval-2023 technique's name in this corpus, and task → whether lines name a technique
    article_path: Callable[[str, str], str] | None = None
    technique: Callable[[str], str] = lambda name: name
    span_tasks: tuple[tuple[str, bool], ...] = ()


@dataclass
class ExportSummary:
    out: Path
    files: int = 0
    lines: int = 0
    aggregates: list[str] = field(default_factory=list)

    def line(self, origin: str) -> str:
        extra = f"; per split: {', '.join(self.aggregates)}"
        return f"exported {origin}: {self.files} label files, {self.lines} lines → {self.out}" + (
            extra if self.aggregates else ""
        )


def release_article_ids(release: Path) -> list[str]:
    files = config_files(release, "articles")
    if not files:
        raise CorpusError(str(release), None, "not a release folder (no articles/*.parquet)")
    return pl.scan_parquet(files).select("article_id").collect()["article_id"].to_list()


def span_features(release: Path) -> tuple[list[Path], Features]:
    files = config_files(release, "spans")
    return files, (Features.from_arrow_schema(pq.read_schema(files[0])) if files else Features())


def corpus_spans(release: Path, origin: str) -> list[dict]:
    """The release's ``annotation`` spans imported from ``origin``, attributes decoded."""
    files, features = span_features(release)
    if not files:
        return []
    origins = features["origin"]
    assert isinstance(origins, ClassLabel)
    needle = json.dumps(origin)  # attributes are JSON with sorted keys: '"corpus": "<origin>"'
    frame = (
        pl.scan_parquet(files)
        .filter(pl.col("origin") == origins.str2int("annotation"))
        .filter(pl.col("attributes").str.contains(f'"corpus": {needle}', literal=True))
        .select("article_id", "start", "end", "attributes")
        .collect()
    )
    rows = []
    for row in frame.iter_rows(named=True):
        attributes = json.loads(row["attributes"])
        if attributes.get("corpus") == origin:
            rows.append({**row, "attributes": attributes})
    return rows


def export_corpus(release: Path, out: Path, corpus: CorpusFormat) -> ExportSummary:
    if out.exists() and any(out.iterdir()):
        raise CorpusError(str(out), None, "exists and is not empty; export into a new folder")
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)  # group → (ident, article id)
    for article in release_article_ids(release):
        parsed = corpus.parse_id(article)
        if parsed is not None:
            groups[parsed[0]].append((parsed[1], article))
    if not groups:
        raise CorpusError(str(release), None, f"no article of {corpus.origin} in the release")
    by_article: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for span in corpus_spans(release, corpus.origin):
        by_article[span["article_id"]][span["attributes"]["corpus_task"]].append(span)
    files: dict[str, str] = {}
    aggregates: dict[str, list[str]] = defaultdict(list)
    derived: dict[str, list] = defaultdict(list)
    for group, members in sorted(groups.items()):
        members.sort(key=lambda m: f"article{m[0]}.txt")  # the corpus's file-name order
        tasks = sorted({task for _, a in members for task in by_article.get(a, {})})
        for task in tasks:
            lines: dict[str, dict] = defaultdict(dict)  # path → line number → (text, end)
            totals: dict[str, int] = {}
            for ident, article in members:
                path = corpus.label_path(group, ident, task)
                totals.setdefault(path, 0)
                for span in by_article[article].get(task, []):
                    totals[path] = _add_line(lines[path], ident, span["attributes"])
            for path, total in totals.items():
                files[path] = render_label_file(lines[path], total, path)
            aggregate = corpus.aggregate_path(group, task)
            if aggregate:
                aggregates[aggregate] = [
                    files[corpus.label_path(group, i, task)] for i, _ in members
                ]
        if corpus.derived and tasks:
            derived[corpus.derived(group)] = [
                (ident, article, by_article[article]) for ident, article in members
            ]
    summary = ExportSummary(out)
    written = {**files, **{k: "".join(v) for k, v in aggregates.items()}}
    if derived:
        texts = article_texts(release, {a for rows in derived.values() for _, a, _ in rows})
        for path, rows in derived.items():
            written[path] = corpus.derive([(i, texts[a], spans) for i, a, spans in rows])
    for path, content in written.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8"))
    summary.files = len(files)
    summary.lines = sum(content.count("\n") for content in files.values())
    summary.aggregates = sorted(aggregates) + sorted(derived)
    return summary


def _add_line(lines: dict, ident: str, a: dict) -> int:
    """The span's corpus line (and its repeats) into ``lines``; the file's line count."""
    middle = f"{a['corpus_label']}\t" if "corpus_label" in a else ""
    text = f"{ident}\t{middle}{a['corpus_start']}\t{a['corpus_end']}"
    lines[a["corpus_line"]] = (text, a.get("corpus_eol", "\n"))
    for number, eol in a.get("corpus_repeats", []):
        lines[number] = (text, eol)
    return a["corpus_file_lines"]


def article_texts(release: Path, wanted: set[str]) -> dict[str, str]:
    frame = (
        pl.scan_parquet(config_files(release, "articles"))
        .filter(pl.col("article_id").is_in(list(wanted)))
        .select("article_id", "text")
        .collect()
    )
    return dict(zip(frame["article_id"].to_list(), frame["text"].to_list(), strict=True))
