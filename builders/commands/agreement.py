"""``agitprop agreement``: inter-annotator agreement of the annotation snapshots, and how the
annotators judged the pre-labels (the annotated articles of the seeds are segmented and
pre-labelled again for that, as the build does)."""

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
    parser.add_argument(
        "--seeds",
        type=Path,
        help="seeds folder, for the pre-label review (default: [tool.agitprop] seeds)",
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
    review = prelabel_review(config, taxonomy, merger, Path(args.seeds or config.seeds))
    if args.json:
        record = result.to_record()
        if review is not None:
            record["prelabel_review"] = review
        print(json.dumps(record, ensure_ascii=False, indent=2))
        return 0
    annotators = len(result.items)
    articles = len({b.article_id for b in ballots})
    print(f"{len(ballots)} annotations by {annotators} annotators of {articles} articles\n")
    print("\n\n".join("\n".join(table) for table in agreement_tables(result)))
    if review is not None:
        from builders.gold.prelabel_review import review_table

        print("\nPre-labels judged by the annotators (per detector and label):\n")
        print("\n".join(review_table(review)))
    return 0


def prelabel_review(config, taxonomy, merger, seeds: Path) -> dict | None:
    """The pre-label review over the annotated articles of ``seeds``: read, segmented and
    pre-labelled as the build does, then compared with the annotations (None without seeds)."""
    from builders.cues import CueTagger, default_detectors
    from builders.gold.prelabel_review import PrelabelReviewer
    from builders.ingest import SeedReader
    from builders.pipeline import run_pipeline
    from builders.segment import SentenceSegmenter

    if not seeds.exists():
        print(f"pre-label review: no seeds at {seeds} (give --seeds)", file=sys.stderr)
        return None
    annotated = {record["article_id"] for record in merger.records()}
    reader = SeedReader(
        [seeds],
        default_language=config.default_language,
        max_article_chars=config.max_article_chars,
    )
    detectors = default_detectors()
    reviewer = PrelabelReviewer(taxonomy, detectors)
    # only annotated articles are segmented and pre-labelled: the rest cannot be compared
    articles = (a for a in reader.run() if a.article_id in annotated)
    steps = [SentenceSegmenter(), CueTagger(detectors), merger, reviewer]
    reported = len(merger.quarantine)  # printed already
    for _ in run_pipeline(articles, steps):
        pass
    for row in merger.quarantine[reported:]:  # spans not found, articles not in the seeds
        print(f"pre-label review: {row.describe()}", file=sys.stderr)
    return reviewer.review.to_record()
