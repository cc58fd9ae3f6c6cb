"""What ``batch --dry-run`` prints."""

from __future__ import annotations

from consentgen.batch.plan import SUPERSEDED, Plan


def dry_run_lines(plan: Plan) -> list[str]:
    """What ``batch --dry-run`` prints: each file to be written (new or replaced) and set aside."""
    files = plan.files()
    lines = []
    for name in files:
        lines.append(f"{'replace' if (plan.out / name).exists() else 'write  '}  {plan.out / name}")
    gone = [e["file"] for e in plan.previous if e["file"] not in files and (plan.out / e["file"]).exists()]
    lines += [f"move     {plan.out / f} -> {plan.out / SUPERSEDED / f} (this run no longer makes it)" for f in gone]
    lines += [line for failure in plan.failures for line in failure["lines"]]
    lines.append(f"{len(files)} form(s) for {len(plan.jobs)} clinician(s); {len(gone)} to set aside; "
                 f"{len(plan.failures)} row(s) with problems. Nothing was written (dry run).")
    return lines
