"""The CLI: build prints a closing summary and names quarantined inputs; python -m works."""

from __future__ import annotations

import subprocess
import sys

from conftest import FIXTURES, SEEDS

from builders.cli import main


def test_build_prints_summary_and_quarantine(tmp_path, capsys):
    code = main(
        [
            "build",
            "--seeds",
            str(FIXTURES / "bad" / "malformed_jsonl"),
            "--out",
            str(tmp_path),
            "--annotations",
            str(tmp_path / "none"),
            "--quiet",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "2 articles" in out and "1 quarantined" in out and "quarantine.jsonl" in out
    assert "articles.jsonl:2" in err and "malformed JSON" in err


def test_strict_build_exits_non_zero(tmp_path, capsys):
    code = main(
        [
            "build",
            "--seeds",
            str(FIXTURES / "bad" / "missing_id"),
            "--out",
            str(tmp_path),
            "--strict",
            "--quiet",
        ]
    )
    assert code == 1
    assert "missing required field 'id'" in capsys.readouterr().err


def test_python_dash_m_builders(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "builders",
            "build",
            "--seeds",
            str(SEEDS),
            "--out",
            str(tmp_path),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "1 articles" in done.stdout and "0 quarantined" in done.stdout
