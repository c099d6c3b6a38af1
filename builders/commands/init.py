"""``agitprop init DIR``: start a corpus project (builders.scaffold)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path


def register(commands) -> None:
    parser = commands.add_parser(
        "init",
        help="start a corpus project in DIR: config, seeds/, annotations/, CI and pre-commit",
    )
    parser.add_argument("directory", type=Path, metavar="DIR")
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty DIR: add the missing files, never replace one",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from builders.scaffold import FolderNotEmpty, init_project

    try:
        result = init_project(args.directory, force=args.force)
    except (FolderNotEmpty, OSError) as exc:
        print(f"agitprop init: {exc}", file=sys.stderr)
        return 1
    for path in result.kept:
        print(f"kept (already there): {path}", file=sys.stderr)
    print(f"started a corpus project in {args.directory} ({len(result.written)} files)")
    print(f"next: cd {shlex.quote(str(args.directory))} && agitprop build")
    return 0
