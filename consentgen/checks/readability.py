"""Reading level of the rendered form, per section, offline.

English: Flesch-Kincaid grade (target: 8 or below). Why our own: recent textstat releases
fetch NLTK data at run time and fail offline. The syllable count is the usual vowel-group
heuristic with English corrections; it is within about a grade of dictionary-based counts on
plain prose, which is enough to hold the form to a grade-8 ceiling.

Spanish: Fernández-Huerta, 206.84 - 60 x (syllables per word) - 1.02 x (words per sentence),
the form of the 1959 formula that textstat and most tools use (higher is easier; 70-80 is
"fairly easy", 80-90 "easy"). Syllables are counted from vowel nuclei with Spanish diphthong
and hiatus rules (``syllables_es``); a test holds the count to hand-divided words.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from consentgen.documents.document import Document
from consentgen.model.languages import REGISTRY

_WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_WORD_ES_RE = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+")
MEASURE_NAMES = {"flesch_kincaid": "Flesch-Kincaid grade", "fernandez_huerta": "Fernández-Huerta"}
MEASURES = {code: MEASURE_NAMES[lang.measure] for code, lang in REGISTRY.items()}
TARGETS = {code: lang.section_target for code, lang in REGISTRY.items()}  # e.g. at most grade 8; at least 70
KEY_POINT_TARGETS = {code: lang.key_points_target for code, lang in REGISTRY.items()}  # the stricter short version
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


_STRONG_ES = set("aeoáéóíú")  # an accented i or u is a vowel of its own (pa-ís, dí-a), as a, e and o are
_WEAK_ES = set("iuü")
_SILENT_U = re.compile(r"(?<=[qg])u(?=[eéií])")  # que, qui, gue, gui: the u is not sounded (güe, güi: it is)
_FINAL_Y = re.compile(r"(?<=[aeiouáéíóú])y$")  # hoy, rey, muy: a vowel sound in a diphthong


def syllables_es(word: str) -> int:
    """The syllables of one Spanish word, counted from its vowel nuclei.

    Two strong vowels (a, e, o, or an accented i or u) side by side are two syllables (le-er,
    pa-ís); a weak vowel (i, u, ü) beside another vowel joins it (cie-lo, ciu-dad, buey). The u of
    que/qui/gue/gui is silent, and a final y after a vowel is part of its diphthong. Why not a
    hyphenation dictionary: hyphenation leaves out breaks that are syllables (pyphen's Spanish
    patterns give te-lé-fono, apli-ca, cer-cano, a-bogado), which made forms score up to 3 points
    easier than they read.
    """
    w = _FINAL_Y.sub("i", _SILENT_U.sub("", word.lower()))
    if w == "y":
        return 1
    count, previous = 0, ""
    for char in w:
        if char in _STRONG_ES or char in _WEAK_ES:
            if not previous or (previous in _STRONG_ES and char in _STRONG_ES):
                count += 1
            previous = char
        else:
            previous = ""
    return max(1, count)


def fernandez_huerta(text: str) -> float:
    """Fernández-Huerta readability of Spanish ``text`` (100.0 for text without words)."""
    words = _WORD_ES_RE.findall(text)
    if not words:
        return 100.0
    sentences = max(1, len([s for s in _SENTENCE_END_RE.split(text) if _WORD_ES_RE.search(s)]))
    syl = sum(syllables_es(w) for w in words)
    return 206.84 - 60 * syl / len(words) - 1.02 * len(words) / sentences


def score(text: str, language: str) -> float:
    """The reading measure of ``text`` in its language (``MEASURES``)."""
    return fernandez_huerta(text) if REGISTRY[language].measure == "fernandez_huerta" else grade(text)


def meets(value: float, language: str, section: str = "") -> bool:
    """Whether a section's score meets its language's target (the short version's stricter one)."""
    target = (KEY_POINT_TARGETS if section == "key-points" else TARGETS)[language]
    return value >= target if REGISTRY[language].higher_is_easier else value <= target


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


def form_grades(form: Document, *, template_dir: str | Path | None = None) -> dict[str, float]:
    """The reading measure per client-facing section, plus '(whole form)', in the form's own language
    (Flesch-Kincaid grade in English, Fernández-Huerta in Spanish); the references part is skipped."""
    from consentgen.render.html import render_html

    texts = section_texts(render_html(form, template_dir=template_dir))
    texts = {k: v for k, v in texts.items() if k not in ("references", "signatures")}
    language = form.language
    result = {k: round(score(v, language), 1) for k, v in texts.items()}
    result["(whole form)"] = round(score(" ".join(texts.values()), language), 1)
    return result
