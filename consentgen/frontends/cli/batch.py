"""consentgen batch CLINIC.yaml ROSTER.csv -o DIR: clinic mode, one set of forms per clinician."""

from __future__ import annotations

import argparse
import sys

from consentgen.errors import UsageError
from consentgen.frontends.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    certifier,
    certify_options,
    echo,
    err,
    grouped_warnings,
    languages_option,
    output_options,
    render_options,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the parser."""
    batch = sub.add_parser("batch", help="clinic mode: one form per clinician in a roster (CSV)")
    batch.add_argument("clinic", metavar="CLINIC.yaml", help="answers file without clinician")
    batch.add_argument("roster", metavar="ROSTER.csv", help="one clinician per row (a CSV file or an .xlsx workbook)")
    batch.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the forms and manifest")
    batch.add_argument("--jobs", type=int, metavar="N",
                       help="parallel workers (default: number of cores; a batch of fewer than 6 forms runs in one "
                            "process)")
    batch.add_argument("--force", action="store_true",
                       help="replace existing PDFs even if they were filled in, signed or not made by consentgen")
    batch.add_argument("--dry-run", action="store_true",
                       help="check everything and print what would be written, replaced and set aside")
    output_options(batch)
    certify_options(batch)
    batch.set_defaults(func=cmd_batch)


def cmd_batch(args: argparse.Namespace) -> int:
    """consentgen batch CLINIC.yaml ROSTER.csv -o DIR [--jobs N] [--dry-run]"""
    from consentgen.batch import dry_run_lines, plan_batch, run_batch

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    if args.dry_run:
        plan = plan_batch(args.clinic, args.roster, args.output, render_options(args), today=args.today,
                          languages=languages_option(args))
        lines, shown = dry_run_lines(plan)
        for line in lines:
            echo(line)
        grouped_warnings([p.entry for p in shown], err)
        return EXIT_OK
    finish = certifier(args)  # the key is loaded (and its password asked) before any form is made
    bar = sys.stderr.isatty()

    def progress(written: int, failed: int, total: int) -> None:
        if bar:
            filled = int(30 * (written + failed) / max(total, 1))
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {written} made, {failed} failed, "
                             f"of {total} clinicians")
            sys.stderr.flush()
            if written + failed == total:
                sys.stderr.write("\n")

    options = render_options(args)
    if finish is not None:  # the record says so (a certification removed later is caught); an output of its own
        options = options.but(certified_by=finish.label)
    result = run_batch(args.clinic, args.roster, args.output, options, today=args.today, jobs=args.jobs,
                       progress=progress, force=args.force, languages=languages_option(args), finish=finish)
    for line in result.failed + result.notices:
        err(line)
    grouped_warnings(result.written + result.unchanged, err)
    for item in result.written:
        if item.get("change") == "changed":
            echo(f"changed: {item['file']}" + (f" ({item['what_changed']})" if item.get("what_changed") else ""))
    new = sum(1 for item in result.written if item.get("change") == "new")
    changed = len(result.written) - new
    clinicians = len({item["row"] for item in result.written + result.unchanged})
    echo(f"{len(result.written) + len(result.unchanged)} form(s) for {clinicians} clinician(s) in {args.output}: "
         f"{new} new, {changed} changed, {len(result.unchanged)} unchanged (left as they were); manifest.csv / "
         "manifest.json written"
         + (f"; replaced {len(result.replaced)} earlier form(s)" if result.replaced else "")
         + (f"; moved {len(result.superseded)} form(s) this run no longer makes (a clinician, edition or language "
            f"no longer in it) to {args.output}/superseded/"
            if result.superseded else "")
         + (f"; kept {len(result.kept)} earlier form(s) in place (listed in the manifest as not refreshed or kept)"
            if result.kept else "")
         + (f"; {len(result.failures)} row(s) with problems (listed in the manifest)." if result.failures else "."))
    return EXIT_INVALID if result.failures else EXIT_OK
