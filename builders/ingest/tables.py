"""Articles from spreadsheet exports (``*.csv``, ``*.tsv``), through a column mapping.

Media-monitoring tools name their columns their own way; ``[tool.agitprop.csv]`` says which
column holds which article field, e.g. ``text = "Content"``, ``url = "Link"``. Fields not in the
table default to a column of the field's own name (``text``, ``title``, …), which may then be
absent; a column named in the table must be in every file, or the file is refused naming the
column and the file. ``text`` and one of ``id`` or ``url`` are needed: without an ``id`` column
the id is derived from the URL, as for a crawled page, so it is stable and content-derived.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

FIELDS = ("id", "text", "title", "url", "outlet", "published", "language", "author")


class MappingError(ValueError):
    """``[tool.agitprop.csv]`` itself is wrong (an unknown field, a column that is not text)."""


@dataclass(frozen=True)
class ColumnMapping:
    """Article field → column name; ``explicit`` are those named in the configuration."""

    columns: dict[str, str] = field(default_factory=lambda: {f: f for f in FIELDS})
    explicit: frozenset[str] = frozenset()

    @classmethod
    def from_config(cls, table: dict | None) -> ColumnMapping:
        table = dict(table or {})
        unknown = sorted(set(table) - set(FIELDS))
        if unknown:
            raise MappingError(
                f"[tool.agitprop.csv]: unknown field(s) {', '.join(unknown)}; "
                f"the fields are {', '.join(FIELDS)}"
            )
        for name, column in table.items():
            if not isinstance(column, str) or not column:
                raise MappingError(f"[tool.agitprop.csv] {name} must name a column (a string)")
        return cls({**{f: f for f in FIELDS}, **table}, frozenset(table))

    def missing(self, header: list[str]) -> list[tuple[str, str]]:
        """(field, column) pairs this file lacks: columns named in the configuration, and
        ``text`` and ``id``/``url`` which every table needs."""
        present = set(header)
        lacking = [
            (name, self.columns[name])
            for name in FIELDS
            if name in self.explicit and self.columns[name] not in present
        ]
        if self.columns["text"] not in present and "text" not in self.explicit:
            lacking.append(("text", self.columns["text"]))
        if not ({self.columns["id"], self.columns["url"]} & present) and not lacking:
            lacking.append(("id", self.columns["id"]))
        return lacking


@dataclass(frozen=True)
class Row:
    line: int  # the line the row starts on (a quoted field may span lines)
    record: dict  # article field → cell text, empty cells left out
    raw: str


class TableError(ValueError):
    """The file cannot be read as a table: the line and the reason."""

    def __init__(self, line: int | None, field: str | None, code: str, reason: str) -> None:
        super().__init__(reason)
        self.line, self.field, self.code, self.reason = line, field, code, reason


def read_table(path: Path, text: str, mapping: ColumnMapping) -> Iterator[Row]:
    """Rows of a decoded CSV/TSV file as article-field records (raises :class:`TableError` for
    a header that lacks a needed column, before any row)."""
    delimiter = "\t" if Path(path).suffix.lower() == ".tsv" else ","
    lines = io.StringIO(text, newline="")
    csv.field_size_limit(sys.maxsize)  # max_article_chars is the limit, checked per row
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise TableError(1, None, "malformed_table", f"malformed header: {exc}") from exc
    header = [name.strip() for name in header]
    lacking = mapping.missing(header)
    if lacking:
        named = ", ".join(f"{column!r} (for {name})" for name, column in lacking)
        raise TableError(
            1,
            lacking[0][1],
            "missing_column",
            f"{Path(path).name}: no column {named} in the header {header}; "
            "map the columns in [tool.agitprop.csv]",
        )
    where = {
        name: header.index(column) for name, column in mapping.columns.items() if column in header
    }
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TableError(start, None, "malformed_table", f"malformed row: {exc}") from exc
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue  # a blank line holds no record
        if len(cells) != len(header):
            yield Row(
                line,
                {"__error__": f"{len(cells)} cells where the header has {len(header)}"},
                delimiter.join(cells),
            )
            continue
        record = {name: cells[at] for name, at in where.items() if cells[at].strip()}
        yield Row(line, record, delimiter.join(cells))
