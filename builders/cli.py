"""The ``agitprop`` command line (also ``python -m builders``)."""

from __future__ import annotations

import argparse
import sys

from builders import __version__
from builders.commands import COMMANDS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agitprop", description="Build annotated stance/propaganda datasets from news."
    )
    parser.add_argument("--version", action="version", version=f"agitprop {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from builders.config import ConfigError
    from builders.paths import ProjectNotFound

    try:
        return args.handler(args)
    except (ProjectNotFound, ConfigError) as exc:  # any command that reads the config
        print(f"agitprop {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
