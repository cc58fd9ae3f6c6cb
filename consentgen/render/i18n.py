"""The form's language: template catalogs (gettext, managed with Babel), dates and lists.

The templates are written in English and mark their prose with Jinja's i18n extension
(``{% trans %}`` blocks, whole paragraphs where the law does not assemble them, and ``_()``).
Each language's catalog is ``templates/locale/LANG/LC_MESSAGES/messages.po``; it is compiled
with Babel when first used (and again when the file changes), so no compiled file can go
stale. A message with no translation, or one marked fuzzy after its English changed, is
missing: ``missing_messages`` lists them, and the tests fail on any.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from consentgen.files.assets import templates_dir
from consentgen.model.languages import REGISTRY, SOURCE_LANGUAGE, join_prose

DOMAIN = "messages"


def locale_dir() -> Path:
    """The folder of the template catalogs (``LANG/LC_MESSAGES/messages.po``) and ``messages.pot``."""
    return templates_dir() / "locale"


def catalog_path(language: str) -> Path:
    """A language's template catalog."""
    return locale_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read_catalog(language: str) -> Any:
    from babel.messages.pofile import read_po

    with catalog_path(language).open("rb") as fh:
        return read_po(fh, locale=language, domain=DOMAIN)


@functools.lru_cache(maxsize=8)
def _compiled(language: str, stamp: tuple[int, int]) -> gettext.GNUTranslations:
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, _read_catalog(language), use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def catalog_stamp(language: str) -> tuple[int, int]:
    """When a language's catalog last changed (modification time, size); (0, 0) for English."""
    if language == SOURCE_LANGUAGE:
        return (0, 0)
    info = catalog_path(language).stat()
    return (info.st_mtime_ns, info.st_size)


def translations(language: str) -> gettext.NullTranslations:
    """The compiled template catalog of ``language`` (English: the messages as written)."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return _compiled(language, catalog_stamp(language))


def missing_messages(language: str) -> list[str]:
    """The catalog's messages with no current translation (empty or fuzzy), in catalog order."""
    if language == SOURCE_LANGUAGE:
        return []
    catalog = _read_catalog(language)
    return [str(m.id if isinstance(m.id, str) else m.id[0]) for m in catalog
            if m.id and (m.fuzzy or not (m.string if isinstance(m.string, str) else all(m.string)))]


def format_date(day: dt.date, language: str) -> str:
    """A date as the client reads it, as the language's registry entry says: ISO in English (as the forms
    always printed), Babel's long format in Spanish (1 de diciembre de 2026)."""
    lang = REGISTRY[language]
    if lang.dates == "iso":
        return day.isoformat()
    from babel.dates import format_date as babel_date

    return str(babel_date(day, format="long", locale=lang.babel_locale))


def join_words(items: list[str] | tuple[str, ...], word: str = "and", language: str = SOURCE_LANGUAGE) -> str:
    """Join words as prose in the form's language: 'a, b and c'; 'a, b y c' (``word``: and | or)."""
    return join_prose([str(i) for i in items], word, language)


_NAME = re.compile(r"\[en: ([^\]\[]{1,200})\]")


def mark_names(text: str) -> Markup:
    """A state string as HTML, its English proper names marked for a screen reader: in a translation, an
    English name is written ``[en: Department of Human Services]`` and becomes
    ``<span lang="en" class="proper-name">Department of Human Services</span>``; everything else is escaped."""
    escaped = str(escape(text))
    return Markup(_NAME.sub(lambda m: f'<span lang="en" class="proper-name">{m.group(1)}</span>', escaped))
