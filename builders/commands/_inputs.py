"""Options and reporting shared by the commands that run the pipeline (build, release)."""

from __future__ import annotations

import sys
from pathlib import Path


def add_input_options(parser) -> None:
    parser.add_argument("--seeds", type=Path, help="folder of articles, pages, archives, tables")
    parser.add_argument("--annotations", type=Path, help="annotation snapshots folder")
    parser.add_argument("--out", type=Path, help="output folder (default: dist/)")
    parser.add_argument("--name", help="dataset name (default: [tool.agitprop] name)")


def add_run_options(parser) -> None:
    parser.add_argument("--strict", action="store_true", help="fail if any input is quarantined")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--jobs",
        metavar="N",
        help="processes for segmentation, cues and page extraction: a number or 'auto' = CPUs "
        "(default: [tool.agitprop] jobs); the output is the same for any N",
    )


def jobs_option(args, config) -> int:
    """``--jobs``, else ``[tool.agitprop] jobs``, as a number of processes (ValueError if bad)."""
    from builders.parallel import resolve_jobs

    return resolve_jobs(args.jobs if args.jobs is not None else config.jobs)


def run_arguments(args, config) -> dict:
    """The keyword arguments ``build`` and ``release`` share, from the options above."""
    return {
        "seeds": args.seeds,
        "annotations": args.annotations,
        "out": args.out,
        "name": args.name,
        "strict": args.strict,
        "progress": not args.quiet,
        "jobs": jobs_option(args, config),
    }


WARNING_EXAMPLES = 3


def report_inputs(result) -> None:
    """Quarantined inputs go to stderr, one line each; hidden entries of the input folders in
    one counted line; detector warnings as a summary (:func:`warning_summary`); WARC records
    read and skipped (requests, other statuses, not HTML) in one line on stdout."""
    from builders.ingest.warc import warc_summary

    warc = warc_summary(result.warc)
    if warc:
        print(warc)
    for row in result.quarantine:
        print(f"quarantined: {row.describe()}", file=sys.stderr)
    if result.ignored:
        from builders.ingest.listing import ignored_summary

        print(ignored_summary(result.ignored), file=sys.stderr)
    if result.warnings:
        from builders.release.writer import WARNINGS

        full_list = result.target / WARNINGS if result.target is not None else None
        print(warning_summary(result.warnings, full_list), file=sys.stderr)


def warning_summary(warnings, full_list: Path | None, examples: int = WARNING_EXAMPLES) -> str:
    """Detector warnings counted by kind, the first ``examples`` of them, and where the full
    list is: a run over real text gives thousands, one line each drowned everything else."""
    from collections import Counter

    counts = Counter(w.kind for w in warnings)
    lines = [f"warning: {len(warnings)} detector warnings"]
    lines += [f"  {count} {kind}" for kind, count in counts.most_common()]
    lines.append(f"  first {min(examples, len(warnings))}:")
    lines += [f"    {w.describe()}" for w in warnings[:examples]]
    if full_list is not None:
        lines.append(f"  full list: {full_list}")
    return "\n".join(lines)


def run_errors() -> tuple[type[BaseException], ...]:
    """What build and release report as one line (exit status 1) instead of a traceback."""
    from builders.build import ReleaseExists, StrictModeError
    from builders.parallel import WorkerError
    from builders.release.lock import OutputBusy
    from builders.release.writer import ReleaseRefused

    return (
        StrictModeError,
        ReleaseRefused,
        ReleaseExists,
        OutputBusy,
        WorkerError,
        ValueError,
        OSError,  # unreadable seeds folder, read-only or full output folder, --out /dev/null
    )


def describe_error(exc: BaseException) -> str:
    """One line for an OS error (what failed, on which path, why); the message otherwise."""
    if isinstance(exc, OSError) and exc.strerror:
        from builders.ingest.listing import printable

        where = printable(exc.filename) if exc.filename else "the output"
        return f"{where}: {exc.strerror} (nothing was released)"
    return str(exc)
