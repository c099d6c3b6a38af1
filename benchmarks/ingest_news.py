"""Benchmark news ingest: HTML pages, WARC records, language identification.

    .venv/bin/python benchmarks/ingest_news.py                      # all three, in-repo data
    .venv/bin/python benchmarks/ingest_news.py --pages 300 --ud DIR # language ID on UD treebanks

HTML: the same generated pages (the test fixture's template around paragraphs of the seed and
the cue gold passages, shuffled with a seeded RNG, with menus, a script and teaser lists
around them as real pages have) three ways, in one run: trafilatura
alone (``bare_extraction`` with metadata, in this process — the floor), our reader in process
(``page_time_limit = 0``), and our reader as configured (every page in the extraction worker
under the time limit), each also identifying the language, normalising and checking ids and URLs.
Rates are pages per wall-clock second with one extraction process, i.e. per core.

WARC: records per second through :class:`builders.ingest.warc.WarcReader` (FastWARC plus our
truncation check), uncompressed and gzipped, on an archive written with FastWARC's writer:
4 of 5 records HTML 200 responses, the rest requests, 404s and images; no extraction.

Language ID: accuracy and speed of :class:`builders.ingest.language.LanguageIdentifier` on
sentences (single sentences of ≥ 40 letters, and 5-sentence pseudo-articles). With ``--ud DIR``
(``pl*.conllu``, ``en*.conllu``, ``ru*.conllu``, ``uk*.conllu`` from Universal Dependencies:
the README used pl_pud, en_ewt, ru_gsd, uk_iu test files) the ``# text`` lines of those; without
it the cue gold passages and the seed, split at sentence ends (a small in-repo sample).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEMPLATE = (ROOT / "tests" / "fixtures" / "news" / "news-page.html").read_text(encoding="utf-8")
GOLD = ROOT / "tests" / "fixtures" / "cues" / "gold.jsonl"
SEED = next((ROOT / "seeds").glob("*.txt"))
LANGUAGES = ("pl", "en", "ru", "uk")


def sentences_in_repo() -> dict[str, list[str]]:
    by_language: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    records = [json.loads(line) for line in GOLD.open()]
    texts = [(r["language"], r["text"]) for r in records if "text" in r]
    texts.append(("pl", SEED.read_text(encoding="utf-8")))
    for language, text in texts:
        by_language[language] += re.split(r"(?<=[.!?…])\s+", text)
    return by_language


def sentences_from_ud(folder: Path) -> dict[str, list[str]]:
    by_language = {}
    for language in LANGUAGES:
        lines = []
        for file in sorted(folder.glob(f"{language}*.conllu")):
            lines += [
                line[9:].strip()
                for line in file.read_text(encoding="utf-8").splitlines()
                if line.startswith("# text = ")
            ]
        by_language[language] = lines
    return by_language


def make_pages(count: int) -> list[bytes]:
    rng = random.Random(14)
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split(". ") if len(p) > 40]
    paragraphs += [json.loads(line)["text"] for line in GOLD.open() if "text" in json.loads(line)]
    polish = [p for p in paragraphs if re.search("[ąęłńśźż]", p)]
    head, rest = TEMPLATE.split("<p>Rzecznik", 1)
    tail = rest[rest.index("</article>") :]
    # what real pages carry around an article: menus, scripts, teaser lists (~60 kB in all)
    menu = "".join(f'<li><a href="/dzial/{i}">Dział {i}</a></li>' for i in range(300))
    script = "<script>var config = " + json.dumps({f"k{i}": "v" * 40 for i in range(300)})
    teasers = "".join(
        f'<li><a href="/artykul/{i}"><img src="/i/{i}.jpg" alt="">{p[:80]}</a></li>'
        for i, p in enumerate(polish * 3)
    )
    head = head.replace("<main>", f"<ul class='menu'>{menu}</ul>{script};</script><main>")
    tail = tail.replace("<footer>", f"<ul class='teasers'>{teasers}</ul><footer>")
    pages = []
    for i in range(count):
        body = "".join(f"<p>{p}.</p>\n" for p in rng.sample(polish, min(len(polish), 12)))
        page = head.replace("kreml-sankcje", f"kreml-sankcje-{i}") + body + tail
        pages.append(page.encode("utf-8"))
    return pages


def bench_html(count: int) -> None:
    from trafilatura import bare_extraction

    from builders.ingest import SeedReader

    pages = make_pages(count)
    size = sum(map(len, pages)) / len(pages)
    print(f"HTML: {count} pages, {size / 1000:.1f} kB each on average")
    bare_extraction(pages[0], with_metadata=True, include_comments=False)  # warm-up
    began = time.perf_counter()
    for page in pages:
        bare_extraction(page, with_metadata=True, include_comments=False)
    alone = count / (time.perf_counter() - began)
    with tempfile.TemporaryDirectory() as folder:
        for i, page in enumerate(pages):
            (Path(folder) / f"page-{i:05d}.html").write_bytes(page)
        rates = {}
        for label, limit, workers in (
            ("in process", 0, 1),
            ("worker + time limit", 30, 1),
            # --jobs 2: the workers start with their first pages, so their start-up is counted
            ("2 workers (--jobs 2)", 30, 2),
        ):
            reader = SeedReader([Path(folder)], page_time_limit=limit, page_workers=workers)
            reader.identifier.identify("x" * 50)  # load the language model: startup, not rate
            if limit and workers == 1:
                reader._extractor()._start()  # start the worker: startup, not rate
            began = time.perf_counter()
            articles = sum(1 for _ in reader.run())
            rates[label] = count / (time.perf_counter() - began)
            assert articles == count, reader.quarantine[:3]
    print(f"  trafilatura alone          {alone:7.1f} pages/s")
    for label, rate in rates.items():
        print(f"  our ingest, {label:19s} {rate:6.1f} pages/s ({rate / alone:.0%} of trafilatura)")


def bench_warc(count: int) -> None:
    from fastwarc.warc import WarcRecord, WarcRecordType

    from builders.ingest.warc import WarcReader

    page = make_pages(1)[0]
    records = []
    for i in range(count):
        record = WarcRecord()
        kind = i % 5
        record.init_headers(WarcRecordType.request if kind == 4 else WarcRecordType.response)
        record.headers["WARC-Target-URI"] = f"https://gazeta.example/a/{i}"
        if kind == 4:
            record.headers["Content-Type"] = "application/http; msgtype=request"
            record.set_bytes_content(b"GET / HTTP/1.1\r\n\r\n")
        else:
            status, ctype = ("404 Not Found", "text/html") if kind == 3 else ("200 OK", "text/html")
            http = f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n\r\n".encode() + page
            record.headers["Content-Type"] = "application/http; msgtype=response"
            record.set_bytes_content(http)
        out = io.BytesIO()
        record.write(out)
        records.append(out.getvalue())
    print(f"WARC: {count} records ({len(page) / 1000:.1f} kB pages)")
    with tempfile.TemporaryDirectory() as folder:
        for name, compress in (("crawl.warc", False), ("crawl.warc.gz", True)):
            path = Path(folder) / name
            path.write_bytes(b"".join(gzip.compress(r) if compress else r for r in records))
            best = min(_time_warc(path, WarcReader) for _ in range(3))
            print(
                f"  {name:14s} {count / best:9,.0f} records/s ({path.stat().st_size / 1e6:.0f} MB)"
            )


def _time_warc(path: Path, reader_class) -> float:
    began = time.perf_counter()
    reader = reader_class(path)
    for _ in reader:
        pass
    assert reader.records > 0
    return time.perf_counter() - began


def bench_language(by_language: dict[str, list[str]], limit: int) -> None:
    from builders.ingest.language import MIN_LETTERS, LanguageIdentifier

    identifier = LanguageIdentifier()
    identifier.identify("x" * MIN_LETTERS)  # load the model
    print(f"Language ID: {identifier.describe()}")
    samples = {
        language: [s for s in sentences if sum(c.isalpha() for c in s) >= MIN_LETTERS][:limit]
        for language, sentences in by_language.items()
    }
    for label, grouped in (
        ("sentences", samples),
        (
            "5-sentence articles",
            {
                language: [" ".join(s[i : i + 5]) for i in range(0, len(s), 5)]
                for language, s in samples.items()
            },
        ),
    ):
        right = total = chars = 0
        wrong: dict[str, int] = {}
        began = time.perf_counter()
        for language, texts in grouped.items():
            for text in texts:
                found = identifier.identify(text)
                total += 1
                chars += len(text)
                if found is not None and found.language == language:
                    right += 1
                else:
                    key = f"{language}→{found.language if found else None}"
                    wrong[key] = wrong.get(key, 0) + 1
        seconds = time.perf_counter() - began
        counts = ", ".join(f"{language} {len(texts)}" for language, texts in grouped.items())
        top = ", ".join(f"{k} {v}" for k, v in sorted(wrong.items(), key=lambda kv: -kv[1])[:4])
        print(
            f"  {label:20s} accuracy {right / total:.3f} ({counts}; mean {chars / total:.0f} "
            f"chars), {total / seconds:,.0f}/s; errors: {top or 'none'}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--records", type=int, default=5_000)
    parser.add_argument("--ud", type=Path, help="folder of UD .conllu files named by language")
    parser.add_argument("--sentences", type=int, default=500, help="per language")
    args = parser.parse_args(argv)
    bench_html(args.pages)
    bench_warc(args.records)
    by_language = sentences_from_ud(args.ud) if args.ud else sentences_in_repo()
    bench_language(by_language, args.sentences)
    return 0


if __name__ == "__main__":
    sys.exit(main())
