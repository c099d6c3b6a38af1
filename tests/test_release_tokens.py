"""The ``tokens`` config: words with exact offsets and BIO tags a token-classification script
loads as they are, tags that give the spans back, and the checks that refuse broken rows."""

from __future__ import annotations

import re
import shutil

import pyarrow.parquet as pq
import pytest
from conftest import SEEDS, build_into, read_config
from datasets import ClassLabel, List, Value, load_dataset
from release_support import ARTICLES, complete, write_seeds, write_snapshot

from builders.build import release
from builders.config import load_config
from builders.cues.tokens import TokenView
from builders.records import Article, Document, Span
from builders.release.tokens import tag_column, token_records, tokens_problem
from builders.release.writer import config_files
from builders.segment.rules import load_rules
from builders.segment.segmenter import segment_sentences
from builders.taxonomy import load_taxonomy
from builders.validate import validate_release

LABELS = load_taxonomy().label_names
TAG_COLUMNS = ["ner_tags", *map(tag_column, LABELS)]


@pytest.fixture(scope="module")
def seed_release(tmp_path_factory):
    return build_into(tmp_path_factory.mktemp("tokens"), SEEDS).target


def entities(tags: list[str], starts: list[int], ends: list[int]) -> set[tuple[int, int, str]]:
    """(start, end, label) of each B-/I- run, in code points."""
    found, open_at = set(), None
    for k, tag in enumerate([*tags, "O"]):
        if open_at is not None and not tag.startswith("I-"):
            found.add((starts[open_at], ends[k - 1], tags[open_at][2:]))
            open_at = None
        if tag.startswith("B-"):
            open_at = k
    return found


def expanded(span, starts: list[int], ends: list[int]) -> tuple[int, int] | None:
    """The span's piece in a row, widened to the tokens it touches (None: it touches none)."""
    touched = [k for k in range(len(starts)) if starts[k] < span["end"] and ends[k] > span["start"]]
    return (starts[touched[0]], ends[touched[-1]]) if touched else None


def test_a_token_classification_script_loads_the_tokens_config_as_it_is(seed_release, tmp_path):
    tokens = load_dataset(str(seed_release), "tokens", cache_dir=str(tmp_path / "cache"))
    (split,) = tokens  # the seed's one article is in validation
    features = tokens[split].features
    # what run_ner reads: a list of words and a list of ClassLabel tags with their names
    assert features["tokens"] == List(Value("string"))
    assert features["starts"] == features["ends"] == List(Value("int32"))
    assert isinstance(features["ner_tags"], List) and isinstance(
        features["ner_tags"].feature, ClassLabel
    )
    names = features["ner_tags"].feature.names
    assert names[0] == "O" and {"B-QUOTE", "I-QUOTE", "B-REGIME_TERM", "I-HEDGE"} <= set(names)
    for label in LABELS:
        assert features[tag_column(label)].feature.names == ["O", f"B-{label}", f"I-{label}"]
    assert isinstance(features["tags_from"], ClassLabel)
    # one row per sentence
    assert tokens[split]["sentence_id"] == [
        s["sentence_id"] for s in read_config(seed_release, "sentences")
    ]


def test_every_token_is_the_article_text_at_its_offsets(seed_release):
    (article,) = read_config(seed_release, "articles")
    text = article["text"]
    rows = read_config(seed_release, "tokens")
    sentences = read_config(seed_release, "sentences")
    assert len(rows) == len(sentences) > 20
    words = []
    for row, sentence in zip(rows, sentences, strict=True):
        assert row["tokens"], sentence
        for token, start, end in zip(row["tokens"], row["starts"], row["ends"], strict=True):
            assert text[start:end] == token
            assert sentence["start"] <= start < end <= sentence["end"]
        # every non-space character of the sentence is in exactly one token
        assert "".join(row["tokens"]) == re.sub(r"\s", "", sentence["text"])
        words += [t for t in row["tokens"] if re.fullmatch(r"\w+", t)]
        for column in TAG_COLUMNS:
            assert len(row[column]) == len(row["tokens"])
    # the words are the cue detectors' words, with the same offsets
    view = TokenView(text, article["language"], [s["start"] for s in sentences])
    assert words == view.words


def test_the_tags_give_back_the_prelabel_spans(seed_release):
    rows = read_config(seed_release, "tokens")
    spans = [s for s in read_config(seed_release, "spans") if s["origin"] == "prelabel"]
    assert {row["tags_from"] for row in rows} == {"prelabel"}
    assert sum(row["untagged_spans"] for row in rows) == 0
    aligned = 0
    for label in LABELS:
        tagged, wanted = set(), set()
        for row in rows:
            tagged |= entities(row[tag_column(label)], row["starts"], row["ends"])
            for span in spans:
                piece = (
                    expanded(span, row["starts"], row["ends"]) if span["label"] == label else None
                )
                if piece:
                    wanted.add((*piece, label))
                    aligned += piece == (span["start"], span["end"])
        assert tagged == wanted, label
    # most cues sit on token boundaries: for them the tags reproduce the exact offsets
    assert aligned > 0.8 * len(spans) and len(spans) >= 30
    # ner_tags: the same spans where they do not overlap, none of them invented
    for row in rows:
        combined = entities(row["ner_tags"], row["starts"], row["ends"])
        per_label = set().union(
            *(entities(row[tag_column(x)], row["starts"], row["ends"]) for x in LABELS)
        )
        assert combined <= per_label


TEXT = "Rzecznik Kremla mówił o „specjalnej operacji wojskowej”. Nikt w to nie wierzy."


def _document(*spans: tuple[str, str, str]) -> Document:
    article = Article("t1", TEXT, "pl")
    sentences = segment_sentences("t1", TEXT, load_rules("pl"))
    made = []
    for phrase, label, origin in spans:
        start = TEXT.index(phrase)
        made.append(
            Span(
                f"s{len(made)}", "t1", None, start, start + len(phrase), phrase, label, origin, "t"
            )
        )
    return Document(article, sentences, made)


def _tags(row: dict, column: str) -> list[tuple[str, str]]:
    return [(t, g) for t, g in zip(row["tokens"], row[column], strict=True) if g != "O"]


def test_words_cut_by_a_span_overlaps_and_sentence_crossings():
    document = _document(
        ("„specjalnej operacji wojskowej”", "QUOTE", "prelabel"),
        ("specjalnej operacji", "REGIME_TERM", "prelabel"),  # inside the quotation
        ("operacji wojskowej”. Nikt", "QUOTE", "prelabel"),  # overlaps the first QUOTE
        ("zecznik", "HEDGE", "prelabel"),  # starts inside "Rzecznik"
        ("Kreml", "EVALUATIVE", "prelabel"),  # ends inside "Kremla"
        ("wojskowej”. Nikt", "ATTRIBUTION", "prelabel"),  # crosses the sentence boundary
        ("Nikt w to", "HEDGE", "annotation"),  # one annotator's: never tagged
    )
    first, second = token_records(document, LABELS)
    assert first["tokens"][:5] == ["Rzecznik", "Kremla", "mówił", "o", "„"]
    # a span that starts or ends inside a word tags the whole word
    assert _tags(first, "hedge_tags") == [("Rzecznik", "B-HEDGE")]
    assert _tags(first, "evaluative_tags") == [("Kremla", "B-EVALUATIVE")]
    quote = [("„", "B-QUOTE"), ("specjalnej", "I-QUOTE"), ("operacji", "I-QUOTE")]
    quote += [("wojskowej", "I-QUOTE"), ("”", "I-QUOTE")]
    assert _tags(first, "quote_tags") == quote
    # the second QUOTE overlaps the first in the first row: left out of that row's quote_tags
    # and counted there; its piece in the next row overlaps nothing, so it is tagged there
    assert first["untagged_spans"] == 1 and second["untagged_spans"] == 0
    assert _tags(second, "quote_tags") == [("Nikt", "B-QUOTE")]
    # the regime term inside the quotation keeps its own column; ner_tags has the quotation
    assert _tags(first, "regime_term_tags") == [
        ("specjalnej", "B-REGIME_TERM"),
        ("operacji", "I-REGIME_TERM"),
    ]
    # (the ATTRIBUTION overlaps the quotation there too: ner_tags leaves it out of that row)
    assert _tags(first, "ner_tags") == [("Rzecznik", "B-HEDGE"), ("Kremla", "B-EVALUATIVE"), *quote]
    # a span across the boundary is one entity per sentence, B- again in the next row
    assert _tags(first, "attribution_tags") == [
        ("wojskowej", "B-ATTRIBUTION"),
        ("”", "I-ATTRIBUTION"),
        (".", "I-ATTRIBUTION"),
    ]
    assert _tags(second, "attribution_tags") == [("Nikt", "B-ATTRIBUTION")]
    assert _tags(second, "hedge_tags") == []  # the annotation span
    assert {first["tags_from"], second["tags_from"]} == {"prelabel"}
    for row in (first, second):
        assert tokens_problem(TEXT, row) is None


def test_gold_spans_replace_the_prelabels_once_gold_is_decided():
    document = _document(("Rzecznik Kremla", "ATTRIBUTION", "prelabel"), ("Nikt", "HEDGE", "gold"))
    prelabelled = token_records(document, LABELS)
    assert _tags(prelabelled[0], "ner_tags") == [
        ("Rzecznik", "B-ATTRIBUTION"),
        ("Kremla", "I-ATTRIBUTION"),
    ]
    assert _tags(prelabelled[1], "ner_tags") == []
    document.span_gold = "majority"
    gold = token_records(document, LABELS)
    assert [row["tags_from"] for row in gold] == ["gold", "gold"]
    assert _tags(gold[0], "ner_tags") == [] and _tags(gold[1], "ner_tags") == [("Nikt", "B-HEDGE")]
    # decided gold without any span: nothing tagged, not the pre-labels
    document.spans = document.spans[:1]
    assert all(_tags(row, "ner_tags") == [] for row in token_records(document, LABELS))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["ner_tags"].__setitem__(0, "I-ATTRIBUTION"), "BIO"),
        (lambda r: r["quote_tags"].pop(), "quote_tags: 1 tags for 2 tokens"),
        (lambda r: r["starts"].__setitem__(1, r["starts"][1] + 1), "is not the article's text"),
        (lambda r: r["tokens"].append("x"), "3 tokens but 2 starts"),
    ],
)
def test_a_broken_row_is_named(change, message):
    row = token_records(_document(("Nikt w", "HEDGE", "prelabel")), LABELS)[1]
    row = {**row, "tokens": row["tokens"][:2], "starts": row["starts"][:2], "ends": row["ends"][:2]}
    row |= {c: row[c][:2] for c in TAG_COLUMNS}
    assert tokens_problem(TEXT, row) is None
    change(row)
    assert message in tokens_problem(TEXT, row)


def test_validate_refuses_an_i_tag_after_o(seed_release, tmp_path):
    release_dir = tmp_path / "copy"
    shutil.copytree(seed_release, release_dir)
    (path,) = config_files(release_dir, "tokens")
    table = pq.read_table(path)
    tags = table.column("ner_tags").to_pylist()
    tags[0][0] = 2  # I-QUOTE at the start of the title
    index = table.schema.get_field_index("ner_tags")
    table = table.set_column(index, table.schema.field(index), [tags])
    pq.write_table(table, path)
    found = [v for v in validate_release(release_dir) if v.pointer == "/tokens"]
    assert len(found) == 1 and "ner_tags: tag 0 I-QUOTE follows O" in found[0].message
    assert validate_release(seed_release) == []


def test_a_release_tags_gold_where_the_annotators_decided_it(tmp_path):
    a1, a2 = ARTICLES[0], ARTICLES[1]
    # an adjudicated (ground truth) annotation of a2 whose spans cut words: gold for a2
    cut = a2["text"].index("gencja")
    adjudicated = complete(
        {
            "annotation_id": "ls-1",
            "article_id": "a2",
            "annotator": "annotator-0a1b2c3d",
            "ground_truth": True,
            "spans": [
                {"start": cut, "end": cut + 11, "text": "gencja KCNA", "label": "ATTRIBUTION"},
                {
                    "start": a2["text"].index("Ekspe"),
                    "end": a2["text"].index("Ekspe") + 5,
                    "text": "Ekspe",
                    "label": "HEDGE",
                },
            ],
            "stances": [],
        }
    )
    seeds = write_seeds(tmp_path / "seeds", [a1, a2])
    (tmp_path / "none").mkdir()
    snapshots = write_snapshot(tmp_path / "annotations", [adjudicated])
    for version, folder in (("1.0.0", tmp_path / "none"), ("1.1.0", snapshots)):
        result = release(
            load_config(),
            version=version,
            seeds=seeds,
            annotations=folder,
            out=tmp_path / "dist",
            progress=False,
        )
    # the changelog (agitprop diff) counts a2's two rows, now tagged from gold, as changed
    assert result.diff.totals["tokens"] == {"added": 0, "removed": 0, "changed": 2}
    assert "| tokens | 4 | 0 | 0 | 2 |" in (result.target / "CHANGELOG.md").read_text("utf-8")
    rows = read_config(result.target, "tokens")
    by_article = {aid: [r for r in rows if r["article_id"] == aid] for aid in ("a1", "a2")}
    assert {r["tags_from"] for r in by_article["a1"]} == {"prelabel"}
    assert {r["tags_from"] for r in by_article["a2"]} == {"gold"}
    first, second = by_article["a2"]
    assert _tags(first, "ner_tags") == [("Agencja", "B-ATTRIBUTION"), ("KCNA", "I-ATTRIBUTION")]
    assert _tags(second, "ner_tags") == [("Eksperci", "B-HEDGE")]
    # a1's pre-labels are tagged
    assert any(_tags(row, "quote_tags") for row in by_article["a1"])
    card = (result.target / "README.md").read_text(encoding="utf-8")
    assert "config_name: tokens" in card and "## Token classification" in card
    assert "(rows: 2 gold, 2 prelabel)" in card
    assert validate_release(result.target) == []
