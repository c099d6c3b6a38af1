"""ATTRIBUTION pre-labels: who a statement is attributed to.

Two shapes of source cue, found on lemmas so every person and tense counts:

- a reporting verb with its speaker, before or after it: "Szojgu oświadczył, że",
  "północnokoreańskie media podały", "– podała agencja Yonhap", "Jak zaznaczyło biuro prasowe
  Rady Bezpieczeństwa";
- a source preposition with its source: "Według rosyjskich mediów", "zdaniem ekspertów".

The speaker is a short noun phrase grown word by word from the cue: names (capitalised words),
source nouns from the language's cue file ("agencja", "media", "biuro"), adjectives beside them
and complements ("resortu obrony"). It must contain a name or a source noun, and it never crosses
punctuation. Speakers are kept for quotes (QUOTE ``speaker``) in the same or following sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

from builders.cues.base import CueDetector
from builders.cues.lemmas import lemmatizer
from builders.cues.rules import AttributionCues, load_actors, load_attribution_cues
from builders.cues.shared import shared, token_view
from builders.cues.tokens import TokenView
from builders.records import Document, Span, make_span

MAX_SPEAKER_WORDS = 8


@dataclass(frozen=True)
class Attribution:
    start: int
    end: int
    speaker_first: int  # token indices of the speaker phrase, inclusive
    speaker_last: int
    speaker_start: int
    speaker_end: int
    sentence: int
    cue: str  # "verb" or "preposition"
    trigger: str  # the reporting verb's or preposition's lemma
    actor: object | None  # builders.cues.rules.Actor found in the speaker phrase


def attributions_in(document: Document) -> list[Attribution]:
    return shared(document, "attributions", _find_attributions)


def _find_attributions(document: Document) -> list[Attribution]:
    cues = load_attribution_cues(document.article.language)
    if cues is None:
        return []
    view = token_view(document)
    actors = load_actors().matcher(document.article.language)
    first_words = {phrase[0] for phrase in cues.source_prepositions}
    triggers = cues.reporting_verbs | first_words
    found = []
    for lo, hi in view.sentence_token_ranges():
        for k in [k for k in range(lo, hi) if view.lemmas[k] in triggers]:
            attribution = _preposition_cue(view, cues, k, lo, hi) or _verb_cue(
                view, cues, k, lo, hi
            )
            if attribution:
                hits = actors.find(view, attribution[1], attribution[2] + 1)
                # the last name is the head: "rzecznik Kremla Dmitrij Pieskow" → Pieskow
                actor = hits[-1].phrase.payload if hits else None
                found.append(_record(view, *attribution, actor=actor))
    return _without_overlaps(found)


def _record(view, span_first, speaker_first, speaker_last, span_last, cue, k, tail_end, actor):
    return Attribution(
        start=view.starts[span_first],
        end=max(view.ends[span_last], tail_end),
        speaker_first=speaker_first,
        speaker_last=speaker_last,
        speaker_start=view.starts[speaker_first],
        speaker_end=view.ends[speaker_last],
        sentence=view.sentence_of(view.starts[k]),
        cue=cue,
        trigger=view.lemmas[k],
        actor=actor,
    )


def _preposition_cue(view: TokenView, cues: AttributionCues, k: int, lo: int, hi: int):
    for phrase in cues.source_prepositions:
        last = k + len(phrase) - 1
        if last < hi and tuple(view.lemmas[k : last + 1]) == phrase:
            speaker = _speaker_after(view, cues, last, hi)
            if speaker:
                return (k, *speaker, speaker[1], "preposition", k, 0)
    return None


def _verb_cue(view: TokenView, cues: AttributionCues, k: int, lo: int, hi: int):
    if view.lemmas[k] not in cues.reporting_verbs or (k > lo and view.is_capitalised(k)):
        return None
    speaker = _speaker_before(view, cues, k, lo)
    if speaker:
        first, last, span_last = speaker[0], speaker[1], k
    else:
        speaker = _speaker_after(view, cues, k, hi)
        if not speaker:
            return None
        first, last, span_last = speaker[0], speaker[1], speaker[1]
    span_first = min(first, k)
    introduced = span_first > lo and view.lemmas[span_first - 1] in cues.introducers
    if introduced and view.plain_gap(span_first - 1):
        span_first -= 1  # "Jak zaznaczyło biuro prasowe"
    tail_end = _complementizer_end(view, cues, span_last, hi)
    return (span_first, first, last, span_last, "verb", k, tail_end)


def _complementizer_end(view: TokenView, cues: AttributionCues, last: int, hi: int) -> int:
    """End offset of ", że" right after the cue, or 0 if there is none."""
    nxt = last + 1
    if nxt < hi and view.gaps[last].strip() == "," and view.lemmas[nxt] in cues.complementizers:
        return view.ends[nxt]
    return 0


def _is_name(
    view: TokenView, cues: AttributionCues, k: int, lo: int, before_verb: bool = False
) -> bool:
    """Capitalised and, as a sentence's first word, not a common word.

    A capitalised first word is a name if the lemmatiser does not know it ("Szojgu"), or if it
    stands right before the verb uninflected ("Putin powiedział"; "Informację podała" is not).
    """
    if not view.is_capitalised(k) or view.lemmas[k] in cues.function_words:
        return False
    if k > lo:
        return True
    word = view.words[k].lower()
    return not lemmatizer(view.language).is_known(word) or (before_verb and view.lemmas[k] == word)


def _is_adjective(view: TokenView, cues: AttributionCues, k: int) -> bool:
    return not view.is_capitalised(k) and view.lemmas[k].endswith(cues.adjective_endings)


def _speaker_after(view: TokenView, cues: AttributionCues, k: int, hi: int):
    """Speaker phrase starting right after token k: (first, last) token indices, or None."""
    words: list[int] = []
    t = k + 1
    while t < hi and len(words) < MAX_SPEAKER_WORDS and view.plain_gap(t - 1):
        if not _continues_after(view, cues, t, words[-1] if words else None, hi):
            break
        words.append(t)
        t += 1
    return _with_head(view, cues, words, k + 1)


def _continues_after(view: TokenView, cues: AttributionCues, t: int, previous, hi: int) -> bool:
    """May word t extend a speaker phrase read left to right (``previous`` is its last word)?"""
    lemma = view.lemmas[t]
    if view.is_capitalised(t):
        # "według rosyjskich mediów | Szojgu przybył": after "media" a name starts the clause
        return previous is None or view.lemmas[previous] not in cues.collective_sources
    if lemma in cues.sources or lemma in cues.complements:
        return True
    if _is_adjective(view, cues, t):
        return (
            (previous is not None and view.lemmas[previous] in cues.sources)
            or (t + 1 < hi and view.lemmas[t + 1] in cues.sources)
            or (t + 1 < hi and _is_adjective(view, cues, t + 1))
        )
    return (
        lemma in cues.connectors
        and previous is not None
        and view.is_capitalised(previous)
        and t + 1 < hi
        and view.is_capitalised(t + 1)
    )


def _speaker_before(view: TokenView, cues: AttributionCues, k: int, lo: int):
    """Speaker phrase ending right before token k (the verb): (first, last), or None."""
    words: list[int] = []
    t = k - 1
    while t >= lo and len(words) < MAX_SPEAKER_WORDS and view.plain_gap(t):
        if not _continues_before(view, cues, t, words, lo, k):
            break
        words.append(t)
        t -= 1
    return _with_head(view, cues, sorted(words), lo, k)


def _continues_before(view, cues: AttributionCues, t: int, words: list[int], lo: int, k: int):
    """May word t extend a speaker phrase read right to left from the verb at k?"""
    lemma = view.lemmas[t]
    if _is_name(view, cues, t, lo, t == k - 1) or lemma in cues.sources:
        return True
    if lemma in cues.complements or (words and lemma.endswith(cues.adjective_endings)):
        return True
    return (
        lemma in cues.connectors
        and bool(words)
        and view.is_capitalised(words[-1])
        and t > lo
        and view.is_capitalised(t - 1)
    )


def _with_head(view: TokenView, cues: AttributionCues, words: list[int], lo: int, verb: int = -1):
    """Trim connectors at the edges; keep the phrase only if it has a name or source noun."""
    while words and view.lemmas[words[-1]] in cues.connectors:
        words.pop()
    while words and view.lemmas[words[0]] in cues.connectors:
        words.pop(0)
    has_head = any(
        _is_name(view, cues, t, lo, t == verb - 1) or view.lemmas[t] in cues.sources for t in words
    )
    return (words[0], words[-1]) if words and has_head else None


def _without_overlaps(found: list[Attribution]) -> list[Attribution]:
    kept: list[Attribution] = []
    for attribution in sorted(found, key=lambda a: (a.start, -a.end)):
        if not kept or attribution.start >= kept[-1].end:
            kept.append(attribution)
    return kept


class AttributionDetector(CueDetector):
    name = "attribution"
    version = "0.1.0"

    def detect(self, document: Document) -> list[Span]:
        cues = load_attribution_cues(document.article.language)
        spans = []
        for a in attributions_in(document):
            text = document.article.text
            attributes = {
                "speaker": text[a.speaker_start : a.speaker_end],
                "speaker_start": a.speaker_start,
                "speaker_end": a.speaker_end,
                "cue": a.cue,
                "trigger": a.trigger,
                "cues": cues.ref,
            }
            if a.actor is not None:
                attributes.update(actor=a.actor.id, actors=load_actors().ref)
            spans.append(
                make_span(
                    document.article,
                    document.sentences,
                    a.start,
                    a.end,
                    "ATTRIBUTION",
                    "prelabel",
                    self.source,
                    attributes,
                )
            )
        return spans
