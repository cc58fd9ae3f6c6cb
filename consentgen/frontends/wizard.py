"""The terminal wizard: asks the shared questions (``frontends.questions``) with questionary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from consentgen.errors import WizardAborted
from consentgen.frontends import asking
from consentgen.frontends.asking import run_questions
from consentgen.frontends.questions import (
    CANCELLED,
    EDITION_LABELS,
    Question,
    jurisdiction_choices,
    resolve_jurisdiction,
    text_check,
)
from consentgen.model.practice import SERVICES, Practice

__all__ = ["CANCELLED", "EDITION_LABELS", "Prompter", "ask_editions", "ask_practice"]


class Prompter:
    """The terminal's prompter (a ``asking.EditionPrompter``): asks one question with questionary;
    Ctrl-C and Ctrl-D raise WizardAborted."""

    def __init__(self, **prompt_kwargs: Any) -> None:
        self.kwargs = prompt_kwargs

    def ask(self, question: Question, current: Any) -> Any:
        """Ask ``question`` with ``current`` as the default; return the cleaned answer."""
        import questionary  # imported here: the CLI's other commands never need it

        kw = dict(self.kwargs)
        try:
            if question.kind == "select":
                choices = [questionary.Choice(title=label, value=value) for value, label in question.choices]
                default = current if current in dict(question.choices) else None
                result = questionary.select(question.message, choices=choices, default=default, **kw).unsafe_ask()
            elif question.kind == "confirm":
                # "y" waits for Enter, so the Enter after it does not fall through to the next question
                result = questionary.confirm(question.message, default=bool(current), auto_enter=False,
                                             **kw).unsafe_ask()
            elif question.kind == "checkbox":
                chosen = set(current or ())
                choices = [questionary.Choice(title=label, value=value, checked=value in chosen)
                           for value, label in question.choices]
                result = questionary.checkbox(
                    question.message, choices=choices, instruction=question.instruction,
                    validate=lambda v: True if v else "Choose at least one service.", **kw,
                ).unsafe_ask()
                result = tuple(name for name in SERVICES if name in result)
            elif question.kind == "autocomplete":
                menu = jurisdiction_choices()
                result = questionary.autocomplete(
                    question.message, choices=[label for _, label in menu], default=str(current or ""),
                    ignore_case=True, match_middle=True, validate=text_check(True, question.check),
                    validate_while_typing=False, **kw,
                ).unsafe_ask()
                result = resolve_jurisdiction(result)
            else:
                result = questionary.text(
                    question.message, default=str(current or ""),
                    validate=text_check(question.required, question.check), **kw,
                ).unsafe_ask()
                result = result.strip() or None
        except (KeyboardInterrupt, EOFError):
            raise WizardAborted(CANCELLED) from None
        return result

    def editions(self, offered: list[str]) -> list[str]:
        """Ask which editions of the form to make; every offered one is ticked to begin with."""
        import questionary

        choices = [questionary.Choice(title=EDITION_LABELS.get(name, name), value=name, checked=True)
                   for name in offered]
        try:
            result: list[str] = questionary.checkbox(
                "Which editions of the form should I make?",
                choices=choices, instruction="(space to untick, enter to go on)",
                validate=lambda v: True if v else "Choose at least one edition.", **self.kwargs,
            ).unsafe_ask()
        except (KeyboardInterrupt, EOFError):
            raise WizardAborted(CANCELLED) from None
        return [name for name in offered if name in result]

    def review(self, summary: list[tuple[str, str]]) -> str:
        """Show the summary menu; return 'save', 'cancel' or the key of an answer to change."""
        import questionary

        choices = [questionary.Choice(title="Looks right: save and render", value="save")]
        choices += [questionary.Choice(title=f"Change {label}", value=key) for key, label in summary]
        choices.append(questionary.Choice(title="Cancel without saving", value="cancel"))
        try:
            result: str = questionary.select("Review your answers. What next?", choices=choices,
                                             **self.kwargs).unsafe_ask()
        except (KeyboardInterrupt, EOFError):
            raise WizardAborted(CANCELLED) from None
        return result




def ask_editions(offered: list[str], *, prompter: asking.EditionPrompter | None = None) -> list[str]:
    """Which of the offered editions to make now (all are ticked to begin with)."""
    return list((prompter or Prompter()).editions(offered))


def ask_practice(start: Practice | None = None, *, prompter: asking.Prompter | None = None,
                 echo: Callable[[str], None] = print) -> Practice:
    """Run the questions in the terminal and return a validated Practice.

    Args:
        start: answers to start from (``consentgen new --from``); their values become defaults.
        prompter: an object with ``ask(question, current)`` and ``review(summary)`` (default: questionary).
        echo: where the summary is printed.

    Raises:
        WizardAborted: the user pressed Ctrl-C or Ctrl-D, or chose Cancel.
    """
    return run_questions(start, prompter or Prompter(), echo=echo)
