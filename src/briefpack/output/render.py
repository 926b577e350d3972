"""Render one pack into its output formats: the unit of work `build --jobs` runs in parallel.

A `RenderJob` holds only plain, picklable data (the PDF's HTML, the pack's view for the
other formats, the PDF attachments, the templates folder, options), so a worker process
renders it without loading or preparing the project again: the parent prepares once (and
translates once), workers only render. Measured on the demo pack: its job pickles to
0.04 MB in under a millisecond, while loading and preparing the project again (caches warm)
costs a worker 0.6 s; the PDF takes seconds. Workers return bytes; the parent writes the
files and the manifest.

The PDF's HTML is rendered by whoever makes the job (`make_job`; Jinja2, 40 ms for the
demo, a second for a 1,000-page pack whose layout takes minutes), and a job that makes only
the PDF carries no view: a worker then needs neither Jinja2 nor the view's models, whose
imports (0.2 s) the render fork server would otherwise do before any PDF could start
(output.workers). The other formats import what they need when they render.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefpack.output.pdf import PdfAttachment

TYPE_CHECKING = False
if TYPE_CHECKING:
    from briefpack.output.view import PackView


@dataclass(frozen=True)
class RenderJob:
    """Everything needed to render one pack, in the formats still out of date (`make_job`)."""

    pack: str
    formats: tuple[str, ...]
    templates_dir: Path
    epoch: int  # the pack's date as Unix time (dates stamped into the files)
    html: str | None = None  # the PDF's HTML, if the PDF is among `formats`
    view: PackView | None = None  # for the other formats, if any is among `formats`
    pdf_variant: str | None = None  # WeasyPrint's name, or None for plain PDF
    attachments: tuple[PdfAttachment, ...] = ()
    font_cache: Path | None = None  # where the HTML's font subsets are cached (output.fonts)


def make_job(
    pack: str,
    view: PackView,
    formats: tuple[str, ...],
    templates_dir: Path,
    *,
    epoch: int,
    pdf_variant: str | None = None,
    attachments: tuple[PdfAttachment, ...] = (),
    font_cache: Path | None = None,
) -> RenderJob:
    """Return the job of rendering `view` in `formats`: the PDF's HTML rendered here."""
    html = None
    if "pdf" in formats:
        from briefpack.output.html import render_html

        html = render_html(view.context(), templates_dir)
    return RenderJob(
        pack,
        formats,
        templates_dir,
        epoch,
        html=html,
        view=view if any(f != "pdf" for f in formats) else None,
        pdf_variant=pdf_variant,
        attachments=attachments,
        font_cache=font_cache,
    )


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

            assert job.html is not None, "make_job renders the PDF's HTML"
            result = render_pdf(
                job.html,
                templates_dir=job.templates_dir,
                epoch=job.epoch,
                variant=job.pdf_variant,
                attachments=job.attachments,
            )
            out.data["pdf"], out.pages = result.data, result.pages
            out.warnings += result.warnings
            out.logged += result.logged
        elif fmt == "html":
            from briefpack.output.html import render_standalone_html

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


def _for_format(view: PackView | None, label: str) -> PackView:
    """Return the view with a colophon naming `label` instead of the PDF variant."""
    assert view is not None, "make_job keeps the view for every format but the PDF"
    colophon = dataclasses.replace(view.colophon, pdf_variant=label, renderer="", attachments=())
    return dataclasses.replace(view, colophon=colophon)
