"""One JSON Lines record from untrusted text: parsed, or refused with a code and a reason.

Shared by the seed reader and the annotation snapshots, so a hostile line gets the same answer
everywhere: malformed JSON, nesting too deep for the parser or the validators (which recurse),
a value that is not an object, or a string holding a lone surrogate (``"\\ud800"`` parses, but
cannot be written as UTF-8 and would crash every later step).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

# The schemas have depth 2 or 3; Python's own parser gives up with a RecursionError near 1,000.
MAX_JSON_DEPTH = 64


@dataclass(frozen=True)
class LineProblem:
    code: str
    field: str | None
    reason: str


def parse_record(raw: str) -> tuple[dict | None, LineProblem | None]:
    """The JSON object on ``raw``, or None and why it cannot be used."""
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        return None, LineProblem(
            "malformed_json", None, f"malformed JSON: {exc.msg} at column {exc.colno}"
        )
    except RecursionError:
        return None, LineProblem("too_deep", None, "JSON nested too deeply to parse")
    if json_depth(record, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        return None, LineProblem(
            "too_deep", None, f"JSON nested more than {MAX_JSON_DEPTH} levels deep"
        )
    if not isinstance(record, dict):
        return None, LineProblem(
            "wrong_type", "/", f"a record must be a JSON object, not {type(record).__name__}"
        )
    surrogate = lone_surrogate(record)
    if surrogate is not None:
        pointer, position, char = surrogate
        return None, LineProblem(
            "lone_surrogate",
            pointer,
            f"lone surrogate U+{ord(char):04X} at character {position} (not encodable as "
            "UTF-8: a broken \\u escape in the source)",
        )
    return record, None


def json_depth(value, limit: int) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 0), counted level by level without
    recursion; stops counting past ``limit``."""
    depth, level = 0, [value] if isinstance(value, (dict, list)) else []
    while level and depth <= limit:
        depth += 1
        children = []
        for item in level:
            items = item.values() if isinstance(item, dict) else item
            children.extend(child for child in items if isinstance(child, (dict, list)))
        level = children
    return depth


def lone_surrogate(record: dict) -> tuple[str, int, str] | None:
    """(JSON pointer, character index, the character) of the first lone surrogate in a string
    value or key of ``record``."""
    stack = [("", record)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return pointer or "/", exc.start, value[exc.start]
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                stack.append((f"{pointer}/{key}", item))
                stack.append((f"{pointer}/{key}", key))
        elif isinstance(value, list):
            stack.extend((f"{pointer}/{i}", item) for i, item in reversed(list(enumerate(value))))
    return None
