"""SemEval-2023 task 3 (news genre, framing, persuasion techniques; 9 languages), in and out.

Per language folder (``en``, ``po`` = Polish, ``ru``, ``ge``, ``fr``, ``it``, ...) under the data
folder: articles ``<split>-articles-subtask-<N>/article<ID>.txt``; subtask 3 spans either one file
per article, ``<split>-labels-subtask-3-spans/article<ID>-labels-subtask-3.txt``, or one file per
split, ``<split>-labels-subtask-3-spans.txt`` (later bundles), lines ``ID⇥technique⇥start⇥end``;
paragraph labels ``<split>-labels-subtask-3.txt`` (``ID⇥line⇥technique,technique``); genre
``<split>-labels-subtask-1.txt`` (``ID⇥genre``) and frames ``<split>-labels-subtask-2.txt``
(``ID⇥frame,frame``). Article ids: ``semeval2023-<lang folder>-<split>-<ID>``.

The spans are the corpus's gold; genre and frames go into the annotation's ``article_labels``
(``semeval2023_genre``, ``semeval2023_frames``; snapshots keep them, releases have no column for
them). Paragraph labels are what the subtask 3 scorer reads: the export derives them from the
spans (:func:`paragraph_labels`); the import checks the corpus file against that derivation and
says how many lines differ. A language without segmentation rules is not imported, and said so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from builders.corpora.export import CorpusFormat
from builders.corpora.imported import (
    ImportedAnnotation,
    ImportedArticle,
    checked_id,
    corpus_annotator,
    line_span,
)
from builders.corpora.labels import (
    CorpusError,
    LabelLine,
    fold_repeats,
    parse_line,
    read_label_file,
    read_text,
    split_lines,
)
from builders.corpora.text import CorpusText

ORIGIN = "semeval2023@task3"
PROJECT = "semeval2023"
# the bundle's language folders that are not ISO 639-1 codes
LANGUAGES = {"po": "pl", "ge": "de", "gr": "el"}
ARTICLES_FOLDER = re.compile(r"([a-z]+)-articles-subtask-[123]")
ARTICLE_FILE = re.compile(r"article([A-Za-z0-9]+)\.txt")
ARTICLE_ID = re.compile(r"semeval2023-([a-z]+)-([a-z]+)-([A-Za-z0-9]+)")
SPANS = "spans"  # one span file per article
SPANS_FILE = "spans-file"  # one span file per split


def _span_path(group: str, ident: str, task: str) -> str:
    language, split = group.split("/")
    if task == SPANS_FILE:
        return f"{language}/{split}-labels-subtask-3-spans.txt"
    return f"{language}/{split}-labels-subtask-3-spans/article{ident}-labels-subtask-3.txt"


def _parse_id(article: str) -> tuple[str, str] | None:
    match = ARTICLE_ID.fullmatch(article)
    return (f"{match.group(1)}/{match.group(2)}", match.group(3)) if match else None


FORMAT = CorpusFormat(
    origin=ORIGIN,
    parse_id=_parse_id,
    label_path=_span_path,
    aggregate_path=lambda group, task: None,
    derived=lambda group: "{}/{}-labels-subtask-3.txt".format(*group.split("/")),
    derive=lambda rows: render_paragraphs(rows),
    article_path=lambda group, ident: "{}/{}-articles-subtask-3/article{}.txt".format(
        *group.split("/"), ident
    ),
    span_tasks=((SPANS, True),),
)


def render_paragraphs(rows: list[tuple[str, str, dict]]) -> str:
    """The paragraph-level file the subtask 3 scorer reads, from (ID, released text, spans by
    task) of each article: ``ID⇥line⇥techniques`` for every non-empty line."""
    out = []
    for ident, text, by_task in rows:
        spans = [
            (s["start"], s["end"], s["attributes"]["corpus_label"])
            for task in (SPANS, SPANS_FILE)
            for s in by_task.get(task, [])
        ]
        for number, names in paragraph_labels(text, spans):
            out.append(f"{ident}\t{number}\t{','.join(names)}\n")
    return "".join(out)


def data_root(root: Path) -> Path:
    return root / "data" if (root / "data").is_dir() and not _languages(root) else root


def _languages(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and any(ARTICLES_FOLDER.fullmatch(c.name) for c in p.iterdir() if c.is_dir())
    )


def read_corpus(root: Path, supported: set[str]) -> tuple[list[ImportedArticle], list[str]]:
    """The articles of every supported language, and notes on what was not imported."""
    if not root.is_dir():
        raise CorpusError(str(root), None, "not a folder")
    root = data_root(root)
    folders = _languages(root)
    if not folders:
        raise CorpusError(str(root), None, "no <lang>/<split>-articles-subtask-N/ folders")
    articles, notes = [], []
    for folder in folders:
        language = LANGUAGES.get(folder.name, folder.name)
        if language not in supported:
            count = len({p.name for p in folder.glob("*-articles-subtask-*/article*.txt")})
            notes.append(
                f"{folder.name}: {count} articles not imported: no segmentation rules for "
                f"{language!r} (supported: {', '.join(sorted(supported))})"
            )
            continue
        for split in sorted(
            {
                ARTICLES_FOLDER.fullmatch(p.name).group(1)
                for p in folder.iterdir()
                if ARTICLES_FOLDER.fullmatch(p.name)
            }
        ):
            found, said = _split(root, folder, language, split)
            articles += found
            notes += said
    return articles, notes


def _split(root, folder, language, split) -> tuple[list[ImportedArticle], list[str]]:
    """The articles of one language and split: those of the subtask 3 folder (the spans'
    articles) when there is one, else those of subtask 2 or 1 (genre and frames only)."""
    folders = [folder / f"{split}-articles-subtask-{n}" for n in (3, 2, 1)]
    chosen = next(f for f in folders if f.is_dir())
    texts: dict[str, tuple[CorpusText, str]] = {}
    for path in sorted(chosen.iterdir()):
        match = ARTICLE_FILE.fullmatch(path.name)
        if match:
            shown = _shown(path, root)
            texts[match.group(1)] = (CorpusText(read_text(path, shown)), shown)
    others = {
        p.name
        for f in folders
        if f.is_dir() and f != chosen
        for p in f.iterdir()
        if ARTICLE_FILE.fullmatch(p.name) and ARTICLE_FILE.fullmatch(p.name).group(1) not in texts
    }
    notes = []
    if others:
        notes.append(
            f"{folder.name}/{split}: {len(others)} articles only in subtask 1/2 folders not "
            f"imported (the import reads {chosen.name})"
        )
    group = f"{folder.name}/{split}"
    spans = _spans(root, folder, split, group, texts)
    labels = _article_labels(root, folder, split, texts)
    result = []
    for ident, (text, shown) in sorted(texts.items()):
        article_id = checked_id(f"semeval2023-{folder.name}-{split}-{ident}", shown)
        annotations = []
        if ident in spans or labels.get(ident):
            annotations.append(
                ImportedAnnotation(
                    annotation_id=f"{article_id}-task3",
                    annotator=corpus_annotator(ORIGIN, "task3"),
                    spans=spans.get(ident, []),
                    article_labels=labels.get(ident, {}),
                )
            )
        result.append(
            ImportedArticle(
                article_id, text, f"{PROJECT}/{folder.name}-{split}.jsonl", language, annotations
            )
        )
    paragraphs = folder / f"{split}-labels-subtask-3.txt"
    if paragraphs.is_file():
        notes += [n for n in [_check_paragraphs(paragraphs, root, texts, spans)] if n]
    return result, notes


def _spans(root, folder, split, group, texts) -> dict[str, list]:
    """Article ID → its imported spans (absent: the article has no span file)."""
    per_article = folder / f"{split}-labels-subtask-3-spans"
    one_file = folder / f"{split}-labels-subtask-3-spans.txt"
    found: dict[str, list] = {}
    if per_article.is_dir():
        for ident, (text, _) in texts.items():
            path = per_article / f"article{ident}-labels-subtask-3.txt"
            shown = _shown(path, root)
            if not path.is_file():
                raise CorpusError(shown, None, "missing: every article needs its span file")
            lines, total = read_label_file(
                path, shown, with_technique=True, article=ident, text_length=len(text.raw)
            )
            found[ident] = [line_span(text, ln, total, ORIGIN, SPANS, shown) for ln in lines]
        for path in sorted(per_article.iterdir()):
            ident = path.name.removeprefix("article").removesuffix("-labels-subtask-3.txt")
            if ident not in texts:
                raise CorpusError(_shown(path, root), None, f"no article file for ID {ident!r}")
    elif one_file.is_file():
        shown = _shown(one_file, root)
        by_article = _split_file(one_file, shown, texts)
        for ident in texts:
            found[ident] = [
                line_span(texts[ident][0], ln, total, ORIGIN, SPANS_FILE, shown)
                for ln, total in by_article.get(ident, [])
            ]
    return found


def _split_file(path: Path, shown: str, texts) -> dict[str, list[tuple[LabelLine, int]]]:
    """One span file for all articles of a split: each line checked against its own article."""
    numbered, total = split_lines(read_text(path, shown))
    by_article: dict[str, list[LabelLine]] = defaultdict(list)
    for number, body, eol in numbered:
        ident = body.split("\t", 1)[0]
        if ident not in texts:
            raise CorpusError(shown, number, f"article id {ident!r} has no article file")
        length = len(texts[ident][0].raw)
        by_article[ident].append(
            parse_line(body, eol, number, shown, with_technique=True, article=ident, length=length)
        )
    return {
        ident: [(ln, total) for ln in fold_repeats(lines)] for ident, lines in by_article.items()
    }


def _article_labels(root, folder, split, texts) -> dict[str, dict]:
    labels: dict[str, dict] = defaultdict(dict)
    for subtask, key in ((1, "semeval2023_genre"), (2, "semeval2023_frames")):
        path = folder / f"{split}-labels-subtask-{subtask}.txt"
        if not path.is_file():
            continue
        shown = _shown(path, root)
        for number, line in enumerate(read_text(path, shown).splitlines(), start=1):
            columns = line.split("\t")
            if len(columns) != 2 or not columns[0]:
                raise CorpusError(shown, number, f"expected ID⇥labels, got {line!r}")
            if columns[0] in texts:  # other articles: counted with those not imported
                labels[columns[0]][key] = [v for v in columns[1].split(",") if v]
    return labels


def paragraph_labels(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, list[str]]]:
    """(line number, techniques) for every non-empty line of ``text``: the techniques of the
    spans that overlap the line, sorted (the scorer compares them as a set)."""
    rows, start = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        end = start + len(line)
        if line.strip():
            names = sorted({t for s, e, t in spans if s < end and e > start})
            rows.append((number, names))
        start = end + 1
    return rows


def _check_paragraphs(path, root, texts, spans) -> str | None:
    """How many lines of the corpus's paragraph file the derivation from the spans disagrees
    with (the export writes the derivation)."""
    shown = _shown(path, root)
    given: dict[tuple[str, int], set] = {}
    for number, line in enumerate(read_text(path, shown).splitlines(), start=1):
        columns = line.split("\t")
        if len(columns) != 3 or not columns[1].isdigit():
            raise CorpusError(shown, number, f"expected ID⇥line⇥techniques, got {line!r}")
        given[(columns[0], int(columns[1]))] = {t for t in columns[2].split(",") if t}
    derived = {}
    for ident, imported in spans.items():
        triples = [(s.start, s.end, s.corpus_label) for s in imported]
        for number, names in paragraph_labels(texts[ident][0].text, triples):
            derived[(ident, number)] = set(names)
    differing = sum(
        1
        for key in given.keys() | derived.keys()
        if given.get(key, set()) != derived.get(key, set())
    )
    if not differing:
        return None
    return (
        f"{shown}: {differing} paragraph lines differ from the derivation from the spans "
        "(the export writes the derivation)"
    )


def _shown(path: Path, root: Path) -> str:
    return str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
