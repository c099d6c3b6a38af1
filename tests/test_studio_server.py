"""``agitprop studio``: a local server on loopback only, private credentials, eval-able env."""

from __future__ import annotations

import http.cookiejar
import json
import stat
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from studio_server import agitprop

from builders.paths import REPO_ROOT


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) of sockets listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as handle:
            for line in handle.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:
                    found.add(address)
    return found


def test_start_prints_url_and_how_to_export_but_never_the_key(studio):
    out = studio.start_output.stdout + studio.start_output.stderr
    assert studio.url in out
    assert "export LABEL_STUDIO_URL=" in out and "LABEL_STUDIO_API_KEY" in out
    assert studio.api_key not in out
    assert (studio.home / "admin_password").read_text().strip() not in out


def test_credentials_are_readable_by_the_user_only(studio):
    assert _mode(studio.home) == 0o700
    assert _mode(studio.home / "api_key") == 0o600
    assert _mode(studio.home / "admin_password") == 0o600
    assert len(studio.api_key) == 40


def test_server_listens_on_loopback_only(studio):
    assert _listening_addresses(studio.port) == {"0100007F"}  # 127.0.0.1, nothing else


def test_key_and_password_never_reach_the_server_log(studio):
    log = (studio.home / "server.log").read_text(encoding="utf-8", errors="replace")
    assert "Starting development server" in log
    assert studio.api_key not in log
    assert (studio.home / "admin_password").read_text().strip() not in log


def test_open_signup_is_refused(studio):
    """A well-formed sign-up (CSRF token and all, as a browser sends it) is still refused."""
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browser.open(f"{studio.url}/user/signup/", timeout=30)
    csrf = {cookie.name: cookie.value for cookie in jar}["csrftoken"]
    form = {"email": "intruder@example.org", "password": "x" * 12, "csrfmiddlewaretoken": csrf}
    request = urllib.request.Request(
        f"{studio.url}/user/signup/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": f"{studio.url}/user/signup/"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        browser.open(request, timeout=30)
    assert refused.value.code == 403
    assert b"CSRF" not in refused.value.read()
    emails = {user.email for user in studio.client().users.list()}
    assert "intruder@example.org" not in emails


def test_env_lines_work_with_eval_and_do_not_print_the_key(studio):
    done = agitprop("studio", "env", "--dir", str(studio.home))
    assert done.returncode == 0, done.stderr
    assert studio.api_key not in done.stdout
    script = (
        f'eval "$({sys.executable} -m builders studio env --dir {studio.home})" && '
        'printf "%s\\n%s\\n" "$LABEL_STUDIO_URL" "$LABEL_STUDIO_API_KEY"'
    )
    shell = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert shell.stdout.splitlines() == [studio.url, studio.api_key]


def test_status_and_a_second_start_see_the_running_server(studio):
    status = agitprop("studio", "status", "--dir", str(studio.home))
    assert status.returncode == 0 and "healthy" in status.stdout
    again = agitprop("studio", "start", "--dir", str(studio.home), "--port", str(studio.port))
    assert again.returncode == 0 and studio.url in again.stdout


def test_status_without_a_server(tmp_path):
    done = agitprop("studio", "status", "--dir", str(tmp_path))
    assert done.returncode == 3 and "not running" in done.stdout
    env = agitprop("studio", "env", "--dir", str(tmp_path))
    assert env.returncode == 1 and "agitprop studio start" in env.stderr


def test_a_stale_state_file_never_makes_stop_signal_another_program(tmp_path):
    from builders.studio.server import StudioHome

    other = subprocess.Popen(["sleep", "60"])  # holds the pid a dead server once had
    try:
        home = StudioHome(tmp_path)
        state = {"pid": other.pid, "port": 1, "url": "http://127.0.0.1:1"}
        home.state_file.write_text(json.dumps(state))
        assert home.state() is None
        assert home.stop() is False
        assert other.poll() is None  # still running: not ours, not signalled
        assert not home.state_file.exists()
    finally:
        other.kill()
        other.wait()
