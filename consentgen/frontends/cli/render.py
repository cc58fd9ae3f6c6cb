"""consentgen render ANSWERS -o FORM: the form from an answers file, without questions."""

from __future__ import annotations

import argparse

from consentgen.errors import UsageError
from consentgen.frontends.cli.common import (
    EXIT_OK,
    certifier,
    certify_options,
    echo,
    err,
    form_output,
    languages_option,
    output_options,
    parse_date,
    preload_pdf_engine,
    refuse_overwriting_input,
    render_options,
    review_warnings,
)
from consentgen.inputs.answers import read_practice
from consentgen.law.load import name_of


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the parser."""
    from consentgen.render.registry import FORMATS

    render = sub.add_parser("render", help="render the form from an answers file, without questions")
    render.add_argument("answers", metavar="ANSWERS", help="the answers file (YAML)")
    form_output(render)
    render.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="the form's date (overrides form.date)")
    render.add_argument("--force", action="store_true",
                        help="replace an existing PDF even if it was filled in, signed or not made by consentgen")
    render.add_argument("--for", dest="client_type", metavar="TYPE",
                        help="the edition: individual, couple_family, group or minor (needed when the "
                             "practice offers several and -o names a file)")
    render.add_argument("--format", default="pdf", choices=list(FORMATS),
                        help="the format of each edition when -o names a folder (default: pdf)")
    output_options(render)
    certify_options(render)
    render.set_defaults(func=cmd_render)


def cmd_render(args: argparse.Namespace) -> int:
    """consentgen render ANSWERS -o FORM.pdf|FORM.html"""
    refuse_overwriting_input(args.output, args.answers)
    preload_pdf_engine(args.output)
    practice = read_practice(args.answers)
    if args.date:
        from dataclasses import replace

        practice = replace(practice, form=replace(practice.form, date=args.date))
    from consentgen.files.output import is_folder_target
    from consentgen.pipeline import generate_editions, generate_languages

    options = render_options(args, client_type=args.client_type)
    languages = languages_option(args)
    pdf = args.format == "pdf" if is_folder_target(args.output) else str(args.output).lower().endswith(".pdf")
    if args.certify and not pdf:
        raise UsageError("--certify: only a PDF can be certified")
    finish = certifier(args)
    if finish is not None:  # the record says so, so a certification removed later is caught
        options = options.but(certified_by=finish.label)
    if is_folder_target(args.output):
        results = generate_editions(practice, args.output, options.but(format=args.format), today=args.today,
                                    force=args.force, languages=languages, finish=finish)
    else:
        results = generate_languages(practice, args.output, options, today=args.today, force=args.force,
                                     languages=languages, finish=finish)
    for result in results:
        echo(f"Wrote {result.path} ({result.size // 1024 + 1} KB; {name_of(result.form.law.code)} rules "
              f"{'verified' if result.form.all_verified else 'checked'} {result.form.verified_on.isoformat()}; "
              f"ID {result.fingerprint}).")
    review_warnings([result.form for result in results], err)
    return EXIT_OK
