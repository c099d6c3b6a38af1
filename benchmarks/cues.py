"""Benchmark the cue pre-labellers: quality on the hand-written gold set, and throughput.

    .venv/bin/python benchmarks/cues.py                 # gold P/R per label + throughput
    .venv/bin/python benchmarks/cues.py --mb 2          # smaller synthetic corpus
    python benchmarks/cues.py --lemmatizers-only        # simplemma vs morfeusz2 (needs both)

Throughput is segmentation + every detector in ``default_detectors()`` on a synthetic corpus
of articles made by shuffling sentences of the gold passages and the seed (seeded RNG): as is,
with a share of words given an unseen ending (so the lemma cache also pays for cold lookups),
and from the seed's sentences only (a real article's cue density). Rates come from CPU time
(``time.process_time``), i.e. per core even on a busy shared machine.

The peer is a plain regex pass over the same text: one alternation of every
lexicon term and actor name as written (no inflection, no speakers) plus the quote marks — the
floor any matcher of these phrases pays.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "cues" / "gold.jsonl"
ENDINGS = ["ami", "owi", "ach", "ego", "ymi", "ę", "ą", "om"]


def load_dictionaries() -> None:
    """simplemma decodes a language's dictionary on first use: startup, kept out of the rates."""
    from builders.cues.lemmas import lemmatizer

    began = time.process_time()
    for language in ("pl", "en", "ru", "uk"):
        lemmatizer(language).lemma("x")
    print(f"simplemma dictionaries (pl, en, ru, uk) loaded in {time.process_time() - began:.1f} s")
    print("(once per process; not part of the throughput figures)\n")


def gold_report() -> None:
    from cue_evaluation import evaluate, load_gold

    from builders.taxonomy import load_taxonomy

    passages = load_gold(GOLD)
    result = evaluate(passages, load_taxonomy().label_names)
    print(f"gold set: {len(passages)} passages, {sum(len(p.spans) for p in passages)} spans")
    print(f"{'label':13} {'gold':>4}  exact P   R    F1   overlap P   R    F1")
    for name, score in result.labels.items():
        gold = score.exact["tp"] + score.exact["fn"]
        ep, er, ef = score.exact_prf()
        op, orr, of = score.overlap_prf()
        print(
            f"{name:13} {gold:4}  {ep:5.2f} {er:5.2f} {ef:5.2f}    {op:5.2f} {orr:5.2f} {of:5.2f}"
        )
    for what, counts in (("speaker", result.speaker), ("kind", result.kind)):
        total = sum(counts.values())
        print(f"QUOTE {what}: {counts['correct']}/{total} correct {dict(counts)}")


def synthetic_corpus(
    megabytes: float, unseen: float, seed_only: bool = False, seed: int = 7
) -> list[tuple[str, str]]:
    """(language, text) articles of ~2.5 kB built from gold sentences, ``megabytes`` in all.

    ``seed_only`` draws only from the seed article (a real news text, ~11 cues per kB) instead
    of every gold passage (written to be dense in cues, ~21 per kB).
    """
    from cue_evaluation import load_gold

    from builders.segment import load_rules, segment_sentences

    rng = random.Random(seed)
    pools: dict[str, list[str]] = {}
    for passage in load_gold(GOLD):
        if seed_only and passage.article.article_id != "seed":
            continue
        article = passage.article
        rules = load_rules(article.language)
        for sentence in segment_sentences("x", article.text, rules):
            pools.setdefault(article.language, []).append(sentence.text)
    word = re.compile(r"\b\w{4,}\b")

    def mutate(text: str) -> str:
        return word.sub(
            lambda m: m.group() + rng.choice(ENDINGS) if rng.random() < unseen else m.group(), text
        )

    articles, size = [], 0
    languages = sorted(pools)
    weights = [len(pools[lang]) for lang in languages]
    while size < megabytes * 1_000_000:
        language = rng.choices(languages, weights)[0]
        parts = []
        while sum(len(p) for p in parts) < 2500:
            parts.append(mutate(rng.choice(pools[language])))
        text = " ".join(parts)
        articles.append((language, text))
        size += len(text.encode("utf-8"))
    return articles


def regex_peer_pattern(language: str) -> re.Pattern:
    from builders.cues.rules import load_actors, load_lexicon

    phrases = set()
    for name in ("regime_terms", "hedges", "evaluative"):
        for entry in load_lexicon(name).entries:
            if entry["language"] == language:
                phrases.update([entry["term"], *entry.get("forms", ())])
    for actor in load_actors().actors:
        phrases.update(actor["names"].get(language, ()))
    alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"[„“”\"«»‚’‹›]|\b(?:{alternation})\b", re.IGNORECASE)


def throughput(megabytes: float, unseen: float, seed_only: bool = False) -> None:
    from builders.cues import CueTagger, default_detectors
    from builders.cues.lemmas import lemmatizer
    from builders.records import Article, Document
    from builders.segment import load_rules, segment_sentences

    corpus = synthetic_corpus(megabytes, unseen, seed_only)
    size = sum(len(text.encode("utf-8")) for _, text in corpus) / 1e6
    for language in {lang for lang, _ in corpus}:
        lemmatizer(language).lemma("x")  # loads simplemma's dictionary (see load_dictionaries)
        lemmatizer(language).clear()  # start cold: the corpus is new to the process
    tagger = CueTagger(default_detectors())

    began = time.process_time()
    for number, (language, text) in enumerate(corpus):
        rules = load_rules(language)
        doc = Document(Article(f"a{number}", text, language))
        doc.sentences = segment_sentences(doc.article.article_id, text, rules)
        for _ in tagger.run([doc]):
            pass
    ours = time.process_time() - began

    began = time.process_time()
    for language, text in corpus:
        segment_sentences("x", text, load_rules(language))
    segmentation = time.process_time() - began

    patterns = {lang: regex_peer_pattern(lang) for lang in {lang for lang, _ in corpus}}
    began = time.process_time()
    for language, text in corpus:
        sum(1 for _ in patterns[language].finditer(text))
    peer = time.process_time() - began

    spans = sum(tagger.stats.values())
    print(
        f"{'seed-like' if seed_only else 'cue-dense'} synthetic corpus: {len(corpus)} articles, "
        f"{size:.1f} MB, {unseen:.0%} of words with an unseen ending, "
        f"{spans / size / 1000:.0f} spans/kB (MB/s per core, from CPU time)"
    )
    print(f"  segmentation + all detectors : {size / ours:6.1f} MB/s ({ours:.2f} s)")
    print(f"  segmentation alone           : {size / segmentation:6.1f} MB/s")
    print(f"  peer: plain regex pass       : {size / peer:6.1f} MB/s ({peer:.2f} s)")


INFLECTIONS = [  # (inflected form, base form): a matcher needs lemma(inflected) == lemma(base)
    ("wyzwolenia", "wyzwolenie"),
    ("terytorium", "terytorium"),
    ("Rosji", "Rosja"),
    ("specjalnej", "specjalna"),
    ("specjalną", "specjalna"),
    ("operacji", "operacja"),
    ("operację", "operacja"),
    ("wojskowej", "wojskowa"),
    ("wojskową", "wojskowa"),
    ("denazyfikacji", "denazyfikacja"),
    ("denazyfikację", "denazyfikacja"),
    ("reżimu", "reżim"),
    ("reżimem", "reżim"),
    ("reżimowi", "reżim"),
    ("kijowskiego", "kijowski"),
    ("kijowskim", "kijowski"),
    ("rosyjskich", "rosyjskie"),
    ("mediów", "media"),
    ("mediach", "media"),
    ("północnokoreańskich", "północnokoreańskie"),
    ("dyktatora", "dyktator"),
    ("dyktatorowi", "dyktator"),
    ("rosyjskiego", "rosyjski"),
    ("Kima", "Kim"),
    ("Kimem", "Kim"),
    ("Putina", "Putin"),
    ("Putinem", "Putin"),
    ("Łukaszenki", "Łukaszenka"),
    ("Łukaszence", "Łukaszenka"),
    ("Ławrowa", "Ławrow"),
    ("Pieskowa", "Pieskow"),
    ("spekulacji", "spekulacje"),
    ("związana", "związane"),
    ("mogą", "może"),
    ("niepotwierdzonych", "niepotwierdzony"),
    ("podały", "podała"),
    ("oświadczyła", "oświadczył"),
    ("zaznaczyło", "zaznaczył"),
    ("podkreśla", "podkreślał"),
    ("wyzwalania", "wyzwalanie"),
    ("junty", "junta"),
    ("kijowskiej", "kijowska"),
]


def lemmatizers_report() -> None:
    import morfeusz2
    import simplemma

    analyser = morfeusz2.Morfeusz()

    def morfeusz_lemmas(word: str) -> set[str]:
        return {item[2][1].split(":")[0].lower() for item in analyser.analyse(word)}

    def simplemma_lemmas(word: str) -> set[str]:
        return {simplemma.lemmatize(word, lang="pl").lower()}

    text = (ROOT / "seeds" / "000_fa55aadce6e6f1d2.txt").read_text(encoding="utf-8")
    gold = GOLD.read_text(encoding="utf-8")
    unique = sorted(set(re.findall(r"\w+", text + gold)))
    for name, lemmas in (("simplemma", simplemma_lemmas), ("morfeusz2", morfeusz_lemmas)):
        agree = [a for a, b in INFLECTIONS if lemmas(a) & lemmas(b)]
        missed = [a for a, _ in INFLECTIONS if a not in agree]
        names = [a for a in missed if a[0].isupper()]
        began = time.process_time()
        for token in unique:  # each form once: what a cold cache costs
            lemmas(token)
        rate = len(unique) / (time.process_time() - began)
        print(
            f"{name:10} same lemma as the base form: {len(agree)}/{len(INFLECTIONS)} "
            f"({len(names)} of the misses are names); {rate / 1000:.0f}k distinct forms/s; "
            f"misses: {', '.join(missed)}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="synthetic corpus size (MB)")
    parser.add_argument("--unseen", type=float, default=0.05, help="share of unseen word forms")
    parser.add_argument("--lemmatizers-only", action="store_true")
    args = parser.parse_args(argv)
    if args.lemmatizers_only:
        lemmatizers_report()
        return 0
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))  # cue_evaluation: the gold-set scorer
    load_dictionaries()
    gold_report()
    print()
    throughput(args.mb, 0.0)
    throughput(args.mb, args.unseen)
    throughput(args.mb, args.unseen, seed_only=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
