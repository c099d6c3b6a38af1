"""``agitprop import ptc|semeval2023|labelstudio``: a public corpus into seeds and snapshots."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SOURCES = {
    "ptc": "SemEval-2020 task 11 (PTC v2) folder: <split>-articles/ + <split>-labels-task-*/",
    "semeval2023": "SemEval-2023 task 3 data folder: <lang>/<split>-articles-subtask-N/ + labels",
    "labelstudio": "Label Studio JSON export (a list of tasks with annotations)",
}


def register(commands) -> None:
    parser = commands.add_parser(
        "import", help="a public annotated corpus → seeds/ + annotations/snapshots/<corpus>/"
    )
    sources = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
    for name, help_text in SOURCES.items():
        source = sources.add_parser(name, help=help_text)
        source.add_argument("path", type=Path, metavar="FILE" if name == "labelstudio" else "DIR")
        source.add_argument("--seeds", type=Path, help="seeds folder (default: [tool.agitprop])")
        source.add_argument(
            "--annotations", type=Path, help="annotations folder (default: [tool.agitprop])"
        )
        source.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from builders.config import load_config
    from builders.corpora.labels import CorpusError
    from builders.corpora.sources import import_source

    config = load_config()
    try:
        summary = import_source(
            args.source,
            args.path,
            seeds=args.seeds or config.seeds,
            annotations=args.annotations or config.annotations,
        )
    except CorpusError as exc:
        print(f"agitprop import {args.source}: {exc} (nothing was written)", file=sys.stderr)
        return 1
    print("\n".join(summary.lines()))
    return 0
