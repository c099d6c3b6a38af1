"""``agitprop build``."""

from __future__ import annotations

import argparse
import sys

from builders.commands._inputs import (
    add_input_options,
    add_run_options,
    describe_error,
    report_inputs,
    run_arguments,
    run_errors,
)


def register(commands) -> None:
    parser = commands.add_parser(
        "build", help="development build of seeds/ (+ annotations/) into <out>/<name>/dev/"
    )
    add_input_options(parser)
    parser.add_argument(
        "--version",
        dest="dataset_version",
        metavar="X.Y.Z",
        help="label the dev build X.Y.Z+dev (default: the newest release)",
    )
    add_run_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from builders.build import build
    from builders.config import load_config

    config = load_config()
    try:
        result = build(
            config,
            version=args.dataset_version,
            **run_arguments(args, config),
        )
    except run_errors() as exc:
        print(f"agitprop build: {describe_error(exc)}", file=sys.stderr)
        return 1
    report_inputs(result)
    print(f"built {result.target}: {result.summary()}")
    if result.quarantine:
        print(f"quarantine report: {result.target / 'quarantine.jsonl'}")
    return 0
