"""Tab-separated span label files of the shared tasks, read strictly and written back exactly.

One line per span: ``article_id⇥technique⇥start⇥end`` (PTC task FLC/TC, SemEval-2023 subtask 3
spans) or ``article_id⇥start⇥end`` (PTC task SI); offsets are code points of the article file,
start inclusive, end exclusive. A line that does not have exactly this shape is an error naming
the file, the line and why; nothing is skipped. What a line ends with (``\\n``, ``\\r\\n``, nothing
on the last line) is kept, so an exporter can write the file back byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_OFFSET = re.compile(r"0|[1-9][0-9]*")


class CorpusError(ValueError):
    """Bad corpus input: which file, which line (None: the whole file) and why."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file, self.line, self.reason = file, line, reason
        where = file if line is None else f"{file}:{line}"
        super().__init__(f"{where}: {reason}")


@dataclass
class LabelLine:
    number: int  # 1-based line of the label file
    article: str  # the first column
    technique: str | None  # None in a span-only (SI) file
    start: int  # in the corpus file's text
    end: int
    eol: str = "\n"  # what ended the line: "\n", "\r\n" or "" (a last line without one)
    # later lines with the same span: (line number, end of line) each
    repeats: list[tuple[int, str]] = field(default_factory=list)


def read_text(path: Path, shown: str) -> str:
    """A corpus file as the organisers' tools read it: UTF-8, no newline translation."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            shown, None, f"not valid UTF-8 at byte {exc.start}: {exc.reason}"
        ) from None
    except OSError as exc:
        raise CorpusError(shown, None, f"cannot read: {exc.strerror}") from None


def split_lines(content: str) -> tuple[list[tuple[int, str, str]], int]:
    """(line number, line without its end, the end) for each line, and how many there are."""
    if not content:
        return [], 0
    pieces = content.split("\n")
    count = len(pieces) - 1 if pieces[-1] == "" else len(pieces)
    lines = []
    for index in range(count):
        body, eol = pieces[index], "\n" if index < len(pieces) - 1 else ""
        if body.endswith("\r"):
            body, eol = body[:-1], "\r" + eol
        lines.append((index + 1, body, eol))
    return lines, count


def parse_line(
    body: str, eol: str, number: int, shown: str, *, with_technique: bool, article: str, length: int
) -> LabelLine:
    """One line of a label file of ``article`` (whose text has ``length`` characters)."""
    fields = 4 if with_technique else 3
    shape = "id⇥technique⇥start⇥end" if with_technique else "id⇥start⇥end"
    columns = body.split("\t")
    if len(columns) != fields:
        raise CorpusError(
            shown, number, f"expected {fields} tab-separated fields ({shape}), got {body!r}"
        )
    ident, *middle, start, end = columns
    if ident != article:
        raise CorpusError(shown, number, f"article id {ident!r} in a label file of {article!r}")
    technique = middle[0] if middle else None
    if technique is not None and (not technique or technique != technique.strip()):
        raise CorpusError(shown, number, f"technique name {technique!r} is empty or padded")
    if not (_OFFSET.fullmatch(start) and _OFFSET.fullmatch(end)):
        raise CorpusError(shown, number, f"offsets {start!r}, {end!r} are not integers")
    start_at, end_at = int(start), int(end)
    if not start_at < end_at <= length:
        raise CorpusError(
            shown,
            number,
            f"span {start_at}..{end_at} is empty or outside the article ({length} characters)",
        )
    return LabelLine(number, ident, technique, start_at, end_at, eol)


def fold_repeats(lines: list[LabelLine]) -> list[LabelLine]:
    """Exact repeats of a span (same technique and offsets) folded into its first line
    (``repeats``): a build keeps one span per extent and label, and the export loses none."""
    first: dict[tuple, LabelLine] = {}
    kept = []
    for line in lines:
        key = (line.technique, line.start, line.end)
        if key in first:
            first[key].repeats.append((line.number, line.eol))
            continue
        first[key] = line
        kept.append(line)
    return kept


def read_label_file(
    path: Path, shown: str, *, with_technique: bool, article: str, text_length: int
) -> tuple[list[LabelLine], int]:
    """The lines of one article's label file and how many lines it has."""
    numbered, total = split_lines(read_text(path, shown))
    lines = [
        parse_line(
            body,
            eol,
            number,
            shown,
            with_technique=with_technique,
            article=article,
            length=text_length,
        )
        for number, body, eol in numbered
    ]
    return fold_repeats(lines), total


def render_label_file(lines: dict[int, tuple[str, str]], total: int, shown: str) -> str:
    """Line number → (line text, end of line) back into a file of ``total`` lines; every line
    must be there (a gap means a span of the corpus did not reach the release)."""
    missing = [n for n in range(1, total + 1) if n not in lines]
    if missing:
        raise CorpusError(
            shown,
            missing[0],
            f"{len(missing)} line(s) of the corpus file have no span in the release "
            f"(first: line {missing[0]}); was it quarantined by the build?",
        )
    return "".join(text + eol for text, eol in (lines[n] for n in range(1, total + 1)))
