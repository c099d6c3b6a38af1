"""Real news in: HTML pages, WARC archives, CSV/TSV tables, gzipped JSONL, language identification
and duplicate URLs. Every way in ends in the same articles, with offsets exact into their text."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json
import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURES, build_into, read_config
from fastwarc.warc import WarcRecord, WarcRecordType
from release_support import tree_bytes

from builders.build import build
from builders.config import load_config
from builders.ingest import SeedReader
from builders.ingest.html import PageExtractor, extractor_version
from builders.ingest.tables import ColumnMapping, MappingError
from builders.ingest.warc import record_id
from builders.records import ID_PATTERN

NEWS = FIXTURES / "news"
PAGE = (NEWS / "news-page.html").read_bytes()
CANONICAL = "https://gazeta.example/swiat/kreml-sankcje"

# short news-like texts, one per language, long enough to identify (≥ 40 letters)
TEXTS = {
    "pl": "Rząd zapowiedział w poniedziałek nowe sankcje wobec Rosji. Minister podkreślił, "
    "że decyzja zapadła po konsultacjach z sojusznikami.",
    "en": "The government announced new sanctions against Russia on Monday. The minister "
    "said the decision followed talks with the allies.",
    "ru": "Правительство в понедельник объявило о новых санкциях против России. Министр "
    "подчеркнул, что решение принято после консультаций с союзниками.",
    "uk": "Уряд у понеділок оголосив про нові санкції проти Росії. Міністр наголосив, що "
    "рішення ухвалено після консультацій із союзниками.",
    "de": "Die Regierung kündigte am Montag neue Sanktionen gegen Russland an. Der Minister "
    "betonte, dass die Entscheidung nach Gesprächen mit den Verbündeten gefallen sei.",
}


def read(paths, **settings) -> tuple[dict, SeedReader]:
    reader = SeedReader(paths, **settings)
    articles = {article.article_id: article for article in reader.run()}
    return articles, reader


def codes(reader: SeedReader) -> list[str]:
    return [row.code for row in reader.quarantine]


def warc_record(uri: str, status: str, content_type: str, body: bytes, kind="response"):
    """One record through FastWARC's own writer (``WarcRecord.write``)."""
    record = WarcRecord()
    if kind == "response":
        record.init_headers(WarcRecordType.response)
        record.headers["Content-Type"] = "application/http; msgtype=response"
        head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
        block = f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body
    else:
        record.init_headers(WarcRecordType.request)
        record.headers["Content-Type"] = "application/http; msgtype=request"
        block = b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n"
    record.headers["WARC-Target-URI"] = uri
    record.headers["WARC-Date"] = "2024-03-05T12:00:00Z"
    record.set_bytes_content(block)
    out = io.BytesIO()
    record.write(out)
    return out.getvalue()


def write_warc(path, records: list[bytes]) -> None:
    """An archive of the records; ``.warc.gz`` has one gzip member per record, as crawlers do."""
    gz = path.name.endswith(".gz")
    path.write_bytes(b"".join(gzip.compress(r) if gz else r for r in records))


def crawl_records() -> list[bytes]:
    no_article = (NEWS / "no-article.html").read_bytes()
    return [
        warc_record("https://gazeta.example/a/1", "", "", b"", kind="request"),
        warc_record("https://gazeta.example/a/1", "200 OK", "text/html; charset=utf-8", PAGE),
        warc_record("https://gazeta.example/a/2", "404 Not Found", "text/html", b"<p>gone</p>"),
        warc_record("https://gazeta.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n"),
        warc_record("https://gazeta.example/swiat", "200 OK", "text/html", no_article),
        warc_record(
            "https://gazeta.example/a/3",
            "200 OK",
            "text/html",
            PAGE.replace(b"5 marca", b"6 marca"),
        ),
    ]


# -- HTML ----------------------------------------------------------------------------------------


def test_news_page_keeps_text_metadata_and_provenance(tmp_path):
    shutil.copy(NEWS / "news-page.html", tmp_path / "kreml-sankcje.html")
    articles, reader = read([tmp_path])
    article = articles["kreml-sankcje"]
    assert article.text.startswith("Kreml zapowiada odpowiedź na sankcje\nRzecznik Kremla")
    assert "Strona główna" not in article.text and "cookie" not in article.text
    assert article.title == "Kreml zapowiada odpowiedź na sankcje"
    assert article.author == "Anna Nowak"
    assert article.published == "2024-03-05"
    assert article.url == CANONICAL
    assert article.outlet == "Gazeta Przykładowa"
    assert article.language == "pl"  # identified: a page names no language the reader trusts
    assert article.extractor == extractor_version() and article.extractor.startswith(
        "trafilatura 2"
    )
    assert article.source_sha256 == hashlib.sha256(PAGE).hexdigest()
    assert article.source_file == "kreml-sankcje.html" and article.captured is None
    assert reader.quarantine == []


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("no-article.html", None, "no_article_text"),
        ("broken-markup.html", None, "no_article_text"),
        ("binary.htm", b"\x00\x01\x02\xff\xfe", "unparseable_page"),
    ],
)
def test_page_without_an_article_is_quarantined_with_the_reason(tmp_path, name, content, code):
    target = tmp_path / name
    if content is None:
        shutil.copy(NEWS / name, target)
    else:
        target.write_bytes(content)
    articles, reader = read([tmp_path])
    assert articles == {}
    (row,) = reader.quarantine
    assert (row.file, row.field, row.code) == (str(target), "/text", code)
    assert name in row.reason


def huge_page(paragraphs: int) -> bytes:
    body = "".join(
        f"<p>Akapit {i}: Rzecznik powiedział, że rozmowy pokojowe pozostaną zawieszone.</p>"
        for i in range(paragraphs)
    )
    head = "<html><head><title>Duża</title></head>"
    return f"{head}<body><article>{body}</article></body></html>".encode()


def test_huge_page_over_the_limits_is_quarantined(tmp_path):
    page = huge_page(40_000)  # ~3.4 MB
    (tmp_path / "huge.html").write_bytes(page)
    _, reader = read([tmp_path], max_page_bytes=1_000_000)
    assert codes(reader) == ["page_too_large"] and "max_page_bytes" in reader.quarantine[0].reason
    _, reader = read([tmp_path], page_time_limit=0.05)
    assert codes(reader) == ["page_timeout"] and "page_time_limit" in reader.quarantine[0].reason
    _, reader = read([tmp_path], max_article_chars=100_000)
    assert codes(reader) == ["article_too_long"]


def test_a_page_over_the_time_limit_does_not_stop_the_next(tmp_path):
    with PageExtractor(time_limit=0.05) as pages:
        assert pages.extract(huge_page(40_000)).code == "page_timeout"
        assert pages.restarts == 1
    with PageExtractor(time_limit=20) as pages:
        assert pages.extract(PAGE).title == "Kreml zapowiada odpowiedź na sankcje"


def test_html_id_must_be_an_id(tmp_path):
    shutil.copy(NEWS / "news-page.html", tmp_path / "a page.html")
    _, reader = read([tmp_path])
    assert codes(reader) == ["invalid_id"]


# -- WARC ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_keeps_html_200_responses_and_counts_the_rest(tmp_path, name):
    write_warc(tmp_path / name, crawl_records())
    articles, reader = read([tmp_path])
    first, third = record_id("https://gazeta.example/a/1"), record_id("https://gazeta.example/a/3")
    assert sorted(articles) == sorted([first, third])
    article = articles[first]
    assert ID_PATTERN.fullmatch(first) and first == record_id("https://gazeta.example/a/1")
    assert article.url == "https://gazeta.example/a/1"  # the target URI, as captured
    assert article.captured == "2024-03-05T12:00:00Z"
    assert article.source_sha256 == hashlib.sha256(PAGE).hexdigest()
    assert article.source_file.startswith(f"{name}@")
    # the same text from another URL is kept (wire copies matter)
    assert articles[third].text == article.text
    # the page without an article is quarantined; the rest is counted, not quarantined
    assert codes(reader) == ["no_article_text"]
    assert "https://gazeta.example/swiat" in reader.quarantine[0].reason
    skipped = {k: v for k, v in reader.stats.items() if k.startswith("warc skipped")}
    assert skipped == {
        "warc skipped: request record": 1,
        "warc skipped: HTTP 404": 1,
        "warc skipped: not HTML (image/png)": 1,
    }


def test_the_build_summary_counts_warc_pages_and_skipped_records(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write_warc(seeds / "crawl.warc.gz", crawl_records())

    def build_cli(seeds):
        command = [sys.executable, "-m", "builders", "build", "--quiet", "--seeds", str(seeds)]
        command += ["--annotations", str(tmp_path), "--out", str(tmp_path / "dist")]
        return subprocess.run(command, capture_output=True, text=True, timeout=600)

    done = build_cli(seeds)
    assert done.returncode == 0, done.stderr
    # three HTML 200 responses (one without an article, quarantined), three other records
    assert (
        "WARC: 3 HTML pages read, 3 records skipped (1 HTTP 404, 1 not HTML (image/png), "
        "1 request record)"
    ) in done.stdout.splitlines()
    # a build without archives says nothing about WARC
    plain = build_cli(FIXTURES / "news")
    assert plain.returncode == 0 and "WARC" not in plain.stdout, plain.stderr


def test_page_workers_scale_with_jobs_and_give_the_same_release(tmp_path):
    """Pages, an archive and a JSONL file in between, so duplicates (the saved copies share a
    canonical URL) and ids must be decided in input order whatever the number of workers."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number in range(4):
        shutil.copy(NEWS / "news-page.html", seeds / f"a{number}-copy.html")
    for name in ("no-article.html", "broken-markup.html"):
        shutil.copy(NEWS / name, seeds / f"b-{name}")
    write_warc(seeds / "c-crawl.warc.gz", crawl_records())
    line = {"id": "d1", "text": "Zwykły tekst artykułu o sankcjach wobec Rosji.", "language": "pl"}
    (seeds / "d.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    for number in range(3):
        shutil.copy(NEWS / "news-page.html", seeds / f"e{number}-copy.html")
    readers = {}
    for workers in (1, 3):
        reader = SeedReader([seeds], page_workers=workers)
        articles = [article.article_id for article in reader.run()]
        readers[workers] = (articles, reader.quarantine, reader.stats)
    (one, quarantined_one, _), (three, quarantined_three, stats) = readers[1], readers[3]
    assert one == three and quarantined_one == quarantined_three  # same order too
    assert one[0] == "a0-copy" and "d1" in one and len(quarantined_one) >= 6
    assert stats["page extraction workers"] == 3
    releases = []
    for jobs in (1, 3):
        (tmp_path / f"jobs{jobs}").mkdir()
        releases.append(build_into(tmp_path / f"jobs{jobs}", seeds, jobs=jobs).target)
    assert tree_bytes(releases[0]) == tree_bytes(releases[1])


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
@pytest.mark.parametrize("cut", [30, 400])
def test_truncated_warc_keeps_what_was_read_and_quarantines_the_rest(tmp_path, name, cut):
    write_warc(tmp_path / name, crawl_records())
    data = (tmp_path / name).read_bytes()
    (tmp_path / name).write_bytes(data[:-cut])  # the last record (a/3) is cut
    articles, reader = read([tmp_path])
    assert list(articles) == [record_id("https://gazeta.example/a/1")]
    assert codes(reader) == ["no_article_text", "truncated_archive"]
    row = reader.quarantine[-1]
    assert row.file == str(tmp_path / name)
    assert "truncated" in row.reason and "records before it were read" in row.reason


def test_not_a_warc_is_quarantined(tmp_path):
    (tmp_path / "junk.warc").write_bytes(b"this is not an archive\n" * 10)
    articles, reader = read([tmp_path])
    assert articles == {} and codes(reader) == ["broken_archive"]
    assert "unreadable WARC record" in reader.quarantine[0].reason


def test_the_same_url_twice_is_a_duplicate_naming_the_first(tmp_path):
    records = crawl_records()
    write_warc(tmp_path / "a.warc", records[:2])
    write_warc(tmp_path / "b.warc.gz", records[1:2])
    articles, reader = read([tmp_path])
    assert len(articles) == 1
    (row,) = reader.quarantine
    assert (row.code, row.field) == ("duplicate_url", "/url")
    assert "first seen in" in row.reason and "a.warc" in row.reason


def test_duplicate_url_across_kinds_of_input(tmp_path):
    shutil.copy(NEWS / "news-page.html", tmp_path / "page.html")
    # the same canonical URL, with a fragment and an upper-case host: the same page
    line = {
        "id": "copy",
        "text": TEXTS["pl"],
        "url": "https://GAZETA.example/swiat/kreml-sankcje#top",
    }
    other = {"id": "wire", "text": TEXTS["pl"], "url": "https://inna.example/depesza"}
    (tmp_path / "z.jsonl").write_text(json.dumps(line) + "\n" + json.dumps(other) + "\n")
    articles, reader = read([tmp_path])
    assert sorted(articles) == ["page", "wire"]  # same text, other URL: kept
    (row,) = reader.quarantine
    assert (row.code, row.line) == ("duplicate_url", 1)
    assert "page.html as page" in row.reason


# -- tables and gzipped JSON lines ---------------------------------------------------------------


def test_csv_with_a_column_mapping(tmp_path):
    mapping = ColumnMapping.from_config(
        {"id": "ID", "text": "Content", "title": "Headline", "url": "Link", "outlet": "Source"}
    )
    rows = [
        ["ID", "Headline", "Content", "Link", "Source", "Extra"],
        ["m-1", "Sankcje", TEXTS["pl"], "https://a.example/1", "Agencja", "x"],
        ["m-2", "Sanctions", 'He said: "no"\n' + TEXTS["en"], "https://a.example/2", "", ""],
        ["m-3", "Пусто", "", "https://a.example/3", "", ""],
    ]
    buffer = io.StringIO()
    import csv

    csv.writer(buffer).writerows(rows)
    (tmp_path / "export.csv").write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    articles, reader = read([tmp_path], csv_mapping=mapping)
    assert sorted(articles) == ["m-1", "m-2"]
    first = articles["m-1"]
    assert (first.title, first.url, first.outlet, first.language) == (
        "Sankcje",
        "https://a.example/1",
        "Agencja",
        "pl",
    )
    assert first.source_file == "export.csv:2"
    second = articles["m-2"]
    assert second.text.startswith('He said: "no"\n') and second.language == "en"
    assert second.outlet is None and second.source_file == "export.csv:3"
    (row,) = reader.quarantine
    assert (row.code, row.line) == ("empty_text", 5)  # m-2's text spans lines 3-4


def test_tsv_without_ids_takes_ids_from_urls_and_respects_a_language_column(tmp_path):
    table = "url\ttext\tlanguage\n" + f"https://a.example/1\t{TEXTS['pl']}\tuk\n"
    table += f"https://a.example/2\t{TEXTS['de']}\tde\n"
    (tmp_path / "feed.tsv").write_text(table)
    articles, reader = read([tmp_path])
    (article,) = articles.values()
    assert article.article_id == record_id("https://a.example/1")
    assert article.language == "uk"  # given explicitly: respected, even against the text
    assert codes(reader) == ["unsupported_language"]


def test_missing_column_names_the_column_and_the_file(tmp_path):
    (tmp_path / "export.csv").write_text("ID,Body\nx,tekst\n")
    mapping = ColumnMapping.from_config({"id": "ID", "text": "Content"})
    _, reader = read([tmp_path], csv_mapping=mapping)
    (row,) = reader.quarantine
    assert row.code == "missing_column" and row.field == "Content"
    assert "'Content' (for text)" in row.reason and "export.csv" in row.reason
    with pytest.raises(MappingError, match="unknown field"):
        ColumnMapping.from_config({"body": "Content"})


def test_jsonl_gz_streams_like_jsonl(tmp_path):
    lines = [
        {"id": "g-1", "text": TEXTS["ru"]},
        {"id": "g-2", "text": TEXTS["uk"], "language": "uk"},
    ]
    with gzip.open(tmp_path / "dump.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    articles, reader = read([tmp_path])
    assert {k: a.language for k, a in articles.items()} == {"g-1": "ru", "g-2": "uk"}
    assert articles["g-2"].source_file == "dump.jsonl.gz:2" and reader.quarantine == []


def test_broken_gzip_is_refused(tmp_path):
    data = gzip.compress(b'{"id": "a", "text": "Tekst."}\n' * 1000)
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    articles, reader = read([tmp_path])
    assert articles == {} and codes(reader) == ["broken_gzip"]


# -- language ------------------------------------------------------------------------------------


def test_language_is_identified_when_the_input_does_not_say(tmp_path):
    for language in ("pl", "en", "ru", "uk"):
        (tmp_path / f"{language}.txt").write_text(TEXTS[language])
    (tmp_path / "short.txt").write_text("Krótko.")  # too few letters: default_language
    articles, reader = read([tmp_path], default_language="en")
    assert {k: a.language for k, a in articles.items()} == {
        "pl": "pl",
        "en": "en",
        "ru": "ru",
        "uk": "uk",
        "short": "en",
    }
    assert reader.quarantine == []


def test_language_without_rule_data_is_quarantined_never_segmented(tmp_path):
    (tmp_path / "de.txt").write_text(TEXTS["de"])
    (tmp_path / "given.jsonl").write_text(
        json.dumps({"id": "x", "text": TEXTS["pl"], "language": "de"})
    )
    articles, reader = read([tmp_path])
    assert articles == {}
    assert codes(reader) == ["unsupported_language", "unsupported_language"]
    assert "identified as 'de'" in reader.quarantine[0].reason
    assert reader.quarantine[1].field == "/language"


def test_detection_off_keeps_the_default_language(tmp_path):
    (tmp_path / "de.txt").write_text(TEXTS["en"])
    articles, _ = read([tmp_path], default_language="pl", detect_language=False)
    assert articles["de"].language == "pl"


# -- the whole flow ------------------------------------------------------------------------------


def test_offsets_are_exact_on_every_way_in(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(NEWS / "news-page.html", seeds / "page.html")
    write_warc(seeds / "crawl.warc.gz", crawl_records())
    (seeds / "table.csv").write_text(f'id,text\nt-1,"{TEXTS["pl"]}\n{TEXTS["pl"]}"\n')
    with gzip.open(seeds / "dump.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "g-1", "text": TEXTS["ru"]}, ensure_ascii=False) + "\n")
    (seeds / "plain.txt").write_text(TEXTS["uk"])
    result = build_into(tmp_path, seeds)
    articles = {a["article_id"]: a for a in read_config(result.target, "articles")}
    assert len(articles) == 6, result.quarantine
    assert {a["language"] for a in articles.values()} == {"pl", "ru", "uk"}
    page = articles["page"]
    assert page["author"] == "Anna Nowak" and page["extractor"].startswith("trafilatura")
    assert len(page["source_sha256"]) == 64 and articles["plain"]["extractor"] is None
    sentences = read_config(result.target, "sentences")
    spans = read_config(result.target, "spans")
    assert {s["article_id"] for s in sentences} == set(articles)
    for row in sentences + spans:
        assert articles[row["article_id"]]["text"][row["start"] : row["end"]] == row["text"]
    assert any(s["article_id"] == "page" for s in spans)


def test_build_reads_the_csv_mapping_from_the_config(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "export.csv").write_text(f'Link,Body\nhttps://a.example/1,"{TEXTS["pl"]}"\n')
    config = load_config()
    config = dataclasses.replace(
        config, extra={**config.extra, "csv": {"url": "Link", "text": "Body"}}
    )
    empty = tmp_path / "none"
    empty.mkdir()
    result = build(config, seeds=seeds, out=tmp_path / "dist", annotations=empty, progress=False)
    (article,) = read_config(result.target, "articles")
    assert article["url"] == "https://a.example/1" and result.quarantine == []
