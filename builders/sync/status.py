"""``agitprop status``: annotation progress and agreement so far, read live from Label Studio.

Per annotator: **done** (tasks with their submitted annotation), **skipped** (tasks they skipped
and never submitted: Label Studio's ``was_cancelled``), **remaining** (tasks of their project they
neither submitted nor skipped whose article still lacks ``annotators_per_task`` submitted
annotations). **Overlap**: articles with at least ``annotators_per_task`` annotators' submitted
annotations, of all articles. **Agreement**: the submitted annotations converted as ``sync pull``
converts them and read as the build reads them (``AnnotationMerger``), then
``builders.gold.agreement``. **Waiting**: review tasks with no submitted review annotation.

Annotators are pseudonyms; with ``logins`` their Label Studio login — for the operator's eyes on
this machine only, never written anywhere.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from builders.annotations import AnnotationMerger
from builders.config import ProjectConfig
from builders.gold.agreement import Agreement, agreement
from builders.gold.ballots import ballot_from_record, latest_per_annotator
from builders.sync.connection import Connection
from builders.sync.layout import AnnotatorProject, annotator_projects, review_project
from builders.sync.project import list_tasks
from builders.sync.pseudonyms import Pseudonymizer
from builders.sync.pull import (
    fetch_annotated_tasks,
    submitted_records,
    user_emails,
    write_snapshots,
)
from builders.sync.push import annotators_per_task


@dataclass
class AnnotatorProgress:
    done: int = 0
    skipped: int = 0
    remaining: int = 0


@dataclass
class Status:
    annotators: dict[str, AnnotatorProgress] = field(default_factory=dict)
    articles: int = 0
    overlap_done: int = 0  # articles with ≥ annotators_per_task submitted annotations
    annotators_per_task: int = 1
    agreement: Agreement = field(default_factory=Agreement)
    review_tasks: int | None = None  # None: no review project yet
    waiting: int = 0  # review tasks without a submitted review annotation
    not_counted: list[str] = field(default_factory=list)  # annotations left out of agreement

    def to_record(self) -> dict:
        return {
            "annotators": {
                name: progress.__dict__ for name, progress in sorted(self.annotators.items())
            },
            "articles": self.articles,
            "annotators_per_task": self.annotators_per_task,
            "overlap_done": self.overlap_done,
            "agreement": self.agreement.to_record(),
            "review_tasks": self.review_tasks,
            "waiting_for_adjudication": self.waiting,
            "not_counted": self.not_counted,
        }


def _user_id(annotation: dict) -> int | None:
    user = annotation.get("completed_by")
    return user.get("id") if isinstance(user, dict) else user


def status(
    connection: Connection,
    config: ProjectConfig,
    title: str,
    review_title: str,
    *,
    logins: bool = False,
    pseudonyms: Pseudonymizer | None = None,
) -> Status:
    pseudonyms = pseudonyms or Pseudonymizer.default()
    needed = annotators_per_task(config)
    result = Status(annotators_per_task=needed)
    projects = annotator_projects(connection, title)
    tasks_of: dict[tuple[int, int], str] = {}  # (project index, task id) → article id
    submitted: dict[str, set[int]] = defaultdict(set)  # article → users who submitted
    marks: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    members: dict[int, set[str]] = defaultdict(set)  # user → articles of their project(s)
    names: dict[int, str] = {}
    records: dict[str, list[dict]] = defaultdict(list)
    for index, project in enumerate(projects):
        emails = user_emails(project.connection, project.client)
        for user_id, email in emails.items():
            names[user_id] = email if logins else pseudonyms.pseudonym(email)
        for task in list_tasks(project.connection, project.client, project.project_id):
            tasks_of[(index, task["id"])] = task["data"]["article_id"]
        exported = fetch_annotated_tasks(project.connection, project.client, project.project_id)
        for task in exported:
            article = task["data"]["article_id"]
            for annotation in task.get("annotations") or []:
                user = _user_id(annotation)
                kind = "skipped" if annotation.get("was_cancelled") else "done"
                marks[user][kind].add(article)
                if kind == "done":
                    submitted[article].add(user)
        _members(project, index, tasks_of, marks, members)
        by_article, converter = submitted_records(
            project.connection, project.client, project.project_id, config, pseudonyms, exported
        )
        for article, held in by_article.items():
            records[article].extend(held)
        result.not_counted += converter.incomplete
    articles = set(tasks_of.values())
    result.articles = len(articles)
    result.overlap_done = sum(1 for a in articles if len(submitted.get(a, ())) >= needed)
    for user, kinds in marks.items():
        done, skipped = kinds["done"], kinds["skipped"] - kinds["done"]
        open_articles = members[user] - done - skipped
        remaining = sum(1 for a in open_articles if len(submitted.get(a, ())) < needed)
        name = names.get(user, f"user-{user}")
        result.annotators[name] = AnnotatorProgress(len(done), len(skipped), remaining)
    result.agreement = live_agreement(config, records)
    result.review_tasks, result.waiting = _waiting(connection, review_title)
    return result


def _members(project: AnnotatorProject, index, tasks_of, marks, members) -> None:
    """Which articles each annotator is meant to label: every task of their own project, or
    of the shared one (today's layout: everyone who has annotated or skipped in it)."""
    articles = {a for (i, _), a in tasks_of.items() if i == index}
    users = [project.annotator] if project.annotator is not None else list(marks)
    for user in users:
        members[user] |= articles


def live_agreement(config: ProjectConfig, records: dict[str, list[dict]]) -> Agreement:
    """Agreement over the live annotations, read through the build's own merger (its schema
    check and its rule for incomplete annotations) from a scratch snapshot folder."""
    from builders.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    with tempfile.TemporaryDirectory(prefix="agitprop-status-") as scratch:
        folder = Path(scratch) / "snapshots" / "live"
        write_snapshots(folder, {a: list(r) for a, r in records.items()})
        merger = AnnotationMerger(Path(scratch), taxonomy, config.stance_targets)
        ballots = latest_per_annotator(ballot_from_record(r) for r in merger.records())
    return agreement(ballots, list(config.stance_targets), list(taxonomy.stance_values))


def _waiting(connection: Connection, review_title: str) -> tuple[int | None, int]:
    connection, client, project = review_project(connection, review_title)
    if project is None:
        return None, 0
    tasks = list(list_tasks(connection, client, project.id, include="id,total_annotations"))
    return len(tasks), sum(1 for t in tasks if not t.get("total_annotations"))


def status_tables(result: Status) -> list[list[str]]:
    """Markdown tables: progress per annotator, overlap and adjudication, agreement."""
    from builders.gold.agreement import agreement_tables
    from builders.release.card import markdown_table

    progress = markdown_table(
        ["annotator", "done", "remaining", "skipped"],
        [[n, p.done, p.remaining, p.skipped] for n, p in sorted(result.annotators.items())],
    )
    review = "no review project" if result.review_tasks is None else result.review_tasks
    totals = markdown_table(
        ["articles", f"with ≥ {result.annotators_per_task} annotators", "review tasks", "waiting"],
        [[result.articles, result.overlap_done, review, result.waiting]],
    )
    alpha, spans, _per_annotator = agreement_tables(result.agreement)
    return [progress, totals, alpha, spans]
