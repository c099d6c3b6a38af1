"""``manifest.json``: what a release contains and exactly what it was built from.

Everything in it is derived from content (file hashes, input fingerprints, versions, the code's
git commit), never from the clock, so the same inputs and code give the same manifest.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path, PurePosixPath

import pyarrow.parquet as pq
from pyarrow.lib import ArrowException

from builders.ingest.listing import list_inputs
from builders.paths import IN_CHECKOUT, REPO_ROOT, RULES_DIR, SCHEMA_DIR
from builders.release.features import CONFIGS
from builders.release.versions import DEV_DIR, MANIFEST
from builders.release.writer import config_files, parquet_path
from builders.schemas import Violation, violations

MANIFEST_VERSION = 1
# Version of the released record layout (columns, types, ClassLabel sets). Bump the major when a
# change breaks loaders: that is also when a release needs a major version bump.
# 2.0.0: configs stances and annotations; every config split into train/validation/test files.
# 2.1.0: stances' method gains insufficient_votes (appended); annotations gain lead_time;
#        articles gain author, extractor, source_sha256, captured (pages from HTML and WARC).
RELEASE_SCHEMA_VERSION = "2.1.0"
LIBRARIES = ("pyarrow", "polars", "datasets")
CHUNK = 1 << 20
MANIFEST_SHA256 = "manifest.sha256"  # the manifest's own checksum, in sha256sum format
SIDECAR_LINE = re.compile(rf"(?P<sha256>[0-9a-f]{{64}}) [ *]{re.escape(MANIFEST)}\n?")
BUILD_STATE = ".build-state.json"  # a development build's state (builders.release.reuse)
QUARANTINE = "quarantine.jsonl"
# in the release folder but never in its manifest: the manifest cannot list itself or its own
# checksum, and the build state is the dev build's, never copied into a release
NOT_LISTED = (MANIFEST, MANIFEST_SHA256, BUILD_STATE)


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
    """The git commit of the code, and whether the code folders had uncommitted changes; an
    installed package has no commit (git would find whatever repository the venv sits in)."""
    if not IN_CHECKOUT and repo == REPO_ROOT:
        from builders import __version__

        return {"git_commit": None, "dirty": None, "note": f"installed agitprop {__version__}"}

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
    """sha256 and size of every file a release's manifest lists: all of them, hidden ones
    included, except the manifest, its checksum and a development build's state."""
    release = Path(release)
    return {
        rel: {"sha256": file_sha256(release / rel), "bytes": (release / rel).stat().st_size}
        for rel in _files_on_disk(release)
        if rel not in NOT_LISTED
    }


def _files_on_disk(release: Path) -> list[str]:
    """Every file under ``release``, hidden ones included, as sorted relative paths."""
    return sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())


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
    gold: dict | None = None,
    prelabel_review: dict | None = None,
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
        "gold": gold or {},
        "prelabel_review": prelabel_review or {},
        "files": release_files(release),
    }


def write_manifest(release: Path, manifest: dict) -> None:
    """``manifest.json`` and its checksum, ``manifest.sha256`` in ``sha256sum`` format, so an
    edited manifest is caught (``sha256sum -c manifest.sha256`` in the release folder)."""
    data = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()
    (Path(release) / MANIFEST).write_bytes(data)
    sidecar = f"{hashlib.sha256(data).hexdigest()}  {MANIFEST}\n"
    (Path(release) / MANIFEST_SHA256).write_bytes(sidecar.encode())


def check_manifest(release: Path, rows: dict[str, int | None] | None = None) -> list[Violation]:
    """The manifest is the one written with the release and tells the truth about it: its
    checksum matches ``manifest.sha256``; it matches its schema; its name and version are the
    release's folders; its counts are the rows in the parquet files and the lines of
    ``quarantine.jsonl`` (``rows``, if the caller read them already: ``None`` for a count that
    could not be read); its git commit is not zeros; and the files on disk, hidden ones
    included, are exactly the files it lists, with their sha256 and size."""
    release = Path(release)
    path = release / MANIFEST
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [Violation(where, "", "", f"unreadable manifest: {exc}")]
    found = _check_sidecar(release, data)
    try:
        manifest = json.loads(data.decode("utf-8"))
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError both are
        return [*found, Violation(where, "", "", f"unreadable manifest: {exc}")]
    schema_problems = violations("manifest", manifest, file=where)
    if schema_problems:
        return found + schema_problems
    found += _check_identity(release, manifest, where)
    if rows is None:
        rows, unreadable = release_rows(release)
        found += unreadable
    found += _check_counts(manifest, rows, where)
    found += _check_split_articles(manifest, rows, where)
    found += _check_files(release, manifest["files"], where)
    return found


def _check_sidecar(release: Path, data: bytes) -> list[Violation]:
    sidecar = release / MANIFEST_SHA256
    where = str(sidecar)
    if not sidecar.is_file():
        return [Violation(where, "", "", "missing: the manifest cannot be verified")]
    try:
        text = sidecar.read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        return [Violation(where, "", "", f"unreadable: {exc}")]
    match = SIDECAR_LINE.fullmatch(text)
    if not match:
        return [Violation(where, "", "", f"not one line '<sha256>  {MANIFEST}' (sha256sum format)")]
    if match["sha256"] != hashlib.sha256(data).hexdigest():
        return [
            Violation(
                str(release / MANIFEST),
                "",
                "",
                f"sha256 differs from {MANIFEST_SHA256}: the manifest was edited",
            )
        ]
    return []


def _check_identity(release: Path, manifest: dict, where: str) -> list[Violation]:
    """Name and version are the folders the release sits in, ``<name>/<version>/``, and the
    commit is a real one."""
    found = []
    version, folder = manifest["version"], release.resolve().name
    if folder == DEV_DIR:
        if not version.endswith("+dev"):
            found.append(
                Violation(where, "", "/version", f"{version!r} in {DEV_DIR}/: must end in +dev")
            )
    elif version != folder:
        found.append(
            Violation(where, "", "/version", f"{version!r} is not the release folder {folder!r}")
        )
    parent = release.resolve().parent.name
    if manifest["name"] != parent:
        found.append(
            Violation(where, "", "/name", f"{manifest['name']!r} is not the folder {parent!r}")
        )
    commit = manifest["code"].get("git_commit")
    if commit is not None and not commit.strip("0"):
        found.append(Violation(where, "", "/code/git_commit", "all zeros: not a real commit"))
    return found


def release_rows(release: Path) -> tuple[dict[str, int | None], list[Violation]]:
    """Rows per config (and per ``articles/<split>``) from the parquet footers, and quarantined
    inputs from ``quarantine.jsonl``; ``None`` where a file cannot be read (reported)."""
    rows: dict[str, int | None] = {}
    found = []
    for config in CONFIGS:
        rows[config] = 0
        for file in config_files(release, config):
            try:
                number = pq.ParquetFile(file).metadata.num_rows
            except (ArrowException, OSError) as exc:
                found.append(unreadable_parquet(file, exc))
                number = None
            if config == "articles":
                rows[f"articles/{file.stem}"] = number
            rows[config] = None if rows[config] is None or number is None else rows[config] + number
    quarantine = release / QUARANTINE
    try:
        rows["quarantined"] = len(quarantine.read_text(encoding="utf-8").splitlines())
    except (OSError, ValueError):  # listed-but-missing or unreadable: reported with the files
        rows["quarantined"] = None
    return rows, found


def unreadable_parquet(file: Path, exc: BaseException) -> Violation:
    return Violation(str(file), "", "", f"unreadable parquet ({type(exc).__name__}: {exc})")


def _check_counts(manifest: dict, rows: dict, where: str) -> list[Violation]:
    found = []
    counts = manifest["counts"]
    for key in sorted(set(counts) | {*CONFIGS, "quarantined"}):
        pointer = f"/counts/{key}"
        if key not in counts:
            found.append(Violation(where, "", pointer, "missing"))
        elif key not in rows:
            found.append(Violation(where, "", pointer, "not a config of the release"))
        elif rows[key] is not None and counts[key] != rows[key]:
            what = "lines in quarantine.jsonl" if key == "quarantined" else "rows in its files"
            found.append(
                Violation(where, "", pointer, f"{counts[key]}, but there are {rows[key]} {what}")
            )
    return found


def _check_split_articles(manifest: dict, rows: dict, where: str) -> list[Violation]:
    """The split summary's articles per split are the rows of ``articles/<split>.parquet``."""
    found = []
    for split, number in sorted(manifest.get("splits", {}).get("articles", {}).items()):
        actual = rows.get(f"articles/{split}", 0)
        if actual is not None and number != actual:
            found.append(
                Violation(
                    where,
                    "",
                    f"/splits/articles/{split}",
                    f"{number}, but {parquet_path('articles', split)} holds {actual} rows",
                )
            )
    return found


def _check_files(release: Path, listed: dict, where: str) -> list[Violation]:
    """Every listed file exists with its sha256 and size; every file on disk, hidden ones
    included, is listed (but the manifest, its checksum and a dev build's state)."""
    found = []
    exempt = {MANIFEST, MANIFEST_SHA256}
    if release.resolve().name == DEV_DIR:
        exempt.add(BUILD_STATE)
    on_disk = set(_files_on_disk(release))
    for rel, entry in sorted(listed.items()):
        file = release / rel
        if rel not in on_disk:
            found.append(Violation(where, rel, "/files", "listed in the manifest but missing"))
            continue
        try:
            sha256, size = file_sha256(file), file.stat().st_size
        except OSError as exc:
            found.append(Violation(where, rel, "/files", f"unreadable: {exc}"))
            continue
        if sha256 != entry["sha256"]:
            found.append(Violation(where, rel, "/files", "sha256 differs from the manifest"))
        elif size != entry["bytes"]:
            found.append(Violation(where, rel, "/files", "size differs from the manifest"))
    for rel in sorted(on_disk - set(listed) - exempt):
        found.append(Violation(where, rel, "/files", "file not listed in the manifest"))
    # an empty folder holds no file to list, but it is not part of the release either
    folders = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_dir()}
    used = {parent.as_posix() for rel in on_disk for parent in PurePosixPath(rel).parents}
    for rel in sorted(folders - used):
        found.append(Violation(where, rel + "/", "/files", "folder not part of the release"))
    return found
