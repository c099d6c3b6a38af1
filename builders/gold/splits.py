"""Train/validation/test splits grouped by story, so reprints of one wire story never straddle.

Near-duplicates are found with MinHash LSH (``datasketch``): each article is shingled into word
3-grams *within its body sentences* (``kind == body``), so the headings, link tails and other
boilerplate one outlet adds around a reprint do not separate the copies. Candidate pairs from the
LSH index are confirmed by their estimated Jaccard similarity and joined transitively into
clusters (union-find). A cluster goes to the split picked by a stable hash of its smallest
article id — a position in [0, 1) from sha256 compared with the cumulative ratios — so the same
corpus always gets the same splits. Adding an article can move only the cluster it joins (when it
becomes the smallest id or links two clusters); the changelog counts such moves.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash, MinHashLSH

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


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the root is the smallest id


class StoryClusterer:
    """Clusters articles into stories as they stream past: :meth:`add` each released article
    once, in release order, then :meth:`finish` gives the :class:`SplitPlan`. Rows are written
    during the same pass and routed to their split afterwards, so the seeds are read once."""

    def __init__(self, settings: SplitSettings) -> None:
        self.settings = settings
        self._lsh = MinHashLSH(threshold=settings.threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, np.ndarray] = {}  # indexed articles' values (uint32)
        self._indexed: Counter[str] = Counter()  # cluster root → members in the LSH index
        self._clusters = _UnionFind()
        self._articles: list[str] = []
        # the permutations depend only on the seed: drawn once (a third of the time otherwise)
        template = MinHash(num_perm=NUM_PERM, seed=SEED)
        self._permutations, self._scheme = template.permutations, template.scheme

    def add(self, document: Document) -> None:
        key = document.article.article_id
        self._articles.append(key)
        minhash = MinHash(NUM_PERM, SEED, permutations=self._permutations, scheme=self._scheme)
        minhash.update_batch([s.encode("utf-8") for s in sorted(shingles(document))])
        values = minhash.hashvalues.astype(np.uint32)
        clusters, indexed = self._clusters, self._indexed
        clusters.find(key)
        for other in sorted(self._lsh.query(minhash)):
            if clusters.find(other) == clusters.find(key):
                continue  # already joined through another member
            if np.count_nonzero(self._signatures[other] == values) >= (
                self.settings.threshold * NUM_PERM
            ):
                joined = indexed.pop(clusters.find(other), 0) + indexed.pop(clusters.find(key), 0)
                clusters.join(key, other)
                indexed[clusters.find(key)] = joined
        # A cluster keeps at most INDEXED_PER_CLUSTER members in the index: later copies join
        # through them, and a story reprinted thousands of times costs no more per query.
        root = clusters.find(key)
        if indexed[root] < INDEXED_PER_CLUSTER:
            self._lsh.insert(key, minhash)
            self._signatures[key] = values
            indexed[root] += 1

    def finish(self) -> SplitPlan:
        roots = [self._clusters.find(key) for key in self._articles]
        split_of_root = {root: split_for(root, self.settings.ratios) for root in set(roots)}
        codes = np.array([SPLITS.index(split_of_root[r]) for r in roots], dtype=np.int8)
        sizes = Counter(roots)
        stats = {
            "clusters": len(sizes),
            "multi_article_clusters": sum(1 for n in sizes.values() if n > 1),
            "articles_in_multi_article_clusters": sum(n for n in sizes.values() if n > 1),
            "largest_cluster": max(sizes.values(), default=0),
            "articles": {s: int(np.count_nonzero(codes == i)) for i, s in enumerate(SPLITS)},
            "clusters_per_split": {
                s: sum(1 for v in split_of_root.values() if v == s) for s in SPLITS
            },
        }
        return SplitPlan(codes, self.settings, stats)
