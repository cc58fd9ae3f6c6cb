"""Set (or replace) one Spanish string of the jurisdiction data, with the hash of its current English.

    .venv/bin/python tools/set_translation.py LANG CODE KEY "TEXT"
    .venv/bin/python tools/set_translation.py LANG CODE KEY --delete   (a string the data no longer has)

The key is the one 'consentgen check --jurisdictions' lists. The file keeps its order and comments.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from consentgen.law.load import load_jurisdiction  # noqa: E402
from consentgen.law.translations import client_strings, source_hash, translations_path  # noqa: E402


def main(language: str, code: str, key: str, text: str) -> int:
    english = client_strings(load_jurisdiction(code).data).get(key)
    if text == "--delete":
        path = translations_path(code, language)
        head = "".join(line for line in path.read_text(encoding="utf-8").splitlines(True) if line.startswith("#"))
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if entries.pop(key, None) is None:
            print(f"{path}: no string {key!r}")
            return 1
        path.write_text(head + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=4000),
                        encoding="utf-8")
        print(f"{path}: {key} deleted")
        return 0
    if english is None:
        print(f"{code}: no client string {key!r}")
        return 1
    path = translations_path(code, language)
    head = "".join(line for line in path.read_text(encoding="utf-8").splitlines(True) if line.startswith("#"))
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries[key] = {"source": source_hash(english), "text": " ".join(text.split())}
    order = list(client_strings(load_jurisdiction(code).data))
    entries = {k: entries[k] for k in sorted(entries, key=lambda k: order.index(k) if k in order else len(order))}
    path.write_text(head + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=4000), encoding="utf-8")
    print(f"{path}: {key} set")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
