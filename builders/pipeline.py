"""Pipeline steps: generators over a stream of records, each keeping its own stats.

Modelled on datatrove's ``PipelineStep``: a step takes an iterator and yields records, I/O lives
at the ends, and nothing is global, so the same steps can run under another executor later.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator


class PipelineStep:
    """Base step: subclasses implement :meth:`run`; ``stats`` counts what the step did."""

    name: str = "step"

    def __init__(self) -> None:
        self.stats: Counter[str] = Counter()

    def run(self, records: Iterable) -> Iterator:  # pragma: no cover - interface
        raise NotImplementedError

    def __call__(self, records: Iterable) -> Iterator:
        return self.run(records)

    def take_report(self) -> dict:
        """What this step counted since the last call, and start afresh: a worker process hands
        it to the parent's copy of the step (``builders.parallel``)."""
        report, self.stats = {"stats": self.stats}, Counter()
        return report

    def merge_report(self, report: dict) -> None:
        """Add a worker's report; merged in input order, keys appear as one process adds them."""
        self.stats.update(report["stats"])


def run_pipeline(source: Iterable, steps: list[PipelineStep]) -> Iterator:
    """Chain steps lazily: ``steps[-1](...steps[0](source))``."""
    stream = iter(source)
    for step in steps:
        stream = step(stream)
    return stream
