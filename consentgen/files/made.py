"""What consentgen made: a per-user list of the SHA-256 of every file it wrote.

A file on disk may be replaced or set aside only when it is byte-identical to something consentgen
wrote (or to what it is about to write): anything else is a client's copy until proven otherwise,
however it was changed (filled in, signed with annotations, flattened, prefixed with a BOM, saved
again by a viewer). The list lives in ``$CONSENTGEN_STATE_DIR``, else ``$XDG_STATE_HOME/consentgen``,
else ``~/.local/state/consentgen``, as ``made.txt`` (one ``sha256 size`` line per file, newest last;
the oldest half is dropped past ``KEEP`` lines).

The list is trusted only in a folder the user owns that no one else can write, and only as a regular
file the user owns, opened without following a link; it is read at most ``MAX_LIST`` bytes (the newest).
Anything else (a link, a pipe, a device, another user's file) is ignored: nothing is then known, so
nothing existing is replaced without ``--force`` (the safe side), and nothing is appended. Failing to
read or write the list never stops a render.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
from pathlib import Path

from consentgen.files.userdirs import private_folder, state_dir

KEEP = 100_000  # lines kept (about 7.5 MB); a clinic's yearly batch is a few hundred forms
LINE = 80  # bytes a line takes, at most
MAX_LIST = KEEP * LINE * 2  # bytes of the list read (the newest)
HASH_LINE = re.compile(r"[0-9a-f]{64} \d+$")
MAX_HASHED = 200_000_000  # bytes read to hash a file; a larger file is never ours


def _private_folder(create: bool) -> Path | None:
    """The state folder, if it is a real folder this user owns that others cannot write; else None."""
    return private_folder(state_dir(), create)


def _open_list(folder: Path, flags: int) -> int | None:
    """A descriptor of the list, opened without following a link, if it is a regular file this user owns."""
    try:
        fd = os.open(folder / "made.txt", flags | os.O_NOFOLLOW | os.O_NONBLOCK, 0o600)
    except OSError:
        return None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
        os.close(fd)
        return None
    return fd


def digest(data: bytes) -> str:
    """The SHA-256 of ``data``, as the list keeps it."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """The SHA-256 of the regular file at ``path`` (not following a final link), or None."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_HASHED:
            return None
        return digest(path.read_bytes())
    except OSError:
        return None


def remember(data: bytes) -> None:
    """Add ``data``'s hash to the list of what consentgen made (never raises)."""
    line = f"{digest(data)} {len(data)}\n".encode("ascii")
    folder = _private_folder(create=True)
    if folder is None:
        return
    fd = _open_list(folder, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    if fd is None:
        return
    try:
        os.write(fd, line)
        size = os.fstat(fd).st_size
    except OSError:
        return
    finally:
        os.close(fd)
    if size > KEEP * LINE:
        _trim(folder)


def _trim(folder: Path) -> None:
    """Keep the newest half of the list: written to a new private file, then renamed over it."""
    text = _read(folder)
    lines = text.splitlines(keepends=True)
    with contextlib.suppress(OSError):
        fd, tmp = tempfile.mkstemp(prefix=".made-", suffix=".tmp", dir=folder)  # O_EXCL: never through a link
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write("".join(lines[len(lines) // 2:]))
            os.replace(tmp, folder / "made.txt")
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _read(folder: Path) -> str:
    fd = _open_list(folder, os.O_RDONLY)
    if fd is None:
        return ""
    try:
        size = os.fstat(fd).st_size
        os.lseek(fd, max(0, size - MAX_LIST), os.SEEK_SET)
        chunks, left = [], min(size, MAX_LIST)
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks).decode("ascii", errors="replace")
    except OSError:
        return ""
    finally:
        os.close(fd)


def known() -> set[str]:
    """Every hash consentgen remembers making (empty when the list cannot be trusted or read)."""
    folder = _private_folder(create=False)
    if folder is None:
        return set()
    return {line[:64] for line in _read(folder).splitlines() if HASH_LINE.match(line)}
