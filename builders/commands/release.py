"""``agitprop release``: a versioned, immutable release under ``<out>/<name>/<X.Y.Z>/``."""

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
from builders.release.versions import BUMPS


def register(commands) -> None:
    parser = commands.add_parser(
        "release",
        help="write an immutable release <out>/<name>/<X.Y.Z>/ (semantic version)",
        description="Write an immutable release. When <out>/<name>/dev/ was built from the same "
        "inputs, code, libraries and settings (and still matches its manifest), its rows are "
        "released as they are instead of being built again; the output says which.",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--bump", choices=BUMPS, help="bump the newest release in <out>/<name>/")
    which.add_argument("--version", dest="dataset_version", metavar="X.Y.Z", help="exact version")
    add_input_options(parser)
    add_run_options(parser)
    parser.add_argument(
        "--push-to-hub",
        metavar="REPO",
        help="upload the release to this Hugging Face dataset repo and tag it v<version>",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from builders.build import release
    from builders.config import load_config

    config = load_config()
    try:
        result = release(
            config,
            bump=args.bump,
            version=args.dataset_version,
            **run_arguments(args, config),
        )
    except run_errors() as exc:
        print(f"agitprop release: {describe_error(exc)}", file=sys.stderr)
        return 1
    report_inputs(result)
    print(result.reuse if result.reused else f"rows built from the inputs ({result.reuse})")
    if result.unchanged and args.bump:
        print(f"nothing changed since {result.version} ({result.target}); no release written")
    elif result.unchanged:
        print(f"{result.target} is already released with identical content; nothing written")
    else:
        against = f" (changelog against {result.previous})" if result.previous else ""
        print(f"released {result.target}{against}: {result.summary()}")
    if args.push_to_hub:
        from huggingface_hub.errors import HfHubHTTPError

        from builders.release.hub import HubTagExists, push_release

        try:
            print(f"pushed: {push_release(result.target, args.push_to_hub, result.version)}")
        except (HubTagExists, HfHubHTTPError, OSError) as exc:
            print(f"agitprop release: push to {args.push_to_hub} failed: {exc}", file=sys.stderr)
            return 1
    return 0
