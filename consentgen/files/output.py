"""Write output files atomically: a temporary file beside the target, then a rename.

Rules (see the README's Safety section):
- a failure at any point leaves the previous file as it was, and no temporary file behind;
- a link is followed to the file it points to, except a link that another user planted in a
  shared sticky folder (``/tmp``), which is refused, as the kernel's ``protected_symlinks`` does;
- the target must be a regular file (or new); devices, pipes and sockets are refused, except
  standard output (``/dev/stdout``);
- a file that exists keeps its permissions; a new file gets the usual ones (0666 less the umask);
- temporary files left by a killed run (``.cg-*.tmp``, older than ten minutes) are removed;
- what was written is remembered (``files.made``), so that only a file byte-identical to it may be replaced
  later without ``--force``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from consentgen.errors import OutputError
from consentgen.files.made import remember
from consentgen.files.protect import refusal

STDOUT_NAMES = ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")
TMP_PREFIX = ".cg-"
STALE_SECONDS = 600


Guard = Callable[[Path], "str | None"]  # why a file must not be replaced (a client's copy), or None


def is_folder_target(output: str | Path) -> bool:
    """Whether ``-o`` names a folder (ends with a slash, or is one): then every edition is written."""
    text = str(output)
    return text.endswith(("/", "\\")) or Path(text).is_dir()


def write_atomic(path: Path, data: bytes | str, guard: Guard | None = None) -> Path:
    """Write ``data`` to ``path`` so that a failure leaves any previous file intact.

    ``guard``: asked about the file being replaced at the moment it is replaced (see ``install``), so a
    client's copy saved over the target after an earlier check is still kept.

    Raises:
        OutputError: the folder is missing or read-only, the disk is full, the name is too
            long, or the target is not a regular file.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if str(path) in STDOUT_NAMES:
            return _write_stdout(path, payload)
        target = _target(path)
        written = _replace(target, payload, guard)
        remember(payload)  # so a later run may replace this file, and only this file, without --force
        return written
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_reason(exc)}") from None
    except RuntimeError:  # Path.resolve on a link that points to itself
        raise OutputError(f"{path}: cannot write: too many levels of links (a link loop?)") from None


def _target(path: Path) -> Path:
    """The file to replace: ``path``, or what its link points to (when following it is safe)."""
    if path.is_symlink():
        folder = path.parent if str(path.parent) else Path(".")
        link, parent = path.lstat(), folder.stat()
        shared = parent.st_mode & stat.S_ISVTX and parent.st_mode & stat.S_IWOTH
        if shared and link.st_uid not in (parent.st_uid, os.geteuid()):
            raise OutputError(f"{path}: refusing to follow a link another user made in a shared folder")
        path = path.resolve(strict=False)
    if path.exists() and not path.is_file():
        if path.is_dir():
            raise OutputError(f"{path}: cannot write: it is a folder")
        raise OutputError(f"{path}: cannot write: it is not a regular file (a device, pipe or socket)")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: cannot write: folder {folder} does not exist")
    return path


def _replace(path: Path, payload: bytes, guard: Guard | None = None) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    _clean_stale(folder)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        install(Path(tmp_name), path, guard)
        tmp_name = None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


# Over the complexity bound (14): the move-aside, re-check, install and put-back of a client's copy are one
# guarded sequence; its failure branches must stay next to the steps they undo.
def install(new: Path, path: Path, guard: Guard | None = None, *,  # noqa: C901
            keep_old: Path | None = None) -> Path | None:
    """Move the finished file ``new`` to ``path``; with ``guard``, never over a file it refuses.

    Without a guard this is one rename. With one, the file at ``path`` is first moved aside (a rename,
    so what is checked is exactly what would be lost), the guard is asked about it, and the new file is
    then linked in only if nothing took the name meanwhile: a client's copy saved over the target
    after an earlier check, or during the move, is kept (put back, or left where it appeared). If the
    link fails (a full disk), the old file is put back before the error is raised.

    ``keep_old``: where the replaced file goes instead of being deleted (batch keeps it until its whole
    run is in place, so a failure can undo every move). Returns where the replaced file now is (that
    path, or its aside name if it could not be moved there), or None when nothing was replaced or it
    was deleted.

    Raises:
        OutputError: the guard refused the file, or another program wrote ``path`` during the move.
        OSError: the move itself failed (the caller reports it); ``path`` is as it was.
    """
    if guard is None:
        os.replace(new, path)
        return None
    if path.exists() and not path.is_file():
        raise OutputError(f"{path}: cannot write: it is {'a folder' if path.is_dir() else 'not a regular file'}")
    aside: Path | None = path.with_name(f".cg-aside-{secrets.token_hex(4)}-{path.name}")
    try:
        os.rename(path, aside)  # type: ignore[arg-type]
    except FileNotFoundError:
        aside = None
    if aside is not None:
        reason = guard(aside)
        if reason:
            _put_back(aside, path)
            raise OutputError(refusal(path, reason))
    try:
        os.link(new, path)  # fails if a file took the name since the move aside
    except FileExistsError:
        raise OutputError(f"{path}: not replaced: another program wrote it while consentgen was writing; "
                          "it was left as that program wrote it") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK, errno.EOPNOTSUPP):
            if aside is not None:
                _put_back(aside, path)  # a full disk: the old file keeps its name
            raise
        os.replace(new, path)  # a file system without hard links: the check just made stands
    else:
        os.unlink(new)
    if aside is None:
        return None
    if keep_old is not None:
        try:
            os.rename(aside, keep_old)
        except OSError:
            return aside
        return keep_old
    with contextlib.suppress(OSError):
        os.unlink(aside)
    return None


def _put_back(aside: Path, path: Path) -> None:
    """Return a refused file to its name; if a file took the name meanwhile, keep both and say where."""
    try:
        os.link(aside, path)
    except FileExistsError:
        raise OutputError(f"{path}: not replaced; the copy that was there is kept as {aside}") from None
    except OSError:
        os.replace(aside, path)
        return
    os.unlink(aside)


def _clean_stale(folder: Path) -> None:
    """Remove temporary files a killed run left here (ours by name, and old enough to be dead)."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(TMP_PREFIX) and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_SECONDS \
                            and info.st_uid == os.geteuid():
                        os.unlink(entry.path)


def _reason(exc: OSError) -> str:
    return {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission denied (the folder is not writable or not searchable)",
        errno.EROFS: "the folder is read-only",
        errno.EPERM: "permission denied",
        errno.ENAMETOOLONG: "the file name is too long",
        errno.ELOOP: "too many levels of links (a link loop?)",
        errno.ENOTDIR: "a part of the path is not a folder",
    }.get(exc.errno or 0, exc.strerror or str(exc))


def _write_stdout(path: Path, payload: bytes) -> Path:
    with open(path, "wb") as handle:
        handle.write(payload)
        handle.flush()
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
