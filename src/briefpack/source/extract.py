"""Text and metadata from the files sources arrive as: plain text, web pages, PDF and DOCX.

Each reader uses a library made for its format, imported only when a file of that kind is read:

- HTML: trafilatura, which finds the article among navigation, cookie banners and teasers
  and reads headline, author, outlet (``og:site_name``, JSON-LD ``publisher``), date and
  canonical URL from OpenGraph, JSON-LD and ``<meta>`` tags. Only dates the page states are
  taken (no "extensive search" through the page's text, which guesses).
- PDF: pypdf (pure Python, no system libraries, maintained by the py-pdf project; it was a
  test dependency already, and it reads the document information dictionary directly,
  where pdfminer.six hands back undecoded PDF objects): the text of every page in layout
  mode (which keeps paragraph gaps), and ``/Title``, ``/Author`` and ``/CreationDate`` (and
  an XMP ``dc:publisher`` as the outlet, if present). Limit: a page set in several columns
  comes out line by line across the columns; save such a source as text instead.
- DOCX: python-docx: the paragraphs, and the core properties title, author and created.

A date the text states at its top (``16. Dezember 2025``) wins over a file's creation date,
which only says when the file was made. Every error names the file and is an `InputError`
(exit 3): a corrupt PDF, a web page without an article, a DOCX that is not a zip archive.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile
from dataclasses import dataclass, replace
from typing import Any

from briefpack.errors import InputError

# Kinds of source, by file name suffix and by HTTP content type.
TEXT, HTML, PDF, DOCX = "text", "html", "pdf", "docx"
SUFFIXES = {
    ".txt": TEXT,
    ".text": TEXT,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".pdf": PDF,
    ".docx": DOCX,
}
CONTENT_TYPES = {
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "application/pdf": PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": DOCX,
    "text/plain": TEXT,
}
MIN_ARTICLE_CHARS = 200  # less is a teaser, a paywall stub or an index page, not an article
_WS = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Extracted:
    """A source's text and the facts its file states (None: the file does not say)."""

    text: str
    kind: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    published_from: str | None = None  # where the date came from, e.g. "the PDF's /CreationDate"
    url: str | None = None


def _fail(label: str, message: str) -> InputError:
    return InputError(f"{label}: {message}")


def extract(data: bytes, kind: str, label: str, *, url: str | None = None) -> Extracted:
    """Return the text and metadata of a source file's bytes; raise `InputError` naming it."""
    if kind == HTML:
        return extract_html(data, label, url=url)
    if kind == PDF:
        return extract_pdf(data, label)
    if kind == DOCX:
        return extract_docx(data, label)
    raise ValueError(f"not an extractable kind: {kind!r}")  # pragma: no cover - caller's bug


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _paragraphs(parts: list[str]) -> str:
    # Seeds separate paragraphs by blank lines, as the segmenter expects.
    lines = (_WS.sub(" ", p).strip() for p in parts)
    return "\n\n".join(line for line in lines if line) + "\n"


def _iso_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (m := re.match(r"(\d{4})-(\d{2})-(\d{2})", value)):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


# --- HTML ----------------------------------------------------------------------------------


def extract_html(data: bytes, label: str, *, url: str | None = None) -> Extracted:
    """Return the article text and metadata of a web page (trafilatura)."""
    import trafilatura

    # trafilatura logs per-page diagnostics ("discarding data", empty trees) as warnings;
    # the outcome is what we report, so they must not become `--strict` findings.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    if not data.strip():
        raise _fail(label, "the web page is empty")
    doc: Any = trafilatura.bare_extraction(
        data,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text) < MIN_ARTICLE_CHARS:
        raise _fail(
            label,
            "no article text found in the web page (an index, a teaser or a page that "
            "needs a login?); save the article's text as .txt and pass that",
        )
    title = _clean(doc.title)
    lines = [line for line in text.splitlines() if line.strip()]
    # trafilatura keeps the <h1> and a kicker above it in the text; the headline is stored
    # separately (source.title), so the seed starts with the article itself.
    if title and title in lines[:3]:
        lines = lines[lines.index(title) + 1 :]
    host = (_clean(doc.hostname) or "").removeprefix("www.")
    outlet = _clean(doc.sitename)
    if outlet and host and outlet.lower().removeprefix("www.") == host.lower():
        outlet = None  # trafilatura falls back to the host name: not the outlet's name
    canonical = _clean(doc.url) or url
    if canonical and not canonical.startswith(("http://", "https://")):
        canonical = url
    published = _iso_date(doc.date)
    return Extracted(
        text=_paragraphs(lines),
        kind=HTML,
        title=title,
        author=_clean(doc.author),
        outlet=outlet,
        published=published,
        published_from="the page's metadata" if published else None,
        url=canonical,
    )


# --- PDF -----------------------------------------------------------------------------------


def extract_pdf(data: bytes, label: str) -> Extracted:
    """Return the text of every page and the document information of a PDF (pypdf)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf warns through logging about recoverable damage (it repairs xref tables).
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.startswith(b"%PDF-"):
        raise _fail(label, "not a PDF file (it does not start with %PDF-)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _fail(label, "the PDF is password-protected")
        # Layout mode keeps the vertical gaps between paragraphs as blank lines.
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
        info = reader.metadata
        title = _clean(info.title) if info else None
        author = _clean(info.author) if info else None
        created = _pdf_date(info) if info else None
        outlet = _xmp_publisher(reader)
    except PyPdfError as exc:
        raise _fail(label, f"cannot read the PDF ({exc})") from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, zipfile.BadZipFile) as exc:
        # pypdf surfaces some kinds of damage as plain Python errors from its parser.
        raise _fail(label, f"cannot read the PDF (damaged: {type(exc).__name__})") from None
    paragraphs = [p for page in pages for p in _pdf_paragraphs(page)]
    if not paragraphs:
        raise _fail(label, "the PDF has no text layer (a scan?); run OCR first or save as .txt")
    return Extracted(
        text=_paragraphs(paragraphs),
        kind=PDF,
        title=title,
        author=author,
        outlet=outlet,
        published=created,
        published_from="the PDF's /CreationDate" if created else None,
    )


def _pdf_paragraphs(page: str) -> list[str]:
    # Blank lines separate paragraphs. A hyphen at a line end before a lower-case letter
    # split a word ("Verteidi-/gung"); before a capital it belongs to a compound
    # ("Ukraine-/Diplomatie") and stays.
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", page):
        text = re.sub(r"(\w)-[ \t]*\n[ \t]*(?=[a-zäöüß])", r"\1", block.strip())
        text = re.sub(r"-[ \t]*\n[ \t]*", "-", text)
        text = " ".join(text.split())
        if text:
            out.append(text)
    return out


def _pdf_date(info: Any) -> dt.date | None:
    try:
        created = info.creation_date
    except (ValueError, TypeError):
        created = None  # a malformed /CreationDate string: no date, not a failure
    return _iso_date(created)


def _xmp_publisher(reader: Any) -> str | None:
    from xml.parsers.expat import ExpatError

    from pypdf.errors import PyPdfError

    try:
        xmp = reader.xmp_metadata
    except (PyPdfError, ExpatError, ValueError, KeyError, AttributeError):
        return None  # damaged XMP is optional metadata, never fatal
    publishers = getattr(xmp, "dc_publisher", None) if xmp is not None else None
    return _clean(publishers[0]) if publishers else None


# --- DOCX ----------------------------------------------------------------------------------


def extract_docx(data: bytes, label: str) -> Extracted:
    """Return the paragraphs and core properties of a Word document (python-docx)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        props = document.core_properties
        parts = [p.text for p in document.paragraphs]
        title, author, created = props.title, props.author, props.created
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        reason = "not a Word .docx file" if isinstance(exc, zipfile.BadZipFile) else str(exc)
        raise _fail(label, f"cannot read the DOCX ({reason})") from None
    text = _paragraphs(parts)
    if not text.strip():
        raise _fail(label, "the DOCX has no text")
    published = _iso_date(created)
    return Extracted(
        text=text,
        kind=DOCX,
        title=_clean(title),
        author=_clean(author),
        published=published,
        published_from="the document's creation date" if published else None,
    )


def with_stated_date(item: Extracted, stated: dt.date | None) -> Extracted:
    """Return `item` with the date its text states, which beats a file's creation date."""
    if stated is None or item.kind == HTML:
        return item
    return replace(item, published=stated, published_from="the text")
