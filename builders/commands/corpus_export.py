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
    parser.add_argument(
        "--spans",
        choices=["corpus", "gold", "annotation", "prelabel"],
        default="corpus",
        help="corpus (default): the imported corpus's own lines, byte for byte; gold, "
        "annotation, prelabel: the release's spans of that origin, for the shared task's scorer",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        help="the corpus folder, to map offsets of articles the build normalised (CRLF, NFC) "
        "back to the corpus files (--spans gold|annotation|prelabel)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from builders.corpora.export import export_corpus
    from builders.corpora.labels import CorpusError
    from builders.corpora.scoring import export_for_scoring
    from builders.corpora.sources import FORMATS

    corpus = FORMATS[args.format]
    try:
        if args.spans == "corpus":
            summary, unwritten = export_corpus(args.release, args.out, corpus), {}
        else:
            summary, unwritten = export_for_scoring(
                args.release, args.out, corpus, args.spans, args.corpus
            )
    except CorpusError as exc:
        print(f"agitprop export {args.format}: {exc}", file=sys.stderr)
        return 1
    print(summary.line(corpus.origin if args.spans == "corpus" else f"{args.spans} spans"))
    if unwritten:
        named = ", ".join(f"{label} {n}" for label, n in sorted(unwritten.items()))
        print(f"  not written (no technique name in this format): {named}")
    return 0
