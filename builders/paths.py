"""Where agitprop's files live: the data it ships, and the corpus project it works on.

Shipped data (JSON Schemas, rule files, the annotation guidelines and the example seed) is found
next to the code: inside the installed package, where setup.py's build step puts it
(``builders/_data/``, built from the checkout's ``schema/``, ``annotations/`` and ``seeds/``), or
in the checkout itself when running from one (an editable install, tests, benchmarks).

The corpus project is the nearest folder, from the current one upward, with an agitprop config:
``agitprop.toml`` or a ``pyproject.toml`` with ``[tool.agitprop]`` (as ruff and pytest find
theirs). Its relative paths (seeds, annotations, out) are read against that folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

PACKAGE_DIR = Path(__file__).resolve().parent
RULES_DIR = PACKAGE_DIR / "rules"  # package data in the wheel and in the checkout alike
# The folder above the package: the checkout when running from one (tests and benchmarks use
# it); in an installed wheel it is site-packages, which nothing in the package reads.
REPO_ROOT = PACKAGE_DIR.parent
BUNDLED_DIR = PACKAGE_DIR / "_data"  # only in a built wheel (setup.py, build_py)
DATA_DIR = BUNDLED_DIR if (BUNDLED_DIR / "schema").is_dir() else REPO_ROOT
# True when the package runs from its source checkout (code_revision records its git commit).
IN_CHECKOUT = DATA_DIR == REPO_ROOT
SCHEMA_DIR = DATA_DIR / "schema"
# the annotators' guidelines, by language (their generated sections follow the taxonomy)
GUIDELINES = {lang: DATA_DIR / "annotations" / f"guidelines.{lang}.md" for lang in ("pl", "en")}
EXAMPLE_SEEDS_DIR = DATA_DIR / "seeds"

CONFIG_FILE = "agitprop.toml"  # settings at its top level
PYPROJECT = "pyproject.toml"  # settings under [tool.agitprop]


class ProjectNotFound(LookupError):
    """No agitprop config in the folder or any folder above it."""

    def __init__(self, start: Path) -> None:
        self.start = start
        super().__init__(
            f"no {CONFIG_FILE} or {PYPROJECT} with [tool.agitprop] in {start} or any folder "
            "above it: run agitprop from a corpus project (start one with `agitprop init DIR`)"
        )


def config_table(path: Path) -> dict | None:
    """The agitprop settings in ``path`` (None: a pyproject.toml without ``[tool.agitprop]``).
    A file that is not TOML raises ``tomllib.TOMLDecodeError`` (a ValueError)."""
    with Path(path).open("rb") as handle:
        data = tomllib.load(handle)
    if Path(path).name == PYPROJECT:
        table = data.get("tool", {}).get("agitprop")
        return None if table is None else dict(table)
    return data


def find_config(start: Path | None = None) -> Path | None:
    """The config file of the nearest project from ``start`` (default: the current folder)
    upward; in one folder ``agitprop.toml`` wins over ``pyproject.toml``."""
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        candidate = folder / PYPROJECT
        if candidate.is_file() and _declares_agitprop(candidate):
            return candidate
    return None


def _declares_agitprop(pyproject: Path) -> bool:
    try:
        return config_table(pyproject) is not None
    except ValueError:  # not TOML: ours if it mentions us, so loading it names the error
        return b"tool.agitprop" in pyproject.read_bytes()
    except OSError:
        return False


def project_dir(start: Path | None = None) -> Path:
    """The corpus project's folder, or the current folder outside any project (where local
    state such as ``.studio/`` then goes)."""
    found = find_config(start)
    return found.parent if found is not None else Path(start or Path.cwd()).resolve()
