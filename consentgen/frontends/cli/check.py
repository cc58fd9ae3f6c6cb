"""consentgen check: an answers file, a clinic file and its roster, the jurisdiction data or a template folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from consentgen.errors import ConsentgenError, UsageError
from consentgen.frontends.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    echo,
    err,
    grouped_warnings,
    languages_option,
    review_warnings,
)
from consentgen.inputs.answers import read_practice
from consentgen.law.load import name_of
from consentgen.model.options import RenderOptions


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the parser."""
    check = sub.add_parser("check", help="validate an answers file, the jurisdiction rules or a template folder")
    check.add_argument("answers", nargs="?", metavar="ANSWERS", help="an answers file (or a clinic file) to validate")
    check.add_argument("roster", nargs="?", metavar="ROSTER.csv",
                       help="with a clinic file: its roster (CSV or .xlsx), checked row by row without rendering")
    check.add_argument("--jurisdictions", action="store_true",
                       help="validate every jurisdiction file and list facts still 'unknown'")
    check.add_argument("--templates", metavar="DIR", help="list which built-in templates a folder replaces")
    check.add_argument("--language", metavar="LANG[,LANG]",
                       help="check the form in these languages (default: the answers' form.language, else en)")
    check.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    """consentgen check ANSWERS | check --jurisdictions | check --templates DIR"""
    if not (args.answers or args.jurisdictions or args.templates):
        raise UsageError("nothing to check: give an answers file, --jurisdictions or --templates DIR")
    status = EXIT_OK
    if args.jurisdictions:
        status = max(status, _check_jurisdictions())
    if args.templates:
        status = max(status, _check_templates(Path(args.templates)))
    if args.answers and args.answers.lower().endswith(".csv") and not args.roster:
        raise UsageError(f"{args.answers} looks like a roster; check it with its clinic file: "
                         f"consentgen check CLINIC.yaml {args.answers}")
    if args.answers and (args.roster or _is_clinic_file(args.answers)):
        return max(status, _check_clinic(args))
    if args.answers:
        _check_answers(args)
    return status


def _check_jurisdictions() -> int:
    """The review report over every jurisdiction file; EXIT_INVALID when one does not load."""
    from consentgen.frontends.report import review_report

    lines, errors, invalid = review_report()
    for line in errors:
        err(line)
    for line in lines:
        echo(line)
    return EXIT_INVALID if invalid else EXIT_OK


def _check_templates(folder: Path) -> int:
    """What a folder of template overrides changes; EXIT_INVALID when one cannot be used."""
    from consentgen.checks.overrides import describe_overrides

    report, bad = describe_overrides(folder)
    for line in report:
        echo(line)
    return EXIT_INVALID if bad else EXIT_OK


def _check_answers(args: argparse.Namespace) -> None:
    """Build every edition and language of one answers file and say what it holds (a bad file raises)."""
    practice = read_practice(args.answers)
    from consentgen.documents.document import editions
    from consentgen.frontends.report import reading_lines
    from consentgen.model.options import LANGUAGE_NAMES, RenderOptions
    from consentgen.pipeline import languages_for, make_document

    languages = languages_for(practice, languages_option(args))
    for edition in editions(practice):
        docs = []
        for language in languages:
            options = RenderOptions(format="html", fields=False, client_type=edition, language=language,
                                    templates=args.templates)
            form = make_document(practice, options, today=args.today)
            docs.append(form)
            label = f" ({edition} edition)" if edition else ""
            label += f" ({LANGUAGE_NAMES[language]})" if languages != ("en",) else ""
            echo(f"{args.answers}: OK{label}. {practice.clinician.name}, {name_of(form.law.code)} "
                  f"(rules checked {form.verified_on.isoformat()}); sections: {', '.join(form.sections)}.")
            for line in reading_lines(form):  # advice to the author, not an error
                echo(line)
        review_warnings(docs, echo)


def _is_clinic_file(path: str) -> bool:
    """Whether an answers-like file is a clinic file (it names no clinician)."""
    if not path.lower().endswith((".yaml", ".yml")):
        return False
    from consentgen.files.yamlfile import read_yaml

    try:
        data = read_yaml(Path(path))
    except ConsentgenError:
        return False
    return isinstance(data, dict) and "clinician" not in data


def _check_clinic(args: argparse.Namespace) -> int:
    """check CLINIC.yaml [ROSTER.csv]: validate a clinic file and its roster without rendering."""
    from consentgen.inputs.answers import read_clinic

    read_clinic(args.answers)
    if not args.roster:
        echo(f"{args.answers}: OK (a clinic file). Check it with its roster: consentgen check {args.answers} "
              "ROSTER.csv")
        return EXIT_OK
    from consentgen.batch import plan_batch

    plan = plan_batch(args.answers, args.roster, Path("."), RenderOptions(), today=args.today,  # the consent form
                      languages=languages_option(args))
    from consentgen.batch.dryrun import previews

    failures, entries = list(plan.failures), []
    for item in previews(plan, compare=False):  # each form built (its law resolved), none rendered
        if isinstance(item, dict):
            failures.append(item)
        else:
            entries.append(item.entry)
    for failure in sorted(failures, key=lambda f: f["row"]):
        for line in failure["lines"]:
            err(line)
    for line in plan.warnings:
        err(line)
    grouped_warnings(entries, err)
    echo(f"{args.answers} and {args.roster}: {len(plan.jobs)} clinician(s) ready, {len(plan.files())} form(s) "
         f"to make; {len(failures)} row(s) with problems. Nothing was rendered.")
    return EXIT_INVALID if failures else EXIT_OK
