"""Semantic versions of releases and where they live: ``<out>/<name>/<X.Y.Z>/`` (and ``dev/``).

The released versions are the version folders that exist under ``<out>/<name>/`` (each with its
``manifest.json``): the output folder is the record of what was released, not a number in a file
that could disagree with it. ``--bump`` starts from the newest of them (0.0.0 when there is none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DEV_DIR = "dev"
MANIFEST = "manifest.json"
# used with fullmatch: "1.2.3\n" is not a version
SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
BUMPS = ("major", "minor", "patch")


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        match = SEMVER.fullmatch(text or "")
        if not match:
            raise ValueError(f"{text!r} is not a semantic version X.Y.Z (e.g. 1.4.0)")
        return cls(*(int(part) for part in match.groups()))

    def bump(self, part: str) -> Version:
        if part == "major":
            return Version(self.major + 1, 0, 0)
        if part == "minor":
            return Version(self.major, self.minor + 1, 0)
        if part == "patch":
            return Version(self.major, self.minor, self.patch + 1)
        raise ValueError(f"bump must be one of {', '.join(BUMPS)}, not {part!r}")

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


def released_versions(dataset_root: Path) -> list[Version]:
    """Every released version under ``<out>/<name>/``, oldest first."""
    root = Path(dataset_root)
    if not root.is_dir():
        return []
    return sorted(
        Version.parse(p.name)
        for p in root.iterdir()
        if p.is_dir() and SEMVER.fullmatch(p.name) and (p / MANIFEST).is_file()
    )


def latest_release(dataset_root: Path) -> Version | None:
    versions = released_versions(dataset_root)
    return versions[-1] if versions else None


def previous_release(dataset_root: Path, version: Version) -> Version | None:
    """The newest release older than ``version``: what its changelog is written against."""
    older = [v for v in released_versions(dataset_root) if v < version]
    return older[-1] if older else None


def next_version(dataset_root: Path, bump: str | None, explicit: str | None) -> Version:
    if (bump is None) == (explicit is None):
        raise ValueError("give exactly one of --bump major|minor|patch or --version X.Y.Z")
    if explicit is not None:
        return Version.parse(explicit)
    return (latest_release(dataset_root) or Version(0, 0, 0)).bump(bump)
