"""Several annotators on a real Label Studio → pull → release: gold, agreement and splits.

Three annotator users are created on the server and submit differing annotations of the same
tasks through the API (``completed_by``), one of them marked as ground truth. Everything the
release then says — gold stances and spans, Krippendorff's alpha, span F1, splits — is checked
against values worked out by hand below.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil

import pytest
from conftest import FIXTURES, read_config
from studio_server import agitprop, choice_region, label_region, push_project

from builders.build import release
from builders.config import load_config
from builders.gold.rules import ADJUDICATED_RULE, SPAN_RULE
from builders.validate import validate_paths

TITLE = "gold-test"
G1, G2 = "gold-1", "gold-2"
S1, S2, S3 = (f"{G1}-s000{i}" for i in (1, 2, 3))  # the body sentences of gold-1

# Sentence stance toward Rosja (gold-1), annotators A, B, C:
#   S1: against, against, against   S2: against, against, neutral   S3: favor, favor, favor
# Coincidences (pairs within a sentence, weighted 1/(3-1)): o(ag,ag) = 3 + 1 = 4,
# o(ag,ne) = o(ne,ag) = 1, o(fa,fa) = 3; n_ag = 5, n_ne = 1, n_fa = 3, n = 9.
# alpha = 1 - (n-1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k = 1 - 8·2 / (2·(5·1 + 5·3 + 1·3)) = 15/23
ALPHA_ROSJA = 15 / 23  # 0.6522
SENTENCE_STANCES = {
    "A": {S1: "against", S2: "against", S3: "favor"},
    "B": {S1: "against", S2: "against", S3: "favor"},
    "C": {S1: "against", S2: "neutral", S3: "favor"},
}
# Article stance toward Rosja (gold-1): A against, B against, C favor → against, 2 of 3.
ARTICLE_ROSJA = {"A": "against", "B": "against", "C": "favor"}
# Article stance toward KRLD (gold-2): A favor, B favor, C against — but C's annotation is the
# ground truth → against (adjudicated), 1 of 3 agreeing.
ARTICLE_KRLD = {"A": "favor", "B": "favor", "C": "against"}
# Every annotation answers what Label Studio requires (an article stance toward each target, a
# genre): the targets an annotator had no view on are "unclear", unanimously.
UNCLEAR = ("unclear", "majority", 3, 3)
GOLD_STANCES = {
    (G1, S1, "Rosja"): ("against", "majority", 3, 3),
    (G1, S2, "Rosja"): ("against", "majority", 3, 2),
    (G1, S3, "Rosja"): ("favor", "majority", 3, 3),
    (G1, None, "Rosja"): ("against", "majority", 3, 2),
    (G1, None, "KRLD"): UNCLEAR,
    (G1, None, "Ukraina"): UNCLEAR,
    (G2, None, "Rosja"): ("unclear", "adjudicated", 3, 3),
    (G2, None, "KRLD"): ("against", "adjudicated", 3, 1),
    (G2, None, "Ukraina"): ("unclear", "adjudicated", 3, 3),
}
# Spans. gold-1: HEDGE "Rzekomo" by A and B, "Rzekomo zginęło" by C → one cluster backed by 3
# of 3, extent "Rzekomo" (2 annotators); EVALUATIVE "propagandzie reżimu" by A only (1 of 3) → no
# gold. gold-2: REGIME_TERM "przywódca" by A and B, EVALUATIVE "sygnał dla Moskwy" by C, the
# ground truth → the gold is C's span alone.
SPANS = {
    (G1, "A"): [("Rzekomo", "HEDGE"), ("propagandzie reżimu", "EVALUATIVE")],
    (G1, "B"): [("Rzekomo", "HEDGE")],
    (G1, "C"): [("Rzekomo zginęło", "HEDGE")],
    (G2, "A"): [("przywódca", "REGIME_TERM")],
    (G2, "B"): [("przywódca", "REGIME_TERM")],
    (G2, "C"): [("sygnał dla Moskwy", "EVALUATIVE")],
}
GOLD_SPANS = {
    (G1, "Rzekomo", "HEDGE", SPAN_RULE),
    (G2, "sygnał dla Moskwy", "EVALUATIVE", ADJUDICATED_RULE),
}
# Pairwise span F1, over the pairs (A,B), (A,C), (B,C) of both articles:
#   HEDGE: exact matches 1 + 0 + 0 of 2 + 2 + 2 spans → 2·1/6 = 1/3; overlap 3 → 6/6 = 1
#   EVALUATIVE: spans (1+0) + (1+0) + 0 in gold-1, 0 + (0+1) + (0+1) in gold-2 = 4, none matched
#   REGIME_TERM: (1+1) + (1+0) + (1+0) = 4 spans, (A,B) match → 2·1/4 = 0.5, overlap the same
SPAN_F1 = {
    "HEDGE": {"exact": 1 / 3, "overlap": 1.0},
    "EVALUATIVE": {"exact": 0.0, "overlap": 0.0},
    "REGIME_TERM": {"exact": 0.5, "overlap": 0.5},
}
# Splits (default ratios train 0.8, validation 0.1, test 0.1): a cluster's position is the first
# 16 hex digits of sha256(smallest article id) / 16**16:
#   wire-a 0x94de099d9fe51162 → 0.5815 < 0.8 → train (wire-a, wire-b, wire-c with it)
#   mold-a 0xa9756237f9e43b51 → 0.6619 → train (mold-a, mold-b)
#   gold-1 0x7d90926ed4fa72b7 → 0.4905 → train;  gold-2 0xf2d7529f3c415f81 → 0.9486 ≥ 0.9 → test
#   inne-1 0.5317, inne-2 0.2941, inne-3 0.4146 → train
SPLIT_POSITIONS = {
    "wire-a": "94de099d9fe51162",
    "mold-a": "a9756237f9e43b51",
    G2: "f2d7529f3c415f81",
}
EXPECTED_SPLITS = {"test": {G2}}  # every other article is in train
STORIES = [{"wire-a", "wire-b", "wire-c"}, {"mold-a", "mold-b"}]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gold-seeds")
    shutil.copy(FIXTURES / "studio" / "gold.jsonl", folder)
    shutil.copy(FIXTURES / "splits" / "near_duplicates.jsonl", folder)
    return folder


@pytest.fixture(scope="module")
def pushed(studio, seeds):
    _, client, project, tasks = push_project(studio, seeds, TITLE)
    return {"project": client.projects.get(project.id), "tasks": tasks, "client": client}


def test_push_asks_label_studio_for_three_annotators_per_task(pushed):
    assert load_config().extra["annotators_per_task"] == 3
    project = pushed["project"]  # as the server stores it
    assert project.maximum_annotations == 3
    assert project.overlap_cohort_percentage == 100


def _label(region_id, text, phrase, label):
    start = text.index(phrase)
    return label_region(region_id, start, start + len(phrase), phrase, label)


def _required_answers(who: str, result: list[dict]) -> list[dict]:
    """The answers Label Studio requires that ``result`` lacks: "unclear" toward the other
    targets, and the genre."""
    given = {r["from_name"] for r in result}
    missing = [
        choice_region(f"{who}{control}", control, "unclear")
        for control in ("article_stance_rosja", "article_stance_krld", "article_stance_ukraina")
        if control not in given
    ]
    return [*missing, choice_region(f"{who}g", "genre", "news")]


@pytest.fixture(scope="module")
def annotated(pushed):
    client, tasks = pushed["client"], pushed["tasks"]
    users = {
        who: client.users.create(username=f"gold{who}", email=f"gold-{who.lower()}@example.org")
        for who in "ABC"
    }
    made = {}
    for who, user in users.items():
        for article in (G1, G2):
            task = tasks[article]
            text = task.data["text"]
            result = [
                _label(f"{who}{n}", text, phrase, label)
                for n, (phrase, label) in enumerate(SPANS[(article, who)])
            ]
            if article == G1:
                sentences = {
                    r["value"]["start"]: r["value"]
                    for r in task.predictions[0].result
                    if r["from_name"] == "sentence"
                }
                for sentence_id, stance in SENTENCE_STANCES[who].items():
                    index = int(sentence_id.rsplit("s", 1)[1])
                    value = sorted(sentences.items())[index][1]
                    result.append(
                        choice_region(f"{who}s{index}", "sentence_stance_rosja", stance, value)
                    )
                result.append(choice_region(f"{who}a", "article_stance_rosja", ARTICLE_ROSJA[who]))
            else:
                result.append(choice_region(f"{who}a", "article_stance_krld", ARTICLE_KRLD[who]))
            result += _required_answers(who, result)
            made[(article, who)] = client.annotations.create(
                task.id,
                result=result,
                completed_by=user.id,
                ground_truth=(article == G2 and who == "C"),
            )
    return {"made": made, "users": users}


@pytest.fixture(scope="module")
def released(studio, annotated, seeds, tmp_path_factory):
    root = tmp_path_factory.mktemp("gold-pull")
    folder = root / "annotations"
    done = agitprop(
        "sync", "pull", "--project", TITLE, "--annotations", str(folder), env=studio.env
    )
    assert done.returncode == 0, done.stderr
    result = release(
        load_config(),
        version="1.0.0",
        seeds=seeds,
        annotations=folder,
        out=root / "dist",
        progress=False,
    )
    who_made = {f"ls-{a.id}": who for (_, who), a in annotated["made"].items()}
    records = [
        json.loads(line)
        for path in sorted((folder / "snapshots" / TITLE).glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    pseudonym = {who_made[r["annotation_id"]]: r["annotator"] for r in records}
    return {"result": result, "folder": folder, "records": records, "pseudonym": pseudonym}


def test_pulled_snapshots_hold_three_annotators_and_the_ground_truth(released):
    records = released["records"]
    assert len(records) == 6 and len(set(released["pseudonym"].values())) == 3
    flagged = [r for r in records if r["ground_truth"]]
    assert [(r["article_id"], r["annotator"]) for r in flagged] == [
        (G2, released["pseudonym"]["C"])
    ]


def test_gold_stances_are_the_majority_or_the_adjudication(released):
    target = released["result"].target
    rows = read_config(target, "stances")
    found = {
        (r["article_id"], r["sentence_id"], r["target"]): (
            r["stance"],
            r["method"],
            r["votes"],
            r["agreeing"],
        )
        for r in rows
    }
    assert found == GOLD_STANCES
    levels = {(r["sentence_id"], r["target"]): r["level"] for r in rows}
    assert levels[(None, "KRLD")] == "article" and levels[(S1, "Rosja")] == "sentence"


def test_every_judgement_is_released_with_pseudonymous_annotators(released):
    rows = read_config(released["result"].target, "annotations")
    # gold-1: 3 sentence + 3 article stances each; gold-2: 3 article stances each → 3·(6+3)
    assert len(rows) == 27
    pseudonym = released["pseudonym"]
    mine = {
        (r["sentence_id"], r["target"], r["stance"])
        for r in rows
        if r["annotator"] == pseudonym["C"]
    }
    assert mine == {
        *((s, "Rosja", v) for s, v in SENTENCE_STANCES["C"].items()),
        (None, "Rosja", "favor"),
        (None, "KRLD", "against"),
        (None, "Rosja", "unclear"),  # gold-2
        (None, "KRLD", "unclear"),  # gold-1
        (None, "Ukraina", "unclear"),
    }
    assert {
        r["ground_truth"]
        for r in rows
        if r["article_id"] == G2 and r["annotator"] == pseudonym["C"]
    } == {True}
    everything = json.dumps(rows, ensure_ascii=False)
    assert "example.org" not in everything


def test_gold_spans_by_overlap_majority_or_adjudication(released):
    spans = read_config(released["result"].target, "spans")
    gold = {
        (s["article_id"], s["text"], s["label"], s["source"])
        for s in spans
        if s["origin"] == "gold"
    }
    assert gold == GOLD_SPANS
    articles = {
        a["article_id"]: a["text"] for a in read_config(released["result"].target, "articles")
    }
    for span in spans:
        assert articles[span["article_id"]][span["start"] : span["end"]] == span["text"]


def test_agreement_matches_the_hand_computation(released):
    result = released["result"]
    figures = result.agreement
    assert math.isclose(figures.alpha["Rosja"], ALPHA_ROSJA, rel_tol=1e-9)
    assert figures.alpha["KRLD"] is None  # no sentence stance toward KRLD
    for label, expected in SPAN_F1.items():
        for kind, value in expected.items():
            assert math.isclose(figures.span_f1[label][kind], value), (label, kind)
    for who in "ABC":
        assert figures.items[released["pseudonym"][who]] == {"articles": 2, "sentence_stances": 3}
    manifest = json.loads((result.target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["agreement"]["stance_alpha"]["Rosja"] == {"alpha": 0.6522, "items": 3}
    assert manifest["agreement"]["span_f1"]["HEDGE"] == {"exact": 0.3333, "overlap": 1.0}
    card = (result.target / "README.md").read_text(encoding="utf-8")
    assert "| Rosja | 0.652 | 3 |" in card
    assert "| `REGIME_TERM` | 0.500 | 0.500 |" in card


def test_agreement_command_prints_the_same_figures(released):
    done = agitprop("agreement", "--annotations", str(released["folder"]))
    assert done.returncode == 0, done.stderr
    assert "6 annotations by 3 annotators of 2 articles" in done.stdout
    assert "| Rosja | 0.652 | 3 |" in done.stdout
    assert "| `HEDGE` | 0.333 | 1.000 |" in done.stdout
    as_json = json.loads(
        agitprop("agreement", "--annotations", str(released["folder"]), "--json").stdout
    )
    assert as_json["stance_alpha"]["Rosja"]["alpha"] == 0.6522


def test_splits_follow_the_hand_computed_hashes_and_keep_stories_together(released):
    for key, digits in SPLIT_POSITIONS.items():
        assert hashlib.sha256(key.encode()).hexdigest()[:16] == digits
    target = released["result"].target
    placed = {}
    for path in sorted((target / "articles").glob("*.parquet")):
        import pyarrow.parquet as pq

        for row in pq.read_table(path, columns=["article_id"]).to_pylist():
            placed[row["article_id"]] = path.stem
    assert {a for a, s in placed.items() if s != "train"} == EXPECTED_SPLITS["test"]
    assert all(placed[a] == "test" for a in EXPECTED_SPLITS["test"])
    for story in STORIES:
        assert len({placed[a] for a in story}) == 1
    # gold-2's stances, judgements and spans follow it into test
    for config in ("stances", "annotations", "spans"):
        test_rows = pq.read_table(target / config / "test.parquet").to_pylist()
        assert test_rows and {r["article_id"] for r in test_rows} == {G2}
    assert not validate_paths([target])
