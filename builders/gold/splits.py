"""Train/validation/test splits grouped by story, so reprints of one wire story never straddle.

Near-duplicates are found with MinHash LSH (``datasketch``): each article is shingled into word
3-grams *within its body sentences* (``kind == body``), so the headings, link tails and other
boilerplate one outlet adds around a reprint do not separate the copies. Candidate pairs share
an LSH band (datasketch's banding for the threshold); they are confirmed by their estimated
Jaccard similarity and joined transitively into clusters (union-find). The signatures wait in
scratch files and the bands are worked through one at a time, so memory does not grow with
the corpus beyond a few bytes an article. A cluster goes to the split picked by a stable hash
of its smallest article id — a position in [0, 1) from sha256 compared with the cumulative
ratios — so the same corpus always gets the same splits. Adding an article can move only the
cluster it joins (when it becomes the smallest id or links two clusters); the changelog counts
such moves.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xxhash

from builders.pipeline import PipelineStep
from builders.records import Document

SPLITS = ("train", "validation", "test")
DEFAULT_RATIOS = {"train": 0.8, "validation": 0.1, "test": 0.1}
DEFAULT_THRESHOLD = (
    0.5  # Jaccard similarity of body shingles above which two articles are one story
)
NUM_PERM = 128
SHINGLE_WORDS = 3
SEED = 1
INDEXED_PER_CLUSTER = 16
WORD = re.compile(r"\w+")
BATCH_ARTICLES = 4096  # signatures held in RAM before they are appended to the scratch files
PAIRWISE_BUCKET = 16  # buckets up to this size: every pair is checked
VERIFY_CHUNK = 1024  # candidate pairs (or big-bucket members) whose signatures are read at once
# xxHash32 of each shingle's UTF-8 instead of datasketch's default SHA-1: the same 32 bits for
# the MinHash permutations, ~13× faster (SHA-1 was half of the clustering time)
HASH = xxhash.xxh32_intdigest


@dataclass(frozen=True)
class SplitSettings:
    ratios: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_RATIOS))
    threshold: float = DEFAULT_THRESHOLD

    @classmethod
    def from_config(cls, extra: dict) -> SplitSettings:
        """``[tool.agitprop.splits]``: ``train``, ``validation``, ``test`` ratios summing to 1,
        and ``near_duplicate_threshold``."""
        table = dict(extra.get("splits", {}))
        threshold = float(table.pop("near_duplicate_threshold", DEFAULT_THRESHOLD))
        ratios = {name: float(table.pop(name, DEFAULT_RATIOS[name])) for name in SPLITS}
        if table:
            raise ValueError(f"[tool.agitprop.splits]: unknown keys {sorted(table)}")
        if any(r < 0 for r in ratios.values()) or abs(sum(ratios.values()) - 1) > 1e-9:
            raise ValueError(f"[tool.agitprop.splits]: ratios must be ≥ 0 and sum to 1: {ratios}")
        if not 0 < threshold < 1:
            raise ValueError("[tool.agitprop.splits]: near_duplicate_threshold must be in (0, 1)")
        return cls(ratios, threshold)


@dataclass
class SplitPlan:
    """The split of every article, by position: ``codes[i]`` indexes :data:`SPLITS` for the
    i-th article given to :class:`StoryClusterer` (a byte an article, so a large corpus costs
    almost nothing to route); ``stats`` is the summary the card and manifest report."""

    codes: np.ndarray  # int8, one per article in release order
    settings: SplitSettings
    stats: dict

    def split_at(self, position: int) -> str:
        return SPLITS[int(self.codes[position])]

    def summary(self) -> dict:
        return {
            "ratios": self.settings.ratios,
            "near_duplicate_threshold": self.settings.threshold,
            "method": f"minhash-lsh num_perm={NUM_PERM} shingles=body word {SHINGLE_WORDS}-grams",
            **self.stats,
        }


def shingles(document: Document) -> set[str]:
    """Word 3-grams of each body sentence (lower-cased); the whole text if it has none."""
    texts = [s.text for s in document.sentences if s.kind == "body"] or [document.article.text]
    found = set()
    for text in texts:
        words = WORD.findall(text.lower())
        if len(words) < SHINGLE_WORDS:
            found.add(" ".join(words))
        found.update(
            " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
        )
    found.discard("")
    return found or {document.article.text}  # no words at all: only an identical text matches


def split_for(key: str, ratios: dict[str, float]) -> str:
    """The split of a cluster: sha256 of its smallest article id as a position in [0, 1)."""
    position = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:16], 16) / 2**64
    edge = 0.0
    for name in SPLITS:
        edge += ratios[name]
        if position < edge:
            return name
    return next(name for name in reversed(SPLITS) if ratios[name] > 0)


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, element-wise (uint64 products wrap, as intended)."""
    values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def band_keys(values: np.ndarray, start: int, end: int) -> np.ndarray:
    """One 64-bit key per signature for its values ``start:end`` (one LSH band). datasketch
    keys a band by its bytes; a hash is 8 bytes an article on disk instead of 20, and a rare
    collision only adds a candidate pair that the Jaccard check then rejects."""
    keys = np.full(len(values), 0x9E3779B97F4A7C15, dtype=np.uint64)
    for column in range(start, end):
        keys = _mix(keys ^ values[:, column].astype(np.uint64))
    return keys


class _ScratchFiles:
    """What :meth:`StoryClusterer.add` spills: signatures (uint32 rows of NUM_PERM), one file
    of band keys per band (so :meth:`band` reads one column, 8 bytes an article) and the ids
    (one JSON string a line, so any id fits on one; not Arrow, whose first string array costs
    ~45 MB of memory pool in a process that has not used pyarrow yet)."""

    ROW = NUM_PERM * 4

    def __init__(self, folder: Path, bands: int) -> None:
        self.folder = folder
        self.bands = bands
        self._signatures = (folder / "signatures.u32").open("wb")
        self._keys = [(folder / f"band-{b:02d}.u64").open("wb") for b in range(bands)]
        self._ids = (folder / "ids.jsonl").open("w", encoding="utf-8")
        self._fd: int | None = None

    def append(self, values: np.ndarray, ids: list[str], hashranges) -> None:
        values.tofile(self._signatures)
        for handle, (start, end) in zip(self._keys, hashranges, strict=True):
            band_keys(values, start, end).tofile(handle)
        self._ids.write("".join(f"{json.dumps(key)}\n" for key in ids))

    def close(self) -> None:
        for handle in (self._signatures, *self._keys, self._ids):
            handle.close()
        if self._fd is None:
            self._fd = os.open(self.folder / "signatures.u32", os.O_RDONLY)

    def band(self, number: int) -> np.ndarray:
        return np.fromfile(self.folder / f"band-{number:02d}.u64", dtype=np.uint64)

    def rows(self, positions: list[int]) -> np.ndarray:
        """The signatures of the given articles, read with ``pread`` rather than a memory map:
        mapped pages would count towards the process's resident memory."""
        row, fd = self.ROW, self._fd
        data = b"".join([os.pread(fd, row, p * row) for p in positions])
        return np.frombuffer(data, dtype=np.uint32).reshape(len(positions), NUM_PERM)

    def ids(self, wanted: np.ndarray):
        """(position, id) of the articles where ``wanted`` (a bool per article) is set."""
        with (self.folder / "ids.jsonl").open(encoding="utf-8") as lines:
            for position, line in enumerate(lines):
                if wanted[position]:
                    yield position, json.loads(line)

    def close_reader(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class _Clusters:
    """Union-find over article positions (a numpy array; the root is the smallest position),
    joined band by band from the scratch files."""

    def __init__(self, files: _ScratchFiles, count: int, needed: float) -> None:
        self.files = files
        self.count = count
        self.needed = needed  # equal values for estimated Jaccard ≥ threshold
        self.parent = np.arange(count, dtype=np.int32)  # positions: 4 bytes an article

    def join_bands(self) -> np.ndarray:
        """Each article's cluster (its root position) after all bands."""
        for band in range(self.files.bands):
            if self.count > 1:
                self._join_band(band)
        return self.roots()

    def roots(self) -> np.ndarray:
        parent = self.parent
        while True:  # pointer jumping: every article points at its root afterwards
            above = parent[parent]
            if np.array_equal(above, parent):
                break
            parent = above
        self.parent = parent
        return parent

    def _join_band(self, band: int) -> None:
        """Articles sharing this band's key are candidates. A stable sort keeps each bucket's
        members in release order (the same plan on every run). Transient memory: the keys,
        the sort order and the sorted keys (8 bytes an article each), then a byte an article."""
        # ``roots`` is the union-find array itself: joins in this band move entries to an
        # ancestor, so equal entries still mean one cluster (unequal ones are checked again)
        roots = self.roots()
        keys = self.files.band(band)
        order = np.argsort(keys, kind="stable").astype(np.int32)
        ordered = keys[order]
        del keys
        same = ordered[1:] == ordered[:-1]  # sorted article i has the key of article i - 1 … + 1
        del ordered
        shared = np.flatnonzero(np.r_[same, False] | np.r_[False, same])
        if not len(shared):
            return
        # a bucket starts where an article does not share the key of the one before it
        firsts = np.flatnonzero(np.r_[True, ~same[shared[1:] - 1]])
        starts, sizes = shared[firsts], np.diff(np.r_[firsts, len(shared)])
        del same, shared
        small = sizes <= PAIRWISE_BUCKET
        self._join_small(order, starts[small], sizes[small], roots)
        for start, size in zip(starts[~small].tolist(), sizes[~small].tolist(), strict=True):
            members = order[start : start + size]
            known = roots[members]
            if np.any(known != known[0]):  # else all one cluster already
                self._join_large(members)

    def _join_small(self, order, starts, sizes, roots) -> None:
        """Buckets of up to PAIRWISE_BUCKET articles: every pair not yet in one cluster is
        checked, all buckets of the band at once."""
        if not len(starts):
            return
        total = int(sizes.sum())
        first_of = np.repeat(starts, sizes)
        index = first_of + np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        end = first_of + np.repeat(sizes, sizes)
        left, right = [], []
        for offset in range(1, int(sizes.max())):
            pair = index + offset < end
            left.append(order[index[pair]])
            right.append(order[index[pair] + offset])
        a, b = np.concatenate(left), np.concatenate(right)
        apart = roots[a] != roots[b]
        a, b = a[apart], b[apart]
        for chunk in range(0, len(a), VERIFY_CHUNK):
            self._join_similar(a[chunk : chunk + VERIFY_CHUNK], b[chunk : chunk + VERIFY_CHUNK])

    def _join_similar(self, a: np.ndarray, b: np.ndarray) -> None:
        positions = np.unique(np.concatenate([a, b]))
        rows = self.files.rows(positions.tolist())
        equal = rows[np.searchsorted(positions, a)] == rows[np.searchsorted(positions, b)]
        similar = np.count_nonzero(equal, axis=1) >= self.needed
        for x, y in zip(a[similar].tolist(), b[similar].tolist(), strict=True):
            self._union(x, y)

    def _join_large(self, members: np.ndarray) -> None:
        """A big bucket (a story reprinted many times, or a corpus with a tiny vocabulary):
        each member, in release order, is checked against the first INDEXED_PER_CLUSTER
        members of every cluster seen so far in the bucket, so the work grows with the
        number of distinct stories in it, not with the square of its size."""
        representatives = np.empty((min(len(members), 64), NUM_PERM), dtype=np.uint32)
        positions: list[int] = []
        indexed: Counter[int] = Counter()  # cluster root → its representatives here
        for block in range(0, len(members), VERIFY_CHUNK):
            chosen = members[block : block + VERIFY_CHUNK].tolist()  # a block at a time
            for position, row in zip(chosen, self.files.rows(chosen), strict=True):
                if positions:
                    equal = representatives[: len(positions)] == row
                    similar = np.count_nonzero(equal, axis=1) >= self.needed
                    for match in np.flatnonzero(similar).tolist():
                        joined = self._find(positions[match]), self._find(position)
                        if joined[0] != joined[1]:
                            total = indexed.pop(joined[0], 0) + indexed.pop(joined[1], 0)
                            indexed[self._union(*joined)] = total
                root = self._find(position)
                if indexed[root] < INDEXED_PER_CLUSTER:
                    if len(positions) == len(representatives):
                        representatives = np.concatenate([representatives, representatives])
                    representatives[len(positions)] = row
                    positions.append(position)
                    indexed[root] += 1

    def _find(self, position: int) -> int:
        parent = self.parent
        while (above := int(parent[position])) != position:
            parent[position] = parent[above]  # path halving
            position = above
        return position

    def _union(self, a: int, b: int) -> int:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
        return min(ra, rb)


@functools.cache
def _template():
    """A seeded MinHash whose permutations every signature reuses: they depend only on the seed
    (drawing them per article was a third of the time). One per process."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED)


def story_signature(document: Document) -> np.ndarray:
    """The MinHash values of the article's body shingles."""
    template = _template()
    minhash = type(template)(
        NUM_PERM,
        SEED,
        hashfunc=HASH,
        permutations=template.permutations,
        scheme=template.scheme,
    )
    # the minimum does not depend on the order: the set is not sorted
    minhash.update_batch([shingle.encode("utf-8") for shingle in shingles(document)])
    return minhash.hashvalues.astype(np.uint32)  # the values are 32-bit (datasketch's max hash)


class StorySignatures(PipelineStep):
    """Pipeline step: each document's story signature, so that it can be computed where the
    other per-document work runs (the worker processes of ``--jobs``), not in the writer's."""

    name = "story-signatures"

    def run(self, records: Iterable[Document]) -> Iterator[Document]:
        for document in records:
            document.story_signature = story_signature(document)
            yield document


class StoryClusterer:
    """Clusters articles into stories as they stream past: :meth:`add` each released article
    once, in release order, then :meth:`finish` gives the :class:`SplitPlan`. Rows are written
    during the same pass and routed to their split afterwards, so the seeds are read once.

    Memory stays flat: :meth:`add` keeps at most :data:`BATCH_ARTICLES` signatures in RAM and
    appends them (and the ids and LSH band keys) to files in a scratch directory; :meth:`finish`
    works through one band at a time from those files and deletes them. ``scratch`` is the
    directory to put them under (a temporary directory by default)."""

    def __init__(self, settings: SplitSettings, scratch: Path | None = None) -> None:
        # imported here: datasketch pulls in scipy (~0.3 s), which a release that reuses its
        # development build never needs
        from datasketch import MinHashLSH

        self.settings = settings
        self._needed = settings.threshold * NUM_PERM  # equal MinHash values to count as one story
        # the library's banding for this threshold (its optimum of false positives/negatives)
        self.hashranges = MinHashLSH(threshold=settings.threshold, num_perm=NUM_PERM).hashranges
        if scratch is not None:
            Path(scratch).mkdir(parents=True, exist_ok=True)
        # ignore_cleanup_errors: the caller may have removed ``scratch`` already (a failed build)
        self._scratch = tempfile.TemporaryDirectory(
            prefix="stories-", dir=scratch, ignore_cleanup_errors=True
        )
        self._files = _ScratchFiles(Path(self._scratch.name), len(self.hashranges))
        self._batch: list[np.ndarray] = []
        self._batch_ids: list[str] = []
        self._own_codes = bytearray()  # each article's split as if it stood alone
        self._count = 0

    @property
    def scratch(self) -> Path:
        return Path(self._scratch.name)

    def add(self, document: Document) -> None:
        key = document.article.article_id
        signature = document.story_signature
        if signature is None:  # no StorySignatures step ran (e.g. a single process)
            signature = story_signature(document)
        self._batch.append(signature)
        self._batch_ids.append(key)
        self._own_codes.append(SPLITS.index(split_for(key, self.settings.ratios)))
        self._count += 1
        if len(self._batch) >= BATCH_ARTICLES:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            values = np.vstack(self._batch).astype(np.uint32, copy=False)
            self._files.append(values, self._batch_ids, self.hashranges)
            self._batch, self._batch_ids = [], []

    def clusters(self) -> np.ndarray:
        """Each article's cluster, by position: the position of the cluster's first article
        (no more articles can be added afterwards)."""
        self._flush()
        self._files.close()
        return _Clusters(self._files, self._count, self._needed).join_bands()

    def finish(self) -> SplitPlan:
        """The plan; the scratch files are deleted, whether it succeeds or not."""
        try:
            return self._plan(self.clusters())
        finally:
            self._files.close_reader()
            self._scratch.cleanup()

    def _plan(self, roots: np.ndarray) -> SplitPlan:
        """Every article's split from its cluster's smallest id. An article alone keeps the
        split of its own id (computed in :meth:`add`); only the members of clusters with more
        than one article are looked up again, streaming the ids from the scratch file."""
        codes = np.frombuffer(bytes(self._own_codes), dtype=np.int8).copy()
        sizes = np.bincount(roots, minlength=self._count)
        shared = sizes[roots] > 1
        smallest: dict[int, str] = {}
        for position, key in self._files.ids(shared):
            root = int(roots[position])
            if root not in smallest or key < smallest[root]:
                smallest[root] = key
        code_of_root = np.zeros(self._count, dtype=np.int8)
        for root, key in smallest.items():
            code_of_root[root] = SPLITS.index(split_for(key, self.settings.ratios))
        codes[shared] = code_of_root[roots[shared]]
        cluster_codes = np.concatenate(
            [codes[~shared], np.array([code_of_root[r] for r in smallest], dtype=np.int8)]
        )
        stats = {
            "clusters": int(np.count_nonzero(~shared)) + len(smallest),
            "multi_article_clusters": len(smallest),
            "articles_in_multi_article_clusters": int(np.count_nonzero(shared)),
            "largest_cluster": int(sizes.max(initial=0)),
            "articles": {s: int(np.count_nonzero(codes == i)) for i, s in enumerate(SPLITS)},
            "clusters_per_split": {
                s: int(np.count_nonzero(cluster_codes == i)) for i, s in enumerate(SPLITS)
            },
        }
        return SplitPlan(codes, self.settings, stats)
