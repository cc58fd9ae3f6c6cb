"""consentgen's per-user folders: the template cache speeds up a cold render and is used only when private."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import EXAMPLES, ROOT


def _render(tmp_path, cache, name):
    env = {**os.environ, "CONSENTGEN_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-m", "consentgen", "render", str(EXAMPLES[0]), "--for", "individual",
                           "-o", str(tmp_path / name), "--format", "html"], capture_output=True, text=True, env=env,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return (tmp_path / name).read_text(encoding="utf-8")


@pytest.mark.slow
def test_compiled_templates_are_cached_privately_and_give_the_same_page(tmp_path):
    cache = tmp_path / "cache"
    first = _render(tmp_path, cache, "a.html")
    kept = list(cache.rglob("*.cache"))
    assert kept, "no compiled template was kept"
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
    assert _render(tmp_path, cache, "b.html") == first  # the cached templates make the same page


@pytest.mark.slow
def test_a_cache_folder_others_can_write_is_not_used(tmp_path):
    cache = tmp_path / "shared"
    cache.mkdir(mode=0o777)
    os.chmod(cache, 0o777)  # another user could plant compiled code here
    _render(tmp_path, cache, "a.html")
    assert not list(cache.rglob("*.cache"))


def test_a_full_or_broken_cache_never_fails_a_render(tmp_path, monkeypatch, valid_answers):
    """Review M2: when the cache cannot be written (a full disk) or holds rubbish, templates are compiled again."""
    import datetime as dt
    import tempfile

    from consentgen.inputs.answers import parse_practice
    from consentgen.model.options import Output
    from consentgen.pipeline import make_document
    from consentgen.render import html

    monkeypatch.setenv("CONSENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    html._environment.cache_clear()

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", full)
    doc = make_document(parse_practice(valid_answers, "t"), today=dt.date(2026, 11, 22))
    assert "<html" in html.render_page(doc, Output()).html
    monkeypatch.undo()
    monkeypatch.setenv("CONSENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    for kept in (tmp_path / "cache").rglob("*.cache"):
        kept.write_bytes(b"rubbish")
    html._environment.cache_clear()
    assert "<html" in html.render_page(doc, Output()).html
    html._environment.cache_clear()
