"""The ``agitprop`` command line (also ``python -m builders``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builders import __version__
from builders.config import load_config


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agitprop", description=__doc__)
    parser.add_argument("--version", action="version", version=f"agitprop {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build", help="build the dataset from seeds/ (+ annotations/) into dist/"
    )
    build.add_argument(
        "--seeds", type=Path, help="folder of *.txt / *.jsonl articles (default: seeds/)"
    )
    build.add_argument(
        "--annotations", type=Path, help="annotation snapshots folder (default: annotations/)"
    )
    build.add_argument("--out", type=Path, help="output folder (default: dist/)")
    build.add_argument("--name", help="dataset name (default: [tool.agitprop] name)")
    build.add_argument(
        "--version",
        dest="dataset_version",
        metavar="X.Y.Z",
        help="dataset version (default: [tool.agitprop] version)",
    )
    build.add_argument("--strict", action="store_true", help="fail if any input is quarantined")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.set_defaults(handler=_cmd_build)

    validate = commands.add_parser(
        "validate", help="validate seeds, annotation snapshots, data files, releases"
    )
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.set_defaults(handler=_cmd_validate)
    return parser


def _cmd_build(args: argparse.Namespace) -> int:
    from builders.build import StrictModeError, build
    from builders.release.writer import ReleaseRefused

    config = load_config()
    try:
        result = build(
            config,
            seeds=args.seeds,
            annotations=args.annotations,
            out=args.out,
            name=args.name,
            version=args.dataset_version,
            strict=args.strict,
            progress=not args.quiet,
        )
    except (StrictModeError, ReleaseRefused, FileNotFoundError) as exc:
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


def _cmd_validate(args: argparse.Namespace) -> int:
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


def main(argv: list[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
