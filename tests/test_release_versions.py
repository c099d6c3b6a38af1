"""Versions: --bump from the newest release, immutable version folders, dev builds beside them."""

from __future__ import annotations

import json

import pytest
from conftest import SEEDS
from release_support import ARTICLES, release_into, tree_bytes, write_seeds

from builders.build import ReleaseExists, build
from builders.cli import main
from builders.config import load_config
from builders.release.manifest import RELEASE_SCHEMA_VERSION
from builders.release.versions import Version, latest_release, next_version


def test_version_parse_and_bump():
    assert Version.parse("1.4.2").bump("patch") == Version(1, 4, 3)
    assert Version.parse("1.4.2").bump("minor") == Version(1, 5, 0)
    assert Version.parse("1.4.2").bump("major") == Version(2, 0, 0)
    assert Version.parse("0.10.0") > Version.parse("0.9.9")
    for bad in ("1.2", "v1.2.3", "01.2.3", "1.2.3-rc1"):
        with pytest.raises(ValueError, match="not a semantic version"):
            Version.parse(bad)


def test_bump_starts_from_the_newest_release(tmp_path):
    out = tmp_path / "dist"
    seeds = write_seeds(tmp_path / "seeds", ARTICLES[:2])
    first = release_into(out, seeds, bump="minor")
    assert first.target == out / "agitprop-news" / "0.1.0"
    write_seeds(seeds, ARTICLES)
    second = release_into(out, seeds, bump="patch")
    assert second.target == out / "agitprop-news" / "0.1.1"
    assert second.previous == "0.1.0"
    assert latest_release(out / "agitprop-news") == Version(0, 1, 1)
    assert next_version(out / "agitprop-news", "major", None) == Version(1, 0, 0)
    with pytest.raises(ValueError, match="exactly one"):
        next_version(out / "agitprop-news", "major", "2.0.0")


def test_same_version_same_content_is_a_no_op(tmp_path):
    out = tmp_path / "dist"
    first = release_into(out, SEEDS, version="1.0.0")
    before = tree_bytes(first.target)
    again = release_into(out, SEEDS, version="1.0.0")
    assert again.unchanged and not first.unchanged
    assert tree_bytes(first.target) == before
    assert not list(first.target.parent.glob(".*partial"))


def test_same_version_different_content_is_refused(tmp_path):
    out = tmp_path / "dist"
    seeds = write_seeds(tmp_path / "seeds", ARTICLES[:2])
    first = release_into(out, seeds, version="1.0.0")
    before = tree_bytes(first.target)
    write_seeds(seeds, ARTICLES)
    with pytest.raises(ReleaseExists) as refused:
        release_into(out, seeds, version="1.0.0")
    assert any(name.startswith("articles/") for name in refused.value.differing)
    assert "README.md" in refused.value.differing
    assert tree_bytes(first.target) == before
    assert not list(first.target.parent.glob(".*partial"))


def test_build_writes_a_dev_build_and_never_touches_releases(tmp_path):
    out = tmp_path / "dist"
    seeds = write_seeds(tmp_path / "seeds", ARTICLES[:2])
    released = release_into(out, seeds, bump="minor")
    before = tree_bytes(released.target)
    write_seeds(seeds, ARTICLES)
    annotations = tmp_path / "no-annotations"
    dev = build(load_config(), seeds=seeds, annotations=annotations, out=out, progress=False)
    assert dev.target == out / "agitprop-news" / "dev"
    assert dev.version == "0.1.0+dev" and dev.previous == "0.1.0"
    assert "Development build **0.1.0+dev**" in (dev.target / "README.md").read_text()
    assert "against 0.1.0" in (dev.target / "CHANGELOG.md").read_text()
    assert tree_bytes(released.target) == before
    rebuilt = build(load_config(), seeds=seeds, annotations=annotations, out=out, progress=False)
    assert rebuilt.target == dev.target  # a dev build is simply replaced
    assert latest_release(out / "agitprop-news") == Version(0, 1, 0)  # dev is not a release


def test_cli_release_and_refusal(tmp_path, capsys):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES[:2])
    common = ["--seeds", str(seeds), "--out", str(tmp_path / "dist"), "--quiet"]
    common += ["--annotations", str(tmp_path / "none")]
    assert main(["release", "--bump", "major", *common]) == 0
    assert "released" in capsys.readouterr().out
    assert main(["release", "--version", "1.0.0", *common]) == 0
    assert "identical content" in capsys.readouterr().out
    write_seeds(seeds, ARTICLES)
    assert main(["release", "--version", "1.0.0", *common]) == 1
    err = capsys.readouterr().err
    assert "already released with different content" in err and "articles/" in err
    assert main(["release", "--version", "1.0", *common]) == 1
    assert "not a semantic version" in capsys.readouterr().err


def test_a_release_schema_change_needs_a_major_version(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", ARTICLES[:2])
    first = release_into(tmp_path / "dist", seeds, bump="minor").target  # 0.1.0
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["schema_version"] == RELEASE_SCHEMA_VERSION
    # pretend 0.1.0 was released with the layout before stances, annotations and splits
    manifest["schema_version"] = "1.0.0"
    (first / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match="needs a new major version"):
        release_into(tmp_path / "dist", seeds, bump="minor")
    assert release_into(tmp_path / "dist", seeds, bump="major").target.name == "1.0.0"
