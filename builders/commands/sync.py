"""``agitprop sync push|pull``: tasks to Label Studio, submitted annotations back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(commands) -> None:
    parser = commands.add_parser(
        "sync",
        help="push tasks to Label Studio / pull annotations (LABEL_STUDIO_URL, _API_KEY)",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", help="project title (default: [tool.agitprop] name)")
    push = actions.add_parser(
        "push", parents=[common], help="create/update the project and one task per article"
    )
    push.add_argument("--seeds", type=Path, help="folder of articles (default: seeds/)")
    push.add_argument(
        "--batch-size", type=int, default=1000, help="tasks per import request (default: 1000)"
    )
    pull = actions.add_parser(
        "pull", parents=[common], help="write submitted annotations to annotations/snapshots/"
    )
    pull.add_argument("--annotations", type=Path, help="annotations folder (default: annotations/)")
    pull.add_argument(
        "--strict",
        action="store_true",
        help="fail if any region was rejected or any annotation is incomplete",
    )
    config = actions.add_parser(
        "config", help="print the labeling config generated from the taxonomy (no server needed)"
    )
    config.add_argument(
        "--write",
        action="store_true",
        help="write it to annotations/labeling_config.xml and refresh the generated sections "
        "of annotations/guidelines.*.md",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from builders.config import load_config
    from builders.sync.connection import StudioConnectionError, resolve_connection
    from builders.sync.labeling_config import LabelingConfigError

    config = load_config()
    if args.action == "config":
        return _config(config, args)
    try:
        connection = resolve_connection()
        if args.action == "push":
            return _push(connection, config, args)
        return _pull(connection, config, args)
    except (StudioConnectionError, LabelingConfigError, LookupError, ValueError) as exc:
        print(f"agitprop sync {args.action}: {exc}", file=sys.stderr)
        return 1


def _push(connection, config, args) -> int:
    from builders.sync.push import push
    from builders.sync.team import push_team, team_connections

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(
                f"\rimported {done}/{total} tasks",
                end="" if done < total else "\n",
                file=sys.stderr,
                flush=True,
            )

    options = {"seeds": args.seeds, "title": args.project, "batch_size": args.batch_size}
    if team_connections(connection):
        # an annotation team: each annotator's own project (agitprop studio users)
        results = push_team(connection, config, progress=progress, **options)
        for row in results[0][1].quarantine:
            print(f"quarantined: {row.describe()}", file=sys.stderr)
        for member, result in results:
            print(f"pushed to {member.name} ({member.organization}): {result.summary()}")
        return 0
    result = push(connection, config, progress=progress, **options)
    for row in result.quarantine:
        print(f"quarantined: {row.describe()}", file=sys.stderr)
    print(f"pushed to {connection.url}: {result.summary()}")
    return 0


def _pull(connection, config, args) -> int:
    from builders.sync.pull import pull
    from builders.sync.team import pull_team, team_connections

    team = team_connections(connection)
    gather = pull_team if team else pull
    result = gather(connection, config, annotations=args.annotations, title=args.project)
    if team:
        print(f"gathered the projects of {len(team)} annotator(s) and the admin's, if any")
    for message in result.rejected:
        print(f"REJECTED: {message}", file=sys.stderr)
    for message in result.merged:
        print(f"merged: {message}", file=sys.stderr)
    for message in result.incomplete:
        print(f"INCOMPLETE: {message}", file=sys.stderr)
    print(f"pulled from {connection.url}: {result.summary()}")
    problems = []
    if result.rejected:
        problems.append(f"{len(result.rejected)} region(s) rejected: not in the snapshots")
    if result.incomplete:
        problems.append(
            f"{len(result.incomplete)} incomplete annotation(s): kept in the snapshots, "
            "quarantined by the build"
        )
    if problems:
        print(f"agitprop sync pull: {'; '.join(problems)} (listed above)", file=sys.stderr)
        return 1 if args.strict else 0
    return 0


def _config(config, args) -> int:
    from builders.sync.guidelines import current_guidelines
    from builders.sync.labeling_config import labeling_config_path, project_labeling_config

    xml = project_labeling_config(config).xml
    if args.write:
        path = labeling_config_path(config)
        path.write_text(xml, encoding="utf-8")
        print(f"wrote {path}")
        # the guidelines' generated sections (labels, examples, keys) follow the same data
        for path, text in current_guidelines(config).items():
            if path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                print(f"wrote {path}")
    else:
        print(xml, end="")
    return 0
