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
from typing import TYPE_CHECKING, Any

from briefpack.output.html import date_de, date_en
from briefpack.output.ooxml import (
    add_field,
    css_hex,
    lang_paragraph,
    normalize_zip,
    qn,
    repeat_header,
    set_lang,
    shade,
    text_run,
)
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
    set_lang(styles["Normal"].element.get_or_add_rPr(), EN)
    accent = dict(view.house.colours).get("accent")
    if accent is not None:  # the house style's accent colours the headings, as in the PDF
        rgb = RGBColor.from_string(css_hex(accent))
        for name in ("Title", "Heading 1", "Heading 2"):
            styles[name].font.color.rgb = rgb
    mt = styles.add_style(MT_STYLE, WD_STYLE_TYPE.CHARACTER)
    mt.base_style = styles["Default Paragraph Font"]
    shade(mt.element.get_or_add_rPr(), "FBF1D6")
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
        set_lang(run._r.get_or_add_rPr(), EN)
    text_run(head, marking.text.upper(), EN)
    foot = section.footer.paragraphs[0]
    text_run(foot, f"{pack['title_en']} · Page ", EN)
    add_field(foot, "PAGE", "1")
    text_run(foot, " of ", EN)
    add_field(foot, "NUMPAGES", "1")
    # Word updates the TOC and page fields when the document is opened.
    settings = document.settings.element
    update = settings.makeelement(qn("w:updateFields"), {qn("w:val"): "true"})
    settings.append(update)


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
        text_run(p, de, DE)
        text_run(p, " / ", EN)
        text_run(p, en, EN)
        return lang_paragraph(p, EN)

    def english(self, paragraph: Paragraph, e: English) -> None:
        """Write English spans; machine sentences shaded and flagged, missing ones marked."""
        for i, span in enumerate(s for para in e.paragraphs[:1] for s in para):
            if i:
                text_run(paragraph, " ", EN)
            self._span(paragraph, span.text, span.status)
        for para in e.paragraphs[1:]:
            paragraph = self._next_paragraph(paragraph, EN)
            for i, span in enumerate(para):
                if i:
                    text_run(paragraph, " ", EN)
                self._span(paragraph, span.text, span.status)

    def _span(self, paragraph: Paragraph, text: str, status: str) -> None:
        if status == "machine":
            text_run(paragraph, "MT", EN, MT_FLAG_STYLE)
            text_run(paragraph, "\u00a0", EN)
            text_run(paragraph, text, EN, MT_STYLE)
        elif status == "missing":
            text_run(paragraph, text or MISSING_EN, EN, MISSING_STYLE)
        else:
            text_run(paragraph, text, EN)

    def _next_paragraph(self, paragraph: Paragraph, lang: str) -> Paragraph:
        """Add a paragraph after `paragraph` in the same container (a table cell)."""
        cell_or_doc = paragraph._parent
        new = cell_or_doc.add_paragraph()  # type: ignore[attr-defined]
        return lang_paragraph(new, lang)

    def german(self, paragraph: Paragraph, text: str) -> None:
        parts = [p.strip() for p in text.split("\n\n") if p.strip()] or [""]
        text_run(paragraph, parts[0], DE)
        for part in parts[1:]:
            paragraph = self._next_paragraph(paragraph, DE)
            text_run(paragraph, part, DE)

    def table(self, columns: int, header: tuple[tuple[str, str], ...] | None = None) -> Any:
        table = self.doc.add_table(rows=0, cols=columns)
        table.style = self.doc.styles["Table Grid"]
        if header:
            cells = table.add_row().cells
            for cell, (text, lang) in zip(cells, header, strict=True):
                p = lang_paragraph(cell.paragraphs[0], lang)
                text_run(p, text, lang).bold = True
            repeat_header(table.rows[0])
        return table

    def bilingual_row(self, table: Any, row: Row, prefix: str = "") -> None:
        de_cell, en_cell = table.add_row().cells
        de_p = lang_paragraph(de_cell.paragraphs[0], DE)
        en_p = lang_paragraph(en_cell.paragraphs[0], EN)
        if prefix:
            text_run(de_p, prefix, DE).bold = True
            text_run(en_p, prefix, EN).bold = True
        self.german(de_p, row.de)
        self.english(en_p, row.en)

    # ---- parts ----
    def cover(self) -> None:
        from docx.enum.text import WD_BREAK

        v, pack = self.view, self.view.pack
        if v.draft:
            p = self.para()
            text_run(p, "DRAFT", EN).bold = True
            text_run(p, " / ", EN).bold = True
            text_run(p, "ENTWURF", DE).bold = True
        marking = pack["marking_en"]
        assert isinstance(marking, English)
        p = lang_paragraph(self.para(), DE)
        text_run(p, str(pack["marking_de"]), DE).bold = True
        text_run(p, " · ", EN)
        self.english(p, marking)
        house = v.house
        if house.letterhead is not None:
            from docx.shared import Mm

            # Only the width is set: Word keeps the image's aspect ratio.
            image = io.BytesIO(house.letterhead.data)
            shape = self.para().add_run().add_picture(image, width=Mm(60))
            shape._inline.docPr.set("descr", house.organisation or "Letterhead")  # alt text
        if house.organisation:
            text_run(lang_paragraph(self.para(), DE), house.organisation, DE).bold = True
        p = lang_paragraph(self.para(), DE)
        text_run(p, house.kicker.de, DE)
        text_run(p, " · ", EN)
        text_run(p, house.kicker.en, EN)
        title = lang_paragraph(self.doc.add_heading(level=0), DE)
        text_run(title, str(pack["title_de"]), DE)
        sub = lang_paragraph(self.para("Subtitle"), EN)
        text_run(sub, str(pack["title_en"]), EN)

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
            lp = lang_paragraph(label.paragraphs[0], DE)
            text_run(lp, de, DE).bold = True
            text_run(lp, " / ", EN).bold = True
            text_run(lp, en, EN).bold = True
            vp = value.paragraphs[0]
            assert isinstance(parts, list)
            for text, lang in parts:
                if text == "\n":
                    vp = self._next_paragraph(vp, EN)
                else:
                    text_run(vp, text, lang)
            if i in extra:
                self.english(vp, extra[i])
        note = lang_paragraph(self.para(), EN)
        text_run(
            note,
            "German originals on the left, English on the right. English marked MT is "
            "machine translation that no person has reviewed yet.",
            EN,
        ).italic = True
        note.add_run().add_break(WD_BREAK.PAGE)

    def contents(self) -> None:
        self.bilingual_heading("Inhalt", "Contents", 1)
        p = lang_paragraph(self.para(), EN)
        add_field(p, 'TOC \\o "1-2" \\h \\z \\u', "Update the field (F9) to show the contents.")

    def changes(self) -> None:
        log = self.view.changes
        if log is None or not log.items:
            return
        p = self.doc.add_heading(level=2)
        text_run(p, f"Änderungen seit {date_de(log.since)}", DE)
        text_run(p, " / ", EN)
        text_run(p, f"Changes since {date_en(log.since)}", EN)
        for c in log.items:
            item = lang_paragraph(self.para("List Bullet"), EN)
            label = _CHANGE_LABELS.get(c.kind, c.kind)
            if c.kind == "pack-changed":
                text_run(item, label, EN)
                continue
            if c.count:
                label = f"{c.count} translation{'s' if c.count != 1 else ''} {label}"
            text_run(item, f"{label}: ", EN)
            text_run(item, c.title, DE)

    def executive(self) -> None:
        self.bilingual_heading("Zusammenfassung", "Executive summary", 1)
        table = self.table(2, (("Deutsch", DE), ("English", EN)))
        self.bilingual_row(table, self.view.executive)

    def source(self, s: Section) -> None:
        from docx.enum.text import WD_BREAK

        self.para().add_run().add_break(WD_BREAK.PAGE)
        label = lang_paragraph(self.para(), DE)
        text_run(label, "Quelle", DE)
        text_run(label, f" / Source {s.number}", EN)
        heading = lang_paragraph(self.doc.add_heading(level=1), DE)
        text_run(heading, s.title_de, DE)
        sub = lang_paragraph(self.para("Subtitle"), EN)
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
            lp = lang_paragraph(left.paragraphs[0], DE)
            text_run(lp, de, DE).bold = True
            if en != de:
                text_run(lp, f" / {en}", EN).bold = True
            rp = lang_paragraph(right.paragraphs[0], DE)
            if value:
                text_run(rp, str(value), DE)
            else:
                text_run(rp, "nicht angegeben", DE, MISSING_STYLE)
                text_run(rp, " / ", EN)
                text_run(rp, "not stated", EN, MISSING_STYLE)

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
            dp = lang_paragraph(de_cell.paragraphs[0], DE)
            text_run(dp, f"„{row.de}“", DE).italic = True
            sp = self._next_paragraph(dp, DE)
            text_run(sp, f"— {row.speaker_de}", DE)
            ep = lang_paragraph(en_cell.paragraphs[0], EN)
            if row.en.status == "machine":
                text_run(ep, "MT", EN, MT_FLAG_STYLE)
                text_run(ep, "\u00a0", EN)
            quote = text_run(
                ep, f"“{row.en.text}”", EN, MISSING_STYLE if row.en.status == "missing" else None
            )
            quote.italic = True
            if row.speaker_en is not None:
                text_run(self._next_paragraph(ep, EN), f"— {row.speaker_en.text}", EN)
        self.bilingual_heading("Bewertung", "Assessment", 2)
        self.bilingual_row(self.table(2, header), s.assessment)

    def glossary(self) -> None:
        from docx.enum.text import WD_BREAK

        if not self.view.glossary_terms:
            return
        self.para().add_run().add_break(WD_BREAK.PAGE)
        self.bilingual_heading("Glossar", "Glossary", 1)
        intro = lang_paragraph(self.para(), EN)
        text_run(
            intro,
            "Terms from the project glossary that occur in this pack, with the English "
            "rendering every translation is held to.",
            EN,
        )
        table = self.table(3, (("Deutsch", DE), ("English", EN), ("Note", EN)))
        for term in self.view.glossary_terms:
            cells = table.add_row().cells
            for cell, key, lang in zip(cells, ("de", "en", "note"), (DE, EN, EN), strict=True):
                text_run(lang_paragraph(cell.paragraphs[0], lang), term[key], lang)

    def sources(self) -> None:
        self.bilingual_heading("Quellenverzeichnis", "List of sources", 1)
        for s in self.view.sections:
            src = s.source
            p = lang_paragraph(self.para("List Number"), DE)
            text_run(p, src.author or "Author not stated", DE if src.author else EN).bold = True
            text_run(p, ": ", EN)
            if src.title:
                text_run(p, f"„{src.title}“", DE)
            else:
                text_run(p, s.title_de, DE)
                text_run(p, " (no headline; briefing title)", EN)
            text_run(p, ". ", EN)
            text_run(p, src.outlet or "Outlet not stated", DE if src.outlet else EN)
            text_run(p, ", " + (date_en(src.published) if src.published else "undated") + ".", EN)
            if src.url:
                text_run(p, f" {src.url}.", EN)
            text_run(p, f" Text: {src.file}", EN)

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
            p = lang_paragraph(self.para(), EN)
            text_run(p, f"{term}: ", EN).bold = True
            text_run(p, text, EN)
