"""Render pack HTML to PDF with WeasyPrint (imported lazily), fetching only the theme's assets."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import gc
import inspect
import logging
import os
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from briefpack.errors import OutputError
from briefpack.output.pdf_conformance import plain_metadata, tag_links
from briefpack.output.theme import Theme

# Above this many pages a layout's garbage is collected before the PDF is written (below).
LARGE_DOCUMENT_PAGES = 200


@dataclass
class PdfResult:
    """A rendered PDF and what WeasyPrint complained about while making it."""

    data: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)
    logged: list[dict[str, Any]] = field(default_factory=list)  # WeasyPrint's records (below)


class _Capture(logging.Handler):
    """Keep WeasyPrint's warnings: as messages, and as records a worker can send back."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.records: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        self.messages.append(message)
        # The fields `logging.makeLogRecord` takes back, with the message already formatted
        # (its arguments need not survive pickling).
        self.records.append(
            {
                **{key: getattr(record, key) for key in _RECORD_FIELDS},
                "msg": message,
                "args": None,
            }
        )


_RECORD_FIELDS = (
    "name",
    "levelno",
    "levelname",
    "pathname",
    "filename",
    "module",
    "lineno",
    "funcName",
    "created",
    "msecs",
    "relativeCreated",
    "process",
    "processName",
)


def epoch_for(day: dt.date) -> int:
    """Return the Unix time of midnight UTC of `day` (the date stamped into a pack's PDF)."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


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
    """Render HTML to PDF bytes with a fetcher that can only read the theme's assets.

    `variant` is a WeasyPrint `pdf_variant` (`pdf/ua-1`, `pdf/a-3b`) or None. Tagged
    variants get a structure tree whose elements carry the `lang` of their HTML element.
    `epoch` (the pack's date) stamps the embedded files and the embedded fonts (see
    `stamp_font`), so the bytes do not depend on the clock, with HarfBuzz subsetting
    (libharfbuzz-subset0) or without it. Without it WeasyPrint subsets with fontTools and
    warns (a finding: the fallback is slower and will go away).
    """
    import weasyprint  # lazy: ~1 s to import

    capture = _Capture()
    wp_logger = logging.getLogger("weasyprint")
    wp_logger.addHandler(capture)
    old_propagate = wp_logger.propagate
    wp_logger.propagate = False
    try:
        with _element_languages():
            fetcher = make_fetcher(templates_dir)
            document = weasyprint.HTML(
                string=html,
                base_url=templates_dir.resolve().as_uri() + "/",
                url_fetcher=fetcher,
            ).render()
            if len(document.pages) > LARGE_DOCUMENT_PAGES:
                # Pagination leaves cyclic garbage (copies of boxes split across pages) that
                # the generational collector would free only later: collected here, before
                # write_pdf allocates the PDF's objects, it lowers a large pack's peak RSS
                # (about 5 %; measured in docs/performance.md). A small pack's peak is not
                # worth the collection's time.
                gc.collect()
            options: dict[str, Any] = {}
            if variant:
                options["pdf_variant"] = variant
                # PDF/A-3b does not require tags; an archival copy should still be
                # readable with a screen reader, and tagging costs little.
                options["pdf_tags"] = True
            if attachments:
                options["attachments"] = _attachments(attachments, epoch, fetcher)
            data = document.write_pdf(finisher=_Finisher(epoch), **options)
    finally:
        wp_logger.removeHandler(capture)
        wp_logger.propagate = old_propagate
    if not isinstance(data, bytes):  # pragma: no cover - write_pdf without target returns bytes
        raise OutputError("WeasyPrint returned no PDF data")
    warnings = capture.messages + blocked_warnings(fetcher.blocked, capture.messages)
    return PdfResult(data, len(document.pages), warnings, capture.records)


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


@dataclass(frozen=True)
class _Finisher:
    """What is done to WeasyPrint's PDF objects before they are written."""

    epoch: int

    def __call__(self, document: Any, pdf: Any) -> None:
        _dedupe_associated_files(document, pdf)
        tag_links(document, pdf)
        plain_metadata(document, pdf)
        _stamp_fonts(pdf, self.epoch)


def _stamp_fonts(pdf: Any, epoch: int) -> None:
    """Stamp every embedded TrueType/OpenType font program with `epoch` (see `stamp_font`)."""
    import pydyf  # type: ignore[import-untyped]

    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream) or len(obj.stream) != 1:
            continue
        if "Length1" not in obj.extra and obj.extra.get("Subtype") != "/OpenType":
            continue  # not a FontFile2 (TrueType) or FontFile3 (OpenType) stream
        data = obj.stream[0]
        if isinstance(data, bytes):
            obj.stream[0] = stamp_font(data, epoch)


# Seconds from the font epoch (1904-01-01, OpenType `LONGDATETIME`) to the Unix epoch.
_FONT_EPOCH_OFFSET = 2_082_844_800
_SFNT_VERSIONS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
_HEAD_MODIFIED = 28  # offset of `modified` in the head table
_HEAD_ADJUSTMENT = 8  # offset of `checkSumAdjustment` in the head table


def stamp_font(data: bytes, epoch: int) -> bytes:
    """Return the sfnt font `data` with head.modified set to `epoch`, checksums updated.

    fontTools (WeasyPrint's subsetter without libharfbuzz-subset0, and its variable-font
    and emoji clean-up) writes the current time into `head.modified` on every save; HarfBuzz
    keeps the source font's. Setting it from the pack's date makes both byte-stable without
    touching the process environment (fontTools also reads SOURCE_DATE_EPOCH). The head
    table's checksum and the font's checkSumAdjustment are recomputed as the OpenType
    specification defines them. Anything that is not a single sfnt font comes back as is.
    """
    if len(data) < 12 or data[:4] not in _SFNT_VERSIONS:
        return data
    (tables,) = struct.unpack_from(">H", data, 4)
    for i in range(tables):
        record = 12 + 16 * i
        if record + 16 > len(data):
            return data
        tag, _, offset, length = struct.unpack_from(">4sIII", data, record)
        if tag != b"head":
            continue
        if length < _HEAD_MODIFIED + 8 or offset + length > len(data):
            return data
        font = bytearray(data)
        struct.pack_into(">q", font, offset + _HEAD_MODIFIED, epoch + _FONT_EPOCH_OFFSET)
        struct.pack_into(">I", font, offset + _HEAD_ADJUSTMENT, 0)
        head = bytes(font[offset : offset + length])
        struct.pack_into(">I", font, record + 4, _checksum(head))
        adjustment = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
        struct.pack_into(">I", font, offset + _HEAD_ADJUSTMENT, adjustment)
        return bytes(font)
    return data


def _checksum(data: bytes) -> int:
    """Return the OpenType checksum of `data`: its big-endian uint32 words summed mod 2**32."""
    padded = data + b"\0" * (-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(padded) // 4}I", padded)
    return sum(words) & 0xFFFFFFFF


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
    import pydyf

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
    """Return a WeasyPrint URL fetcher restricted to `data:` URLs and the theme's files.

    A `file:` URL inside the project's `templates_dir` or the packaged theme names a theme
    file (`style.css`, `assets/fonts/…`), read from the project if it overrides it, else
    from the package (output.theme); only stylesheets at the top of the theme and files
    under its `assets/` are read. Every refused URL is appended to the fetcher's `blocked`
    list, so that `render_pdf` can report refusals WeasyPrint itself only logs at debug
    level (a font-face `src`).
    """
    from weasyprint.urls import URLFetcher

    theme = Theme(templates_dir)

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        """Fetch only `data:` URLs and the theme's stylesheets and assets."""

        blocked: list[str]

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            found = self._theme_file(url) if scheme == "file" else None
            if found is not None:
                return super().fetch(found.as_uri(), headers)
            self.blocked.append(url)
            raise ValueError(f"briefpack does not fetch {url[:120]!r} (only templates/assets)")

        @staticmethod
        def _theme_file(url: str) -> Path | None:
            parts = urlsplit(url)
            # `file://host/…`: urllib would look the host name up (a DNS query) before
            # refusing it; only local paths are ever read.
            if parts.netloc not in ("", "localhost"):
                return None
            name = theme.relative(Path(os.path.normpath(unquote(parts.path))))
            if name is None:
                return None
            return theme.stylesheet(name) or theme.asset(name)

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
