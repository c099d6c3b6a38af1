"""Annotator and reviewer accounts on the local Label Studio server.

Accounts are made with Django's ORM inside Label Studio's venv (``ls_plugin/agitprop_ls/team.py``)
because Label Studio's own routes are unsafe (docs/label-studio.md). Each annotator works in an
organisation of their own; ``agitprop sync`` reaches it with that organisation's manager token.

Other code uses :func:`load_team` (who is on the team, from ``team.json``, no server needed) and
:meth:`TeamMember.manager_key`; ``builders.sync.team.team_connections`` turns them into
connections to each annotator's organisation.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from builders.studio.install import default_venv
from builders.studio.server import (
    DEFAULT_PORT,
    HOST,
    StudioHome,
    StudioServerError,
    label_studio_settings_env,
)

ROLES = ("annotator", "reviewer")
NAME = re.compile(r"[a-z][a-z0-9_-]{1,31}")  # used in file names and organisation titles
DATABASE = "label_studio.sqlite3"


@dataclass(frozen=True)
class TeamMember:
    """One annotator or reviewer, as ``team.json`` records them (no secrets)."""

    name: str
    role: str
    email: str
    active: bool
    organization_id: int | None
    organization: str | None
    manager_token_file: Path  # 0600; the token of the manager account of their organisation
    projects: tuple[dict, ...] = field(default=())

    def manager_key(self) -> str:
        """The API key that reaches this member's organisation (never print or log it)."""
        return self.manager_token_file.read_text(encoding="utf-8").strip()


def load_team(home: StudioHome) -> list[TeamMember]:
    """Every team member registered on ``home``'s server, by name; [] if there is no team."""
    registry = home.team_dir / "team.json"
    if not registry.exists():
        return []
    listed = json.loads(registry.read_text(encoding="utf-8"))["members"]
    return [_member(home, row) for row in listed]


def _member(home: StudioHome, row: dict) -> TeamMember:
    return TeamMember(
        name=row["name"],
        role=row["role"],
        email=row["email"],
        active=row["active"],
        organization_id=row["organization_id"],
        organization=row["organization"],
        manager_token_file=home.team_dir / row["manager_token_file"],
        projects=tuple(row.get("projects") or ()),
    )


def add_member(
    home: StudioHome, name: str, role: str = "annotator", email: str | None = None, reset=False
) -> tuple[TeamMember, Path]:
    """Create (or with ``reset``: re-activate with a new password) an account; returns the
    member and the 0600 file holding their login."""
    if not NAME.fullmatch(name):
        raise StudioServerError(
            f"user name {name!r}: use 2-32 characters a-z, 0-9, '-', '_', starting with a letter"
        )
    if role not in ROLES:
        raise StudioServerError(f"role {role!r}: one of {', '.join(ROLES)}")
    url = home.url() or f"http://{HOST}:{DEFAULT_PORT}"
    args = ["add", name, "--role", role, "--url", url]
    if email:
        args += ["--email", email]
    if reset:
        args.append("--reset")
    result = run_team_admin(home, args)
    return _member(home, result["member"]), Path(result["credentials_file"])


def remove_member(home: StudioHome, name: str) -> TeamMember:
    """Deactivate ``name``'s login (sessions and tokens stop working); their annotations stay."""
    return _member(home, run_team_admin(home, ["remove", name])["member"])


def list_members(home: StudioHome) -> list[TeamMember]:
    """The team as the server's database holds it now (also refreshes ``team.json``)."""
    return [_member(home, row) for row in run_team_admin(home, ["list"])["members"]]


def run_team_admin(home: StudioHome, args: list[str], venv: Path | None = None) -> dict:
    """Run ``agitprop_ls.team`` in Label Studio's venv on ``home``'s database; its JSON answer.

    Its stderr (Django's and Label Studio's chatter, never a secret) is shown only on failure.
    """
    python = (venv or default_venv()) / "bin" / "python"
    if not python.exists():
        raise StudioServerError(
            f"Label Studio is not installed ({python} missing); run `agitprop studio start` once"
        )
    if not (home.data_dir / DATABASE).exists():
        raise StudioServerError(
            f"no Label Studio database in {home.data_dir}; run `agitprop studio start` once"
        )
    env = {
        **_plain_environment(),
        **label_studio_settings_env(),
        "LABEL_STUDIO_BASE_DATA_DIR": str(home.data_dir.resolve()),
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "COLLECT_ANALYTICS": "false",
        "LATEST_VERSION_CHECK": "false",
        "LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [str(python), "-m", "agitprop_ls.team", "--team-dir", str(home.team_dir.resolve()), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=home.root,
        timeout=300,
    )
    lines = done.stdout.strip().splitlines()
    try:
        answer = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        answer = None
    if not isinstance(answer, dict):
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise StudioServerError(f"managing accounts failed (exit {done.returncode}):\n{tail}")
    if "error" in answer:
        raise StudioServerError(answer["error"])
    return answer


def _plain_environment() -> dict[str, str]:
    """This process's environment without the project's own Python settings, which must not leak
    into Label Studio's interpreter."""
    import os

    return {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "VIRTUAL_ENV")}
