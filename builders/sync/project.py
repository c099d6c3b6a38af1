"""The Label Studio project: found by title, created or brought up to date; its tasks listed."""

from __future__ import annotations

from collections.abc import Iterator

from builders.sync.connection import Connection

LIST_PAGE = 500  # measured: larger pages make the data manager slower per task, not faster
MIN_TITLE = 3  # Label Studio refuses shorter project titles


def find_project(connection: Connection, client, title: str):
    projects = connection.call(
        f"find project {title!r}", lambda: list(client.projects.list(title=title, page_size=100))
    )
    exact = sorted((p for p in projects if p.title == title), key=lambda p: p.id)
    return exact[0] if exact else None


def ensure_project(
    connection: Connection,
    client,
    title: str,
    label_config: str,
    model_version: str,
    instructions: str = "",
    annotators_per_task: int = 1,
):
    """The project called ``title`` (as the server describes it), created or updated to this
    config; ``instructions`` (HTML) are shown to annotators before they start; each task is
    labelled by ``annotators_per_task`` annotators (Label Studio's overlap)."""
    if len(title) < MIN_TITLE:
        raise ValueError(f"project title {title!r} is too short: Label Studio needs ≥ 3 characters")
    settings = {
        "label_config": label_config,
        # show the detectors' predictions as pre-filled regions annotators can accept or fix
        "show_collab_predictions": True,
        "model_version": model_version,
        "expert_instruction": instructions,
        "show_instruction": bool(instructions),
        # overlap: every task (100 %) waits for this many annotations before it counts as done,
        # so gold and agreement have several independent judgements per article
        "maximum_annotations": annotators_per_task,
        "overlap_cohort_percentage": 100,
    }
    project = find_project(connection, client, title)
    if project is None:
        created = connection.call(
            f"create project {title!r}", client.projects.create, title=title, **settings
        )
        return connection.call(f"read project {title!r}", client.projects.get, created.id)
    current = connection.call(f"read project {title!r}", client.projects.get, project.id)
    if any(not same_as_stored(getattr(current, name), value) for name, value in settings.items()):
        connection.call(f"update project {title!r}", client.projects.update, project.id, **settings)
    return current


def mark_corpus(connection: Connection, client, project_id: int, description: str) -> None:
    connection.call(
        f"record the corpus fingerprint on project {project_id}",
        client.projects.update,
        project_id,
        description=description,
    )


def list_tasks(
    connection: Connection, client, project_id: int, include: str = "id,data"
) -> Iterator[dict]:
    """Every task of the project as plain dicts with only the ``include``d fields.

    The raw data-manager endpoint is used because it can leave out predictions and annotations,
    which the typed ``tasks.list`` would fetch and parse for every task.
    """
    http = client._client_wrapper.httpx_client
    page = 1
    while True:
        response = connection.call(
            f"list tasks of project {project_id}",
            _get_json,
            http,
            "api/tasks",
            {
                "project": project_id,
                "fields": "task_only",
                "include": include,
                "page": page,
                "page_size": LIST_PAGE,
            },
        )
        tasks = response.get("tasks", [])
        yield from tasks
        if len(tasks) < LIST_PAGE:
            return
        page += 1


def _get_json(http, path: str, params: dict):
    from label_studio_sdk.core.api_error import ApiError

    response = http.request(path, method="GET", params=params)
    if response.status_code == 404 and params.get("page", 1) > 1:
        return {"tasks": []}  # past the last page
    if response.status_code >= 400:
        raise ApiError(status_code=response.status_code, body=response.text)
    return response.json()


def same_as_stored(held, wanted) -> bool:
    """Equal as the server stores it (it strips surrounding whitespace from text fields)."""
    if isinstance(wanted, str):
        return (held or "").strip() == wanted.strip()
    return held == wanted
