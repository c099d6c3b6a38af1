"""The annotator's view in a real browser: Debian's headless Chromium driven by Playwright.

Log in as the admin, open a pushed task (the emoji + CRLF fixture), check that every
pre-labelled region is highlighted over exactly its text, see Submit refused while a required
answer (article stance, genre) is missing, answer, submit it as the browser does, and pull
the result back: the spans the browser sent must land on the same characters. A screenshot is
kept in dist/screenshots/.
"""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest
from browser_support import admin_page
from conftest import FIXTURES
from studio_server import agitprop

from builders.paths import REPO_ROOT

TITLE = "ui-test"
ARTICLE = "emoji_crlf"
SCREENSHOT = REPO_ROOT / "dist" / "screenshots" / "label_studio_task.png"


@pytest.fixture(scope="module")
def task(studio, tmp_path_factory):
    seeds = tmp_path_factory.mktemp("ui-seeds")
    shutil.copy(FIXTURES / "studio" / f"{ARTICLE}.txt", seeds)
    done = agitprop("sync", "push", "--seeds", str(seeds), "--project", TITLE, env=studio.env)
    assert done.returncode == 0, done.stderr
    client = studio.client()
    (project,) = [p for p in client.projects.list(title=TITLE) if p.title == TITLE]
    (task,) = client.tasks.list(project=project.id, fields="all")
    return project, task


def _annotations_once_saved(client, task_id: int, timeout: float = 60.0) -> list:
    """The task's annotations, waiting for the browser's submit request to have landed."""
    deadline = time.monotonic() + timeout
    while True:
        annotations = client.tasks.get(str(task_id)).annotations
        if annotations or time.monotonic() > deadline:
            return annotations
        time.sleep(0.5)


def _answer_required(page) -> None:
    """Answer every article-level question: "unclear" toward each target, genre "news"."""
    for choice in ("unclear", "news"):
        # a choice shows its hotkey after its name ("unclear[shift+4]")
        for option in page.get_by_text(re.compile(rf"^{choice}")).all():
            if option.is_visible():
                option.click()


def test_annotator_sees_prelabels_and_submits_them_exactly(studio, task, tmp_path):
    project, task = task
    regions = task.predictions[0].result
    cues = [r for r in regions if r["from_name"] == "cue"]
    assert cues
    with admin_page(studio) as page:
        page.goto(f"{studio.url}/projects/{project.id}/data?task={task.id}")
        try:
            page.wait_for_selector(".htx-highlight", timeout=120_000)
        except Exception:
            # Keep what the browser showed, so a failure in CI can be read afterwards.
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT.with_name("ui_failure.png")))
            SCREENSHOT.with_name("ui_failure.html").write_text(page.content())
            print(f"UI test: no highlight at {page.url}; see dist/screenshots/ui_failure.*")
            raise
        shown = {}
        for region in regions:
            parts = page.locator(f'span[class*="htx-highlight-{region["id"]}-"]')
            shown[region["id"]] = "".join(parts.all_text_contents())
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
        # Submit without the required answers (article stances, genre) is refused
        page.get_by_role("button", name="Submit").click()
        page.wait_for_timeout(2_000)
        refusal = page.get_by_text("is required", exact=False).first
        refused = refusal.is_visible()
        refusal_text = refusal.inner_text() if refused else page.content()
        page.screenshot(path=str(SCREENSHOT.with_name("label_studio_required.png")))
        saved_before_answers = studio.client().tasks.get(str(task.id)).annotations
        if refused:
            page.get_by_role("button", name="OK").click()
        _answer_required(page)
        page.get_by_role("button", name="Submit").click()
        page.wait_for_load_state("networkidle")

    assert refused, refusal_text[-3000:]
    assert "article_stance_" in refusal_text or "genre" in refusal_text
    assert saved_before_answers == []

    # Every pre-labelled region is on screen over exactly its text, emoji notwithstanding.
    assert shown == {r["id"]: r["value"]["text"] for r in regions}

    (submitted,) = _annotations_once_saved(studio.client(), task.id)
    assert not submitted["was_cancelled"]
    folder = tmp_path / "annotations"
    done = agitprop(
        "sync", "pull", "--project", TITLE, "--annotations", str(folder), env=studio.env
    )
    assert done.returncode == 0, done.stderr
    assert "INCOMPLETE" not in done.stderr  # the answers given in the browser were saved
    snapshot = folder / "snapshots" / TITLE / f"{ARTICLE}.jsonl"
    (record,) = [json.loads(line) for line in snapshot.read_text(encoding="utf-8").splitlines()]
    text = task.data["text"]
    pulled = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
    expected = sorted(
        (c["value"]["start"], c["value"]["end"], c["value"]["labels"][0]) for c in cues
    )
    assert pulled == expected
    assert all(text[s["start"] : s["end"]] == s["text"] for s in record["spans"])
