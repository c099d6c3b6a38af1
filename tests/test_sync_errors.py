"""Sync against a server that is not there or refuses the key: a clear error, never the key."""

from __future__ import annotations

import secrets

from studio_server import agitprop, free_port


def test_unreachable_server_is_a_clear_error(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    env = {"LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": "irrelevant-key"}
    for action in ("push", "pull"):
        done = agitprop("sync", action, env=env)
        assert done.returncode == 1
        assert f"cannot reach Label Studio at {url}" in done.stderr
        assert "agitprop studio start" in done.stderr
        assert "Traceback" not in done.stderr


def test_wrong_key_is_a_clear_error_that_does_not_show_the_key(studio):
    wrong = "wrong" + secrets.token_hex(16)
    env = {"LABEL_STUDIO_URL": studio.url, "LABEL_STUDIO_API_KEY": wrong}
    for action in ("push", "pull"):
        done = agitprop("sync", action, env=env)
        assert done.returncode == 1
        assert f"Label Studio at {studio.url} refused the API key (HTTP 401)" in done.stderr
        assert wrong not in done.stdout + done.stderr
        assert studio.api_key not in done.stdout + done.stderr
        assert "Traceback" not in done.stderr


def test_pull_from_a_project_that_does_not_exist(studio, tmp_path):
    done = agitprop(
        "sync", "pull", "--project", "never-pushed", "--annotations", str(tmp_path), env=studio.env
    )
    assert done.returncode == 1
    assert "no project titled 'never-pushed'" in done.stderr
