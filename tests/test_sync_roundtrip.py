"""The whole loop on a real Label Studio: push → annotate through the API → pull → build.

Articles: the seed plus a fixture with emoji and CRLF line ends before its cues. Annotations are
submitted the way an annotator's browser does it: the prediction's regions accepted, one deleted,
spans added — the one after an emoji with the front end's UTF-16 offsets — stances given, and one
annotation skipped.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import FIXTURES, SEED_ID, SEEDS, read_config
from studio_server import agitprop, choice_region, label_region, push_project

from builders.build import build
from builders.config import load_config
from builders.paths import REPO_ROOT
from builders.sync.guidelines import project_instructions
from builders.sync.project import same_as_stored
from builders.sync.push import model_version, prepare_documents
from builders.sync.tasks import split_prelabels

TITLE = "roundtrip-test"
EMOJI_ID = "emoji_crlf"
PHRASE = "wyzwolenie terytorium Rosji"


def utf16_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeds")
    shutil.copy(SEEDS / f"{SEED_ID}.txt", folder)
    shutil.copy(FIXTURES / "studio" / f"{EMOJI_ID}.txt", folder)
    return folder


@pytest.fixture(scope="module")
def documents(seeds):
    """What push sends, computed locally: article id → Document (normalised text, spans)."""
    found, _ = prepare_documents(seeds, load_config())
    return {d.article.article_id: d for d in found}


@pytest.fixture(scope="module")
def pushed(studio, seeds):
    output, client, project, tasks = push_project(studio, seeds, TITLE)
    return {"output": output, "project": project, "tasks": tasks, "client": client}


def test_push_makes_one_task_per_article_with_the_detectors_predictions(pushed, documents):
    assert "2 created, 0 updated, 0 unchanged" in pushed["output"]
    left_out = sum(len(split_prelabels(d)[1]) for d in documents.values())
    assert (
        left_out
        and f" {left_out} pre-label(s) inside titles or boilerplate not shown" in (pushed["output"])
    )
    assert sorted(pushed["tasks"]) == sorted(documents)
    for article_id, task in pushed["tasks"].items():
        document = documents[article_id]
        assert task.data["text"] == document.article.text
        assert "\r" not in task.data["text"]
        (prediction,) = task.predictions
        assert prediction.model_version == model_version()
        regions = prediction.result
        cues = sorted(
            (r["value"]["start"], r["value"]["end"], r["value"]["text"], r["value"]["labels"][0])
            for r in regions
            if r["from_name"] == "cue"
        )
        # cues inside a title or boilerplate are not suggested to annotators
        shown, _ = split_prelabels(document)
        expected = sorted((s.start, s.end, s.text, s.label) for s in shown)
        assert cues == expected and cues
        sentences = [r for r in regions if r["from_name"] == "sentence"]
        assert [(r["value"]["start"], r["value"]["end"]) for r in sentences] == [
            (s.start, s.end) for s in document.sentences
        ]
        for region in regions:
            value = region["value"]
            assert task.data["text"][value["start"] : value["end"]] == value["text"]
    seed_sentences = [
        r for r in pushed["tasks"][SEED_ID].predictions[0].result if r["from_name"] == "sentence"
    ]
    boilerplate = [
        r["value"]["text"] for r in seed_sentences if r["value"]["labels"] == ["BOILERPLATE"]
    ]
    assert boilerplate and all(not t.startswith("Korea") for t in boilerplate)
    assert any(t.startswith("Czytaj więcej") for t in boilerplate)


def test_project_shows_the_guidelines_and_the_detectors_predictions(pushed):
    project = pushed["client"].projects.get(pushed["project"].id)
    assert project.show_instruction and "<h1>Wytyczne dla adnotatorów" in project.expert_instruction
    assert project.show_collab_predictions and project.model_version == model_version()
    committed = (REPO_ROOT / "annotations" / "labeling_config.xml").read_text(encoding="utf-8")
    assert project.label_config.strip() == committed.strip()
    assert same_as_stored(project.expert_instruction, project_instructions(load_config()))


def test_push_again_creates_nothing(studio, seeds, pushed):
    done = agitprop("sync", "push", "--seeds", str(seeds), "--project", TITLE, env=studio.env)
    assert done.returncode == 0, done.stderr
    assert "0 created, 0 updated, 2 unchanged" in done.stdout
    tasks = list(pushed["client"].tasks.list(project=pushed["project"].id))
    assert sorted(t.id for t in tasks) == sorted(t.id for t in pushed["tasks"].values())


def complete_answers(key: str, given: dict[str, str] | None = None) -> list[dict]:
    """Every answer the labeling config requires: article stances (``given``, else "unclear")
    toward each target, and the genre."""
    given = given or {}
    controls = ("article_stance_rosja", "article_stance_krld", "article_stance_ukraina")
    answers = [
        choice_region(f"{key}{control}", control, given.get(control, "unclear"))
        for control in controls
    ]
    return [*answers, choice_region(f"{key}genre", "genre", "news")]


@pytest.fixture(scope="module")
def annotated(studio, pushed, documents):
    """Two annotators on the seed (one also skips the emoji task), one on the emoji article."""
    client = pushed["client"]
    users = [
        client.users.create(username=f"ann{i}", email=f"annotator{i}@example.org") for i in (1, 2)
    ]
    seed_task, emoji_task = pushed["tasks"][SEED_ID], pushed["tasks"][EMOJI_ID]
    seed_text = seed_task.data["text"]
    emoji_text = emoji_task.data["text"]

    accepted = [dict(r) for r in seed_task.predictions[0].result]
    cues = [r for r in accepted if r["from_name"] == "cue"]
    deleted = cues[0]
    accepted.remove(deleted)  # the annotator deleted one pre-label
    start = seed_text.index(PHRASE)
    accepted.append(label_region("new1", start, start + len(PHRASE), PHRASE, "REGIME_TERM"))
    accepted.append(label_region("bogus", 3, 9, "nie ma tego w tekście", "HEDGE"))
    sentence = next(r for r in accepted if r["id"] == "s0001")
    accepted.append(
        choice_region(sentence["id"], "sentence_stance_rosja", "against", sentence["value"])
    )
    # a cue hotkey pressed while a sentence region was selected: the region (its id, its
    # extent) now also carries a cue label
    relabelled = next(r for r in accepted if r["id"] == "s0003")["value"]
    accepted.append(
        label_region(
            "s0003", relabelled["start"], relabelled["end"], relabelled["text"], "ATTRIBUTION"
        )
    )
    accepted += complete_answers("1", {"article_stance_krld": "favor"})
    first = client.annotations.create(seed_task.id, result=accepted, completed_by=users[0].id)

    # incomplete: no stance toward KRLD and Ukraina, no genre (Label Studio's front end would
    # refuse it; the API does not)
    second = client.annotations.create(
        seed_task.id,
        result=[choice_region("a2", "article_stance_rosja", "against")],
        completed_by=users[1].id,
    )
    client.annotations.create(
        emoji_task.id, result=[], completed_by=users[1].id, was_cancelled=True
    )

    cp = emoji_text.index(PHRASE)  # after two emoji: the browser counts each as two units
    browser = (utf16_offset(emoji_text, cp), utf16_offset(emoji_text, cp + len(PHRASE)))
    assert browser[0] != cp
    emoji_result = [label_region("e1", *browser, PHRASE, "REGIME_TERM"), *complete_answers("3")]
    third = client.annotations.create(emoji_task.id, result=emoji_result, completed_by=users[0].id)
    return {
        "ids": [first.id, second.id, third.id],
        "deleted": deleted,
        "emails": [u.email for u in users],
        "phrase_at": {SEED_ID: start, EMOJI_ID: cp},
    }


@pytest.fixture(scope="module")
def pulled(studio, annotated, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pull") / "annotations"  # validate knows it by name
    done = agitprop(
        "sync", "pull", "--project", TITLE, "--annotations", str(folder), env=studio.env
    )
    assert done.returncode == 0, done.stderr
    snapshots = folder / "snapshots" / TITLE
    records = {
        f.stem: [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines()]
        for f in sorted(snapshots.glob("*.jsonl"))
    }
    return {"done": done, "folder": folder, "snapshots": snapshots, "records": records}


def test_pull_keeps_a_repeated_region_once_and_says_so(pulled, annotated):
    # The annotator accepted the REGIME_TERM pre-label and also drew the same region again.
    start = annotated["phrase_at"][SEED_ID]
    (first,) = [
        r for r in pulled["records"][SEED_ID] if r["annotation_id"] == f"ls-{annotated['ids'][0]}"
    ]
    same = [s for s in first["spans"] if (s["start"], s["label"]) == (start, "REGIME_TERM")]
    assert len(same) == 1
    merged = [line for line in pulled["done"].stderr.splitlines() if line.startswith("merged:")]
    assert len(merged) == 1 and "REGIME_TERM" in merged[0]


def test_pull_writes_pseudonymised_snapshots_of_submitted_annotations(pulled, annotated, documents):
    records = pulled["records"]
    assert sorted(records) == sorted([SEED_ID, EMOJI_ID])
    seed_records = records[SEED_ID]
    assert [r["annotation_id"] for r in seed_records] == [f"ls-{i}" for i in annotated["ids"][:2]]
    assert len(records[EMOJI_ID]) == 1  # the skipped annotation is not there
    annotators = {r["annotator"] for rs in records.values() for r in rs}
    assert len(annotators) == 2
    assert all(re.fullmatch(r"annotator-[0-9a-f]{12}", a) for a in annotators)
    everything = "".join(f.read_text(encoding="utf-8") for f in pulled["snapshots"].iterdir())
    for email in annotated["emails"]:
        assert email not in everything and email.split("@")[0] not in everything

    first = seed_records[0]
    deleted = annotated["deleted"]["value"]
    assert (deleted["start"], deleted["end"]) not in {
        (s["start"], s["end"]) for s in first["spans"]
    }
    judged = documents[SEED_ID].sentences[1]  # the stance names the sentence it judged
    assert {
        "sentence_id": f"{SEED_ID}-s0001",
        "target": "Rosja",
        "stance": "against",
        "start": judged.start,
        "end": judged.end,
        "text": judged.text,
    } in first["stances"]
    assert first["segmentation"].startswith("pl@")
    assert {"sentence_id": None, "target": "KRLD", "stance": "favor"} in first["stances"]
    assert first["article_labels"] == {"genre": ["news"]}
    assert seed_records[1]["stances"] == [
        {"sentence_id": None, "target": "Rosja", "stance": "against"}
    ]


def test_pull_rejects_a_relabelled_sentence_region(pulled, documents):
    sentence = documents[SEED_ID].sentences[3]
    rejected = [line for line in pulled["done"].stderr.splitlines() if "region 's0003'" in line]
    assert len(rejected) == 1
    assert f"ATTRIBUTION over the whole sentence {sentence.start}..{sentence.end}" in rejected[0]
    spans = {(s["start"], s["end"]) for r in pulled["records"][SEED_ID] for s in r["spans"]}
    assert (sentence.start, sentence.end) not in spans


def test_pull_reports_the_incomplete_annotation(pulled, annotated):
    lines = pulled["done"].stderr.splitlines()
    incomplete = [line for line in lines if line.startswith("INCOMPLETE")]
    assert len(incomplete) == 1
    assert f"annotation {annotated['ids'][1]}" in incomplete[0]
    assert "no article stance toward KRLD, article stance toward Ukraina, genre" in incomplete[0]
    assert "(1 incomplete)" in pulled["done"].stdout


def test_validate_names_the_incomplete_annotation_and_nothing_else(pulled, annotated):
    done = agitprop("validate", str(pulled["folder"]))
    assert done.returncode == 1
    (line,) = done.stdout.splitlines()
    assert f"ls-{annotated['ids'][1]}" in line and "(incomplete_annotation)" in line


def test_pull_reanchors_emoji_offsets_and_rejects_spans_not_in_the_text(
    pulled, annotated, documents
):
    (emoji,) = pulled["records"][EMOJI_ID]
    (span,) = emoji["spans"]
    start = annotated["phrase_at"][EMOJI_ID]
    assert (span["start"], span["end"], span["text"]) == (start, start + len(PHRASE), PHRASE)
    assert documents[EMOJI_ID].article.text[span["start"] : span["end"]] == PHRASE
    assert "1 re-anchored" in pulled["done"].stdout
    assert "REJECTED" in pulled["done"].stderr and "nie ma tego w tekście" in pulled["done"].stderr
    texts = {s["text"] for r in pulled["records"][SEED_ID] for s in r["spans"]}
    assert "nie ma tego w tekście" not in texts


def test_pull_again_is_byte_identical(studio, pulled):
    before = {f.name: f.read_bytes() for f in pulled["snapshots"].iterdir()}
    done = agitprop(
        "sync", "pull", "--project", TITLE, "--annotations", str(pulled["folder"]), env=studio.env
    )
    assert done.returncode == 0, done.stderr
    assert {f.name: f.read_bytes() for f in pulled["snapshots"].iterdir()} == before


def test_build_releases_annotated_spans_exactly(pulled, annotated, seeds, tmp_path):
    result = build(
        load_config(), seeds=seeds, annotations=pulled["folder"], out=tmp_path, progress=False
    )
    assert [row.code for row in result.quarantine] == ["incomplete_annotation"]
    articles = {a["article_id"]: a["text"] for a in read_config(result.target, "articles")}
    spans = [s for s in read_config(result.target, "spans") if s["origin"] == "annotation"]
    counted = f"ls-{annotated['ids'][1]}"  # the incomplete annotation is not counted
    expected_total = sum(
        len(r["spans"])
        for rs in pulled["records"].values()
        for r in rs
        if r["annotation_id"] != counted
    )
    assert len(spans) == expected_total
    for span in spans:
        assert articles[span["article_id"]][span["start"] : span["end"]] == span["text"]
        assert re.fullmatch(r"annotator-[0-9a-f]{12}", span["source"])
    regime = {(s["article_id"], s["start"]) for s in spans if s["label"] == "REGIME_TERM"}
    drawn = {(a, start) for a, start in annotated["phrase_at"].items()}
    prelabelled = {
        (s["article_id"], s["start"])
        for s in read_config(result.target, "spans")
        if s["origin"] == "prelabel" and s["label"] == "REGIME_TERM"
    }
    # the regions the annotators drew, plus REGIME_TERM pre-labels the first one accepted
    assert drawn <= regime and regime - drawn <= prelabelled
