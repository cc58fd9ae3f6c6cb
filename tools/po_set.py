"""Set translations in a catalog from a small YAML file of {msgid: msgstr} (a maintainer's helper).

    .venv/bin/python tools/po_set.py LANG FILE.yaml

Keys may be 'CONTEXT|msgid' for a message with a context. A message set here is no longer fuzzy.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(language: str, source: str) -> int:
    po = ROOT / "templates" / "locale" / language / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    wanted = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
    for key, text in wanted.items():
        context, _, msgid = key.rpartition("|") if "|" in key else (None, "", key)
        message = catalog.get(msgid, context=context or None)
        if message is None:
            print(f"not in the catalog: {key[:80]!r}")
            return 1
        message.string = tuple(text) if isinstance(text, list) else text
        message.flags.discard("fuzzy")
    with po.open("wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False)
    print(f"set {len(wanted)} message(s) in {po}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
