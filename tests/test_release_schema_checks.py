"""The fast schema check (jsonschema-rs) must accept and reject exactly what jsonschema does:
every released record goes through it, and only rejected records reach jsonschema."""

from __future__ import annotations

from conftest import read_config

from builders.release.writer import SCHEMA_OF
from builders.schemas import fast_validator, validator, violations

WRONG_VALUES = [None, 1, -1, 1.5, "", "../x", "2025-13-01", "NOT_A_LABEL", "x" * 200, [], {}]


def _mutations(record: dict):
    yield record
    for key in record:
        yield {k: v for k, v in record.items() if k != key}  # a required field missing
        for value in WRONG_VALUES:
            yield {**record, key: value}
    yield {**record, "unexpected": 1}


def test_fast_and_reference_validators_agree_on_released_records(seed_release):
    checked = rejected = 0
    for config, schema in SCHEMA_OF.items():
        for record in read_config(seed_release, config)[:3]:
            for candidate in _mutations(record):
                reference_ok = not list(validator(schema).iter_errors(candidate))
                assert fast_validator(schema).is_valid(candidate) == reference_ok, (
                    config,
                    candidate,
                )
                assert (violations(schema, candidate) == []) == reference_ok
                checked += 1
                rejected += not reference_ok
    assert rejected > checked / 2  # the mutations really do break records
