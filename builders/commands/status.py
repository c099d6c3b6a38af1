"""``agitprop status``: per annotator done / remaining / skipped, overlap, agreement so far,
items waiting for adjudication — live from Label Studio."""

from __future__ import annotations

import argparse
import json
import sys

from builders.commands.review import add_project_options, titles


def register(commands) -> None:
    parser = commands.add_parser(
        "status", help="annotation progress, agreement so far, review tasks waiting (live)"
    )
    add_project_options(parser)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--logins",
        action="store_true",
        help="show Label Studio logins instead of pseudonyms (for the operator; never stored)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from builders.config import load_config
    from builders.sync.connection import StudioConnectionError, resolve_connection
    from builders.sync.status import status, status_tables

    config = load_config()
    title, review = titles(args, config)
    try:
        result = status(resolve_connection(), config, title, review, logins=args.logins)
    except (StudioConnectionError, LookupError, ValueError) as exc:
        print(f"agitprop status: {exc}", file=sys.stderr)
        return 1
    for message in result.not_counted:
        print(f"not in agreement (incomplete): {message}", file=sys.stderr)
    if args.json:
        print(json.dumps(result.to_record(), ensure_ascii=False, indent=2))
        return 0
    print(
        f"{title}: {result.articles} articles, {result.annotators_per_task} annotators per task\n"
    )
    print("\n\n".join("\n".join(table) for table in status_tables(result)))
    return 0
