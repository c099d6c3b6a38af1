"""Re-pushing a changed article updates its task in place and keeps the annotations on it."""

from __future__ import annotations

import json
import shutil

from conftest import FIXTURES
from studio_server import agitprop

TITLE = "change-test"
ARTICLE = "emoji_crlf"
PHRASE = "wyzwolenie terytorium Rosji"


def test_changed_article_updates_its_task_and_keeps_annotations(studio, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    source = FIXTURES / "studio" / f"{ARTICLE}.txt"
    shutil.copy(source, seeds)
    first = agitprop("sync", "push", "--seeds", str(seeds), "--project", TITLE, env=studio.env)
    assert "1 created" in first.stdout, first.stderr

    client = studio.client()
    (project,) = [p for p in client.projects.list(title=TITLE) if p.title == TITLE]
    (task,) = client.tasks.list(project=project.id, fields="all")
    old_text = task.data["text"]
    start = old_text.index(PHRASE)
    value = {"start": start, "end": start + len(PHRASE), "text": PHRASE, "labels": ["REGIME_TERM"]}
    region = {"id": "r1", "from_name": "cue", "to_name": "text", "type": "labels", "value": value}
    client.annotations.create(task.id, result=[region])

    # The outlet added a lead sentence under the title: every offset after it moves. (Above the
    # title it would become the title, where no cue is pre-labelled for annotators.)
    lead = "Nowe zdanie na początku, z cytatem „od redakcji”.\n"
    title_line, body = source.read_bytes().split(b"\n", 1)
    (seeds / source.name).write_bytes(title_line + b"\n" + lead.encode() + body)
    second = agitprop("sync", "push", "--seeds", str(seeds), "--project", TITLE, env=studio.env)
    assert "0 created, 1 updated, 0 unchanged" in second.stdout, second.stderr

    (updated,) = client.tasks.list(project=project.id, fields="all")
    assert updated.id == task.id
    title, rest = old_text.split("\n", 1)
    assert updated.data["text"] == f"{title}\n{lead}{rest}"
    assert updated.data["task_key"] != task.data["task_key"]
    assert len(updated.annotations) == 1
    (prediction,) = updated.predictions
    quotes = {r["value"]["text"] for r in prediction.result if r["from_name"] == "cue"}
    assert "od redakcji" in quotes

    third = agitprop("sync", "push", "--seeds", str(seeds), "--project", TITLE, env=studio.env)
    assert "0 created, 0 updated, 1 unchanged" in third.stdout

    # Someone deleted the prediction, and a stray import duplicated the task: push repairs both,
    # keeping the annotated task.
    client.predictions.delete(updated.predictions[0].id)
    stray = {"data": updated.data, "predictions": [{"result": [], "model_version": "stray"}]}
    client.projects.import_tasks(project.id, request=[stray], commit_to_project=True)
    fourth = agitprop("sync", "push", "--seeds", str(seeds), "--project", TITLE, env=studio.env)
    assert "0 created, 1 updated, 0 unchanged, 1 duplicate task(s) removed" in fourth.stdout
    (repaired,) = client.tasks.list(project=project.id, fields="all")
    assert repaired.id == task.id and len(repaired.annotations) == 1
    assert len(repaired.predictions) == 1 and repaired.predictions[0].result

    # The article leaves the seeds: its annotated task is reported and kept, never deleted.
    elsewhere = tmp_path / "other-seeds"
    elsewhere.mkdir()
    (elsewhere / "other.txt").write_text("Inny artykuł o „czymś innym”.\n", encoding="utf-8")
    fifth = agitprop("sync", "push", "--seeds", str(elsewhere), "--project", TITLE, env=studio.env)
    assert "1 created" in fifth.stdout and "1 task(s) for articles no longer in the seeds" in (
        fifth.stdout
    )
    assert task.id in {t.id for t in client.tasks.list(project=project.id)}

    pulled = agitprop(
        "sync", "pull", "--project", TITLE, "--annotations", str(tmp_path / "a"), env=studio.env
    )
    assert pulled.returncode == 0, pulled.stderr
    snapshot = tmp_path / "a" / "snapshots" / TITLE / f"{ARTICLE}.jsonl"
    (record,) = [json.loads(line) for line in snapshot.read_text().splitlines()]
    (span,) = record["spans"]
    assert span["start"] == start + len(lead) and span["text"] == PHRASE
    assert "1 re-anchored" in pulled.stdout
