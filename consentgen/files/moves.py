"""A record of every change a batch run makes in its output folder, so that a failure undoes them all.

Batch stages its forms first, then moves them in, sets earlier forms aside and writes its manifest.
A full disk, Ctrl-C, a closed terminal or a kill can stop any of those steps halfway (redteam B7,
round 5 B1, B2). ``Moves`` notes each step before it is taken, in memory and in a journal file beside
the kept files, and keeps every replaced file (in the staging folder) until the run is complete:

- ``undo`` puts the folder back as it was, newest step first;
- a run that was killed outright leaves its journal, and the next run undoes it first (``recover``);
- undoing removes only files this run put there (the same file: same inode), never a copy someone
  saved over a new form meanwhile (round 5 B8): such a copy is left where it is and named.

Only renames and links are used, inside one folder tree, so undoing needs no free space.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path

from consentgen.files.output import Guard, install

# Errors that mean the disk or file system, not this one file: the whole run is undone.
DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS, errno.ENOMEM}
JOURNAL = "JOURNAL.tsv"


class Cancelled(Exception):
    """Ctrl-C, a closed terminal or a termination signal arrived while forms were being moved in."""


def disk_error(exc: OSError) -> bool:
    """Whether ``exc`` is about the disk (full, over quota, read-only, failing) rather than one file."""
    return exc.errno in DISK_ERRORS


def _replace_anything(path: Path) -> None:
    """The guard of ``--force``: nothing is refused (the replaced file is still kept until the run is done)."""
    return None


def _inode(path: Path) -> str:
    """Which file is at ``path``: its inode, size and change time ("" when nothing is there). An inode alone
    is not enough: a file saved in place of a removed one may get the same number."""
    try:
        info = os.lstat(path)
    except OSError:
        return ""
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"


Step = tuple[str, Path, Path | None, str]  # kind, path, the other path (kept copy or move target), which file


class Moves:
    """The changes made so far; replaced files are kept in ``keep`` until ``done``.

    ``stop``: asked before each step; when it says so, ``Cancelled`` is raised (the caller undoes).
    """

    def __init__(self, keep: Path, stop: Callable[[], bool] = lambda: False) -> None:
        self.keep = keep
        self.stop = stop
        self._steps: list[Step] = []
        self._count = 0
        self._journal: int | None = None

    def _kept_name(self) -> Path:
        self._count += 1
        return self.keep / f"{self._count}"

    def _note(self, kind: str, path: Path, other: Path | None = None, inode: str = "") -> None:
        """Record a step (before it is taken, for the steps that move files) in memory and in the journal."""
        if self.stop():
            raise Cancelled
        step = (kind, path, other, inode)
        self._write(step)
        self._steps.append(step)

    def _write(self, step: Step, *, open_journal: bool = True) -> None:
        """Append ``step`` to the journal (opened on the first step; ``open_journal`` False: only if open)."""
        if self._journal is None:
            if not open_journal:
                return
            self._journal = os.open(self.keep / JOURNAL, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW,
                                    0o600)
        kind, path, other, inode = step
        os.write(self._journal, f"{kind}\t{path}\t{other or ''}\t{inode}\n".encode("utf-8", "surrogateescape"))

    def _noted_after(self, kind: str, path: Path) -> None:
        """Record a folder made or removed (after the fact; a journal that cannot be written is no loss)."""
        step = (kind, path, None, "")
        self._steps.append(step)
        with contextlib.suppress(OSError):
            self._write(step, open_journal=False)

    def folders(self, path: Path, root: Path) -> list[Path]:
        """The folders between ``root`` and ``path`` that do not exist yet (made next by the caller)."""
        missing = []
        for parent in path.parents:
            if parent == root or root not in parent.parents:
                break
            if not parent.exists():
                missing.append(parent)
        return missing[::-1]

    def made_folders(self, folders: list[Path]) -> None:
        """Note folders the caller just made (removed again by ``undo`` if still empty)."""
        for folder in folders:
            if folder.is_dir():
                self._noted_after("mkdir", folder)

    def put_aside(self, path: Path) -> None:
        """Move ``path`` (if it exists) into the keep folder; ``undo`` returns it."""
        kept = self._kept_name()
        self._note("aside", path, kept, _inode(path))
        with contextlib.suppress(FileNotFoundError):
            os.rename(path, kept)

    def install(self, new: Path, target: Path, guard: Guard | None) -> None:
        """``output.install``, keeping the replaced file so that ``undo`` can return it (``--force`` too)."""
        kept = self._kept_name()
        self._note("installed", target, kept, _inode(new))  # the link keeps the staged file's inode
        old = install(new, target, guard or _replace_anything, keep_old=kept)
        if old is not None and old != kept:  # the old file stayed at its aside name: undo must look there
            self._steps[-1] = ("installed", target, old, self._steps[-1][3])
            self._write(self._steps[-1])

    def place(self, new: Path, target: Path) -> None:
        """Rename ``new`` to ``target``, where nothing is (an earlier file there was put aside first)."""
        self._note("installed", target, None, _inode(new))
        os.rename(new, target)

    def move(self, path: Path, target: Path) -> None:
        """Move ``path`` to ``target`` (which must not exist: a link, then an unlink)."""
        self._note("moved", path, target, _inode(path))
        os.link(path, target)
        os.unlink(path)

    def removed_folder(self, folder: Path) -> None:
        """Remove ``folder`` if it is empty (and note it, so that ``undo`` makes it again)."""
        try:
            folder.rmdir()
        except OSError:
            return
        self._noted_after("rmdir", folder)

    def undo(self) -> list[str]:
        """Put every noted change back, newest first; returns what could not be put back."""
        problems = undo_steps(self._steps)
        self._steps = []
        self._close()
        if not problems:
            with contextlib.suppress(OSError):
                (self.keep / JOURNAL).unlink()
        return problems

    def done(self) -> None:
        """The run is complete: replaced files kept outside the keep folder (aside names) are deleted."""
        for kind, _path, other, _ in self._steps:
            if kind == "installed" and other is not None and self.keep not in other.parents:
                with contextlib.suppress(OSError):
                    other.unlink()
        self._steps = []
        self._close()
        with contextlib.suppress(OSError):
            (self.keep / JOURNAL).unlink()

    def _close(self) -> None:
        if self._journal is not None:
            os.close(self._journal)
            self._journal = None


def _put_back(other: Path, path: Path, problems: list[str]) -> None:
    """Return ``other`` to ``path``; if something is at ``path`` now, leave both and say where."""
    if not other.exists():
        return
    if path.exists() or path.is_symlink():
        problems.append(f"{path}: the earlier file could not be put back (another file is there now); it is "
                        f"kept as {other}")
        return
    try:
        os.rename(other, path)
    except OSError as exc:
        problems.append(f"{path}: could not be put back ({exc.strerror or exc}); it is kept as {other}")


# Over the complexity bound (13): each kind of step is undone in its own branch, with its own same-file check;
# kept together so every way back is read side by side.
def undo_steps(steps: list[Step]) -> list[str]:  # noqa: C901
    """Undo ``steps`` (oldest first in the list), newest first; returns what could not be put back.

    A file is removed only if it is still the one the step put there (the same inode).
    """
    problems: list[str] = []
    done_paths: set[Path] = set()
    for kind, path, other, inode in reversed(steps):
        try:
            if kind == "installed":
                ours = _inode(path) == inode and inode != ""
                if path not in done_paths and ours:
                    path.unlink()  # still the new file this run put there
                elif path.exists() and path not in done_paths and other is not None and other.exists():
                    problems.append(f"{path}: changed after this run put it there (a copy saved over it?); "
                                    "it was left as it is")
                # (not ours and nothing kept: the move never happened, e.g. a client's copy was refused)
                done_paths.add(path)
                if other is not None:
                    _put_back(other, path, problems)
            elif kind == "aside" and other is not None:
                _put_back(other, path, problems)
            elif kind == "moved" and other is not None:
                if path.exists() and _inode(other) == _inode(path):
                    other.unlink()  # the link was made but the original never removed
                elif _inode(other) == inode:
                    _put_back(other, path, problems)
            elif kind == "mkdir":
                with contextlib.suppress(OSError):
                    path.rmdir()  # only if empty
            elif kind == "rmdir":
                path.mkdir(exist_ok=True)
        except OSError as exc:
            problems.append(f"{path}: could not be put back ({exc.strerror or exc})"
                            + (f"; it is kept as {other}" if other is not None and other.exists() else ""))
    return problems


def read_journal(keep: Path) -> list[Step] | None:
    """The steps a run that was stopped outright left in ``keep`` (None when there is no journal)."""
    path = keep / JOURNAL
    if path.is_symlink() or not path.is_file():
        return None
    steps: list[Step] = []
    for line in path.read_bytes().decode("utf-8", "surrogateescape").splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or parts[0] not in ("aside", "installed", "moved", "mkdir", "rmdir"):
            continue
        kind, where, other, inode = parts
        steps.append((kind, Path(where), Path(other) if other else None, inode))
    return steps


def recover(keep: Path) -> list[str] | None:
    """Undo what a stopped run left (its journal in ``keep``); None when there was nothing to undo.

    Returns what could not be put back (empty: the folder is as it was before that run).
    """
    steps = read_journal(keep)
    if steps is None:
        return None
    problems = undo_steps(steps)
    if not problems:
        with contextlib.suppress(OSError):
            (keep / JOURNAL).unlink()
    return problems
