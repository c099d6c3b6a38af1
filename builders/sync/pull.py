"""``agitprop sync pull``: submitted annotations → ``annotations/snapshots/<project>/*.jsonl``.

One file per article, one line per submitted annotation, keys sorted, lines ordered by annotation
id: re-pulling an unchanged project rewrites byte-identical files, and a new annotation shows up
as a one-line diff. Skipped (cancelled) annotations and drafts are not annotations and are left
out. Annotators appear only as pseudonyms (``annotator-`` + a keyed hash of their e-mail).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from builders.config import ProjectConfig
from builders.records import sentence_at
from builders.schemas import violations
from builders.segment.rules import load_rules
from builders.segment.segmenter import segment_sentences
from builders.sync.connection import Connection, connect
from builders.sync.labeling_config import CUE, SENTENCE, LabelingConfig, project_labeling_config
from builders.sync.offsets import anchor_span
from builders.sync.project import find_project
from builders.sync.pseudonyms import Pseudonymizer
from builders.sync.tasks import SENTENCE_REGION_ID, text_sha256


@dataclass
class PullResult:
    folder: Path
    annotations: int = 0
    spans: int = 0
    reanchored: int = 0
    rejected: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)  # annotations missing required answers
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.annotations} annotations ({len(self.incomplete)} incomplete), {self.spans} "
            f"spans ({self.reanchored} re-anchored, {len(self.rejected)} rejected, "
            f"{len(self.merged)} duplicates merged) → {self.folder}, {self.seconds:.2f} s"
        )


class AnnotationConverter:
    """One Label Studio annotation (on its task) → one ``annotation.schema.json`` record."""

    def __init__(self, labeling: LabelingConfig, pseudonyms: Pseudonymizer, emails: dict) -> None:
        self.labeling = labeling
        self.pseudonyms = pseudonyms
        self.emails = emails
        self.label_names = set(labeling.taxonomy.label_names)
        self.reanchored = 0
        self.rejected: list[str] = []
        self.merged: list[str] = []  # identical regions within one annotation, kept once
        self.incomplete: list[str] = []
        self._segmented: dict = {}  # task id → (rules, sentences, extents, sentences by id)

    def convert(self, task: dict, annotation: dict) -> dict:
        data = task["data"]
        text = data["text"]
        article_id = data["article_id"]
        where = f"task {task['id']} (article {article_id!r}) annotation {annotation['id']}"
        rules, sentences, extents, by_id = self._sentences(task)
        regions: dict[str, int] = {}  # region id → its start, for per-region (sentence) choices
        spans, stances, article_labels = [], [], {}
        seen_spans: set[tuple[int, int, str]] = set()
        for item in annotation.get("result") or []:
            name, value = item.get("from_name"), item.get("value") or {}
            if item.get("type") == "labels" and name in (CUE, SENTENCE):
                start, end, span_text = value.get("start"), value.get("end"), value.get("text")
                anchored = anchor_span(text, start, end, span_text)
                region = f"{where} region {item.get('id')!r}"
                if anchored is None:
                    self.rejected.append(
                        f"{region}: span {value.get('text')!r} at {value.get('start')}.."
                        f"{value.get('end')} is not in the article text — rejected"
                    )
                    continue
                regions[item.get("id")] = anchored.start
                if name == SENTENCE:
                    continue
                if _is_sentence_region(item.get("id"), (anchored.start, anchored.end), extents):
                    # a cue hotkey pressed while a sentence region was selected relabels the
                    # whole sentence; that is never a cue
                    self.rejected.append(
                        f"{region}: {'/'.join(value.get('labels', []))} over the whole sentence "
                        f"{anchored.start}..{anchored.end} (a relabelled sentence region, "
                        "e.g. a cue hotkey pressed with the sentence selected) — rejected"
                    )
                    continue
                if anchored.how != "exact":
                    self.reanchored += 1
                for label in value.get("labels", []):
                    if label not in self.label_names:
                        self.rejected.append(f"{region}: unknown label {label!r} — rejected")
                        continue
                    if (anchored.start, anchored.end, label) in seen_spans:
                        self.merged.append(
                            f"{region}: same {label} span as another region of this annotation"
                            " — kept once"
                        )
                        continue
                    seen_spans.add((anchored.start, anchored.end, label))
                    spans.append(
                        {
                            "start": anchored.start,
                            "end": anchored.end,
                            "label": label,
                            "text": text[anchored.start : anchored.end],
                            **_region_origin(item),
                        }
                    )
            elif item.get("type") == "choices":
                choices = value.get("choices") or []
                if name in self.labeling.article_stance_controls:
                    target = self.labeling.article_stance_controls[name]
                    stances += [_stance(None, target, choice) for choice in choices]
                elif name in self.labeling.sentence_stance_controls:
                    target = self.labeling.sentence_stance_controls[name]
                    start = regions.get(item.get("id"), value.get("start"))
                    sentence_id = sentence_at(sentences, start) if isinstance(start, int) else None
                    if sentence_id is None:
                        self.rejected.append(
                            f"{where}: stance toward {target} on region {item.get('id')!r} "
                            "that is not inside a sentence — rejected"
                        )
                        continue
                    judged = by_id[sentence_id]
                    stances += [_stance(sentence_id, target, choice, judged) for choice in choices]
                elif name in self.labeling.article_choice_controls:
                    article_labels[name] = sorted(choices)
        record = {
            "annotation_id": f"ls-{annotation['id']}",
            "article_id": article_id,
            "annotator": self.pseudonyms.pseudonym(self._identity(annotation)),
            **_provenance(annotation),
            "task_id": task["id"],
            "ground_truth": bool(annotation.get("ground_truth")),
            "article_sha256": text_sha256(text),
            "spans": sorted(spans, key=lambda s: (s["start"], s["end"], s["label"])),
            "stances": sorted(stances, key=lambda s: (s["sentence_id"] or "", s["target"])),
            "article_labels": article_labels,
            "segmentation": f"{rules.language}@{rules.version}",
        }
        missing = self.labeling.taxonomy.missing_answers(record, self.labeling.stance_targets)
        if missing:
            self.incomplete.append(f"{where} by {record['annotator']}: no {', '.join(missing)}")
        found = violations("annotation", record)
        if found:
            problems = "; ".join(f"{v.pointer}: {v.message}" for v in found)
            raise ValueError(f"{where} does not fit annotation.schema.json: {problems}")
        return record

    def _sentences(self, task: dict) -> tuple:
        """The task's article segmented by the current rules, once per task: a sentence stance
        records the judged sentence's offsets and text (so a build with other rules re-attaches
        it exactly or not at all), and a cue region with a sentence's exact extent is a
        relabelled sentence region."""
        held = self._segmented.get(task["id"])
        if held is None:
            data = task["data"]
            rules = load_rules(data.get("language", "pl"))
            sentences = segment_sentences(data["article_id"], data["text"], rules)
            extents = {(sentence.start, sentence.end) for sentence in sentences}
            by_id = {sentence.sentence_id: sentence for sentence in sentences}
            held = self._segmented[task["id"]] = (rules, sentences, extents, by_id)
        return held

    def _identity(self, annotation: dict) -> str:
        user = annotation.get("completed_by")
        user_id = user.get("id") if isinstance(user, dict) else user
        return self.emails.get(user_id) or f"user-{user_id}"


def _stance(sentence_id: str | None, target: str, stance: str, judged=None) -> dict:
    """A stance; a sentence stance also names the judged sentence's offsets and text."""
    record = {"sentence_id": sentence_id, "target": target, "stance": stance}
    if judged is not None:
        record.update(start=judged.start, end=judged.end, text=judged.text)
    return record


def _is_sentence_region(region_id, extent: tuple[int, int], sentence_extents: set) -> bool:
    """A cue region that was a pushed sentence region (its id) or covers exactly a sentence."""
    return bool(SENTENCE_REGION_ID.fullmatch(str(region_id))) or extent in sentence_extents


def fetch_annotated_tasks(connection: Connection, client, project_id: int) -> list[dict]:
    """Every task with at least one annotation, with its annotations (one export request)."""
    http = client._client_wrapper.httpx_client

    def export():
        from label_studio_sdk.core.api_error import ApiError

        response = http.request(
            f"api/projects/{project_id}/export",
            method="GET",
            params={"exportType": "JSON", "download_all_tasks": "false"},
        )
        if response.status_code >= 400:
            raise ApiError(status_code=response.status_code, body=response.text)
        return response.json()

    return connection.call(f"export annotations of project {project_id}", export)


def _region_origin(item: dict) -> dict:
    """Label Studio's origin of a region (``prediction``, ``prediction-changed``, ``manual``), as
    its front end sends it; nothing when it sent none (regions created through the API)."""
    return {"origin": item["origin"]} if item.get("origin") is not None else {}


def _provenance(annotation: dict) -> dict:
    """Seconds spent (``lead_time``) and the ``model_version`` of the prediction the annotation
    started from (Label Studio exports it as the annotation's ``prediction``), else null."""
    lead_time = annotation.get("lead_time")
    if isinstance(lead_time, bool) or not isinstance(lead_time, (int, float)):
        lead_time = None
    prediction = annotation.get("prediction")
    version = prediction.get("model_version") if isinstance(prediction, dict) else None
    return {
        "lead_time": lead_time,
        "prediction_model_version": version or None,
    }


def user_emails(connection: Connection, client) -> dict[int, str]:
    users = connection.call("list users", lambda: list(client.users.list()))
    return {user.id: user.email or user.username for user in users}


def pull(
    connection: Connection,
    config: ProjectConfig,
    *,
    annotations: Path | None = None,
    title: str | None = None,
    pseudonyms: Pseudonymizer | None = None,
) -> PullResult:
    began = time.perf_counter()
    title = title or config.name
    client = connect(connection)
    project = find_project(connection, client, title)
    if project is None:
        raise LookupError(
            f"no project titled {title!r} on {connection.url}; run `agitprop sync push` first"
        )
    by_article, converter = submitted_records(connection, client, project.id, config, pseudonyms)
    folder = Path(annotations or config.annotations) / "snapshots" / title
    return write_pulled(folder, by_article, [converter], began)


def write_pulled(
    folder: Path, by_article: dict[str, list[dict]], converters: list, began: float
) -> PullResult:
    """Write the snapshots; the result sums what every converter (one per project) reported."""
    result = PullResult(
        folder,
        reanchored=sum(c.reanchored for c in converters),
        rejected=[m for c in converters for m in c.rejected],
        merged=[m for c in converters for m in c.merged],
        incomplete=[m for c in converters for m in c.incomplete],
    )
    write_snapshots(folder, by_article)
    result.annotations = sum(len(records) for records in by_article.values())
    result.spans = sum(len(r["spans"]) for records in by_article.values() for r in records)
    result.seconds = time.perf_counter() - began
    return result


def submitted_records(
    connection: Connection,
    client,
    project_id: int,
    config: ProjectConfig,
    pseudonyms: Pseudonymizer | None = None,
    tasks: list[dict] | None = None,
) -> tuple[dict[str, list[dict]], AnnotationConverter]:
    """The project's submitted annotations as snapshot records by article, and the converter
    (what it re-anchored, rejected, merged and found incomplete). Skipped ones are left out.
    ``tasks``: the project's export, if already fetched."""
    converter = AnnotationConverter(
        project_labeling_config(config),
        pseudonyms or Pseudonymizer.default(),
        user_emails(connection, client),
    )
    by_article: dict[str, list[dict]] = {}
    if tasks is None:
        tasks = fetch_annotated_tasks(connection, client, project_id)
    for task in tasks:
        for annotation in task.get("annotations") or []:
            if annotation.get("was_cancelled"):
                continue
            record = converter.convert(task, annotation)
            by_article.setdefault(record["article_id"], []).append(record)
    return by_article, converter


def write_snapshots(folder: Path, by_article: dict[str, list[dict]]) -> None:
    """Replace ``folder`` with one JSONL file per article, atomically (rename of a sibling)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    staging.chmod(0o755)
    for article_id, records in sorted(by_article.items()):
        records.sort(key=lambda r: int(r["annotation_id"].removeprefix("ls-")))
        lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records]
        (staging / f"{article_id}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    previous = folder.with_name(f".{folder.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if folder.exists():
        folder.rename(previous)
    staging.rename(folder)
    shutil.rmtree(previous, ignore_errors=True)
