"""Clinic mode: every offered edition for each roster row, rendered in parallel, with a manifest.

Each worker process keeps WeasyPrint, its fonts and the Jinja environment loaded, so a
form costs a render, not a start-up. The run is planned first (every row validated, every
file name decided from the clinician alone, whatever the row order), rendered into a staging
folder, then moved into place: a failure or Ctrl-C leaves the output folder as it was, and
the manifest always describes the files present (see the README's clinic section).

The modules, in the order a run uses them: ``plan`` (rows and file names), ``work`` (rendering in
worker processes), ``folder`` (the lock, staging and safe paths), ``changes`` (each form against the
one it would replace), ``swap`` (moving forms in, setting old ones aside), ``manifest`` (what was
done), ``run`` (the whole run), ``dryrun`` (what a run would do).
"""

from consentgen.batch.dryrun import dry_run_lines
from consentgen.batch.folder import LOCK, STAGING, safe_path
from consentgen.batch.manifest import MANIFEST_FIELDS, BatchResult
from consentgen.batch.plan import SUPERSEDED, Job, Plan, clean_name, plan_batch, slug
from consentgen.batch.run import run_batch
from consentgen.batch.work import render_job

__all__ = ["LOCK", "MANIFEST_FIELDS", "STAGING", "SUPERSEDED", "BatchResult", "Job", "Plan", "clean_name",
           "dry_run_lines", "plan_batch", "render_job", "run_batch", "safe_path", "slug"]
