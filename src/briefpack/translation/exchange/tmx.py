"""TMX 1.4b: the translation memory as translators' TM tools exchange it.

lxml writes and reads it and validates against `schemas/tmx-1.4b.dtd`, written for briefpack
from the TMX 1.4b specification (translate-toolkit's `tmx` store is GPL-3.0 and does not
validate). One <tu> per memory entry: a German and an English <tuv>, and a
`x-briefpack-status` <prop> so that an export re-imports with its statuses. A file from
another tool has no such prop; its units land as `--as` says (reviewed by default).

Import refuses a header whose `srclang` is neither German, English nor `*all*`, and takes
the units that hold a German and an English variant (regional variants accepted); every
other unit is reported as skipped: "other language pair (fr-FR, it-IT)". A TMX 1.1–1.3
file (`<!DOCTYPE tmx SYSTEM "tmx11.dtd">`, `lang=` for `xml:lang=`) is read as 1.4 (the
DTD it names is never loaded); DTD errors are reported as a few located lines.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.errors import InputError, Problem
from briefpack.source.schema import MemoryEntry
from briefpack.translation.exchange.units import (
    SOURCE_LANG,
    TARGET_LANG,
    Landing,
    ReturnedUnit,
    primary,
)
from briefpack.util.versions import __version__
from briefpack.util.xmlio import (
    XML_NS,
    SchemaErrors,
    forget,
    iter_xml,
    lang_of,
    load_dtd,
    text_of,
)

if TYPE_CHECKING:
    from lxml import etree

STATUS_PROP = "x-briefpack-status"
ORIGIN_PROP = "x-briefpack-origin"
DTD = "schemas/tmx-1.4b.dtd"
CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})  # native code, not text (TMX 1.4b §3.7)


@dataclass(frozen=True, slots=True)  # slots: a memory file holds 100,000 of them
class TmxUnit:
    """One German→English unit as TMX holds it, with where it came from and when."""

    de: str
    en: str
    status: str  # reviewed | machine
    origin: str = ""
    date: str = ""  # YYYY-MM-DD; written as the unit's TMX changedate
    note: str | None = None


def write_tmx(entries: Sequence[MemoryEntry | TmxUnit]) -> bytes:
    """Return a TMX 1.4b document holding these units (German → English), in this order.

    Written unit by unit (lxml's incremental `xmlfile`): a 100,000-unit memory never exists
    as one element tree, only as the bytes written.
    """
    from lxml import etree

    out = io.BytesIO()
    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    with etree.xmlfile(out, encoding="UTF-8") as xf, xf.element("tmx", version="1.4"):
        xf.write("\n  ")
        header = etree.Element(
            "header",
            creationtool="briefpack",
            creationtoolversion=__version__,
            segtype="sentence",
            adminlang="en",
            srclang="de",
            datatype="plaintext",
        )
        header.set("o-tmf", "briefpack-yaml")
        xf.write(header)
        xf.write("\n  ")
        with xf.element("body"):
            for entry in entries:
                tu = _tu(entry)
                etree.indent(tu, space="  ", level=2)
                xf.write("\n    ")
                xf.write(tu)
            xf.write("\n  ")
        xf.write("\n")
    out.write(b"\n")
    return out.getvalue()  # the buffer itself, not a copy (concatenating would copy it)


def _tu(entry: MemoryEntry | TmxUnit) -> etree._Element:
    from lxml import etree

    tu = etree.Element("tu")
    if isinstance(entry, TmxUnit) and entry.date:
        tu.set("changedate", entry.date.replace("-", "") + "T000000Z")
    etree.SubElement(tu, "prop", type=STATUS_PROP).text = entry.status
    if isinstance(entry, TmxUnit) and entry.origin:
        etree.SubElement(tu, "prop", type=ORIGIN_PROP).text = entry.origin
    if entry.note:
        etree.SubElement(tu, "note").text = entry.note
    for lang, text in (("de", entry.de), ("en", entry.en)):
        tuv = etree.SubElement(tu, "tuv")
        tuv.set(f"{{{XML_NS}}}lang", lang)
        etree.SubElement(tuv, "seg").text = text
    return tu


def read_tmx(path: Path, display: str, *, landing: Landing | None) -> list[ReturnedUnit]:
    """Validate a TMX 1.1–1.4 file; return its German→English units.

    `landing`: what every unit becomes; None keeps the status briefpack's own export
    recorded and makes other units reviewed. The file is read as a stream (`iter_xml`):
    each <tu> is validated against the DTD as it comes and freed once read, so memory
    grows with the units taken, not with the document; the document's skeleton (the root,
    the header, what else is left) is validated when the body starts and at the end.
    Nothing is returned unless the whole file is valid.
    """
    errors = SchemaErrors(load_dtd(__package__, DTD), display, "TMX 1.4b")
    units: list[ReturnedUnit] = []
    root: etree._Element | None = None
    last: etree._Element | None = None
    old = False  # TMX 1.1–1.3
    for event, element in iter_xml(path, display, ("tmx", "body", "tu")):
        if root is None:  # the first event: the root's start if the root is <tmx>
            root = element.getroottree().getroot()
            if root.tag != "tmx":
                raise InputError(f"{display}: not TMX (root element <{root.tag}>)")
            old = _as_14(root)
        if event == "start" and element.tag == "body" and element.getparent() is root:
            if old:
                _lang_as_14(root)  # the header's notes and props
            if errors.check(_before_body(root), again=True):
                _check_srclang(root, display)
        elif event == "end" and element.tag == "tu" and _in_body(element, root):
            if old:
                _lang_as_14(element)
            if errors.check(element) and not errors.count:
                units.append(_unit(element, len(units) + 1, display, landing))
            forget(element, last)
            last = element
    if root is None:
        raise InputError(f"{display}: not TMX (no <tmx> element)")
    forget(None, last)
    errors.check(root, again=True)
    errors.raise_if_any()
    return units


def _before_body(root: etree._Element) -> etree._Element:
    """Return a copy of the document read up to its <body>'s start, the body left empty.

    The parser reads ahead (the body may hold some units already, the last one cut short):
    those are validated one by one as they end.
    """
    import copy

    head = copy.deepcopy(root)
    for body in head.iterchildren("body"):
        for child in list(body):
            body.remove(child)
        body.text = None
    return head


def _in_body(tu: etree._Element, root: etree._Element) -> bool:
    body = tu.getparent()
    return body is not None and body.tag == "body" and body.getparent() is root


def _check_srclang(root: etree._Element, display: str) -> None:
    """Refuse a header whose source language is neither German, English nor `*all*`."""
    header = root.find("header")
    srclang = "" if header is None else header.get("srclang", "")
    if srclang != "*all*" and primary(srclang) not in (SOURCE_LANG, TARGET_LANG):
        raise InputError(
            f"{display}: the TMX's source language is {srclang or 'not declared'}; "
            "briefpack takes German and English units (de, en, regional variants included)",
            problems=[Problem(display, root.sourceline, None, f"srclang={srclang!r}")],
        )


def _as_14(root: etree._Element) -> bool:
    """Read a TMX 1.1–1.3 file as 1.4: its version; return whether it was older.

    Older tools (Wordfast Classic, Déjà Vu, early Trados) still export TMX 1.1; its
    structure is 1.4's, the language attribute was renamed in 1.2 (`_lang_as_14`).
    """
    if root.get("version") not in ("1.1", "1.2", "1.3"):
        return False
    root.set("version", "1.4")
    return True


def _lang_as_14(element: etree._Element) -> None:
    """Rename TMX 1.1's `lang` to 1.4's `xml:lang` in an element read so far."""
    for child in element.iter("tuv", "note", "prop"):
        old = child.attrib.pop("lang", None)
        if old is not None and child.get(f"{{{XML_NS}}}lang") is None:
            child.set(f"{{{XML_NS}}}lang", old)


def _unit(tu: etree._Element, n: int, display: str, landing: Landing | None) -> ReturnedUnit:
    segs: dict[str, str] = {}
    langs: list[str] = []
    for tuv in tu.iter("tuv"):
        lang = lang_of(tuv)
        langs.append(lang)
        seg = tuv.find("seg")
        if seg is not None:
            segs.setdefault(primary(lang), text_of(seg, skip=CODES))
    props = {p.get("type"): p.text or "" for p in tu.iter("prop")}
    status = props.get(STATUS_PROP)
    stamp = tu.get("changedate") or tu.get("creationdate") or ""
    chosen: Landing = landing or ("machine" if status == "machine" else "reviewed")
    skip = ""
    if SOURCE_LANG not in segs or TARGET_LANG not in segs:
        skip = f"other language pair ({', '.join(langs) or 'no languages'})"
    return ReturnedUnit(
        id=tu.get("tuid") or str(n),
        de=segs.get(SOURCE_LANG, ""),
        en=segs.get(TARGET_LANG, ""),
        landing=chosen,
        where=f"{display}:{tu.sourceline}",
        skip=skip,
        origin=props.get(ORIGIN_PROP, ""),
        date=f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}" if len(stamp) >= 8 else "",
    )
