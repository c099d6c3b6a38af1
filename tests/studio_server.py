"""A real Label Studio server for the tests, started with the project's own command.

Session-scoped: one server (own venv under .studio/venv, installed on first use; data in a
temporary folder) on a free port for the whole run, stopped at the end.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from builders.paths import REPO_ROOT

START_TIMEOUT = 900  # first run on a fresh machine installs label-studio (~1-2 min)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def agitprop(*args: str, env: dict | None = None, timeout: float = 600, check: bool = False):
    """Run the real CLI (``python -m builders``) and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "builders", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=REPO_ROOT,
        timeout=timeout,
        check=check,
    )


@dataclass
class StudioServer:
    home: Path
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_key(self) -> str:
        return (self.home / "api_key").read_text().strip()

    @property
    def env(self) -> dict:
        return {
            "LABEL_STUDIO_URL": self.url,
            "LABEL_STUDIO_API_KEY": self.api_key,
            "AGITPROP_PSEUDONYM_SALT": "tests-only-salt",
        }

    def start(self):
        done = agitprop(
            "studio",
            "start",
            "--dir",
            str(self.home),
            "--port",
            str(self.port),
            timeout=START_TIMEOUT,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    def stop(self):
        return agitprop("studio", "stop", "--dir", str(self.home))

    def client(self):
        from label_studio_sdk import LabelStudio

        return LabelStudio(base_url=self.url, api_key=self.api_key, timeout=300)


@pytest.fixture(scope="session")
def studio(tmp_path_factory) -> StudioServer:
    server = StudioServer(tmp_path_factory.mktemp("studio"), free_port())
    server.start_output = server.start()
    yield server
    server.stop()


def push_project(studio, seeds: Path, title: str):
    """``agitprop sync push`` the seeds into project ``title``; (output, client, project, tasks
    by article id)."""
    done = agitprop("sync", "push", "--seeds", str(seeds), "--project", title, env=studio.env)
    assert done.returncode == 0, done.stderr
    client = studio.client()
    (project,) = [p for p in client.projects.list(title=title) if p.title == title]
    tasks = {t.data["article_id"]: t for t in client.tasks.list(project=project.id, fields="all")}
    return done.stdout, client, project, tasks


def log_in_as_admin(page, studio) -> None:
    """Log a Playwright page in to the test server as its admin."""
    page.goto(f"{studio.url}/user/login/")
    page.fill("input[name=email]", "admin@agitprop.invalid")
    page.fill("input[name=password]", (studio.home / "admin_password").read_text().strip())
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def label_region(region_id: str, start: int, end: int, text: str, label: str) -> dict:
    """A cue region as the Label Studio front end submits it."""
    value = {"start": start, "end": end, "text": text, "labels": [label]}
    return {
        "id": region_id,
        "from_name": "cue",
        "to_name": "text",
        "type": "labels",
        "value": value,
    }


def choice_region(region_id: str, control: str, choice: str, region_value=None) -> dict:
    """A choice; per-region (sentence stance) choices carry their region's offsets, not labels."""
    value = {**(region_value or {}), "choices": [choice]}
    value.pop("labels", None)
    return {
        "id": region_id,
        "from_name": control,
        "to_name": "text",
        "type": "choices",
        "value": value,
    }
