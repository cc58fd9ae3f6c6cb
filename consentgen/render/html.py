"""Render a ConsentForm to HTML with Jinja2 (sandboxed, autoescaped, StrictUndefined)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from consentgen.errors import TemplateError
from consentgen.documents.document import ConsentForm
from consentgen.files.assets import templates_dir

ENTRY = "consent_form.html.j2"
FONTS = {
    "regular": "fonts/AtkinsonHyperlegible-Regular.ttf",
    "bold": "fonts/AtkinsonHyperlegible-Bold.ttf",
    "italic": "fonts/AtkinsonHyperlegible-Italic.ttf",
}
ASSET_SCHEME = "consentgen-asset:"


def join_and(items: list[str] | tuple[str, ...], word: str = "and") -> str:
    """Join words as prose: 'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def make_environment(template_dir: str | Path | None = None) -> SandboxedEnvironment:
    """The Jinja environment: a clinic folder (if any) ahead of the built-ins.

    Built-ins stay reachable as ``builtin/NAME`` so an override can extend one.
    """
    builtin = jinja2.FileSystemLoader(str(templates_dir()))
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(template_dir)))
    loaders.append(jinja2.PrefixLoader({"builtin": builtin}))
    loaders.append(builtin)
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["join_and"] = join_and
    return env


def asset_urls(inline: bool) -> dict[str, str]:
    """URLs of the bundled fonts: a private scheme for the PDF engine, or data: URLs."""
    if not inline:
        return {key: ASSET_SCHEME + rel for key, rel in FONTS.items()}
    folder = templates_dir()
    return {
        key: "data:font/ttf;base64," + base64.b64encode((folder / rel).read_bytes()).decode("ascii")
        for key, rel in FONTS.items()
    }


def render_html(form: ConsentForm, *, template_dir: str | Path | None = None, inline_assets: bool = False,
                extra: dict[str, Any] | None = None) -> str:
    """Render the form to an HTML string.

    Args:
        form: the built form.
        template_dir: a clinic folder whose files replace built-ins by name.
        inline_assets: embed fonts as data: URLs (for a standalone .html file).
        extra: output options the layout reads (for example ``fields`` for fillable PDFs).

    Raises:
        TemplateError: a template is missing, invalid, or uses an undefined value.
    """
    env = make_environment(template_dir)
    options = {"fields": False, **(extra or {})}
    try:
        template = env.get_template(ENTRY)
        return template.render(form=form, assets=asset_urls(inline_assets), output=options)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}: line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"template error: {exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"template blocked by the sandbox: {exc}") from None
