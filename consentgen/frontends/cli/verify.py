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
    from consentgen.verify import verify_files, verify_json

    verdicts, problems = verify_files(args.files)
    for line in problems:
        err(line)
    if args.json:
        echo(json.dumps([verify_json(v) for v in verdicts], indent=2, ensure_ascii=False))
    else:
        for v in verdicts:
            if v.pages_as_issued is None:
                echo(f"CANNOT CHECK  {v.file}: made before consentgen recorded its pages; compare it by eye")
            elif v.pages_as_issued and not v.ok:
                echo(f"CHANGED       {v.file}: the pages look as issued, but the certification no longer holds")
            elif v.ok:
                echo(f"AS ISSUED     {v.file}: the content and size of all {v.pages[0]} pages are as issued (checked "
                     "against the hashes the file carries)")
            else:
                what = (f"pages {', '.join(map(str, v.changed_pages))} differ" if v.changed_pages else "")
                if v.pages[0] != v.pages[1]:
                    what = (what + "; " if what else "") + f"{v.pages[0]} pages now, {v.pages[1]} issued"
                echo(f"CHANGED       {v.file}: {what} (edited, flattened, reprinted or scanned?)")
            if v.certification is not None:
                echo(f"  certification: {v.certification.words(v.certification_holds)}")
                if v.record_replaced:
                    echo("  the record the certification signed was replaced later: the page check above cannot be "
                         "trusted")
                if v.marks and v.certification_holds:
                    echo("  a viewer that enforces the certification (Acrobat) will flag the drawn marks below")
            elif v.certified_unchecked:
                echo("  certification: present, not checked (install pyHanko: pip install 'consentgen[sign]')")
            for s in v.signers:
                echo(f"  {s.key}: {s.how}" + (f"; date '{s.date}'" if s.date else "; no date"))
            for page, kind in v.marks:
                echo(f"  added on page {page}: a {kind} annotation (a drawn mark, a box, a note...)")
            for page, name in v.added_fields:
                echo(f"  added on page {page}: a field the form did not have ({name})")
            if v.law and v.law.outdated:
                echo("  the law behind it changed since it was made: " + "; ".join(c.summary() for c in v.law.changes))
    return EXIT_NOT_AS_ISSUED if problems or any(not v.ok for v in verdicts) else EXIT_OK
