"""The languages a form can be written in: one registry, read by every part that depends on a language.

A language is one ``Language`` entry here, plus its files: the template catalog
(``templates/locale/CODE/LC_MESSAGES/messages.po``, see ``tools/i18n.py``) and the states' client strings
(``jurisdictions/locale/CODE/US-XX.yaml``). The renderer (dates, list joining, the page's and the PDF's
language tags), the readability check (measure and targets), the answers file, the wizard, the CLI's
help and the web page's picker all read this registry; no other code names a language. The recipe is
in CONTRIBUTING.md ("A new language").
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE_LANGUAGE = "en"  # the language the templates and the jurisdiction data are written in


@dataclass(frozen=True)
class Language:
    """One language of the forms.

    Attributes:
        code: the code users type and file names carry (``es``: ``NAME-es.pdf``).
        english_name, native_name: the language's names (the picker shows both).
        tag: the BCP 47 tag of the PDF's ``/Lang`` (``es-US``).
        html_lang: the page's ``lang`` attribute.
        babel_locale: the Babel locale for dates (``es_US``).
        dates: ``iso`` (2026-12-07) or ``long`` (7 de diciembre de 2026, from Babel).
        joiner: the rule that joins a list as prose: ``plain`` (a, b and c) or ``spanish`` (y/e, o/u).
        and_word, or_word: the words that rule joins with.
        measure: the readability measure: ``flesch_kincaid`` (a grade, lower is easier) or
            ``fernandez_huerta`` (a score, higher is easier).
        section_target, key_points_target: the limit every section, and the short version, must meet.
        font: an extra font family the language's script needs beyond the bundled one (None: none).
    """

    code: str
    english_name: str
    native_name: str
    tag: str
    html_lang: str
    babel_locale: str
    dates: str
    joiner: str
    and_word: str
    or_word: str
    measure: str
    section_target: float
    key_points_target: float
    font: str | None = None

    @property
    def label(self) -> str:
        """How a picker names it: ``Spanish (español)``; ``English`` for a name that is the same."""
        same = self.native_name.lower() == self.english_name.lower()
        return self.english_name if same else f"{self.english_name} ({self.native_name})"

    @property
    def suffix(self) -> str:
        """What a file name carries: nothing for the source language (names stay as they were), ``-es`` else."""
        return "" if self.code == SOURCE_LANGUAGE else f"-{self.code}"

    @property
    def higher_is_easier(self) -> bool:
        """Whether a higher readability value means easier text (a score, not a grade)."""
        return self.measure == "fernandez_huerta"


REGISTRY: dict[str, Language] = {
    "en": Language(code="en", english_name="English", native_name="English", tag="en-US", html_lang="en-US",
                   babel_locale="en_US", dates="iso", joiner="plain", and_word="and", or_word="or",
                   measure="flesch_kincaid", section_target=8.0, key_points_target=7.0),
    "es": Language(code="es", english_name="Spanish", native_name="español", tag="es-US", html_lang="es",
                   babel_locale="es_US", dates="long", joiner="spanish", and_word="y", or_word="o",
                   measure="fernandez_huerta", section_target=70.0, key_points_target=75.0),
}


def language(code: str) -> Language:
    """The registry entry of ``code``.

    Raises:
        KeyError: not a form language.
    """
    return REGISTRY[code]


def codes() -> tuple[str, ...]:
    """Every form language's code, the source language first."""
    return tuple(REGISTRY)


def join_prose(items: list[str], word: str, code: str) -> str:
    """Join ``items`` as prose in the language ``code``: 'a, b and c'; 'a, b y c' ('e' before an i-sound)."""
    if len(items) <= 1:
        return "".join(items)
    lang = REGISTRY[code]
    joiner = lang.and_word if word == "and" else lang.or_word
    if lang.joiner == "spanish":
        last = items[-1].lower()
        if word == "and" and last.startswith(("i", "hi")) and not last.startswith(("hie", "hia")):
            joiner = "e"
        elif word != "and" and last.startswith(("o", "ho")):
            joiner = "u"
    return f"{', '.join(items[:-1])} {joiner} {items[-1]}"
