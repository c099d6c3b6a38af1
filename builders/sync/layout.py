"""Where annotators and reviewers work on the server: the one seam ``status`` and ``review`` use.

Without a team, one project (the admin's) holds every annotator's work, told apart by
``completed_by``. With a team (``agitprop studio users add``), every annotator works in a copy
of the project in their own organisation, reached through that organisation's manager token,
and reviewers share one review organisation (builders.sync.team). Callers see a list of
:class:`AnnotatorProject` and one review project either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from builders.sync.connection import Connection, connect
from builders.sync.project import ensure_project, find_project
from builders.sync.pull import user_emails
from builders.sync.team import review_connection, team_connections

REVIEW_SUFFIX = "-review"
REVIEW_INSTRUCTIONS = (
    "<p><b>Adjudication.</b> Each annotator's work is a prediction named by their pseudonym; the "
    "disputed items are listed above the text. Start from any prediction, fix what you decide "
    "otherwise, answer every question and submit: your annotation becomes the gold of this "
    "article (all its stances and spans).</p>"
)


@dataclass(frozen=True)
class AnnotatorProject:
    """One project holding annotators' work. ``annotator``: the Label Studio user whose project
    it is, or None when several annotators share it (tell them apart by ``completed_by``)."""

    connection: Connection
    client: object  # label_studio_sdk.LabelStudio for this project's organisation
    project_id: int
    title: str
    annotator: int | None = None  # their Label Studio user id


def annotator_projects(connection: Connection, project_title: str) -> list[AnnotatorProject]:
    """Every project holding annotators' work on ``project_title``'s tasks: the admin's (if it
    exists: the layout before a team, or a corpus without one) and each team annotator's own."""
    client = connect(connection)
    found = []
    project = find_project(connection, client, project_title)
    if project is not None:
        found.append(AnnotatorProject(connection, client, project.id, project.title))
    for member, own in team_connections(connection):
        own_client = connect(own)
        project = find_project(own, own_client, project_title)
        if project is None:
            continue  # not pushed to this annotator yet
        user = next(
            (uid for uid, email in user_emails(own, own_client).items() if email == member.email),
            None,
        )
        found.append(AnnotatorProject(own, own_client, project.id, project.title, user))
    if not found:
        raise LookupError(
            f"no project titled {project_title!r} on {connection.url}; run `agitprop sync push`"
        )
    return found


def review_title(project_title: str) -> str:
    return project_title + REVIEW_SUFFIX


def review_project(connection: Connection, title: str, label_config: str | None = None):
    """(connection, client, project) of the reviewers' project ``title`` — in the reviewers'
    organisation when the team has reviewers, else the admin's —: created or brought up to date
    when ``label_config`` is given, else only looked up (project None if there is none)."""
    connection = review_connection(connection) or connection
    client = connect(connection)
    if label_config is None:
        return connection, client, find_project(connection, client, title)
    project = ensure_project(
        connection,
        client,
        title,
        label_config,
        model_version="",  # every annotator's prediction is shown, none is preferred
        instructions=REVIEW_INSTRUCTIONS,
        annotators_per_task=1,
    )
    return connection, client, project
