"""PTC, the Propaganda Techniques Corpus of SemEval-2020 task 11 (v2 layout), in and out.

The corpus folder holds ``<split>-articles/article<ID>.txt`` with, per labelled split,
``<split>-labels-task-flc-tc/article<ID>.task-flc-tc.labels`` (``ID⇥technique⇥start⇥end``) and
``<split>-labels-task-si/article<ID>.task-si.labels`` (``ID⇥start⇥end``); or the same files side
by side in one folder (no split). A labelled split has a label file for every article (empty
when the article has no span). Article ids: ``ptc-<split>-<ID>`` (``ptc-<ID>`` without a split).
"""

from __future__ import annotations

import re
from pathlib import Path

from builders.corpora.export import CorpusFormat
from builders.corpora.imported import (
    ImportedAnnotation,
    ImportedArticle,
    checked_id,
    corpus_annotator,
    line_span,
)
from builders.corpora.labels import CorpusError, read_label_file, read_text
from builders.corpora.text import CorpusText

ORIGIN = "ptc@semeval2020-task11"
PROJECT = "ptc"
LANGUAGE = "en"
# task → (label file infix, has a technique column)
TASKS = {"tc": ("task-flc-tc", True), "si": ("task-si", False)}
ARTICLE_FILE = re.compile(r"article([A-Za-z0-9]+)\.txt")
SPLIT_FOLDER = re.compile(r"([a-z]+)-articles")
ARTICLE_ID = re.compile(r"ptc-(?:([a-z]+)-)?([A-Za-z0-9]+)")
# PTC names → SemEval-2023 subtask 3 names (the taxonomy's); merged PTC classes have none
ALIASES = {
    "Name_Calling,Labeling": "Name_Calling-Labeling",
    "Exaggeration,Minimisation": "Exaggeration-Minimisation",
    "Appeal_to_fear-prejudice": "Appeal_to_Fear-Prejudice",
    "Flag-Waving": "Flag_Waving",
    "Black-and-White_Fallacy": "False_Dilemma-No_Choice",
    "Thought-terminating_Cliches": "Conversation_Killer",
}

SEMEVAL2023_NAMES = {new: old for old, new in ALIASES.items()}


def article_id(split: str, ident: str) -> str:
    return f"ptc-{split}-{ident}" if split else f"ptc-{ident}"


def layout(root: Path) -> list[tuple[str, Path, dict[str, Path]]]:
    """(split, articles folder, task → labels folder) for each split found under ``root``."""
    splits = sorted(
        SPLIT_FOLDER.fullmatch(entry.name).group(1)
        for entry in root.iterdir()
        if entry.is_dir() and SPLIT_FOLDER.fullmatch(entry.name)
    )
    if not splits:
        return [(split, root, {task: root for task in TASKS}) for split in [""]]
    return [
        (
            split,
            root / f"{split}-articles",
            {t: root / f"{split}-labels-{TASKS[t][0]}" for t in TASKS},
        )
        for split in splits
    ]


def label_file(folder: Path, ident: str, task: str) -> Path:
    return folder / f"article{ident}.{TASKS[task][0]}.labels"


def read_corpus(root: Path) -> list[ImportedArticle]:
    if not root.is_dir():
        raise CorpusError(str(root), None, "not a folder")
    articles = []
    for split, folder, label_folders in layout(root):
        idents = sorted(
            ARTICLE_FILE.fullmatch(p.name).group(1)
            for p in folder.iterdir()
            if ARTICLE_FILE.fullmatch(p.name)
        )
        if not idents:
            raise CorpusError(str(folder), None, "no article<ID>.txt files")
        # a task is labelled in this split when its label files are there
        tasks = [
            task
            for task, labels in label_folders.items()
            if labels.is_dir() and any(labels.glob(f"article*.{TASKS[task][0]}.labels"))
        ]
        for task in tasks:
            _check_orphans(label_folders[task], task, set(idents), root)
        for ident in idents:
            articles.append(_article(root, split, folder, label_folders, tasks, ident))
    return articles


def _check_orphans(folder: Path, task: str, idents: set[str], root: Path) -> None:
    suffix = f".{TASKS[task][0]}.labels"
    for path in sorted(folder.glob(f"article*{suffix}")):
        ident = path.name[len("article") : -len(suffix)]
        if ident not in idents:
            raise CorpusError(
                _shown(path, root), None, f"no article file for label file (ID {ident})"
            )


def _article(root, split, folder, label_folders, tasks, ident) -> ImportedArticle:
    path = folder / f"article{ident}.txt"
    text = CorpusText(read_text(path, _shown(path, root)))
    annotations = []
    for task in tasks:
        labels = label_file(label_folders[task], ident, task)
        shown = _shown(labels, root)
        if not labels.is_file():
            raise CorpusError(
                shown, None, f"missing: every article of the split needs its {task} file"
            )
        lines, total = read_label_file(
            labels, shown, with_technique=TASKS[task][1], article=ident, text_length=len(text.raw)
        )
        annotations.append(
            ImportedAnnotation(
                annotation_id=f"{article_id(split, ident)}-{task}",
                annotator=corpus_annotator(ORIGIN, task),
                spans=[line_span(text, line, total, ORIGIN, task, shown) for line in lines],
                # the technique spans are the corpus's gold; the span-only SI file is kept as an
                # annotation beside them
                ground_truth=task == "tc",
            )
        )
    return ImportedArticle(
        article_id=checked_id(article_id(split, ident), _shown(path, root)),
        text=text,
        seed_file=f"{PROJECT}/{split or 'articles'}.jsonl",
        language=LANGUAGE,
        annotations=annotations,
    )


def _shown(path: Path, root: Path) -> str:
    return str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)


def _parse_id(article: str) -> tuple[str, str] | None:
    match = ARTICLE_ID.fullmatch(article)
    return (match.group(1) or "", match.group(2)) if match else None


def _label_path(split: str, ident: str, task: str) -> str:
    name = f"article{ident}.{TASKS[task][0]}.labels"
    return f"{split}-labels-{TASKS[task][0]}/{name}" if split else name


FORMAT = CorpusFormat(
    origin=ORIGIN,
    parse_id=_parse_id,
    label_path=_label_path,
    # the corpus's train-task-flc-tc.labels: every article's lines, in file-name order
    aggregate_path=lambda split, task: f"{split}-{TASKS[task][0]}.labels" if split else None,
    article_path=lambda split, ident: (
        f"{split}-articles/article{ident}.txt" if split else f"article{ident}.txt"
    ),
    technique=lambda name: SEMEVAL2023_NAMES.get(name, name),
    span_tasks=(("tc", True), ("si", False)),
)
