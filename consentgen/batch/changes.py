"""Each form of a run against the form it would replace: new, changed (and what) or unchanged.

A form is unchanged when the client would read the same page (its wording id, the fingerprint
without the form's date), it rests on the same rules (their content and review status), and the
file in the folder is still the one the earlier run wrote. An unchanged form is left in place, so a
director who edits one row learns that two files changed, not that 37 were replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consentgen.files.made import file_digest
from consentgen.law.changes import diff_records

NEW, CHANGED, UNCHANGED, SUPERSEDED_CHANGE = "new", "changed", "unchanged", "superseded"


@dataclass(frozen=True)
class Verdict:
    """How one form compares with the one in its place."""

    change: str  # new | changed | unchanged
    what: str = ""  # for a changed form: what changed, in one plain cell


def compare_form(out: Path, item: dict[str, Any], previous: dict[str, dict[str, Any]]) -> Verdict:
    """Compare the form ``item`` (a manifest entry this run would write) with the earlier one at its name."""
    name = item["file"]
    before = previous.get(name)
    path = out / name
    if before is None or not path.is_file() or path.is_symlink():
        return Verdict(NEW)
    old_rules = (before.get("record") or {}).get("rules") or {}
    new_rules = (item.get("record") or {}).get("rules") or {}
    same_page = bool(before.get("wording")) and before.get("wording") == item.get("wording")
    same_output = before.get("output") == item.get("output")
    same_law = not diff_records(old_rules, new_rules)
    if same_page and same_output and same_law and file_digest(path) == before.get("sha256"):
        return Verdict(UNCHANGED)
    return Verdict(CHANGED, what_changed(before, item, old_rules, new_rules))


def what_changed(before: dict[str, Any], item: dict[str, Any], old_rules: dict[str, Any],
                 new_rules: dict[str, Any]) -> str:
    """One cell: the rules that changed, else the version, the clinician's answers or the wording."""
    rules = [c.summary() for c in diff_records(old_rules, new_rules)]
    if rules:
        return "; ".join(rules)
    if before.get("output") != item.get("output"):
        return f"written another way ({before.get('output') or 'earlier options'} -> {item.get('output')})"
    if before.get("form_version") != item.get("form_version"):
        return f"consentgen {before.get('form_version') or '(earlier version)'} -> {item.get('form_version')}"
    if before.get("inputs") and before.get("inputs") != item.get("inputs"):
        return "the clinician's row or the clinic file"
    if not before.get("wording"):
        return "made before consentgen compared forms; replaced"
    if before.get("wording") == item.get("wording"):
        return "the file in the folder is not the one the last run wrote; replaced"
    return "the wording (templates or practice details)"
