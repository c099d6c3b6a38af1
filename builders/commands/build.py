"""``agitprop build``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(commands) -> None:
    parser = commands.add_parser(
        "build", help="development build of seeds/ (+ annotations/) into <out>/<name>/dev/"
    )
    parser.add_argument("--seeds", type=Path, help="folder of *.txt / *.jsonl articles")
    parser.add_argument("--annotations", type=Path, help="annotation snapshots folder")
    parser.add_argument("--out", type=Path, help="output folder (default: dist/)")
    parser.add_argument("--name", help="dataset name (default: [tool.agitprop] name)")
    parser.add_argument(
        "--version",
        dest="dataset_version",
        metavar="X.Y.Z",
        help="label the dev build X.Y.Z+dev (default: the newest release)",
    )
    parser.add_argument("--strict", action="store_true", help="fail if any input is quarantined")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from builders.build import StrictModeError, build
    from builders.config import load_config
    from builders.release.writer import ReleaseRefused

    try:
        result = build(
            load_config(),
            seeds=args.seeds,
            annotations=args.annotations,
            out=args.out,
            name=args.name,
            version=args.dataset_version,
            strict=args.strict,
            progress=not args.quiet,
        )
    except (StrictModeError, ReleaseRefused, FileNotFoundError, ValueError) as exc:
        print(f"agitprop build: {exc}", file=sys.stderr)
        return 1
    for row in result.quarantine:
        print(f"quarantined: {row.describe()}", file=sys.stderr)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"built {result.target}: {result.summary()}")
    if result.quarantine:
        print(f"quarantine report: {result.target / 'quarantine.jsonl'}")
    return 0
