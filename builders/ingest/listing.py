"""Which entries of an input folder are read, and why every other one is not.

An input folder is walked without following symbolic links blindly: every entry is either a
file to read, a problem (quarantined by name with a reason), or ignored by rule (hidden entries,
summarised and counted). Nothing outside the folder is ever read: a symlink whose target leaves
the folder is refused, so ``ln -s /etc/passwd seeds/passwd.txt`` cannot put a system file into a
release. The same listing feeds the reader and the input fingerprint, so what is hashed is
exactly what is read.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path


def printable(path: Path | str) -> str:
    """A path as one line of text that can always be printed and written as UTF-8: bytes of a
    file name that are not UTF-8 are shown as ``\\xNN``, control characters (a newline in a
    name) escaped as Python would."""
    text = os.fsencode(str(path)).decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _name_is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # surrogate escapes: the name's bytes are not UTF-8
        return False
    return True


@dataclass(frozen=True)
class Refused:
    """An entry that is not read, with a quarantine code and reason."""

    path: str  # printable
    code: str
    reason: str


@dataclass
class InputListing:
    """The outcome of walking input paths: files to read, refused entries, ignored entries."""

    files: list[tuple[Path, Path]] = field(default_factory=list)  # (file, root)
    refused: list[Refused] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # printable paths of hidden entries


def ignored_summary(ignored: list[str]) -> str:
    """One counted line for the hidden entries a walk ignored, naming the first five."""
    shown = ", ".join(ignored[:5])
    more = f", … {len(ignored) - 5} more" if len(ignored) > 5 else ""
    noun = "entry" if len(ignored) == 1 else "entries"
    return f"ignored by rule: {len(ignored)} hidden {noun} ({shown}{more})"


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def list_inputs(paths: list[Path], suffixes: tuple[str, ...] | None = None) -> InputListing:
    """Walk ``paths`` (folders, or single files given by name) in a stable order.

    ``suffixes``: only files with these suffixes are listed (others are left to the caller's
    own rules when None)."""
    listing = InputListing()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            root = Path(os.path.realpath(path))
            _walk(path, path, str(root), listing, suffixes)
        else:
            # a file named explicitly is the user's choice; it is still checked for being readable
            _entry(path, path.parent, None, listing, suffixes)
    return listing


def _walk(folder: Path, root: Path, real_root: str, listing: InputListing, suffixes) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: os.fsencode(e.name))
    except OSError as exc:
        listing.refused.append(
            Refused(printable(folder), "unreadable_file", f"cannot list folder: {exc.strerror}")
        )
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            listing.ignored.append(printable(path.relative_to(root).as_posix()))
            continue
        if not _name_is_utf8(entry.name):
            listing.refused.append(
                Refused(
                    printable(path),
                    "invalid_file_name",
                    "file name is not valid UTF-8; rename it (ids come from file names)",
                )
            )
            continue
        if entry.is_dir(follow_symlinks=False):
            _walk(path, root, real_root, listing, suffixes)
            continue
        _entry(path, root, real_root, listing, suffixes)


def _entry(path: Path, root: Path, real_root: str | None, listing: InputListing, suffixes) -> None:
    where = printable(path)
    try:
        info = os.lstat(path)
    except OSError as exc:
        listing.refused.append(Refused(where, "unreadable_file", f"cannot stat: {exc.strerror}"))
        return
    if stat.S_ISLNK(info.st_mode):
        target = os.path.realpath(path)
        if not os.path.exists(target):
            listing.refused.append(
                Refused(
                    where, "dangling_symlink", f"symbolic link to a missing {printable(target)}"
                )
            )
            return
        if real_root is not None and not _inside(target, real_root):
            listing.refused.append(
                Refused(
                    where,
                    "outside_input_folder",
                    f"symbolic link leaves the input folder (to {printable(target)}); "
                    "inputs are read only from inside it",
                )
            )
            return
        if os.path.isdir(target):
            listing.refused.append(
                Refused(where, "symlinked_folder", "symbolic link to a folder: not followed")
            )
            return
        info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        listing.refused.append(
            Refused(where, "not_a_regular_file", "not a regular file (a device, FIFO or socket)")
        )
        return
    if suffixes is not None and path.suffix.lower() not in suffixes:
        return
    listing.files.append((path, root))
