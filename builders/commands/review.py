"""``agitprop review push|pull``: disputed items to a review project, its decisions back as
adjudicated gold (Label Studio Community has no adjudication of its own)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(commands) -> None:
    parser = commands.add_parser(
        "review",
        help="adjudication: disputed items to a review project / reviewers' decisions back",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    common = argparse.ArgumentParser(add_help=False)
    add_project_options(common)
    common.add_argument(
        "--annotations", type=Path, help="annotations folder (default: annotations/)"
    )
    push = actions.add_parser(
        "push",
        parents=[common],
        help="one review task per article whose gold the rules leave undecided",
    )
    push.add_argument("--seeds", type=Path, help="folder of articles (default: seeds/)")
    actions.add_parser(
        "pull",
        parents=[common],
        help="reviewers' submitted annotations → annotations/snapshots/<review project>/",
    )
    parser.set_defaults(handler=run)


def add_project_options(parser) -> None:
    parser.add_argument(
        "--project", help="annotators' project title (default: [tool.agitprop] name)"
    )
    parser.add_argument(
        "--review-project", help="review project title (default: the project's title + '-review')"
    )


def titles(args, config) -> tuple[str, str]:
    from builders.sync.layout import review_title

    title = args.project or config.name
    return title, args.review_project or review_title(title)


def run(args: argparse.Namespace) -> int:
    from builders.config import load_config
    from builders.sync.connection import StudioConnectionError, resolve_connection
    from builders.sync.labeling_config import LabelingConfigError

    config = load_config()
    _, review = titles(args, config)
    try:
        connection = resolve_connection()
        if args.action == "push":
            return _push(connection, config, review, args)
        return _pull(connection, config, review, args)
    except (StudioConnectionError, LabelingConfigError, LookupError, ValueError) as exc:
        print(f"agitprop review {args.action}: {exc}", file=sys.stderr)
        return 1


def _push(connection, config, review: str, args) -> int:
    from builders.sync.review import push_reviews

    result = push_reviews(
        connection, config, review, seeds=args.seeds, annotations=args.annotations
    )
    for row in result.quarantine:
        print(f"quarantined: {row.describe()}", file=sys.stderr)
    for article in result.disputed:
        items = "; ".join(f"{d.kind} {d.item} ({d.reason})" for d in article.disputes)
        print(f"{article.document.article.article_id}: {items}")
    print(f"review push to {connection.url} ({review}): {result.summary()}")
    return 0


def _pull(connection, config, review: str, args) -> int:
    from builders.sync.review import pull_reviews

    folder, count, converter = pull_reviews(
        connection, config, review, annotations=args.annotations
    )
    for message in converter.rejected:
        print(f"REJECTED: {message}", file=sys.stderr)
    for message in converter.incomplete:
        print(f"INCOMPLETE: {message}", file=sys.stderr)
    print(f"review pull from {connection.url} ({review}): {count} adjudication(s) → {folder}")
    return 0
