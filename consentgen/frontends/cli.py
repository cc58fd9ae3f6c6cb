"""The command line: a thin layer over the library. The only module that prints or exits."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from consentgen.errors import ConsentgenError, OutputError, UsageError, WizardAborted
from consentgen.frontends.schemas import KINDS as SCHEMA_KINDS
from consentgen.inputs.answers import read_practice, render_answers
from consentgen.law.load import name_of
from consentgen.model.options import RenderOptions, form_file_name
from consentgen.version import __version__

EXIT_OK, EXIT_INVALID = 0, 1  # every other status comes from the error raised (consentgen.errors)
NOT_LEGAL_ADVICE = ("Reminder: consentgen is not legal advice. Review the form, and have it reviewed, "
                    "before you use it with clients.")


_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def safe_text(text: str) -> str:
    """``text`` with control, escape and direction characters shown as \\xNN (never sent raw to a terminal)."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                            else f"\\u{ord(m.group()):04x}", text)


def _echo(text: str = "") -> None:
    print(safe_text(text))


def _err(text: str) -> None:
    print(safe_text(text), file=sys.stderr)


def _date(text: str) -> dt.date:
    """``--date``: exactly what an answers file accepts (YYYY-MM-DD, a real day, a year from 1900 to 2100)."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        day = dt.date.fromisoformat(text)
        if not 1900 <= day.year <= 2100:
            raise ValueError
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None
    return day


def _same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name the same file (or would, once created)."""
    try:
        return os.path.realpath(a) == os.path.realpath(b)
    except (OSError, ValueError):
        return False


def _refuse_overwriting_input(output: str, *inputs: str | None) -> None:
    for given in inputs:
        if given and _same_file(output, given):
            raise UsageError(f"-o {output} is the same file as the input {given}; choose another output name "
                             "(the input would be overwritten)")


def _options(args: argparse.Namespace, **more: object) -> RenderOptions:
    """The render options the command line gives."""
    if getattr(args, "templates", None) and not Path(args.templates).is_dir():
        raise UsageError(f"--templates {args.templates}: no such folder")
    from consentgen.files.assets import document_types

    if args.document not in document_types():
        raise UsageError(f"--document {args.document}: not a document type; choose one of: "
                         f"{', '.join(document_types())}")
    return RenderOptions(variant="archival" if args.archival else "ua", fields=not args.print_version,
                         templates=args.templates, document=args.document,
                         allow_english_texts=getattr(args, "allow_english_texts", False),
                         **more)  # type: ignore[arg-type]


def _languages(args: argparse.Namespace) -> tuple[str, ...] | None:
    """The --language option's languages (None when not given: the answers' form.language decides)."""
    from consentgen.model.options import parse_languages

    given = getattr(args, "language", None)
    if given is None:
        return None
    try:
        found = parse_languages(given)
    except ValueError as exc:
        raise UsageError(f"--language: {exc}") from None
    if not found:
        raise UsageError("--language: give a language: en, es, or both as en,es")
    return found


def _preload_pdf_engine(output: str) -> None:
    """Start importing WeasyPrint (about 0.5 s) in the background while the answers are checked."""
    if output.lower().endswith(".pdf"):
        import threading

        from consentgen.render.pdf import preload

        threading.Thread(target=preload, daemon=True).start()


def cmd_render(args: argparse.Namespace) -> int:
    """consentgen render ANSWERS -o FORM.pdf|FORM.html"""
    _refuse_overwriting_input(args.output, args.answers)
    _preload_pdf_engine(args.output)
    practice = read_practice(args.answers)
    if args.date:
        from dataclasses import replace

        practice = replace(practice, form=replace(practice.form, date=args.date))
    from consentgen.files.output import is_folder_target
    from consentgen.pipeline import generate_editions, generate_languages

    options = _options(args, client_type=args.client_type)
    languages = _languages(args)
    if is_folder_target(args.output):
        results = generate_editions(practice, args.output, options.but(format=args.format), today=args.today,
                                    force=args.force, languages=languages)
    else:
        results = generate_languages(practice, args.output, options, today=args.today, force=args.force,
                                     languages=languages)
    for result in results:
        _echo(f"Wrote {result.path} ({result.size // 1024 + 1} KB; {name_of(result.form.law.code)} rules "
              f"{'verified' if result.form.all_verified else 'checked'} {result.form.verified_on.isoformat()}; "
              f"ID {result.fingerprint}).")
    _review_warnings([result.form for result in results], _err)
    return EXIT_OK


def _review_warnings(docs: list[Any], show: Callable[[str], None]) -> None:
    """Show each rule the documents rest on that is unknown or needs review (once), and what the form says."""
    from consentgen.frontends.report import review_lines

    for line in review_lines(docs):
        show(line)


def cmd_new(args: argparse.Namespace) -> int:
    """consentgen new: the wizard, then save the answers and render."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("consentgen new needs an interactive terminal to ask its questions.\n"
                         "Without one, write an answers file (see the examples/ folder) and run:\n"
                         "  consentgen render ANSWERS.yaml -o consent-form.pdf")
    args.answers = args.answers or args.from_file or "consentgen.yaml"  # --from FILE saves back to FILE
    _refuse_overwriting_input(args.output, args.answers, args.from_file)
    # -o DIR/ (or an existing folder): every edition as DIR/TYPE.pdf, as render does. Anything else must name a
    # form type we can write; both are checked before the first question, so no answer is asked for in vain.
    from consentgen.files.output import is_folder_target
    from consentgen.render.registry import format_for

    into_folder = is_folder_target(args.output)
    if not into_folder:
        format_for(Path(args.output))
    start = read_practice(args.from_file) if args.from_file else None
    # questionary loads only for the wizard
    from consentgen.frontends.wizard import ask_editions, ask_practice

    answers_path = Path(args.answers)
    _echo("consentgen: a few questions about your practice. Press Ctrl-C at any time to cancel.")
    practice = ask_practice(start, echo=_echo)
    if practice.form.date is None:  # saved, so the same answers re-render to the same form (and ID) later
        from dataclasses import replace

        practice = replace(practice, form=replace(practice.form, date=args.today))

    _confirm_replace(answers_path, args.force, form=False)
    from consentgen.documents.document import editions
    from consentgen.files.output import write_atomic

    # Render first so that a failure leaves no half-written form; the answers are kept whatever happens.
    from consentgen.pipeline import render

    output = Path(args.output)
    chosen = editions(practice, args.document, wanted=args.client_type)

    def form_path(edition: str | None) -> Path:
        if into_folder:
            return output / form_file_name(edition, args.document, "en", "pdf")
        return output if len(chosen) == 1 else output.with_name(f"{output.stem}-{edition}{output.suffix}")

    if len(chosen) > 1:
        chosen = list(ask_editions([e for e in chosen if e]))
    from consentgen.files.protect import check_replaceable, guard_for
    from consentgen.pipeline import language_path, languages_for

    wanted = _languages(args)
    languages = languages_for(practice, wanted)
    if wanted:  # saved, so re-rendering the answers gives these forms again
        from dataclasses import replace

        practice = replace(practice, form=replace(practice.form, language=",".join(languages)))
    targets = []
    try:
        for language in languages:
            for edition in chosen:  # several editions: FORM-TYPE.pdf beside the name given; languages: -es
                path = form_path(edition)
                path = path if len(languages) == 1 else language_path(path, language)
                _refuse_overwriting_input(str(path), args.answers, args.from_file)
                confirmed = _confirm_replace(path, args.force)  # the user's yes to this file stands for --force
                doc, rendered = render(practice, _options(args, format=format_for(path), client_type=edition,
                                                          language=language), today=args.today)
                check_replaceable(path, args.force or confirmed, rendered.data)
                targets.append((path, doc, rendered.data, args.force or confirmed))
        if into_folder:
            try:
                output.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(f"{output}: cannot create the folder ({exc.strerror or exc})") from None
        write_atomic(answers_path, render_answers(practice))
    except ConsentgenError:  # never lose the answers: keep them, say where, then report what went wrong
        kept = _keep_answers(practice, answers_path)
        _err(f"Your answers are saved in {kept}. Fix the problem below, then run: consentgen render {kept} "
             "-o FORM.pdf")
        raise
    for path, _doc, data, forced in targets:
        write_atomic(path, data, guard_for(data, forced))
        _echo(f"Wrote {path} ({len(data) // 1024 + 1} KB).")
    _echo(f"Saved your answers to {answers_path}. Re-render any time with: consentgen render {answers_path} "
          + (f"-o {output}" if len(chosen) == 1 else "-o FOLDER/ (every edition) or --for TYPE -o FILE"))
    _review_warnings([doc for _path, doc, _data, _forced in targets], _err)
    _echo(NOT_LEGAL_ADVICE)
    return EXIT_OK


def _confirm_replace(path: Path, force: bool, form: bool = True) -> bool:
    """Ask before replacing ``path``; True when the user said yes (or --force); a form names a client's copy."""
    if not path.exists() or force:
        return force
    import questionary

    from consentgen.files.protect import protected_reason
    from consentgen.frontends.wizard import CANCELLED

    reason = protected_reason(path) if form else None
    question = (f"{path} already exists and may be a client's copy: it {reason}. Replace it anyway?" if reason
                else f"{path} already exists. Replace it?")
    try:
        overwrite = questionary.confirm(question, default=False).unsafe_ask()
    except (KeyboardInterrupt, EOFError):
        raise WizardAborted(CANCELLED) from None
    if not overwrite:
        raise WizardAborted(f"{CANCELLED} (keeping the existing {path})")
    return True


def _keep_answers(practice: Any, answers_path: Path) -> Path:
    """Save the wizard's answers somewhere new when the run failed: beside the chosen file, never over one."""
    from consentgen.files.output import write_atomic

    text = render_answers(practice)
    for n in range(1, 1000):
        path = answers_path if n == 1 and not answers_path.exists() else \
            answers_path.with_name(f"{answers_path.stem}-unsaved-{n}{answers_path.suffix or '.yaml'}")
        if not path.exists():
            try:
                write_atomic(path, text)
                return path
            except ConsentgenError:
                break
    fallback = Path.home() / f"consentgen-unsaved-{os.getpid()}.yaml"
    write_atomic(fallback, text)
    return fallback


def cmd_batch(args: argparse.Namespace) -> int:
    """consentgen batch CLINIC.yaml ROSTER.csv -o DIR [--jobs N] [--dry-run]"""
    from consentgen.batch import dry_run_lines, plan_batch, run_batch

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    if args.dry_run:
        for line in dry_run_lines(plan_batch(args.clinic, args.roster, args.output, _options(args), today=args.today,
                                             languages=_languages(args))):
            _echo(line)
        return EXIT_OK
    bar = sys.stderr.isatty()

    def progress(written: int, failed: int, total: int) -> None:
        if bar:
            filled = int(30 * (written + failed) / max(total, 1))
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {written} written, {failed} failed, "
                             f"of {total} clinicians")
            sys.stderr.flush()
            if written + failed == total:
                sys.stderr.write("\n")

    result = run_batch(args.clinic, args.roster, args.output, _options(args), today=args.today, jobs=args.jobs,
                       progress=progress, force=args.force, languages=_languages(args))
    for line in result.failed + result.notices:
        _err(line)
    clinicians = len({item["row"] for item in result.written})
    _echo(f"Wrote {len(result.written)} form(s) for {clinicians} clinician(s) and manifest.csv / manifest.json "
          f"to {args.output}" + (f"; replaced {len(result.replaced)} earlier form(s)" if result.replaced else "")
          + (f"; moved {len(result.superseded)} form(s) this run no longer makes (a clinician, edition or language "
             f"no longer in it) to {args.output}/superseded/"
             if result.superseded else "")
          + (f"; kept {len(result.kept)} earlier form(s) in place (listed in the manifest as not refreshed or kept)"
             if result.kept else "")
          + (f"; {len(result.failures)} row(s) with problems (listed in the manifest)." if result.failures else "."))
    return EXIT_INVALID if result.failures else EXIT_OK


def cmd_jurisdictions(args: argparse.Namespace) -> int:
    """consentgen jurisdictions [--json] | jurisdictions show CODE [--json]"""
    from consentgen.frontends import report
    from consentgen.law import load
    from consentgen.law.schema import FEDERAL_CODE

    if args.action == "show":
        if load.normalize_code(args.code) == FEDERAL_CODE:
            raise UsageError("US is the federal layer every state shares, not a state; show a state code such as "
                             "US-CA (the federal rules appear in each state's 'Laws behind this form')")
        j = load.load_jurisdiction(args.code)
        if args.json:
            from consentgen.law.export import jurisdiction_json

            _echo(json.dumps(jurisdiction_json(j), indent=2, ensure_ascii=False))
        else:
            for line in report.show_lines(j, notes=args.notes):
                _echo(line)
        return EXIT_OK
    items = load.list_jurisdictions()
    if args.json:
        from consentgen.law.export import jurisdiction_json

        _echo(json.dumps([jurisdiction_json(j) for j in items], indent=2, ensure_ascii=False))
        return EXIT_OK
    for line in report.table_lines(items):
        _echo(line)
    return EXIT_OK


def cmd_outdated(args: argparse.Namespace) -> int:
    """consentgen outdated MANIFEST.json|FORM.pdf [--json]: forms whose law changed since they were made."""
    from consentgen.errors import EXIT_OUTDATED
    from consentgen.outdated import check_outdated, outdated_json

    statuses = check_outdated(args.file)
    if args.json:
        _echo(json.dumps(outdated_json(statuses), indent=2, ensure_ascii=False))
    else:
        for status in statuses:
            if status.outdated:
                _echo(f"OUTDATED  {status.form} (made {status.record.get('form_date')} with consentgen "
                      f"{status.record.get('consentgen')})")
                for change in status.changes:
                    _echo(f"  {change.summary()}")
            else:
                _echo(f"current   {status.form}")
        stale = sum(s.outdated for s in statuses)
        _echo(f"{stale} of {len(statuses)} form(s) rest on law that changed since they were made."
              + (" Re-render them and review the changes before clients sign." if stale else ""))
    return EXIT_OUTDATED if any(s.outdated for s in statuses) else EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """consentgen serve: the local web page."""
    try:
        from consentgen.frontends.web import serve
    except ImportError:
        raise UsageError("the web page needs the web extra: pip install 'consentgen[web]' (./dev installs it)") \
            from None
    serve(args.host, args.port, answers=args.answers, open_browser=not args.no_browser,
          allow_remote=args.allow_remote, echo=_echo)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """consentgen schema answers|clinic|jurisdiction: print a JSON Schema (draft 2020-12)."""
    from consentgen.frontends.schemas import file_schema

    _echo(json.dumps(file_schema(args.kind), indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """consentgen check ANSWERS | check --jurisdictions | check --templates DIR"""
    if not (args.answers or args.jurisdictions or args.templates):
        raise UsageError("nothing to check: give an answers file, --jurisdictions or --templates DIR")
    status = EXIT_OK
    if args.jurisdictions:
        from consentgen.frontends.report import review_report

        lines, errors, invalid = review_report()
        for line in errors:
            _err(line)
        for line in lines:
            _echo(line)
        status = max(status, EXIT_INVALID if invalid else EXIT_OK)
    if args.templates:
        from consentgen.checks.overrides import describe_overrides

        report, bad = describe_overrides(Path(args.templates))
        for line in report:
            _echo(line)
        if bad:
            status = max(status, EXIT_INVALID)
    if args.answers and args.answers.lower().endswith(".csv") and not args.roster:
        raise UsageError(f"{args.answers} looks like a roster; check it with its clinic file: "
                         f"consentgen check CLINIC.yaml {args.answers}")
    if args.answers and (args.roster or _is_clinic_file(args.answers)):
        return max(status, _check_clinic(args))
    if args.answers:
        practice = read_practice(args.answers)
        from consentgen.documents.document import editions
        from consentgen.frontends.report import reading_lines
        from consentgen.model.options import LANGUAGE_NAMES, RenderOptions
        from consentgen.pipeline import languages_for, make_document

        languages = languages_for(practice, _languages(args))
        for edition in editions(practice):
            docs = []
            for language in languages:
                options = RenderOptions(format="html", fields=False, client_type=edition, language=language,
                                        templates=args.templates)
                form = make_document(practice, options, today=args.today)
                docs.append(form)
                label = f" ({edition} edition)" if edition else ""
                label += f" ({LANGUAGE_NAMES[language]})" if languages != ("en",) else ""
                _echo(f"{args.answers}: OK{label}. {practice.clinician.name}, {name_of(form.law.code)} "
                      f"(rules checked {form.verified_on.isoformat()}); sections: {', '.join(form.sections)}.")
                for line in reading_lines(form, options):  # advice to the author, not an error
                    _echo(line)
            _review_warnings(docs, _echo)
    return status


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
        _echo(f"{args.answers}: OK (a clinic file). Check it with its roster: consentgen check {args.answers} "
              "ROSTER.csv")
        return EXIT_OK
    from consentgen.batch import plan_batch

    plan = plan_batch(args.answers, args.roster, Path("."), RenderOptions(), today=args.today,  # the consent form
                      languages=_languages(args))
    for failure in plan.failures:
        for line in failure["lines"]:
            _err(line)
    _echo(f"{args.answers} and {args.roster}: {len(plan.jobs)} clinician(s) ready, {len(plan.files())} form(s) "
          f"to make; {len(plan.failures)} row(s) with problems. Nothing was rendered.")
    return EXIT_INVALID if plan.failures else EXIT_OK


def _language_help() -> str:
    """--language's help, from the language registry."""
    from consentgen.model.languages import REGISTRY, SOURCE_LANGUAGE

    names = ", ".join(f"{code} ({lang.english_name})" for code, lang in REGISTRY.items())
    other = next((lang for code, lang in REGISTRY.items() if code != SOURCE_LANGUAGE), None)
    named = f"; a file in another language is named NAME{other.suffix}.pdf" if other else ""
    return (f"the client's language: {names}, or several as {','.join(REGISTRY)} (default: the answers' "
            f"form.language, else {SOURCE_LANGUAGE}){named}")


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
                       help="the form to write, .pdf or .html, or a folder (DIR/) for every edition "
                            "(default: consent-form.pdf)")

    def output_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--templates", metavar="DIR", help="folder of template overrides (clinic branding)")
        p.add_argument("--print", dest="print_version", action="store_true",
                       help="signature lines instead of fillable PDF fields")
        p.add_argument("--archival", action="store_true", help="PDF/A-3u for long-term archiving")
        p.add_argument("--language", metavar="LANG[,LANG]", help=_language_help())
        p.add_argument("--allow-english-texts", action="store_true",
                       help="let a form in another language print your own texts that have no translation "
                            "(fees, education...) as written, marked as English; without it such a form is refused")
        p.add_argument("--document", default="consent", metavar="TYPE",
                       help="the document: consent (the default) or release (a release of information)")

    new = sub.add_parser("new", help="answer questions, save an answers file and render the form")
    new.add_argument("--answers", metavar="FILE",
                     help="where to save the answers (default: the --from file, else consentgen.yaml)")
    form_output(new)
    new.add_argument("--from", dest="from_file", metavar="ANSWERS", help="start from an existing answers file")
    new.add_argument("--force", action="store_true",
                     help="replace the answers file and forms without asking (even a filled-in or signed PDF)")
    new.add_argument("--for", dest="client_type", metavar="TYPE",
                     help="make only this edition (default: ask, with every offered edition ticked)")
    output_options(new)
    new.set_defaults(func=cmd_new)

    render = sub.add_parser("render", help="render the form from an answers file, without questions")
    render.add_argument("answers", metavar="ANSWERS", help="the answers file (YAML)")
    form_output(render)
    render.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="the form's date (overrides form.date)")
    render.add_argument("--force", action="store_true",
                        help="replace an existing PDF even if it was filled in, signed or not made by consentgen")
    render.add_argument("--for", dest="client_type", metavar="TYPE",
                        help="the edition: individual, couple_family, group or minor (needed when the "
                             "practice offers several and -o names a file)")
    render.add_argument("--format", default="pdf", choices=["pdf", "html"],
                        help="the format of each edition when -o names a folder (default: pdf)")
    output_options(render)
    render.set_defaults(func=cmd_render)

    batch = sub.add_parser("batch", help="clinic mode: one form per clinician in a roster (CSV)")
    batch.add_argument("clinic", metavar="CLINIC.yaml", help="answers file without clinician")
    batch.add_argument("roster", metavar="ROSTER.csv", help="one clinician per row")
    batch.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the forms and manifest")
    batch.add_argument("--jobs", type=int, metavar="N", help="parallel workers (default: number of cores)")
    batch.add_argument("--force", action="store_true",
                       help="replace existing PDFs even if they were filled in, signed or not made by consentgen")
    batch.add_argument("--dry-run", action="store_true",
                       help="check everything and print what would be written, replaced and set aside")
    output_options(batch)
    batch.set_defaults(func=cmd_batch)

    check = sub.add_parser("check", help="validate an answers file, the jurisdiction rules or a template folder")
    check.add_argument("answers", nargs="?", metavar="ANSWERS", help="an answers file (or a clinic file) to validate")
    check.add_argument("roster", nargs="?", metavar="ROSTER.csv",
                       help="with a clinic file: its roster, checked row by row without rendering")
    check.add_argument("--jurisdictions", action="store_true",
                       help="validate every jurisdiction file and list facts still 'unknown'")
    check.add_argument("--templates", metavar="DIR", help="list which built-in templates a folder replaces")
    check.add_argument("--language", metavar="LANG[,LANG]",
                       help="check the form in these languages (default: the answers' form.language, else en)")
    check.set_defaults(func=cmd_check)

    jur = sub.add_parser("jurisdictions", help="list known jurisdictions, or show one's rules")
    jur.add_argument("--json", action="store_true", help="machine-readable JSON")
    jur.set_defaults(func=cmd_jurisdictions, action=None)
    jur_sub = jur.add_subparsers(dest="action", metavar="ACTION")
    show = jur_sub.add_parser("show", help="print one jurisdiction's rules, citations and sources")
    show.add_argument("code", metavar="CODE", help="a code such as US-CA (or CA)")
    show.add_argument("--json", action="store_true", help="machine-readable JSON")
    show.add_argument("--notes", action="store_true", help="also print the maintainers' research notes of each rule")
    show.set_defaults(func=cmd_jurisdictions)

    outdated = sub.add_parser("outdated", help="list forms whose law changed since they were made")
    outdated.add_argument("file", metavar="MANIFEST.json|FORM.pdf", help="a batch manifest or a form made by render")
    outdated.add_argument("--json", action="store_true", help="machine-readable JSON")
    outdated.set_defaults(func=cmd_outdated)

    serve = sub.add_parser("serve", help="the same questions as a web page on this computer, with a live preview")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this computer)")
    serve.add_argument("--no-browser", action="store_true", help="do not open the page in the browser")
    serve.add_argument("--answers", metavar="FILE", help="start from an existing answers file")
    serve.add_argument("--allow-remote", action="store_true",
                       help="allow a --host other computers can reach (the page then warns)")
    serve.set_defaults(func=cmd_serve)

    schema = sub.add_parser("schema", help="print the JSON Schema of a file type (for editors and other tools)")
    schema.add_argument("kind", choices=SCHEMA_KINDS, help="the file type")
    schema.set_defaults(func=cmd_schema)
    return parser


MEMORY_LIMIT = 4 << 30  # bytes of address space a render may use (a form takes about 0.5 GB)


@contextlib.contextmanager
def limited_memory() -> Any:
    """Cap the address space while a command runs, so a template or logo that grows without end ends in
    MemoryError (a clear error, exit status 4) instead of taking the computer's memory. Batch workers started
    meanwhile inherit the cap; the soft limit is restored afterwards (the hard one is never touched)."""
    previous = None
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
        if soft == resource.RLIM_INFINITY or soft > wanted:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
            previous = (soft, hard)
    try:
        yield
    finally:
        if previous is not None:
            with contextlib.suppress(ValueError, OSError):
                import resource

                resource.setrlimit(resource.RLIMIT_AS, previous)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status (also used by the console script)."""
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a name gets \u escapes, not a crash
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return UsageError.exit_status
    args.today = dt.date.today()
    limit = limited_memory() if args.command in ("render", "new", "batch", "serve", "check") \
        else contextlib.nullcontext()
    try:
        with limit:
            status = int(args.func(args))
        sys.stdout.flush()
        return status
    except ConsentgenError as exc:
        _err(_shown(exc))
        return exc.exit_status
    except KeyboardInterrupt:
        _err(getattr(args, "cancel_message", None) or "Cancelled; nothing was written.")
        return WizardAborted.exit_status
    except BrokenPipeError:  # the reader stopped early (| head): not an error of ours
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:
        if exc.errno == errno.ENOSPC or _is_stdout(exc):
            _quiet_stdout()
            _err(f"Error: could not write the output: {exc.strerror or exc}")
            return OutputError.exit_status
        _err(f"Error: {exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}")
        return OutputError.exit_status
    except Exception as exc:  # a bug: say so plainly, without a traceback
        _err(f"Error: consentgen failed unexpectedly ({type(exc).__name__}: {exc}). Please report this, with the "
             "command you ran. Nothing was written.")
        return 1


def _is_stdout(exc: OSError) -> bool:
    return exc.filename is None and exc.errno in (errno.EPIPE, errno.EIO, errno.ENOSPC)


def _quiet_stdout() -> None:
    """After a closed or full standard output, stop Python's exit-time flush from complaining."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _shown(exc: ConsentgenError) -> str:
    """How an error is printed: a ``FILE: field: message`` line as is, anything else after "Error: "."""
    if isinstance(exc, WizardAborted):
        return exc.message
    if exc.exit_status in (1, 2) and ("\n" in exc.message or ": " in exc.message):
        return exc.message
    return f"Error: {exc.message}"


def run() -> None:
    """Entry point that exits with main()'s status."""
    sys.exit(main())
