"""Benchmark: story clustering (near-duplicate splits), time and peak memory at two sizes.

    .venv/bin/python benchmarks/stories.py                    # 25k and 100k articles
    .venv/bin/python benchmarks/stories.py --sizes 10000      # quicker
    .venv/bin/python benchmarks/stories.py --pool 40          # tiny vocabulary (see below)

The corpus is generated, not read: documents (article, sentences with kinds and offsets) are made
in the measuring process one at a time, so only the clusterer holds memory. The realistic corpus
has a large vocabulary (~60,000 made-up word forms, skewed draws), 8–16 body sentences an
article, a heading and a "Czytaj więcej" line per outlet, and ~5 % planted reprints of an earlier
article (own headline and link line, body sentences in place, one sometimes dropped).
``--pool N`` instead builds every body from N fixed sentences, like benchmarks/release.py's
generator, so nearly every article is one story and LSH buckets hold thousands of articles.

Each job runs in a fresh Python process that reports its wall time for ``add`` + ``finish``
(generation excluded), its peak RSS (``ru_maxrss``) and the clusters it found. The peer is the
in-memory clusterer (datasketch's ``MinHashLSH``, signatures and a union-find dict of ids) as it
was before the scratch-file version, loaded from git history (``--peer-commit``) rather than
copied here; ``generate`` alone is the floor of the process (interpreter, numpy, datasketch,
pyarrow, the generator).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER_COMMIT = "0ca3997"  # builders/gold/splits.py with the in-memory MinHashLSH clusterer
SYLLABLES = [
    "ka", "ro", "wi", "sto", "prze", "mia", "no", "dzie", "ła", "ty", "szy", "gra", "pol", "ski",
    "nie", "wo", "ja", "ma", "ry", "ce", "zu", "bo", "le", "tra", "ni", "go", "kre", "dy", "mło",
    "sa", "wą", "rze", "pa", "te", "ku", "je", "do", "ści", "mi", "ło",
]  # fmt: skip
OUTLETS = ["tvn24", "onet", "wp", "rp", "gazeta", "polsatnews"]
REPRINT_SHARE = 0.05


def vocabulary() -> list[str]:
    """~60,000 distinct made-up words of two to four syllables (deterministic)."""
    rng = random.Random(3)
    words = {
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(90_000)
    }
    return sorted(words)


class Corpus:
    """Article ``number``'s body is a function of its number alone, so a reprint regenerates
    its source instead of keeping earlier articles around."""

    def __init__(self, pool: int | None = None) -> None:
        self.words = vocabulary()
        rng = random.Random(5)
        self.pool = [self._sentence(rng) for _ in range(pool)] if pool else None

    def _sentence(self, rng: random.Random) -> str:
        count = len(self.words)
        words = [self.words[int(count * rng.random() ** 2)] for _ in range(rng.randint(8, 20))]
        return " ".join(words).capitalize() + "."

    def source_of(self, number: int) -> int | None:
        """The earlier article that ``number`` reprints, or None."""
        rng = random.Random(number * 7919 + 1)
        if number == 0 or rng.random() >= REPRINT_SHARE:
            return None
        return self.unique_before(rng.randrange(number), rng)

    def unique_before(self, number: int, rng: random.Random) -> int:
        while self.source_of(number) is not None:
            number = rng.randrange(number)
        return number

    def body(self, number: int) -> list[str]:
        rng = random.Random(number)
        if self.pool:
            return [rng.choice(self.pool) for _ in range(rng.randint(4, 8))]
        return [self._sentence(rng) for _ in range(rng.randint(8, 16))]

    def document(self, number: int):
        from builders.records import Article, Document, Sentence, sentence_id

        rng = random.Random(-number - 1)
        source = self.source_of(number)
        body = self.body(number if source is None else source)
        if source is not None and len(body) > 4 and rng.random() < 0.5:
            del body[rng.randrange(len(body))]  # the reprint drops a sentence
        outlet = rng.choice(OUTLETS)
        parts = [
            ("heading", f"Wiadomość {number} z {outlet}"),
            *(("body", sentence) for sentence in body),
            ("boilerplate", f"Czytaj więcej: https://{outlet}.pl/{number}"),
        ]
        article_id = f"st{number:07d}"
        sentences, start = [], 0
        for index, (kind, text) in enumerate(parts):
            end = start + len(text)
            sentences.append(Sentence(sentence_id(article_id, index), article_id, index, start,
                                      end, text, kind))  # fmt: skip
            start = end + 1
        text = " ".join(text for _, text in parts)
        article = Article(article_id, text, "pl", title=parts[0][1], outlet=outlet)
        return Document(article, sentences)


def peer_module() -> types.ModuleType:
    """The in-memory clusterer from git history, as a module."""
    source = subprocess.run(
        ["git", "show", f"{PEER_COMMIT}:builders/gold/splits.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    module = types.ModuleType("splits_in_memory")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{PEER_COMMIT}:builders/gold/splits.py", "exec"), module.__dict__)
    return module


def run_job(job: str, size: int, pool: int | None) -> dict:
    from builders.gold import splits

    corpus = Corpus(pool)
    if job == "generate":
        clusterer = None
    else:
        module = peer_module() if job == "in-memory" else splits
        clusterer = module.StoryClusterer(splits.SplitSettings())
    spent = 0.0
    for number in range(size):
        document = corpus.document(number)
        if clusterer is not None:
            began = time.perf_counter()
            clusterer.add(document)
            spent += time.perf_counter() - began
    stats = {}
    if clusterer is not None:
        began = time.perf_counter()
        plan = clusterer.finish()
        spent += time.perf_counter() - began
        stats = {k: plan.stats[k] for k in ("clusters", "multi_article_clusters")}
        stats["largest"] = plan.stats["largest_cluster"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"seconds": round(spent, 2), "peak_mb": round(peak_mb, 1), **stats}


def measure(job: str, size: int, pool: int | None) -> dict:
    command = [sys.executable, __file__, "--job", job, "--sizes", str(size)]
    if pool:
        command += ["--pool", str(pool)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 100_000])
    parser.add_argument("--pool", type=int, help="build bodies from this many fixed sentences")
    parser.add_argument("--job", choices=["generate", "in-memory", "scratch-files"])
    args = parser.parse_args(argv)
    if args.job:
        print(json.dumps(run_job(args.job, args.sizes[0], args.pool)))
        return 0
    print(
        "| articles | generate only: peak MB | in-memory (git) s (peak MB) "
        "| scratch files s (peak MB) | clusters in-memory / scratch | multi-article clusters |"
    )
    print("|---|---|---|---|---|---|")
    for size in args.sizes:
        base = measure("generate", size, args.pool)
        old = measure("in-memory", size, args.pool)
        new = measure("scratch-files", size, args.pool)
        print(
            f"| {size:,} | {base['peak_mb']:.0f} | {old['seconds']} ({old['peak_mb']:.0f}) "
            f"| {new['seconds']} ({new['peak_mb']:.0f}) "
            f"| {old['clusters']:,} / {new['clusters']:,} "
            f"| {old['multi_article_clusters']:,} / {new['multi_article_clusters']:,} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
