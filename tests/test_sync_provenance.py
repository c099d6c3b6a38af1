"""Pre-label provenance on a real Label Studio: push → annotate as the browser does → pull → build.

The fixture article has three HEDGE pre-labels and nothing else. One annotator, working on the
task's prediction as Label Studio's front end does (every region carries its ``origin``, the
annotation its ``lead_time`` and parent prediction), keeps "Rzekomo", widens "Prawdopodobnie",
deletes "Podobno" and adds "niejasna". The snapshot must keep the origins, lead time and the
prediction's model version, and the release must report hedge@…: kept 1, edited 1, deleted 1,
added 1 — precision 2/3, recall 2/3. (What the front end sends was read off the UI test's
submission on Label Studio 1.23.2: accepted regions ``"origin": "prediction"``, the export's
annotation ``lead_time`` in seconds and ``prediction.model_version``.)
"""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES, read_config
from studio_server import agitprop, choice_region, label_region, push_project

from builders.build import build
from builders.config import load_config
from builders.cues import default_detectors
from builders.sync.labeling_config import project_labeling_config
from builders.sync.pseudonyms import Pseudonymizer
from builders.sync.pull import AnnotationConverter
from builders.sync.push import model_version

TITLE = "provenance-test"
ARTICLE = "provenance"
WIDENED = "Prawdopodobnie zginęły"
ADDED = "niejasna"
LEAD_TIME = 42.5


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("provenance-seeds")
    shutil.copy(FIXTURES / "studio" / f"{ARTICLE}.txt", folder)
    return folder


@pytest.fixture(scope="module")
def annotated(studio, seeds):
    _, client, _, tasks = push_project(studio, seeds, TITLE)
    task = tasks[ARTICLE]
    (prediction,) = task.predictions
    regions = prediction.result
    cues = {r["value"]["text"]: r for r in regions if r["from_name"] == "cue"}
    assert sorted(cues) == ["Podobno", "Prawdopodobnie", "Rzekomo"]
    text = task.data["text"]
    widened = dict(cues["Prawdopodobnie"], origin="prediction-changed")
    widened["value"] = {**widened["value"], "end": text.index(WIDENED) + len(WIDENED)}
    widened["value"]["text"] = WIDENED
    start = text.index(ADDED)
    result = [
        *(dict(r, origin="prediction") for r in regions if r["from_name"] == "sentence"),
        dict(cues["Rzekomo"], origin="prediction"),
        widened,
        # "Podobno" deleted
        label_region("added1", start, start + len(ADDED), ADDED, "HEDGE") | {"origin": "manual"},
        # the answers Label Studio requires before Submit
        *(
            choice_region(f"a{n}", f"article_stance_{target}", stance)
            for n, (target, stance) in enumerate(
                [("rosja", "neutral"), ("krld", "unclear"), ("ukraina", "unclear")]
            )
        ),
        choice_region("g1", "genre", "news"),
    ]
    user = client.users.create(username="prov1", email="provenance-1@example.org")
    made = client.annotations.create(
        task.id,
        result=result,
        completed_by=user.id,
        lead_time=LEAD_TIME,
        parent_prediction=prediction.id,
    )
    return {"annotation": made, "text": text}


@pytest.fixture(scope="module")
def pulled(studio, annotated, tmp_path_factory):
    folder = tmp_path_factory.mktemp("provenance-pull") / "annotations"
    done = agitprop(
        "sync", "pull", "--project", TITLE, "--annotations", str(folder), env=studio.env
    )
    assert done.returncode == 0, done.stderr
    snapshot = folder / "snapshots" / TITLE / f"{ARTICLE}.jsonl"
    (record,) = [json.loads(line) for line in snapshot.read_text(encoding="utf-8").splitlines()]
    return {"folder": folder, "record": record}


def test_converter_keeps_what_label_studio_exports_and_invents_nothing():
    # shaped like Label Studio 1.23.2's export of a browser submission (the UI test's), and of
    # an annotation created through the API without a prediction
    text = "Rzekomo doszło do ataku."
    task = {"id": 7, "data": {"text": text, "article_id": "p1", "language": "pl"}}
    region = label_region("c1", 0, 7, "Rzekomo", "HEDGE")
    browser = {
        "id": 70,
        "completed_by": 1,
        "lead_time": 1.364,
        "prediction": {"id": 3, "model_version": "hedge@0.1.0", "result": [region]},
        "result": [region | {"origin": "prediction"}],
    }
    api = {"id": 71, "completed_by": 1, "lead_time": None, "prediction": {}, "result": [region]}
    converter = AnnotationConverter(
        project_labeling_config(load_config()), Pseudonymizer("salt"), {1: "a@example.org"}
    )
    made = converter.convert(task, browser)
    assert (made["lead_time"], made["prediction_model_version"]) == (1.364, "hedge@0.1.0")
    assert made["spans"][0]["origin"] == "prediction"
    made = converter.convert(task, api)
    assert (made["lead_time"], made["prediction_model_version"]) == (None, None)
    assert "origin" not in made["spans"][0]


def _hedge() -> str:
    (source,) = [d.source for d in default_detectors() if d.name == "hedge"]
    return source


def test_pull_keeps_region_origins_lead_time_and_the_prediction_version(pulled, annotated):
    record = pulled["record"]
    assert record["annotation_id"] == f"ls-{annotated['annotation'].id}"
    assert record["lead_time"] == LEAD_TIME
    assert record["prediction_model_version"] == model_version()
    assert [(s["text"], s["label"], s["origin"]) for s in record["spans"]] == [
        ("Rzekomo", "HEDGE", "prediction"),
        (WIDENED, "HEDGE", "prediction-changed"),
        (ADDED, "HEDGE", "manual"),
    ]
    done = agitprop("validate", str(pulled["folder"]))
    assert done.returncode == 0, done.stdout + done.stderr


def test_release_reports_kept_edited_deleted_added_for_the_hedge_detector(pulled, seeds, tmp_path):
    result = build(
        load_config(), seeds=seeds, annotations=pulled["folder"], out=tmp_path, progress=False
    )
    assert not result.quarantine
    manifest = json.loads((result.target / "manifest.json").read_text(encoding="utf-8"))
    review = manifest["prelabel_review"]
    assert review["detectors"] == {
        _hedge(): {
            "HEDGE": {
                "kept": 1,
                "edited": 1,
                "deleted": 1,
                "added": 1,
                "precision": 0.6667,
                "recall": 0.6667,
            }
        }
    }
    assert review["annotations_compared"] == {d: 1 for d in sorted(model_version().split("+"))}
    assert review["not_compared"] == {"no_prediction": 0, "other_detector_versions": 0}
    card = (result.target / "README.md").read_text(encoding="utf-8")
    assert f"| `{_hedge()}` | `HEDGE` | 1 | 1 | 1 | 1 | 0.667 | 0.667 |" in card
    # the lead time per judgement, Label Studio's origin per released annotation span
    judgements = read_config(result.target, "annotations")  # one per target
    assert {(j["target"], j["stance"], j["lead_time"]) for j in judgements} == {
        ("Rosja", "neutral", LEAD_TIME),
        ("KRLD", "unclear", LEAD_TIME),
        ("Ukraina", "unclear", LEAD_TIME),
    }
    origins = {
        s["text"]: s["attributes"]["ls_origin"]
        for s in read_config(result.target, "spans")
        if s["origin"] == "annotation"
    }
    assert origins == {"Rzekomo": "prediction", WIDENED: "prediction-changed", ADDED: "manual"}


def test_agreement_command_prints_the_prelabel_review(pulled, seeds):
    done = agitprop("agreement", "--annotations", str(pulled["folder"]), "--seeds", str(seeds))
    assert done.returncode == 0, done.stderr
    assert "Pre-labels judged by the annotators" in done.stdout
    assert f"| `{_hedge()}` | `HEDGE` | 1 | 1 | 1 | 1 | 0.667 | 0.667 |" in done.stdout
    as_json = json.loads(
        agitprop(
            "agreement", "--annotations", str(pulled["folder"]), "--seeds", str(seeds), "--json"
        ).stdout
    )
    assert as_json["prelabel_review"]["detectors"][_hedge()]["HEDGE"]["deleted"] == 1
