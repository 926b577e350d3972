"""OOXML helpers of the DOCX writer (output.docx): runs, languages, fields, the ZIP.

python-docx covers paragraphs, runs and styles; what it lacks (run languages, shading,
complex fields, repeated header rows, a deterministic ZIP) is written here against its
element API.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph


def normalize_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite a ZIP with fixed timestamps and permissions, `[Content_Types].xml` first."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine builds it
            target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()


def qn(tag: str) -> str:
    """Return the Clark name of a prefixed OOXML tag (`w:lang`)."""
    from docx.oxml.ns import qn as clark

    return str(clark(tag))


def set_lang(rpr: Any, lang: str) -> None:
    """Set `w:lang` (and its East Asian/complex-script twins) on a run's properties."""
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    el = rpr.makeelement(qn("w:lang"), {qn("w:val"): lang, qn("w:bidi"): lang})
    rpr.append(el)


def shade(rpr: Any, fill: str) -> None:
    """Give a run's properties a background colour (hex, without #)."""
    el = rpr.makeelement(
        qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill}
    )
    rpr.append(el)


def text_run(paragraph: Paragraph, text: str, lang: str, style: str | None = None) -> Any:
    """Append a run of `text` in language `lang` (and character style `style`)."""
    run = paragraph.add_run(text, style=style)
    set_lang(run._r.get_or_add_rPr(), lang)
    return run


def lang_paragraph(paragraph: Paragraph, lang: str) -> Paragraph:
    """Give the paragraph mark the language too (Word reads it for empty paragraphs)."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = ppr.makeelement(qn("w:rPr"), {})
        ppr.append(rpr)  # python-docx inserts later pPr children before it
    set_lang(rpr, lang)
    return paragraph


def add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """Append a complex field (PAGE, NUMPAGES, TOC) with a placeholder result."""
    p = paragraph._p

    def char(kind: str) -> None:
        r = p.makeelement(qn("w:r"), {})
        r.append(r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind}))
        p.append(r)

    char("begin")
    r = p.makeelement(qn("w:r"), {})
    instr = r.makeelement(
        qn("w:instrText"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}
    )
    instr.text = f" {instruction} "
    r.append(instr)
    p.append(r)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def repeat_header(row: Any) -> None:
    """Mark a table row as a header row (repeated on each page, read as headers)."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def css_hex(colour: str) -> str:
    """Return a CSS colour (validated on loading) as Word's hex `RRGGBB` (alpha dropped)."""
    import tinycss2.color4

    parsed = tinycss2.color4.parse_color(colour)
    if not isinstance(parsed, tinycss2.color4.Color):
        raise ValueError(f"not a CSS colour: {colour!r}")
    srgb = parsed.to("srgb").coordinates
    return "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02X}" for c in srgb)
