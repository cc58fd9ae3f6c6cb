"""The commands that show, not make: jurisdictions, outdated, schema, and serve (the local web page)."""

from __future__ import annotations

import argparse
import json

from consentgen.errors import UsageError
from consentgen.frontends.cli.common import EXIT_OK, echo
from consentgen.frontends.schemas import KINDS as SCHEMA_KINDS


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the commands to the parser."""
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
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one and says which)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this computer)")
    serve.add_argument("--no-browser", action="store_true", help="do not open the page in the browser")
    serve.add_argument("--answers", metavar="FILE", help="start from an existing answers file")
    serve.add_argument("--allow-remote", action="store_true",
                       help="allow a --host other computers can reach (the page then warns)")
    serve.set_defaults(func=cmd_serve)

    schema = sub.add_parser("schema", help="print the JSON Schema of a file type (for editors and other tools)")
    schema.add_argument("kind", choices=SCHEMA_KINDS, help="the file type")
    schema.set_defaults(func=cmd_schema)


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

            echo(json.dumps(jurisdiction_json(j), indent=2, ensure_ascii=False))
        else:
            for line in report.show_lines(j, notes=args.notes):
                echo(line)
        return EXIT_OK
    items = load.list_jurisdictions()
    if args.json:
        from consentgen.law.export import jurisdiction_json

        echo(json.dumps([jurisdiction_json(j) for j in items], indent=2, ensure_ascii=False))
        return EXIT_OK
    for line in report.table_lines(items):
        echo(line)
    return EXIT_OK


def cmd_outdated(args: argparse.Namespace) -> int:
    """consentgen outdated MANIFEST.json|FORM.pdf [--json]: forms whose law changed since they were made."""
    from consentgen.errors import EXIT_OUTDATED
    from consentgen.outdated import check_outdated, outdated_json

    statuses = check_outdated(args.file)
    if args.json:
        echo(json.dumps(outdated_json(statuses), indent=2, ensure_ascii=False))
    else:
        for status in statuses:
            if status.outdated:
                echo(f"OUTDATED  {status.form} (made {status.record.get('form_date')} with consentgen "
                      f"{status.record.get('consentgen')})")
                for change in status.changes:
                    echo(f"  {change.summary()}")
            else:
                echo(f"current   {status.form}")
        stale = sum(s.outdated for s in statuses)
        echo(f"{stale} of {len(statuses)} form(s) rest on law that changed since they were made."
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
          allow_remote=args.allow_remote, echo=echo)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """consentgen schema answers|clinic|jurisdiction: print a JSON Schema (draft 2020-12)."""
    from consentgen.frontends.schemas import file_schema

    echo(json.dumps(file_schema(args.kind), indent=2, ensure_ascii=False))
    return EXIT_OK
