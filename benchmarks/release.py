"""Benchmark: release a synthetic corpus; time and peak memory beside a polars-only floor.

    .venv/bin/python benchmarks/release.py                 # 25k and 100k articles
    .venv/bin/python benchmarks/release.py --sizes 10000   # quicker

Each measurement runs in a fresh Python process that reports its own wall time and peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``), so the numbers of one job never leak into the
next. The floor reads the same JSONL and writes the same three parquet files with polars alone
(naive regex sentence and quote splitting, no validation, no offsets checks): the least any
release of this input has to cost. A third job runs only ingest → segment → cues, so the cost of
the release path itself (validation, encoding, parquet, card, changelog, manifest) shows apart
from the Python segmentation and detectors. Last, ``agitprop build`` writes the development
build and a release made after it reuses its rows (``builders/release/reuse.py``): what releasing
costs when the researcher built and inspected the data first (the benchmark fails if the rows
were not reused).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUTLETS = ["tvn24", "onet", "wp", "rp", "gazeta", "polsatnews"]
SUBJECTS = [
    "Rzecznik Kremla",
    "Agencja KCNA",
    "Minister obrony",
    "Szojgu",
    "Ławrow",
    "Kim Dzong Un",
]
VERBS = ["oświadczył", "podała", "zapewnił", "stwierdził", "ogłosił"]
QUOTED = [
    "specjalna operacja wojskowa",
    "wyzwolenie terytorium Rosji",
    "wszystko idzie zgodnie z planem",
    "bezwarunkowe wsparcie",
    "denazyfikacja",
]
FILLER = [
    "Eksperci są sceptyczni wobec tych zapowiedzi.",
    "Według analityków rozmowy trwały kilka godzin.",
    "Nie wiadomo, ilu żołnierzy wróciło do domu.",
    "Sytuacja na froncie pozostaje napięta.",
    "Zachodnie rządy zapowiedziały kolejne sankcje.",
]


def synthetic_corpus(path: Path, articles: int, seed: int = 7) -> Path:
    """Deterministic Polish-like news articles: ~6 sentences, ~2 quotations each."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for number in range(articles):
            sentences = []
            for _ in range(rng.randint(4, 8)):
                if rng.random() < 0.35:
                    quote = rng.choice(QUOTED)
                    sentences.append(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)}: „{quote}”.")
                else:
                    sentences.append(rng.choice(FILLER))
            record = {
                "id": f"syn{number:07d}",
                "title": f"Wiadomość {number}",
                "outlet": rng.choice(OUTLETS),
                "published": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "text": " ".join(sentences),
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def floor_job(seeds: Path, out: Path) -> None:
    """Polars alone: read the JSONL, write articles, sentences and quote spans as parquet."""
    import polars as pl

    out.mkdir(parents=True, exist_ok=True)
    articles = pl.read_ndjson(seeds / "corpus.jsonl")
    for config in ("articles", "sentences", "spans"):
        (out / config).mkdir(exist_ok=True)
    articles.write_parquet(out / "articles" / "train.parquet", compression="zstd")
    sentences = articles.select(
        "id", pl.col("text").str.extract_all(r"[^.!?]+[.!?]").alias("sentence")
    ).explode("sentence")
    sentences.write_parquet(out / "sentences" / "train.parquet", compression="zstd")
    quotes = articles.select(
        "id", pl.col("text").str.extract_all(r"„[^”]*”").alias("quote")
    ).explode("quote")
    quotes.write_parquet(out / "spans" / "train.parquet", compression="zstd")


def release_job(seeds: Path, out: Path) -> None:
    from builders.build import release
    from builders.config import load_config

    empty = out.parent / "no-annotations"
    empty.mkdir(exist_ok=True)
    result = release(
        load_config(), version="1.0.0", seeds=seeds, annotations=empty, out=out, progress=False
    )
    return {"reused": result.reused}


def build_job(seeds: Path, out: Path) -> None:
    """``agitprop build``: the development build a researcher inspects before releasing."""
    from builders.build import build
    from builders.config import load_config

    empty = out.parent / "no-annotations"
    empty.mkdir(exist_ok=True)
    build(load_config(), seeds=seeds, annotations=empty, out=out, progress=False)


def pipeline_job(seeds: Path, out: Path) -> None:
    """The same steps as a release up to, not including, writing it: ingest, segment, cues."""
    from builders.config import load_config
    from builders.cues import CueTagger, default_detectors
    from builders.ingest import SeedReader
    from builders.pipeline import run_pipeline
    from builders.segment import SentenceSegmenter

    reader = SeedReader([seeds], default_language=load_config().default_language)
    for _ in run_pipeline(reader.run(), [SentenceSegmenter(), CueTagger(default_detectors())]):
        pass


JOBS = {
    "floor": floor_job,
    "pipeline": pipeline_job,
    "release": release_job,
    "build": build_job,
}


def measure(job: str, seeds: Path, out: Path, repeats: int, *, fresh: bool = True) -> dict:
    """Run one job in fresh interpreters; best wall time and highest peak RSS of the repeats
    (best time because the machine is shared: slower runs measure the neighbours). ``fresh``
    empties ``out`` first; without it, a release finds the development build there."""
    runs = []
    for _ in range(repeats):
        if fresh:
            shutil.rmtree(out, ignore_errors=True)
        else:
            shutil.rmtree(out / "agitprop-news" / "1.0.0", ignore_errors=True)
        command = [sys.executable, __file__, "--job", job, "--seeds", str(seeds), "--out", str(out)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {
        "seconds": min(r["seconds"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "reused": all(r.get("reused", False) for r in runs),
    }


def run_job(job: str, seeds: Path, out: Path) -> None:
    began = time.perf_counter()
    extra = JOBS[job](seeds, out) or {}
    seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1), **extra}))


def _cell(measured: dict) -> str:
    return f"{measured['seconds']} ({measured['peak_mb']:.0f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 100_000])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--job", choices=JOBS)
    parser.add_argument("--seeds", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.job:
        run_job(args.job, args.seeds, args.out)
        return 0
    print(
        "| articles | input MB | floor s (MB) | ingest+segment+cues s (MB) "
        "| release from seeds s (MB) | ÷ floor | build s (MB) | release after build s (MB) "
        "| ÷ floor |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix="agitprop-bench-"))
        try:
            seeds = work / "seeds"
            seeds.mkdir()
            corpus = synthetic_corpus(seeds / "corpus.jsonl", size)
            floor = measure("floor", seeds, work / "floor", args.repeats)
            pipeline = measure("pipeline", seeds, work / "pipeline", args.repeats)
            cold = measure("release", seeds, work / "cold", args.repeats)
            built = measure("build", seeds, work / "dist", 1)
            after = measure("release", seeds, work / "dist", args.repeats, fresh=False)
            if not after["reused"] or cold["reused"]:
                raise SystemExit("release after build did not reuse the dev build (or cold did)")
            print(
                f"| {size:,} | {corpus.stat().st_size / 1e6:.0f} | {_cell(floor)} "
                f"| {_cell(pipeline)} | {_cell(cold)} | {cold['seconds'] / floor['seconds']:.1f} "
                f"| {_cell(built)} | {_cell(after)} | {after['seconds'] / floor['seconds']:.1f} |",
                flush=True,
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
