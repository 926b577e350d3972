"""TMX 1.4b: the translation memory as translators' TM tools exchange it.

lxml writes and reads it and validates against `schemas/tmx-1.4b.dtd`, written for briefpack
from the TMX 1.4b specification (translate-toolkit's `tmx` store is GPL-3.0 and does not
validate). One <tu> per memory entry: a German and an English <tuv>, and a
`x-briefpack-status` <prop> so that an export re-imports with its statuses. A file from
another tool has no such prop; its units land as `--as` says (reviewed by default).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefpack.errors import InputError, Problem
from briefpack.source.schema import MemoryEntry
from briefpack.translation.exchange.units import Landing, ReturnedUnit
from briefpack.translation.exchange.xmlio import XML_NS, dtd, read_xml, text_of, validate
from briefpack.util.versions import __version__

STATUS_PROP = "x-briefpack-status"
_CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})  # native code, not text (TMX 1.4b §3.7)


def write_tmx(entries: Sequence[MemoryEntry]) -> bytes:
    """Return a TMX 1.4b document holding these memory entries (German → English)."""
    from lxml import etree

    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="briefpack",
        creationtoolversion=__version__,
        segtype="sentence",
        adminlang="en",
        srclang="de",
        datatype="plaintext",
    ).set("o-tmf", "briefpack-yaml")
    body = etree.SubElement(root, "body")
    for entry in entries:
        tu = etree.SubElement(body, "tu")
        etree.SubElement(tu, "prop", type=STATUS_PROP).text = entry.status
        if entry.note:
            etree.SubElement(tu, "note").text = entry.note
        for lang, text in (("de", entry.de), ("en", entry.en)):
            tuv = etree.SubElement(tu, "tuv")
            tuv.set(f"{{{XML_NS}}}lang", lang)
            etree.SubElement(tuv, "seg").text = text
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def read_tmx(path: Path, display: str, *, landing: Landing | None) -> list[ReturnedUnit]:
    """Validate a TMX 1.4 file; return its German→English units.

    `landing`: what every unit becomes; None keeps the status briefpack's own export
    recorded and makes other units reviewed.
    """
    tree = read_xml(path, display)
    root = tree.getroot()
    if root.tag != "tmx":
        raise InputError(
            f"{display}: not TMX",
            problems=[Problem(display, root.sourceline, 1, f"root element is <{root.tag}>")],
        )
    validate(tree, dtd("tmx-1.4b.dtd"), display, "TMX 1.4b")
    out: list[ReturnedUnit] = []
    for n, tu in enumerate(root.iter("tu"), 1):
        segs: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            lang = (tuv.get(f"{{{XML_NS}}}lang") or tuv.get("lang") or "").lower()
            seg = tuv.find("seg")
            if seg is not None:
                segs.setdefault(lang.split("-")[0], text_of(seg, skip=_CODES))
        if "de" not in segs or "en" not in segs:
            continue
        status = next((p.text for p in tu.iter("prop") if p.get("type") == STATUS_PROP), None)
        chosen: Landing = landing or ("machine" if status == "machine" else "reviewed")
        out.append(
            ReturnedUnit(
                id=tu.get("tuid") or str(n),
                de=segs["de"],
                en=segs["en"],
                landing=chosen,
                where=f"{display}:{tu.sourceline}",
            )
        )

    return out
