"""consentgen verify FILE.pdf...: is a returned form still the one issued, who signed it and how, and is its law
still current."""

from __future__ import annotations

import argparse
import json

from consentgen.frontends.cli.common import EXIT_OK, echo, err


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the parser."""
    verify = sub.add_parser("verify", help="check returned PDFs: unchanged pages, who signed and how, current law")
    verify.add_argument("files", nargs="+", metavar="FORM.pdf", help="PDFs made by consentgen, as clients return them")
    verify.add_argument("--json", action="store_true", help="machine-readable JSON")
    verify.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    """consentgen verify FORM.pdf... [--json]"""
    from consentgen.errors import EXIT_NOT_AS_ISSUED
    from consentgen.verify import verdict_lines, verify_files, verify_json

    verdicts, problems = verify_files(args.files)
    for line in problems:
        err(line)
    if args.json:
        echo(json.dumps([verify_json(v) for v in verdicts], indent=2, ensure_ascii=False))
    else:
        for v in verdicts:
            for line in verdict_lines(v):
                echo(line)
    return EXIT_NOT_AS_ISSUED if problems or any(not v.ok for v in verdicts) else EXIT_OK
