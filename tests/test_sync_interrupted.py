"""A push cut off by the server dying converges on the next push, with no duplicate tasks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

from studio_server import REPO_ROOT
from synthetic_corpus import write_synthetic_seeds

TITLE = "interrupted-test"
ARTICLES = 1500
BATCH = 25


def _task_count(client) -> int:
    projects = [p for p in client.projects.list(title=TITLE) if p.title == TITLE]
    return projects[0].task_number or 0 if projects else 0


def test_server_killed_mid_push_then_push_again_converges(studio, tmp_path):
    seeds = write_synthetic_seeds(tmp_path / "seeds", ARTICLES)
    command = [
        sys.executable,
        "-m",
        "builders",
        "sync",
        "push",
        "--seeds",
        str(seeds),
        "--project",
        TITLE,
        "--batch-size",
        str(BATCH),
    ]
    env = {**os.environ, **studio.env}
    client = studio.client()
    push = subprocess.Popen(
        command, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 120
        while _task_count(client) < 4 * BATCH and time.monotonic() < deadline:
            time.sleep(0.1)
        server_pid = json.loads((studio.home / "server.json").read_text())["pid"]
        os.killpg(server_pid, signal.SIGKILL)  # mid-push: no chance to finish a request
        out, err = push.communicate(timeout=120)
    finally:
        if push.poll() is None:
            push.kill()
    assert push.returncode == 1, out + err
    assert f"cannot reach Label Studio at {studio.url}" in err

    studio.start()  # same data folder, same port, same key
    client = studio.client()
    held_before = _task_count(client)
    assert 0 < held_before < ARTICLES  # it really was cut off in the middle

    again = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert f"{ARTICLES - held_before} created" in again.stdout

    (project,) = [p for p in client.projects.list(title=TITLE) if p.title == TITLE]
    tasks = list(client.tasks.list(project=project.id, fields="all", page_size=500))
    per_article = Counter(t.data["article_id"] for t in tasks)
    assert len(per_article) == ARTICLES and set(per_article.values()) == {1}
    assert all(len(t.predictions) == 1 for t in tasks)
