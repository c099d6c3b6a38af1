"""``manifest.json``: what a release contains and exactly what it was built from.

Everything in it is derived from content (file hashes, input fingerprints, versions, the code's
git commit), never from the clock, so the same inputs and code give the same manifest.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from builders.ingest.listing import list_inputs
from builders.paths import REPO_ROOT, RULES_DIR, SCHEMA_DIR
from builders.release.versions import MANIFEST
from builders.schemas import Violation, violations

MANIFEST_VERSION = 1
# Version of the released record layout (columns, types, ClassLabel sets). Bump the major when a
# change breaks loaders: that is also when a release needs a major version bump.
# 2.0.0: configs stances and annotations; every config split into train/validation/test files.
RELEASE_SCHEMA_VERSION = "2.0.0"
LIBRARIES = ("pyarrow", "polars", "datasets")
CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def tree_files(root: Path, pattern: str = "*") -> list[Path]:
    """Files under ``root`` matching ``pattern`` (or ``root`` itself), hidden ones skipped, in a
    stable order."""
    root = Path(root)
    if root.is_file():
        return [root]
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.rglob(pattern)
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def fingerprint(
    root: Path, *, list_files: bool, pattern: str = "*", paths: list[Path] | None = None
) -> dict:
    """sha256 over (relative path, sha256) of every file (``paths``, else the files under
    ``root``), so moving the checkout changes nothing."""
    root = Path(root)
    digest = hashlib.sha256()
    files = {}
    for path in tree_files(root, pattern) if paths is None else paths:
        rel = path.name if path == root else path.relative_to(root).as_posix()
        try:
            sha = file_sha256(path)
        except OSError as exc:  # the reader quarantines it; the fingerprint still names it
            sha = f"unreadable: {exc.strerror}"
        digest.update(f"{rel}\0{sha}\n".encode())
        files[rel] = sha
    entry = {"files": len(files), "sha256": digest.hexdigest()}
    if list_files:
        entry["by_file"] = files
    return entry


def code_revision(repo: Path = REPO_ROOT) -> dict:
    """The git commit of the code, and whether the code folders had uncommitted changes."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "--verify", "HEAD")
        dirty = bool(git("status", "--porcelain", "--", "builders", "schema", "pyproject.toml"))
    except (OSError, subprocess.CalledProcessError):
        return {"git_commit": None, "dirty": None, "note": "not a git checkout"}
    return {"git_commit": commit, "dirty": dirty}


def library_versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in LIBRARIES}


def _readable_inputs(root: Path) -> list[Path]:
    """The files the readers would read under ``root``: symlinks out of it, special files and
    undecodable names are not (they are quarantined by the readers), so they are not hashed."""
    return [path for path, _ in list_inputs([root]).files] if Path(root).exists() else []


def input_fingerprints(seeds: Path, annotations: Path | None) -> dict:
    inputs = {
        "seeds": fingerprint(seeds, list_files=False, paths=_readable_inputs(seeds)),
        "annotations": fingerprint(
            annotations, list_files=True, paths=_readable_inputs(annotations)
        )
        if annotations is not None
        else {"files": 0, "sha256": hashlib.sha256(b"").hexdigest(), "by_file": {}},
        # lexicons, segmentation rules, actor lists, taxonomy: everything under builders/rules
        "rules": fingerprint(RULES_DIR, list_files=True),
        "schemas": fingerprint(SCHEMA_DIR, list_files=False),
    }
    combined = hashlib.sha256(
        "".join(f"{key}\0{inputs[key]['sha256']}\n" for key in sorted(inputs)).encode()
    )
    return {"fingerprint": combined.hexdigest(), **inputs}


def release_files(release: Path) -> dict[str, dict]:
    """sha256 and size of every file in a release except the manifest itself."""
    return {
        path.relative_to(release).as_posix(): {
            "sha256": file_sha256(path),
            "bytes": path.stat().st_size,
        }
        for path in tree_files(release)
        if path.relative_to(release).as_posix() != MANIFEST
    }


def make_manifest(
    release: Path,
    *,
    name: str,
    version: str,
    taxonomy_version: str,
    detectors: Iterable,
    inputs: dict,
    counts: dict,
    previous: str | None,
    agreement: dict | None = None,
    splits: dict | None = None,
) -> dict:
    return {
        "$schema": "manifest.schema.json",
        "manifest_version": MANIFEST_VERSION,
        "name": name,
        "version": version,
        "previous_version": previous,
        "schema_version": RELEASE_SCHEMA_VERSION,
        "taxonomy_version": taxonomy_version,
        "detectors": {d.name: d.version for d in sorted(detectors, key=lambda d: d.name)},
        "code": {**code_revision(), "libraries": library_versions()},
        "inputs": inputs,
        "counts": dict(sorted(counts.items())),
        "agreement": agreement or {},
        "splits": splits or {},
        "files": release_files(release),
    }


def write_manifest(release: Path, manifest: dict) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False)
    (Path(release) / MANIFEST).write_text(text + "\n", encoding="utf-8")


def check_manifest(release: Path) -> list[Violation]:
    """The manifest matches its schema and every file of the release matches its checksum."""
    path = Path(release) / MANIFEST
    where = str(path)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [Violation(where, "", "", f"unreadable manifest: {exc}")]
    found = violations("manifest", manifest, file=where)
    if found:
        return found
    actual = release_files(Path(release))
    for rel, entry in sorted(manifest["files"].items()):
        if rel not in actual:
            found.append(Violation(where, rel, "/files", "listed in the manifest but missing"))
        elif actual[rel]["sha256"] != entry["sha256"]:
            found.append(Violation(where, rel, "/files", "sha256 differs from the manifest"))
    for rel in sorted(set(actual) - set(manifest["files"])):
        found.append(Violation(where, rel, "/files", "file not listed in the manifest"))
    return found
