"""The dataset card (README.md of a release): Hugging Face YAML metadata plus a generated body.

The YAML is written by ``huggingface_hub.DatasetCardData`` (the Hub's own card model), the body
from the release's statistics; nothing in it depends on the clock, so rebuilds are identical.
"""

from __future__ import annotations

from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from huggingface_hub import DatasetCardData

from builders.config import ProjectConfig
from builders.gold.splits import SPLITS
from builders.release.features import CONFIGS, config_features
from builders.release.stats import ReleaseStats
from builders.release.tokens import tag_column
from builders.release.writer import parquet_path
from builders.taxonomy import Taxonomy

CONFIG_ROWS = {
    "articles": "an article; text normalised (CRLF→LF, NFC) as recorded in `normalization`; "
    "`title`, `url`, `outlet`, `published`, `author`, `source_file`; pages (HTML, WARC) also "
    "`extractor` (name and version), `source_sha256` (of the raw page) and `captured` (the WARC "
    "capture date)",
    "sentences": "a sentence with `kind` ∈ body, title, heading, boilerplate",
    "spans": "a cue span; `origin` ∈ prelabel, annotation, gold; `source` = detector@version "
    "or annotator pseudonym or gold rule; `attributes` is a JSON object",
    "stances": "a gold stance of a sentence or article toward a target: adjudicated, else the "
    "strict majority of the annotators who judged it (`stance` null and `method` no_majority "
    "without one, insufficient_votes when too few judged it); `votes`, `agreeing`",
    "annotations": "one annotator's stance judgement (pseudonymous `annotator`, `annotation_id`, "
    "`ground_truth`, `lead_time` in seconds); their spans are the `spans` rows with `origin` "
    "annotation (Label Studio's region origin in `attributes.ls_origin`)",
    "tokens": "a sentence as `tokens` with code-point `starts`/`ends` into the article text and "
    "BIO tags for token classification: one `<label>_tags` column per label and `ner_tags` "
    "(all labels, overlaps resolved); tags from gold spans where the article has gold, else "
    "from pre-labels (`tags_from`); see Token classification",
}
# where the card's loading example points: replace it with the release's folder or Hub repo
LOAD_PATH = "<path or Hub repo of this release>"
SIZE_BUCKETS = [
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
]


def size_category(rows: int) -> str:
    return next((name for limit, name in SIZE_BUCKETS if rows < limit), "n>10M")


def loadable_configs(stats: ReleaseStats) -> list[str]:
    """Configs with rows. ``datasets`` cannot load a config whose every split is empty
    ("Instruction 'train' corresponds to no data"), so the card only declares configs that have
    rows; an empty one (``stances`` before anyone annotated) is named in the body instead."""
    return [name for name in CONFIGS if stats.rows[name] > 0]


def card_metadata(config: ProjectConfig, taxonomy: Taxonomy, stats: ReleaseStats) -> str:
    declared = loadable_configs(stats)
    data = DatasetCardData(
        pretty_name=config.pretty_name,
        language=stats.languages or [config.default_language],
        license=config.license,
        task_categories=["text-classification", "token-classification"],
        size_categories=[size_category(stats.rows["articles"])],
        annotations_creators=["machine-generated", "expert-generated"],
        language_creators=["found"],
        multilinguality=["monolingual" if len(stats.languages) <= 1 else "multilingual"],
        source_datasets=["original"],
        tags=["propaganda", "stance-detection", "framing", "news"],
        configs=[
            {
                "config_name": name,
                "data_files": [
                    {"split": split, "path": parquet_path(name, split)}
                    for split in stats.split_rows[name]
                ],
            }
            for name in declared
        ],
    )
    DatasetInfosDict(
        {
            name: DatasetInfo(
                config_name=name,
                features=config_features(name, taxonomy),
                splits=SplitDict(
                    {
                        split: SplitInfo(
                            split, stats.sizes[name][split][0], stats.split_rows[name][split]
                        )
                        for split in stats.split_rows[name]
                    }
                ),
                download_size=sum(size[1] for size in stats.sizes[name].values()),
                dataset_size=sum(size[0] for size in stats.sizes[name].values()),
            )
            for name in declared
        }
    ).to_dataset_card_data(data)  # dataset_info: features and sizes, as the Hub writes them
    return f"---\n{data.to_yaml()}\n---\n"


def _empty_configs_note(stats: ReleaseStats) -> list[str]:
    empty = [f"`{name}`" for name in CONFIGS if name not in loadable_configs(stats)]
    if not empty:
        return []
    return [
        f"Without rows in this version, so not declared as loadable configs: {', '.join(empty)} "
        "(they fill once annotation snapshots exist; their typed empty parquet files are kept).",
        "",
    ]


def markdown_table(header: list[str], rows: list[list]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows],
    ]


def _agreement_section(agreement) -> list[str]:
    if agreement is None:
        return []
    from builders.gold.agreement import agreement_tables

    alpha, f1, items = agreement_tables(agreement)
    return [
        "## Inter-annotator agreement",
        "",
        "Krippendorff's alpha (nominal) of sentence stance per target, one row per annotator and "
        "one column per sentence (`krippendorff` package); n/a when fewer than two judgements "
        "of a sentence or only one stance value occur. Counted: each annotator's latest "
        "annotation of an article.",
        "",
        *alpha,
        "",
        "Pairwise span F1 per label, summed over every pair of annotators of an article: exact "
        "(same start and end) and overlap (one-to-one, sharing a character).",
        "",
        *f1,
        "",
        "Items per annotator:",
        "",
        *items,
        "",
        "Gold spans (`origin` gold): the adjudicated annotation's (Label Studio ground truth, "
        "`source` gold:adjudicated@1), else, for an article with enough annotators (Gold "
        "coverage), `gold:overlap-majority@1`: same-label spans that overlap are clustered; a "
        "cluster marked by a strict majority of the article's annotators is gold, at the "
        "(start, end) most of them gave (ties: earliest).",
        "",
    ]


def _gold_section(gold: dict | None) -> list[str]:
    if not gold:
        return []
    from builders.gold.rules import METHODS, SPAN_METHODS

    minimum = gold["min_annotators"]
    stances, articles = gold["stances"], gold["span_articles"]
    return [
        "## Gold coverage",
        "",
        "Gold policy: an adjudicated annotation (Label Studio ground truth) is gold; otherwise an "
        "item needs a strict majority of the annotators who judged it, and at least "
        f"{minimum} of them (`gold_min_annotators`), or it gets no gold (`method` "
        "`no_majority` or `insufficient_votes`, `stance` null); gold spans of an article need "
        f"{minimum} annotators of it.",
        "",
        *markdown_table(
            ["items", *METHODS],
            [
                [f"{level} stances", *(stances.get(level, {}).get(m, 0) for m in METHODS)]
                for level in ("sentence", "article")
            ]
            + [
                [
                    "annotated articles (spans)",
                    *(articles.get(m, 0) if m in SPAN_METHODS else "–" for m in METHODS),
                ]
            ],
        ),
        "",
    ]


def _prelabel_review_section(review: dict | None) -> list[str]:
    if not review or not (review["detectors"] or any(review["not_compared"].values())):
        return []  # no annotations
    from builders.gold.prelabel_review import review_table

    return [
        "## Pre-labels judged by annotators",
        "",
        "Per detector (`name@version`) and label, over each annotator's latest annotation of an "
        "article that was made on that detector's pre-labels: kept unchanged, edited (other "
        "extent, or changed in Label Studio), deleted, and cues added that no detector "
        "proposed. precision = (kept + edited) / (kept + edited + deleted), recall = (kept + "
        "edited) / (kept + edited + added): each detector as measured by people on real text.",
        "",
        *review_table(review),
        "",
    ]


def _splits_section(splits: dict | None, stats: ReleaseStats) -> list[str]:
    if not splits:
        return []
    return [
        "## Splits",
        "",
        "Every config is split by article into train, validation and test (a split without rows "
        "has no file and is not declared). Near-duplicate articles "
        "(one wire story reprinted by several outlets) are clustered with MinHash LSH over word "
        f"3-grams of their body sentences (Jaccard ≥ {splits['near_duplicate_threshold']}), and a "
        "whole cluster goes to the split chosen by a stable hash of its smallest article id, so "
        "no story straddles splits. Ratios: "
        + ", ".join(f"{name} {ratio}" for name, ratio in splits["ratios"].items())
        + f". Clusters: {splits['clusters']}, of which {splits['multi_article_clusters']} hold "
        f"more than one article ({splits['articles_in_multi_article_clusters']} articles; "
        f"largest {splits['largest_cluster']}).",
        "",
        *markdown_table(
            ["split", "clusters", *CONFIGS],
            [
                [split, splits["clusters_per_split"][split]]
                + [stats.split_rows[name].get(split, 0) for name in CONFIGS]
                for split in SPLITS
            ],
        ),
        "",
    ]


def _bibtex(config: ProjectConfig, version: str) -> list[str]:
    key = f"{config.name.replace('-', '_')}_{version.replace('.', '_').replace('+', '_')}"
    where = config.extra.get("hub_repo")
    return [
        "```bibtex",
        f"@misc{{{key},",
        f"  title        = {{{{{config.pretty_name}}}}},",
        f"  author       = {{{config.extra.get('authors', 'agitprop contributors')}}},",
        f"  version      = {{{version}}},",
        "  howpublished = {"
        + (f"\\url{{https://huggingface.co/datasets/{where}}}" if where else "Hugging Face dataset")
        + (f", revision v{version}}}," if where else "},"),
        "  note         = {Built with agitprop; see manifest.json for input fingerprints}",
        "}",
        "```",
    ]


def _load_example(stats: ReleaseStats) -> list[str]:
    """The loading example, naming only the configs and splits this release has rows in (the
    shipped seed's one article is in validation: ``spans["train"]`` would raise)."""
    declared = loadable_configs(stats)
    if not declared:
        return ["No config has rows in this version, so there is nothing to load.", ""]
    splits = {
        name: [split for split in SPLITS if stats.split_rows[name].get(split, 0) > 0]
        for name in declared
    }
    lines = [
        "```python",
        "from datasets import load_dataset",
        "",
        f'path = "{LOAD_PATH}"',
        *[
            f'{name} = load_dataset(path, "{name}")  # splits: {", ".join(splits[name])}'
            for name in declared
        ],
    ]
    empty = [name for name in CONFIGS if name not in declared]
    if empty:
        lines.append(f"# no rows in this version, so not loadable: {', '.join(empty)}")
    if "spans" in declared:
        split = splits["spans"][0]
        lines.append(
            f'spans["{split}"].features["label"].int2str(spans["{split}"][0]["label"])'
            "  # label names"
        )
    if "tokens" in declared:
        split = splits["tokens"][0]
        lines += [
            f'tokens["{split}"].features["ner_tags"].feature.names  # O, B-QUOTE, I-QUOTE, …',
            f'tokens["{split}"][0]["tokens"], tokens["{split}"][0]["ner_tags"]  # words, tags',
        ]
    return [*lines, "```", ""]


def _tokens_section(taxonomy: Taxonomy, stats: ReleaseStats) -> list[str]:
    if stats.rows["tokens"] == 0:
        return []
    columns = ", ".join(f"`{tag_column(name)}`" for name in taxonomy.label_names)
    return [
        "## Token classification (config `tokens`)",
        "",
        "One row per sentence (every `sentences` row, with its `kind`). Tokens are the cue "
        "detectors' words (maximal `\\w+` runs, the same offsets as in every detector) and every "
        "other non-space character as a token of its own (quotation marks, commas); a token "
        "never crosses a sentence boundary. `article.text[starts[k]:ends[k]] == tokens[k]` for "
        "every token.",
        "",
        "Which spans: an article whose gold spans were decided (adjudicated, or enough "
        "annotators for the overlap majority, even when it found none) is tagged from its "
        "`gold` spans, every other article from its `prelabel` spans; `tags_from` says which "
        f"(rows: {stats.tags_from.get('gold', 0)} gold, {stats.tags_from.get('prelabel', 0)} "
        "prelabel). Single annotators' spans are never tagged (they are in `spans`).",
        "",
        f"Tag columns, BIO, `List(ClassLabel)`: one per label ({columns}), names O, B-LABEL, "
        "I-LABEL; and `ner_tags` with every label. A span tags every token it touches: one that "
        "starts or ends inside a word tags the whole word (`spans` keeps the exact offsets). A "
        "span crossing a sentence boundary is one entity per sentence. Overlaps: spans are "
        "placed earliest start first, then the longest, then in taxonomy order; a span whose "
        "tokens are already tagged in a column is left out of that column. So `ner_tags` keeps a "
        "quotation and drops the regime term inside it, which `regime_term_tags` still has; a "
        "span left out of its own label's column (two overlapping spans of one label) is counted "
        f"in `untagged_spans` ({stats.untagged_spans} in this release). A `run_ner`-style "
        "script trains on `tokens` and `ner_tags` (or one `<label>_tags` column) as they are; "
        'the tag names are `features["ner_tags"].feature.names` (see Load).',
        "",
    ]


def render_card(
    config: ProjectConfig,
    version: str,
    taxonomy: Taxonomy,
    stats: ReleaseStats,
    *,
    released: bool,
    agreement=None,
    splits: dict | None = None,
    gold: dict | None = None,
    prelabel_review: dict | None = None,
) -> str:
    origins = sorted({o for by_origin in stats.spans_by_label.values() for o in by_origin})
    status = (
        f"Version **{version}** of `{config.name}` (semantic versioning: major = a change that "
        "breaks loaders, minor = new articles or annotations, patch = corrections). A released "
        "version never changes; `manifest.json` lists the sha256 of every file and a fingerprint "
        "of the inputs, `CHANGELOG.md` what changed against the previous version."
        if released
        else f"Development build **{version}** of `{config.name}`: it is overwritten by the next "
        "build. Do not cite it; cite a released version."
    )
    body = [
        f"# {config.pretty_name}",
        "",
        status,
        "",
        "## Description",
        "",
        "News articles (Polish first; English, Russian and Ukrainian next) segmented into",
        "sentences, with framing cues (quotations of regime language, attributions, hedges,",
        "loaded labels) pre-labelled by rule-based detectors and corrected or added by annotators",
        "in Label Studio. Every sentence and span is addressed by Unicode code-point offsets into",
        "the article text: `article.text[start:end] == text` holds for every row.",
        "",
        "## Configs",
        "",
        *markdown_table(
            ["config", "rows", "one row is"],
            [[f"`{name}`", stats.rows[name], CONFIG_ROWS[name]] for name in CONFIGS],
        ),
        "",
        *_empty_configs_note(stats),
        f"## Taxonomy (version {taxonomy.version})",
        "",
        *markdown_table(
            ["label", "SemEval-2023 task 3", "description"],
            [
                [f"`{label.name}`", label.semeval_2023_task3 or "–", label.description]
                for label in taxonomy.labels
            ],
        ),
        "",
        "Stance values: " + ", ".join(f"`{value}`" for value in taxonomy.stance_values) + ".",
        "",
        "## Statistics",
        "",
        "Articles per outlet and language:",
        "",
        *markdown_table(
            ["outlet", "language", "articles"], [list(r) for r in stats.articles_by_outlet]
        ),
        "",
        "Spans per label and origin:",
        "",
        *markdown_table(
            ["label", *origins, "total"],
            [
                [
                    f"`{label.name}`",
                    *(stats.spans_by_label.get(label.name, {}).get(o, 0) for o in origins),
                    sum(stats.spans_by_label.get(label.name, {}).values()),
                ]
                for label in taxonomy.labels
            ],
        ),
        "",
        "Stance judgements in the annotation snapshots (per annotator, not adjudicated):",
        "",
        *(
            markdown_table(
                ["target", "level", "stance", "judgements"], [list(r) for r in stats.stances]
            )
            if stats.stances
            else ["none yet."]
        ),
        "",
        "Gold stances released (config `stances`):",
        "",
        *(
            markdown_table(
                ["target", "level", "stance", "items"], [list(r) for r in stats.gold_stances]
            )
            if stats.gold_stances
            else ["none yet."]
        ),
        "",
        *_gold_section(gold),
        *_agreement_section(agreement),
        *_prelabel_review_section(prelabel_review),
        *_splits_section(splits, stats),
        *_tokens_section(taxonomy, stats),
        f"Quarantined inputs: {stats.rows['quarantined']} (listed in `quarantine.jsonl` with "
        "file, line and reason). Detector warnings (e.g. an unbalanced quotation mark, so no "
        "QUOTE span) are listed in `warnings.jsonl`: kind, article_id, offset, message.",
        "",
        "## Load",
        "",
        *_load_example(stats),
        "From the Hub, pin this version with "
        f'`load_dataset(REPO, "spans", revision="v{version}")`: every release is tagged.',
        "",
        "## Citation",
        "",
        *_bibtex(config, version),
        "",
    ]
    return card_metadata(config, taxonomy, stats) + "\n" + "\n".join(body)
