"""Release the development build that was inspected, instead of building it a second time.

``agitprop build`` leaves, beside ``dev/``'s data, a hidden ``.build-state.json``: a *build key*
and what the build learnt on its pass (row counts, quarantine, detector warnings, agreement,
split summary, gold coverage, pre-label review). The key is a sha256 over everything that
decides the released rows: the input fingerprints (seeds, snapshots, rules, schemas), the
package's own source files, the Python and library versions, and the settings that shape rows
(default language, stance targets, splits, the gold minimum of annotators).
``agitprop release`` computes the key for its own inputs; when it equals the dev build's and every
dev file still matches ``dev/manifest.json``, the rows are copied from ``dev/`` and only the
version-specific files (card, changelog, manifest) are written. A release made that way is
byte-identical to one built from scratch (tested), because both are the same rows and the same
finishing code. Anything different, missing or tampered with means a full build, and the reason
is reported.
"""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
from collections import Counter
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from builders.config import ProjectConfig
from builders.cues.base import CueWarning
from builders.gold.agreement import Agreement
from builders.paths import PACKAGE_DIR
from builders.records import QuarantineRow
from builders.release.manifest import (
    BUILD_STATE,
    MANIFEST_SHA256,
    check_manifest,
    fingerprint,
    tree_files,
)
from builders.release.versions import MANIFEST

STATE = BUILD_STATE
STATE_VERSION = 2  # 2: warnings as CueWarning records (kind, article_id, offset, message)
# every library whose version can change a released byte (parsing, lemmas, hashing, encoding)
ROW_LIBRARIES = (
    "datasets",
    "datasketch",
    "fastwarc",
    "jsonschema",
    "jsonschema-rs",
    "krippendorff",
    "numpy",
    "polars",
    "py3langid",
    "pyarrow",
    "simplemma",
    "trafilatura",
)
# written per version, never copied from the dev build
PER_VERSION = (MANIFEST, MANIFEST_SHA256, "README.md", "CHANGELOG.md")


@dataclass
class BuildState:
    key: str
    counts: Counter
    quarantine: list[QuarantineRow]
    warnings: list[CueWarning]
    agreement: Agreement
    splits: dict = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)  # hidden input entries, ignored by rule
    gold: dict = field(default_factory=dict)  # gold coverage (GoldStep.coverage)
    prelabel_review: dict = field(default_factory=dict)  # builders.gold.prelabel_review
    warc: dict = field(default_factory=dict)  # WARC pages read and records skipped, by kind

    def to_record(self) -> dict:
        return {
            "state_version": STATE_VERSION,
            "key": self.key,
            "counts": dict(self.counts),
            "quarantine": [row.to_record() for row in self.quarantine],
            "warnings": [w.to_record() for w in self.warnings],
            "agreement": asdict(self.agreement),
            "splits": self.splits,
            "ignored": self.ignored,
            "gold": self.gold,
            "prelabel_review": self.prelabel_review,
            "warc": self.warc,
        }

    @classmethod
    def from_record(cls, record: dict) -> BuildState:
        return cls(
            key=record["key"],
            counts=Counter(record["counts"]),
            quarantine=[QuarantineRow(**row) for row in record["quarantine"]],
            warnings=[CueWarning.from_record(w) for w in record["warnings"]],
            agreement=Agreement(**record["agreement"]),
            splits=record["splits"],
            ignored=list(record.get("ignored", [])),
            gold=record.get("gold", {}),
            prelabel_review=record.get("prelabel_review", {}),
            warc=record.get("warc", {}),
        )


def code_fingerprint() -> str:
    """sha256 over the package's Python sources (rule data is part of the input fingerprint)."""
    return fingerprint(PACKAGE_DIR, list_files=False, pattern="*.py")["sha256"]


def build_key(config: ProjectConfig, inputs: dict) -> str:
    """The key of a build: equal keys give equal rows."""
    parts = {
        "inputs": inputs["fingerprint"],
        "code": code_fingerprint(),
        "python": platform.python_version(),
        "libraries": {name: metadata.version(name) for name in ROW_LIBRARIES},
        "settings": {
            "default_language": config.default_language,
            "stance_targets": list(config.stance_targets),
            "splits": config.extra.get("splits", {}),
            "max_article_chars": config.max_article_chars,
            "gold_min_annotators": config.gold_min_annotators,
            "detect_language": config.detect_language,
            "page_time_limit": config.page_time_limit,
            "max_page_bytes": config.max_page_bytes,
            "csv": config.extra.get("csv", {}),
        },
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def save_state(build: Path, state: BuildState) -> None:
    # key order kept: the card and manifest render these dicts in their order
    text = json.dumps(state.to_record(), ensure_ascii=False, indent=1)
    (Path(build) / STATE).write_text(text + "\n", encoding="utf-8")


def reusable_state(dev: Path, key: str) -> tuple[BuildState | None, str]:
    """The dev build's state if its rows can be released as they are, else why not."""
    path = Path(dev) / STATE
    if not path.is_file():
        return None, f"no development build in {dev}"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        state = BuildState.from_record(record)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return None, f"{path} is unreadable ({exc})"
    if record.get("state_version") != STATE_VERSION or state.key != key:
        return None, f"{dev} was built from other inputs, code, libraries or settings"
    problems = check_manifest(dev)
    if problems:
        return None, f"{dev} does not match its manifest: {problems[0].describe()}"
    return state, f"rows reused from {dev} (same inputs, code, libraries and settings)"


def copy_rows(dev: Path, staging: Path) -> None:
    """Every file of the dev build but the per-version ones, into the release's staging."""
    for source in tree_files(dev):  # hidden files (the build state) stay behind
        relative = source.relative_to(dev)
        if relative.as_posix() in PER_VERSION:
            continue
        destination = Path(staging) / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
