"""The state files' cache (issue 23, cold-render speed): a file read and validated once is kept in the user's
private cache; a change to the file is read afresh, a damaged cache file is ignored, and nothing is kept where
another user could write."""

from __future__ import annotations

import os
import shutil

import pytest
from consentgen.errors import DataFileError
from consentgen.law import load


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("CONSENTGEN_CACHE_DIR", str(folder))
    return folder


def _copy(tmp_path, code="US-OH"):
    path = tmp_path / f"{code}.yaml"
    shutil.copy(load.jurisdictions_dir() / f"{code}.yaml", path)
    return path


def test_a_state_file_is_kept_validated_and_read_from_the_cache(tmp_path, cache):
    path = _copy(tmp_path)
    first = load.read_jurisdiction(path, with_parent=False)
    kept = list((cache / "law").glob("*.pickle"))
    assert len(kept) == 1
    load._read_layer.cache_clear()
    again = load.read_jurisdiction(path, with_parent=False)
    assert again.data == first.data


def test_a_changed_file_is_read_afresh_and_an_invalid_one_is_still_refused(tmp_path, cache):
    path = _copy(tmp_path)
    load.read_jurisdiction(path, with_parent=False)
    path.write_text(path.read_text(encoding="utf-8").replace("paper: letter", "paper: folio"), encoding="utf-8")
    load._read_layer.cache_clear()
    with pytest.raises(DataFileError, match="paper"):
        load.read_jurisdiction(path, with_parent=False)


def test_a_damaged_cache_file_is_ignored(tmp_path, cache):
    path = _copy(tmp_path)
    first = load.read_jurisdiction(path, with_parent=False)
    for kept in (cache / "law").glob("*.pickle"):
        kept.write_bytes(b"not a pickle")
    load._read_layer.cache_clear()
    assert load.read_jurisdiction(path, with_parent=False).data == first.data


def test_nothing_is_kept_in_a_folder_others_can_write(tmp_path, cache):
    cache.mkdir(mode=0o700)
    os.chmod(cache, 0o777)  # group and world writable: not private
    path = _copy(tmp_path)
    load.read_jurisdiction(path, with_parent=False)
    assert not (cache / "law").exists()
