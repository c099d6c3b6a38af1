"""One writer at a time per dataset folder ``<out>/<name>/``.

Two builds or releases into the same folder would share the staging folders and the dev build
and crash each other half-way. The first takes an advisory lock on ``<out>/<name>/.lock``
(``fcntl.flock``: released by the kernel when the process ends, even on SIGKILL, so a crashed
run never leaves a stale lock); the second is told at once who holds it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".lock"


class OutputBusy(RuntimeError):
    """Another build or release is writing the same dataset folder."""


@contextmanager
def output_lock(dataset_root: Path) -> Iterator[None]:
    root = Path(dataset_root)
    root.mkdir(parents=True, exist_ok=True)
    path = root / LOCK_FILE
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise OutputBusy(
                f"another build or release is writing {root} ({holder}); wait for it to finish "
                "and run again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock
