"""``agitprop studio start|stop|status|env|users``: a local Label Studio for annotators."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(commands) -> None:
    parser = commands.add_parser("studio", help="run a local Label Studio server (own venv)")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--dir",
        type=Path,
        help="server folder: data, log, credentials (default: .studio/ or $AGITPROP_STUDIO_DIR)",
    )
    start = actions.add_parser(
        "start", parents=[where], help="install if needed, start on 127.0.0.1, wait until healthy"
    )
    start.add_argument("--port", type=int, default=None, help="port (default: 8089)")
    actions.add_parser("stop", parents=[where], help="stop the server")
    actions.add_parser("status", parents=[where], help="is it running and healthy?")
    actions.add_parser(
        "env",
        parents=[where],
        help='print export lines: eval "$(agitprop studio env)"',
    )
    users = actions.add_parser(
        "users", help="annotator/reviewer accounts: add NAME | list | remove NAME"
    )
    verbs = users.add_subparsers(dest="verb", required=True, metavar="VERB")
    add = verbs.add_parser(
        "add",
        parents=[where],
        help="create an account (never staff); its password goes to a 0600 file, once",
    )
    add.add_argument(
        "name", help="short name: a-z, 0-9, '-', '_' (the login is NAME@agitprop.invalid)"
    )
    add.add_argument("--role", choices=("annotator", "reviewer"), default="annotator")
    add.add_argument("--email", help="login e-mail instead of NAME@agitprop.invalid")
    add.add_argument(
        "--reset",
        action="store_true",
        help="rotate: new password (old one, sessions and tokens stop working), re-activate",
    )
    verbs.add_parser("list", parents=[where], help="name, role, login, active, project(s)")
    remove = verbs.add_parser(
        "remove", parents=[where], help="deactivate a login; their annotations stay"
    )
    remove.add_argument("name")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from builders.studio.server import DEFAULT_PORT, StudioHome, StudioServerError, healthy

    home = StudioHome(args.dir) if args.dir else StudioHome.default()
    try:
        if args.action == "users":
            from builders.commands.studio_users import run_users

            return run_users(home, args)
        if args.action == "start":
            state = home.start(port=args.port or DEFAULT_PORT)
            print(f"Label Studio is running at {state['url']} (pid {state['pid']})")
            print(f"  log in as {state['admin']}; password in {home.password_file} (mode 0600)")
            print(f"  API key in {home.api_key_file} (mode 0600); to use it in this shell:")
            print(f'  eval "$(agitprop studio env{_dir_flag(args)})"   # or:')
            for line in home.export_lines():
                print(f"  {line}")
            return 0
        if args.action == "stop":
            stopped = home.stop()
            print("stopped" if stopped else f"no server was running from {home.root}")
            return 0
        if args.action == "status":
            url = home.url()
            if url is None:
                print(f"not running (folder {home.root})")
                return 3
            state = "healthy" if healthy(url) else "not answering /health"
            print(f"running at {url}: {state}")
            return 0 if state == "healthy" else 1
        for line in home.export_lines():
            print(line)
        return 0
    except StudioServerError as exc:
        print(f"agitprop studio {args.action}: {exc}", file=sys.stderr)
        return 1


def _dir_flag(args: argparse.Namespace) -> str:
    return f" --dir {args.dir}" if args.dir else ""
