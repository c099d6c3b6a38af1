"""The corpus project is found from the current folder upward; its config is checked key by key
(an unknown key or a wrong type is one line naming it); no project is one clear line."""

from __future__ import annotations

import dataclasses

import pytest

from builders import __version__
from builders.cli import main
from builders.config import ConfigError, ProjectConfig, load_config
from builders.paths import find_config
from builders.scaffold import CONFIG


def write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_config_is_found_from_a_subfolder_and_paths_are_read_from_its_folder(tmp_path):
    config = write(tmp_path / "agitprop.toml", 'name = "found"\nseeds = "articles"\n')
    deep = tmp_path / "articles" / "2026"
    deep.mkdir(parents=True)
    assert find_config(deep) == config
    assert load_config(config).seeds == tmp_path / "articles"
    assert load_config(config).out == tmp_path / "dist"


def test_agitprop_toml_wins_and_a_foreign_pyproject_is_passed_over(tmp_path):
    outer = write(tmp_path / "pyproject.toml", '[tool.agitprop]\nname = "outer"\n')
    inner = tmp_path / "inner"
    write(inner / "pyproject.toml", '[project]\nname = "someone-else"\n')
    assert find_config(inner) == outer  # no [tool.agitprop]: not a corpus project
    own = write(inner / "agitprop.toml", 'name = "inner"\n')
    assert find_config(inner) == own
    write(inner / "pyproject.toml", '[tool.agitprop]\nname = "both"\n')
    assert find_config(inner) == own  # agitprop.toml first, as ruff.toml before pyproject


def test_no_project_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"no agitprop.toml or pyproject.toml with [tool.agitprop] in {tmp_path}" in err
    assert "agitprop init" in err


def test_validate_needs_no_project(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "seeds" / "a.txt", "Tytuł\n\nZdanie pierwsze. Zdanie drugie.\n")
    assert main(["validate", "seeds"]) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("jobz = 2\n", "agitprop.toml: unknown setting 'jobz' (the settings are: "),
        ("jobs = [2]\n", 'agitprop.toml: jobs must be "auto" or a number of processes, not [2]'),
        ('stance_targets = "Rosja"\n', "stance_targets must be a list of strings, not 'Rosja'"),
        ('detect_language = "yes"\n', "detect_language must be true or false, not 'yes'"),
        ("max_page_bytes = 1.5\n", "max_page_bytes must be an integer, not 1.5"),
        ("[splits]\ntrian = 0.8\n", "unknown setting 'splits.trian'"),
        ('[splits]\ntrain = "0.8"\n', "splits.train must be a number, not '0.8'"),
        ("gold_min_annotators = 0\n", "gold_min_annotators must be an integer ≥ 1: 0"),
        ('required_version = "==99.0"\n', "required_version is '==99.0' but this is agitprop"),
        ("name = \n", "agitprop.toml: not valid TOML"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(tmp_path, monkeypatch, capsys, text, message):
    write(tmp_path / "agitprop.toml", text)
    with pytest.raises(ConfigError, match="^" + str(tmp_path / "agitprop.toml")) as caught:
        load_config(tmp_path / "agitprop.toml")
    assert message in str(caught.value) and "\n" not in str(caught.value)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_in_a_pyproject_the_table_is_named(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.agitprop]\nnmae = 'x'\n")
    with pytest.raises(
        ConfigError, match=r"pyproject.toml: \[tool.agitprop\] unknown setting 'nmae'"
    ):
        load_config(tmp_path / "pyproject.toml")


def test_the_init_template_sets_every_setting_and_loads(tmp_path):
    config = load_config(
        write(tmp_path / "agitprop.toml", CONFIG.replace("@VERSION@", __version__))
    )
    fields = {f.name for f in dataclasses.fields(ProjectConfig)} - {"extra"}
    for name in fields:
        assert f"\n{name} = " in CONFIG, f"{name} is not in the agitprop init template"
    assert config.name == "my-corpus" and config.extra["splits"]["train"] == 0.8


def test_this_repository_is_a_project_too():
    assert load_config().name == "agitprop-news"  # tests run from the checkout's root
