"""What consentgen made: a per-user list of the SHA-256 of every file it wrote.

A file on disk may be replaced or set aside only when it is byte-identical to something consentgen
wrote (or to what it is about to write): anything else is a client's copy until proven otherwise,
however it was changed (filled in, signed with annotations, flattened, prefixed with a BOM, saved
again by a viewer). The list lives in ``$CONSENTGEN_STATE_DIR``, else ``$XDG_STATE_HOME/consentgen``,
else ``~/.local/state/consentgen``, as ``made.txt`` (one ``sha256 size`` line per file, newest last;
the oldest half is dropped past ``KEEP`` lines). Failing to read or write it never stops a render:
the file is then simply treated as not made here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

KEEP = 100_000  # lines kept (about 7.5 MB); a clinic's yearly batch is a few hundred forms
MAX_HASHED = 200_000_000  # bytes read to hash a file; a larger file is never ours


def state_dir() -> Path:
    """The folder that holds consentgen's per-user state."""
    if os.environ.get("CONSENTGEN_STATE_DIR"):
        return Path(os.environ["CONSENTGEN_STATE_DIR"])
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "consentgen"


def _ledger() -> Path:
    return state_dir() / "made.txt"


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
    with contextlib.suppress(OSError):
        folder = state_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = _ledger()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        if path.stat().st_size > KEEP * 80:
            _trim(path)


def _trim(path: Path) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(b"".join(lines[len(lines) // 2:]))
    os.replace(tmp, path)


def known() -> set[str]:
    """Every hash consentgen remembers making (empty when the list cannot be read)."""
    try:
        text = _ledger().read_text(encoding="ascii", errors="replace")
    except OSError:
        return set()
    return {line.split(" ", 1)[0] for line in text.splitlines() if len(line) > 64}


def made_here(path: Path, hashes: set[str] | None = None) -> bool:
    """Whether the file at ``path`` is byte-identical to something consentgen wrote."""
    found = file_digest(path)
    return found is not None and found in (known() if hashes is None else hashes)
