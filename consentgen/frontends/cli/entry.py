"""The command line's entry: the parser made of each command's own options, and one place that turns every
error into a message and an exit status (the CLI is the only part of consentgen that prints or exits)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import os
import sys

from consentgen.errors import ConsentgenError, OutputError, UsageError, WizardAborted
from consentgen.frontends.cli import batch, check, doctor, info, new, render, verify
from consentgen.frontends.cli.common import EXIT_OK, err, limited_memory
from consentgen.version import __version__

# each adds its own subcommands, in the order --help lists them
COMMANDS = (new, render, batch, check, info, verify, doctor)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="consentgen",
        description="Make a limits-of-confidentiality consent form for a therapy practice.",
        epilog="Run 'consentgen COMMAND --help' for a command's options. Not legal advice: review every form.",
    )
    parser.add_argument("--version", action="version", version=f"consentgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


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
        err(_shown(exc))
        return exc.exit_status
    except KeyboardInterrupt:
        err(getattr(args, "cancel_message", None) or "Cancelled; nothing was written.")
        return WizardAborted.exit_status
    except BrokenPipeError:  # the reader stopped early (| head): not an error of ours
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:
        if exc.errno == errno.ENOSPC or _is_stdout(exc):
            _quiet_stdout()
            err(f"Error: could not write the output: {exc.strerror or exc}")
            return OutputError.exit_status
        err(f"Error: {exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}")
        return OutputError.exit_status
    except Exception as exc:  # a bug: say so plainly, without a traceback
        err(f"Error: consentgen failed unexpectedly ({type(exc).__name__}: {exc}). Please report this, with the "
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
