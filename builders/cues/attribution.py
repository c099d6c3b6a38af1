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

from bisect import bisect_right
from typing import NamedTuple

from builders.cues.base import CueDetector
from builders.cues.lemmas import lemmatizer
from builders.cues.rules import AttributionCues, load_actors, load_attribution_cues
from builders.cues.shared import shared, span_maker, token_view
from builders.cues.tokens import TokenView
from builders.records import Document, Span

MAX_SPEAKER_WORDS = 8
CARRY_SENTENCES = 2  # how far back a speaker is carried ("Dodał, że…", "Według niej…", quotes)


# NamedTuples rather than frozen dataclasses here, in quotes and phrases: built many times an
# article, a tuple is ~4x cheaper to construct (a frozen dataclass sets each field through
# object.__setattr__)
class Attribution(NamedTuple):
    start: int
    end: int
    speaker_start: int  # the speaker phrase; for a carried speaker, in an earlier sentence
    speaker_end: int
    sentence: int
    cue: str  # "verb" or "preposition"
    trigger: str  # the reporting verb's or preposition's lemma
    actor: object | None  # builders.cues.rules.Actor found in the speaker phrase
    carried: bool = False  # speaker taken from an earlier attribution (pronoun or no subject)


class _Cue(NamedTuple):
    first: int  # token indices of the whole cue, inclusive
    last: int
    speaker: tuple[int, int] | None  # None: no subject ("Dodał, że") — carried if possible
    cue: str
    trigger: int
    tail_end: int = 0  # end offset of ", że" after the cue


def attributions_in(document: Document) -> list[Attribution]:
    return shared(document, "attributions", _find_attributions)


def _find_attributions(document: Document) -> list[Attribution]:
    cues = load_attribution_cues(document.article.language)
    if cues is None:
        return []
    view = token_view(document)
    actors = load_actors().matcher(document.article.language)
    found: list[Attribution] = []
    ranges = view.sentence_token_ranges()
    range_starts = [lo for lo, _ in ranges]
    prepositions = cues.prepositions_by_first_word
    for k in view.positions(cues.triggers):
        at = bisect_right(range_starts, k) - 1
        lo, hi = ranges[at]
        sentence = max(0, at)  # the trigger's sentence, as view.sentence_of would say
        cue = (view.lemmas[k] in prepositions and _preposition_cue(view, cues, k, hi)) or _verb_cue(
            view, cues, k, lo, hi
        )
        if cue is None:
            continue
        start = view.starts[cue.first]
        end = max(view.ends[cue.last], cue.tail_end)
        trigger = view.lemmas[cue.trigger]
        pronoun = cue.speaker and view.lemmas[cue.speaker[0]] in cues.pronouns
        if cue.speaker is None or pronoun:
            earlier = _antecedent(view.text, found, sentence, start)
            if earlier is not None:
                found.append(
                    earlier._replace(
                        start=start,
                        end=end,
                        sentence=sentence,
                        cue=cue.cue,
                        trigger=trigger,
                        carried=True,
                    )
                )
                continue
            if cue.speaker is None:
                continue
        first, last = cue.speaker
        actor = _actor_of(view, actors, first, last)
        found.append(
            Attribution(
                start,
                end,
                view.starts[first],
                view.ends[last],
                sentence,
                cue.cue,
                trigger,
                actor,
            )
        )
    return _without_overlaps(found)


_ACTOR_OF_SPEAKER: dict[tuple, object | None] = {}


def _actor_of(view: TokenView, actors, first: int, last: int):
    """The actor named in the speaker phrase, memoised by its words since speakers recur.

    The last name found is the head: "rzecznik Kremla Dmitrij Pieskow" → Pieskow.
    """
    key = (view.language, *view.words[first : last + 1])
    if key not in _ACTOR_OF_SPEAKER:
        if len(_ACTOR_OF_SPEAKER) > 100_000:
            _ACTOR_OF_SPEAKER.clear()
        hits = actors.find(view, first, last + 1)
        _ACTOR_OF_SPEAKER[key] = hits[-1].phrase.payload if hits else None
    return _ACTOR_OF_SPEAKER[key]


def _antecedent(text: str, found: list[Attribution], sentence: int, start: int):
    """The latest attribution up to CARRY_SENTENCES back in the same paragraph, or None."""
    for earlier in reversed(found):
        if earlier.sentence < sentence - CARRY_SENTENCES or "\n" in text[earlier.end : start]:
            return None
        if earlier.end <= start:
            return earlier
    return None


def _preposition_cue(view: TokenView, cues: AttributionCues, k: int, hi: int) -> _Cue | None:
    for phrase in cues.prepositions_by_first_word.get(view.lemmas[k], ()):
        last = k + len(phrase) - 1
        if last < hi and tuple(view.lemmas[k : last + 1]) == phrase:
            speaker = _pronoun_after(view, cues, last, hi) or _speaker_after(view, cues, last, hi)
            if speaker:
                return _Cue(k, speaker[1], speaker, "preposition", k)
    return None


def _verb_cue(view: TokenView, cues: AttributionCues, k: int, lo: int, hi: int) -> _Cue | None:
    if view.lemmas[k] not in cues.reporting_verbs or (k > lo and view.keys[k] is not None):
        return None
    speaker = _pronoun_before(view, cues, k, lo) or _speaker_before(view, cues, k, lo)
    if speaker:
        last = k
    else:
        speaker = _speaker_after(view, cues, k, hi)
        last = speaker[1] if speaker else k
    first = min(speaker[0], k) if speaker else k
    introduced = first > lo and view.lemmas[first - 1] in cues.introducers
    if introduced and view.plain[first - 1]:
        first -= 1  # "Jak zaznaczyło biuro prasowe"
    tail_end = _complementizer_end(view, cues, last, hi)
    if speaker is None and not (first == lo and tail_end):
        return None  # a subjectless verb counts only as "Dodał, że" opening a sentence
    return _Cue(first, last, speaker, "verb", k, tail_end)


def _pronoun_before(view: TokenView, cues: AttributionCues, k: int, lo: int):
    t = k - 1
    if t >= lo and view.plain[t] and view.lemmas[t] in cues.pronouns:
        return (t, t)
    return None


def _pronoun_after(view: TokenView, cues: AttributionCues, k: int, hi: int):
    t = k + 1
    if t < hi and view.plain[k] and view.lemmas[t] in cues.pronouns:
        return (t, t)
    return None


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
    if view.keys[k] is None or view.lemmas[k] in cues.function_words:
        return False
    if k > lo:
        return True
    word = view.words[k].lower()
    return not lemmatizer(view.language).is_known(word) or (before_verb and view.lemmas[k] == word)


def _is_adjective(view: TokenView, cues: AttributionCues, k: int) -> bool:
    return view.keys[k] is None and view.lemmas[k].endswith(cues.adjective_endings)


def _speaker_after(view: TokenView, cues: AttributionCues, k: int, hi: int):
    """Speaker phrase starting right after token k: (first, last) token indices, or None."""
    words: list[int] = []
    t = k + 1
    while t < hi and len(words) < MAX_SPEAKER_WORDS and view.plain[t - 1]:
        if not _continues_after(view, cues, t, words[-1] if words else None, hi):
            break
        words.append(t)
        t += 1
    return _with_head(view, cues, words, k + 1)


def _continues_after(view: TokenView, cues: AttributionCues, t: int, previous, hi: int) -> bool:
    """May word t extend a speaker phrase read left to right (``previous`` is its last word)?"""
    lemma = view.lemmas[t]
    if view.gaps[t : t + 1] == ["-"]:
        return True  # first part of a compound: "пресс-секретарь", "Ludowo-Demokratycznej"
    if view.keys[t] is not None:
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
    # "Instytut Badań nad Pokojem", "służb wywiadowczych w Seulu": a connector between a
    # name or source and a following name
    return (
        lemma in cues.connectors
        and previous is not None
        and (view.keys[previous] is not None or view.lemmas[previous] in cues.sources)
        and t + 1 < hi
        and view.keys[t + 1] is not None
    )


def _speaker_before(view: TokenView, cues: AttributionCues, k: int, lo: int):
    """Speaker phrase ending right before token k (the verb): (first, last), or None."""
    words: list[int] = []
    t = k - 1
    while t >= lo and len(words) < MAX_SPEAKER_WORDS and view.plain[t]:
        if not _continues_before(view, cues, t, words, lo, k):
            break
        words.append(t)
        t -= 1
    return _with_head(view, cues, sorted(words), lo, k)


def _continues_before(view, cues: AttributionCues, t: int, words: list[int], lo: int, k: int):
    """May word t extend a speaker phrase read right to left from the verb at k?"""
    lemma = view.lemmas[t]
    if view.gaps[t] == "-" or _is_name(view, cues, t, lo, t == k - 1) or lemma in cues.sources:
        return True
    if lemma in cues.complements or (words and lemma.endswith(cues.adjective_endings)):
        return True
    return (
        lemma in cues.connectors
        and bool(words)
        and view.keys[words[-1]] is not None
        and t > lo
        and (view.keys[t - 1] is not None or view.lemmas[t - 1] in cues.sources)
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
        text = document.article.text
        make = span_maker(document)
        source, cues_ref, actors_ref = self.source, cues.ref, load_actors().ref  # once an article
        spans = []
        for a in attributions_in(document):
            attributes = {
                "speaker": text[a.speaker_start : a.speaker_end],
                "speaker_start": a.speaker_start,
                "speaker_end": a.speaker_end,
                "cue": a.cue,
                "trigger": a.trigger,
                "cues": cues_ref,
            }
            if a.carried:
                attributes["carried"] = True
            if a.actor is not None:
                attributes["actor"] = a.actor.id
                attributes["actors"] = actors_ref
            spans.append(make(a.start, a.end, "ATTRIBUTION", "prelabel", source, attributes))
        return spans
