"""How annotators judged the pre-labels: per detector and label, kept, edited, deleted, added.

Each counted annotation (an annotator's latest of an article, as for gold) is compared with the
pre-labels of its article, but only those of detectors it was shown: its Label Studio
prediction's ``model_version`` (pulled as ``prediction_model_version``, e.g.
``hedge@0.1.0+quote@0.2.0``) must name the detector's ``name@version``, the pre-label's
``source``. For one annotation, every such pre-label is exactly one of:

- **kept**: the annotation has a span with the pre-label's start, end and label, and Label
  Studio's region origin (``ls_origin``) is not ``prediction-changed`` — an accepted prediction
  (``prediction``) or the same extent drawn again (``manual``, or no origin recorded);
- **edited**: otherwise, a span of the same label overlaps it (another extent, or the same
  extent with origin ``prediction-changed``);
- **deleted**: no span of the annotation with its label overlaps it;

and every span of the annotation that overlaps no shown pre-label of its label is **added**: a
cue no detector proposed, counted for the detectors the taxonomy names for the label (``(none)``
if no detector makes that label). Overlap = sharing at least one character. Then per detector
and label: precision = (kept + edited) / (kept + edited + deleted), the share of pre-labels the
annotators kept in some form; recall = (kept + edited) / (kept + edited + added), the share of
the annotators' cues the detector proposed. Both are None without a denominator.

Annotations made without a prediction (``prediction_model_version`` null, e.g. created through
the API or pulled before this field existed) or on detector versions none of which the build
runs are not compared; the report counts them by reason, so nothing is left out silently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from builders.gold.ballots import Ballot, latest_per_annotator
from builders.pipeline import PipelineStep
from builders.records import Document

OUTCOMES = ("kept", "edited", "deleted", "added")
NO_DETECTOR = "(none)"
NOT_COMPARED = {
    "no_prediction": "made without a pre-label prediction (none recorded)",
    "other_detector_versions": "made on detector versions this build does not run",
}


@dataclass(frozen=True)
class Region:
    """A pre-label (``source`` = its detector) or an annotation span (``origin`` = Label
    Studio's region origin, None if not recorded)."""

    start: int
    end: int
    label: str
    source: str = ""
    origin: str | None = None

    def overlaps(self, other: Region) -> bool:
        return self.label == other.label and self.start < other.end and other.start < self.end


def shown_detectors(model_version: str | None) -> set[str]:
    """The ``name@version`` parts of a prediction's ``model_version``."""
    return set(model_version.split("+")) if model_version else set()


def review_annotation(
    prelabels: list[Region],
    spans: list[Region],
    shown: set[str],
    label_detectors: dict[str, list[str]],
) -> Counter:
    """(detector, label, outcome) → count, for one annotation's ``spans`` against the article's
    ``prelabels``; only detectors in ``shown`` are judged. ``label_detectors``: label → the
    sources of the detectors that make it (empty: none)."""
    counts: Counter = Counter()
    compared = [p for p in prelabels if p.source in shown]
    for prelabel in compared:
        touching = [s for s in spans if s.overlaps(prelabel)]
        if any(
            (s.start, s.end) == (prelabel.start, prelabel.end) and s.origin != "prediction-changed"
            for s in touching
        ):
            outcome = "kept"
        else:
            outcome = "edited" if touching else "deleted"
        counts[(prelabel.source, prelabel.label, outcome)] += 1
    for span in spans:
        if any(span.overlaps(p) for p in compared):
            continue
        detectors = label_detectors.get(span.label) or [NO_DETECTOR]
        for detector in detectors:
            if detector == NO_DETECTOR or detector in shown:
                counts[(detector, span.label, "added")] += 1
    return counts


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


@dataclass
class PrelabelReview:
    """The report over many annotations."""

    counts: Counter = field(default_factory=Counter)  # (detector, label, outcome) → n
    annotations: Counter = field(default_factory=Counter)  # detector → annotations compared
    not_compared: Counter = field(default_factory=Counter)  # reason → annotations

    def add_annotation(
        self,
        prelabels: list[Region],
        spans: list[Region],
        model_version: str | None,
        label_detectors: dict[str, list[str]],
    ) -> None:
        known = {d for sources in label_detectors.values() for d in sources}
        shown = shown_detectors(model_version) & known
        if not model_version:
            self.not_compared["no_prediction"] += 1
            return
        if not shown:
            self.not_compared["other_detector_versions"] += 1
            return
        for detector in shown:
            self.annotations[detector] += 1
        self.counts.update(review_annotation(prelabels, spans, shown, label_detectors))

    def to_record(self) -> dict:
        """JSON-ready: per detector and label the four counts, precision and recall."""
        rows: dict[str, dict[str, dict]] = {}
        for detector, label in sorted({(d, lab) for d, lab, _ in self.counts}):
            n = {o: self.counts[(detector, label, o)] for o in OUTCOMES}
            judged = n["kept"] + n["edited"]
            rows.setdefault(detector, {})[label] = {
                **n,
                "precision": _ratio(judged, judged + n["deleted"]),
                "recall": _ratio(judged, judged + n["added"]),
            }
        return {
            "annotations_compared": dict(sorted(self.annotations.items())),
            "not_compared": {reason: self.not_compared[reason] for reason in NOT_COMPARED},
            "detectors": rows,
        }


def document_regions(document: Document, ballot: Ballot) -> tuple[list[Region], list[Region]]:
    """The article's pre-labels and the spans of one annotation, as :class:`Region`s."""
    prelabels, spans = [], []
    for span in document.spans:
        if span.origin == "prelabel":
            prelabels.append(Region(span.start, span.end, span.label, source=span.source))
        elif (
            span.origin == "annotation"
            and span.attributes.get("annotation_id") == ballot.annotation_id
        ):
            origin = span.attributes.get("ls_origin")
            spans.append(Region(span.start, span.end, span.label, origin=origin))
    return prelabels, spans


def label_detectors(taxonomy, detectors) -> dict[str, list[str]]:
    """Label → ``name@version`` of the build's detectors the taxonomy names for it."""
    source = {d.name: d.source for d in detectors}
    return {
        label.name: [source[name] for name in label.detectors if name in source]
        for label in taxonomy.labels
    }


class PrelabelReviewer(PipelineStep):
    """Pipeline step (after :class:`builders.annotations.AnnotationMerger`): adds each counted
    annotation of a document to :attr:`review`; documents pass unchanged."""

    name = "prelabel_review"

    def __init__(self, taxonomy, detectors) -> None:
        super().__init__()
        self.label_detectors = label_detectors(taxonomy, detectors)
        self.review = PrelabelReview()

    def run(self, records: Iterable[Document]) -> Iterator[Document]:
        for document in records:
            for ballot in latest_per_annotator(document.ballots):
                prelabels, spans = document_regions(document, ballot)
                self.review.add_annotation(
                    prelabels, spans, ballot.prediction_model_version, self.label_detectors
                )
                self.stats["annotations"] += 1
            yield document


def review_table(record: dict) -> list[str]:
    """Markdown lines: the report as a table, and what was not compared."""
    from builders.release.card import markdown_table

    def cell(value):
        return "n/a" if value is None else f"{value:.3f}"

    rows = [
        [f"`{detector}`", f"`{label}`", *(n[o] for o in OUTCOMES), cell(n["precision"])]
        + [cell(n["recall"])]
        for detector, labels in record.get("detectors", {}).items()
        for label, n in labels.items()
    ]
    lines = (
        markdown_table(
            ["detector", "label", *OUTCOMES, "precision", "recall"],
            rows,
        )
        if rows
        else ["No annotation could be compared with its pre-labels."]
    )
    compared = record.get("annotations_compared", {})
    skipped = [
        f"{n} {NOT_COMPARED[reason]}"
        for reason, n in record.get("not_compared", {}).items()
        if n and reason in NOT_COMPARED
    ]
    summary = (
        "Annotations compared per detector: "
        + (", ".join(f"`{d}` {n}" for d, n in compared.items()) or "none")
        + ". Not compared: "
        + ("; ".join(skipped) if skipped else "none")
        + "."
    )
    return [*lines, "", summary]
