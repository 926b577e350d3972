"""The PDF variants `briefpack build --pdf-variant` offers: the one list (no heavy imports)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PdfVariant:
    """One choice of `--pdf-variant`: WeasyPrint's name for it and what the colophon says."""

    name: str
    weasyprint: str | None
    label: str


PDF_VARIANTS: dict[str, PdfVariant] = {
    v.name: v
    for v in (
        # accessible: tagged, title shown, languages declared
        PdfVariant("ua-1", "pdf/ua-1", "PDF/UA-1 (accessible, tagged)"),
        # archival, with the pack's inputs embedded (and tagged as well)
        PdfVariant(
            "a-3b", "pdf/a-3b", "PDF/A-3b (archival, tagged), with its input files attached"
        ),
        # plain PDF 1.7, untagged
        PdfVariant("none", None, "PDF 1.7 (untagged)"),
    )
}
DEFAULT_PDF_VARIANT = "ua-1"
