"""Where annotators and reviewers work on the server: the one seam ``status`` and ``review`` use.

Today's layout is one project (the admin's) holding every annotator's work, told apart by
``completed_by``. The isolation layout (one project per annotator in their own organisation,
reached through per-organisation tokens; a reviewers' organisation) only has to change the two
functions below: callers see a list of :class:`AnnotatorProject` and one review project.
"""

from __future__ import annotations

from dataclasses import dataclass

from builders.sync.connection import Connection, connect
from builders.sync.project import ensure_project, find_project

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
    annotator: int | None = None


def annotator_projects(connection: Connection, project_title: str) -> list[AnnotatorProject]:
    """Every project holding annotators' work on ``project_title``'s tasks (today: the one)."""
    client = connect(connection)
    project = find_project(connection, client, project_title)
    if project is None:
        raise LookupError(
            f"no project titled {project_title!r} on {connection.url}; run `agitprop sync push`"
        )
    return [AnnotatorProject(connection, client, project.id, project.title)]


def review_title(project_title: str) -> str:
    return project_title + REVIEW_SUFFIX


def review_project(connection: Connection, title: str, label_config: str | None = None):
    """(client, project) of the reviewers' project ``title``: created or brought up to date
    when ``label_config`` is given, else only looked up (project None if there is none)."""
    client = connect(connection)
    if label_config is None:
        return client, find_project(connection, client, title)
    project = ensure_project(
        connection,
        client,
        title,
        label_config,
        model_version="",  # every annotator's prediction is shown, none is preferred
        instructions=REVIEW_INSTRUCTIONS,
        annotators_per_task=1,
    )
    return client, project
