"""consentgen's per-user folders: its state (what it made) and its cache (compiled templates).

Each is used only when it is a real folder this user owns and nobody else can write.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def state_dir() -> Path:
    """The folder that holds consentgen's per-user state."""
    if os.environ.get("CONSENTGEN_STATE_DIR"):
        return Path(os.environ["CONSENTGEN_STATE_DIR"])
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "consentgen"


def private_folder(folder: Path, create: bool) -> Path | None:
    """``folder`` if it is a real folder (not a link) this user owns and nobody else can write; else None.
    ``create`` makes it (mode 0700) when it is missing."""
    with contextlib.suppress(OSError):
        if create and not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
        info = folder.lstat()
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022:
            return folder
    return None


def cache_dir(create: bool = True) -> Path | None:
    """consentgen's per-user cache (compiled templates): ``$CONSENTGEN_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/consentgen``, else ``~/.cache/consentgen``; None when it is not a private folder."""
    if os.environ.get("CONSENTGEN_CACHE_DIR"):
        folder = Path(os.environ["CONSENTGEN_CACHE_DIR"])
    else:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")) / "consentgen"
    return private_folder(folder, create)


