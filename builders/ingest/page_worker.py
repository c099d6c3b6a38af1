"""The page extraction worker: ``python -m builders.ingest.page_worker`` (see ``html.py``).

A module of its own so that ``builders.ingest.html`` is imported as itself (results pickle as
``builders.ingest.html.Page``) and not run as ``__main__``."""

from builders.ingest.html import serve

if __name__ == "__main__":  # pragma: no cover - the worker process
    serve()
