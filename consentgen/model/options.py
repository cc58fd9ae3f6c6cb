"""How a front end asks for a document: ``RenderOptions`` (which document, edition, language and templates, and
the ``Output`` choices); the renderers see only ``Output``, the document owns everything else."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from consentgen.model.languages import REGISTRY, codes
from consentgen.model.languages import SOURCE_LANGUAGE as SOURCE_LANGUAGE  # re-exported: callers import it here

VARIANTS = ("ua", "archival")
LANGUAGES = codes()  # the languages a form can be rendered in (model/languages.py)
LANGUAGE_NAMES = {code: lang.english_name for code, lang in REGISTRY.items()}
LANGUAGE_TAGS = {code: lang.tag for code, lang in REGISTRY.items()}  # the PDF's /Lang
_ONE = "|".join("".join(f"[{c.lower()}{c.upper()}]" for c in code) for code in LANGUAGES)
LANGUAGE_PATTERN = rf"\s*({_ONE})\s*(,\s*({_ONE})\s*)*"  # one or more codes, any case
LANGUAGE_HINT = f"must be {', '.join(LANGUAGES)}, or several as {','.join(LANGUAGES)}"


def parse_languages(text: str | None) -> tuple[str, ...]:
    """The languages a form is rendered in, from 'es' or 'en,es' (empty text: none given).

    Raises:
        ValueError: an unknown language, with the message to show.
    """
    if not text or not str(text).strip():
        return ()
    found: list[str] = []
    for part in str(text).split(","):
        code = part.strip().lower()
        if code not in LANGUAGES:
            raise ValueError(f"'{part.strip()}' is not a form language; use one of: {', '.join(LANGUAGES)} "
                             f"(or several, as {','.join(LANGUAGES)})")
        if code not in found:
            found.append(code)
    return tuple(found)


def language_suffix(language: str) -> str:
    """What a file name carries for its language: nothing for English (names stay as they were), '-es' else."""
    return REGISTRY[language].suffix if language in REGISTRY else f"-{language}"


def form_file_name(edition: str | None, document: str, language: str, extension: str) -> str:
    """The one name a form gets in a folder, whoever writes it (render -o DIR/, new, batch, the web page's
    download): the edition (or the document type) and the language, ``minor-es.pdf``, ``release.pdf``; another
    document type with editions (a packet) puts its name first, ``packet-minor.pdf``, beside the consent forms."""
    stem = document if not edition else edition if document == "consent" else f"{document}-{edition}"
    return f"{stem}{language_suffix(language)}.{extension.lstrip('.')}"


@dataclass(frozen=True)
class Output:
    """The output choices, all a renderer is told besides the document (which owns its kind, language,
    edition, paper and templates).

    Attributes:
        format: an output format registered in ``consentgen.render.registry`` (``pdf``, ``html``).
        variant: the PDF flavour: ``ua`` (tagged PDF/UA-1), ``archival`` (PDF/A-3u) or None.
        fields: fillable PDF fields (True) or signature lines to print (False).
        certified_by: the key a PDF will be certified with, in words (``render --certify``), or None; the
            form's record carries it, so ``verify`` can tell a certification removed later.
    """

    format: str = "pdf"
    variant: str | None = "ua"
    fields: bool = True
    certified_by: str | None = None

    def but(self, **changes: Any) -> Output:
        """A copy with some choices changed."""
        return replace(self, **changes)


HTML_PAGE = Output(format="html", fields=False)  # a page to read: no form fields


@dataclass(frozen=True)
class RenderOptions:
    """Everything about a render that is not the practice's answers.

    Attributes:
        document: the document type, a folder under ``templates/`` (``consent``).
        format: an output format registered in ``consentgen.render.registry`` (``pdf``, ``html``).
        language: the client's language for the form's wording (``en`` or ``es``).
        variant: the PDF flavour: ``ua`` (tagged PDF/UA-1), ``archival`` (PDF/A-3u) or None.
        fields: fillable PDF fields (True) or signature lines to print (False).
        templates: a clinic folder of template overrides; None uses the answers file's own.
        paper: ``letter`` or ``a4``; None uses the jurisdiction's usual paper.
        client_type: the edition (who the client is); None for the practice's only edition.
        allow_english_texts: let a form in another language print the clinician's own texts (fees,
            education...) that have no translation, in English and marked as English; without it such a
            form is refused, naming the texts (``--allow-english-texts``).
    """

    document: str = "consent"
    format: str = "pdf"
    language: str = "en"
    variant: str | None = "ua"
    fields: bool = True
    templates: str | None = None
    paper: str | None = None
    client_type: str | None = None
    allow_english_texts: bool = False
    certified_by: str | None = None  # see Output

    def but(self, **changes: Any) -> RenderOptions:
        """A copy with some options changed."""
        return replace(self, **changes)

    @property
    def output(self) -> Output:
        """The output choices alone (what the renderer is given; ``build_document`` reads the rest)."""
        return Output(format=self.format, variant=self.variant, fields=self.fields, certified_by=self.certified_by)
