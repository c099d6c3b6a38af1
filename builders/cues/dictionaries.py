"""simplemma's shipped dictionaries, decoded once per machine instead of once per process.

simplemma stores each language as an lzma-compressed front-coded stream; decoding Polish (3.7 M
word forms) takes 3-5 s in every process, which is most of `agitprop build` on a small corpus and
of every CLI call in the tests. The decoded ``bytes -> bytes`` mapping is kept as a pickle under
the user's cache folder, keyed by the simplemma version and the shipped file's size and mtime,
and handed to simplemma through its public extension point (a ``DictionaryFactory`` given to
``DefaultStrategy`` / ``DictionaryLookupStrategy``). Lookups are simplemma's own, so lemmas are
identical (tests compare them with ``simplemma.lemmatize``).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from importlib.metadata import version
from pathlib import Path

from simplemma.strategies.dictionaries import dictionary_factory as shipped
from simplemma.strategies.dictionaries.dictionary_factory import (
    CachingDictionaryFactory,
    MappingStrToByteString,
)


def cache_folder() -> Path:
    base = os.environ.get("AGITPROP_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base or Path.home() / ".cache") / "agitprop" / "simplemma"


def _cache_file(lang: str) -> Path:
    source = shipped.DATA_FOLDER / f"{lang}.plzma"
    stat = source.stat()
    key = f"{lang}-{version('simplemma')}-{stat.st_size}-{int(stat.st_mtime)}"
    return cache_folder() / f"{key}.pickle"


def load_decoded(lang: str) -> dict[bytes, bytes]:
    """The decoded dictionary of ``lang``, from the cache when it is there and readable."""
    if lang not in shipped.SUPPORTED_LANGUAGES:
        raise ValueError(f"Unsupported language: {lang}")
    path = _cache_file(lang)
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # our own file in the user's cache, written below
    except (OSError, pickle.UnpicklingError, EOFError):
        pass
    decoded = shipped._load_dictionary_from_disk(lang)
    try:  # a cache that cannot be written only costs time; atomic rename keeps it whole
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            pickle.dump(decoded, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        pass
    return decoded


class CachedDictionaryFactory(CachingDictionaryFactory):
    __slots__ = ()

    def _get_dictionary_uncached(self, lang: str) -> MappingStrToByteString:
        return MappingStrToByteString(load_decoded(lang))


DICTIONARIES = CachedDictionaryFactory()
