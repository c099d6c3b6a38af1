"""``agitprop init DIR``: a corpus project with its config, inputs, checks; never over a user's
files. (tests/test_wheel.py runs the project's checks from an installed wheel.)"""

from __future__ import annotations

import shlex

import yaml

from builders import __version__
from builders.cli import build_parser, main
from builders.config import load_config
from builders.paths import EXAMPLE_SEEDS_DIR, GUIDELINES
from builders.sync.labeling_config import project_labeling_config

FILES = [
    ".github/workflows/agitprop.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "agitprop.toml",
    "annotations/guidelines.en.md",
    "annotations/guidelines.pl.md",
    "annotations/labeling_config.xml",
    "requirements.txt",
    "seeds/000_fa55aadce6e6f1d2.txt",
]


def tree(root) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_init_writes_a_corpus_project(tmp_path, capsys):
    project = tmp_path / "zażółć corpus"
    assert main(["init", str(project)]) == 0
    assert tree(project) == FILES
    assert "agitprop build" in capsys.readouterr().out
    config = load_config(project / "agitprop.toml")
    assert config.seeds == project / "seeds" and config.required_version == f"=={__version__}"
    xml = (project / "annotations" / "labeling_config.xml").read_text(encoding="utf-8")
    assert xml == project_labeling_config(config).xml  # its stance targets, not this repo's
    assert "Ukraina" in xml and "KRLD" not in xml
    shipped = (EXAMPLE_SEEDS_DIR / "000_fa55aadce6e6f1d2.txt").read_bytes()
    assert (project / "seeds" / "000_fa55aadce6e6f1d2.txt").read_bytes() == shipped
    for shipped in GUIDELINES.values():
        guidelines = (project / "annotations" / shipped.name).read_text(encoding="utf-8")
        # the shipped prose, with the key table made for this project's targets
        assert guidelines.split("## ")[1] == shipped.read_text(encoding="utf-8").split("## ")[1]
        assert "Ukraina" in guidelines.split("generated:keys")[1]
        assert "KRLD" not in guidelines.split("generated:keys")[1]
    ignored = (project / ".gitignore").read_text(encoding="utf-8").split()
    assert {".studio/", "dist/", ".venv"} <= set(ignored)


def test_generated_checks_parse_and_name_existing_commands_pinned_to_this_version(tmp_path):
    assert main(["init", str(tmp_path / "c")]) == 0
    project = tmp_path / "c"
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    lines = [hook["entry"] for repo in hooks["repos"] for hook in repo["hooks"]]
    workflow = yaml.safe_load(
        (project / ".github/workflows/agitprop.yml").read_text(encoding="utf-8")
    )
    for job in workflow["jobs"].values():
        lines += [ln for s in job["steps"] if "run" in s for ln in s["run"].strip().splitlines()]
    agitprop_lines = [shlex.split(line) for line in lines if line.startswith("agitprop ")]
    assert len(agitprop_lines) == 5
    for words in agitprop_lines:  # the command and its options exist (SystemExit otherwise)
        assert build_parser().parse_args(words[1:]).command == words[1]
    assert f"agitprop=={__version__}" in (project / "requirements.txt").read_text()


def test_a_non_empty_folder_is_refused_and_force_never_overwrites(tmp_path, capsys):
    project = tmp_path / "mine"
    (project / "seeds").mkdir(parents=True)
    (project / "README.md").write_text("my notes\n", encoding="utf-8")
    assert main(["init", str(project)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not empty" in err and "--force" in err
    assert tree(project) == ["README.md"]

    assert main(["init", "--force", str(project)]) == 0
    assert (project / "README.md").read_text(encoding="utf-8") == "my notes\n"
    assert tree(project) == FILES
    assert f"kept (already there): {project / 'README.md'}" in capsys.readouterr().err
