"""Helpers for the release tests: small JSONL corpora, annotation snapshots, releasing into tmp."""

from __future__ import annotations

import json
from pathlib import Path

from builders.build import BuildResult, release
from builders.config import load_config


def write_seeds(folder: Path, articles: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(article, ensure_ascii=False) for article in articles]
    (folder / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def write_snapshot(folder: Path, records: list[dict]) -> Path:
    snapshots = folder / "snapshots"
    snapshots.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    (snapshots / "snapshot.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def complete(record: dict) -> dict:
    """The record with every answer the taxonomy requires (an article stance toward each of
    the project's targets, a genre), as Label Studio enforces them: an incomplete annotation is
    quarantined by the build. Answers the record gives are kept."""
    targets = load_config().stance_targets
    given = {s["target"] for s in record["stances"] if not s.get("sentence_id")}
    extra = [
        {"sentence_id": None, "target": t, "stance": "unclear"} for t in targets if t not in given
    ]
    labels = {"genre": ["news"], **record.get("article_labels", {})}
    return {**record, "stances": record["stances"] + extra, "article_labels": labels}


def annotation(article_id: str, text: str, phrase: str, label: str, stances: list) -> dict:
    start = text.index(phrase)
    return complete(
        {
            "annotation_id": f"ls-{article_id}",
            "article_id": article_id,
            "annotator": "annotator-0a1b2c3d",
            "spans": [{"start": start, "end": start + len(phrase), "text": phrase, "label": label}],
            "stances": stances,
        }
    )


def release_into(out: Path, seeds: Path, annotations: Path | None = None, **kw) -> BuildResult:
    if annotations is None:
        annotations = out.parent / "no-annotations"
        annotations.mkdir(exist_ok=True)
    return release(
        load_config(), seeds=seeds, annotations=annotations, out=out, progress=False, **kw
    )


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


ARTICLES = [
    {
        "id": "a1",
        "outlet": "tvn24",
        "language": "pl",
        "text": "Rzecznik Kremla mówił o „specjalnej operacji”. Nikt w to nie wierzy.",
    },
    {
        "id": "a2",
        "outlet": "tvn24",
        "language": "pl",
        "text": "Agencja KCNA podała, że „wszystko idzie zgodnie z planem”. Eksperci wątpią.",
    },
    {
        "id": "a3",
        "outlet": "bbc",
        "language": "en",
        "text": "The minister called it a “liberation”. Observers disagreed.",
    },
]
