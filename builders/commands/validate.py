"""``agitprop validate``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(commands) -> None:
    parser = commands.add_parser(
        "validate", help="validate seeds, annotation snapshots, data files and releases"
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from builders.validate import validate_paths

    found = validate_paths(args.paths)
    for violation in found:
        print(violation.describe())
    targets = " ".join(str(p) for p in args.paths)
    if found:
        print(f"agitprop validate: {len(found)} violation(s) in {targets}", file=sys.stderr)
        return 1
    print(f"valid: {targets}")
    return 0
