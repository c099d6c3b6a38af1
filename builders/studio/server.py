"""Start, stop and inspect a project-local Label Studio server.

Everything lives in one folder (``.studio/`` by default, gitignored): the server's data, its log,
``server.json`` (pid, port, URL) and two files only the user can read: ``api_key`` and
``admin_password``. Credentials are generated on first start and handed to Label Studio through
environment variables, never on its command line (``ps`` shows command lines to every user).
The server runs with ``agitprop_ls.settings`` (``ls_plugin/``): Label Studio's settings plus
roles for annotator accounts (``team/``, made by ``agitprop studio users``; see team.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from builders.paths import project_dir
from builders.studio.install import default_venv, ensure_label_studio

ADMIN_EMAIL = "admin@agitprop.invalid"
DEFAULT_PORT = 8089
HOST = "127.0.0.1"  # never another interface: the server holds unreleased annotations
# seconds; a first start runs the migrations, which took over 240 s on a loaded 2-core machine;
# AGITPROP_STUDIO_START_TIMEOUT overrides
START_TIMEOUT = 600.0
LS_PLUGIN = Path(__file__).parent / "ls_plugin"  # imported by the Label Studio process


class StudioServerError(RuntimeError):
    """The server could not be started, found or stopped; the message says why."""


def default_home() -> Path:
    return Path(os.environ.get("AGITPROP_STUDIO_DIR") or project_dir() / ".studio")


def write_private(path: Path, text: str) -> None:
    """Create ``path`` readable and writable by its owner only (0600) before writing a secret."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def _pid_alive(pid: int) -> bool:
    """True if ``pid`` is a live label-studio process.

    The command line is checked so that a stale ``server.json`` whose pid the system has since
    given to another program never makes ``stop`` signal that program.
    """
    try:
        if b"label-studio" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return False
    except FileNotFoundError:
        return False
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (our own child that exited) still answers kill(0); look at its state.
    try:
        status = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1]
        return not status.startswith("Z")
    except (OSError, IndexError):
        return True


def label_studio_settings_env() -> dict[str, str]:
    """Environment that makes a Label Studio process load ``agitprop_ls.settings``: Label
    Studio's settings plus agitprop's roles (annotators and reviewers may only label)."""
    path = os.environ.get("PYTHONPATH")
    return {
        # Label Studio sends server errors and every browser's front-end errors (page addresses
        # included) to its Sentry project unless these are empty: nothing leaves the machine
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "DJANGO_SETTINGS_MODULE": "agitprop_ls.settings",
        "PYTHONPATH": os.pathsep.join([str(LS_PLUGIN), *([path] if path else [])]),
    }


def start_timeout() -> float:
    """How long ``start`` waits for /health: first starts run migrations, which took over
    240 s on a 2-core machine shared with other work."""
    value = os.environ.get("AGITPROP_STUDIO_START_TIMEOUT")
    return float(value) if value else START_TIMEOUT


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@dataclass(frozen=True)
class StudioHome:
    """The folder holding one local server's data, credentials and state."""

    root: Path

    @classmethod
    def default(cls) -> StudioHome:
        return cls(default_home())

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def api_key_file(self) -> Path:
        return self.root / "api_key"

    @property
    def password_file(self) -> Path:
        return self.root / "admin_password"

    @property
    def state_file(self) -> Path:
        return self.root / "server.json"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    @property
    def team_dir(self) -> Path:
        """Annotator accounts: ``team.json`` (no secrets) and 0600 credential/token files."""
        return self.root / "team"

    # -- state ---------------------------------------------------------------------------------

    def state(self) -> dict | None:
        """``server.json`` if the process it names is still alive, else None."""
        if not self.state_file.exists():
            return None
        state = json.loads(self.state_file.read_text(encoding="utf-8"))
        return state if _pid_alive(state["pid"]) else None

    def url(self) -> str | None:
        state = self.state()
        return state["url"] if state else None

    def api_key(self) -> str:
        return self.api_key_file.read_text(encoding="utf-8").strip()

    def _credentials(self) -> tuple[str, str]:
        """(password, api key), generated once per data folder."""
        if not self.api_key_file.exists() or not self.password_file.exists():
            # DRF tokens are 40 characters; Label Studio applies the given token to the admin.
            write_private(self.api_key_file, secrets.token_hex(20) + "\n")
            write_private(self.password_file, secrets.token_urlsafe(18) + "\n")
        password = self.password_file.read_text(encoding="utf-8").strip()
        return password, self.api_key()

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self, port: int = DEFAULT_PORT, venv: Path | None = None) -> dict:
        """Start the server (installing it first if needed) and wait until it is healthy."""
        running = self.state()
        if running:
            if running["port"] != port:
                raise StudioServerError(
                    f"a server from {self.root} is already running at {running['url']}; "
                    "stop it first (agitprop studio stop)"
                )
            return running
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        executable = ensure_label_studio(venv or default_venv(), self.root / "install.log")
        password, api_key = self._credentials()
        url = f"http://{HOST}:{port}"
        if healthy(url, timeout=1.0):
            raise StudioServerError(f"port {port} is taken: {url}/health already answers")
        env = {
            **os.environ,
            "LABEL_STUDIO_BASE_DATA_DIR": str(self.data_dir.resolve()),
            "LABEL_STUDIO_USERNAME": ADMIN_EMAIL,
            "LABEL_STUDIO_PASSWORD": password,
            "LABEL_STUDIO_USER_TOKEN": api_key,
            # New organisations refuse legacy tokens unless this is on (see DESIGN field notes).
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
            "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
            "COLLECT_ANALYTICS": "false",
            "LATEST_VERSION_CHECK": "false",  # no call to pypi.org on every start
            "PYTHONUNBUFFERED": "1",
            **label_studio_settings_env(),  # agitprop's roles (builders/studio/ls_plugin/)
        }
        command = [
            str(executable),
            "start",
            "--no-browser",
            "--internal-host",
            HOST,
            "--port",
            str(port),
            "--data-dir",
            str(self.data_dir.resolve()),
            "--enable-legacy-api-token",
            "--log-level",
            "WARNING",
        ]
        with self.log_file.open("a", encoding="utf-8") as log:
            process = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() ends it and its children
                cwd=self.root,
            )
        state = {"pid": process.pid, "port": port, "url": url, "admin": ADMIN_EMAIL}
        self.state_file.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
        self._wait_healthy(process, url)
        return state

    def _wait_healthy(self, process: subprocess.Popen, url: str) -> None:
        deadline = time.monotonic() + start_timeout()
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.state_file.unlink(missing_ok=True)
                raise StudioServerError(
                    f"label-studio exited with code {process.returncode} while starting; "
                    f"last lines of {self.log_file}:\n{self.log_tail()}"
                )
            if healthy(url):
                return
            time.sleep(0.5)
        self.stop()
        raise StudioServerError(
            f"label-studio did not answer {url}/health within {start_timeout():.0f} s; "
            f"see {self.log_file}:\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 15) -> str:
        if not self.log_file.exists():
            return "(no log)"
        text = self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop the server; True if one was running."""
        if not self.state_file.exists():
            return False
        state = json.loads(self.state_file.read_text(encoding="utf-8"))
        pid = state["pid"]
        was_running = _pid_alive(pid)
        if was_running:
            self._signal_group(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if _pid_alive(pid):
                self._signal_group(pid, signal.SIGKILL)
        self.state_file.unlink(missing_ok=True)
        return was_running

    @staticmethod
    def _signal_group(pid: int, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)

    def export_lines(self) -> list[str]:
        """Shell lines that point LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY at the running server.

        The key is read from its 0600 file by the shell at ``eval`` time, so these lines can be
        shown or logged without disclosing it.
        """
        url = self.url()
        if url is None:
            raise StudioServerError(
                f"no Label Studio server is running from {self.root}; start one with "
                "`agitprop studio start`"
            )
        key_file = str(self.api_key_file.resolve()).replace("'", "'\\''")
        return [
            f"export LABEL_STUDIO_URL={url}",
            f"export LABEL_STUDIO_API_KEY=\"$(cat '{key_file}')\"",
        ]
