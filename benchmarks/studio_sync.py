"""Benchmark: sync push / re-push / pull of N synthetic articles against a real Label Studio,
each beside the raw SDK call on the same payload, in one run.

    .venv/bin/python benchmarks/studio_sync.py [--articles 10000]

Starts its own server (the project's `studio start`, temporary data folder, free port) and stops
it at the end. Timings are wall clock on whatever machine runs it; they are not a test.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from builders.config import load_config
from builders.studio.server import StudioHome
from builders.sync.connection import Connection
from builders.sync.labeling_config import project_labeling_config
from builders.sync.project import find_project
from builders.sync.pseudonyms import Pseudonymizer
from builders.sync.pull import pull
from builders.sync.push import model_version, prepare_documents, push
from builders.sync.tasks import task_payload

TESTS = Path(__file__).resolve().parent.parent / "tests"  # test support modules live there

BATCH = 1000


@contextmanager
def timed(results: dict, name: str):
    began = time.perf_counter()
    yield
    results[name] = time.perf_counter() - began
    print(f"  {name:<44} {results[name]:7.2f} s", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def raw_import(client, project_id: int, payloads: list[dict]) -> None:
    for start in range(0, len(payloads), BATCH):
        client.projects.import_tasks(
            project_id, request=payloads[start : start + BATCH], commit_to_project=True
        )


def main() -> None:
    sys.path.insert(0, str(TESTS))
    from synthetic_corpus import write_synthetic_seeds

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    n = args.articles
    config = load_config()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="agitprop-bench-") as scratch:
        scratch = Path(scratch)
        home = StudioHome(scratch / "studio")
        print(f"starting Label Studio in {home.root} ...", flush=True)
        state = home.start(port=free_port())
        try:
            connection = Connection(state["url"], home.api_key())
            client = connection.client()
            labeling = project_labeling_config(config)
            seeds = write_synthetic_seeds(scratch / "seeds", n)
            print(f"{n} synthetic articles, batches of {BATCH}:", flush=True)

            with timed(results, "prepare payload (ingest+segment+cues)"):
                documents, _ = prepare_documents(seeds, config)
                payloads = [task_payload(d, model_version()) for d in documents]
            regions = sum(len(p["predictions"][0]["result"]) for p in payloads)
            print(f"  ({regions} prediction regions in all)")

            raw = client.projects.create(title="raw-import", label_config=labeling.xml)
            with timed(results, "raw SDK import_tasks (same payload)"):
                raw_import(client, raw.id, payloads)
            with timed(results, "agitprop sync push (new project)"):
                first = push(connection, config, seeds=seeds, title="bench-push")
            assert first.created == n, first.summary()
            with timed(results, "agitprop sync push again (unchanged)"):
                again = push(connection, config, seeds=seeds, title="bench-push")
            assert again.unchanged == n and again.created == 0, again.summary()

            # N annotations: the same tasks imported with an annotation each (the raw way).
            annotated = [
                {**p, "annotations": [{"result": p["predictions"][0]["result"]}]} for p in payloads
            ]
            project = client.projects.create(title="bench-pull", label_config=labeling.xml)
            with timed(results, f"raw SDK import_tasks with {n} annotations"):
                raw_import(client, project.id, annotated)
            with timed(results, "raw SDK export (JSON, annotated tasks)"):
                exported = b"".join(
                    client.projects.exports.download_sync(project.id, export_type="JSON")
                )
            print(f"  ({len(exported) / 1e6:.1f} MB exported)")
            out = scratch / "annotations"
            with timed(results, f"agitprop sync pull ({n} annotations)"):
                pulled = pull(
                    connection,
                    config,
                    annotations=out,
                    title="bench-pull",
                    pseudonyms=Pseudonymizer("benchmark"),
                )
            assert pulled.annotations == n and not pulled.rejected, pulled.summary()
            assert find_project(connection, client, "bench-pull").id == project.id
        finally:
            home.stop()
    print(f"machine: {os.cpu_count()} cores (shared); label-studio 1.23.2, sqlite, dev server")


if __name__ == "__main__":
    main()
