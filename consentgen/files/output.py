"""Write output files atomically: a temporary file beside the target, then a rename."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from consentgen.errors import OutputError


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` so that a failure leaves any previous file intact.

    Raises:
        OutputError: the folder is missing or read-only, or the disk is full.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_symlink():
        path = path.resolve()  # replace the file the link points to, not the link
    if path.exists() and not path.is_file() and not path.is_dir():
        return _write_special(path, payload)  # a device or pipe (e.g. /dev/stdout): no rename possible
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: cannot write: folder {folder} does not exist")
    if path.is_dir():
        raise OutputError(f"{path}: cannot write: it is a folder")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        mode = 0o644 & ~_umask()
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_reason(exc)}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


def _reason(exc: OSError) -> str:
    return {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission denied (the folder is not writable)",
        errno.EROFS: "the folder is read-only",
        errno.EPERM: "permission denied",
    }.get(exc.errno or 0, exc.strerror or str(exc))


def _write_special(path: Path, payload: bytes) -> Path:
    try:
        with path.open("wb") as handle:
            handle.write(payload)
            handle.flush()
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_reason(exc)}") from None
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
