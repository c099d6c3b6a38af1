"""Project configuration: ``agitprop.toml``, or ``[tool.agitprop]`` in a pyproject.toml, of the
nearest corpus project (:func:`builders.paths.find_config`).

Every setting is checked when the file is read: an unknown key or a value of the wrong type is
one line naming the file and the key (a typo must not silently fall back to a default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builders.gold.rules import DEFAULT_MIN_ANNOTATORS
from builders.paths import PYPROJECT, ProjectNotFound, config_table, find_config


@dataclass(frozen=True)
class ProjectConfig:
    name: str = "agitprop-news"
    version: str = "0.1.0"
    pretty_name: str = "agitprop dataset"
    default_language: str = "pl"
    stance_targets: tuple[str, ...] = ()
    license: str = "other"
    seeds: Path = Path("seeds")
    annotations: Path = Path("annotations")
    out: Path = Path("dist")
    jobs: int | str = "auto"  # worker processes for segmentation and cues (builders.parallel)
    # longer articles are quarantined (article_too_long): a runaway scrape, not an article
    max_article_chars: int = 2_000_000
    # annotators an item needs before it gets gold by majority (adjudication needs none)
    gold_min_annotators: int = DEFAULT_MIN_ANNOTATORS
    # an article whose input names no language: identified (py3langid) or default_language
    detect_language: bool = True
    # pages (HTML, WARC): seconds of extraction each, and the largest page parsed at all
    page_time_limit: float = 30.0
    max_page_bytes: int = 20_000_000
    # the agitprop versions this project runs with (PEP 440; "0.1.0" means ==0.1.0), "" any
    required_version: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        value = self.gold_min_annotators
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"[tool.agitprop] gold_min_annotators must be an integer ≥ 1: {value!r}"
            )


class ConfigError(ValueError):
    """A config file that cannot be used; the message is one line naming the file and key."""


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return _is_int(value) or isinstance(value, float)


def _is_strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_table(value) -> bool:
    return isinstance(value, dict)


def _is_str(value) -> bool:
    return isinstance(value, str)


STRING = (_is_str, "a string")
INTEGER = (_is_int, "an integer")
# (check, what it must be) per setting; a ProjectConfig field missing here is not type-checked
TYPES = {
    "name": STRING,
    "version": STRING,
    "pretty_name": STRING,
    "default_language": STRING,
    "stance_targets": (_is_strings, "a list of strings"),
    "license": STRING,
    "seeds": STRING,
    "annotations": STRING,
    "out": STRING,
    "jobs": (lambda v: _is_int(v) or isinstance(v, str), '"auto" or a number of processes'),
    "max_article_chars": INTEGER,
    "gold_min_annotators": INTEGER,
    "detect_language": (lambda v: isinstance(v, bool), "true or false"),
    "page_time_limit": (_is_number, "a number (seconds)"),
    "max_page_bytes": INTEGER,
    "required_version": STRING,
}
# Settings kept in ProjectConfig.extra, read by the step that owns them (which checks their
# contents: [csv] by builders.ingest.tables, [splits] by builders.gold.splits).
EXTRA_TYPES = {
    "annotators_per_task": INTEGER,  # builders.sync.push
    "guidelines_language": STRING,  # builders.sync.labeling_config ("pl" or "en")
    "hub_repo": STRING,  # builders.release.card
    "authors": STRING,  # builders.release.card
    "csv": (_is_table, "a table ([csv])"),
    "splits": (_is_table, "a table ([splits])"),
}
SPLIT_TYPES = {
    key: (_is_number, "a number")
    for key in ("train", "validation", "test", "near_duplicate_threshold")
}
PATH_SETTINGS = ("seeds", "annotations", "out")


def load_config(path: Path | None = None, *, required: bool = True) -> ProjectConfig:
    """The settings of the config file ``path``, else of the nearest project from the current
    folder upward; relative paths are resolved against the config file's folder.

    Without a project, :class:`ProjectNotFound` (``required``) or the defaults, relative to the
    current folder (``validate`` checks files anywhere)."""
    if path is None:
        path = find_config()
        if path is None:
            if required:
                raise ProjectNotFound(Path.cwd())
            return ProjectConfig()
    path = Path(path)
    try:
        table = config_table(path)
    except OSError as exc:
        raise ConfigError(f"{path}: unreadable ({exc.strerror})") from exc
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    if table is None:
        if required:
            raise ConfigError(f"{path}: no [tool.agitprop] table")
        table = {}
    where = f"{path}: " + ("[tool.agitprop] " if path.name == PYPROJECT else "")
    _check(table, where)
    _check_version(table.get("required_version", ""), where)
    known = {f for f in ProjectConfig.__dataclass_fields__ if f != "extra"}
    values = {key: table.pop(key) for key in list(table) if key in known}
    base = path.parent
    for key in PATH_SETTINGS:
        values[key] = base / values.get(key, getattr(ProjectConfig, key))
    if "stance_targets" in values:
        values["stance_targets"] = tuple(values["stance_targets"])
    try:
        return ProjectConfig(**values, extra=table)
    except ValueError as exc:  # __post_init__'s checks name the key themselves
        raise ConfigError(f"{path}: {exc}") from exc


def _check(table: dict, where: str) -> None:
    """One line for the first unknown key or wrong type, in the file's order."""
    known = {f for f in ProjectConfig.__dataclass_fields__ if f != "extra"}
    for key, value in table.items():
        if key not in known and key not in EXTRA_TYPES:
            settings = ", ".join(sorted(known | set(EXTRA_TYPES)))
            raise ConfigError(f"{where}unknown setting {key!r} (the settings are: {settings})")
        check, kind = (TYPES if key in known else EXTRA_TYPES).get(key, (None, ""))
        if check is not None and not check(value):
            raise ConfigError(f"{where}{key} must be {kind}, not {value!r}")
    for key, value in table.get("splits", {}).items():
        check, kind = SPLIT_TYPES.get(key, (None, ""))
        if check is None:
            raise ConfigError(
                f"{where}unknown setting 'splits.{key}' (the settings are: "
                f"{', '.join(SPLIT_TYPES)})"
            )
        if not check(value):
            raise ConfigError(f"{where}splits.{key} must be {kind}, not {value!r}")


def _check_version(required: str, where: str) -> None:
    """Refuse to run a project pinned to another agitprop (as ruff's ``required-version``)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from builders import __version__

    if not required:
        return
    spec = f"=={required}" if required[0].isdigit() else required
    try:
        allowed = SpecifierSet(spec)
    except InvalidSpecifier as exc:
        raise ConfigError(f"{where}required_version {required!r} is not a version ({exc})") from exc
    if __version__ not in allowed:
        raise ConfigError(
            f"{where}required_version is {required!r} but this is agitprop {__version__}: "
            "install the project's version (pip install -r requirements.txt)"
        )
