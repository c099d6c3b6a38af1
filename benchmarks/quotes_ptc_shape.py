"""QUOTE spans and detector warnings on generated English articles in PTC shape.

PTC (SemEval-2020 task 11) articles: a title line, a blank line, paragraphs separated by blank
lines, sentences inside a paragraph often on lines of their own; quotations cross those line
breaks and run over several paragraphs (an opening mark reopens each paragraph, only the last
closes). The corpus is generated (PTC may not be redistributed). Prints articles, QUOTE spans and
warnings by kind. Run: ``python benchmarks/quotes_ptc_shape.py [articles]``.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

from builders.records import Article

TESTS = Path(__file__).resolve().parent.parent / "tests"  # test support modules live there

SPEAKERS = ["The minister", "Senator Smith", "A spokesman", "The president", "Officials"]
SENTENCES = [
    "The fight goes on.",
    "We will never surrender.",
    "Our enemies are weak and divided.",
    "Nobody can stop the people.",
    "This is a historic moment for the nation.",
]


def paragraph(rng: random.Random) -> str:
    """A paragraph of one of the shapes seen in PTC text."""
    speaker, a, b, c = rng.choice(SPEAKERS), *rng.sample(SENTENCES, 3)
    shape = rng.randrange(5)
    if shape == 0:  # a quotation across a line break
        return f"{speaker} said: “{a}\n{b}” {c}"
    if shape == 1:  # a quotation over three paragraphs
        return f"{speaker} said: “{a}\n\n“{b}\n\n“{c}”"
    if shape == 2:  # a quotation in one line, and a scare quote
        return f"{speaker} called it “{a[:-1]}”.\nCritics spoke of “propaganda”."
    if shape == 3:  # sentences on lines of their own, no quotation
        return f"{a}\n{b}\n{c}"
    return f"“{a}” {speaker.lower()} said. {b}"


def article(rng: random.Random, number: int) -> Article:
    paragraphs = [paragraph(rng) for _ in range(rng.randint(4, 10))]
    text = f"Headline Number {number}\n\n" + "\n\n".join(paragraphs) + "\n"
    return Article(f"article{number}", text, "en")


def _kind(warning) -> str:
    """A warning's kind; from its text for code before warnings had kinds (to compare)."""
    kind = getattr(warning, "kind", None)
    return kind or str(warning).split(" at ")[0].split(": ", 1)[-1]


def main(articles: int = 371) -> None:
    sys.path.insert(0, str(TESTS))
    from cue_evaluation import tag_article

    rng = random.Random(14)
    quotes, warnings = 0, Counter()
    for number in range(articles):
        spans, found = tag_article(article(rng, number))
        quotes += sum(span.label == "QUOTE" for span in spans)
        warnings.update(map(_kind, found))
    print(f"{articles} articles, {quotes} QUOTE spans, {sum(warnings.values())} warnings")
    for kind, count in warnings.most_common():
        print(f"  {count} {kind}")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:2]))
