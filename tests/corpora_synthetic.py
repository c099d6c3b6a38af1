"""Generated corpora in the shared tasks' layouts, for tests and benchmarks/corpora_io.py.

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


def article_text(
    rng: random.Random, language: str, crlf: bool, lines_between: tuple[int, int] = (4, 9)
) -> str:
    """A title, an empty line, then one sentence a line (PTC's shape)."""
    sentences = SENTENCES[language]
    lines = [rng.choice(sentences).rstrip("."), ""]
    lines += [rng.choice(sentences) for _ in range(rng.randint(*lines_between))]
    if rng.random() < 0.3:
        lines.insert(3, DECOMPOSED)
    return ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")


def word_spans(rng: random.Random, text: str, count: int) -> list[tuple[int, int]]:
    """Spans from a word start to a word end (never inside a CRLF or an accent), most on one
    line, some over a line break."""
    spans = []
    lines = list(re.finditer(r"[^\r\n]+", text))
    for line, after in zip(
        lines, lines[1:], strict=False
    ):  # a few spans over a line break (CRLF inside)
        if rng.random() < 0.2:
            first_word = re.search(r"\w\S*", after.group())
            if first_word:
                spans.append((line.start(), after.start() + first_word.end()))
    for line in lines:
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


def write_ptc(
    root: Path,
    articles: int = 20,
    spans: int = 19,
    seed: int = 1,
    lines_between: tuple[int, int] = (4, 9),
) -> Path:
    """A PTC v2 folder: train (labelled, ``articles`` articles, ~``spans`` technique spans each)
    and a small unlabelled test split."""
    rng = random.Random(seed)
    for split, count, labelled in (("train", articles, True), ("test", 2, False)):
        folder = root / f"{split}-articles"
        folder.mkdir(parents=True, exist_ok=True)
        for number in range(count):
            ident = str(700000000 + 1000 * number + (0 if split == "train" else 7))
            language = "en" if number % 3 else "pl"
            text = article_text(rng, language, number % 4 == 1, lines_between)
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


def write_semeval2023(
    root: Path, articles: int = 12, spans: int = 12, seed: int = 2, per_article: bool = True
) -> Path:
    """A SemEval-2023 task 3 data folder: ``en`` and ``po`` (Polish) train with subtask 1-3
    labels, and ``fr`` (no rule data here: not imported). ``per_article``: span files per
    article (the 2023 bundle) or one per split (later bundles)."""
    from builders.corpora.semeval2023 import paragraph_labels
    from builders.corpora.text import CorpusText

    rng = random.Random(seed)
    for folder, language in (("en", "en"), ("po", "pl"), ("fr", "en")):
        base = root / folder
        texts = {}
        for subtask in (1, 2, 3):
            (base / f"train-articles-subtask-{subtask}").mkdir(parents=True, exist_ok=True)
        for number in range(articles):
            ident = str(810000000 + 100 * number + len(folder))
            text = article_text(rng, language, crlf=number % 3 == 2)
            texts[ident] = text
            for subtask in (1, 2, 3):
                path = base / f"train-articles-subtask-{subtask}" / f"article{ident}.txt"
                path.write_bytes(text.encode("utf-8"))
        # one more article for subtasks 1 and 2 only
        (base / "train-articles-subtask-1" / "article899999999.txt").write_text("Extra.\n")
        all_lines, paragraphs, genres, frames = [], [], [], []
        span_folder = base / "train-labels-subtask-3-spans"
        if per_article:
            span_folder.mkdir(exist_ok=True)
        for ident, text in sorted(texts.items()):
            many = 0 if rng.random() < 0.15 else rng.randint(1, 2 * spans)
            lines = _label_lines(rng, ident, text, SEMEVAL2023_TECHNIQUES, many)
            if per_article:
                content = "".join(lines)
                (span_folder / f"article{ident}-labels-subtask-3.txt").write_bytes(
                    content.encode("utf-8")
                )
            all_lines += lines
            triples = [
                (int(x[2]), int(x[3]), x[1]) for x in (ln.rstrip("\n").split("\t") for ln in lines)
            ]
            normalised = CorpusText(text).text
            for number, names in paragraph_labels(normalised, _shift(text, triples)):
                paragraphs.append(f"{ident}\t{number}\t{','.join(names)}\n")
            genres.append(f"{ident}\t{rng.choice(['opinion', 'reporting', 'satire'])}\n")
            frames.append(f"{ident}\tPolitical,Security_and_defense\n")
        genres.append("899999999\treporting\n")
        if not per_article:
            (base / "train-labels-subtask-3-spans.txt").write_bytes("".join(all_lines).encode())
        (base / "train-labels-subtask-3.txt").write_bytes("".join(paragraphs).encode())
        (base / "train-labels-subtask-1.txt").write_bytes("".join(genres).encode())
        (base / "train-labels-subtask-2.txt").write_bytes("".join(frames).encode())
    return root


def _shift(raw: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Raw offsets → offsets once CRLF is LF (for the paragraph labels of a CRLF article)."""
    from builders.corpora.text import CorpusText

    text = CorpusText(raw)
    return [(text.to_text(s), text.to_text(e), t) for s, e, t in spans]
