"""The command line: a thin layer over the library. The only module that prints or exits."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from consentgen.law import load as rules
from consentgen.inputs.answers import read_practice, render_answers
from consentgen.errors import ConsentgenError, OutputError, RenderError, TemplateError, WizardAborted
from consentgen.law.export import RULE_FIELDS, jurisdiction_json
from consentgen.version import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_OUTPUT, EXIT_RENDER, EXIT_CANCELLED = 0, 1, 2, 3, 4, 130
NOT_LEGAL_ADVICE = ("Reminder: consentgen is not legal advice. Review the form, and have it reviewed, "
                    "before you use it with clients.")


def _echo(text: str = "") -> None:
    print(text)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def _variant(args: argparse.Namespace) -> str | None:
    return "archival" if args.archival else "ua"


def _preload_pdf_engine(output: str) -> None:
    """Start importing WeasyPrint (about 0.5 s) in the background while the answers are checked."""
    if output.lower().endswith(".pdf"):
        import threading

        from consentgen.render.pdf import preload

        threading.Thread(target=preload, daemon=True).start()


def cmd_render(args: argparse.Namespace) -> int:
    """consentgen render ANSWERS -o FORM.pdf|FORM.html"""
    _preload_pdf_engine(args.output)
    practice = read_practice(args.answers)
    if args.date:
        from dataclasses import replace

        practice = replace(practice, form=replace(practice.form, date=args.date))
    from consentgen.pipeline import generate

    result = generate(practice, args.output, today=args.today, template_dir=args.templates,
                      variant=_variant(args), fields=not args.print_version)
    _echo(f"Wrote {result.path} ({result.size // 1024 + 1} KB; {result.form.jurisdiction.name} rules "
          f"verified {result.form.verified_on.isoformat()}; ID {result.form.fingerprint}).")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    """consentgen new: the wizard, then save the answers and render."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _err("consentgen new needs an interactive terminal to ask its questions.\n"
             "Without one, write an answers file (see the examples/ folder) and run:\n"
             "  consentgen render ANSWERS.yaml -o consent-form.pdf")
        return EXIT_USAGE
    start = read_practice(args.from_file) if args.from_file else None
    from consentgen.frontends.wizard import CANCELLED, ask_practice  # questionary loads only for the wizard

    answers_path = Path(args.answers)
    _echo("consentgen: a few questions about your practice. Press Ctrl-C at any time to cancel.")
    practice = ask_practice(start, echo=_echo)
    if answers_path.exists() and not args.force:
        import questionary

        try:
            overwrite = questionary.confirm(f"{answers_path} already exists. Replace it?", default=False).unsafe_ask()
        except (KeyboardInterrupt, EOFError):
            raise WizardAborted(CANCELLED) from None
        if not overwrite:
            raise WizardAborted(f"{CANCELLED} (keeping the existing {answers_path})")
    from consentgen.files.output import write_atomic

    # Render first so that a failure leaves neither a new answers file nor a half-written form.
    from consentgen.pipeline import make_form, output_format, render_document

    output = Path(args.output)
    form = make_form(practice, today=args.today)
    data = render_document(form, output_format(output), template_dir=args.templates, variant=_variant(args),
                           fields=not args.print_version)
    write_atomic(answers_path, render_answers(practice))
    write_atomic(output, data)
    _echo(f"Saved your answers to {answers_path}.")
    _echo(f"Wrote {output} ({len(data) // 1024 + 1} KB). Re-render any time with: "
          f"consentgen render {answers_path} -o {output}")
    _echo(NOT_LEGAL_ADVICE)
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    """consentgen batch CLINIC.yaml ROSTER.csv -o DIR [--jobs N]"""
    from consentgen.batch import run_batch

    bar = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if bar:
            filled = int(30 * done / max(total, 1))
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} forms")
            sys.stderr.flush()
            if done == total:
                sys.stderr.write("\n")

    if args.jobs is not None and args.jobs < 1:
        raise ConsentgenError("--jobs must be 1 or more")
    result = run_batch(args.clinic, args.roster, args.output, today=args.today, jobs=args.jobs,
                       template_dir=args.templates, variant=_variant(args), fields=not args.print_version,
                       progress=progress)
    for line in result.failed:
        _err(line)
    _echo(f"Wrote {len(result.written)} form(s) and manifest.csv / manifest.json to {args.output}"
          + (f"; {len(result.failed)} problem(s) in the roster." if result.failed else "."))
    return EXIT_INVALID if result.failed else EXIT_OK


def _print_rule(title: str, rule: dict[str, Any], j: rules.Jurisdiction, fields: tuple[str, ...]) -> None:
    _echo(f"\n{title}")
    for field in fields:
        value = rule.get(field)
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value) or "-"
        elif isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
        _echo(f"  {field.replace('_', ' ')}: {'-' if value is None else value}")
    for cite in rule.get("citations", []):
        _echo(f"  cite: {cite}")
    for sid in rule.get("sources", []):
        _echo(f"  source: {j.sources[sid]['label']} <{j.sources[sid]['url']}>")
    _echo(f"  verified on: {rule['verified_on'].isoformat()}")


def cmd_jurisdictions(args: argparse.Namespace) -> int:
    """consentgen jurisdictions [--json] | jurisdictions show CODE [--json]"""
    if args.action == "show":
        if not args.code:
            raise ConsentgenError("usage: consentgen jurisdictions show CODE")
        j = rules.load_jurisdiction(args.code)
        if args.json:
            _echo(json.dumps(jurisdiction_json(j), indent=2, ensure_ascii=False))
            return EXIT_OK
        d = j.data
        _echo(f"{j.code}  {j.name}  (rules verified {j.verified_on.isoformat()}, paper {j.paper})")
        for name, (title, fields) in RULE_FIELDS.items():
            _print_rule(title, d[name], j, fields)
        for item in d["other_disclosures"]:
            _print_rule(f"Also in {j.name}: {item['title']}", item, j, ())
        if d["boards"]:
            _echo("\nLicensing boards")
            for prof, board in d["boards"].items():
                _echo(f"  {prof}: {board['name']} <{board['url']}>")
        unknown = rules.unknowns(j)
        _echo(f"\nStill unknown: {', '.join(unknown) if unknown else 'nothing'}")
        return EXIT_OK
    if args.action is not None:
        raise ConsentgenError(f"unknown action '{args.action}'; use: consentgen jurisdictions show CODE")
    items = rules.list_jurisdictions()
    if args.json:
        _echo(json.dumps([jurisdiction_json(j) for j in items], indent=2, ensure_ascii=False))
        return EXIT_OK
    _echo(f"{'CODE':<7} {'NAME':<22} {'VERIFIED':<11} {'THREATS':<11} {'ELDER':<11} MINOR AGE")
    for j in items:
        d = j.data
        age = d["minors"]["consent_age"]
        shown = "parent only" if age is None else ("any age" if age == 0 else age)
        _echo(f"{j.code:<7} {j.name:<22} {j.verified_on.isoformat():<11} {d['duty_to_protect']['kind']:<11} "
              f"{d['elder_abuse_reporting']['kind']:<11} {shown}")
    _echo(f"\n{len(items)} jurisdictions. Details: consentgen jurisdictions show CODE")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """consentgen check ANSWERS | check --jurisdictions | check --templates DIR"""
    if not (args.answers or args.jurisdictions or args.templates):
        raise ConsentgenError("nothing to check: give an answers file, --jurisdictions or --templates DIR")
    status = EXIT_OK
    if args.jurisdictions:
        status = max(status, _check_jurisdictions())
    if args.templates:
        from consentgen.render.overrides import describe_overrides

        report, bad = describe_overrides(Path(args.templates))
        for line in report:
            _echo(line)
        if bad:
            status = max(status, EXIT_INVALID)
    if args.answers:
        practice = read_practice(args.answers)
        from consentgen.pipeline import make_form

        form = make_form(practice, today=args.today)
        _echo(f"{args.answers}: OK. {practice.clinician.name}, {form.jurisdiction.name} "
              f"(rules verified {form.verified_on.isoformat()}); sections: {', '.join(form.sections)}.")
        from consentgen.render.readability import form_grades

        grades = form_grades(form, template_dir=args.templates)
        worst = max(grades.values())
        _echo(f"Reading level (Flesch-Kincaid grade): whole form {grades['(whole form)']:.1f}; "
              f"hardest section {worst:.1f}.")
        for section, grade in grades.items():
            if grade > 8 and section != "(whole form)":
                _echo(f"  {section}: grade {grade:.1f} (above the grade 8 target)")
    return status


def _check_jurisdictions() -> int:
    problems = 0
    total_unknown = 0
    tally = {"primary": 0, "secondary": 0, "unknown": 0}
    for code in rules.catalogue():
        try:
            j = rules.load_jurisdiction(code)
        except ConsentgenError as exc:
            _err(exc.message)
            problems += 1
            continue
        unknown = rules.unknowns(j)
        total_unknown += len(unknown)
        ev = rules.evidence(j)
        for kind in ev.values():
            tally[kind] += 1
        secondary = [k for k, v in ev.items() if v == "secondary"]
        _echo(f"{code:<7} verified {j.verified_on.isoformat()}  unknown: {', '.join(unknown) if unknown else '-'}"
              + (f"  secondary only: {', '.join(secondary)}" if secondary else ""))
    _echo(f"\n{len(rules.catalogue())} jurisdictions checked: {problems} invalid, {total_unknown} unknown facts "
          "left to verify.")
    _echo(f"Rules resting on a primary source (statute, regulation or opinion text): {tally['primary']}; "
          f"on secondary sources only: {tally['secondary']}; unknown: {tally['unknown']}.")
    return EXIT_INVALID if problems else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="consentgen",
        description="Make a limits-of-confidentiality consent form for a therapy practice.",
        epilog="Run 'consentgen COMMAND --help' for a command's options. Not legal advice: review every form.",
    )
    parser.add_argument("--version", action="version", version=f"consentgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def form_output(p: argparse.ArgumentParser) -> None:
        p.add_argument("-o", "--output", default="consent-form.pdf", metavar="FORM",
                       help="the form to write, .pdf or .html (default: consent-form.pdf)")

    def output_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--templates", metavar="DIR", help="folder of template overrides (clinic branding)")
        p.add_argument("--print", dest="print_version", action="store_true",
                       help="signature lines instead of fillable PDF fields")
        p.add_argument("--archival", action="store_true", help="PDF/A-3u for long-term archiving")

    new = sub.add_parser("new", help="answer questions, save an answers file and render the form")
    new.add_argument("--answers", default="consentgen.yaml", metavar="FILE",
                     help="where to save the answers (default: consentgen.yaml)")
    form_output(new)
    new.add_argument("--from", dest="from_file", metavar="ANSWERS", help="start from an existing answers file")
    new.add_argument("--force", action="store_true", help="replace the answers file without asking")
    output_options(new)
    new.set_defaults(func=cmd_new)

    render = sub.add_parser("render", help="render the form from an answers file, without questions")
    render.add_argument("answers", metavar="ANSWERS", help="the answers file (YAML)")
    form_output(render)
    render.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="the form's date (overrides form.date)")
    output_options(render)
    render.set_defaults(func=cmd_render)

    batch = sub.add_parser("batch", help="clinic mode: one form per clinician in a roster (CSV)")
    batch.add_argument("clinic", metavar="CLINIC.yaml", help="answers file without clinician")
    batch.add_argument("roster", metavar="ROSTER.csv", help="one clinician per row")
    batch.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the forms and manifest")
    batch.add_argument("--jobs", type=int, metavar="N", help="parallel workers (default: number of cores)")
    output_options(batch)
    batch.set_defaults(func=cmd_batch)

    check = sub.add_parser("check", help="validate an answers file, the jurisdiction rules or a template folder")
    check.add_argument("answers", nargs="?", metavar="ANSWERS", help="an answers file to validate")
    check.add_argument("--jurisdictions", action="store_true",
                       help="validate every jurisdiction file and list facts still 'unknown'")
    check.add_argument("--templates", metavar="DIR", help="list which built-in templates a folder replaces")
    check.set_defaults(func=cmd_check)

    jur = sub.add_parser("jurisdictions", help="list known jurisdictions, or show one's rules")
    jur.add_argument("action", nargs="?", choices=["show"], help="'show' to print one jurisdiction's rules")
    jur.add_argument("code", nargs="?", help="a code such as US-CA (with 'show')")
    jur.add_argument("--json", action="store_true", help="machine-readable JSON")
    jur.set_defaults(func=cmd_jurisdictions)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status (also used by the console script)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    args.today = dt.date.today()
    try:
        return int(args.func(args))
    except WizardAborted as exc:
        _err(exc.message)
        return EXIT_CANCELLED
    except OutputError as exc:
        _err(f"Error: {exc.message}")
        return EXIT_OUTPUT
    except (RenderError, TemplateError) as exc:
        _err(f"Error: {exc.message}")
        return EXIT_RENDER
    except ConsentgenError as exc:
        _err(exc.message if "\n" in exc.message or ": " in exc.message else f"Error: {exc.message}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        _err("Cancelled; nothing was written.")
        return EXIT_CANCELLED


def run() -> None:
    """Entry point that exits with main()'s status."""
    sys.exit(main())
