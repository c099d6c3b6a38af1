"""``agitprop diff A B``: what changed from release A to release B."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(commands) -> None:
    parser = commands.add_parser(
        "diff", help="articles, sentences and spans (by label) added/removed/changed from A to B"
    )
    parser.add_argument("old", type=Path, metavar="A", help="release directory (older)")
    parser.add_argument("new", type=Path, metavar="B", help="release directory (newer)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from builders.release.diff import diff_releases, render_changelog
    from builders.validate import is_release_dir

    for path in (args.old, args.new):
        if not is_release_dir(path):
            print(f"agitprop diff: {path} is not a release directory", file=sys.stderr)
            return 1
    diff = diff_releases(args.old, args.new)
    print(render_changelog(diff, str(args.new), str(args.old)), end="")
    return 0
