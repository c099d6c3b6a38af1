"""Cue rule data: lexicons, the regime actor list and attribution cues, schema-checked on load.

Every file under ``rules/lexicons/`` and ``rules/actors.json`` declares its schema; a file that
breaks it is refused with a :class:`~builders.schemas.DataFileError` naming each violation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from builders.cues.lemmas import lemmatizer
from builders.cues.phrases import WORD, PhraseMatcher
from builders.cues.tokens import watch
from builders.paths import RULES_DIR
from builders.schemas import load_data_file

LEXICON_DIR = RULES_DIR / "lexicons"
QUOTE_RULES_DIR = RULES_DIR / "quotes"
ACTORS_FILE = RULES_DIR / "actors.json"


@dataclass(frozen=True)
class LexiconEntry:
    term: str
    language: str
    exact_forms: frozenset[tuple[str, ...]] = frozenset()  # lower-cased words; empty: any form
    infinitive_after: tuple[str, ...] = ()  # endings of the infinitive that must follow


@dataclass(frozen=True, eq=False)  # hashed by identity: its matchers are cached
class Lexicon:
    name: str
    version: str
    label: str
    outside_quotes: bool
    yield_to: tuple[str, ...]
    entries: tuple[dict, ...]

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    @cache  # noqa: B019 - lexicons are few and live for the process
    def matcher(self, language: str) -> PhraseMatcher:
        phrases = []
        for entry in self.entries:
            if entry["language"] != language:
                continue
            texts = (entry["term"], *entry.get("forms", ()))
            exact = entry.get("exact_forms", False)
            payload = LexiconEntry(
                entry["term"],
                language,
                frozenset(tuple(WORD.findall(t.lower())) for t in texts) if exact else frozenset(),
                tuple(entry.get("infinitive_after", ())),
            )
            for text in texts:
                phrases.append((text, entry.get("any_order", False), payload))
        return PhraseMatcher(language, phrases)


@cache
def load_lexicon(name: str, directory: Path = LEXICON_DIR) -> Lexicon:
    data = load_data_file(directory / f"{name}.json")
    return Lexicon(
        name=data["name"],
        version=data["version"],
        label=data["label"],
        outside_quotes=data.get("outside_quotes", False),
        yield_to=tuple(data.get("yield_to", ())),
        entries=tuple(data["entries"]),
    )


@dataclass(frozen=True)
class Actor:
    id: str
    country: str
    kind: str
    regime: bool


@dataclass(frozen=True, eq=False)
class ActorList:
    version: str
    actors: tuple[dict, ...]

    @property
    def ref(self) -> str:
        return f"actors@{self.version}"

    @cache  # noqa: B019 - one list per process
    def matcher(self, language: str) -> PhraseMatcher:
        phrases = []
        for actor in self.actors:
            payload = Actor(actor["id"], actor["country"], actor["kind"], actor["regime"])
            for name in actor["names"].get(language, ()):
                phrases.append((name, False, payload))
        return PhraseMatcher(language, phrases)


@cache
def load_actors(path: Path = ACTORS_FILE) -> ActorList:
    data = load_data_file(path)
    return ActorList(version=data["version"], actors=tuple(data["actors"]))


@dataclass(frozen=True, eq=False)
class AttributionCues:
    """Word lists of one language, as lemmas (data words are lemmatised like the text)."""

    ref: str
    reporting_verbs: frozenset[str]
    source_prepositions: tuple[tuple[str, ...], ...]
    introducers: frozenset[str]
    complementizers: frozenset[str]
    titled_sources: frozenset[str]
    collective_sources: frozenset[str]
    complements: frozenset[str]
    connectors: frozenset[str]
    pronouns: frozenset[str]
    scare_markers: tuple[str, ...]
    adjective_endings: tuple[str, ...]

    @cached_property
    def sources(self) -> frozenset[str]:
        return self.titled_sources | self.collective_sources

    @cached_property
    def prepositions_by_first_word(self) -> dict[str, list[tuple[str, ...]]]:
        found: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.source_prepositions:
            found.setdefault(phrase[0], []).append(phrase)
        return found

    @cached_property
    def triggers(self) -> frozenset[str]:
        """Lemmas an attribution starts from: reporting verbs, first words of prepositions."""
        return self.reporting_verbs | {phrase[0] for phrase in self.source_prepositions}

    @cached_property
    def function_words(self) -> frozenset[str]:
        """Words never part of a name, even capitalised at a sentence start ("Jak", "Według")."""
        first_words = {phrase[0] for phrase in self.source_prepositions}
        return self.introducers | self.connectors | self.complementizers | first_words


@cache
def load_attribution_cues(language: str, directory: Path = LEXICON_DIR) -> AttributionCues | None:
    """The attribution cues of ``language``, or None if there is no file for it."""
    path = directory / f"attribution_{language}.json"
    if not path.exists():
        return None
    data = load_data_file(path)
    lemma = lemmatizer(language).lemma

    def words(key: str) -> frozenset[str]:
        values = data.get(key, [])
        return frozenset(v.lower() for v in values) | frozenset(lemma(v) for v in values)

    cues = AttributionCues(
        ref=f"{data['name']}@{data['version']}",
        reporting_verbs=words("reporting_verbs"),
        source_prepositions=tuple(
            tuple(lemma(w) for w in phrase.split()) for phrase in data["source_prepositions"]
        ),
        introducers=words("introducers"),
        complementizers=words("complementizers"),
        titled_sources=words("titled_sources"),
        collective_sources=words("collective_sources"),
        complements=words("complements"),
        connectors=words("connectors"),
        pronouns=words("pronouns"),
        scare_markers=tuple(data.get("scare_markers", ())),
        adjective_endings=tuple(data.get("adjective_endings", ())),
    )
    watch(language, cues.triggers)
    return cues


@dataclass(frozen=True, eq=False)
class QuoteRules:
    """One language's quotation marks (``rules/quotes/<language>.json``)."""

    ref: str
    pairs: dict[str, str]  # opening mark → the marks that close it
    apostrophes: frozenset[str]
    reopened_per_paragraph: frozenset[str]

    @cached_property
    def marks(self) -> str:
        """Every opening and closing mark, each once, in a stable order."""
        return "".join(dict.fromkeys([*self.pairs, *"".join(self.pairs.values())]))

    @cached_property
    def closed_by(self) -> dict[str, tuple[str, ...]]:
        """mark → the opening marks it closes."""
        return {c: tuple(o for o, cs in self.pairs.items() if c in cs) for c in self.marks}

    @cached_property
    def symmetric(self) -> frozenset[str]:
        """Marks that close themselves ('"'): they close only the innermost open quotation."""
        return frozenset(o for o, closers in self.pairs.items() if o in closers)


@cache
def load_quote_rules(language: str, directory: Path = QUOTE_RULES_DIR) -> QuoteRules:
    data = load_data_file(directory / f"{language}.json")
    if data["language"] != language:
        raise ValueError(f"{directory / language}.json is for language {data['language']!r}")
    return QuoteRules(
        ref=f"{data['name']}@{data['version']}",
        pairs=dict(data["pairs"]),
        apostrophes=frozenset(data.get("apostrophes", ())),
        reopened_per_paragraph=frozenset(data.get("reopened_per_paragraph", ())),
    )
