"""A synthetic corpus of short Polish-like articles, for sync benchmarks and tests.

Each article has a handful of sentences, a quotation (so the QUOTE detector pre-labels it) and
a number that makes its text unique; the same ``n`` always gives the same corpus.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SENTENCES = [
    "Rzecznik Kremla oświadczył, że to „specjalna operacja wojskowa numer {i}”.",
    "Według rosyjskich mediów w obwodzie kurskim pracuje {n} saperów.",
    "Agencja Yonhap podała, że Pjongjang wyśle kolejny kontyngent.",
    "Eksperci uważają, że te doniesienia są „przesadzone”.",
    "Prawdopodobnie rozmowy potrwają do końca miesiąca.",
    "Ukraina odpowiedziała na atak dronami nad ranem.",
    "Minister obrony zapowiedział „bezwarunkowe wsparcie” dla sojusznika.",
]


def synthetic_articles(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    articles = []
    for i in range(n):
        picked = rng.sample(SENTENCES, k=5)
        text = " ".join(s.format(i=i, n=rng.randint(10, 5000)) for s in picked)
        articles.append({"id": f"synthetic-{i:06d}", "text": text, "language": "pl"})
    return articles


def write_synthetic_seeds(folder: Path, n: int, seed: int = 0) -> Path:
    """``folder/synthetic.jsonl`` with ``n`` articles; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = (json.dumps(a, ensure_ascii=False) for a in synthetic_articles(n, seed))
    (folder / "synthetic.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
