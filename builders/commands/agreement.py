"""``agitprop agreement``: inter-annotator agreement of the annotation snapshots."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(commands) -> None:
    parser = commands.add_parser(
        "agreement",
        help="Krippendorff's alpha of sentence stance, pairwise span F1, items per annotator",
    )
    parser.add_argument(
        "--annotations",
        type=Path,
        help="annotations folder or snapshot file (default: [tool.agitprop] annotations)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from builders.annotations import AnnotationMerger
    from builders.config import load_config
    from builders.gold.agreement import agreement, agreement_tables
    from builders.gold.ballots import ballot_from_record, latest_per_annotator
    from builders.taxonomy import load_taxonomy

    config = load_config()
    folder = Path(args.annotations or config.annotations)
    if not folder.exists():
        print(f"agitprop agreement: {folder} does not exist", file=sys.stderr)
        return 1
    merger = AnnotationMerger(folder, load_taxonomy(), config.stance_targets)
    for row in merger.quarantine:
        print(f"skipped: {row.describe()}", file=sys.stderr)
    ballots = latest_per_annotator(ballot_from_record(r) for r in merger.records())
    taxonomy = load_taxonomy()
    result = agreement(ballots, list(config.stance_targets), list(taxonomy.stance_values))
    if args.json:
        print(json.dumps(result.to_record(), ensure_ascii=False, indent=2))
        return 0
    annotators = len(result.items)
    articles = len({b.article_id for b in ballots})
    print(f"{len(ballots)} annotations by {annotators} annotators of {articles} articles\n")
    print("\n\n".join("\n".join(table) for table in agreement_tables(result)))
    return 0
