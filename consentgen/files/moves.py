"""A record of every change a batch run makes in its output folder, so that a failure undoes them all.

Batch stages its forms first, then moves them in, sets earlier forms aside and writes its manifest.
A full disk can stop any of those steps halfway (redteam B7). ``Moves`` notes each step as it is done
and keeps every replaced file (in the staging folder) until the run is complete; ``undo`` then puts
the folder back as it was, in reverse order. Only renames and links are used, inside one folder tree,
so undoing needs no free space.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from consentgen.files.output import Guard, install

# Errors that mean the disk or file system, not this one file: the whole run is undone.
DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS, errno.ENOMEM}


def disk_error(exc: OSError) -> bool:
    """Whether ``exc`` is about the disk (full, over quota, read-only, failing) rather than one file."""
    return exc.errno in DISK_ERRORS


def _replace_anything(path: Path) -> None:
    """The guard of ``--force``: nothing is refused (the replaced file is still kept until the run is done)."""
    return None


class Moves:
    """The changes made so far in ``out``; replaced files are kept in ``keep`` until ``done``."""

    def __init__(self, keep: Path) -> None:
        self.keep = keep
        self._steps: list[tuple[str, Path, Path | None]] = []
        self._count = 0

    def _kept_name(self) -> Path:
        self._count += 1
        return self.keep / f"{self._count}"

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
        self._steps += [("mkdir", folder, None) for folder in folders if folder.is_dir()]

    def put_aside(self, path: Path) -> None:
        """Move ``path`` (if it exists) into the keep folder; ``undo`` returns it."""
        kept = self._kept_name()
        try:
            os.rename(path, kept)
        except FileNotFoundError:
            return
        self._steps.append(("aside", path, kept))

    def install(self, new: Path, target: Path, guard: Guard | None) -> None:
        """``output.install``, keeping the replaced file so that ``undo`` can return it (``--force`` too)."""
        old = install(new, target, guard or _replace_anything, keep_old=self._kept_name())
        self._steps.append(("installed", target, old))

    def place(self, new: Path, target: Path) -> None:
        """Rename ``new`` to ``target``, where nothing is (an earlier file there was put aside first)."""
        os.rename(new, target)
        self._steps.append(("installed", target, None))

    def move(self, path: Path, target: Path) -> None:
        """Move ``path`` to ``target`` (which must not exist: a link, then an unlink)."""
        os.link(path, target)
        os.unlink(path)
        self._steps.append(("moved", path, target))

    def removed_folder(self, folder: Path) -> None:
        """Remove ``folder`` if it is empty (and note it, so that ``undo`` makes it again)."""
        try:
            folder.rmdir()
        except OSError:
            return
        self._steps.append(("rmdir", folder, None))

    def undo(self) -> list[str]:
        """Put every noted change back, newest first; returns what could not be put back."""
        problems = []
        for kind, path, other in reversed(self._steps):
            try:
                if kind == "installed":
                    path.unlink()
                    if other is not None:
                        os.rename(other, path)
                elif kind in ("aside", "moved") and other is not None:
                    os.rename(other, path)
                elif kind == "mkdir":
                    with contextlib.suppress(OSError):
                        path.rmdir()  # only if empty
                elif kind == "rmdir":
                    path.mkdir(exist_ok=True)
            except OSError as exc:
                problems.append(f"{path}: could not be put back ({exc.strerror or exc})"
                                + (f"; it is kept as {other}" if other is not None else ""))
        self._steps = []
        return problems

    def done(self) -> None:
        """The run is complete: replaced files kept outside the keep folder (aside names) are deleted."""
        for kind, _path, other in self._steps:
            if kind == "installed" and other is not None and self.keep not in other.parents:
                with contextlib.suppress(OSError):
                    other.unlink()
        self._steps = []
