"""``agitprop init``: the files of a new corpus project.

A corpus project is a folder with ``agitprop.toml`` (every setting, commented), ``seeds/`` (the
shipped example article, so the first ``agitprop build`` has something to build: delete it
when your own articles are in), ``annotations/`` (guidelines and the Label Studio labeling
config generated from the taxonomy and the config's stance targets), a ``.gitignore``, a short
README, and two checks pinned to the agitprop that made the project: a GitHub Actions workflow
and a pre-commit configuration, both running ``agitprop validate`` on seeds and annotation
snapshots and a build.

Pinning: ``requirements.txt`` says ``agitprop==X`` (what CI installs) and ``agitprop.toml``'s
``required_version`` makes every agitprop command refuse another version, so the pre-commit hooks
can be ``language: system`` (the agitprop of the contributor's environment) and still pinned.
``language: python`` with ``additional_dependencies: [agitprop==X]`` would make pre-commit
install agitprop itself, which works only from a package index that has this version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builders import __version__
from builders.paths import CONFIG_FILE, EXAMPLE_SEEDS_DIR, GUIDELINES

PIN = "@VERSION@"

CONFIG = """\
# agitprop settings of this corpus (every agitprop command run in this folder or below reads them).
# Relative paths are read from this file's folder.

# This project's agitprop: another version refuses to run (a PEP 440 specifier, e.g. ">=0.1,<0.2").
required_version = "==@VERSION@"

# The dataset: its name is the release folder (out/<name>/<version>/) and the Hub repository name.
name = "my-corpus"
version = "0.1.0"
pretty_name = "My corpus: stance and framing cues in news"
# The language of an article whose input names none (pl, en, ru, uk have rule data).
default_language = "pl"
# What annotators give a stance towards, sentence by sentence (the labeling config lists them;
# regenerate it after a change: agitprop sync config --write).
stance_targets = ["Rosja", "Ukraina"]
# The released dataset's licence (Hugging Face card metadata).
license = "other"

# Folders: article inputs, annotation snapshots (Label Studio pulls), builds and releases.
seeds = "seeds"
annotations = "annotations"
out = "dist"

# Processes for segmentation and cues: "auto" = the usable CPUs, 1 = none. Output is identical.
jobs = "auto"
# Longer articles (characters) are quarantined as article_too_long: a runaway scrape.
max_article_chars = 2000000
# Label Studio's overlap: how many annotators label each task.
annotators_per_task = 3
# Gold needs this many annotators for an item (adjudicated annotations need none).
gold_min_annotators = 2
# Identify the language of an article whose input names none (false: default_language).
detect_language = true
# HTML and WARC pages: seconds of extraction each, and the largest page parsed, in bytes.
page_time_limit = 30
max_page_bytes = 20000000

# The dataset card: who to cite, and the Hub repository it is published to.
# authors = "Your Name and Others"
# hub_repo = "your-org/my-corpus"

[csv]
# *.csv / *.tsv seeds: article field = "column in the file" (unlisted fields: a column of the
# same name). Fields: id, text, title, url, outlet, published, language, author.
# text = "body"

[splits]
# train/validation/test ratios by story (near-duplicate articles stay together), summing to 1.
train = 0.8
validation = 0.1
test = 0.1
# Jaccard similarity of sentence word 3-grams from which two articles are one story.
near_duplicate_threshold = 0.5
"""

REQUIREMENTS = """\
# The agitprop this corpus is built with (CI installs this; agitprop.toml's required_version
# matches it). If your package index has no agitprop, name the wheel or repository instead:
#   agitprop @ https://example.org/agitprop-@VERSION@-py3-none-any.whl
agitprop==@VERSION@
"""

GITIGNORE = """\
.studio/
dist/
.venv
__pycache__/
"""

README = """\
# My corpus

Articles in `seeds/`, annotations in `annotations/`, built into a dataset by
agitprop @VERSION@ (settings: `agitprop.toml`).

    pip install -r requirements.txt
    agitprop validate seeds annotations   # every input, one line per problem
    agitprop build                        # a development build in dist/<name>/dev/
    agitprop release --bump minor         # an immutable, versioned release

`seeds/` starts with one example article: delete it when your own are in. Inputs are `*.txt`
(one article), `*.jsonl` (one article a line), `*.csv`/`*.tsv`, `*.html` and `*.warc.gz`.
`annotations/` holds the annotation guidelines and the Label Studio labeling config;
`agitprop sync push` / `agitprop sync pull` move tasks and annotations (snapshots land here).

Every release folder carries the JSON Schemas of its records in `schema/`.
Checks: `.github/workflows/agitprop.yml` (CI) and `.pre-commit-config.yaml`
(`pre-commit install` once, then they run before every commit).
"""

WORKFLOW = """\
# Validate every contribution: the inputs, then a build (agitprop @VERSION@, requirements.txt).
name: agitprop
on:
  push:
  pull_request:
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install agitprop
        run: pip install -r requirements.txt
      - name: Validate seeds and annotation snapshots
        run: agitprop validate seeds annotations
      - name: Build, and validate the build
        run: |
          agitprop build --out "$RUNNER_TEMP/agitprop-build" --quiet
          agitprop validate "$RUNNER_TEMP/agitprop-build"
"""

PRE_COMMIT = """\
# agitprop's checks before each commit: `pre-commit install` once. The hooks run the agitprop
# of your environment (language: system; `pip install -r requirements.txt` installs @VERSION@,
# and agitprop.toml's required_version refuses any other), because pre-commit could install
# agitprop==@VERSION@ itself (language: python) only from a package index that has it.
repos:
  - repo: local
    hooks:
      - id: agitprop-validate
        name: agitprop validate (seeds, annotation snapshots)
        entry: agitprop validate seeds annotations
        language: system
        pass_filenames: false
        files: ^(seeds|annotations)/|^agitprop\\.toml$
      - id: agitprop-build
        name: agitprop build (development build in dist/)
        entry: agitprop build --quiet
        language: system
        pass_filenames: false
        files: ^(seeds|annotations)/|^agitprop\\.toml$
"""

TEXT_FILES = {
    CONFIG_FILE: CONFIG,
    "requirements.txt": REQUIREMENTS,
    ".gitignore": GITIGNORE,
    "README.md": README,
    ".github/workflows/agitprop.yml": WORKFLOW,
    ".pre-commit-config.yaml": PRE_COMMIT,
}


class FolderNotEmpty(ValueError):
    pass


@dataclass
class Scaffold:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # the user's files, never overwritten


def init_project(target: Path, *, force: bool = False, version: str = __version__) -> Scaffold:
    """Write a corpus project into ``target`` (created if missing). A folder with anything in
    it is refused unless ``force``; even then a file already there is kept, never replaced."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise FolderNotEmpty(f"{target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise FolderNotEmpty(f"{target} is not empty (--force adds the missing files only)")
    result = Scaffold()
    for rel, text in TEXT_FILES.items():
        _write(target / rel, text.replace(PIN, version), result)
    for example in sorted(EXAMPLE_SEEDS_DIR.glob("*.txt")):
        _write(target / "seeds" / example.name, example.read_text(encoding="utf-8"), result)
    _write(target / "annotations" / "labeling_config.xml", _labeling_config(target), result)
    for language, shipped in GUIDELINES.items():
        _write(target / "annotations" / shipped.name, _guidelines(target, language), result)
    return result


def _guidelines(target: Path, language: str) -> str:
    """The shipped guidelines with their generated sections (keys, labels) made for the
    project's own stance targets, as ``sync config --write`` would."""
    from dataclasses import replace

    from builders.config import load_config
    from builders.sync.guidelines import generated_sections, render
    from builders.sync.labeling_config import project_labeling_config

    labeling = project_labeling_config(load_config(target / CONFIG_FILE))
    sections = generated_sections(replace(labeling, language=language), language)
    shipped = GUIDELINES[language]
    return render(shipped.read_text(encoding="utf-8"), sections, str(shipped))


def _labeling_config(target: Path) -> str:
    """Generated from the taxonomy and the project's stance targets, as ``sync`` expects it."""
    from builders.config import load_config
    from builders.sync.labeling_config import project_labeling_config

    return project_labeling_config(load_config(target / CONFIG_FILE)).xml


def _write(path: Path, text: str, result: Scaffold) -> None:
    if path.exists() or path.is_symlink():
        result.kept.append(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
        handle.write(text)
    result.written.append(path)
