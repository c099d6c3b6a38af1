"""``agitprop sync push``: seeds → one Label Studio task per article, with predictions.

Idempotent by construction: the server is asked which articles it already holds (by
``data.article_id``) and with which ``task_key``; only new articles are imported and only changed
ones are updated. An interrupted push (server killed, network gone) leaves whole import batches
or nothing — each batch is one request and one database transaction — so the next push simply
imports what is missing. A changed article keeps its task, and so its annotations: the task's
data is replaced in place and its prediction swapped for a new one.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from builders.config import ProjectConfig
from builders.cues import CueTagger, default_detectors
from builders.ingest import SeedReader
from builders.pipeline import run_pipeline
from builders.records import Document, QuarantineRow
from builders.segment import SentenceSegmenter
from builders.sync.connection import Connection, connect
from builders.sync.guidelines import project_instructions
from builders.sync.labeling_config import project_labeling_config
from builders.sync.project import ensure_project, list_tasks, mark_corpus
from builders.sync.tasks import split_prelabels, task_payload

IMPORT_BATCH = 1000


@dataclass
class PushResult:
    project_id: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates_removed: int = 0
    not_in_seeds: int = 0
    # detector cues overlapping a title, heading or boilerplate: in the release, not in the task
    prelabels_left_out: int = 0
    quarantine: list[QuarantineRow] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"project {self.project_id}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.duplicates_removed} duplicate task(s) removed, "
            f"{self.not_in_seeds} task(s) for articles no longer in the seeds (left alone), "
            f"{self.prelabels_left_out} pre-label(s) inside titles or boilerplate not shown, "
            f"{len(self.quarantine)} input(s) quarantined, {self.seconds:.2f} s"
        )


def model_version() -> str:
    """The detectors that produced the predictions, e.g. ``quote@0.1.0``."""
    return "+".join(sorted(detector.source for detector in default_detectors()))


def prepare_documents(seeds: Path, config: ProjectConfig) -> tuple[list[Document], SeedReader]:
    reader = SeedReader.from_config([seeds], config)
    steps = [SentenceSegmenter(), CueTagger(default_detectors())]
    return list(run_pipeline(reader.run(), steps)), reader


def annotators_per_task(config: ProjectConfig) -> int:
    """``[tool.agitprop] annotators_per_task`` (default 1): how many annotators label a task."""
    value = config.extra.get("annotators_per_task", 1)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"[tool.agitprop] annotators_per_task must be an integer ≥ 1: {value!r}")
    return value


def push(
    connection: Connection,
    config: ProjectConfig,
    *,
    seeds: Path | None = None,
    title: str | None = None,
    batch_size: int = IMPORT_BATCH,
    progress=None,
) -> PushResult:
    began = time.perf_counter()
    prepared = prepare_tasks(config, seeds)
    result = push_prepared(
        connection,
        prepared,
        title or config.name,
        annotators_per_task=annotators_per_task(config),
        batch_size=batch_size,
        progress=progress,
    )
    result.seconds = time.perf_counter() - began
    return result


@dataclass
class PreparedTasks:
    """Everything a push sends, computed once (a team push sends it to several projects)."""

    documents: list[Document]
    payloads: list[dict]
    version: str
    label_config: str
    instructions: str
    quarantine: list[QuarantineRow]


def prepare_tasks(config: ProjectConfig, seeds: Path | None = None) -> PreparedTasks:
    documents, reader = prepare_documents(Path(seeds or config.seeds), config)
    version = model_version()
    labeling = project_labeling_config(config)
    payloads = [task_payload(document, version) for document in documents]
    for payload in payloads[:1]:  # the server checks every one; the SDK catches a bad shape early
        labeling.check_prediction(payload["predictions"][0])
    instructions = project_instructions(config)
    return PreparedTasks(
        documents, payloads, version, labeling.xml, instructions, reader.quarantine
    )


def push_prepared(
    connection: Connection,
    prepared: PreparedTasks,
    title: str,
    *,
    annotators_per_task: int = 1,
    batch_size: int = IMPORT_BATCH,
    progress=None,
) -> PushResult:
    """Bring the project ``title`` of ``connection``'s organisation to exactly ``prepared``."""
    began = time.perf_counter()
    client = connect(connection)
    project = ensure_project(
        connection,
        client,
        title,
        prepared.label_config,
        prepared.version,
        prepared.instructions,
        annotators_per_task=annotators_per_task,
    )
    payloads = prepared.payloads
    result = sync_tasks(
        connection,
        client,
        project,
        payloads,
        corpus_description(payloads, prepared.version),
        batch_size=batch_size,
        progress=progress,
    )
    result.quarantine = prepared.quarantine
    result.prelabels_left_out = sum(len(split_prelabels(d)[1]) for d in prepared.documents)
    result.seconds = time.perf_counter() - began
    return result


def sync_tasks(
    connection: Connection,
    client,
    project,
    payloads: list[dict],
    description: str,
    *,
    batch_size: int = IMPORT_BATCH,
    progress=None,
) -> PushResult:
    """Bring ``project``'s tasks in line with ``payloads`` (one per article, keyed by
    ``data.article_id``, changed when ``data.task_key`` differs): import the new, update the
    changed in place, leave the rest. ``description`` (a fingerprint of the payloads) marks a
    complete sync, so the next one with the same payloads is one request."""
    project_id = project.id
    result = PushResult(project_id)
    predictions = sum(len(p["predictions"]) for p in payloads)
    if _holds_exactly(project, description, len(payloads), predictions):
        result.unchanged = len(payloads)
        return result

    held = defaultdict(list)  # article_id → its tasks on the server
    for task in list_tasks(connection, client, project_id, include="id,data"):
        data = task.get("data") or {}
        held[data.get("article_id")].append(task)
    without_prediction = set()
    if (project.total_predictions_number or 0) < max(predictions, project.task_number or 0):
        # A push cut off mid-way may have left a task without its predictions: find those.
        wanted = {p["data"]["article_id"]: len(p["predictions"]) for p in payloads}
        for task in list_tasks(connection, client, project_id, include="id,data,total_predictions"):
            article_id = (task.get("data") or {}).get("article_id")
            if (task.get("total_predictions") or 0) < wanted.get(article_id, 0):
                without_prediction.add(task["id"])

    # Tasks of articles that left the seeds may hold annotations: report them, never delete.
    result.not_in_seeds = len(set(held) - {p["data"]["article_id"] for p in payloads})
    new, changed = [], []
    for payload in payloads:
        tasks = held.get(payload["data"]["article_id"], [])
        if not tasks:
            new.append(payload)
            continue
        if len(tasks) > 1:
            tasks = _annotation_counts(connection, client, tasks)
        keep, *extra = sorted(tasks, key=lambda t: (-(t.get("total_annotations") or 0), t["id"]))
        result.duplicates_removed += _remove_duplicates(connection, client, extra)
        same_key = keep["data"].get("task_key") == payload["data"]["task_key"]
        if same_key and keep["id"] not in without_prediction:
            result.unchanged += 1
        else:
            changed.append((keep["id"], payload))

    for batch in _batches(new, batch_size):
        connection.call(
            f"import {len(batch)} tasks",
            client.projects.import_tasks,
            project_id,
            request=batch,
            commit_to_project=True,
        )
        result.created += len(batch)
        if progress:
            progress(result.created, len(new))
    for task_id, payload in changed:
        _update_task(connection, client, project_id, task_id, payload)
        result.updated += 1
    mark_corpus(connection, client, project_id, description)
    return result


def corpus_description(
    payloads: list[dict], version: str, pushed_by: str = "agitprop sync push"
) -> str:
    """The project's description: what it holds, with a fingerprint of every task key.

    Written only after a push completed, so an interrupted push never leaves a matching one.
    """
    keys = sorted(f"{p['data']['article_id']}\t{p['data']['task_key']}" for p in payloads)
    fingerprint = hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()[:20]
    return (
        f"{len(payloads)} articles pushed by {pushed_by}; predictions by {version}; "
        f"corpus {fingerprint}"
    )


def _holds_exactly(project, description: str, count: int, predictions: int) -> bool:
    """Nothing to do: the last complete push was of this very corpus, and the server still holds
    one task per article with its predictions (tasks or predictions deleted since → full check)."""
    return (
        project.description == description
        and project.task_number == count
        and project.total_predictions_number == predictions
    )


def _annotation_counts(connection: Connection, client, tasks: list[dict]) -> list[dict]:
    counted = []
    for task in tasks:
        full = connection.call(f"read task {task['id']}", client.tasks.get, str(task["id"]))
        counted.append({**task, "total_annotations": full.total_annotations or 0})
    return counted


def _remove_duplicates(connection: Connection, client, extra: list[dict]) -> int:
    """Delete surplus tasks for one article, but never one that holds annotations."""
    removed = 0
    for task in extra:
        if task.get("total_annotations"):
            continue
        connection.call(f"delete duplicate task {task['id']}", client.tasks.delete, str(task["id"]))
        removed += 1
    return removed


def _update_task(connection: Connection, client, project_id: int, task_id: int, payload) -> None:
    """Replace a task's data and predictions in place; its annotations stay attached."""
    connection.call(
        f"update task {task_id}", client.tasks.update, str(task_id), data=payload["data"]
    )
    old = connection.call(
        f"list predictions of task {task_id}", client.predictions.list, task=task_id
    )
    for prediction in old:
        connection.call(
            f"delete prediction {prediction.id}", client.predictions.delete, prediction.id
        )
    for prediction in payload["predictions"]:
        connection.call(
            f"create prediction for task {task_id}",
            client.predictions.create,
            task=task_id,
            project=project_id,
            result=prediction["result"],
            model_version=prediction["model_version"],
        )


def _batches(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
