"""The designed keyboard and guidelines in a real browser (headless Chromium, Playwright).

The seed article is pushed with ``agitprop sync push``; as the admin, the test selects a
SENTENCE region, presses the documented sentence-stance keys (one letter per value, a modifier
per target) and reads back which choice Label Studio selected for that region; selects a cue
and sees no stance panel at all; presses the article-level keys; opens the instructions modal
and finds the guideline lists rendered as lists; submits with Ctrl+Enter.
"""

from __future__ import annotations

import shutil
import time

import pytest
from browser_support import admin_page
from conftest import SEED_ID, SEEDS
from studio_server import push_project

from builders.paths import REPO_ROOT
from builders.sync.keyboard import load_keyboard

TITLE = "keys-test"
SCREENSHOT = REPO_ROOT / "dist" / "screenshots" / "annotator_keys.png"
TARGETS = ("rosja", "krld", "ukraina")
# Playwright's names for keymaster's modifiers
MODIFIERS = {"ctrl": "Control", "shift": "Shift", "alt": "Alt"}


def playwright_key(key: str) -> str:
    """keymaster "ctrl+alt+f" → Playwright "Control+Alt+KeyF" (by key code, as keymaster)."""
    *modifiers, last = key.split("+")
    code = f"Digit{last}" if last.isdigit() else f"Key{last.upper()}"
    return "+".join([*(MODIFIERS[m] for m in modifiers), code])


@pytest.fixture(scope="module")
def pushed(studio, tmp_path_factory):
    seeds = tmp_path_factory.mktemp("keys-seeds")
    shutil.copy(SEEDS / f"{SEED_ID}.txt", seeds)
    output, client, project, tasks = push_project(studio, seeds, TITLE)
    return output, client, project, tasks[SEED_ID]


SELECTED_CHOICES = """() => {
  const annotation = window.Htx.annotationStore.selected;
  return annotation.serializeAnnotation()
    .filter((r) => r.type === "choices")
    .map((r) => [r.from_name, r.id, r.value.choices[0]]);
}"""


def _selected(page) -> dict[tuple[str, str], str]:
    """(control, region id or result id) → chosen value, as the editor would submit it."""
    return {(name, rid): value for name, rid, value in page.evaluate(SELECTED_CHOICES)}


def _by_control(selected: dict) -> dict[str, str]:
    return {name: value for (name, _), value in selected.items()}


def _click_region(page, region_id: str) -> None:
    page.locator(f'span[class*="htx-highlight-{region_id}-"]').first.click()
    page.wait_for_timeout(300)


def _annotation_once_saved(client, task_id: int, timeout: float = 60.0) -> list[dict]:
    """The result of the task's first annotation, once the browser's submit has landed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        annotations = client.tasks.get(str(task_id)).annotations
        if annotations:
            return annotations[0]["result"]
        time.sleep(0.5)
    return []


def test_documented_keys_select_the_documented_choices(studio, pushed):
    _output, client, project, task = pushed
    keyboard = load_keyboard()
    regions = task.predictions[0].result
    cues = [r for r in regions if r["from_name"] == "cue"]
    sentences = [r for r in regions if r["value"]["labels"] == ["SENTENCE"]]
    # a sentence with no cue inside, so a click on it selects the sentence itself
    free = next(
        s
        for s in sentences
        if not any(
            c["value"]["start"] < s["value"]["end"] and s["value"]["start"] < c["value"]["end"]
            for c in cues
        )
    )
    with admin_page(studio) as page:
        page.goto(f"{studio.url}/projects/{project.id}/data?task={task.id}")
        page.wait_for_selector(".htx-highlight", timeout=120_000)
        header = page.get_by_text("Stanowisko zdania wobec: Rosja")
        hidden_at_start = not header.is_visible()

        _click_region(page, free["id"])
        shown_for_sentence = header.is_visible()
        pressed = {}
        for index, target in enumerate(TARGETS):
            value = ("favor", "against", "unclear")[index]
            key = keyboard.sentence_stance_key(index, target, value)
            page.keyboard.press(playwright_key(key))
            pressed[f"sentence_stance_{target}"] = value
        page.wait_for_timeout(300)
        sentence_choices = _selected(page)
        radios_checked = page.locator(".ant-radio-wrapper-checked:visible").count()
        checkboxes = page.locator(".lsf-choices .ant-checkbox").count()

        cue = next(c for c in cues if c["value"]["labels"] == ["ATTRIBUTION"])
        page.keyboard.press("Escape")
        _click_region(page, cue["id"])
        stance_headers_for_cue = page.get_by_text("Stanowisko zdania wobec").all()
        visible_for_cue = [h.inner_text() for h in stance_headers_for_cue if h.is_visible()]

        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
        article = {"article_stance_rosja": "against", "article_stance_krld": "unclear"}
        article["article_stance_ukraina"] = "favor"
        for index, target in enumerate(TARGETS):
            value = article[f"article_stance_{target}"]
            page.keyboard.press(playwright_key(keyboard.article_stance_key(index, target, value)))
        page.keyboard.press(playwright_key(keyboard.article_choice_key("genre", "analysis")))
        page.wait_for_timeout(300)
        article_choices = _by_control(_selected(page))
        _click_region(page, free["id"])  # the sentence again: its stances, then the article's
        page.get_by_text("Stanowisko artykułu wobec: Ukraina").scroll_into_view_if_needed()
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))

        page.get_by_role("button", name="Instructions").click()
        modal = page.locator(".agitprop-guidelines")
        modal.wait_for(timeout=10_000)
        list_items = modal.locator("li")
        bullets = modal.locator("ul").first.evaluate("e => getComputedStyle(e).listStyleType")
        first_item_visible = list_items.first.is_visible()
        items = list_items.count()
        modal_text = modal.inner_text()
        table_rows = modal.locator("table tr").count()
        page.screenshot(path=str(SCREENSHOT.with_name("annotator_instructions.png")))
        page.keyboard.press("Escape")  # close the modal
        page.wait_for_timeout(500)
        page.keyboard.press("Control+Enter")  # Submit, as the guidelines document
        submitted = _annotation_once_saved(client, task.id)

    assert hidden_at_start and shown_for_sentence
    # each key chose its value under its target, on the selected sentence region only
    assert {
        name: value for (name, rid), value in sentence_choices.items() if rid == free["id"]
    } == pressed
    assert radios_checked >= 3 and checkboxes == 0  # single choices are radio buttons
    assert visible_for_cue == []  # a selected cue shows no (empty) stance panel
    assert {k: v for k, v in article_choices.items() if k.startswith("article_")} == article
    assert article_choices["genre"] == "analysis"
    assert bullets == "disc" and first_item_visible and items > 20
    assert "Czyje stanowisko się liczy" in modal_text and "favor" in modal_text
    assert table_rows > 30  # the key table survived as a table
    # Ctrl+Enter submitted exactly what the keys chose
    stored = {
        (r["from_name"], r["id"]): r["value"]["choices"][0]
        for r in submitted
        if r["type"] == "choices"
    }
    assert {n: v for (n, rid), v in stored.items() if rid == free["id"]} == pressed
    assert {n: v for (n, _), v in stored.items() if n.startswith("article_")} == article
