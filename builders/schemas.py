"""JSON Schemas (draft 2020-12) from ``schema/``: loading, and violations as readable rows.

Every record is checked first by ``jsonschema-rs`` (Rust; ~0.4 µs per released record here) and
only a record it rejects goes through ``jsonschema`` (pure Python; ~90 µs per record, which was
~80 % of a release's time) to produce the readable violations. Both implement draft 2020-12 with
formats checked; if they ever disagree about a rejected record, jsonschema-rs's reasons are kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from builders.jsonlines import MAX_JSON_DEPTH, json_depth
from builders.paths import SCHEMA_DIR


@dataclass(frozen=True)
class Violation:
    """One schema or invariant violation, addressable by file, record and JSON pointer."""

    file: str
    record: str
    pointer: str
    message: str

    def describe(self) -> str:
        return f"{self.file} {self.record} {self.pointer or '/'}: {self.message}"


@cache
def _registry() -> tuple[Registry, dict[str, dict]]:
    schemas = {}
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        schemas[path.name.removesuffix(".schema.json")] = contents
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources), schemas


def schema_names() -> list[str]:
    return sorted(_registry()[1])


@cache
def validator(name: str) -> Draft202012Validator:
    """A compiled validator for ``schema/<name>.schema.json`` (formats checked too)."""
    registry, schemas = _registry()
    if name not in schemas:
        raise KeyError(f"no schema named {name!r} in {SCHEMA_DIR}")
    return Draft202012Validator(schemas[name], registry=registry, format_checker=FormatChecker())


@cache
def fast_validator(name: str):
    """The same schema compiled by jsonschema-rs, with every schema registered for ``$ref``."""
    registry, schemas = _registry()
    if name not in schemas:
        raise KeyError(f"no schema named {name!r} in {SCHEMA_DIR}")
    resources = jsonschema_rs.Registry([(s["$id"], s) for s in schemas.values()])
    return jsonschema_rs.validator_for(schemas[name], registry=resources, validate_formats=True)


def pointer(path) -> str:
    return "".join(f"/{str(part).replace('~', '~0').replace('/', '~1')}" for part in path)


def violations(name: str, instance, *, file: str = "", record: str = "") -> list[Violation]:
    """Every violation of ``instance`` against schema ``name``, in a stable order."""
    if fast_validator(name).is_valid(instance):
        return []
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(map(str, e.path)))
    if not errors:
        errors = fast_validator(name).iter_errors(instance)
        return [Violation(file, record, pointer(e.instance_path), e.message) for e in errors]
    return [Violation(file, record, pointer(e.absolute_path), e.message) for e in errors]


def load_data_file(path: Path) -> dict:
    """Load a rules/data JSON file and refuse it, readably, if it breaks its declared schema."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError as exc:
        problem = Violation(str(path), "", "", "JSON nested too deeply to parse")
        raise DataFileError(path, [problem]) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(
            path, [Violation(str(path), "", "", f"unreadable JSON: {exc}")]
        ) from exc
    if json_depth(data, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        problem = Violation(str(path), "", "", f"JSON nested more than {MAX_JSON_DEPTH} levels")
        raise DataFileError(path, [problem])
    declared = data.get("$schema") if isinstance(data, dict) else None
    if not isinstance(declared, str) or not declared.endswith(".schema.json"):
        problem = Violation(
            str(path), "", "/$schema", "must name its schema, e.g. 'taxonomy.schema.json'"
        )
        raise DataFileError(path, [problem])
    found = violations(declared.removesuffix(".schema.json"), data, file=str(path))
    if found:
        raise DataFileError(path, found)
    return data


class DataFileError(ValueError):
    """A rules or data file that breaks its schema; the message lists every violation."""

    def __init__(self, path: Path, found: list[Violation]):
        self.path = path
        self.violations = found
        lines = "\n".join(f"  {v.pointer or '/'}: {v.message}" for v in found)
        super().__init__(f"{path} does not match its schema:\n{lines}")
