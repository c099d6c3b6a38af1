"""Detector interface and the pipeline step that runs detectors over documents."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from builders.pipeline import PipelineStep
from builders.records import Document, Span


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
        self.warnings: list[str] = []

    def run(self, records: Iterable[Document]) -> Iterator[Document]:
        for document in records:
            spans = []
            for detector in self.detectors:
                found = detector.detect(document)
                self.warnings.extend(getattr(detector, "drain_warnings", lambda: [])())
                spans.extend(found)
            for span in spans:
                self.stats[f"spans.{span.label}"] += 1
            document.spans = sorted(
                [*document.spans, *spans], key=lambda s: (s.start, s.end, s.label, s.source)
            )
            yield document
