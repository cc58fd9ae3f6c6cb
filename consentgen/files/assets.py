"""Built-in folders (templates, jurisdictions), the bundled fonts, and the practice logo."""

from __future__ import annotations

import base64
from pathlib import Path

from consentgen.errors import DataFileError, Problem

_PACKAGE = Path(__file__).resolve().parent.parent


def _find(name: str) -> Path:
    # A wheel carries the folders inside the package; a checkout (and an editable
    # install, which points at the checkout) has them beside it, so edits show at once.
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"consentgen is installed without its {name}/ folder")


def templates_dir() -> Path:
    """The built-in templates folder."""
    return _find("templates")


def jurisdictions_dir() -> Path:
    """The built-in jurisdictions folder."""
    return _find("jurisdictions")


def common_dir() -> Path:
    """The templates shared by every document: layout, macros, style sheet, fonts."""
    return templates_dir() / "common"


def document_dir(document: str) -> Path:
    """The folder of one document type (its manifest and templates)."""
    return templates_dir() / document


# The bundled fonts, as paths inside the common templates folder. The PDF engine asks for
# them by a private scheme, so it never opens any other file.
FONTS = {
    "regular": "fonts/AtkinsonHyperlegible-Regular.ttf",
    "bold": "fonts/AtkinsonHyperlegible-Bold.ttf",
    "italic": "fonts/AtkinsonHyperlegible-Italic.ttf",
}
ASSET_SCHEME = "consentgen-asset:"


def font_files() -> dict[str, Path]:
    """Private-scheme URL -> font file, the only files the PDF engine may read."""
    return {ASSET_SCHEME + rel: common_dir() / rel for rel in FONTS.values()}


def asset_urls(inline: bool) -> dict[str, str]:
    """URLs of the bundled fonts: the private scheme for the PDF engine, or data: URLs."""
    if not inline:
        return {key: ASSET_SCHEME + rel for key, rel in FONTS.items()}
    return {key: "data:font/ttf;base64," + base64.b64encode((common_dir() / rel).read_bytes()).decode("ascii")
            for key, rel in FONTS.items()}


LOGO_MAX_BYTES = 500_000
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def read_logo(path: Path) -> tuple[bytes, str]:
    """Read a logo file; return its bytes and media type (PNG, JPEG or SVG only).

    The size is checked before the file is read, so a huge (or sparse) file is never loaded.

    Raises:
        DataFileError: missing, too large, or not a PNG, JPEG or SVG image.
    """
    name = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(LOGO_MAX_BYTES + 1)
    except OSError as exc:
        raise DataFileError(name, [Problem("", f"logo cannot be read ({exc.strerror or exc})")]) from None
    if len(data) > LOGO_MAX_BYTES:
        raise DataFileError(name, [Problem("", f"logo is too large (more than {LOGO_MAX_BYTES // 1000} KB)")])
    for magic, mime in LOGO_TYPES.items():
        if data.startswith(magic):
            return data, mime
    head = data[:2000].lstrip().lower()
    if (head.startswith(b"<svg") or head.startswith(b"<?xml")) and b"<svg" in head:
        return data, "image/svg+xml"
    raise DataFileError(name, [Problem("", "logo must be a PNG, JPEG or SVG image")])


def logo_data_url(path: str | None) -> str | None:
    """A logo embedded as a data: URL (read once), or None."""
    if not path:
        return None
    data, mime = read_logo(Path(path))
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def document_types() -> list[str]:
    """The built-in document types: folders of ``templates/`` that hold a ``document.yaml``."""
    return sorted(p.parent.name for p in templates_dir().glob("*/document.yaml"))
