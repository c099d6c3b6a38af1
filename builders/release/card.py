"""The dataset card (README.md of a release): Hugging Face YAML metadata plus a readable body."""

from __future__ import annotations

from collections import Counter

from builders.config import ProjectConfig
from builders.release.features import CONFIGS
from builders.release.writer import parquet_path
from builders.taxonomy import Taxonomy

CONFIG_ROWS = {
    "articles": "an article; text normalised (CRLF→LF, NFC) as recorded in `normalization`",
    "sentences": "a sentence with `kind` ∈ body, title, heading, boilerplate",
    "spans": "a cue span; `origin` ∈ prelabel, annotation, gold; `source` = detector@version "
    "or annotator pseudonym; `attributes` is a JSON object",
}
SIZE_BUCKETS = [
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
]


def size_category(rows: int) -> str:
    return next((name for limit, name in SIZE_BUCKETS if rows < limit), "n>10M")


def _yaml_list(key: str, values: list[str]) -> list[str]:
    return [f"{key}:", *[f"- {value}" for value in values]]


def render_card(
    config: ProjectConfig,
    version: str,
    taxonomy: Taxonomy,
    counts: Counter,
    languages: list[str],
    span_labels: Counter,
    origins: Counter,
) -> str:
    yaml = [
        "---",
        f"pretty_name: {config.pretty_name!r}".replace("'", '"'),
        *_yaml_list("language", languages or [config.default_language]),
        f"license: {config.license}",
        *_yaml_list("task_categories", ["text-classification", "token-classification"]),
        *_yaml_list("size_categories", [size_category(counts["articles"])]),
        *_yaml_list("annotations_creators", ["machine-generated", "expert-generated"]),
        "configs:",
    ]
    for name in CONFIGS:
        yaml += [
            f"- config_name: {name}",
            "  data_files:",
            "  - split: train",
            f"    path: {parquet_path(name)}",
        ]
    yaml.append("---")
    body = [
        f"# {config.pretty_name}",
        "",
        f"Version **{version}** of `{config.name}`, built by agitprop from news articles: every",
        "sentence and framing cue is addressed by code-point offsets into the article text",
        "(`article.text[start:end] == text`).",
        "",
        "## Configs",
        "",
        "| config | rows | one row is |",
        "|---|---|---|",
        *[f"| `{name}` | {counts[name]} | {CONFIG_ROWS[name]} |" for name in CONFIGS],
        "",
        "## Labels",
        "",
        "| label | spans | description |",
        "|---|---|---|",
        *[
            f"| `{label.name}` | {span_labels.get(label.name, 0)} | {label.description} |"
            for label in taxonomy.labels
        ],
        "",
        "Spans by origin: " + (", ".join(f"{k} {v}" for k, v in sorted(origins.items())) or "none"),
        "",
        "## Load",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        *[
            f'{name} = load_dataset("<path or repo of this release>", "{name}", split="train")'
            for name in CONFIGS
        ],
        "```",
        "",
        f"Taxonomy version {taxonomy.version}. Quarantined inputs, if any, are listed in",
        "`quarantine.jsonl` with file, line and reason.",
        "",
    ]
    return "\n".join(yaml + body)
