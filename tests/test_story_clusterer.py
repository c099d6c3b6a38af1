"""StoryClusterer against a straightforward reference: every pair's estimated Jaccard, then the
transitive closure. Planted reprints (new headline, shuffled boilerplate, a dropped sentence,
an edited word) must come out as exactly the reference's clusters."""

from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch import MinHash

from builders.gold.splits import (
    HASH,
    NUM_PERM,
    PAIRWISE_BUCKET,
    SEED,
    SPLITS,
    SplitSettings,
    StoryClusterer,
    shingles,
    split_for,
)
from builders.records import Article, Document, Sentence, sentence_id

LETTERS = "abcdefghijklmnoprstuwyząęółśżźćń"


def _vocabulary(rng: random.Random) -> list[str]:
    return sorted({"".join(rng.choices(LETTERS, k=rng.randint(3, 9))) for _ in range(6000)})


def _document(article_id: str, heading: str, body: list[str], footer: list[str]) -> Document:
    parts = [
        ("heading", heading),
        *(("body", s) for s in body),
        *(("boilerplate", s) for s in footer),
    ]
    sentences, start = [], 0
    for index, (kind, text) in enumerate(parts):
        sentences.append(
            Sentence(sentence_id(article_id, index), article_id, index, start, start + len(text),
                     text, kind)
        )  # fmt: skip
        start += len(text) + 1
    article = Article(article_id, " ".join(text for _, text in parts), "pl", title=heading)
    return Document(article, sentences)


def _reprint(rng: random.Random, words: list[str], body: list[str]) -> list[str]:
    """A reprint's body: a sentence dropped, or a word edited, or both."""
    body = list(body)
    if rng.random() < 0.6:
        del body[rng.randrange(len(body))]
    if rng.random() < 0.6:
        at = rng.randrange(len(body))
        tokens = body[at].split()
        tokens[rng.randrange(len(tokens))] = rng.choice(words)
        body[at] = " ".join(tokens)
    return body


def corpus(seed: int = 11, stories: int = 300) -> list[Document]:
    """Unique stories, ~20 % of them reprinted once or twice by other outlets, one story
    reprinted 40 times (so its LSH buckets are bigger than PAIRWISE_BUCKET), in random order."""
    rng = random.Random(seed)
    words = _vocabulary(rng)
    footers = [f"Czytaj więcej: {w}" for w in rng.sample(words, 30)]
    documents = []
    for story in range(stories):
        body = [
            " ".join(rng.choices(words, k=rng.randint(6, 14))) + "."
            for _ in range(rng.randint(6, 12))
        ]
        copies = 40 if story == 0 else rng.choices([0, 1, 2], weights=[8, 1.5, 0.5])[0]
        for copy in range(copies + 1):
            # the big story's copies mostly keep the body: every band has a bucket of > 30
            kept = copy == 0 or (story == 0 and rng.random() < 0.75)
            text = body if kept else _reprint(rng, words, body)
            footer = rng.sample(footers, 3)  # each outlet's own link lines, in its own order
            heading = f"{rng.choice(words).capitalize()} {rng.choice(words)}"
            documents.append((rng.random(), f"s{story:03d}-{copy:02d}", heading, text, footer))
    documents.sort()
    return [_document(*fields[1:]) for fields in documents]


def signature(document: Document) -> np.ndarray:
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=HASH)
    minhash.update_batch([s.encode("utf-8") for s in shingles(document)])
    return minhash.hashvalues


def reference_clusters(documents: list[Document], threshold: float) -> set[frozenset[str]]:
    """All pairs, estimated Jaccard ≥ threshold, transitive closure (no LSH, no caps)."""
    signatures = np.array([signature(d) for d in documents])
    parent = list(range(len(documents)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(documents)):
        equal = np.count_nonzero(signatures[i + 1 :] == signatures[i], axis=1)
        for j in np.flatnonzero(equal >= threshold * NUM_PERM) + i + 1:
            parent[root(int(j))] = root(i)
    return _groups(documents, [root(i) for i in range(len(documents))])


def _groups(documents, roots) -> set[frozenset[str]]:
    found: dict[int, set[str]] = {}
    for document, root in zip(documents, roots, strict=True):
        found.setdefault(int(root), set()).add(document.article.article_id)
    return {frozenset(members) for members in found.values()}


def _clustered(documents, settings, **kw):
    clusterer = StoryClusterer(settings, **kw)
    for document in documents:
        clusterer.add(document)
    return clusterer


def test_clusters_match_all_pairs_reference():
    documents = corpus()
    settings = SplitSettings()
    expected = reference_clusters(documents, settings.threshold)
    sizes = sorted(len(c) for c in expected)
    # what makes the corpus a test: the reference finds exactly the planted stories (ids
    # s<story>-<copy>), many reprinted, one bigger than a bucket that is checked pair by pair
    planted = _groups(documents, [int(d.article.article_id[1:4]) for d in documents])
    assert expected == planted
    assert sizes[-1] == 41 > PAIRWISE_BUCKET and sizes.count(2) > 20 and sizes.count(3) > 3

    clusterer = _clustered(documents, settings)
    assert _groups(documents, clusterer.clusters()) == expected
    plan = clusterer.finish()
    by_id = {d.article.article_id: i for i, d in enumerate(documents)}
    for cluster in expected:
        split = split_for(min(cluster), settings.ratios)
        assert {plan.split_at(by_id[a]) for a in cluster} == {split}
    assert plan.stats["clusters"] == len(expected)
    assert plan.stats["multi_article_clusters"] == sum(1 for c in expected if len(c) > 1)
    assert plan.stats["largest_cluster"] == 41
    assert sum(plan.stats["clusters_per_split"].values()) == len(expected)
    assert plan.stats["articles"] == {
        s: int(np.count_nonzero(plan.codes == i)) for i, s in enumerate(SPLITS)
    }


def test_same_corpus_same_plan():
    documents = corpus(seed=5, stories=120)
    first = _clustered(documents, SplitSettings()).finish()
    second = _clustered(documents, SplitSettings()).finish()
    assert first.codes.tobytes() == second.codes.tobytes() and first.stats == second.stats


@pytest.mark.parametrize("given", [True, False])
def test_scratch_files_are_removed(tmp_path, given):
    scratch = tmp_path / "unsplit"
    clusterer = _clustered(corpus(seed=3, stories=40), SplitSettings(), **(
        {"scratch": scratch} if given else {}
    ))  # fmt: skip
    clusterer.clusters()  # everything spilled
    spilled = clusterer.scratch
    assert spilled.is_dir() and (spilled / "signatures.u32").stat().st_size > 0
    if given:
        assert spilled.parent == scratch
    clusterer.finish()
    assert not spilled.exists()
    if given:
        assert scratch.is_dir() and not any(scratch.iterdir())  # the caller's folder stays


def test_no_articles():
    plan = StoryClusterer(SplitSettings()).finish()
    assert len(plan.codes) == 0 and plan.stats["clusters"] == 0
