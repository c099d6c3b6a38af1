"""Sentence-segmentation benchmark: agitprop vs pysbd vs sentencex, in one run.

Data: the UD Polish PDB dev treebank (``../shared/data/pl_pdb-ud-dev.conllu``, see its README).
Only newspaper sentences are used, in treebank order, grouped into 20-sentence pseudo-articles in
two variants: *clean* (sentences joined by one space) and *fused* (joined with nothing, as scraped
paragraphs often arrive). A boundary is the code-point offset where a gold sentence ends; the end of
each pseudo-article is not counted (every segmenter gets it for free).

    .venv/bin/python benchmarks/segmentation.py [--conllu PATH] [--repeat N] [--errors N]
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pysbd
import sentencex

from builders.segment import load_rules, split_text
from builders.segment.boundaries import find_pieces

DEFAULT_CONLLU = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
DEFAULT_CONLLU = DEFAULT_CONLLU / "pl_pdb-ud-dev.conllu"
ARTICLE_SIZE = 20
# NKJP press sources: named newspapers, and NKJP text ids of the press channel (1xx-…).
NON_PRESS = re.compile(r"^(CDScorpus|PDB|OTHER|forum|KOT|SikoraMiedzy|Lukasiewicz|Heller)")
PRESS_ID = re.compile(r"^1\d\d-")
VARIANTS = {"clean": " ", "fused": ""}


def newspaper_sentences(path: Path) -> list[str]:
    """``# text`` of every sentence whose ``# orig_file_sentence`` is newspaper text."""
    sentences, text = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# text = "):
            text = line[len("# text = ") :]
        elif line.startswith("# orig_file_sentence = ") and text is not None:
            source = line[len("# orig_file_sentence = ") :]
            if PRESS_ID.match(source) or (not source[:1].isdigit() and not NON_PRESS.match(source)):
                sentences.append(text)
            text = None
    return sentences


@dataclass
class PseudoArticle:
    text: str
    gold: frozenset[int]


def pseudo_articles(sentences: list[str], joiner: str) -> list[PseudoArticle]:
    articles = []
    for first in range(0, len(sentences), ARTICLE_SIZE):
        group = sentences[first : first + ARTICLE_SIZE]
        ends, offset = [], 0
        for sentence in group:
            offset += len(sentence)
            ends.append(offset)
            offset += len(joiner)
        articles.append(PseudoArticle(joiner.join(group), frozenset(ends[:-1])))
    return articles


def ends_from_spans(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    """Boundaries from (start, end) spans: the end with trailing whitespace stripped."""
    ends = set()
    for start, end in spans:
        while end > start and text[end - 1].isspace():
            end -= 1
        if 0 < end < len(text.rstrip()):
            ends.add(end)
    return ends


def agitprop_splitter() -> Callable[[str], set[int]]:
    rules = load_rules("pl")
    return lambda text: ends_from_spans(text, ((s, e) for s, e, _ in split_text(text, rules)))


def agitprop_boundaries_splitter() -> Callable[[str], set[int]]:
    """Boundaries only, without sentence kinds: the part comparable to the other libraries."""
    rules = load_rules("pl")
    return lambda text: ends_from_spans(text, find_pieces(text, rules))


def pysbd_splitter() -> Callable[[str], set[int]]:
    segmenter = pysbd.Segmenter(language="pl", clean=False, char_span=True)
    return lambda text: ends_from_spans(text, ((s.start, s.end) for s in segmenter.segment(text)))


def sentencex_splitter() -> Callable[[str], set[int]]:
    def split(text: str) -> set[int]:
        found = sentencex.get_sentence_boundaries("pl", text)
        return ends_from_spans(text, ((b["start_index"], b["end_index"]) for b in found))

    return split


SEGMENTERS = {
    "agitprop": agitprop_splitter,
    "agitprop (no kinds)": agitprop_boundaries_splitter,
    "pysbd": pysbd_splitter,
    "sentencex": sentencex_splitter,
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    seconds: float = 0.0
    megabytes: float = 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds if self.seconds else 0.0


def evaluate(split, articles: list[PseudoArticle], repeat: int, errors: list) -> Score:
    score = Score()
    predictions = [split(a.text) for a in articles]
    for article, predicted in zip(articles, predictions, strict=True):
        score.tp += len(predicted & article.gold)
        score.fp += len(predicted - article.gold)
        score.fn += len(article.gold - predicted)
        for offset in sorted(predicted ^ article.gold):
            kind = "FP" if offset in predicted else "FN"
            errors.append(
                f"{kind} …{article.text[max(0, offset - 40) : offset]}|"
                f"{article.text[offset : offset + 30]}…"
            )
    size = sum(len(a.text.encode("utf-8")) for a in articles) / 1e6
    best = float("inf")
    for _ in range(repeat):  # best of N: the least disturbed run on a shared machine
        began = time.process_time()
        for article in articles:
            split(article.text)
        best = min(best, time.process_time() - began)
    score.seconds, score.megabytes = best, size
    return score


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conllu", type=Path, default=DEFAULT_CONLLU)
    parser.add_argument("--repeat", type=int, default=5, help="timing runs; the best is reported")
    parser.add_argument("--errors", type=int, default=0, help="print N agitprop errors per variant")
    parser.add_argument("--only", choices=sorted(SEGMENTERS), action="append")
    args = parser.parse_args(argv)
    sentences = newspaper_sentences(args.conllu)
    print(f"{len(sentences)} newspaper sentences, pseudo-articles of {ARTICLE_SIZE}\n")
    print("| variant | segmenter | precision | recall | F1 | MB/s |")
    print("|---|---|---:|---:|---:|---:|")
    for variant, joiner in VARIANTS.items():
        articles = pseudo_articles(sentences, joiner)
        for name in args.only or SEGMENTERS:
            errors: list[str] = []
            score = evaluate(SEGMENTERS[name](), articles, args.repeat, errors)
            print(
                f"| {variant} | {name} | {score.precision:.4f} | {score.recall:.4f} "
                f"| {score.f1:.4f} | {score.mb_per_s:.1f} |"
            )
            if name == "agitprop" and args.errors:
                print("\n".join(errors[: args.errors]))


if __name__ == "__main__":
    main()
