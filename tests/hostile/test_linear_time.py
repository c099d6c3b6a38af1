"""The per-article pipeline takes time linear (or n log n) in the article's length, on any text.

Each hostile shape of ``benchmarks/hostile_growth.py`` (one huge line of quotes and attribution
phrases, "tys. Ala " repeated, unbalanced quote marks, abbreviations, line breaks, inline
"Czytaj więcej:" links, a new speaker in every sentence, words without spaces) goes through
segmentation and every default detector at n and 2n characters. Doubling the text must not
much more than double the time: linear work gives a ratio near 2, quadratic near 4. Only the
ratio is asserted, never seconds (the timings themselves live in the benchmark); each time is
the least of a few runs with the garbage collector paused, which takes out most of the noise
of a shared machine.

Not here: deeply nested quotes ("„„„…”””"), whose output itself is quadratic — every one of
the n/2 QUOTE spans carries its text (the benchmark still times them).
"""

from __future__ import annotations

import gc
import importlib.util
import sys

import pytest

from builders.paths import REPO_ROOT

_spec = importlib.util.spec_from_file_location(
    "hostile_growth", REPO_ROOT / "benchmarks" / "hostile_growth.py"
)
growth = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = growth
_spec.loader.exec_module(growth)

SHAPES = [shape for shape in growth.SHAPES if shape != "nested quotes"]
RUNS = 5  # more runs, not a looser bound, when a shared machine makes the ratio noisy
MAX_RATIO = 3.0  # time(2n) / time(n): ~2 when linear, ~4 when quadratic


def _least_times(small, large) -> tuple[float, float]:
    """The least time of a few runs on each article, the runs interleaved so that both sizes
    see the same background load."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(RUNS):
        for article, found in ((small, times[0]), (large, times[1])):
            gc.collect()
            gc.disable()
            try:
                found.append(growth.run_pipeline(article))
            finally:
                gc.enable()
    return min(times[0]), min(times[1])


@pytest.mark.parametrize("shape", SHAPES)
def test_doubling_the_article_at_most_doubles_the_time(shape):
    size = growth.SHAPES[shape][1]
    small, large = growth.article(shape, size), growth.article(shape, 2 * size)
    growth.run_pipeline(growth.article(shape, 1_000))  # rule data and dictionaries loaded
    time_small, time_large = _least_times(small, large)
    ratio = time_large / time_small
    assert ratio < MAX_RATIO, (
        f"{shape}: time(2n)/time(n) = {time_large:.3f}/{time_small:.3f} = {ratio:.2f} "
        f"at n = {size:,}"
    )
