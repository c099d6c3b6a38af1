"""Benchmark: release a synthetic corpus; time and peak memory beside a polars-only floor.

    .venv/bin/python benchmarks/release.py                 # 25k and 100k articles
    .venv/bin/python benchmarks/release.py --sizes 10000   # quicker
    .venv/bin/python benchmarks/release.py --sizes 25000 --repeats 1 --jobs 1 2   # by job count

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

With ``--jobs N`` segmentation and cues run in N worker processes (``builders.parallel``). Peak
memory is then the parent's peak RSS plus each worker's own peak RSS (workers report theirs), an
upper bound because pages shared copy-on-write count once per process; ``PSS`` is the highest sum
of proportional set sizes over the process tree, sampled every 0.2 s, which counts shared pages
once.
"""

from __future__ import annotations

import argparse
import json
import os
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


def varied_corpus(path: Path, articles: int) -> Path:
    """Mostly unique articles with ~5 % reprints: the large-vocabulary generator of
    ``benchmarks/stories.py`` (a heading, 8–16 body sentences, a link line), with a quotation of
    the synthetic corpus in a third of the articles. Story clustering on it is realistic, where
    the synthetic corpus makes nearly every article one story."""
    sys.path.insert(0, str(Path(__file__).parent))
    from stories import Corpus

    corpus = Corpus()
    with path.open("w", encoding="utf-8") as handle:
        for number in range(articles):
            article = corpus.document(number).article
            text = article.text
            rng = random.Random(number)
            if rng.random() < 0.35:
                quote = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)}: „{rng.choice(QUOTED)}”."
                text = f"{article.title} {quote} {text[len(article.title) + 1 :]}"
            record = {"id": article.article_id, "title": article.title, "outlet": article.outlet}
            handle.write(json.dumps({**record, "text": text}, ensure_ascii=False) + "\n")
    return path


CORPORA = {"synthetic": synthetic_corpus, "varied": varied_corpus}


def floor_job(seeds: Path, out: Path, jobs: int = 1) -> None:
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


def release_job(seeds: Path, out: Path, jobs: int) -> dict:
    return _release_or_build("release", seeds, out, jobs)


def build_job(seeds: Path, out: Path, jobs: int) -> dict:
    """``agitprop build``: the development build a researcher inspects before releasing."""
    return _release_or_build("build", seeds, out, jobs)


def _release_or_build(which: str, seeds: Path, out: Path, jobs: int) -> dict:
    import builders.build
    from builders.config import load_config
    from builders.parallel import ParallelSteps

    pools = []

    class Recorded(ParallelSteps):  # keeps the build's executor, to read its workers' peaks
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

    builders.build.ParallelSteps = Recorded
    empty = out.parent / "no-annotations"
    empty.mkdir(exist_ok=True)
    options = dict(seeds=seeds, annotations=empty, out=out, progress=False, jobs=jobs)
    if which == "release":
        result = builders.build.release(load_config(), version="1.0.0", **options)
    else:
        result = builders.build.build(load_config(), **options)
    workers = [peak for pool in pools for peak in pool.worker_peaks_kb.values()]
    return {"workers_kb": workers, "reused": result.reused}


def pipeline_job(seeds: Path, out: Path, jobs: int) -> list[int]:
    """The same steps as a release up to, not including, writing it: ingest, segment, cues."""
    from builders.config import load_config
    from builders.cues import CueTagger, default_detectors
    from builders.ingest import SeedReader
    from builders.parallel import ParallelSteps
    from builders.segment import SentenceSegmenter

    reader = SeedReader([seeds], default_language=load_config().default_language)
    steps = ParallelSteps([SentenceSegmenter(), CueTagger(default_detectors())], jobs)
    for _ in steps.run(reader.run()):
        pass
    return {"workers_kb": list(steps.worker_peaks_kb.values())}


JOBS = {
    "floor": floor_job,
    "pipeline": pipeline_job,
    "release": release_job,
    "build": build_job,
}


def measure(
    job: str, seeds: Path, out: Path, repeats: int, jobs: int = 1, *, fresh: bool = True
) -> dict:
    """Run one job in fresh interpreters; best wall time and highest peak memory of the repeats
    (best time because the machine is shared: slower runs measure the neighbours). ``fresh``
    empties ``out`` first; without it, a release finds the development build there."""
    runs = []
    for _ in range(repeats):
        if fresh:
            shutil.rmtree(out, ignore_errors=True)
        else:
            shutil.rmtree(out / "agitprop-news" / "1.0.0", ignore_errors=True)
        command = [sys.executable, __file__, "--job", job, "--seeds", str(seeds), "--out", str(out)]
        command += ["--jobs", str(jobs)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    # best time; highest memory; "reused" only if every run reused the dev build
    best = ("seconds", "reused")
    return {key: (min if key in best else max)(r[key] for r in runs) for key in runs[0]}


def _pss_kb(pid: int) -> int:
    """Proportional set size of ``pid`` plus its descendants' (Linux /proc), 0 if gone."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        own = int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")))
        tasks = Path(f"/proc/{pid}/task").iterdir()
        children = [c for t in tasks for c in (t / "children").read_text().split()]
    except (OSError, StopIteration):
        return 0
    return own + sum(_pss_kb(int(child)) for child in children)


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_job(job: str, seeds: Path, out: Path, jobs: int) -> None:
    import threading

    pss = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            pss[0] = max(pss[0], _pss_kb(os.getpid()))

    threading.Thread(target=sample, daemon=True).start()
    began = time.perf_counter()
    reported = JOBS[job](seeds, out, jobs) or {}
    workers_kb = reported.get("workers_kb", [])
    seconds = time.perf_counter() - began
    done.set()
    parent_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    workers_mb = sum(workers_kb) / 1024
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_mb": round(parent_mb + workers_mb, 1),
                "parent_mb": round(parent_mb, 1),
                "workers_mb": round(workers_mb, 1),
                "pss_mb": round(pss[0] / 1024, 1),
                "cpu_main": round(_cpu(resource.RUSAGE_SELF), 1),
                "cpu_workers": round(_cpu(resource.RUSAGE_CHILDREN), 1),  # reaped workers
                "reused": reported.get("reused", False),
            }
        )
    )


def _peak(run: dict) -> str:
    """``total`` or, with workers, ``total = parent + workers``."""
    if not run["workers_mb"]:
        return f"{run['peak_mb']:.0f}"
    return f"{run['peak_mb']:.0f} = {run['parent_mb']:.0f} + {run['workers_mb']:.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 100_000])
    parser.add_argument(
        "--corpus",
        choices=CORPORA,
        default="synthetic",
        help="synthetic: ~6 sentences from a small pool (nearly one story); varied: mostly "
        "unique articles with a large vocabulary and ~5 %% reprints",
    )
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--job", choices=JOBS)
    parser.add_argument("--seeds", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--jobs", type=int, nargs="+", default=[1], help="worker processes (1 = none); one row each"
    )
    args = parser.parse_args(argv)
    if args.job:
        run_job(args.job, args.seeds, args.out, args.jobs[0])
        return 0
    print(
        "| articles | input MB | jobs | floor s (MB) | ingest+segment+cues s (MB) "
        "| release from seeds s (MB) | PSS MB | CPU s main + workers | ÷ floor "
        "| build s (MB) | release after build s (MB) | ÷ floor |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix="agitprop-bench-"))
        try:
            seeds = work / "seeds"
            seeds.mkdir()
            corpus = CORPORA[args.corpus](seeds / "corpus.jsonl", size)
            floor = measure("floor", seeds, work / "floor", args.repeats)
            for jobs in args.jobs:
                pipeline = measure("pipeline", seeds, work / "pipeline", args.repeats, jobs)
                cold = measure("release", seeds, work / "cold", args.repeats, jobs)
                built = measure("build", seeds, work / "dist", 1, jobs)
                after = measure("release", seeds, work / "dist", args.repeats, jobs, fresh=False)
                if not after["reused"] or cold["reused"]:
                    raise SystemExit("the release after build did not reuse the dev build")
                print(
                    f"| {size:,} | {corpus.stat().st_size / 1e6:.0f} | {jobs} "
                    f"| {floor['seconds']} ({floor['peak_mb']:.0f}) "
                    f"| {pipeline['seconds']} ({_peak(pipeline)}) "
                    f"| {cold['seconds']} ({_peak(cold)}) | {cold['pss_mb']:.0f} "
                    f"| {cold['cpu_main']} + {cold['cpu_workers']} "
                    f"| {cold['seconds'] / floor['seconds']:.1f} "
                    f"| {built['seconds']} ({_peak(built)}) "
                    f"| {after['seconds']} ({_peak(after)}) "
                    f"| {after['seconds'] / floor['seconds']:.1f} |",
                    flush=True,
                )
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
