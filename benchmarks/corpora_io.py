"""Import and export of a generated PTC-sized corpus (SemEval-2020 task 11 layout).

PTC's training split has 371 articles and ~7k technique spans (plus the span-only SI file); the
corpus here is generated in that shape (tests/corpora_synthetic.py; PTC may not be
redistributed), with ~40-line articles, CRLF and Polish text in some. Times ``agitprop import
ptc``, the release build in between (for scale), and ``agitprop export ptc``, and checks the
round trip byte for byte. Run: ``python benchmarks/corpora_io.py [articles] [--jobs N]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from builders.build import release
from builders.config import load_config
from builders.corpora.export import export_corpus
from builders.corpora.ptc import FORMAT
from builders.corpora.sources import import_source


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("article*.labels")}


TESTS = Path(__file__).resolve().parent.parent / "tests"


def main(articles: int = 371, jobs: int = 1) -> None:
    sys.path.insert(0, str(TESTS))
    from corpora_synthetic import write_ptc

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = write_ptc(tmp / "ptc", articles=articles, lines_between=(30, 50))
        tc = sum(
            p.read_text("utf-8").count("\n") for p in corpus.glob("train-labels-task-flc-tc/*")
        )
        si = sum(p.read_text("utf-8").count("\n") for p in corpus.glob("train-labels-task-si/*"))
        size = sum(p.stat().st_size for p in corpus.rglob("*.txt"))
        print(f"corpus: {articles} train articles ({size / 1e6:.1f} MB), {tc} TC + {si} SI lines")

        began = time.perf_counter()
        summary = import_source("ptc", corpus, seeds=tmp / "seeds", annotations=tmp / "ann")
        imported = time.perf_counter() - began
        print(f"import:  {imported:6.2f} s  ({summary.articles} articles, "
              f"{sum(summary.labels.values())} spans)")  # fmt: skip

        began = time.perf_counter()
        result = release(
            load_config(), version="1.0.0", seeds=tmp / "seeds", annotations=tmp / "ann",
            out=tmp / "dist", progress=False, jobs=jobs,
        )  # fmt: skip
        built = time.perf_counter() - began
        print(f"release: {built:6.2f} s  ({result.summary()}; --jobs {jobs})")

        began = time.perf_counter()
        exported = export_corpus(result.target, tmp / "out", FORMAT)
        seconds = time.perf_counter() - began
        print(f"export:  {seconds:6.2f} s  ({exported.files} files, {exported.lines} lines)")
        same = files(corpus) == files(tmp / "out")
        print(f"round trip byte-identical: {same}")
        if not same:
            raise SystemExit(1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=int, nargs="?", default=371)
    parser.add_argument("--jobs", type=int, default=1)
    options = parser.parse_args()
    main(options.articles, options.jobs)
