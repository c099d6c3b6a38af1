"""Adjudication and progress on a real Label Studio: ``review push|pull`` and ``status``.

Three annotator users submit (or skip) differing annotations of five articles through the API.
``review push`` must put exactly the items the gold rules leave undecided into the review project
(undisputed articles stay out); a reviewer's annotation there, after ``review pull`` and a
release, is the released gold (``adjudicated``, ``gold:adjudicated@1``); ``status`` figures are
checked against arithmetic over what the test created; the reviewer's view is screenshotted.
"""

from __future__ import annotations

import json
import math
import re
import shutil

import numpy as np
import pytest
from browser_support import admin_page
from conftest import FIXTURES, load_release
from studio_server import agitprop, choice_region, label_region, push_project

from builders.build import release
from builders.config import load_config
from builders.gold.rules import ADJUDICATED_RULE
from builders.paths import REPO_ROOT

TITLE = "review-test"
REVIEW = "review-test-review"
G1, G2, CALM, SOLO, OPEN = "gold-1", "gold-2", "calm-1", "solo-1", "open-1"
S1, S2, S3 = (f"{G1}-s000{i}" for i in (1, 2, 3))
EXTRA_SEEDS = [
    {
        "id": CALM,
        "outlet": "portal-r",
        "language": "pl",
        "text": "Deszcz padał cały dzień w Gdańsku.",
    },
    {"id": SOLO, "outlet": "portal-r", "language": "pl", "text": "Pociąg przyjechał punktualnie."},
    {"id": OPEN, "outlet": "portal-r", "language": "pl", "text": "Sklep otwarto w poniedziałek."},
]
TARGETS = {"Rosja": "rosja", "KRLD": "krld", "Ukraina": "ukraina"}
# Who submits what. "stances": sentence stances toward Rosja; "article": article stances (the
# others are "unclear"); "genre"; "spans": (phrase, label). C skips calm-1; open-1 is untouched.
PLAN = {
    (G1, "A"): {
        "stances": {S1: "against", S2: "against", S3: "favor"},
        "article": {"Rosja": "against"},
        "genre": "news",
        "spans": [("Rzekomo", "HEDGE"), ("propagandzie reżimu", "EVALUATIVE")],
    },
    (G1, "B"): {
        "stances": {S1: "against", S2: "neutral"},
        "article": {"Rosja": "against"},
        "genre": "analysis",
        "spans": [("Rzekomo", "HEDGE")],
    },
    (G1, "C"): {
        "stances": {S1: "against", S2: "favor"},
        "article": {"Rosja": "favor"},
        "genre": "opinion",
        "spans": [("Rzekomo zginęło", "HEDGE")],
    },
    (G2, "A"): {"article": {"KRLD": "favor"}, "spans": [("przywódca", "REGIME_TERM")]},
    (G2, "B"): {"article": {"KRLD": "against"}, "spans": [("przywódca", "REGIME_TERM")]},
    (G2, "C"): {"article": {"KRLD": "neutral"}, "spans": [("przywódca", "REGIME_TERM")]},
    (CALM, "A"): {},
    (CALM, "B"): {},
    (SOLO, "A"): {},
}
SKIPPED = {(CALM, "C")}
GOLD1 = (
    "Wojna na wschodzie\nKreml twierdzi, że wojna idzie zgodnie z planem. Rzekomo zginęło tylko "
    "kilku żołnierzy. Eksperci mówią o propagandzie reżimu."
)
_EVAL = GOLD1.index("propagandzie reżimu")
# What the gold rules leave undecided (builders/gold/disputes.py), worked out by hand:
#  gold-1: S2 against/neutral/favor → no majority; S3 only A → too few (1 < 2); genre
#    news/analysis/opinion → no majority; EVALUATIVE drawn by A alone → minority. HEDGE
#    "Rzekomo" by A and B (2 of 3 on one extent) and S1 (unanimous) and article/Rosja (2 of 3)
#    are settled.
#  gold-2: article stance toward KRLD favor/against/neutral → no majority; the rest agrees.
#  solo-1: one annotator: every item has too few votes. calm-1: A and B agree on everything.
DISPUTES = {
    G1: {
        ("stance", f"sentence {S2} / Rosja", "no_majority"),
        ("stance", f"sentence {S3} / Rosja", "insufficient_votes"),
        ("choice", "genre", "no_majority"),
        ("span", f"EVALUATIVE {_EVAL}..{_EVAL + len('propagandzie reżimu')}", "minority"),
    },
    G2: {("stance", "article / KRLD", "no_majority")},
    SOLO: {
        *(("stance", f"article / {t}", "insufficient_votes") for t in TARGETS),
        ("choice", "genre", "insufficient_votes"),
    },
}
# The reviewer's decision on gold-1: S2 neutral, S3 favor, genre analysis, both spans kept.
DECISION = {
    "stances": {S1: "against", S2: "neutral", S3: "favor"},
    "article": {"Rosja": "against"},
    "genre": "analysis",
    "spans": [("Rzekomo", "HEDGE"), ("propagandzie reżimu", "EVALUATIVE")],
}
SCREENSHOT = REPO_ROOT / "dist" / "screenshots" / "reviewer_view.png"


def result_for(task, plan: dict, who: str) -> list[dict]:
    """A plan entry as the regions the Label Studio front end submits."""
    text = task.data["text"]
    result = []
    for n, (phrase, label) in enumerate(plan.get("spans", [])):
        start = text.index(phrase)
        result.append(label_region(f"{who}{n}", start, start + len(phrase), phrase, label))
    sentences = sorted(
        (r["value"]["start"], r["value"])
        for r in task.predictions[0].result
        if r["from_name"] == "sentence"
    )
    for sentence_id, stance in plan.get("stances", {}).items():
        index = int(sentence_id.rsplit("s", 1)[1])
        value = sentences[index][1]
        result.append(choice_region(f"{who}s{index}", "sentence_stance_rosja", stance, value))
    for target, control in TARGETS.items():
        stance = plan.get("article", {}).get(target, "unclear")
        result.append(choice_region(f"{who}{control}", f"article_stance_{control}", stance))
    result.append(choice_region(f"{who}g", "genre", plan.get("genre", "news")))
    return result


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review-seeds")
    shutil.copy(FIXTURES / "studio" / "gold.jsonl", folder)
    lines = [json.dumps(r, ensure_ascii=False) for r in EXTRA_SEEDS]
    (folder / "extra.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def annotated(studio, seeds, tmp_path_factory):
    _, client, project, tasks = push_project(studio, seeds, TITLE)
    users = {
        who: client.users.create(username=f"rev{who}", email=f"review-{who.lower()}@example.org")
        for who in ("A", "B", "C", "R")
    }
    for (article, who), plan in PLAN.items():
        task = tasks[article]
        client.annotations.create(
            task.id, result=result_for(task, plan, who), completed_by=users[who].id
        )
    for article, who in SKIPPED:
        client.annotations.create(
            tasks[article].id, result=[], completed_by=users[who].id, was_cancelled=True
        )
    root = tmp_path_factory.mktemp("review-pull")
    folder = root / "annotations"
    done = agitprop(
        "sync", "pull", "--project", TITLE, "--annotations", str(folder), env=studio.env
    )
    assert done.returncode == 0, done.stderr
    records = [
        json.loads(line)
        for path in sorted((folder / "snapshots" / TITLE).glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    by_email = {f"review-{w.lower()}@example.org": w for w in users}
    from builders.sync.pseudonyms import Pseudonymizer

    salted = Pseudonymizer(studio.env["AGITPROP_PSEUDONYM_SALT"])
    pseudonym = {who: salted.pseudonym(email) for email, who in by_email.items()}
    return {
        "client": client,
        "tasks": tasks,
        "users": users,
        "root": root,
        "folder": folder,
        "records": records,
        "pseudonym": pseudonym,
    }


def _status(studio) -> dict:
    done = agitprop("status", "--project", TITLE, "--json", env=studio.env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _review_push(studio, annotated, seeds):
    done = agitprop(
        "review",
        "push",
        "--project",
        TITLE,
        "--seeds",
        str(seeds),
        "--annotations",
        str(annotated["folder"]),
        env=studio.env,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _review_tasks(client) -> dict:
    (project,) = [p for p in client.projects.list(title=REVIEW) if p.title == REVIEW]
    return project, {
        t.data["article_id"]: t for t in client.tasks.list(project=project.id, fields="all")
    }


@pytest.fixture(scope="module")
def status_before(studio, annotated):
    return _status(studio)


@pytest.fixture(scope="module")
def reviewed(studio, annotated, seeds, status_before):
    first = _review_push(studio, annotated, seeds)
    again = _review_push(studio, annotated, seeds)
    project, tasks = _review_tasks(annotated["client"])
    return {"first": first, "again": again, "project": project, "tasks": tasks}


def test_review_push_sends_exactly_the_disputed_items(reviewed):
    printed = {}
    for line in reviewed["first"].splitlines():
        article, sep, items = line.partition(": ")
        if sep and article in {G1, G2, CALM, SOLO, OPEN}:
            printed[article] = {
                tuple(re.fullmatch(r"(\w+) (.+) \((\w+)\)", item).groups())
                for item in items.split("; ")
            }
    assert printed == DISPUTES
    assert set(reviewed["tasks"]) == set(DISPUTES)  # calm-1 and open-1 are not there
    assert "3 of 4 annotated articles disputed (9 items)" in reviewed["first"]
    assert "3 created" in reviewed["first"]
    # a re-push changes nothing and duplicates nothing
    assert "0 created, 0 updated, 3 unchanged" in reviewed["again"]


def test_each_annotator_is_a_prediction_named_by_pseudonym(reviewed, annotated):
    pseudonym = annotated["pseudonym"]
    for article, task in reviewed["tasks"].items():
        whose = {who for (a, who) in PLAN if a == article}
        versions = {p.model_version for p in task.predictions}
        assert versions == {pseudonym[w] for w in whose}, article
        summary = task.data["review_summary"]
        assert all(pseudonym[w] in summary for w in whose)
        assert "example.org" not in json.dumps(task.data)
    by_version = {p.model_version: p.result for p in reviewed["tasks"][G1].predictions}
    a_result = by_version[pseudonym["A"]]
    assert {
        (r["value"]["text"], r["value"]["labels"][0]) for r in a_result if r["from_name"] == "cue"
    } == {("Rzekomo", "HEDGE"), ("propagandzie reżimu", "EVALUATIVE")}
    c_stances = {
        r["value"]["text"]: r["value"]["choices"][0]
        for r in by_version[pseudonym["C"]]
        if r["from_name"] == "sentence_stance_rosja"
    }
    assert c_stances == {
        "Kreml twierdzi, że wojna idzie zgodnie z planem.": "against",
        "Rzekomo zginęło tylko kilku żołnierzy.": "favor",
    }


def test_reviewer_sees_each_annotators_prediction_by_pseudonym(studio, reviewed, annotated):
    task = reviewed["tasks"][G1]
    pseudonyms = sorted(annotated["pseudonym"][w] for (a, w) in PLAN if a == G1)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    with admin_page(studio, viewport=(1600, 1100)) as page:
        page.goto(f"{studio.url}/projects/{reviewed['project'].id}/data?task={task.id}")
        try:
            page.wait_for_selector(".htx-highlight", timeout=120_000)
            page.wait_for_timeout(2_000)
            shown = {p: page.evaluate(VISIBLE_OUTSIDE_TABLES, p) for p in pseudonyms}
        finally:
            page.screenshot(path=str(SCREENSHOT))
            SCREENSHOT.with_suffix(".html").write_text(page.content(), encoding="utf-8")
    # every annotator's prediction is listed by its pseudonym (outside the summary table)
    assert all(shown.values()), shown


# Visible elements naming the pseudonym that are not part of the disputed-items table.
VISIBLE_OUTSIDE_TABLES = """(name) => Array.from(document.querySelectorAll('body *')).filter(
    (e) => !e.closest('table') && e.offsetParent !== null
        && Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.includes(name))
).length"""


def _expected_progress():
    """done / skipped / remaining per annotator, and the overlap, from PLAN and SKIPPED."""
    articles = {G1, G2, CALM, SOLO, OPEN}
    needed = load_config().extra["annotators_per_task"]
    submitted = {a: {w for (x, w) in PLAN if x == a} for a in articles}
    progress = {}
    for who in "ABC":
        done = {a for (a, w) in PLAN if w == who}
        skipped = {a for (a, w) in SKIPPED if w == who} - done
        remaining = {a for a in articles - done - skipped if len(submitted[a]) < needed}
        progress[who] = {"done": len(done), "skipped": len(skipped), "remaining": len(remaining)}
    overlap = sum(1 for a in articles if len(submitted[a]) >= needed)
    return progress, overlap, len(articles)


def _alpha_rosja() -> float:
    import krippendorff

    values = ["favor", "against", "neutral", "unclear"]
    units = [S1, S2, S3]
    data = np.full((3, len(units)), np.nan)
    for row, who in enumerate("ABC"):
        for column, sentence in enumerate(units):
            stance = PLAN[(G1, who)]["stances"].get(sentence)
            if stance:
                data[row, column] = values.index(stance)
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


def test_status_figures_match_the_arithmetic(status_before, annotated):
    progress, overlap, articles = _expected_progress()
    pseudonym = annotated["pseudonym"]
    assert status_before["annotators"] == {pseudonym[w]: p for w, p in progress.items()}
    assert (status_before["articles"], status_before["overlap_done"]) == (articles, overlap)
    alpha = status_before["agreement"]["stance_alpha"]["Rosja"]
    assert math.isclose(alpha["alpha"], round(_alpha_rosja(), 4))
    assert alpha["items"] == 2  # S1 and S2 judged by ≥ 2; S3 by A alone
    # REGIME_TERM: "przywódca" by all three in gold-2 → every pair matches exactly
    assert status_before["agreement"]["span_f1"]["REGIME_TERM"] == {"exact": 1.0, "overlap": 1.0}
    assert status_before["review_tasks"] is None and status_before["waiting_for_adjudication"] == 0


def test_status_table_for_the_operator_shows_logins(studio, annotated):
    done = agitprop("status", "--project", TITLE, "--logins", env=studio.env)
    assert done.returncode == 0, done.stderr
    progress, _, _ = _expected_progress()
    a = progress["A"]
    assert f"| review-a@example.org | {a['done']} | {a['remaining']} | {a['skipped']} |" in (
        done.stdout
    )
    plain = agitprop("status", "--project", TITLE, env=studio.env).stdout
    assert "example.org" not in plain and annotated["pseudonym"]["A"] in plain


def _decide(annotated, reviewed):
    """The reviewer submits a decision on gold-1 in the review project."""
    task = reviewed["tasks"][G1]
    result = result_for(task, DECISION, "R")
    return annotated["client"].annotations.create(
        task.id, result=result, completed_by=annotated["users"]["R"].id
    )


@pytest.fixture(scope="module")
def adjudicated(studio, annotated, reviewed, seeds):
    waiting_before = _status(studio)
    _decide(annotated, reviewed)
    waiting_after = _status(studio)
    pull = ["review", "pull", "--project", TITLE, "--annotations", str(annotated["folder"])]
    done = agitprop(*pull, env=studio.env)
    assert done.returncode == 0, done.stderr
    snapshot = annotated["folder"] / "snapshots" / REVIEW / f"{G1}.jsonl"
    first = snapshot.read_bytes()
    again = agitprop(*pull, env=studio.env)
    assert again.returncode == 0, again.stderr
    result = release(
        load_config(),
        version="1.0.0",
        seeds=seeds,
        annotations=annotated["folder"],
        out=annotated["root"] / "dist",
        progress=False,
    )
    return {
        "before": waiting_before,
        "after": waiting_after,
        "first": first,
        "second": snapshot.read_bytes(),
        "result": result,
        "pushed_again": _review_push(studio, annotated, seeds),
    }


def test_waiting_counts_drop_with_the_reviewers_annotation(adjudicated):
    assert adjudicated["before"]["review_tasks"] == len(DISPUTES)
    assert adjudicated["before"]["waiting_for_adjudication"] == len(DISPUTES)
    assert adjudicated["after"]["waiting_for_adjudication"] == len(DISPUTES) - 1


def test_review_pull_writes_a_pseudonymous_adjudication_byte_identically(adjudicated, annotated):
    assert adjudicated["first"] == adjudicated["second"]
    (record,) = [json.loads(line) for line in adjudicated["first"].decode().splitlines()]
    assert record["ground_truth"] is True and record["adjudication"] is True
    assert record["annotator"] == annotated["pseudonym"]["R"]
    assert "example.org" not in adjudicated["first"].decode()


def _decoded(rows) -> list[dict]:
    """``load_dataset`` rows with their class labels as names."""
    from datasets import ClassLabel

    labels = {k: f for k, f in rows.features.items() if isinstance(f, ClassLabel)}
    return [
        {k: labels[k].int2str(v) if k in labels and v is not None else v for k, v in row.items()}
        for row in rows
    ]


def test_the_decision_is_released_as_adjudicated_gold(adjudicated, annotated, tmp_path):
    target = adjudicated["result"].target
    stances = _decoded(load_release(target, "stances", tmp_path / "cache"))
    found = {
        (r["sentence_id"], r["target"]): (r["stance"], r["method"], r["votes"])
        for r in stances
        if r["article_id"] == G1
    }
    assert found[(S2, "Rosja")] == ("neutral", "adjudicated", 3)  # the reviewer is no vote
    assert found[(S3, "Rosja")] == ("favor", "adjudicated", 1)
    assert {m for _, m, _ in found.values()} == {"adjudicated"}
    g2 = {(r["target"], r["method"]) for r in stances if r["article_id"] == G2}
    assert ("KRLD", "no_majority") in g2  # not decided yet
    spans = _decoded(load_release(target, "spans", tmp_path / "cache"))
    gold = {(s["text"], s["label"], s["source"]) for s in spans if s["origin"] == "gold"}
    assert {g for g in gold if g[2] == ADJUDICATED_RULE} == {
        ("Rzekomo", "HEDGE", ADJUDICATED_RULE),
        ("propagandzie reżimu", "EVALUATIVE", ADJUDICATED_RULE),
    }
    # the reviewer's decision is not an independent rating: agreement leaves it out
    assert annotated["pseudonym"]["R"] not in adjudicated["result"].agreement.items


def test_a_decided_article_leaves_the_disputes_but_keeps_its_task(adjudicated):
    pushed = adjudicated["pushed_again"]
    assert "2 of 4 annotated articles disputed" in pushed
    assert "0 created" in pushed and f"{G1}:" not in pushed
