"""Detector interface and the pipeline step that runs detectors over documents."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import NamedTuple

from builders.pipeline import PipelineStep
from builders.records import Document, Span

LABEL = attrgetter("label")
SPAN_ORDER = attrgetter("start", "end", "label", "source")


class CueWarning(NamedTuple):
    """A detector's warning about one article: ``kind`` names the kind of problem (warnings are
    counted by it), ``offset`` is where in the article text it is."""

    kind: str
    article_id: str
    offset: int
    message: str

    def describe(self) -> str:
        return f"{self.article_id}: {self.message}"

    def to_record(self) -> dict:
        return self._asdict()

    @classmethod
    def from_record(cls, record: dict) -> CueWarning:
        return cls(record["kind"], record["article_id"], record["offset"], record["message"])


class CueDetector:
    """A detector finds spans of one or more labels in a document.

    ``name`` and ``version`` go into every span's ``source`` (``name@version``) so a release says
    which detector (and which rule data) produced each pre-label.
    """

    name = "detector"
    version = "0.0.0"

    @property
    def source(self) -> str:
        return f"{self.name}@{self.version}"

    def detect(self, document: Document) -> list[Span]:  # pragma: no cover - interface
        raise NotImplementedError


class CueTagger(PipelineStep):
    """Pipeline step: run every detector and attach its spans, ordered by position."""

    name = "cues"

    def __init__(self, detectors: list[CueDetector]) -> None:
        super().__init__()
        self.detectors = detectors
        self.warnings: list[CueWarning] = []

    def take_report(self) -> dict:
        report = super().take_report()
        report["warnings"], self.warnings = self.warnings, []
        return report

    def merge_report(self, report: dict) -> None:
        super().merge_report(report)
        self.warnings.extend(report["warnings"])

    def run(self, records: Iterable[Document]) -> Iterator[Document]:
        for document in records:
            spans = []
            for detector in self.detectors:
                spans.extend(detector.detect(document))
                drain = getattr(detector, "drain_warnings", None)
                if drain is not None:
                    self.warnings.extend(drain())
            for label, count in Counter(map(LABEL, spans)).items():
                self.stats[f"spans.{label}"] += count
            document.spans = sorted([*document.spans, *spans], key=SPAN_ORDER)
            yield document
