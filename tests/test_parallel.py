"""--jobs: segmentation and cues in worker processes give the same release, byte for byte, and a
failing worker is named by its article instead of hanging or breaking the pool anonymously."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, SEEDS

from builders.build import build
from builders.cli import main
from builders.config import load_config
from builders.cues import CueTagger, default_detectors
from builders.ingest import SeedReader
from builders.parallel import DEFAULT_CHUNK_SIZE, ParallelSteps, WorkerError, resolve_jobs
from builders.pipeline import PipelineStep
from builders.segment import SentenceSegmenter

ARTICLES = 3 * DEFAULT_CHUNK_SIZE + 5  # the parent's first chunk, then pooled chunks, a short tail


def many_articles(path: Path, count: int = ARTICLES) -> Path:
    """Articles recombined from the seed's sentences: shared sentences make near-duplicate
    stories for the split planner, and every 9th article has an unbalanced quote (a warning)."""
    text = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    sentences = re.findall(r"[^.]+\.", text)
    rng = random.Random(11)
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            chosen = rng.sample(sentences, rng.randint(3, 8))
            if number % 9 == 4:
                chosen.append(f"Rzecznik powiedział „że nic {number}.")
            record = {
                "id": f"many-{number:03d}",
                "outlet": f"o{number % 4}",
                "text": " ".join(chosen),
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def corpus(tmp_path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for source in [*SEEDS.glob("*.txt"), FIXTURES / "good" / "articles.jsonl"]:
        shutil.copy(source, seeds / source.name)
    shutil.copy(FIXTURES / "splits" / "near_duplicates.jsonl", seeds / "near.jsonl")
    many_articles(seeds / "many.jsonl")
    (seeds / "broken.jsonl").write_text('{"id": "x", "text": \n', encoding="utf-8")  # quarantined
    return seeds


def test_release_bytes_do_not_depend_on_the_job_count(tmp_path, corpus):
    empty = tmp_path / "no-annotations"
    empty.mkdir()
    one = build(load_config(), seeds=corpus, annotations=empty, out=tmp_path / "one", jobs=1)
    files = sorted(p.relative_to(one.target) for p in one.target.rglob("*") if p.is_file())
    assert Path("manifest.json") in files and Path("quarantine.jsonl") in files
    for jobs in ("2", "3"):  # one worker beside the main process, then two
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
        out = tmp_path / f"jobs{jobs}"
        code = main(
            [
                "build",
                "--jobs",
                jobs,
                "--quiet",
                "--seeds",
                str(corpus),
                "--annotations",
                str(empty),
            ]
            + ["--out", str(out)]
        )
        assert code == 0
        # the workers did run: their CPU time is charged to this process once they are reaped
        assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime > children_before
        other = out / one.target.parent.name / one.target.name
        assert files == sorted(p.relative_to(other) for p in other.rglob("*") if p.is_file())
        for name in files:
            assert (one.target / name).read_bytes() == (other / name).read_bytes(), (jobs, name)
    assert one.counts["articles"] == ARTICLES + 1 + 2 + 8 and one.quarantine


def _steps() -> list[PipelineStep]:
    return [SentenceSegmenter(), CueTagger(default_detectors())]


def test_workers_report_stats_and_warnings_as_one_process_would(tmp_path):
    path = many_articles(tmp_path / "many.jsonl", count=40)
    alone, pooled = _steps(), _steps()
    expected = list(ParallelSteps(alone, jobs=1).run(SeedReader([path]).run()))
    parallel = ParallelSteps(pooled, jobs=3, chunk_size=3)  # two workers
    assert list(parallel.run(SeedReader([path]).run())) == expected
    for single, merged in zip(alone, pooled, strict=True):
        assert list(merged.stats.items()) == list(single.stats.items())  # same keys, same order
    assert pooled[1].warnings == alone[1].warnings and len(alone[1].warnings) == 4
    assert len(parallel.worker_peaks_kb) == 2 and min(parallel.worker_peaks_kb.values()) > 0
    assert not multiprocessing.active_children()  # the pool is shut down with the stream


class FailOn(PipelineStep):
    """A step that fails on one article, the way a detector bug would."""

    name = "fail-on"

    def __init__(self, article_id: str, how: str = "raise") -> None:
        super().__init__()
        self.article_id = article_id
        self.how = how

    def run(self, records):
        for document in records:
            if document.article.article_id == self.article_id:
                if self.how == "exit":
                    os._exit(3)  # the worker process dies outright
                raise KeyError(f"no rule for {self.article_id}")
            yield document


def test_a_worker_error_names_the_article(tmp_path):
    path = many_articles(tmp_path / "many.jsonl", count=30)
    steps = [SentenceSegmenter(), FailOn("many-017")]
    with pytest.raises(WorkerError) as raised:
        list(ParallelSteps(steps, jobs=3, chunk_size=4).run(SeedReader([path]).run()))
    message = str(raised.value)
    assert "fail-on failed on article 'many-017' (many.jsonl:18)" in message
    assert "KeyError" in message and "no rule for many-017" in message
    assert "raise KeyError" in raised.value.worker_traceback
    assert not multiprocessing.active_children()


def test_a_dead_worker_names_its_articles_instead_of_hanging(tmp_path):
    path = many_articles(tmp_path / "many.jsonl", count=30)
    steps = [SentenceSegmenter(), FailOn("many-017", how="exit")]
    with pytest.raises(WorkerError, match="a worker process died") as raised:
        list(ParallelSteps(steps, jobs=3, chunk_size=4).run(SeedReader([path]).run()))
    # the chunk of articles 16-19 died; chunks still queued behind it fail with the pool
    assert "from article 'many-016' (many.jsonl:17) to article 'many-" in str(raised.value)
    assert not multiprocessing.active_children()


def test_cli_error_for_a_bad_job_count(tmp_path, capsys):
    code = main(["build", "--jobs", "0", "--seeds", str(SEEDS), "--out", str(tmp_path)])
    assert code == 1
    assert "jobs must be a positive integer or 'auto', not '0'" in capsys.readouterr().err


def test_auto_is_the_usable_cpus():
    assert resolve_jobs("auto") == len(os.sched_getaffinity(0))
    assert resolve_jobs(3) == resolve_jobs("3") == 3
    for bad in ("two", "1.5", -1):
        with pytest.raises(ValueError, match="positive integer"):
            resolve_jobs(bad)


def _build_with_workers(tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    """``agitprop build --jobs 3`` on 6000 articles, once its two workers are running."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    many_articles(seeds / "many.jsonl", count=6000)
    command = [sys.executable, "-m", "builders", "build", "--jobs", "3", "--quiet"]
    command += ["--seeds", str(seeds), "--annotations", str(tmp_path), "--out", str(tmp_path)]
    build_process = subprocess.Popen(command, start_new_session=True, stderr=subprocess.PIPE)
    workers = []
    while len(workers) < 2 and build_process.poll() is None:
        time.sleep(0.05)
        workers = _children(build_process.pid)
    assert len(workers) == 2, "the build ended before its workers were seen"
    return build_process, workers


def test_ctrl_c_leaves_no_worker_behind(tmp_path):
    build_process, workers = _build_with_workers(tmp_path)
    os.killpg(build_process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    stderr = build_process.communicate(timeout=60)[1].decode()
    assert build_process.returncode != 0 and "KeyboardInterrupt" in stderr
    assert not [pid for pid in workers if _alive(pid)]


def test_workers_die_with_a_killed_main_process(tmp_path):
    build_process, workers = _build_with_workers(tmp_path)
    build_process.kill()  # SIGKILL: no cleanup runs in the main process
    build_process.communicate(timeout=60)
    deadline = time.monotonic() + 60  # generous: only a worker left running fails this
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    orphans = [pid for pid in workers if _alive(pid)]
    for pid in orphans:  # a failing run must not leave them behind either
        os.kill(pid, signal.SIGKILL)
    assert not orphans


def _children(pid: int) -> list[int]:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
        return [
            int(c)
            for t in tasks
            for c in Path(f"/proc/{pid}/task/{t}/children").read_text().split()
        ]
    except FileNotFoundError:
        return []


def _alive(pid: int) -> bool:
    try:  # a zombie (state Z) has exited and only waits to be reaped
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
