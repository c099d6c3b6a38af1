"""Scoring pre-labels against the hand-written gold set (``tests/fixtures/cues/gold.jsonl``).

A gold line is a passage (``text``, or ``seed`` naming a seed file) and its expected spans, each
given by ``label``, ``text`` and ``nth`` (which occurrence of the text; 0 = first) so that the
file stays readable and offsets cannot be mistyped. QUOTE spans may also give ``speaker`` (a
word the detected speaker must contain) and ``kind``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from builders.cues import CueTagger, default_detectors
from builders.cues.base import CueWarning
from builders.records import Article, Document, Span
from builders.segment import load_rules, segment_sentences

REPO_ROOT = Path(__file__).resolve().parent.parent  # gold lines name seeds from the root


@dataclass(frozen=True)
class GoldSpan:
    label: str
    start: int
    end: int
    text: str
    speaker: str | None = None
    kind: str | None = None


@dataclass
class GoldPassage:
    article: Article
    spans: list[GoldSpan]
    note: str = ""


class GoldError(ValueError):
    """A gold line that cannot be used, with file, line and reason."""


def load_gold(path: Path) -> list[GoldPassage]:
    passages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
            if "seed" in record:
                text = (REPO_ROOT / record["seed"]).read_text(encoding="utf-8")
            else:
                text = record["text"]
            article = Article(record["id"], text, record["language"])
            spans = [_resolve(text, span, where) for span in record["spans"]]
        except GoldError:
            raise
        except (KeyError, TypeError, ValueError, OSError) as exc:
            raise GoldError(f"{where}: unusable gold line ({type(exc).__name__}: {exc})") from exc
        passages.append(GoldPassage(article, spans, record.get("note", "")))
    return passages


def _resolve(text: str, span: dict, where: str) -> GoldSpan:
    start = -1
    for _ in range(span.get("nth", 0) + 1):
        start = text.find(span["text"], start + 1)
        if start < 0:
            raise GoldError(f"{where}: {span['label']} {span['text']!r} not in the passage")
    end = start + len(span["text"])
    return GoldSpan(span["label"], start, end, span["text"], span.get("speaker"), span.get("kind"))


def detect(passage: GoldPassage) -> list[Span]:
    return tag_article(passage.article)[0]


def tag_article(article: Article) -> tuple[list[Span], list[CueWarning]]:
    """Segment ``article`` and run every default detector: (spans, warnings)."""
    document = Document(
        article,
        segment_sentences(article.article_id, article.text, load_rules(article.language)),
    )
    tagger = CueTagger(default_detectors())
    (tagged,) = tagger.run([document])
    return tagged.spans, tagger.warnings


@dataclass
class LabelScore:
    exact: Counter = field(default_factory=Counter)  # tp, fp, fn
    overlap: Counter = field(default_factory=Counter)

    @staticmethod
    def _prf(c: Counter) -> tuple[float, float, float]:
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def exact_prf(self) -> tuple[float, float, float]:
        return self._prf(self.exact)

    def overlap_prf(self) -> tuple[float, float, float]:
        return self._prf(self.overlap)


@dataclass
class Evaluation:
    labels: dict[str, LabelScore]
    speaker: Counter  # correct, wrong, missing: over gold quotes that name a speaker
    kind: Counter  # correct, wrong: over gold quotes that give a kind
    misses: list[str]  # readable lines: what was missed or spurious, per passage


def evaluate(passages: list[GoldPassage], label_names: list[str]) -> Evaluation:
    labels = {name: LabelScore() for name in label_names}
    speaker, kind, misses = Counter(), Counter(), []
    for passage in passages:
        predicted = [s for s in detect(passage) if s.origin == "prelabel"]
        for name in label_names:
            gold = [g for g in passage.spans if g.label == name]
            found = [p for p in predicted if p.label == name]
            _count(labels[name], gold, found, passage, misses)
        _quote_attributes(passage, predicted, speaker, kind, misses)
    return Evaluation(labels, speaker, kind, misses)


def _count(score: LabelScore, gold, found, passage, misses) -> None:
    exact_gold = {(g.start, g.end) for g in gold}
    exact_found = {(p.start, p.end) for p in found}
    score.exact.update(
        tp=len(exact_gold & exact_found),
        fp=len(exact_found - exact_gold),
        fn=len(exact_gold - exact_found),
    )
    unmatched = list(found)
    for g in gold:
        partner = next((p for p in unmatched if p.start < g.end and g.start < p.end), None)
        if partner is None:
            score.overlap["fn"] += 1
            misses.append(f"{passage.article.article_id} missed {g.label} {g.text!r}")
        else:
            score.overlap["tp"] += 1
            unmatched.remove(partner)
    score.overlap["fp"] += len(unmatched)
    for p in unmatched:
        misses.append(f"{passage.article.article_id} spurious {p.label} {p.text!r}")


def _quote_attributes(passage, predicted, speaker: Counter, kind: Counter, misses) -> None:
    quotes = {(p.start, p.end): p for p in predicted if p.label == "QUOTE"}
    for g in passage.spans:
        found = quotes.get((g.start, g.end))
        if g.label != "QUOTE" or found is None:
            continue
        if g.speaker:
            said = found.attributes.get("speaker")
            verdict = "missing" if not said else "correct" if g.speaker in said else "wrong"
            speaker[verdict] += 1
            if verdict != "correct":
                misses.append(
                    f"{passage.article.article_id} speaker of {g.text!r}: {said!r}, "
                    f"expected {g.speaker!r}"
                )
        if g.kind:
            verdict = "correct" if found.attributes.get("kind") == g.kind else "wrong"
            kind[verdict] += 1
            if verdict == "wrong":
                misses.append(f"{passage.article.article_id} kind of {g.text!r}: wrong")
