"""``agitprop review push|pull``: adjudication, which Label Studio Community lacks.

push: the pulled snapshots are read as the build reads them (``AnnotationMerger`` over the
segmented seeds, one ballot per annotator), the gold rules' undecided items are found
(:mod:`builders.gold.disputes`) and every article with one becomes a task of the review project:
the article text and its sentence regions, one prediction per annotator (``model_version`` = the
pseudonym) holding their spans, stances and choices, and a table of the disputed items above the
text. Tasks are keyed like ``sync push`` (``data.task_key``), so a re-push changes nothing.

pull: the reviewer's submitted annotations → ``annotations/snapshots/<review project>/``, each
marked ``ground_truth`` and ``adjudication``: the build then takes the article's gold from it
(``gold:adjudicated@1``), and leaves it out of the votes and of agreement.
"""

from __future__ import annotations

import hashlib
import html
import time
from dataclasses import dataclass, field
from pathlib import Path

from builders.annotations import AnnotationMerger
from builders.config import ProjectConfig
from builders.gold.ballots import Ballot, latest_per_annotator
from builders.gold.disputes import Dispute, disputes
from builders.ingest import SeedReader
from builders.pipeline import run_pipeline
from builders.records import Document, QuarantineRow
from builders.segment import SentenceSegmenter
from builders.sync.connection import Connection
from builders.sync.labeling_config import (
    CUE,
    REVIEW_SUMMARY,
    TEXT,
    LabelingConfig,
    project_labeling_config,
)
from builders.sync.layout import review_project
from builders.sync.pseudonyms import Pseudonymizer
from builders.sync.pull import submitted_records, write_snapshots
from builders.sync.push import PushResult, corpus_description, sync_tasks
from builders.sync.tasks import article_data, keyed_payload, prediction_result, sentence_region_id


@dataclass
class DisputedArticle:
    document: Document
    ballots: list[Ballot]
    article_labels: dict[str, dict]  # annotation id → its article choices
    disputes: list[Dispute]


@dataclass
class ReviewPushResult:
    articles: int = 0  # annotated articles read
    disputed: list[DisputedArticle] = field(default_factory=list)
    sync: PushResult | None = None
    quarantine: list[QuarantineRow] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        items = sum(len(d.disputes) for d in self.disputed)
        sync = self.sync.summary() if self.sync else "nothing to push"
        return (
            f"{len(self.disputed)} of {self.articles} annotated articles disputed ({items} "
            f"items); review {sync}"
        )


def disputed_articles(
    config: ProjectConfig, seeds: Path, annotations: Path
) -> tuple[list[DisputedArticle], int, list[QuarantineRow]]:
    """Articles whose gold the rules leave undecided, read from the seeds and snapshots as the
    build reads them; (disputed articles, annotated articles, quarantined inputs)."""
    from builders.taxonomy import load_taxonomy

    merger = AnnotationMerger(annotations, load_taxonomy(), config.stance_targets)
    records = merger.records()
    labels = {r["annotation_id"]: r.get("article_labels") or {} for r in records}
    annotated = {r["article_id"] for r in records}
    reader = SeedReader.from_config([seeds], config)
    articles = (a for a in reader.run() if a.article_id in annotated)
    found = []
    for document in run_pipeline(articles, [SentenceSegmenter(), merger]):
        ballots = latest_per_annotator(document.ballots)
        items = disputes(ballots, labels, config.gold_min_annotators)
        if items:
            found.append(DisputedArticle(document, ballots, labels, items))
    return found, len(annotated), reader.quarantine + merger.quarantine


def review_payload(article: DisputedArticle, labeling: LabelingConfig) -> dict:
    """The review task: article data + the summary, one prediction per annotator."""
    document = article.document
    data = {**article_data(document), REVIEW_SUMMARY: summary_html(article)}
    predictions = [
        {
            "model_version": ballot.annotator,
            "result": annotator_result(
                document, ballot, article.article_labels.get(ballot.annotation_id, {}), labeling
            ),
        }
        for ballot in article.ballots
    ]
    return keyed_payload(data, predictions)


def annotator_result(
    document: Document, ballot: Ballot, choices: dict, labeling: LabelingConfig
) -> list[dict]:
    """One annotator's ballot as Label Studio regions: the sentence regions (as ``sync push``
    sends them), their cue spans, their sentence and article stances and article choices —
    the shape ``sync pull`` reads back."""
    text = document.article.text
    result = prediction_result(document)  # sentence regions (no pre-labels: cues not run)
    for start, end, label in sorted(ballot.spans):
        digest = hashlib.sha256(f"{start}:{end}:{label}".encode()).hexdigest()[:10]
        value = {"start": start, "end": end, "text": text[start:end], "labels": [label]}
        result.append(_item(f"c{digest}", CUE, "labels", value))
    sentences = {s.sentence_id: s for s in document.sentences}
    article_controls = {t: n for n, t in labeling.article_stance_controls.items()}
    sentence_controls = {t: n for n, t in labeling.sentence_stance_controls.items()}
    for (sentence_id, target), stance in sorted(
        ballot.stances.items(), key=lambda item: (item[0][0] or "", item[0][1])
    ):
        if sentence_id is None:
            name = article_controls.get(target)
            if name:
                result.append(_item(name, name, "choices", {"choices": [stance]}))
            continue
        sentence = sentences.get(sentence_id)
        if sentence is None or target not in sentence_controls:
            continue
        value = {"start": sentence.start, "end": sentence.end, "text": sentence.text}
        result.append(
            _item(
                sentence_region_id(sentence.index),
                sentence_controls[target],
                "choices",
                {**value, "choices": [stance]},
            )
        )
    for name, chosen in sorted(choices.items()):
        if name in labeling.article_choice_controls and chosen:
            result.append(_item(name, name, "choices", {"choices": list(chosen)}))
    return result


def _item(region_id: str, control: str, kind: str, value: dict) -> dict:
    return {"id": region_id, "from_name": control, "to_name": TEXT, "type": kind, "value": value}


REASONS = {
    "no_majority": "no majority",
    "insufficient_votes": "too few annotators",
    "no_extent_majority": "kept, but no majority for its extent",
    "minority": "drawn by a minority",
}


def summary_html(article: DisputedArticle) -> str:
    """A table of the disputed items, one column per annotator (pseudonyms only)."""
    text = article.document.article.text
    who = [b.annotator for b in article.ballots]
    head = "".join(f"<th>{html.escape(w)}</th>" for w in who)
    rows = []
    for item in article.disputes:
        shown = item.item
        if item.extent is not None:
            shown += f" «{text[item.extent[0] : item.extent[1]]}»"
        cells = "".join(f"<td>{html.escape(item.answers.get(w, '—'))}</td>" for w in who)
        reason = REASONS.get(item.reason, item.reason)
        rows.append(
            f"<tr><td>{html.escape(item.kind)}</td><td>{html.escape(shown)}</td>"
            f"<td>{html.escape(reason)}</td>{cells}</tr>"
        )
    return (
        f"<h3>Disputed items: {len(article.disputes)}</h3>"
        f"<table><tr><th>kind</th><th>item</th><th>why</th>{head}</tr>{''.join(rows)}</table>"
    )


def push_reviews(
    connection: Connection,
    config: ProjectConfig,
    review_title: str,
    *,
    seeds: Path | None = None,
    annotations: Path | None = None,
) -> ReviewPushResult:
    began = time.perf_counter()
    found, annotated, quarantine = disputed_articles(
        config, Path(seeds or config.seeds), Path(annotations or config.annotations)
    )
    result = ReviewPushResult(articles=annotated, disputed=found, quarantine=quarantine)
    labeling = project_labeling_config(config)
    payloads = [review_payload(article, labeling) for article in found]
    for prediction in payloads[0]["predictions"] if payloads else []:
        labeling.check_prediction(prediction)
    connection, client, project = review_project(connection, review_title, labeling.review_xml)
    description = corpus_description(payloads, "annotators", pushed_by="agitprop review push")
    result.sync = sync_tasks(connection, client, project, payloads, description)
    result.seconds = time.perf_counter() - began
    return result


def pull_reviews(
    connection: Connection,
    config: ProjectConfig,
    review_title: str,
    *,
    annotations: Path | None = None,
    pseudonyms: Pseudonymizer | None = None,
):
    """The reviewers' decisions → snapshots marked ``ground_truth`` and ``adjudication``;
    (folder, records written, converter)."""
    connection, client, project = review_project(connection, review_title)
    if project is None:
        raise LookupError(
            f"no review project titled {review_title!r} on {connection.url}; "
            "run `agitprop review push` first"
        )
    by_article, converter = submitted_records(connection, client, project.id, config, pseudonyms)
    for records in by_article.values():
        for record in records:
            record["ground_truth"] = True
            record["adjudication"] = True
    folder = Path(annotations or config.annotations) / "snapshots" / review_title
    write_snapshots(folder, by_article)
    return folder, sum(len(r) for r in by_article.values()), converter
