"""Which language an article is in, when its input does not say.

py3langid (a maintained fork of langid.py) ships its model inside the wheel, needs nothing at run
time but numpy, and on short news-like text was the most accurate of the candidates measured
while also the fastest (docs/ingest.md). It identifies among all of
its 97 languages, not only the four with rule data, so a German or Czech article is reported as
such and quarantined as ``unsupported_language`` instead of being segmented with the wrong rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib import metadata

from builders.paths import RULES_DIR

# Identification reads at most this many characters from the start of the article: on
# 5-sentence (≈ 640-character) samples of UD test sentences it was right 400 times of 400, and
# the cost grows with the length (~3 ms for 2,000 characters, the largest part of a page's ingest
# after the extraction).
SAMPLE_CHARS = 800
# Below this many letters identification is a guess (UD test sentences, all four languages:
# 47 % right under 20 letters, 92 % at 20-39, 98.9 % at 40-59, ≥ 99.7 % from 60): such a text
# keeps default_language instead.
MIN_LETTERS = 40
RULES = RULES_DIR / "segmentation"


def supported_languages() -> tuple[str, ...]:
    """The languages with segmentation rule data (``builders/rules/segmentation/<lang>.json``)."""
    return tuple(sorted(path.stem for path in RULES.glob("*.json")))


@dataclass(frozen=True)
class Identified:
    language: str
    probability: float


class LanguageIdentifier:
    """py3langid over its full model; loaded on first use (about 0.9 s), then ~1 ms an article."""

    name = "py3langid"

    @cached_property
    def version(self) -> str:
        return metadata.version("py3langid")

    @cached_property
    def _model(self):
        from py3langid.langid import MODEL_FILE
        from py3langid.langid import LanguageIdentifier as Model

        return Model.from_model_file(MODEL_FILE, norm_probs=True)

    def identify(self, text: str) -> Identified | None:
        """The language of ``text``, or None when it has too few letters to tell."""
        sample = text[:SAMPLE_CHARS]
        if sum(char.isalpha() for char in sample) < MIN_LETTERS:
            return None
        language, probability = self._model.classify(sample)
        return Identified(str(language), float(probability))

    def describe(self) -> str:
        return f"{self.name} {self.version}"
