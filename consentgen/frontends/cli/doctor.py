"""consentgen doctor: can this computer make a form? What to install if not."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from consentgen.errors import EXIT_NOT_READY
from consentgen.frontends.cli.common import EXIT_OK, echo


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the parser."""
    doctor = sub.add_parser("doctor", help="check that this computer can make forms, and say what to install")
    doctor.add_argument("-o", "--output", metavar="DIR", help="the folder you will write forms to (default: here)")
    doctor.add_argument("--json", action="store_true", help="machine-readable JSON")
    doctor.set_defaults(func=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    """Run every check; exit 0 only when a test render worked."""
    from consentgen.frontends.doctor import diagnose, report_lines

    findings = diagnose(Path(args.output) if args.output else None)
    ready = not any(f.needed for f in findings)
    if args.json:
        echo(json.dumps({"ready": ready, "checks": [asdict(f) for f in findings]}, indent=2, ensure_ascii=False))
    else:
        for line in report_lines(findings):
            echo(line)
    return EXIT_OK if ready else EXIT_NOT_READY
