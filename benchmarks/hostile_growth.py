"""How the per-article pipeline's time grows on hostile text: time at n, 2n and 4n characters.

    .venv/bin/python benchmarks/hostile_growth.py                  # every shape, default sizes
    .venv/bin/python benchmarks/hostile_growth.py --shape quotes   # one shape
    .venv/bin/python benchmarks/hostile_growth.py --scale 4        # n four times the default

The pipeline is what a build runs on one article: ``SentenceSegmenter`` then ``CueTagger`` with
``default_detectors()``. Each shape is one pathological article made by repeating a unit until
it has n characters. Linear work doubles from n to 2n; quadratic work quadruples, so the ratio
column says which it is. Times are the minimum of ``--repeat`` runs (CPU time, one process);
the lemma cache is warm after the first run, as in a build. ``tests/hostile/test_linear_time.py``
asserts the ratios on the same shapes; the timings themselves live here, not in tests.
"""

from __future__ import annotations

import argparse
import time
from itertools import islice, product
from string import ascii_lowercase

from builders.cues import CueTagger, default_detectors
from builders.cues.attribution import _ACTOR_OF_SPEAKER
from builders.records import Article
from builders.segment import SentenceSegmenter

# name → (repeated unit, default n in characters). One line unless the unit holds "\n".
SHAPES: dict[str, tuple[str, int]] = {
    # one line without punctuation: every quote looks for its speaker in the same sentence
    "quotes": (
        "według rosyjskich mediów Szojgu powiedział „wojna trwa nadal” a rzecznik Kremla "
        "Dmitrij Pieskow dodał „nie ma zgody na rozmowy” i agencja TASS podała „koniec” ",
        200_000,
    ),
    # every cut after "tys." is dropped: one sentence of n characters
    "tys": ("tys. Ala ", 300_000),
    # opening marks never closed and closing marks that close none of them
    "unbalanced quotes": ("słowo „otwarte i «dalej » bez ” końca ‚nic › ", 150_000),
    # deep nesting: every quote holds all the quotes opened after it. Its output is quadratic
    # (n/2 QUOTE spans, each carrying its text), so it is timed here but not in the tests
    "nested quotes": ("„", 20_000),
    "abbreviations": (
        "np. prof. Kowalski i dr Nowak z ul. Długiej m.in. 5 proc. ok. 3 tys. w 2014 r. "
        "Rosja tzw. reżim itd. ",
        300_000,
    ),
    "newlines": ("Wojna trwa\nKorea wyśle saperów. Rosja „dziękuje”.\n\n", 250_000),
    "read more": (
        "Rosja atakuje.Czytaj więcej: Skutki wsparcia Rosji. Ponad połowa stracona "
        "Zobacz też: Galeria zdjęć z frontu. Ukraina się broni i walczy dalej. ",
        500_000,
    ),
    # a new speaker in every attribution, and the actor named in each ("Putin") everywhere
    "speakers": ("", 150_000),
    "long words": ("a" * 5_000 + "„" + "b" * 5_000 + "” ", 4_000_000),
    # a sentence cut with no space after it, everywhere; and next to "@" (e-mail or URL checks)
    "fused cuts": ("a.B", 150_000),
    "fused cuts around @": ("@ab.Cd", 150_000),
    # a fused heading candidate in every line
    "headings": ("Ogromne straty wśród żołnierzy Nowy kontyngent.\n", 150_000),
}


def article(shape: str, size: int) -> Article:
    unit, _ = SHAPES[shape]
    if shape == "nested quotes":  # n/2 opening marks, then as many closing ones
        text = "„" * (size // 2) + "”" * (size // 2)
    elif shape == "speakers":
        text = "".join(
            f"minister Ko{''.join(letters)} Putin powiedział „wojna trwa” i Szojgu dodał "
            for letters in islice(product(ascii_lowercase, repeat=4), size // 50 + 1)
        )[:size]
    else:
        text = (unit * (size // len(unit) + 1))[:size]
    return Article(f"hostile-{size}", text, "pl")


def run_pipeline(article: Article) -> float:
    """CPU seconds to segment and tag one article, the way a build does (CPU time, so that
    other work on a shared machine counts less)."""
    _ACTOR_OF_SPEAKER.clear()  # speakers are memoised per process: every run starts cold
    started = time.process_time()
    (document,) = CueTagger(default_detectors()).run(SentenceSegmenter().run([article]))
    elapsed = time.process_time() - started
    assert all(article.text[s.start : s.end] == s.text for s in document.sentences)
    return elapsed


def best_time(shape: str, size: int, repeat: int) -> float:
    text = article(shape, size)
    return min(run_pipeline(text) for _ in range(repeat))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=list(SHAPES), action="append")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every default n")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    run_pipeline(Article("warm-up", "Rosja atakuje. Ukraina się broni.", "pl"))
    print(f"{'shape':18} {'n':>9} {'t(n) s':>8} {'t(2n) s':>8} {'t(4n) s':>8}  2n/n  4n/2n")
    for shape in args.shape or SHAPES:
        size = int(SHAPES[shape][1] * args.scale)
        times = [best_time(shape, size * factor, args.repeat) for factor in (1, 2, 4)]
        print(
            f"{shape:18} {size:9} {times[0]:8.3f} {times[1]:8.3f} {times[2]:8.3f}"
            f"  {times[1] / times[0]:4.1f}  {times[2] / times[1]:4.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
