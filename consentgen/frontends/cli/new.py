"""consentgen new: the wizard's questions, then the answers saved and the forms rendered."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from consentgen.errors import ConsentgenError, UsageError, WizardAborted
from consentgen.frontends.cli.common import (
    EXIT_OK,
    NOT_LEGAL_ADVICE,
    echo,
    err,
    form_output,
    languages_option,
    output_options,
    refuse_overwriting_input,
    render_options,
    review_warnings,
)
from consentgen.inputs.answers import read_practice, render_answers


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the parser."""
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


def cmd_new(args: argparse.Namespace) -> int:
    """consentgen new: the wizard, then save the answers and render."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("consentgen new needs an interactive terminal to ask its questions.\n"
                         "Without one, write an answers file (see the examples/ folder) and run:\n"
                         "  consentgen render ANSWERS.yaml -o consent-form.pdf")
    args.answers = args.answers or args.from_file or "consentgen.yaml"  # --from FILE saves back to FILE
    refuse_overwriting_input(args.output, args.answers, args.from_file)
    # -o DIR/ (or an existing folder): every edition as DIR/TYPE.pdf, as render does. Anything else must name a
    # form type we can write; both are checked before the first question, so no answer is asked for in vain.
    from consentgen.files.output import is_folder_target
    from consentgen.render.registry import format_for

    into_folder = is_folder_target(args.output)
    options = render_options(args, format="pdf")  # --document/--packet and --templates, checked before asking
    if not into_folder:
        from consentgen.pipeline import unbindable

        problem = unbindable(options.document, format_for(Path(args.output)), args.output)
        if problem:  # refused before the first question (plan_outputs refuses it again, as an output error)
            raise UsageError(problem)
    start = read_practice(args.from_file) if args.from_file else None
    # questionary loads only for the wizard
    from consentgen.frontends.wizard import ask_editions, ask_practice

    answers_path = Path(args.answers)
    echo("consentgen: a few questions about your practice. Press Ctrl-C at any time to cancel.")
    practice = ask_practice(start, echo=echo)
    if practice.form.date is None:  # saved, so the same answers re-render to the same form (and ID) later
        from dataclasses import replace

        practice = replace(practice, form=replace(practice.form, date=args.today))

    _confirm_replace(answers_path, args.force, form=False)
    from consentgen.documents.document import editions
    from consentgen.files.output import write_atomic

    # Render first so that a failure leaves no half-written form; the answers are kept whatever happens.
    from consentgen.pipeline import render

    output = Path(args.output)
    chosen = editions(practice, options.document, wanted=args.client_type)
    if len(chosen) > 1:
        chosen = list(ask_editions([e for e in chosen if e]))
    from consentgen.files.protect import check_replaceable, guard_for
    from consentgen.pipeline import languages_for, make_folder, plan_outputs

    wanted = languages_option(args)
    languages = languages_for(practice, wanted)
    if wanted:  # saved, so re-rendering the answers gives these forms again
        from dataclasses import replace

        practice = replace(practice, form=replace(practice.form, language=",".join(languages)))
    targets = []
    try:
        # several editions: FORM-TYPE.pdf beside the name given (or DIR/TYPE.pdf); languages: -es
        for target in plan_outputs(practice, output, options, into_folder=into_folder,
                                   chosen=chosen, languages=languages):
            path = target.path
            refuse_overwriting_input(str(path), args.answers, args.from_file)
            confirmed = _confirm_replace(path, args.force)  # the user's yes to this file stands for --force
            doc, rendered = render(practice, target.options, today=args.today)
            check_replaceable(path, args.force or confirmed, rendered.data)
            targets.append((path, doc, rendered.data, args.force or confirmed))
        if into_folder:
            make_folder(output)
        write_atomic(answers_path, render_answers(practice))
    except ConsentgenError:  # never lose the answers: keep them, say where, then report what went wrong
        kept = _keep_answers(practice, answers_path)
        err(f"Your answers are saved in {kept}. Fix the problem below, then run: consentgen render {kept} "
             "-o FORM.pdf")
        raise
    for path, _doc, data, forced in targets:
        write_atomic(path, data, guard_for(data, forced))
        echo(f"Wrote {path} ({len(data) // 1024 + 1} KB).")
    echo(f"Saved your answers to {answers_path}. Re-render any time with: consentgen render {answers_path} "
          + (f"-o {output}" if len(chosen) == 1 else "-o FOLDER/ (every edition) or --for TYPE -o FILE"))
    review_warnings([doc for _path, doc, _data, _forced in targets], err)
    echo(NOT_LEGAL_ADVICE)
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
