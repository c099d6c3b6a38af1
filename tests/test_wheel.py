"""The wheel works outside this checkout: built from the repository's own layout, installed into
a fresh virtual environment, it starts a corpus project in a folder whose path has spaces and
non-ASCII letters, builds it and validates it, and the project's generated checks (pre-commit
hooks, the CI workflow's agitprop steps) run there.

Kept fast for every CI run: the wheel is built with the installed setuptools (no build
isolation, nothing downloaded), and the fresh environment sees this environment's installed
dependencies through one ``.pth`` line placed after its own site-packages, so the ``builders``
it imports is the wheel's (asserted), while datasets, pyarrow and the rest are not reinstalled.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from builders import __version__
from builders.paths import REPO_ROOT

# what setup.py and MANIFEST.in read: the wheel is built from a copy of these, so the build
# leaves no build/ or *.egg-info behind in the checkout
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "builders", "schema")
SOURCES += ("annotations", "seeds")  # only the files setup.py ships are read


def run(command, *, env, cwd, timeout=600) -> subprocess.CompletedProcess:
    done = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A fresh venv with the wheel installed: its bin folder and a clean environment."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "snapshots")
    for name in SOURCES:
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(REPO_ROOT / name, source / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    wheels = root / "wheels"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    run([*pip_wheel, "--quiet", "--wheel-dir", str(wheels), str(source)], env=env, cwd=root)
    (wheel,) = wheels.glob("agitprop-*.whl")

    venv = root / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], env=env, cwd=root)
    python = venv / "bin" / "python"
    site = run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        env=env,
        cwd=root,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "zz_reuse_checkout_deps.pth").write_text("\n".join(sorted(ours)) + "\n")
    # --ignore-installed: the editable agitprop this environment sees is never touched
    install = [python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed"]
    run([*install, "--quiet", str(wheel)], env=env, cwd=root)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    return {"venv": venv, "env": env, "wheel": wheel}


def test_wheel_carries_the_data_and_runs_from_the_installed_package(installed, tmp_path):
    probe = (
        "import builders.paths as p, builders.schemas as s; "
        "print(p.PACKAGE_DIR, p.IN_CHECKOUT, len(s.schema_names()), "
        "all(g.is_file() for g in p.GUIDELINES.values()))"
    )
    python = installed["venv"] / "bin" / "python"
    out = run([python, "-c", probe], env=installed["env"], cwd=tmp_path).stdout.split()
    assert Path(out[0]).is_relative_to(installed["venv"])  # the wheel's code, not the checkout's
    shipped = len(list((REPO_ROOT / "schema").glob("*.schema.json")))
    assert out[1:] == ["False", str(shipped), "True"]


def test_init_then_the_projects_own_checks_in_a_folder_named_with_spaces_and_non_ascii(
    installed, tmp_path
):
    """The generated pre-commit hooks and CI steps are the build and validate runs: they must
    name commands that exist and pass on a fresh project."""
    env = installed["env"]
    home = tmp_path / "zażółć corpus"
    home.mkdir()
    run(["agitprop", "init", "my corpus"], env=env, cwd=home)
    project = home / "my corpus"

    # the pre-commit hooks, as pre-commit runs a local `language: system` hook: from the root
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [hook for repo in hooks["repos"] for hook in repo["hooks"]]
    assert {hook["language"] for hook in entries} == {"system"}
    assert [hook["entry"].split()[:2] for hook in entries] == [
        ["agitprop", "validate"],
        ["agitprop", "build"],
    ]
    for hook in entries:
        run(shlex.split(hook["entry"]), env=env, cwd=project)
    release = project / "dist" / "my-corpus" / "dev"
    manifest = (release / "manifest.json").read_text(encoding="utf-8")
    assert f'"note": "installed agitprop {__version__}"' in manifest
    assert (release / "schema" / "article.schema.json").is_file()

    # the workflow's agitprop steps (its pip step would download agitprop: checked, not run)
    workflow = yaml.safe_load(
        (project / ".github" / "workflows" / "agitprop.yml").read_text(encoding="utf-8")
    )
    steps = [s["run"] for job in workflow["jobs"].values() for s in job["steps"] if "run" in s]
    assert steps[0] == "pip install -r requirements.txt"
    pinned = (project / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1]
    assert pinned == f"agitprop=={__version__}"
    ci_env = {**env, "RUNNER_TEMP": str(tmp_path / "runner temp")}
    for script in steps[1:]:
        assert all(line.startswith("agitprop ") for line in script.strip().splitlines())
        run(["bash", "-euo", "pipefail", "-c", script], env=ci_env, cwd=project)
    assert (tmp_path / "runner temp" / "agitprop-build" / "my-corpus" / "dev").is_dir()
