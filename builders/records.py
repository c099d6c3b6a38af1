"""The records that flow through the pipeline and into a release."""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from operator import attrgetter

# Ids of articles and names of datasets: safe as file names. Always used with ``fullmatch``
# (``$`` would let a final newline through).
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


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
    author: str | None = None
    # pages (HTML, WARC): what extracted the text ("trafilatura 2.3.1") and the sha256 of the raw
    # page, so a release says where every text came from; a WARC record's capture date
    extractor: str | None = None
    source_sha256: str | None = None
    captured: str | None = None

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
    # how the gold spans were decided (builders.gold.rules.span_method: adjudicated, majority),
    # None if they were not: the tokens config then tags the pre-labels
    span_gold: str | None = None
    # MinHash values of the body shingles (builders.gold.splits.StorySignatures), when computed
    # by a pipeline step; the story clusterer computes them itself otherwise
    story_signature: object = field(default=None, compare=False, repr=False)


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


def text_sha256(text: str) -> str:
    """What identifies an article's text: annotations record it, builds compare it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sentence_id(article_id: str, index: int) -> str:
    return f"{article_id}-s{index:04d}"


def span_id(article_id: str, start: int, end: int, label: str, origin: str, source: str) -> str:
    """Content-derived: the same span from the same producer always gets the same id.

    The id hashes ``json.dumps([article_id, start, end, label, origin, source],
    ensure_ascii=False)``; :class:`SpanMaker` builds the same key from per-article parts.
    """
    key = f"[{_json_string(article_id)}, {start}, {end}, {_id_tail(label, origin, source)}]"
    return f"{article_id}-{hashlib.sha1(key.encode()).hexdigest()[:12]}"


@lru_cache(maxsize=4096)
def _json_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


@lru_cache(maxsize=1024)
def _id_tail(label: str, origin: str, source: str) -> str:
    return f"{_json_string(label)}, {_json_string(origin)}, {_json_string(source)}"


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


_new_object = object.__new__


class SpanMaker:
    """Builds the spans of one article, like :func:`make_span`; what they share is computed once.

    Detectors make ~10-20 spans per kB of text, so per-span cost matters: the article's part of
    the id key is prepared once, and the frozen ``Span`` is filled directly (its generated
    ``__init__`` sets ten fields through ``object.__setattr__``, ~2x slower; ``Span`` has no
    ``__post_init__`` to skip).
    """

    def __init__(self, article: Article, sentences: list[Sentence]) -> None:
        self.article_id = article.article_id
        self.text = article.text
        self.sentences = sentences
        self._id_prefix = f"{article.article_id}-"
        self._key_head = f"[{_json_string(article.article_id)}, "
        self._sentence_ends = [sentence.end for sentence in sentences]

    def __call__(
        self,
        start: int,
        end: int,
        label: str,
        origin: str,
        source: str,
        attributes: dict | None = None,
    ) -> Span:
        # the same key as span_id() (inlined: this runs for every pre-label)
        key = f"{self._key_head}{start}, {end}, {_id_tail(label, origin, source)}]"
        at = bisect_right(self._sentence_ends, start)  # as sentence_at()
        sentence = self.sentences[at] if at < len(self.sentences) else None
        span = _new_object(Span)
        span.__dict__.update(
            span_id=self._id_prefix + hashlib.sha1(key.encode()).hexdigest()[:12],
            article_id=self.article_id,
            sentence_id=sentence.sentence_id if sentence and sentence.start <= start else None,
            start=start,
            end=end,
            text=self.text[start:end],
            label=label,
            origin=origin,
            source=source,
            attributes=attributes or {},
        )
        return span


_END = attrgetter("end")


def sentence_at(sentences: list[Sentence], offset: int) -> str | None:
    """The id of the sentence containing ``offset`` (binary search; sentences are ordered)."""
    lo = bisect_right(sentences, offset, key=_END)
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
