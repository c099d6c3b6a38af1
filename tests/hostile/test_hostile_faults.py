"""Faults around a build: unreadable input, an output folder that cannot be written, two runs at
once, versions that would break the release history. Each is one clear line on stderr, an exit
status and no partial release left behind; never a traceback."""

from __future__ import annotations

import fcntl
import os
import resource
import signal
import subprocess
import sys

import pytest
from conftest import SEEDS, as_corpus_project

from builders.cli import main

NAME = "agitprop-news"


def _cli(tmp_path, *args, privileged=True, preexec_fn=None) -> subprocess.CompletedProcess:
    """``python -m builders ARGS`` as a user would run it. ``privileged=False`` drops root's
    power to read and write any file (CAP_DAC_OVERRIDE), so permission bits apply as they do
    for everyone else."""
    as_corpus_project(tmp_path)
    command = [sys.executable, "-m", "builders", *args]
    if not privileged and os.geteuid() == 0:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        preexec_fn=preexec_fn,
        timeout=600,
    )


def _build_args(tmp_path, seeds=SEEDS, out=None, *more) -> list[str]:
    return [
        "build",
        "--seeds",
        str(seeds),
        "--out",
        str(out or tmp_path / "dist"),
        "--annotations",
        str(tmp_path / "none"),
        "--quiet",
        "--jobs",
        "1",
        *more,
    ]


def _one_clear_line(done: subprocess.CompletedProcess, *parts: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for part in parts:
        assert part in lines[0]


def _visible_releases(root) -> list[str]:
    """Everything under <out>/<name>/ a reader could take for a release (hidden entries and the
    lock file are not)."""
    folder = root / NAME
    return (
        sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        if folder.is_dir()
        else []
    )


def test_an_unreadable_seed_is_quarantined_and_the_rest_built(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text("Ala ma kota. Kot ma Alę.", encoding="utf-8")
    locked = seeds / "locked.txt"
    locked.write_text("Tajne.", encoding="utf-8")
    locked.chmod(0)
    done = _cli(tmp_path, *_build_args(tmp_path, seeds), privileged=False)
    assert done.returncode == 0, done.stderr
    assert "locked.txt: cannot read: Permission denied (unreadable_file)" in done.stderr
    assert "1 articles" in done.stdout and "1 quarantined" in done.stdout


def test_a_read_only_output_folder_is_one_line(tmp_path):
    out = tmp_path / "read-only"
    out.mkdir()
    out.chmod(0o555)
    done = _cli(tmp_path, *_build_args(tmp_path, out=out), privileged=False)
    _one_clear_line(done, "agitprop build:", str(out), "Permission denied")
    assert list(out.iterdir()) == []


def test_out_dev_null_is_one_line(tmp_path):
    done = _cli(tmp_path, *_build_args(tmp_path, out="/dev/null"))
    _one_clear_line(done, "agitprop build:", "/dev/null", "Not a directory")


def _small_disk() -> None:
    # files may not grow past 4 KiB: a full disk as the process sees it (EFBIG, not a signal)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_full_output_folder_is_one_line_and_leaves_no_partial_release(tmp_path):
    out = tmp_path / "dist"
    done = _cli(
        tmp_path,
        "release",
        "--version",
        "0.1.0",
        *_build_args(tmp_path)[1:],
        preexec_fn=_small_disk,
    )
    _one_clear_line(done, "agitprop release:", "File too large", "nothing was released")
    assert _visible_releases(out) == []
    assert list((out / NAME).iterdir()) == []  # no hidden staging folder either


def test_a_second_run_into_the_same_output_is_told_another_is_running(tmp_path, capsys):
    root = tmp_path / "dist" / NAME
    root.mkdir(parents=True)
    held = os.open(root, os.O_RDONLY | os.O_DIRECTORY)  # as a running build holds it
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        for command in (["build"], ["release", "--bump", "minor"]):
            code = main([*command, *_build_args(tmp_path)[1:]])
            err = capsys.readouterr().err
            assert code == 1
            assert f"another build or release is writing {root}" in err
        assert list(root.iterdir()) == []
    finally:
        os.close(held)
    assert main(["build", *_build_args(tmp_path)[1:]]) == 0  # the lock went with its holder


def test_two_builds_at_once_never_crash(tmp_path):
    as_corpus_project(tmp_path)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "builders", *_build_args(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        for _ in range(2)
    ]
    results = [(run.wait(timeout=600), *run.communicate()) for run in runs]
    assert any(code == 0 for code, _, _ in results)
    for code, _, err in results:
        assert "Traceback" not in err
        assert code == 0 or "another build or release is writing" in err
    assert _visible_releases(tmp_path / "dist") == ["dev"]


def _release(tmp_path, *args) -> int:
    return main(["release", *args, *_build_args(tmp_path)[1:]])


def test_bump_with_nothing_changed_writes_no_version(tmp_path, capsys):
    assert _release(tmp_path, "--bump", "minor") == 0
    capsys.readouterr()
    assert _release(tmp_path, "--bump", "minor") == 0
    assert "nothing changed since 0.1.0" in capsys.readouterr().out
    assert _visible_releases(tmp_path / "dist") == ["0.1.0"]


def test_a_version_older_than_the_newest_release_is_refused(tmp_path, capsys):
    assert _release(tmp_path, "--version", "0.3.0") == 0
    capsys.readouterr()
    assert _release(tmp_path, "--version", "0.0.1") == 1
    assert "0.0.1 is older than the newest release 0.3.0" in capsys.readouterr().err
    assert _release(tmp_path, "--version", "0.3.0") == 0  # the same version again: a no-op
    assert _visible_releases(tmp_path / "dist") == ["0.3.0"]


@pytest.mark.parametrize("name", ["../../evil", "a/b", "x\n", ".hidden"])
def test_a_dataset_name_that_is_not_an_id_is_refused(tmp_path, capsys, name):
    code = main(["build", *_build_args(tmp_path)[1:], "--name", name])
    assert code == 1
    assert "dataset name" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []
