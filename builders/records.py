"""The records that flow through the pipeline and into a release."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Article:
    article_id: str
    text: str
    language: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    source_file: str = ""
    normalization: tuple[str, ...] = ()

    def to_record(self) -> dict:
        # vars() rather than dataclasses.asdict: asdict deep-copies and was ~30 % of a release
        return {**vars(self), "normalization": list(self.normalization)}


@dataclass(frozen=True)
class Sentence:
    sentence_id: str
    article_id: str
    index: int
    start: int
    end: int
    text: str
    kind: str = "body"

    def to_record(self) -> dict:
        return dict(vars(self))


@dataclass(frozen=True)
class Span:
    span_id: str
    article_id: str
    sentence_id: str | None
    start: int
    end: int
    text: str
    label: str
    origin: str
    source: str
    attributes: dict = field(default_factory=dict)

    def to_record(self) -> dict:
        return {**vars(self), "attributes": dict(self.attributes)}


@dataclass
class Document:
    """One article with everything derived from it so far."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    # the annotators' ballots (builders.gold.ballots.Ballot) and the gold stances derived from them
    ballots: list = field(default_factory=list)
    stances: list = field(default_factory=list)


@dataclass(frozen=True)
class QuarantineRow:
    """An input that could not be used, with where and why."""

    file: str
    line: int | None
    field: str | None
    code: str
    reason: str
    raw: str | None = None

    def to_record(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        at = f" [{self.field}]" if self.field else ""
        return f"{where}{at}: {self.reason} ({self.code})"


def sentence_id(article_id: str, index: int) -> str:
    return f"{article_id}-s{index:04d}"


def span_id(article_id: str, start: int, end: int, label: str, origin: str, source: str) -> str:
    """Content-derived: the same span from the same producer always gets the same id."""
    key = json.dumps([article_id, start, end, label, origin, source], ensure_ascii=False)
    return f"{article_id}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"


def make_span(
    article: Article,
    sentences: list[Sentence],
    start: int,
    end: int,
    label: str,
    origin: str,
    source: str,
    attributes: dict | None = None,
    identity: str | None = None,
) -> Span:
    """A span of ``article``; ``identity`` (default: ``source``) keys its content-derived id."""
    return Span(
        span_id=span_id(article.article_id, start, end, label, origin, identity or source),
        article_id=article.article_id,
        sentence_id=sentence_at(sentences, start),
        start=start,
        end=end,
        text=article.text[start:end],
        label=label,
        origin=origin,
        source=source,
        attributes=attributes or {},
    )


def sentence_at(sentences: list[Sentence], offset: int) -> str | None:
    """The id of the sentence containing ``offset`` (binary search; sentences are ordered)."""
    lo, hi = 0, len(sentences)
    while lo < hi:
        mid = (lo + hi) // 2
        if sentences[mid].end <= offset:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(sentences) and sentences[lo].start <= offset < sentences[lo].end:
        return sentences[lo].sentence_id
    return None


def offset_problem(article_text: str, start, end, text) -> str | None:
    """Why ``article_text[start:end] != text`` (the offsets invariant), or None if it holds."""
    if not (isinstance(start, int) and isinstance(end, int)):
        return f"offsets must be integers, got {start!r}..{end!r}"
    if not 0 <= start < end <= len(article_text):
        return f"offsets {start}..{end} outside the article (length {len(article_text)})"
    if article_text[start:end] != text:
        return f"article text at {start}..{end} is {article_text[start:end]!r}, not {text!r}"
    return None
