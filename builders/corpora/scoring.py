"""Any spans of a release (gold, annotation, prelabel) as a corpus's label files, for its scorer.

For the corpus's articles in the release, each span of the chosen origin becomes a line:
the technique is the taxonomy label's SemEval-2023 name (in the corpus's own spelling: PTC
writes ``Name_Calling,Labeling``), a CORPUS_SPAN uses the corpus name it carries; a span of a
label with neither (QUOTE, ATTRIBUTION, a gold CORPUS_SPAN, which keeps no name) is counted, not
written. Offsets go back to the corpus file's code points: an article the build normalised (CRLF,
BOM, NFC) needs the corpus folder (``--corpus``) to map them, and its file must still give the
released text. Lines are sorted by offsets, then technique; a file is written for every article
of a split that has any line, as the scorers expect.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import polars as pl
from datasets import ClassLabel

from builders.corpora.export import (
    CorpusFormat,
    ExportSummary,
    article_texts,
    release_article_ids,
    span_features,
)
from builders.corpora.imported import CORPUS_LABEL
from builders.corpora.labels import CorpusError, read_text
from builders.corpora.text import CorpusText
from builders.release.writer import config_files
from builders.taxonomy import load_taxonomy

# normalisation steps after which released offsets are not the corpus file's
SHIFTING = {"bom_removed", "crlf_to_lf", "nfc"}


def export_for_scoring(
    release: Path, out: Path, corpus: CorpusFormat, origin: str, corpus_dir: Path | None
) -> tuple[ExportSummary, Counter]:
    """(summary, spans not written by label)."""
    if out.exists() and any(out.iterdir()):
        raise CorpusError(str(out), None, "exists and is not empty; export into a new folder")
    members = {}
    for article in release_article_ids(release):
        parsed = corpus.parse_id(article)
        if parsed is not None:
            members[article] = parsed
    if not members:
        raise CorpusError(str(release), None, f"no article of {corpus.origin} in the release")
    names = {
        label.name: corpus.technique(label.semeval_2023_task3)
        for label in load_taxonomy().labels
        if label.semeval_2023_task3 and label.semeval_2023_task3_kind == "technique"
    }
    lines: dict[str, list] = defaultdict(list)  # article → (start, end, technique)
    unwritten: Counter = Counter()
    for span in _spans(release, origin, set(members)):
        technique = names.get(span["label"])
        if span["label"] == CORPUS_LABEL:
            technique = json.loads(span["attributes"]).get("corpus_label")
        if technique is None:
            unwritten[span["label"]] += 1
            continue
        lines[span["article_id"]].append((span["start"], span["end"], technique))
    raw = _raw_offsets(release, corpus, members, lines, corpus_dir)
    files: dict[str, str] = {}
    labelled = {members[a][0] for a in lines}
    derived: dict[str, list] = defaultdict(list)
    for article, (group, ident) in sorted(members.items(), key=lambda m: m[1]):
        if group not in labelled:
            continue
        spans = sorted(set(raw.get(article, [])))
        for task, with_technique in corpus.span_tasks:
            path = corpus.label_path(group, ident, task)
            rows = spans if with_technique else sorted({(s, e, None) for s, e, _ in spans})
            files[path] = "".join(
                f"{ident}\t{t}\t{s}\t{e}\n" if with_technique else f"{ident}\t{s}\t{e}\n"
                for s, e, t in rows
            )
        if corpus.derived:
            by_task = {corpus.span_tasks[0][0]: [_row(s) for s in lines.get(article, [])]}
            derived[corpus.derived(group)].append((ident, article, by_task))
    written = dict(files)
    if derived:
        texts = article_texts(release, {a for rows in derived.values() for _, a, _ in rows})
        for path, rows in derived.items():
            written[path] = corpus.derive([(i, texts[a], spans) for i, a, spans in rows])
    for path, content in written.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(content.encode("utf-8"))
    summary = ExportSummary(out, len(files), sum(c.count("\n") for c in files.values()))
    summary.aggregates = sorted(derived)
    return summary, unwritten


def _row(span: tuple[int, int, str]) -> dict:
    return {"start": span[0], "end": span[1], "attributes": {"corpus_label": span[2]}}


def _spans(release: Path, origin: str, articles: set[str]) -> list[dict]:
    files, features = span_features(release)
    if not files:
        return []
    labels, origins = features["label"], features["origin"]
    assert isinstance(labels, ClassLabel) and isinstance(origins, ClassLabel)
    frame = (
        pl.scan_parquet(files)
        .filter(pl.col("origin") == origins.str2int(origin))
        .filter(pl.col("article_id").is_in(list(articles)))
        .select("article_id", "start", "end", "label", "attributes")
        .collect()
    )
    return [{**row, "label": labels.int2str(row["label"])} for row in frame.iter_rows(named=True)]


def _raw_offsets(release, corpus, members, lines, corpus_dir) -> dict[str, list]:
    """Released offsets → the corpus file's, per article (identical unless normalised)."""
    out = {}
    for article, text, steps in _articles(release, set(lines)):
        spans = lines[article]
        if not SHIFTING & set(steps):
            out[article] = spans
            continue
        group, ident = members[article]
        if corpus_dir is None:
            raise CorpusError(
                article,
                None,
                f"the build normalised this article ({', '.join(steps)}): give the corpus "
                "folder (--corpus DIR) to map offsets back to its file",
            )
        path = corpus_dir / corpus.article_path(group, ident)
        raw = CorpusText(read_text(path, str(path)))
        if raw.text != text:
            raise CorpusError(str(path), None, "is not the text the release has for it")
        mapped = []
        for start, end, technique in spans:
            begin, finish = raw.to_raw(start), raw.to_raw(end)
            if begin is None or finish is None:
                raise CorpusError(str(path), None, f"span {start}..{end} has no corpus offsets")
            mapped.append((begin, finish, technique))
        out[article] = mapped
    return out


def _articles(release: Path, wanted: set[str]) -> list[tuple[str, str, list[str]]]:
    frame = (
        pl.scan_parquet(config_files(release, "articles"))
        .filter(pl.col("article_id").is_in(list(wanted)))
        .select("article_id", "text", "normalization")
        .collect()
    )
    return list(frame.iter_rows())
