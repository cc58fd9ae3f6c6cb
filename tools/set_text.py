"""Replace one scalar field of a rule in a jurisdiction YAML file, keeping the rest byte for byte.

Usage: python tools/set_text.py FILE LOCATOR FIELD NEW_TEXT
  LOCATOR is a top-level rule name (e.g. elder_abuse_reporting) or 'id:SLUG' for other_disclosures.
  NEW_TEXT '-' deletes the field.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path


def main() -> None:
    path, locator, field, new = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if locator.startswith("id:"):
        start = next(i for i, l in enumerate(lines) if re.match(rf"\s*-\s+id:\s*{re.escape(locator[3:])}\s*$", l))
        indent = len(lines[start]) - len(lines[start].lstrip(" -"))
        end = next((i for i in range(start + 1, len(lines))
                    if lines[i].strip() and (len(lines[i]) - len(lines[i].lstrip())) < indent), len(lines))
    else:
        start = next(i for i, l in enumerate(lines) if l.startswith(f"{locator}:"))
        indent = 2
        end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() and not lines[i].startswith(" ")),
                   len(lines))
    pad = " " * indent
    f_start = next((i for i in range(start, end) if re.match(rf"{pad}{field}:", lines[i])), None)
    block = [] if new == "-" else [f"{pad}{field}: >-\n"] + [
        f"{pad}  {l}\n" for l in textwrap.wrap(new, 100 - indent)]
    if f_start is None:
        if new == "-":
            return
        insert = next(i for i in range(start, end) if re.match(rf"{pad}(notes|citations):", lines[i]))
        lines[insert:insert] = block
    else:
        f_end = next((i for i in range(f_start + 1, end)
                      if lines[i].strip() and (len(lines[i]) - len(lines[i].lstrip())) <= indent), end)
        lines[f_start:f_end] = block
    path.write_text("".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
