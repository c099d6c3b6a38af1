"""``agitprop validate`` against a release someone tampered with: an edited manifest (with or
without recomputing its checksum), extra hidden files, removed files and parquet files that
pyarrow cannot read. Each tampering is reported as a violation naming the file; nothing raises."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS

from builders.build import ReleaseExists, release
from builders.cli import main
from builders.config import load_config
from builders.paths import REPO_ROOT
from builders.release.manifest import file_sha256
from builders.validate import validate_paths

VERSION = "0.3.0"
SPANS = "spans/validation.parquet"  # the shipped seed's one article lands in validation
ARTICLES = "articles/validation.parquet"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """One release of the shipped seeds, built once; every test tampers with its own copy."""
    root = tmp_path_factory.mktemp("built")
    empty = root / "no-annotations"
    empty.mkdir()
    result = release(
        load_config(), version=VERSION, seeds=SEEDS, annotations=empty, out=root / "dist",
        progress=False,
    )  # fmt: skip
    assert validate_paths([result.target]) == []
    return result.target


@pytest.fixture
def copy(built, tmp_path) -> Path:
    target = tmp_path / "dist" / built.parent.name / VERSION
    shutil.copytree(built, target)
    return target


def _found(release: Path) -> list[tuple[str, str, str, str]]:
    """Violations as (file relative to the release, record, pointer, message)."""
    return [
        (Path(v.file).relative_to(release).as_posix(), v.record, v.pointer, v.message)
        for v in validate_paths([release])
    ]


def _manifest(release: Path) -> dict:
    return json.loads((release / "manifest.json").read_text(encoding="utf-8"))


def _rewrite_manifest(release: Path, manifest: dict, *, resign: bool) -> None:
    """Write an edited manifest; with ``resign``, recompute ``manifest.sha256`` too, as someone
    who knows about it would: the content checks must catch the edit on their own."""
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    (release / "manifest.json").write_bytes(data)
    if resign:
        line = f"{hashlib.sha256(data).hexdigest()}  manifest.json\n"
        (release / "manifest.sha256").write_text(line, encoding="utf-8")


def _relist(release: Path, rel: str) -> None:
    """Record a tampered file's new sha256 and size in the manifest, and re-sign it, so that
    only what is wrong with the file itself is left to find."""
    manifest = _manifest(release)
    manifest["files"][rel] = {
        "sha256": file_sha256(release / rel),
        "bytes": (release / rel).stat().st_size,
    }
    _rewrite_manifest(release, manifest, resign=True)


def test_the_manifest_checksum_is_in_sha256sum_format(copy):
    line = (copy / "manifest.sha256").read_text(encoding="utf-8")
    assert line == f"{file_sha256(copy / 'manifest.json')}  manifest.json\n"
    assert "manifest.sha256" not in _manifest(copy)["files"]
    if shutil.which("sha256sum"):
        done = subprocess.run(["sha256sum", "-c", "manifest.sha256"], cwd=copy, check=False)
        assert done.returncode == 0


def test_a_version_that_is_not_the_folder(copy):
    manifest = _manifest(copy)
    manifest["version"] = "9.9.9"
    _rewrite_manifest(copy, manifest, resign=True)
    assert _found(copy) == [
        ("manifest.json", "", "/version", "'9.9.9' is not the release folder '0.3.0'")
    ]


def test_a_name_that_is_not_the_folder(copy):
    manifest = _manifest(copy)
    manifest["name"] = "someone-else"
    _rewrite_manifest(copy, manifest, resign=True)
    assert _found(copy) == [
        ("manifest.json", "", "/name", "'someone-else' is not the folder 'agitprop-news'")
    ]


def test_a_dev_folder_needs_a_dev_version(copy):
    dev = copy.with_name("dev")
    copy.rename(dev)
    assert _found(dev) == [
        ("manifest.json", "", "/version", "'0.3.0' in dev/: must end in +dev"),
    ]


def test_counts_times_ten(copy):
    manifest = _manifest(copy)
    real = dict(manifest["counts"])
    manifest["counts"] = {key: value * 10 for key, value in real.items()}
    _rewrite_manifest(copy, manifest, resign=True)
    changed = sorted(key for key, value in real.items() if value)
    assert changed == ["articles", "sentences", "spans", "tokens"]
    assert _found(copy) == [
        (
            "manifest.json",
            "",
            f"/counts/{key}",
            f"{real[key] * 10}, but there are {real[key]} rows in its files",
        )
        for key in changed
    ]


def test_articles_per_split_must_be_the_articles_files(copy):
    manifest = _manifest(copy)
    manifest["splits"]["articles"] = {"train": 1, "validation": 0, "test": 0}
    _rewrite_manifest(copy, manifest, resign=True)
    assert [(p, m) for _, _, p, m in _found(copy)] == [
        ("/splits/articles/train", "1, but articles/train.parquet holds 0 rows"),
        ("/splits/articles/validation", "0, but articles/validation.parquet holds 1 rows"),
    ]


def test_a_zeroed_git_commit(copy):
    manifest = _manifest(copy)
    manifest["code"]["git_commit"] = "0" * 40
    _rewrite_manifest(copy, manifest, resign=True)
    assert _found(copy) == [
        ("manifest.json", "", "/code/git_commit", "all zeros: not a real commit")
    ]


def test_an_edited_manifest_with_its_old_checksum(copy):
    manifest = _manifest(copy)
    manifest["detectors"]["quote"] = "9.9.9"  # nothing else can tell this edit apart
    _rewrite_manifest(copy, manifest, resign=False)
    assert _found(copy) == [
        (
            "manifest.json",
            "",
            "",
            "sha256 differs from manifest.sha256: the manifest was edited",
        )
    ]


def test_a_missing_manifest_checksum(copy):
    (copy / "manifest.sha256").unlink()
    assert _found(copy) == [
        ("manifest.sha256", "", "", "missing: the manifest cannot be verified"),
    ]


def test_a_malformed_manifest_checksum(copy):
    (copy / "manifest.sha256").write_text("not a checksum\n", encoding="utf-8")
    assert [(f, m) for f, _, _, m in _found(copy)] == [
        ("manifest.sha256", "not one line '<sha256>  manifest.json' (sha256sum format)"),
    ]


def test_a_manifest_that_is_not_json(copy):
    (copy / "manifest.json").write_text("{ not json", encoding="utf-8")
    found = _found(copy)
    assert [(f, m) for f, _, _, m in found][0] == (
        "manifest.json",
        "sha256 differs from manifest.sha256: the manifest was edited",
    )
    assert found[1][0] == "manifest.json" and found[1][3].startswith("unreadable manifest")
    assert len(found) == 2


def test_an_extra_hidden_file(copy):
    (copy / ".evil").write_text("smuggled", encoding="utf-8")
    assert _found(copy) == [
        ("manifest.json", ".evil", "/files", "file not listed in the manifest"),
    ]


def test_an_extra_hidden_folder(copy):
    (copy / ".hidden" / "deeper").mkdir(parents=True)
    (copy / ".hidden" / "deeper" / "payload.bin").write_bytes(b"\0" * 16)
    (copy / "spans" / ".empty").mkdir()
    assert _found(copy) == [
        (
            "manifest.json",
            ".hidden/deeper/payload.bin",
            "/files",
            "file not listed in the manifest",
        ),
        ("manifest.json", "spans/.empty/", "/files", "folder not part of the release"),
    ]


def test_a_build_state_belongs_only_in_a_dev_folder(copy):
    (copy / ".build-state.json").write_text("{}", encoding="utf-8")
    assert _found(copy) == [
        ("manifest.json", ".build-state.json", "/files", "file not listed in the manifest"),
    ]


def test_a_file_with_the_right_sha256_but_another_size_in_the_manifest(copy):
    manifest = _manifest(copy)
    manifest["files"]["CHANGELOG.md"]["bytes"] += 1
    _rewrite_manifest(copy, manifest, resign=True)
    assert _found(copy) == [
        ("manifest.json", "CHANGELOG.md", "/files", "size differs from the manifest"),
    ]


def test_a_corrupt_parquet_footer_is_one_violation(copy):
    path = copy / SPANS
    path.write_bytes(path.read_bytes()[:-12])  # the footer's length and magic bytes cut off
    _relist(copy, SPANS)  # the manifest agrees with the file: only the corruption is left
    found = _found(copy)
    assert len(found) == 1, found
    file, record, pointer, message = found[0]
    assert (file, record, pointer) == (SPANS, "", "")
    assert message.startswith("unreadable parquet (") and "footer" in message


def test_a_parquet_file_replaced_by_garbage(copy):
    (copy / ARTICLES).write_bytes(b"this is not parquet\n" * 50)
    found = _found(copy)
    assert [(f, r, m) for f, r, _, m in found if f == ARTICLES] == [
        (
            ARTICLES,
            "",
            "unreadable parquet (ArrowInvalid: Parquet magic bytes not found in footer. Either "
            "the file is corrupted or this is not a parquet file.)",
        )
    ]
    # and the manifest sees the file changed; the rows of that split are not reported one by
    # one for an article file it cannot read
    assert [(f, r, m) for f, r, _, m in found if f != ARTICLES] == [
        ("manifest.json", ARTICLES, "sha256 differs from the manifest"),
    ]


def test_a_parquet_file_of_another_config_in_its_place(copy):
    """Readable parquet with the wrong columns: reported, not raised."""
    shutil.copyfile(copy / "sentences/validation.parquet", copy / SPANS)
    _relist(copy, SPANS)
    assert _found(copy) == [
        (
            SPANS,
            "",
            "",
            "not this config's columns: missing ['span_id', 'label', 'origin', 'source', "
            "'attributes'], unexpected ['index', 'kind']",
        ),
        ("manifest.json", "", "/counts/spans", "32, but there are 22 rows in its files"),
    ]


def test_a_parquet_file_with_a_column_of_another_type(copy):
    """Readable parquet, the right column names, an id column of lists: reported, not raised."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(copy / SPANS)
    ids = [[value] for value in table.column("span_id").to_pylist()]
    table = table.set_column(table.schema.get_field_index("span_id"), "span_id", pa.array(ids))
    pq.write_table(table, copy / SPANS)
    _relist(copy, SPANS)
    assert _found(copy) == [
        (
            SPANS,
            "",
            "",
            "not this config's column types: span_id is list<element: string>, not string",
        )
    ]


def test_a_removed_file(copy):
    (copy / "CHANGELOG.md").unlink()
    assert _found(copy) == [
        ("manifest.json", "CHANGELOG.md", "/files", "listed in the manifest but missing"),
    ]


def test_a_removed_parquet_file(copy):
    (copy / SPANS).unlink()
    found = _found(copy)
    assert ("manifest.json", SPANS, "/files", "listed in the manifest but missing") in found
    assert ("manifest.json", "", "/counts/spans", "32, but there are 0 rows in its files") in found
    assert ("spans", "", "", "missing: no parquet file") in found


def test_a_quarantine_line_that_is_not_json(copy):
    (copy / "quarantine.jsonl").write_text("{ broken\n", encoding="utf-8")
    _relist(copy, "quarantine.jsonl")
    assert [(f, r, p, m.split(":")[0]) for f, r, p, m in _found(copy)] == [
        (
            "manifest.json",
            "",
            "/counts/quarantined",
            "0, but there are 1 lines in quarantine.jsonl",
        ),
        ("quarantine.jsonl", "line 1", "", "not JSON"),
    ]


def test_a_missing_and_an_unreadable_card(copy):
    card = copy / "README.md"
    text = card.read_bytes()
    card.unlink()
    assert _found(copy) == [
        ("README.md", "", "", "missing: the release has no dataset card"),
        ("manifest.json", "README.md", "/files", "listed in the manifest but missing"),
    ]
    card.write_bytes(b"\xff\xfe" + text)  # not UTF-8
    _relist(copy, "README.md")
    found = _found(copy)
    assert len(found) == 1 and found[0][0] == "README.md", found
    assert found[0][3].startswith("unreadable dataset card")


def test_the_cli_reports_a_corrupt_release_without_a_traceback(copy):
    path = copy / SPANS
    path.write_bytes(path.read_bytes()[:-12])
    (copy / ARTICLES).write_bytes(b"garbage")
    (copy / ".evil").write_text("smuggled", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "builders", "validate", str(copy)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert f"{copy / SPANS}  /: unreadable parquet" in done.stdout
    assert f"{copy / ARTICLES}  /: unreadable parquet" in done.stdout
    assert ".evil /files: file not listed in the manifest" in done.stdout
    assert "violation(s)" in done.stderr


def test_releasing_the_same_version_again_sees_a_planted_hidden_file(tmp_path):
    """The immutability comparison lists the same files as the manifest: hidden ones too, but
    never the manifest's checksum."""
    empty = tmp_path / "no-annotations"
    empty.mkdir()
    common = dict(seeds=SEEDS, annotations=empty, out=tmp_path / "dist", progress=False)
    first = release(load_config(), version=VERSION, **common)
    again = release(load_config(), version=VERSION, **common)
    assert again.unchanged  # identical content: the sidecar is not a difference
    (first.target / ".evil").write_text("smuggled", encoding="utf-8")
    with pytest.raises(ReleaseExists) as refused:
        release(load_config(), version=VERSION, **common)
    assert refused.value.differing == [".evil"]
    assert main(["validate", str(first.target)]) == 1


def test_random_byte_flips_in_parquet_files_are_reported_never_raised(built, tmp_path):
    """Bytes flipped anywhere in a parquet file (pages, footer): validation reports, it does not
    raise. Seeded, so a failure reproduces (what a wider run found is a test of its own: the
    UTF-8 one below)."""
    import random

    chance = random.Random(1)
    files = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.parquet"))
    for attempt in range(60):
        release = tmp_path / f"try{attempt}" / built.parent.name / VERSION
        shutil.copytree(built, release)
        rel = chance.choice(files)
        data = bytearray((release / rel).read_bytes())
        low = len(data) - 600 if attempt % 3 == 0 else 4  # every third time, the footer
        for _ in range(chance.randint(1, 8)):
            data[chance.randrange(max(low, 4), len(data) - 8)] = chance.randrange(256)
        (release / rel).write_bytes(bytes(data))
        found = validate_paths([release])  # must not raise
        assert found or (release / rel).read_bytes() == (built / rel).read_bytes(), rel
        shutil.rmtree(release.parent.parent)


def test_a_string_column_that_is_not_utf8_is_one_violation(copy):
    """A readable file whose string page holds bytes that are not UTF-8 (what a flipped byte in
    a page can make): reading its rows raises UnicodeDecodeError, reported for the file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(copy / ARTICLES)
    index = table.schema.get_field_index("title")
    broken = pa.array([b"\xc4\x28 broken"] * table.num_rows, pa.binary()).view(pa.string())
    pq.write_table(table.set_column(index, table.schema.field(index), broken), copy / ARTICLES)
    _relist(copy, ARTICLES)
    assert _found(copy) == [
        (
            ARTICLES,
            "",
            "",
            "unreadable parquet (UnicodeDecodeError: 'utf-8' codec can't decode byte 0xc4 in "
            "position 0: invalid continuation byte)",
        )
    ]


def test_a_span_naming_a_sentence_that_is_not_in_the_release(copy):
    """A row pointing at a sentence that does not exist (a stance or span moved by hand) is
    caught even when its file is re-listed in a re-signed manifest."""
    import pyarrow.parquet as pq

    path = copy / SPANS
    table = pq.read_table(path)
    index = table.schema.get_field_index("sentence_id")
    ghost = [f"{table.column('article_id')[0].as_py()}-s0099"] + table.column(
        "sentence_id"
    ).to_pylist()[1:]
    pq.write_table(table.set_column(index, "sentence_id", [ghost]), path)
    _relist(copy, SPANS)
    found = _found(copy)
    assert [(f, p, m) for f, _, p, m in found] == [
        (SPANS, "/sentence_id", "no such sentence in the release")
    ]
