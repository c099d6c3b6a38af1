"""A Label Studio JSON export (any project) → articles and annotation snapshots.

The export is a list of tasks: ``data.text`` (and ``data.article_id``/``data.language`` when the
project was pushed by agitprop), ``annotations[]`` with ``result[]`` regions. A ``labels`` region
becomes one span per label: its offsets are checked against its own ``value.text`` and
re-anchored as ``sync pull`` does (Label Studio counts UTF-16 units), then mapped into the
normalised text; one that cannot be anchored is an error. A ``choices`` region becomes
``article_labels[from_name]``. Cancelled annotations and predictions are not annotations: they
are counted, not imported. Annotators become keyed pseudonyms, as in ``sync pull``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from builders.corpora.imported import ImportedAnnotation, ImportedArticle, ImportedSpan
from builders.corpora.labels import CorpusError
from builders.corpora.text import CorpusText
from builders.records import ID_PATTERN
from builders.sync.offsets import anchor_span

PROJECT = "labelstudio"


def origin_of(path: Path) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._") or "export"
    return f"labelstudio@{slug}"


def read_export(
    path: Path, pseudonym, languages: set[str]
) -> tuple[list[ImportedArticle], list[str], str]:
    """(articles, notes, origin) of the export at ``path``; ``pseudonym``: identity → pseudonym."""
    shown = str(path)
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CorpusError(shown, None, f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise CorpusError(shown, None, f"not valid UTF-8 at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise CorpusError(shown, exc.lineno, f"not JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(tasks, list):
        raise CorpusError(shown, None, "expected a JSON list of tasks (Label Studio's JSON export)")
    origin = origin_of(path)
    articles: dict[str, ImportedArticle] = {}
    counts = {"cancelled": 0, "predictions": 0, "merged": 0}
    for index, task in enumerate(tasks):
        where = f"task #{index}" + (f" (id {task.get('id')})" if isinstance(task, dict) else "")
        article = _article(task, where, shown, origin, languages)
        held = articles.setdefault(article.article_id, article)
        if held.text.raw != article.text.raw:
            raise CorpusError(
                shown,
                None,
                f"{where}: article {article.article_id!r} appears again with another text",
            )
        counts["predictions"] += len(task.get("predictions") or [])
        for annotation in task.get("annotations") or []:
            if annotation.get("was_cancelled"):
                counts["cancelled"] += 1
                continue
            held.annotations.append(
                _annotation(task, annotation, held.text, where, shown, origin, pseudonym, counts)
            )
    notes = [
        f"{n} {what} not imported ({why})"
        for what, why, n in (
            ("cancelled annotations", "skipped in Label Studio", counts["cancelled"]),
            ("predictions", "pre-labels, not annotations", counts["predictions"]),
        )
        if n
    ]
    if counts["merged"]:
        notes.append(f"{counts['merged']} repeated regions (same extent and label) kept once")
    return list(articles.values()), notes, origin


def _article(task, where, shown, origin, languages) -> ImportedArticle:
    data = task.get("data") if isinstance(task, dict) else None
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str) or not text:
        raise CorpusError(shown, None, f"{where}: no data.text")
    given = data.get("article_id")
    if given is not None and not (isinstance(given, str) and ID_PATTERN.fullmatch(given)):
        raise CorpusError(shown, None, f"{where}: data.article_id {given!r} is not a usable id")
    # no id of ours: derived from the text, so re-importing gives the same article
    article_id = given or "ls-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    language = data.get("language")
    if language is not None and language not in languages:
        raise CorpusError(
            shown,
            None,
            f"{where}: data.language {language!r} has no rule data "
            f"(supported: {', '.join(sorted(languages))})",
        )
    seed_file = f"{PROJECT}/{origin.split('@', 1)[1]}.jsonl"
    return ImportedArticle(article_id, CorpusText(text), seed_file, language)


def _annotation(task, annotation, text, where, shown, origin, pseudonym, counts):
    where = f"{where} annotation {annotation.get('id')}"
    spans, labels, seen = [], {}, set()
    for item in annotation.get("result") or []:
        value = item.get("value") or {}
        if item.get("type") == "choices":
            labels[item.get("from_name") or "choices"] = sorted(value.get("choices") or [])
            continue
        if item.get("type") != "labels":
            continue
        start, end = value.get("start"), value.get("end")
        span_text = value.get("text")
        if span_text is None and isinstance(start, int) and isinstance(end, int):
            span_text = text.raw[start:end]
        anchored = anchor_span(text.raw, start, end, span_text)
        region = f"{where} region {item.get('id')!r}"
        if anchored is None:
            raise CorpusError(
                shown, None, f"{region}: {span_text!r} at {start}..{end} is not in the task text"
            )
        begin, finish = text.to_text(anchored.start), text.to_text(anchored.end)
        if begin is None or finish is None:
            raise CorpusError(shown, None, f"{region}: an end falls inside a CRLF or a character")
        for label in value.get("labels") or []:
            if (begin, finish, label) in seen:
                counts["merged"] += 1
                continue
            seen.add((begin, finish, label))
            attributes = {"corpus": origin, "corpus_task": "ls", "corpus_label": label}
            if item.get("id") is not None:
                attributes["ls_region"] = str(item["id"])
            spans.append(ImportedSpan(begin, finish, label, attributes))
    user = annotation.get("completed_by")
    if isinstance(user, dict):
        identity = user.get("email") or f"user-{user.get('id')}"
    else:
        identity = f"user-{user}"
    extra = {"task_id": task.get("id") if isinstance(task.get("id"), int) else None}
    if isinstance(annotation.get("lead_time"), (int, float)):
        extra["lead_time"] = float(annotation["lead_time"])
    return ImportedAnnotation(
        annotation_id=f"ls-{annotation.get('id')}",
        annotator=pseudonym(identity),
        spans=spans,
        ground_truth=bool(annotation.get("ground_truth")),
        article_labels=labels,
        extra=extra,
    )
