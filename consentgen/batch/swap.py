"""Moving the staged forms into place, and setting aside the forms a run no longer makes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from consentgen.batch.folder import free_name, safe_path
from consentgen.batch.manifest import MANIFESTS, BatchResult
from consentgen.batch.plan import SUPERSEDED, Plan, failed_folders, file_failure, in_failed_folder
from consentgen.errors import OutputError
from consentgen.files.made import file_digest
from consentgen.files.moves import Moves, disk_error
from consentgen.files.protect import guard_for, protected_reason, refusal


def keep_protected(plan: Plan, staged: list[dict[str, Any]], result: BatchResult, force: bool,
                    hashes: set[str]) -> list[dict[str, Any]]:
    """Leave in place every existing file that must not be replaced (a client's copy, or not ours)."""
    if force:
        return staged
    kept = []
    for item in staged:
        reason = protected_reason(plan.out / item["file"], hashes=hashes)
        if reason:
            result.failures.append(file_failure(plan, item, refusal(plan.out / item["file"], reason)))
        else:
            kept.append(item)
    return kept


def swap_in(plan: Plan, staging: Path, staged: list[dict[str, Any]], result: BatchResult, force: bool,
            hashes: set[str], moves: Moves, left_as_is: set[str] | frozenset[str] = frozenset(),
            ) -> list[dict[str, Any]]:
    """Move the staged forms into place and set aside forms the roster no longer has; return what moved in.

    Every path is checked to stay inside the output folder, through real folders only. Earlier forms are
    set aside only when consentgen made them and nobody changed them, and never over another file; the
    forms of a clinician whose row failed this run stay where they are ("not refreshed"). Every change
    is noted in ``moves``; an error about the disk (full, read-only) is raised for the caller to undo
    them all, while a problem with one file fails that file only.
    """
    out = plan.out
    superseded = out / SUPERSEDED
    if superseded.is_symlink() or (superseded.exists() and not superseded.is_dir()):
        bad_superseded = f"{superseded} is {'a link' if superseded.is_symlink() else 'a file'}, not a folder"
    else:
        bad_superseded = ""
    moved: list[dict[str, Any]] = []
    for name in sorted(MANIFESTS, key=lambda n: n != "manifest.json"):  # the JSON first: a run stopped here
        # leaves no manifest.json rather than a false one
        path = out / name
        if path.is_file() and not path.is_symlink() and file_digest(path) not in hashes:  # edited since it was made
            target = free_name(path.with_name(f"{path.stem} (edited){path.suffix}"))
            moves.move(path, target)
            result.notices.append(f"{path}: was changed since consentgen wrote it; kept as {target.name}")
        else:
            moves.put_aside(path)
    for item in staged:
        missing = moves.folders(out / item["file"], out)
        try:
            target = safe_path(out, item["file"], create=True)
        except OutputError as exc:
            result.failures.append(file_failure(plan, item, exc.message))
            continue
        finally:
            moves.made_folders(missing)
        existed = target.exists()
        try:  # checked again at the moment of the move: a copy saved since the first check is kept
            moves.install(staging / item["file"], target, guard_for(force=force, new_hash=item["sha256"],
                                                                   hashes=hashes))
        except OutputError as exc:
            result.failures.append(file_failure(plan, item, exc.message))
            continue
        except OSError as exc:
            if disk_error(exc):
                raise
            result.failures.append(file_failure(plan, item, f"{target}: cannot move it into place "
                                                             f"({exc.strerror or exc})"))
            continue
        if existed:
            result.replaced.append(item["file"])
        moved.append(item)
    _set_aside(plan, {item["file"] for item in moved} | set(left_as_is), result, bad_superseded, hashes, moves)
    return moved


def _set_aside(plan: Plan, new: set[str], result: BatchResult, bad_superseded: str, hashes: set[str],
               moves: Moves) -> None:
    """Earlier forms this run does not make: kept (row failed, or a client's copy) or moved to superseded/."""
    out, failed = plan.out, failed_folders(result.failures)
    for entry in plan.previous:
        name = entry["file"]
        if name in new or name.startswith(SUPERSEDED + "/"):
            continue
        if not plan.makes(entry):  # another document type's file (a packet beside consent forms): not this run's
            if (out / name).is_file():
                result.others.append(entry)  # listed as it was, with everything a later run compares
            continue
        try:
            path = safe_path(out, name)
        except OutputError as exc:
            result.notices.append(f"{out / name}: left alone: {exc.message}")
            continue
        if not path.is_file():
            continue
        if in_failed_folder(name, failed):
            result.kept.append({**entry, "status": "not refreshed", "change": "", "what_changed": "",
                                "error": "this clinician's row failed in this run; the earlier form was kept"})
            continue
        reason = protected_reason(path, hashes=hashes)
        if reason or bad_superseded:
            _keep(result, entry, path, f"it {reason}" if reason else bad_superseded)
            continue
        missing = moves.folders(out / SUPERSEDED / name, out)
        try:
            (out / SUPERSEDED).mkdir(exist_ok=True)  # checked above: not a link, not a file
            target = free_name(safe_path(out / SUPERSEDED, name, create=True))
            moves.made_folders(missing)
            moves.move(path, target)  # a link first: never over a file that took the name meanwhile
        except OutputError as exc:
            moves.made_folders(missing)
            _keep(result, entry, path, exc.message)
            continue
        except OSError as exc:
            moves.made_folders(missing)
            if disk_error(exc):
                raise
            _keep(result, entry, path, str(exc.strerror or exc))
            continue
        result.superseded.append(target.relative_to(out / SUPERSEDED).as_posix())  # as before: the name in superseded/
        result.set_aside.append({**entry, "file": target.relative_to(out).as_posix(), "status": SUPERSEDED,
                                 "change": SUPERSEDED, "what_changed": "", "error": ""})
        moves.removed_folder(path.parent)  # only if now empty


def _keep(result: BatchResult, entry: dict[str, Any], path: Path, why: str) -> None:
    """An earlier form left where it is (``kept`` in the manifest), and the line that says why."""
    result.kept.append({**entry, "status": "kept", "change": "", "what_changed": "", "error": f"not set aside: {why}"})
    result.notices.append(f"{path}: left in place: {why}")
