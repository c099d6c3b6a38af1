"""Label Studio lives in its own virtual environment: it pins Django and dozens of packages that
must not meet the project's own pins in ``.venv``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from builders.paths import project_dir

LABEL_STUDIO_REQUIREMENT = "label-studio==1.23.2"


def default_venv() -> Path:
    return Path(os.environ.get("AGITPROP_STUDIO_VENV") or project_dir() / ".studio" / "venv")


def label_studio_executable(venv: Path) -> Path:
    return venv / "bin" / "label-studio"


def ensure_label_studio(venv: Path, log: Path) -> Path:
    """Install label-studio into ``venv`` unless it is already there; pip's chatter goes to ``log``.

    The marker file is written last, so an interrupted install is simply redone.
    """
    executable = label_studio_executable(venv)
    marker = venv / ".agitprop-label-studio"
    if executable.exists() and marker.exists() and marker.read_text() == LABEL_STUDIO_REQUIREMENT:
        return executable
    print(
        f">> installing {LABEL_STUDIO_REQUIREMENT} into {venv} (about a minute, once; log: {log})",
        file=sys.stderr,
        flush=True,
    )
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as out:
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(venv / "bin" / "pip"), "install", "--quiet", LABEL_STUDIO_REQUIREMENT],
        ]
        for step in steps:
            if subprocess.run(step, stdout=out, stderr=subprocess.STDOUT).returncode != 0:
                raise RuntimeError(f"installing label-studio failed: {' '.join(step)}; see {log}")
    marker.write_text(LABEL_STUDIO_REQUIREMENT)
    return executable
