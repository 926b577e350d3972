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
- DOCX: python-docx: the paragraphs and tables (a row becomes a line of cells joined by
  " | "), in document order, and the core properties title, author and created. The zip
  archive is checked first (`check_zip`): every member's declared size, its compression
  ratio and the bytes it actually inflates to (a streamed, bounded read), so a 2 MB file
  holding a 1 GB document.xml is refused in a second instead of exhausting memory.
- Running headers and footers of a PDF (a line that recurs at the top or bottom of most
  pages, digits aside) and page-number lines ("Seite 3", "3 / 12", "- 3 -") are dropped.

The text of every source passes the text-validity gate (`briefpack.util.text`) as it is
extracted: control characters a PDF or DOCX may carry are removed, never written to a seed.
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
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from briefpack.errors import InputError
from briefpack.util.text import clean, without_forbidden

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

# Zip archives (DOCX): a Word document's largest part, document.xml, is a few MB even for a
# long report; XML compresses about 10:1, rarely beyond 50:1.
MAX_ZIP_MEMBER = 32 * 1024 * 1024
MAX_ZIP_TOTAL = 128 * 1024 * 1024
MAX_ZIP_MEMBERS = 5_000
MAX_ZIP_RATIO = 200  # for members over 1 MiB
_RATIO_FROM = 1024 * 1024


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
    try:
        if kind == HTML:
            return extract_html(data, label, url=url)
        if kind == PDF:
            return extract_pdf(data, label)
        if kind == DOCX:
            return extract_docx(data, label)
    except (MemoryError, RecursionError):
        # The limits above should make this unreachable; if a library still runs out, the
        # user gets the file's name, not a traceback.
        raise _fail(label, "the file is too large or too deeply nested to read") from None
    raise ValueError(f"not an extractable kind: {kind!r}")  # pragma: no cover - caller's bug


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(clean(without_forbidden(value)).split())
    return text or None


def _paragraphs(parts: list[str]) -> str:
    # Seeds separate paragraphs by blank lines, as the segmenter expects.
    lines = (_WS.sub(" ", clean(without_forbidden(p))).strip() for p in parts)
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
    from pypdf.errors import DependencyError, PyPdfError

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
    except DependencyError:
        # pypdf decrypts AES (most encrypted PDFs, even those that open without a password)
        # only with the `cryptography` package, a dependency of briefpack.
        raise _fail(
            label,
            "the PDF is AES-encrypted and the `cryptography` package is not installed "
            "(pip install cryptography), or save the text as .txt",
        ) from None
    except PyPdfError as exc:
        raise _fail(label, f"cannot read the PDF ({exc})") from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, zipfile.BadZipFile) as exc:
        # pypdf surfaces some kinds of damage as plain Python errors from its parser.
        raise _fail(label, f"cannot read the PDF (damaged: {type(exc).__name__})") from None
    paragraphs = [p for page in _without_running_lines(pages) for p in _pdf_paragraphs(page)]
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


# A page number on a line of its own: "Seite 3", "Seite 3 von 12", "S. 3", "3 / 12", "- 3 -".
_PAGE_NUMBER = re.compile(
    r"(?:(?:Seite|S\.|Page)\s*\d+(?:\s*(?:von|/|of)\s*\d+)?|[-–]?\s*\d+\s*[-–]?|\d+\s*/\s*\d+)",
    re.IGNORECASE,
)
_EDGE_LINES = 2  # lines at the top and bottom of a page where headers and footers sit


def _without_running_lines(pages: list[str]) -> list[str]:
    """Return the pages without running headers, footers and page-number lines.

    A running line is one of the first or last two lines of a page that recurs, digits
    aside, at the edge of at least half of the pages (and two of them at least).
    """
    lines_of = [page.splitlines() for page in pages]
    edges: list[list[int]] = []
    for lines in lines_of:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        edges.append(sorted({*filled[:_EDGE_LINES], *filled[-_EDGE_LINES:]}))
    counts: dict[str, int] = {}
    for lines, where in zip(lines_of, edges, strict=True):
        for key in {_running_key(lines[i]) for i in where}:
            if key is not None:
                counts[key] = counts.get(key, 0) + 1
    needed = max(2, (len(pages) + 1) // 2)
    out: list[str] = []
    for lines, where in zip(lines_of, edges, strict=True):
        for i in where:
            line = lines[i].strip()
            key = _running_key(line)
            if _PAGE_NUMBER.fullmatch(line) or (key and counts.get(key, 0) >= needed):
                lines[i] = ""
        out.append("\n".join(lines))
    return out


def _running_key(line: str) -> str | None:
    key = re.sub(r"\d+", "#", " ".join(line.split()))
    # Too little to tell a running line from the tail of a paragraph ("12."): never one.
    return key if sum(c.isalpha() for c in key) >= 4 else None


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
    """Return the paragraphs, tables and core properties of a Word document (python-docx)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    check_zip(data, label, what="DOCX")
    try:
        document = docx.Document(io.BytesIO(data))
        props = document.core_properties
        parts = list(_docx_blocks(document))
        title, author, created = props.title, props.author, props.created
    except zipfile.BadZipFile:
        raise _fail(label, "cannot read the DOCX (not a Word .docx file)") from None
    except XMLSyntaxError as exc:
        raise _fail(label, f"cannot read the DOCX (damaged XML: {exc})") from None
    except (PackageNotFoundError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise _fail(label, f"cannot read the DOCX ({exc or type(exc).__name__})") from None
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


def _docx_blocks(document: Any) -> Iterator[str]:
    """Yield the body's paragraphs and table rows in document order."""
    from docx.table import Table

    for block in document.iter_inner_content():
        if not isinstance(block, Table):
            yield block.text
            continue
        for row in block.rows:
            cells: list[str] = []
            for cell in row.cells:
                text = " ".join(cell.text.split())
                # A merged cell is returned once per grid column it spans.
                if text and (not cells or cells[-1] != text):
                    cells.append(text)
            yield " | ".join(cells)


def check_zip(data: bytes, label: str, *, what: str) -> None:
    """Raise InputError unless the zip archive `data` inflates to a bounded size.

    Declared sizes and ratios are checked first (cheap), then every member is inflated in
    a streamed read that stops once it passes its declared size or the limit, since the
    sizes in a zip's directory are only claims.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _fail(label, f"cannot read the {what} (not a zip archive)") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise _fail(label, f"the {what} holds {len(members):,} parts (limit {MAX_ZIP_MEMBERS:,})")
    total = 0
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_ZIP_MEMBER or (
            info.file_size > _RATIO_FROM and ratio > MAX_ZIP_RATIO
        ):
            raise _zip_bomb(label, what, info.filename, info.file_size)
        total += info.file_size
    if total > MAX_ZIP_TOTAL:
        raise _fail(
            label,
            f"the {what} would inflate to {total:,} bytes (limit {MAX_ZIP_TOTAL:,}); refused",
        )
    for info in members:
        seen = 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(1 << 20):
                    seen += len(chunk)
                    if seen > min(info.file_size, MAX_ZIP_MEMBER):
                        raise _zip_bomb(label, what, info.filename, seen)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise _fail(
                label, f"cannot read the {what} (damaged part {info.filename}: {exc})"
            ) from None


def _zip_bomb(label: str, what: str, name: str, size: int) -> InputError:
    return _fail(
        label,
        f"the {what}'s part {name} inflates to {size:,} bytes or more (limit "
        f"{MAX_ZIP_MEMBER:,}, at most {MAX_ZIP_RATIO}:1); refused as a decompression bomb",
    )


def with_stated_date(item: Extracted, stated: dt.date | None) -> Extracted:
    """Return `item` with the date its text states, which beats a file's creation date."""
    if stated is None or item.kind == HTML:
        return item
    return replace(item, published=stated, published_from="the text")
