"""The output folder's safety: one batch at a time, a staging folder, paths that stay inside, no overwrite."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from consentgen.batch.plan import clean_name
from consentgen.errors import OutputError
from consentgen.files.moves import recover

STAGING = ".cg-staging"


LOCK = ".cg-batch.lock"


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """One batch at a time in a folder: a second one is refused at once, with nothing changed."""
    import fcntl

    path = out / LOCK
    for _ in range(20):  # the lock file may be removed by the run that held it: then lock the new one
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            raise OutputError(f"{path}: cannot open the batch lock ({exc.strerror or exc})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError(f"{out}: another batch is writing into this folder; wait for it to finish") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path, follow_symlinks=False).st_ino
        except OSError:
            same = False
        if same:
            break
        os.close(fd)  # locked a file that was removed meanwhile (round 5, B7): another run could lock the new one
    else:
        raise OutputError(f"{out}: the batch lock keeps changing; another batch may be running")
    try:
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                path.unlink()  # the run is over (its manifest written): the folder is left as the user sees it
    finally:
        os.close(fd)


def clear_staging(out: Path) -> list[str]:
    """Make an empty staging folder; first undo what a run that was killed while moving forms in left
    (its journal), and return the notice that says so."""
    staging = out / STAGING
    kept = staging / "replaced"
    notices = []
    try:
        if staging.is_symlink():
            raise OutputError(f"{staging}: is a link; remove it (batch stages its forms in a real folder)")
        if staging.exists() and not staging.is_dir():
            raise OutputError(f"{staging}: is a file where batch stages its forms; move it away, then run batch "
                              "again")
        if kept.is_dir() and not kept.is_symlink():
            left = recover(kept)
            if left:
                raise OutputError(f"{kept}: an earlier run was stopped while moving forms in, and some of its "
                                  "earlier files could not be put back: " + "; ".join(left))
            if left is not None:
                notices.append(f"{out}: an earlier run was stopped while moving forms in; its changes were undone "
                               "first, so the folder was as it was before that run")
            stray = sorted(p.name for p in kept.iterdir() if not p.name.startswith("."))
            if stray:
                raise OutputError(f"{kept}: holds earlier files a stopped run could not put back ({', '.join(stray)});"
                                  " move them where they belong, then run batch again")
        if staging.exists():  # left by a run that was killed
            shutil.rmtree(staging)
        staging.mkdir()
    except RecursionError:
        raise OutputError(f"{staging}: is nested too deeply to clear; remove it, then run batch again") from None
    except OSError as exc:
        raise OutputError(f"{staging}: cannot create the staging folder ({exc.strerror or exc})") from None
    return notices


@contextlib.contextmanager
def signals_deferred() -> Iterator[Callable[[], bool]]:
    """While forms are moved in: Ctrl-C, a closed terminal (SIGHUP) and SIGTERM only set a flag, which the
    moves check between steps (then everything is undone), so no signal stops a move halfway."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    caught: list[int] = []
    wanted = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {s: signal.signal(s, lambda signum, frame: caught.append(signum)) for s in wanted}
    try:
        yield lambda: bool(caught)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def in_folder(root: Path, name: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def safe_path(root: Path, name: str, *, create: bool = False) -> Path:
    """``root/name``, checked to stay inside ``root``: no '..', and no link or non-folder on the way.

    ``create`` makes the missing folders. The final name may not be a link either: batch never writes
    or moves through a link inside its folder, whoever made it.

    Raises:
        OutputError: the name leaves the folder, or a part of the path is a link or a file.
    """
    if clean_name(name) is None:
        raise OutputError(f"{root / name}: refusing a path that leaves {root}")
    path = root
    parts = name.split("/")
    for part in parts[:-1]:
        path = path / part
        if path.is_symlink():
            raise OutputError(f"{path}: is a link; batch writes and moves only inside real folders of {root}")
        if path.exists() and not path.is_dir():
            raise OutputError(f"{path}: is a file where batch needs a folder")
        if not path.exists():
            if not create:
                return root / name
            path.mkdir()
    final = path / parts[-1]
    if final.is_symlink():
        raise OutputError(f"{final}: is a link; batch replaces only real files inside {root}")
    if final.exists() and not final.is_file():
        raise OutputError(f"{final}: is a folder or other non-file where batch writes a form")
    return final


def free_name(path: Path) -> Path:
    """``path`` if nothing is there, else ``NAME (2).pdf``, ``NAME (3).pdf``...: a move never overwrites."""
    candidate, n = path, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
    return candidate
