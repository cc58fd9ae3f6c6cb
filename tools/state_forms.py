"""Render every edition of one state's form for every profession, as plain text, for a legal review.

    .venv/bin/python tools/state_forms.py US-TX OUTDIR [--language es]

Writes OUTDIR/<profession>/<edition>.html and .txt (every service on), so a reviewer can read what a
client reads and diff professions against each other.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFESSIONS = ("psychologist", "counselor", "social_worker", "marriage_family_therapist", "psychiatrist")
ANSWERS = """practice:
  name: Review Practice
  address: 1 Main Street
  phone: (555) 555-0100
  email: office@example.com
clinician:
  name: Pat Reviewer
  credentials: {credentials}
  profession: {profession}
  license: "12345"
jurisdiction: {code}
services: {{individual: true, couples_family: true, group: true, minors: true, telehealth: true, insurance: true}}
form:
  date: 2026-12-07
  language: {language}
"""
CREDENTIALS = {"psychologist": "PhD", "counselor": "LPC", "social_worker": "LCSW",
               "marriage_family_therapist": "LMFT", "psychiatrist": "MD"}


def text_of(page: str) -> str:
    """The readable text of a rendered HTML form, one block per line."""
    body = re.sub(r"(?s)<(style|script)[^>]*>.*?</\1>", "", page)
    body = re.sub(r"(?i)</(p|h[1-6]|li|div|tr)>", "\n", body)
    body = re.sub(r"(?i)<(br|input)[^>]*>", "\n", body)
    body = html.unescape(re.sub(r"<[^>]+>", "", body))
    return "\n".join(" ".join(line.split()) for line in body.splitlines() if line.strip()) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    code, out = argv[0], Path(argv[1])
    language = argv[argv.index("--language") + 1] if "--language" in argv else "en"
    for profession in PROFESSIONS:
        folder = out / profession
        folder.mkdir(parents=True, exist_ok=True)
        answers = folder / "answers.yaml"
        answers.write_text(ANSWERS.format(code=code, profession=profession, language=language,
                                          credentials=CREDENTIALS[profession]), encoding="utf-8")
        # This checkout's code and data, with whichever Python runs this script (a worktree has no .venv).
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        run = subprocess.run([sys.executable, "-m", "consentgen", "render", str(answers), "-o", f"{folder}/",
                              "--format", "html", "--force"], capture_output=True, text=True, env=env, cwd=ROOT)
        if run.returncode not in (0, 1):
            print(run.stdout + run.stderr)
            return run.returncode
        for page in sorted(folder.glob("*.html")):
            page.with_suffix(".txt").write_text(text_of(page.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"{folder}: {', '.join(p.stem for p in sorted(folder.glob('*.txt')))}")
        if run.stderr.strip():
            print("  warnings:\n" + "\n".join("    " + line for line in run.stderr.strip().splitlines()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
