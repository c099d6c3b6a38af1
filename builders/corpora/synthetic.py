"""Generated corpora in the shared tasks' layouts, for tests and benchmarks.

The real corpora may not be redistributed, so the import and export are tested on articles
written here, with what real files have and what breaks naive code: CRLF line ends, Polish and
other non-ASCII text (an emoji, a decomposed accent), overlapping spans, one extent with several
techniques, a technique without a taxonomy label, a repeated line, articles without spans, label
lines out of offset order.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

PTC_TECHNIQUES = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)
SEMEVAL2023_TECHNIQUES = (
    "Appeal_to_Authority",
    "Appeal_to_Fear-Prejudice",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration-Minimisation",
    "Flag_Waving",
    "Loaded_Language",
    "Name_Calling-Labeling",
    "Questioning_the_Reputation",
    "Repetition",
    "Slogans",
)
SENTENCES = {
    "en": (
        "The regime in Moscow said the “special military operation” was going to plan.",
        "Critics called it a brutal war of aggression 🇺🇦 against a sovereign neighbour.",
        "According to state media, the enemy was reportedly preparing a provocation.",
        "Nobody believes these lies anymore, a diplomat said.",
        "The café owner in Kyiv said the sirens never stop.",
    ),
    "pl": (
        "Rzecznik Kremla mówił o „specjalnej operacji wojskowej” na Ukrainie.",
        "Według rosyjskich mediów reżim kijowski przygotowywał prowokację.",
        "Prawdopodobnie chodzi o zemstę za zniszczenie mostu — twierdzą eksperci.",
        "Żołnierze polegli w walkach o wyzwolenie terytorium Rosji, podała agencja.",
        "Nikt w to już nie wierzy, ocenił dyplomata z Wrocławia.",
    ),
}
DECOMPOSED = "Cafe\u0301 “Zo\u0301rza” was shelled."  # NFD accents: the build composes them


def article_text(rng: random.Random, language: str, crlf: bool) -> str:
    """A title, an empty line, then one sentence a line (PTC's shape)."""
    sentences = SENTENCES[language]
    lines = [rng.choice(sentences).rstrip("."), ""]
    lines += [rng.choice(sentences) for _ in range(rng.randint(4, 9))]
    if rng.random() < 0.3:
        lines.insert(3, DECOMPOSED)
    return ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")


def word_spans(rng: random.Random, text: str, count: int) -> list[tuple[int, int]]:
    """Spans from a word start to a word end (never inside a CRLF or an accent), on one line."""
    spans = []
    for line in re.finditer(r"[^\r\n]+", text):
        words = [m.span() for m in re.finditer(r"\w\S*", line.group())]
        # a span must not end inside a decomposed letter: end at a word's end
        for _ in range(count):
            if len(words) < 2:
                break
            first = rng.randrange(len(words) - 1)
            last = min(len(words) - 1, first + rng.randint(0, 4))
            spans.append((line.start() + words[first][0], line.start() + words[last][1]))
    rng.shuffle(spans)
    return spans[:count]


def _label_lines(rng, ident, text, techniques, count, with_technique=True) -> list[str]:
    lines = []
    for start, end in word_spans(rng, text, count):
        if with_technique:
            lines.append(f"{ident}\t{rng.choice(techniques)}\t{start}\t{end}\n")
            if rng.random() < 0.1:  # the same extent, another technique
                lines.append(f"{ident}\t{rng.choice(techniques)}\t{start}\t{end}\n")
        else:
            lines.append(f"{ident}\t{start}\t{end}\n")
    if lines and rng.random() < 0.05:
        lines.append(lines[0])  # a repeated line
    return lines


def write_ptc(root: Path, articles: int = 20, spans: int = 19, seed: int = 1) -> Path:
    """A PTC v2 folder: train (labelled, ``articles`` articles) and a small unlabelled test."""
    rng = random.Random(seed)
    for split, count, labelled in (("train", articles, True), ("test", 2, False)):
        folder = root / f"{split}-articles"
        folder.mkdir(parents=True, exist_ok=True)
        for number in range(count):
            ident = str(700000000 + 1000 * number + (0 if split == "train" else 7))
            text = article_text(rng, "en" if number % 3 else "pl", crlf=number % 4 == 1)
            (folder / f"article{ident}.txt").write_bytes(text.encode("utf-8"))
            if not labelled:
                continue
            many = 0 if number % 7 == 3 else rng.randint(1, 2 * spans)
            for infix, technique in (("task-flc-tc", True), ("task-si", False)):
                labels = root / f"{split}-labels-{infix}"
                labels.mkdir(exist_ok=True)
                lines = _label_lines(rng, ident, text, PTC_TECHNIQUES, many, technique)
                content = "".join(lines)
                (labels / f"article{ident}.{infix}.labels").write_bytes(content.encode("utf-8"))
    return root
