"""Render a pack view to HTML (Jinja2) and to PDF (WeasyPrint, imported lazily)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup, escape

from briefpack.errors import InputError, OutputError, Problem

TEMPLATE = "pack.html.j2"
ASSETS = "assets"

_MONTHS_DE = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def date_de(value: dt.date | None) -> str:
    """Return `16. Dezember 2025`."""
    return "" if value is None else f"{value.day}. {_MONTHS_DE[value.month - 1]} {value.year}"


def date_en(value: dt.date | None) -> str:
    """Return `16 December 2025`."""
    return "" if value is None else f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def paragraphs(value: str) -> Markup:
    """Return escaped `<p>` elements, one per blank-line-separated paragraph."""
    parts = [p.strip() for p in value.split("\n\n") if p.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(escape(p)) for p in parts)


def make_env(templates_dir: Path) -> jinja2.Environment:
    """Return the Jinja2 environment: autoescape everywhere, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_de"] = date_de
    env.filters["date_en"] = date_en
    env.filters["paragraphs"] = paragraphs
    return env


def render_html(context: dict[str, Any], templates_dir: Path) -> str:
    """Render the pack template; template errors become InputError naming the file."""
    env = make_env(templates_dir)
    try:
        return env.get_template(TEMPLATE).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        name = f"templates/{exc.name or TEMPLATE}"
        raise InputError(
            f"{name}: template syntax error",
            problems=[
                Problem(
                    name, exc.lineno, None, f"template syntax error: {exc.message}", code="template"
                )
            ],
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(
            f"templates/{exc.name}: not found",
            problems=[
                Problem(f"templates/{exc.name}", message="template not found", code="template")
            ],
        ) from None
    except jinja2.UndefinedError as exc:
        raise InputError(
            f"templates/{TEMPLATE}: {exc.message}",
            problems=[
                Problem(
                    f"templates/{TEMPLATE}",
                    message=f"template error: {exc.message}",
                    code="template",
                )
            ],
        ) from None


@dataclass
class PdfResult:
    """A rendered PDF and what WeasyPrint complained about while making it."""

    data: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _source_date_epoch(value: int) -> Iterator[None]:
    # WeasyPrint and fontTools read SOURCE_DATE_EPOCH for the dates they stamp; scope it to
    # the render so the library leaves the process environment as it found it.
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(value)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def epoch_for(day: dt.date) -> int:
    """Return the Unix time of midnight UTC of `day` (the pack's SOURCE_DATE_EPOCH)."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def render_pdf(
    html: str,
    *,
    templates_dir: Path,
    epoch: int,
    variant: str | None = None,
    attachments: list[tuple[str, bytes]] | None = None,
) -> PdfResult:
    """Render HTML to PDF bytes with a fetcher that can only read templates/assets."""
    import weasyprint  # lazy: ~1 s to import

    capture = _Capture()
    wp_logger = logging.getLogger("weasyprint")
    wp_logger.addHandler(capture)
    old_propagate = wp_logger.propagate
    wp_logger.propagate = False
    try:
        with _source_date_epoch(epoch):
            fetcher = make_fetcher(templates_dir)
            document = weasyprint.HTML(
                string=html,
                base_url=templates_dir.resolve().as_uri() + "/",
                url_fetcher=fetcher,
            ).render()
            options: dict[str, Any] = {}
            if variant:
                options["pdf_variant"] = variant
            if attachments:
                options["attachments"] = [
                    weasyprint.Attachment(
                        string=data, base_url=None, name=name, url_fetcher=fetcher
                    )
                    for name, data in attachments
                ]
            data = document.write_pdf(**options)
    finally:
        wp_logger.removeHandler(capture)
        wp_logger.propagate = old_propagate
    if not isinstance(data, bytes):  # pragma: no cover - write_pdf without target returns bytes
        raise OutputError("WeasyPrint returned no PDF data")
    warnings = capture.messages + blocked_warnings(fetcher.blocked, capture.messages)
    return PdfResult(data, len(document.pages), warnings)


def make_fetcher(templates_dir: Path) -> Any:
    """Return a WeasyPrint URL fetcher restricted to `data:` and files in templates/assets/.

    Every refused URL is appended to the fetcher's `blocked` list, so that `render_pdf` can
    report refusals WeasyPrint itself only logs at debug level (a font-face `src`).
    """
    from weasyprint.urls import URLFetcher

    allowed = (templates_dir / ASSETS).resolve()
    base = templates_dir.resolve()

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        """Fetch only `data:` URLs and files inside templates/assets (and the CSS beside it)."""

        blocked: list[str]

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and self._allowed_file(url):
                return super().fetch(url, headers)
            self.blocked.append(url)
            raise ValueError(f"briefpack does not fetch {url[:120]!r} (only templates/assets)")

        @staticmethod
        def _allowed_file(url: str) -> bool:
            parts = urlsplit(url)
            # `file://host/…`: urllib would look the host name up (a DNS query) before
            # refusing it; only local paths are ever read.
            if parts.netloc not in ("", "localhost"):
                return False
            try:
                path = Path(unquote(parts.path)).resolve()
                inside_assets = path.is_relative_to(allowed)
                is_template_css = path.parent == base and path.suffix == ".css"
                return (inside_assets or is_template_css) and path.is_file()
            except (OSError, RuntimeError):  # name too long, symlink loop
                return False

    fetcher = SafeFetcher(allowed_protocols={"data", "file"}, allow_redirects=False)
    fetcher.blocked = []
    return fetcher


def blocked_warnings(blocked: list[str], warnings: list[str]) -> list[str]:
    """Return one warning per refused URL that no WeasyPrint warning names yet."""
    out: list[str] = []
    for url in dict.fromkeys(blocked):
        if not any(url[:120] in w for w in warnings):
            out.append(
                f"blocked {url[:120]!r}: briefpack only reads templates/ and templates/assets/"
            )
    return out
