"""Render a pack view to HTML (Jinja2) and to PDF (WeasyPrint, imported lazily)."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import inspect
import logging
import os
import re
from collections.abc import Iterator, Sequence
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


NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, between digit groups and in abbreviations
_MONTHS = "|".join(_MONTHS_DE + _MONTHS_EN)
_GLUE: list[tuple[re.Pattern[str], str]] = [
    # 800 000 Soldaten: digit groups never part at a line end
    (re.compile(r"(?<=\d) (?=\d{3}(?!\d))"), NNBSP),
    # 16. Dezember 2025, 4 December: the day stays with its month
    (re.compile(rf"(?<=\d)(\.?) (?=(?:{_MONTHS})\b)"), rf"\1{NBSP}"),
    # Art. 5, Artikel 5, Article 5, Nr. 3, § 5, S. 12: the label stays with its number
    (re.compile(r"\b(Art\.|Artikel|Article|Abs\.|Nr\.|No\.|S\.|p\.|§§?) (?=\d)"), rf"\1{NBSP}"),
    # 90 Milliarden, 1000 km, 5 %: a number stays with its unit
    (
        re.compile(
            r"(?<=\d) (?=(?:Prozent|Euro|EUR|Dollar|US-Dollar|Milliarden|Millionen|km|Kilometer"
            r"|Jahre|Jahren|per cent|billion|million|kilometres|years)\b|(?:Mrd|Mio)\.|%)"
        ),
        NBSP,
    ),
    # z. B., d. h., u. a.: abbreviations with inner spaces stay whole
    (re.compile(r"\b([A-Za-zÄÖÜäöü])\. (?=[A-Za-zÄÖÜäöü]\.)"), rf"\1.{NNBSP}"),
    # a dash never starts a line: it stays with the word before it
    (re.compile(r" (?=[–—] )"), NBSP),
]


def glue(value: str) -> Markup:
    """Return `value` escaped, with no-break spaces where a line must not break.

    German and English typesetting rules: digit groups, day and month, `Art. 5`, a number
    and its unit, `z. B.`, and the word before a dash stay on one line. Display only: the
    translation memory and the segment keys never see these characters. They are written
    as character references, so that the HTML (and its golden snapshots) shows them.
    """
    for pattern, replacement in _GLUE:
        value = pattern.sub(replacement, value)
    html = str(escape(value)).replace(NBSP, "&#160;").replace(NNBSP, "&#8239;")
    return Markup(html)  # escaped above; only the two fixed references are added


def paragraphs(value: str) -> Markup:
    """Return escaped `<p>` elements, one per blank-line-separated paragraph."""
    parts = [p.strip() for p in value.split("\n\n") if p.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(glue(p)) for p in parts)


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
    env.filters["glue"] = glue
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


# The PDF variants `briefpack build --pdf-variant` offers, by option value.
PDF_VARIANTS: dict[str, str | None] = {
    "ua-1": "pdf/ua-1",  # accessible: tagged, title shown, languages declared
    "a-3b": "pdf/a-3b",  # archival, with the pack's inputs embedded (and tagged as well)
    "none": None,  # plain PDF 1.7, untagged
}
DEFAULT_PDF_VARIANT = "ua-1"


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF (PDF/A-3 "associated file")."""

    name: str  # shown by PDF readers; briefpack uses the project-relative path
    data: bytes
    description: str = ""
    mime_type: str = "application/yaml"
    relationship: str = "Source"  # ISO 32000-2 AFRelationship: the PDF was made from it


def render_pdf(
    html: str,
    *,
    templates_dir: Path,
    epoch: int,
    variant: str | None = None,
    attachments: Sequence[PdfAttachment] = (),
) -> PdfResult:
    """Render HTML to PDF bytes with a fetcher that can only read templates/assets.

    `variant` is a WeasyPrint `pdf_variant` (`pdf/ua-1`, `pdf/a-3b`) or None. Tagged
    variants get a structure tree whose elements carry the `lang` of their HTML element.
    """
    import weasyprint  # lazy: ~1 s to import

    capture = _Capture()
    wp_logger = logging.getLogger("weasyprint")
    wp_logger.addHandler(capture)
    old_propagate = wp_logger.propagate
    wp_logger.propagate = False
    try:
        with _source_date_epoch(epoch), _element_languages():
            fetcher = make_fetcher(templates_dir)
            document = weasyprint.HTML(
                string=html,
                base_url=templates_dir.resolve().as_uri() + "/",
                url_fetcher=fetcher,
            ).render()
            options: dict[str, Any] = {}
            if variant:
                options["pdf_variant"] = variant
                # PDF/A-3b does not require tags; an archival copy should still be
                # readable with a screen reader, and tagging costs little.
                options["pdf_tags"] = True
            if attachments:
                options["attachments"] = _attachments(attachments, epoch, fetcher)
            data = document.write_pdf(finisher=_dedupe_associated_files, **options)
    finally:
        wp_logger.removeHandler(capture)
        wp_logger.propagate = old_propagate
    if not isinstance(data, bytes):  # pragma: no cover - write_pdf without target returns bytes
        raise OutputError("WeasyPrint returned no PDF data")
    warnings = capture.messages + blocked_warnings(fetcher.blocked, capture.messages)
    return PdfResult(data, len(document.pages), warnings)


def _attachments(items: Sequence[PdfAttachment], epoch: int, fetcher: Any) -> list[Any]:
    """Return WeasyPrint attachments, sorted by name, stamped with the pack's date."""
    import weasyprint

    # The EmbeddedFiles name tree must be sorted by name; WeasyPrint keeps the given order.
    # The dates default to "now" and the MIME type to a guess from the machine's
    # mime.types (which differs between machines): both are fixed here for determinism.
    # A `data:` URL is the one source WeasyPrint takes a MIME type from.
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC)
    return [
        weasyprint.Attachment(
            url=f"data:{a.mime_type};base64,{base64.b64encode(a.data).decode('ascii')}",
            url_fetcher=fetcher,
            name=a.name,
            description=a.description,
            created=stamp,
            modified=stamp,
            relationship=a.relationship,
        )
        for a in sorted(items, key=lambda a: a.name.encode("utf-8"))
    ]


def _dedupe_associated_files(document: Any, pdf: Any) -> None:
    """List each embedded file once in the catalog's /AF array.

    WeasyPrint 70's PDF/A-3 step adds every file twice (once from the EmbeddedFiles name
    tree, once from its file specification).
    """
    if "AF" in pdf.catalog:
        unique = list(dict.fromkeys(pdf.catalog["AF"]))
        pdf.catalog["AF"].clear()
        pdf.catalog["AF"].extend(unique)


@contextlib.contextmanager
def _element_languages() -> Iterator[None]:
    """Give tagged structure elements the `lang` of their HTML element, while rendering.

    WeasyPrint 70 writes only the document's /Lang. PDF/UA-1 (ISO 14289-1, 7.2) wants every
    change of language declared, and half of a pack is German: without /Lang on its
    elements a screen reader reads the German with English pronunciation. The structure
    builder is wrapped for the duration of one render and restored afterwards; if a
    WeasyPrint release renames it, packs are still tagged, only without element languages.
    """
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None or not inspect.isgeneratorfunction(original):
        yield
        return
    import pydyf  # type: ignore[import-untyped]

    def build_box_tree(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        node = getattr(box, "element", None)
        lang = None
        if node is not None and getattr(box, "element_tag", None) not in ("html", "body"):
            lang = node.get("lang")
        for element in original(box, parent, *args):
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    tags._build_box_tree = build_box_tree
    try:
        yield
    finally:
        tags._build_box_tree = original


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
