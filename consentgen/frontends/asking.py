"""Running the questions: the review loop a prompter drives (the terminal wizard, a test's script) and the
web page's all-at-once check. Every path ends in ``inputs.answers.parse_practice``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from consentgen.errors import WizardAborted
from consentgen.frontends.questions import (
    BY_KEY,
    CANCELLED,
    QUESTIONS,
    Question,
    check_jurisdiction,
    flatten,
    resolve_jurisdiction,
    text_check,
    to_mapping,
)
from consentgen.inputs import answers as ans
from consentgen.law import load as rules
from consentgen.model.practice import Practice


def _display(question: Question, value: Any) -> str:
    if value in (None, "", ()):
        return "(none)"
    if question.kind == "confirm":
        return "yes" if value else "no"
    if question.kind == "checkbox":
        labels = dict(question.choices)
        return ", ".join(labels[v] for v in value)
    if question.kind == "select":
        return dict(question.choices).get(value, str(value))
    if question.key == "jurisdiction":
        return f"{value} ({rules.catalogue().get(value, '?')})"
    return str(value)


def _active(flat: dict[str, Any]) -> list[Question]:
    return [q for q in QUESTIONS if q.when is None or q.when(flat)]


def summary_lines(flat: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, 'question: answer') pairs for every question that applies."""
    return [(q.key, f"{q.label or q.key}: {_display(q, flat.get(q.key))}") for q in _active(flat)]


class Prompter(Protocol):
    """What a front end must offer to run the questions: the terminal wizard's questionary prompter, a test's
    scripted one. (The web page asks the same questions its own way, through ``check_answers``.)"""

    def ask(self, question: Question, current: Any) -> Any:
        """Ask one question, starting from ``current``; return the answer (raise WizardAborted to stop)."""

    def review(self, summary: list[tuple[str, str]]) -> str:
        """Show the answers; return 'save', 'cancel' or the key of the question to change."""


class EditionPrompter(Prompter, Protocol):
    """A prompter that can also ask which of the offered editions to make."""

    def editions(self, offered: list[str]) -> list[str]:
        """The editions to make now, from those offered."""


def run_questions(start: Practice | None, prompter: Prompter, *, echo: Callable[[str], None] = print) -> Practice:
    """Run the wizard and return a validated Practice.

    Args:
        start: answers to start from (``consentgen new --from``); their values become defaults.
        prompter: an object with ``ask(question, current)`` and ``review(summary)``.
        echo: where the summary is printed.

    Raises:
        WizardAborted: the user pressed Ctrl-C or Ctrl-D, or chose Cancel.
    """
    flat: dict[str, Any] = flatten(start) if start else {}
    for question in QUESTIONS:
        flat.setdefault(question.key, question.default)
    asked: set[str] = set()

    def ask_missing() -> None:
        for question in QUESTIONS:  # conditions are checked as earlier answers arrive
            if question.key not in asked and (question.when is None or question.when(flat)):
                current = flat.get(question.key)
                if current is None and question.suggest is not None:
                    current = question.suggest(flat)
                flat[question.key] = prompter.ask(question, current)
                asked.add(question.key)

    if start is not None:  # next year's update: go straight to the summary; change only what changed
        asked.update(q.key for q in _active(flat))
    ask_missing()
    while True:
        choice = prompter.review(summary_lines(flat))
        if choice == "cancel":
            raise WizardAborted(CANCELLED)
        if choice == "save":
            try:
                return ans.parse_practice(to_mapping(flat), "answers")
            except Exception as exc:  # a value the per-question checks let through
                echo(f"\nPlease fix: {getattr(exc, 'message', exc)}")
                continue
        question = BY_KEY[choice]
        flat[choice] = prompter.ask(question, flat.get(choice))
        ask_missing()


def active_keys(flat: dict[str, Any]) -> list[str]:
    """The keys of the questions that apply to these answers, in order (for front ends that show them all)."""
    return [q.key for q in _active(flat)]


def check_answers(flat: dict[str, Any]) -> tuple[dict[str, str], Practice | None]:
    """Check every answer that applies, as the wizard does; return (errors by question key, the practice).

    The practice is None while any answer has an error.
    """
    errors: dict[str, str] = {}
    # A choice not given at all takes the question's default, as in the wizard (a new question,
    # such as the form language, must not break a front end or a saved page that does not send it).
    flat = {**{q.key: q.default for q in QUESTIONS
               if q.kind == "select" and q.default is not None and flat.get(q.key) is None},
            **{k: v for k, v in flat.items() if v is not None}}
    for question in _active(flat):
        value = flat.get(question.key)
        if question.kind in ("text", "autocomplete"):
            text = "" if value is None else str(value)
            check = check_jurisdiction if question.kind == "autocomplete" else question.check
            result = text_check(question.required, check)(text)
            if result is not True:
                errors[question.key] = str(result)
        elif question.kind == "select" and value not in dict(question.choices):
            errors[question.key] = "Choose one of the options."
        elif question.kind == "checkbox" and not value:
            errors[question.key] = "Choose at least one."
    if errors:
        return errors, None
    mapping = dict(flat)
    if mapping.get("jurisdiction"):
        mapping["jurisdiction"] = resolve_jurisdiction(str(mapping["jurisdiction"]))
    try:
        return {}, ans.parse_practice(to_mapping(mapping), "answers")
    except Exception as exc:  # a value the per-question checks let through: show it on its field
        for problem in getattr(exc, "problems", []):
            key = next((q.key for q in QUESTIONS if problem.path == q.key or problem.path.startswith(q.key + ".")),
                       "practice.name")
            errors.setdefault(key, problem.message)
        return errors or {"practice.name": str(exc)}, None
