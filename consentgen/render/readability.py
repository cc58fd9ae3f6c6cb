"""Reading level of the rendered form: Flesch-Kincaid grade per section, offline.

Why our own: recent textstat releases fetch NLTK data at run time and fail offline.
The syllable count is the usual vowel-group heuristic with English corrections; it is
within about a grade of dictionary-based counts on plain prose, which is enough to
hold the form to a grade-8 ceiling.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from consentgen.documents.document import Document
from consentgen.model.options import RenderOptions

_WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_URL_RE = re.compile(r"https?://\S+|www\.\S+")
_SENTENCE_END_RE = re.compile(r"[.!?]+(?=\s|$)|[:;](?=\s)")


def syllables(word: str) -> int:
    """Estimate the syllables in one English word."""
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s$", "", w)
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    groups = re.findall(r"[aeiouy]{1,2}", w)
    return max(1, len(groups))


def grade(text: str) -> float:
    """Flesch-Kincaid grade level of ``text`` (0.0 for text without words)."""
    words = _WORD_RE.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len([s for s in _SENTENCE_END_RE.split(text) if _WORD_RE.search(s)]))
    syl = sum(syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syl / len(words) - 15.59


class _Sections(HTMLParser):
    """Collects the text of each <section id> (list items count as sentences)."""

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.skip = 0  # inside a proper name (a board's official name is not prose to simplify)
        self.texts: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip or "proper-name" in (dict(attrs).get("class") or "").split():
            self.skip += 1
        if tag == "section":
            self.current = dict(attrs).get("id") or "section"
            self.texts.setdefault(self.current, [])
        if tag in ("li", "h2", "h3", "p") and self.current:
            self.texts[self.current].append(" . ")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
        if tag == "section":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            data = " the board "
        if self.current:
            self.texts[self.current].append(data)


def section_texts(html: str) -> dict[str, str]:
    """The plain text of each section of a rendered form, by section id."""
    parser = _Sections()
    parser.feed(html)
    # Web addresses are read as one unit, not as long words; leave them out of the count.
    return {key: " ".join(_URL_RE.sub(" ", "".join(parts)).split()) for key, parts in parser.texts.items()}


def form_grades(form: Document, *, template_dir: str | Path | None = None,
                options: RenderOptions | None = None) -> dict[str, float]:
    """Grade per client-facing section, plus '(whole form)'; the references part is skipped."""
    from consentgen.render.html import render_html

    options = (options or RenderOptions(format="html", fields=False))
    if template_dir is not None:
        options = options.but(templates=str(template_dir))
    texts = section_texts(render_html(form, options))
    texts = {k: v for k, v in texts.items() if k not in ("references", "signatures")}
    result = {k: round(grade(v), 1) for k, v in texts.items()}
    result["(whole form)"] = round(grade(" ".join(texts.values())), 1)
    return result
