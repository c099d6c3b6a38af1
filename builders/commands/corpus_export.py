"""``agitprop export ptc|semeval2023 RELEASE OUT``: a release's spans in a corpus's own format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(commands) -> None:
    parser = commands.add_parser(
        "export",
        help="a release's imported corpus spans → the shared task's label files (its scorers "
        "read them)",
    )
    parser.add_argument("format", choices=["ptc", "semeval2023"])
    parser.add_argument("release", type=Path, help="release folder (dist/<name>/<version>/)")
    parser.add_argument("out", type=Path, help="new folder for the label files")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from builders.corpora.export import export_corpus
    from builders.corpora.labels import CorpusError
    from builders.corpora.sources import FORMATS

    corpus = FORMATS[args.format]
    try:
        summary = export_corpus(args.release, args.out, corpus)
    except CorpusError as exc:
        print(f"agitprop export {args.format}: {exc}", file=sys.stderr)
        return 1
    print(summary.line(corpus.origin))
    return 0
