"""``agitprop sync`` for an annotation team: one project per annotator, pushed and pulled together.

Label Studio Community shows every user of an organisation everybody's annotations, so each
annotator works in an organisation of their own (``agitprop studio users add``) holding their own
copy of the project: same title, same labeling config, same task keys. agitprop reaches each one
with the manager token of that organisation. Pull merges all of them (and the admin's project,
if one exists from before the team) into the one snapshot folder, so the build sees one project.

Other code lists the team with :func:`builders.studio.team.load_team` and reaches each member's
organisation with :func:`team_connections` (the reviewers' shared one: :func:`review_connection`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from builders.config import ProjectConfig
from builders.studio.server import StudioHome
from builders.studio.team import TeamMember, load_team
from builders.sync.connection import Connection, connect
from builders.sync.project import find_project
from builders.sync.pseudonyms import Pseudonymizer
from builders.sync.pull import PullResult, submitted_records, write_pulled
from builders.sync.push import (
    IMPORT_BATCH,
    PushResult,
    annotators_per_task,
    prepare_tasks,
    push_prepared,
)


def team_connections(
    connection: Connection,
    home: StudioHome | None = None,
    *,
    roles: Iterable[str] = ("annotator",),
    active_only: bool = False,
) -> list[tuple[TeamMember, Connection]]:
    """(member, connection to their organisation) for every team member with one of ``roles``,
    by name; [] when no team is registered for the server ``connection`` talks to.

    The team lives with the local server (``.studio/team/``); a connection to any other server
    (``LABEL_STUDIO_URL`` elsewhere) has no team, so it behaves as before teams existed.
    """
    home = home or StudioHome.default()
    if home.url() != connection.url:
        return []
    wanted = set(roles)
    members = [m for m in load_team(home) if m.role in wanted and (m.active or not active_only)]
    return [(m, Connection(connection.url, m.manager_key())) for m in members]


def review_connection(connection: Connection, home: StudioHome | None = None) -> Connection | None:
    """The review organisation all reviewers share (``agitprop: review``), reached with its
    manager token; None when no reviewer is registered."""
    reviewers = team_connections(connection, home, roles=("reviewer",))
    return reviewers[0][1] if reviewers else None


def assign_articles(
    article_ids: Iterable[str], annotators: Iterable[str], per_task: int
) -> dict[str, set[str]]:
    """Which articles each annotator gets: every article goes to ``per_task`` annotators.

    Round robin over the annotators (sorted by name) from a start chosen by the article's id
    hash, so an article's annotators never change as the corpus grows (a position-based round
    robin would move half the corpus whenever one article is added, and push never takes a task
    away). With no more annotators than ``per_task``, everyone gets everything.
    """
    names = sorted(set(annotators))
    ids = list(article_ids)
    if len(names) <= per_task:
        return {name: set(ids) for name in names}
    assigned: dict[str, set[str]] = {name: set() for name in names}
    for article_id in ids:
        start = int(hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:12], 16) % len(names)
        for step in range(per_task):
            assigned[names[(start + step) % len(names)]].add(article_id)
    return assigned


def push_team(
    connection: Connection,
    config: ProjectConfig,
    *,
    seeds: Path | None = None,
    title: str | None = None,
    batch_size: int = IMPORT_BATCH,
    progress=None,
    home: StudioHome | None = None,
) -> list[tuple[TeamMember, PushResult]]:
    """Push each active annotator their assigned tasks (with predictions) into their project."""
    team = team_connections(connection, home, active_only=True)
    if not team:
        raise LookupError(
            "no active annotator on the team: add one with `agitprop studio users add NAME`"
        )
    prepared = prepare_tasks(config, seeds)
    assigned = assign_articles(
        (p["data"]["article_id"] for p in prepared.payloads),
        (member.name for member, _ in team),
        annotators_per_task(config),
    )
    results = []
    for member, reach in team:
        mine = assigned[member.name]
        subset = replace(
            prepared,
            documents=[d for d in prepared.documents if d.article.article_id in mine],
            payloads=[p for p in prepared.payloads if p["data"]["article_id"] in mine],
        )
        # one annotator per project: the overlap is across projects, not inside one
        result = push_prepared(
            reach,
            subset,
            title or config.name,
            annotators_per_task=1,
            batch_size=batch_size,
            progress=progress,
        )
        results.append((member, result))
    return results


def pull_team(
    connection: Connection,
    config: ProjectConfig,
    *,
    annotations: Path | None = None,
    title: str | None = None,
    pseudonyms: Pseudonymizer | None = None,
    home: StudioHome | None = None,
) -> PullResult:
    """Every annotator's project (active or not: a removed annotator's work stays), plus the
    admin's own project if there is one, into ``annotations/snapshots/<title>/``. Annotation ids
    are unique across the server, so the merged files sort and re-pull byte-identically."""
    began = time.perf_counter()
    title = title or config.name
    pseudonyms = pseudonyms or Pseudonymizer.default()
    by_article: dict[str, list[dict]] = {}
    converters = []
    for reach in [connection, *(reach for _, reach in team_connections(connection, home))]:
        client = connect(reach)
        project = find_project(reach, client, title)
        if project is None:
            continue
        records, converter = submitted_records(reach, client, project.id, config, pseudonyms)
        for article_id, pulled in records.items():
            by_article.setdefault(article_id, []).extend(pulled)
        converters.append(converter)
    if not converters:
        raise LookupError(
            f"no project titled {title!r} for the admin or any annotator on {connection.url}; "
            "run `agitprop sync push` first"
        )
    folder = Path(annotations or config.annotations) / "snapshots" / title
    return write_pulled(folder, by_article, converters, began)
