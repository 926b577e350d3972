"""Render one pack into its output formats: the unit of work `build --jobs` runs in parallel.

A `RenderJob` holds only plain, picklable data (the pack's view, the PDF attachments, the
templates folder, options), so a worker process renders it without loading or preparing
the project again: the parent prepares once (and translates once), workers only render.
Measured on the demo pack: its job pickles to 0.04 MB in under a millisecond, while loading
and preparing the project again (caches warm) costs a worker 0.6 s; the PDF takes seconds.
Workers return bytes; the parent writes the files and the manifest.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefpack.output.html import render_html, render_standalone_html
from briefpack.output.pdf import PdfAttachment
from briefpack.output.view import PackView


@dataclass(frozen=True)
class RenderJob:
    """Everything needed to render one pack, in the formats still out of date."""

    pack: str
    view: PackView
    formats: tuple[str, ...]
    templates_dir: Path
    epoch: int  # the pack's date as Unix time (dates stamped into the files)
    pdf_variant: str | None = None  # WeasyPrint's name, or None for plain PDF
    attachments: tuple[PdfAttachment, ...] = ()
    font_cache: Path | None = None  # where the HTML's font subsets are cached (output.fonts)


@dataclass
class Rendered:
    """The bytes of each format of one pack, and what the renderers complained about."""

    pack: str
    data: dict[str, bytes] = field(default_factory=dict)
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    logged: list[dict[str, Any]] = field(default_factory=list)  # WeasyPrint's log records


def render_job(job: RenderJob) -> Rendered:
    """Render a job's formats (in a worker process or inline)."""
    out = Rendered(job.pack)
    for fmt in job.formats:
        if fmt == "pdf":
            from briefpack.output.pdf import render_pdf

            html = render_html(job.view.context(), job.templates_dir)
            result = render_pdf(
                html,
                templates_dir=job.templates_dir,
                epoch=job.epoch,
                variant=job.pdf_variant,
                attachments=job.attachments,
            )
            out.data["pdf"], out.pages = result.data, result.pages
            out.warnings += result.warnings
            out.logged += result.logged
        elif fmt == "html":
            out.data["html"] = render_standalone_html(
                _for_format(job.view, "HTML, one self-contained file").context(),
                job.templates_dir,
                job.font_cache,
            )
        elif fmt == "docx":
            from briefpack.output.docx import render_docx

            out.data["docx"] = render_docx(
                _for_format(job.view, "Word document (DOCX)"), epoch=job.epoch
            )
        else:  # pragma: no cover - the request's formats are validated (util.request)
            raise ValueError(f"unknown format {fmt!r}")
    return out


def _for_format(view: PackView, label: str) -> PackView:
    """Return the view with a colophon naming `label` instead of the PDF variant."""
    colophon = dataclasses.replace(view.colophon, pdf_variant=label, renderer="", attachments=())
    return dataclasses.replace(view, colophon=colophon)
