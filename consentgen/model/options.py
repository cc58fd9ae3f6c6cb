"""RenderOptions: how to render a document, passed as one value from the front end to the renderer."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

VARIANTS = ("ua", "archival")


@dataclass(frozen=True)
class RenderOptions:
    """Everything about a render that is not the practice's answers.

    Attributes:
        document: the document type, a folder under ``templates/`` (``consent``).
        format: an output format registered in ``consentgen.render.registry`` (``pdf``, ``html``).
        language: the client's language for the form's wording (``en``).
        variant: the PDF flavour: ``ua`` (tagged PDF/UA-1), ``archival`` (PDF/A-3u) or None.
        fields: fillable PDF fields (True) or signature lines to print (False).
        templates: a clinic folder of template overrides; None uses the answers file's own.
        paper: ``letter`` or ``a4``; None uses the jurisdiction's usual paper.
        client_type: the edition (who the client is); None for the practice's only edition.
    """

    document: str = "consent"
    format: str = "pdf"
    language: str = "en"
    variant: str | None = "ua"
    fields: bool = True
    templates: str | None = None
    paper: str | None = None
    client_type: str | None = None

    def but(self, **changes: Any) -> RenderOptions:
        """A copy with some options changed."""
        return replace(self, **changes)
