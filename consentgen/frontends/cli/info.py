"""The commands that show, not make: jurisdictions, outdated, schema, and serve (the local web page)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from consentgen.errors import UsageError
from consentgen.frontends.cli.common import EXIT_OK, echo, err
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

    outdated = sub.add_parser("outdated", help="list forms whose law changed since they were made, and what changed")
    outdated.add_argument("files", nargs="+", metavar="MANIFEST.json|FORM.pdf|FOLDER",
                          help="batch manifests, forms made by render, or folders of them")
    outdated.add_argument("--only-outdated", action="store_true", help="list only the forms whose law changed")
    outdated.add_argument("--json", action="store_true", help="machine-readable JSON")
    outdated.set_defaults(func=cmd_outdated)

    serve = sub.add_parser("serve", help="the same questions as a web page on this computer, with a live preview")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one and says which)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this computer)")
    serve.add_argument("--no-browser", action="store_true", help="do not open the page in the browser")
    serve.add_argument("--answers", metavar="FILE", help="start from an existing answers file")
    serve.add_argument("--allow-remote", action="store_true",
                       help="allow a --host other computers can reach (the page then warns)")
    serve.add_argument("--public", action="store_true",
                       help="serve the page to many visitors behind a reverse proxy (no per-start secret; see README)")
    serve.add_argument("--public-host", action="append", default=[], metavar="NAME",
                       help="with --public: a host name visitors use (repeatable; also CONSENTGEN_PUBLIC_HOSTS)")
    serve.add_argument("--workers", type=int, default=1, metavar="N", help="with --public: server processes")
    serve.add_argument("--proxy", action="append", default=[], metavar="IP",
                       help="with --public: the reverse proxy's address, whose X-Forwarded-* headers are trusted")
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
    """consentgen outdated FILE|FOLDER... [--only-outdated] [--json]: forms whose law changed, and what changed."""
    from consentgen.errors import EXIT_OUTDATED
    from consentgen.outdated import check_all, explain

    checked, notes = check_all(args.files)
    for line in notes:
        err(line)
    statuses = [s for c in checked for s in c.statuses]
    says = explain(statuses)
    show = _outdated_json if args.json else _outdated_text
    show(checked, says, args.only_outdated)
    return EXIT_OUTDATED if any(s.outdated for s in statuses) else EXIT_OK


def _outdated_json(checked: list[Any], says: dict[int, dict[str, str]], only: bool) -> None:
    """``outdated --json``: one object per form, each change with its old and new values and today's wording."""
    from consentgen.outdated import outdated_json

    payload = []
    for c in checked:
        for item, status in zip(outdated_json(c.statuses), c.statuses, strict=True):
            if only and not status.outdated:
                continue
            wording = says.get(id(status), {})
            for change, entry in zip(status.changes, item["changes"], strict=True):
                entry["values"] = [{"field": f, "old": o or None, "new": n or None} for f, o, n in change.values]
                entry["now_says"] = wording.get(change.key.split(":", 1)[1], "")
            payload.append({**item, "source": str(c.path), "rerender": c.rerender if status.outdated else ""})
    echo(json.dumps(payload, indent=2, ensure_ascii=False))


def _outdated_text(checked: list[Any], says: dict[int, dict[str, str]], only: bool) -> None:
    """Each form, current or outdated; under an outdated one, each change, its values and today's wording
    (each explanation once: forms that share it list only the change), then how to make the forms again."""
    from consentgen.outdated import SIGNING

    explained: set[tuple[str, ...]] = set()
    statuses = [s for c in checked for s in c.statuses]
    for status in statuses:
        if not status.outdated:
            if not only:
                echo(f"current   {status.form}")
            continue
        record = status.record
        echo(f"OUTDATED  {status.form} (made {record.get('form_date')} with consentgen {record.get('consentgen')})")
        for change in status.changes:
            echo(f"  {change.summary()}")
            text = says.get(id(status), {}).get(change.key.split(":", 1)[1], "")
            seen = (change.summary(), *change.value_lines(), text)
            if seen in explained:
                continue
            explained.add(seen)
            for line in change.value_lines():
                echo(f"    {line}")
            if text:
                echo("    The form now says:\n" + "\n".join(f"      {line}" for line in text.splitlines()))
    stale = sum(s.outdated for s in statuses)
    echo(f"{stale} of {len(statuses)} form(s) rest on law that changed since they were made."
         + (" Review the changes above, then make them again:" if stale else ""))
    if stale:
        for command in dict.fromkeys(c.rerender for c in checked if any(s.outdated for s in c.statuses)):
            echo(f"  {command}")
        echo(SIGNING)


def cmd_serve(args: argparse.Namespace) -> int:
    """consentgen serve: the local web page."""
    try:
        from consentgen.frontends.web import serve
    except ImportError:
        raise UsageError("the web page needs the web extra: pip install 'consentgen[web]' (./dev installs it)") \
            from None
    if args.public:
        from consentgen.frontends.web import serve_public

        if args.answers:
            raise UsageError("--answers is for the local page; the public page starts empty for every visitor")
        serve_public(args.host, args.port, public_host=tuple(args.public_host), workers=args.workers,
                     proxy=tuple(args.proxy), echo=echo)
        return EXIT_OK
    if args.public_host or args.proxy or args.workers != 1:
        raise UsageError("--public-host, --proxy and --workers are for --public")
    serve(args.host, args.port, answers=args.answers, open_browser=not args.no_browser,
          allow_remote=args.allow_remote, echo=echo)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """consentgen schema answers|clinic|jurisdiction: print a JSON Schema (draft 2020-12)."""
    from consentgen.frontends.schemas import file_schema

    echo(json.dumps(file_schema(args.kind), indent=2, ensure_ascii=False))
    return EXIT_OK
