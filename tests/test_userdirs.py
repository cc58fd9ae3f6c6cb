"""consentgen's per-user folders: the template cache speeds up a cold render and is used only when private."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import EXAMPLES, ROOT


def _render(tmp_path, cache, name):
    env = {**os.environ, "CONSENTGEN_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-m", "consentgen", "render", str(EXAMPLES[0]), "--for", "individual",
                           "-o", str(tmp_path / name), "--format", "html"], capture_output=True, text=True, env=env,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return (tmp_path / name).read_text(encoding="utf-8")


def test_compiled_templates_are_cached_privately_and_give_the_same_page(tmp_path):
    cache = tmp_path / "cache"
    first = _render(tmp_path, cache, "a.html")
    kept = list(cache.rglob("*.cache"))
    assert kept, "no compiled template was kept"
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
    assert _render(tmp_path, cache, "b.html") == first  # the cached templates make the same page


def test_a_cache_folder_others_can_write_is_not_used(tmp_path):
    cache = tmp_path / "shared"
    cache.mkdir(mode=0o777)
    os.chmod(cache, 0o777)  # another user could plant compiled code here
    _render(tmp_path, cache, "a.html")
    assert not list(cache.rglob("*.cache"))
