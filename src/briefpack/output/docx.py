"""Render a pack view as a Word document with python-docx (imported lazily).

The document uses Word's own styles (Title, Subtitle, Heading 1/2, Table Grid, List
Number), so that an analyst can edit and restyle it, and Word's navigation pane and the
table-of-contents field (updated when the document is opened) work. Every German run and
paragraph carries `w:lang de-DE`, every English one `en-GB` (spelling check and screen
readers). Machine-translated sentences are shaded and flagged `MT`; a draft has
"DRAFT / ENTWURF" in the header of every page and on the cover.

Deterministic: the core properties are stamped with the pack's date, and the ZIP is
rewritten with fixed timestamps and its parts in a fixed order, so that two builds from
the same inputs are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING, Any

from briefpack.output.html import date_de, date_en
from briefpack.output.view import MISSING_EN, English, PackView, Row, Section

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

DE = "de-DE"
EN = "en-GB"
MT_STYLE = "Machine Translation"
MT_FLAG_STYLE = "MT Flag"
MISSING_STYLE = "Missing Translation"
DRAFT = "DRAFT / ENTWURF"
_CHANGE_LABELS = {
    "source-added": "New source",
    "source-removed": "Source removed",
    "source-changed": "Source changed",
    "pack-changed": "Executive summary or cover changed",
    "translations-redone": "re-done",
    "newly-reviewed": "newly reviewed",
}


def render_docx(view: PackView, *, epoch: int) -> bytes:
    """Return the DOCX bytes of a pack."""
    import docx  # lazy: python-docx pulls in lxml

    document = docx.Document()
    _setup(document, view, epoch)
    writer = _Writer(document, view)
    writer.cover()
    writer.contents()
    writer.changes()
    writer.executive()
    for section in view.sections:
        writer.source(section)
    writer.glossary()
    writer.sources()
    writer.colophon()
    raw = io.BytesIO()
    document.save(raw)
    return normalize_zip(raw.getvalue(), dt.datetime.fromtimestamp(epoch, dt.UTC))


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


def _setup(document: Document, view: PackView, epoch: int) -> None:
    """Set metadata, the document language, page header/footer and the custom styles."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Mm, Pt, RGBColor

    pack = view.pack
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None)
    props = document.core_properties
    title = f"{pack['title_en']} / {pack['title_de']}"
    props.title = f"{DRAFT} – {title}" if view.draft else title
    props.subject = "Bilingual German/English briefing pack"
    props.author = "briefpack"
    props.last_modified_by = "briefpack"
    props.keywords = ", ".join(view.keywords)
    props.language = EN
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    props.comments = f"briefpack {view.version}; input fingerprint {view.colophon.fingerprint}"

    styles = document.styles
    _set_lang(styles["Normal"].element.get_or_add_rPr(), EN)
    mt = styles.add_style(MT_STYLE, WD_STYLE_TYPE.CHARACTER)
    mt.base_style = styles["Default Paragraph Font"]
    _shade(mt.element.get_or_add_rPr(), "FBF1D6")
    flag = styles.add_style(MT_FLAG_STYLE, WD_STYLE_TYPE.CHARACTER)
    flag.font.bold = True
    flag.font.size = Pt(7)
    flag.font.color.rgb = RGBColor(0x8A, 0x5A, 0x00)
    missing = styles.add_style(MISSING_STYLE, WD_STYLE_TYPE.CHARACTER)
    missing.font.italic = True
    missing.font.color.rgb = RGBColor(0x9B, 0x1C, 0x1C)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, like the PDF
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(20), Mm(18)
    marking = pack["marking_en"]
    assert isinstance(marking, English)
    head = section.header.paragraphs[0]
    if view.draft:
        run = head.add_run(DRAFT + "   ")
        run.bold = True
        run.font.color.rgb = RGBColor(0x9B, 0x1C, 0x1C)
        _set_lang(run._r.get_or_add_rPr(), EN)
    _run(head, marking.text.upper(), EN)
    foot = section.footer.paragraphs[0]
    _run(foot, f"{pack['title_en']} · Page ", EN)
    _field(foot, "PAGE", "1")
    _run(foot, " of ", EN)
    _field(foot, "NUMPAGES", "1")
    # Word updates the TOC and page fields when the document is opened.
    settings = document.settings.element
    update = settings.makeelement(_qn("w:updateFields"), {_qn("w:val"): "true"})
    settings.append(update)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _set_lang(rpr: Any, lang: str) -> None:
    """Set `w:lang` (and its East Asian/complex-script twins) on a run's properties."""
    for old in rpr.findall(_qn("w:lang")):
        rpr.remove(old)
    el = rpr.makeelement(_qn("w:lang"), {_qn("w:val"): lang, _qn("w:bidi"): lang})
    rpr.append(el)


def _shade(rpr: Any, fill: str) -> None:
    el = rpr.makeelement(
        _qn("w:shd"), {_qn("w:val"): "clear", _qn("w:color"): "auto", _qn("w:fill"): fill}
    )
    rpr.append(el)


def _run(paragraph: Paragraph, text: str, lang: str, style: str | None = None) -> Any:
    run = paragraph.add_run(text, style=style)
    _set_lang(run._r.get_or_add_rPr(), lang)
    return run


def _lang_paragraph(paragraph: Paragraph, lang: str) -> Paragraph:
    """Give the paragraph mark the language too (Word reads it for empty paragraphs)."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(_qn("w:rPr"))
    if rpr is None:
        rpr = ppr.makeelement(_qn("w:rPr"), {})
        ppr.append(rpr)  # python-docx inserts later pPr children before it
    _set_lang(rpr, lang)
    return paragraph


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """Append a complex field (PAGE, NUMPAGES, TOC) with a placeholder result."""
    p = paragraph._p

    def char(kind: str) -> None:
        r = p.makeelement(_qn("w:r"), {})
        r.append(r.makeelement(_qn("w:fldChar"), {_qn("w:fldCharType"): kind}))
        p.append(r)

    char("begin")
    r = p.makeelement(_qn("w:r"), {})
    instr = r.makeelement(
        _qn("w:instrText"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}
    )
    instr.text = f" {instruction} "
    r.append(instr)
    p.append(r)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


class _Writer:
    """Write the parts of a pack into a document, in reading order."""

    def __init__(self, document: Document, view: PackView) -> None:
        self.doc = document
        self.view = view

    # ---- helpers ----
    def para(self, style: str | None = None) -> Paragraph:
        return self.doc.add_paragraph(style=style)

    def bilingual_heading(self, de: str, en: str, level: int) -> Paragraph:
        p = self.doc.add_heading(level=level)
        _run(p, de, DE)
        _run(p, " / ", EN)
        _run(p, en, EN)
        return _lang_paragraph(p, EN)

    def english(self, paragraph: Paragraph, e: English) -> None:
        """Write English spans; machine sentences shaded and flagged, missing ones marked."""
        for i, span in enumerate(s for para in e.paragraphs[:1] for s in para):
            if i:
                _run(paragraph, " ", EN)
            self._span(paragraph, span.text, span.status)
        for para in e.paragraphs[1:]:
            paragraph = self._next_paragraph(paragraph, EN)
            for i, span in enumerate(para):
                if i:
                    _run(paragraph, " ", EN)
                self._span(paragraph, span.text, span.status)

    def _span(self, paragraph: Paragraph, text: str, status: str) -> None:
        if status == "machine":
            _run(paragraph, "MT", EN, MT_FLAG_STYLE)
            _run(paragraph, "\u00a0", EN)
            _run(paragraph, text, EN, MT_STYLE)
        elif status == "missing":
            _run(paragraph, text or MISSING_EN, EN, MISSING_STYLE)
        else:
            _run(paragraph, text, EN)

    def _next_paragraph(self, paragraph: Paragraph, lang: str) -> Paragraph:
        """Add a paragraph after `paragraph` in the same container (a table cell)."""
        cell_or_doc = paragraph._parent
        new = cell_or_doc.add_paragraph()  # type: ignore[attr-defined]
        return _lang_paragraph(new, lang)

    def german(self, paragraph: Paragraph, text: str) -> None:
        parts = [p.strip() for p in text.split("\n\n") if p.strip()] or [""]
        _run(paragraph, parts[0], DE)
        for part in parts[1:]:
            paragraph = self._next_paragraph(paragraph, DE)
            _run(paragraph, part, DE)

    def table(self, columns: int, header: tuple[tuple[str, str], ...] | None = None) -> Any:
        table = self.doc.add_table(rows=0, cols=columns)
        table.style = self.doc.styles["Table Grid"]
        if header:
            cells = table.add_row().cells
            for cell, (text, lang) in zip(cells, header, strict=True):
                p = _lang_paragraph(cell.paragraphs[0], lang)
                _run(p, text, lang).bold = True
            _repeat_header(table.rows[0])
        return table

    def bilingual_row(self, table: Any, row: Row, prefix: str = "") -> None:
        de_cell, en_cell = table.add_row().cells
        de_p = _lang_paragraph(de_cell.paragraphs[0], DE)
        en_p = _lang_paragraph(en_cell.paragraphs[0], EN)
        if prefix:
            _run(de_p, prefix, DE).bold = True
            _run(en_p, prefix, EN).bold = True
        self.german(de_p, row.de)
        self.english(en_p, row.en)

    # ---- parts ----
    def cover(self) -> None:
        from docx.enum.text import WD_BREAK

        v, pack = self.view, self.view.pack
        if v.draft:
            p = self.para()
            _run(p, "DRAFT", EN).bold = True
            _run(p, " / ", EN).bold = True
            _run(p, "ENTWURF", DE).bold = True
        marking = pack["marking_en"]
        assert isinstance(marking, English)
        p = _lang_paragraph(self.para(), DE)
        _run(p, str(pack["marking_de"]), DE).bold = True
        _run(p, " · ", EN)
        self.english(p, marking)
        p = _lang_paragraph(self.para(), DE)
        _run(p, "Lagebild", DE)
        _run(p, " · ", EN)
        _run(p, "Briefing pack", EN)
        title = _lang_paragraph(self.doc.add_heading(level=0), DE)
        _run(title, str(pack["title_de"]), DE)
        sub = _lang_paragraph(self.para("Subtitle"), EN)
        _run(sub, str(pack["title_en"]), EN)

        date = pack["date"]
        assert isinstance(date, dt.date)
        audience = pack["audience_en"]
        assert isinstance(audience, English)
        facts = self.table(2)
        s = v.stats
        translation = f"{s.reviewed} reviewed, {s.machine} machine" + (
            f", {s.missing} missing" if s.missing else ""
        )
        rows: list[tuple[tuple[str, str], list[tuple[str, str]] | English]] = [
            (("Stand", "As of"), [(date_de(date), DE), (" / ", EN), (date_en(date), EN)]),
            (("Adressaten", "Audience"), [(str(pack["audience_de"]), DE), ("\n", EN)]),
            (("Einstufung", "Marking"), [(str(pack["marking_de"]), DE), ("\n", EN)]),
            (("Quellen", "Sources"), [(str(len(v.sections)), EN)]),
            (("Übersetzung", "Translation"), [(translation + " segments", EN)]),
        ]
        extra = {1: audience, 2: marking}
        for i, ((de, en), parts) in enumerate(rows):
            label, value = facts.add_row().cells
            lp = _lang_paragraph(label.paragraphs[0], DE)
            _run(lp, de, DE).bold = True
            _run(lp, " / ", EN).bold = True
            _run(lp, en, EN).bold = True
            vp = value.paragraphs[0]
            assert isinstance(parts, list)
            for text, lang in parts:
                if text == "\n":
                    vp = self._next_paragraph(vp, EN)
                else:
                    _run(vp, text, lang)
            if i in extra:
                self.english(vp, extra[i])
        note = _lang_paragraph(self.para(), EN)
        _run(
            note,
            "German originals on the left, English on the right. English marked MT is "
            "machine translation that no person has reviewed yet.",
            EN,
        ).italic = True
        note.add_run().add_break(WD_BREAK.PAGE)

    def contents(self) -> None:
        self.bilingual_heading("Inhalt", "Contents", 1)
        p = _lang_paragraph(self.para(), EN)
        _field(p, 'TOC \\o "1-2" \\h \\z \\u', "Update the field (F9) to show the contents.")

    def changes(self) -> None:
        log = self.view.changes
        if log is None or not log.items:
            return
        p = self.doc.add_heading(level=2)
        _run(p, f"Änderungen seit {date_de(log.since)}", DE)
        _run(p, " / ", EN)
        _run(p, f"Changes since {date_en(log.since)}", EN)
        for c in log.items:
            item = _lang_paragraph(self.para("List Bullet"), EN)
            label = _CHANGE_LABELS.get(c.kind, c.kind)
            if c.kind == "pack-changed":
                _run(item, label, EN)
                continue
            if c.count:
                label = f"{c.count} translation{'s' if c.count != 1 else ''} {label}"
            _run(item, f"{label}: ", EN)
            _run(item, c.title, DE)

    def executive(self) -> None:
        self.bilingual_heading("Zusammenfassung", "Executive summary", 1)
        table = self.table(2, (("Deutsch", DE), ("English", EN)))
        self.bilingual_row(table, self.view.executive)

    def source(self, s: Section) -> None:
        from docx.enum.text import WD_BREAK

        self.para().add_run().add_break(WD_BREAK.PAGE)
        label = _lang_paragraph(self.para(), DE)
        _run(label, "Quelle", DE)
        _run(label, f" / Source {s.number}", EN)
        heading = _lang_paragraph(self.doc.add_heading(level=1), DE)
        _run(heading, s.title_de, DE)
        sub = _lang_paragraph(self.para("Subtitle"), EN)
        self.english(sub, s.title_en)

        meta = self.table(2)
        src = s.source
        published = (
            f"{date_de(src.published)} / {date_en(src.published)}" if src.published else None
        )
        for (de, en), value in (
            (("Titel der Quelle", "Source title"), src.title),
            (("Medium", "Outlet"), src.outlet),
            (("Autor", "Author"), src.author),
            (("Datum", "Date"), published),
            (("URL", "URL"), src.url),
            (("Quelldatei", "Source file"), src.file),
        ):
            left, right = meta.add_row().cells
            lp = _lang_paragraph(left.paragraphs[0], DE)
            _run(lp, de, DE).bold = True
            if en != de:
                _run(lp, f" / {en}", EN).bold = True
            rp = _lang_paragraph(right.paragraphs[0], DE)
            if value:
                _run(rp, str(value), DE)
            else:
                _run(rp, "nicht angegeben", DE, MISSING_STYLE)
                _run(rp, " / ", EN)
                _run(rp, "not stated", EN, MISSING_STYLE)

        header = (("Deutsch", DE), ("English", EN))
        self.bilingual_heading("Zusammenfassung", "Summary", 2)
        self.bilingual_row(self.table(2, header), s.summary)
        self.bilingual_heading("Kernpunkte", "Key points", 2)
        table = self.table(2, header)
        for i, row in enumerate(s.key_points, 1):
            self.bilingual_row(table, row, prefix=f"{i}. ")
        self.bilingual_heading("Zitate", "Quotes", 2)
        table = self.table(2, header)
        for row in s.quotes:
            de_cell, en_cell = table.add_row().cells
            dp = _lang_paragraph(de_cell.paragraphs[0], DE)
            _run(dp, f"„{row.de}“", DE).italic = True
            sp = self._next_paragraph(dp, DE)
            _run(sp, f"— {row.speaker_de}", DE)
            ep = _lang_paragraph(en_cell.paragraphs[0], EN)
            if row.en.status == "machine":
                _run(ep, "MT", EN, MT_FLAG_STYLE)
                _run(ep, "\u00a0", EN)
            quote = _run(
                ep, f"“{row.en.text}”", EN, MISSING_STYLE if row.en.status == "missing" else None
            )
            quote.italic = True
            if row.speaker_en is not None:
                _run(self._next_paragraph(ep, EN), f"— {row.speaker_en.text}", EN)
        self.bilingual_heading("Bewertung", "Assessment", 2)
        self.bilingual_row(self.table(2, header), s.assessment)

    def glossary(self) -> None:
        from docx.enum.text import WD_BREAK

        if not self.view.glossary_terms:
            return
        self.para().add_run().add_break(WD_BREAK.PAGE)
        self.bilingual_heading("Glossar", "Glossary", 1)
        intro = _lang_paragraph(self.para(), EN)
        _run(
            intro,
            "Terms from the project glossary that occur in this pack, with the English "
            "rendering every translation is held to.",
            EN,
        )
        table = self.table(3, (("Deutsch", DE), ("English", EN), ("Note", EN)))
        for term in self.view.glossary_terms:
            cells = table.add_row().cells
            for cell, key, lang in zip(cells, ("de", "en", "note"), (DE, EN, EN), strict=True):
                _run(_lang_paragraph(cell.paragraphs[0], lang), term[key], lang)

    def sources(self) -> None:
        self.bilingual_heading("Quellenverzeichnis", "List of sources", 1)
        for s in self.view.sections:
            src = s.source
            p = _lang_paragraph(self.para("List Number"), DE)
            _run(p, src.author or "Author not stated", DE if src.author else EN).bold = True
            _run(p, ": ", EN)
            if src.title:
                _run(p, f"„{src.title}“", DE)
            else:
                _run(p, s.title_de, DE)
                _run(p, " (no headline; briefing title)", EN)
            _run(p, ". ", EN)
            _run(p, src.outlet or "Outlet not stated", DE if src.outlet else EN)
            _run(p, ", " + (date_en(src.published) if src.published else "undated") + ".", EN)
            if src.url:
                _run(p, f" {src.url}.", EN)
            _run(p, f" Text: {src.file}", EN)

    def colophon(self) -> None:
        v, c, s = self.view, self.view.colophon, self.view.stats
        self.bilingual_heading("Impressum", "Colophon", 1)
        lines = [
            ("Produced with", f"briefpack {v.version}. {c.variant_label}."),
            (
                "Translation",
                f"{s.reviewed} segments reviewed by a person, {s.machine} machine-translated"
                + (f", {s.missing} missing (draft)" if s.missing else "")
                + f", {s.total} in all.",
            ),
        ]
        if s.engines:
            lines.append(("Machine translation", "; ".join(s.engines) + "."))
        if c.glossary_fingerprint:
            lines.append(
                (
                    "Glossary",
                    f"{c.glossary_entries} entries, {len(v.glossary_terms)} of them used in this "
                    f"pack; glossary fingerprint {c.glossary_fingerprint}.",
                )
            )
        if c.fingerprint:
            lines.append(("Input fingerprint", c.fingerprint))
        for term, text in lines:
            p = _lang_paragraph(self.para(), EN)
            _run(p, f"{term}: ", EN).bold = True
            _run(p, text, EN)


def _repeat_header(row: Any) -> None:
    """Mark a table row as a header row (repeated on each page, read as headers)."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(_qn("w:tblHeader"), {_qn("w:val"): "true"}))
