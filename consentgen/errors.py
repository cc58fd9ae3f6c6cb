"""The exception hierarchy: every error a user can cause is a ConsentgenError."""

from __future__ import annotations

from dataclasses import dataclass


class ConsentgenError(Exception):
    """Base of all user-facing errors; ``message`` is shown to the user as is.

    ``exit_status`` is the CLI's exit status for the error (the README's table); it is the
    only place exit statuses are kept.
    """

    exit_status = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One problem in a data file: where (a dotted field path) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class DataFileError(ConsentgenError):
    """A data file (answers, clinic, roster, jurisdiction) is unreadable or invalid.

    The message has one ``FILE: field.path: message`` line per problem.
    """

    def __init__(self, filename: str, problems: list[Problem]) -> None:
        self.filename = filename
        self.problems = list(problems)
        super().__init__("\n".join(f"{filename}: {p}" for p in self.problems))


class UsageError(ConsentgenError):
    """Bad command-line options, or a command used where it cannot work (no terminal)."""

    exit_status = 2


class UnknownJurisdictionError(ConsentgenError):
    """A jurisdiction code that has no rules file."""


class TemplateError(ConsentgenError):
    """A template is missing, has a syntax error, or uses an undefined value."""

    exit_status = 4


class RenderError(ConsentgenError):
    """The PDF engine failed or tried to load a resource that is not allowed."""

    exit_status = 4


class OutputError(ConsentgenError):
    """The output file could not be written (folder missing, read-only, disk full, unknown format)."""

    exit_status = 3


class WizardAborted(ConsentgenError):
    """The user cancelled the wizard, or there is no terminal to ask on."""

    exit_status = 130


EXIT_OUTDATED = 5  # consentgen outdated: some forms rest on law that has changed (not an error)
EXIT_NOT_READY = 6  # consentgen doctor: this computer cannot render a form yet (it names what to install)
EXIT_NOT_AS_ISSUED = 7  # consentgen verify: a form's pages are not those issued, or a file cannot be checked
