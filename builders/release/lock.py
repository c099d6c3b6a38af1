"""One writer at a time per dataset folder ``<out>/<name>/``.

Two builds or releases into the same folder would share the staging folders and the dev build
and crash each other half-way. The first takes an advisory lock on the dataset folder itself
(``fcntl.flock`` on the directory: no lock file is left behind, and the kernel releases the lock
when the process ends, even on SIGKILL, so a crashed run never leaves a stale lock); the second
is told at once that another run holds it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class OutputBusy(RuntimeError):
    """Another build or release is writing the same dataset folder."""


@contextmanager
def output_lock(dataset_root: Path) -> Iterator[None]:
    root = Path(dataset_root)
    root.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputBusy(
                f"another build or release is writing {root}; wait for it to finish and run again"
            ) from None
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
