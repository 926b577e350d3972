"""TBX-Basic v3 (ISO 30042:2019) and v2 (martif) export and import.

Import reads the term status as IATE and the TBX-Basic dialect write it: a ``termNote
type="administrativeStatus"`` (v2 and v3 DCA style) or a ``<basic:administrativeStatus>``
element (v3 DCT style). German: the preferred term is the base form, every other German term
(admitted, deprecated or without status) a form, since the text may use any of them. English:
the preferred term is ``en``, admitted ones (and further terms without status) are
``accept`` variants, deprecated, superseded, forbidden and obsolete ones are ``avoid``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from briefpack.errors import InputError, Problem
from briefpack.glossary.exchange.common import (
    FLAG_NOTES,
    FLAG_RE,
    ExchangeRead,
    ImportedTerm,
    dedupe,
)
from briefpack.glossary.match import canonical_key
from briefpack.glossary.model import Term, TermSpec
from briefpack.util.xmlio import XML_LANG, lang_of, local, parse_xml, to_bytes

if TYPE_CHECKING:
    from lxml import etree

TBX_NS = "urn:iso:std:iso:30042:ed-2"
# Where LTAC publishes TBX v3 validation since February 2023: the core structure as RELAX NG
# in TBX_Core_RNG, TBX-Basic's constraints as Schematron (the integrated RNG it replaced
# was removed from the TBX-Basic_dialect repository then).
TBX_CORE_RNG = (
    "https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng"
)
TBX_BASIC_SCH = (
    "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch"
)
_RNG_NS = "http://relaxng.org/ns/structure/1.0"
_SCH_NS = "http://purl.oclc.org/dsdl/schematron"
PREFERRED, ADMITTED, DEPRECATED = (
    f"{s}Term-admn-sts" for s in ("preferred", "admitted", "deprecated")
)
_AVOID_STATUSES = ("deprecated", "superseded", "forbidden", "obsolete", "notrecommended")
_STATUS_TYPES = ("administrativeStatus", "normativeAuthorization")


class _El(Protocol):
    def __call__(
        self, parent: etree._Element, tag: str, text: str | None = None, **attrib: str
    ) -> etree._Element: ...


def _concept_id(term: Term) -> str:
    # Stable across exports, so a CAT tool can update the concept it imported before.
    return "c-" + hashlib.sha1(canonical_key(term.de).encode("utf-8")).hexdigest()[:12]


def _notes(term: Term) -> list[str]:
    notes = [term.note] if term.note else []
    notes += [text for flag, text in FLAG_NOTES.items() if getattr(term, flag)]
    return notes


def render_tbx(terms: Sequence[Term], *, v3: bool) -> str:
    """Return the entries as TBX-Basic v3 (`v3`) or v2 (martif)."""
    names = (
        {
            "root": "tbx",
            "header": "tbxHeader",
            "entry": "conceptEntry",
            "lang": "langSec",
            "term": "termSec",
        }
        if v3
        else {
            "root": "martif",
            "header": "martifHeader",
            "entry": "termEntry",
            "lang": "langSet",
            "term": "tig",
        }
    )

    from lxml import etree

    ns = f"{{{TBX_NS}}}" if v3 else ""

    def el(
        parent: etree._Element, tag: str, text: str | None = None, **attrib: str
    ) -> etree._Element:
        node = etree.SubElement(parent, ns + tag, attrib)
        node.text = text
        return node

    root = etree.Element(
        ns + names["root"], {"type": "TBX-Basic"}, nsmap={None: TBX_NS} if v3 else None
    )
    if v3:
        root.set("style", "dca")
    root.set(XML_LANG, "de")
    header = el(root, names["header"])
    file_desc = el(header, "fileDesc")
    el(el(file_desc, "sourceDesc"), "p", "Exported from a briefpack glossary.yaml")
    if not v3:
        el(el(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = el(el(root, "text"), "body")
    for term in terms:
        entry = el(body, names["entry"], id=_concept_id(term))
        for note in _notes(term):
            el(entry, "note", note)
        de_sec = el(entry, names["lang"], **{XML_LANG: "de"})
        _tbx_term(el, de_sec, names["term"], term.de, PREFERRED)
        for form in term.forms:
            _tbx_term(el, de_sec, names["term"], form, ADMITTED)
        en_sec = el(entry, names["lang"], **{XML_LANG: "en"})
        _tbx_term(el, en_sec, names["term"], term.en, PREFERRED)
        for variant in term.accept:
            _tbx_term(el, en_sec, names["term"], variant, ADMITTED)
        for variant in term.avoid:
            _tbx_term(el, en_sec, names["term"], variant, DEPRECATED)
    if not v3:
        return to_bytes(
            root, doctype='<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">'
        ).decode()
    for href, kind in ((TBX_CORE_RNG, _RNG_NS), (TBX_BASIC_SCH, _SCH_NS)):
        model = f'href="{href}" type="application/xml" schematypens="{kind}"'
        root.addprevious(etree.ProcessingInstruction("xml-model", model))
    return to_bytes(root).decode()


def _tbx_term(el: _El, parent: etree._Element, tag: str, text: str, status: str) -> None:
    sec = el(parent, tag)
    el(sec, "term", text)
    el(sec, "termNote", status, type="administrativeStatus")


def read_tbx(data: bytes, label: str) -> ExchangeRead:
    """Read the entries of a TBX v3 or v2 document and say which shape it had.

    Unusable entries (no German term, no usable English) are listed in `refused` with
    their line and reason.
    """
    root = parse_xml(data, label).getroot()
    if local(root.tag) not in ("tbx", "martif"):
        raise InputError(f"{label}: not a TBX file (root element <{local(root.tag)}>)")
    problems: list[Problem] = []
    out: list[ImportedTerm] = []
    entries = [e for e in root.iter() if local(e.tag) in ("conceptEntry", "termEntry")]
    for i, entry in enumerate(entries):
        where = f"{local(entry.tag)}[{i}]" + (f" id={entry.get('id')}" if entry.get("id") else "")
        item = _tbx_entry(entry)
        if isinstance(item, str):
            line = entry.sourceline
            problems.append(
                Problem(label, line, 1 if line else None, f"{where}: {item}", None, "import")
            )
        else:
            out.append(replace(item, line=entry.sourceline))
    if local(root.tag) == "martif":
        shape = "TBX v2 (martif)"
    else:
        style = root.get("style") or ""
        shape = f"TBX v3 ({root.get('type') or 'TBX'}{', ' + style if style else ''})"
    items, joined = dedupe(out)
    return ExchangeRead(items, shape, tuple(problems), joined)


def _text(node: etree._Element) -> str:
    return " ".join("".join(node.itertext()).split())


def _tbx_entry(entry: etree._Element) -> ImportedTerm | str:
    notes: list[str] = []
    flags: set[str] = set()
    terms: dict[str, list[tuple[str, str]]] = {"de": [], "en": []}
    for node in entry.iter():
        kind = local(node.tag)
        if kind == "note" or (kind == "descrip" and node.get("type") == "definition"):
            text = _text(node)
            found = FLAG_RE.findall(text)
            if found:
                flags |= {f.replace("-", "_") for f in found}
            elif text:
                notes.append(text)
    for sec in entry:
        if local(sec.tag) not in ("langSec", "langSet"):
            continue
        lang = lang_of(sec).lower().split("-")[0]
        if lang not in terms:
            continue
        for holder in sec:
            if local(holder.tag) not in ("termSec", "tig", "ntig"):
                continue
            term = next((n for n in holder.iter() if local(n.tag) == "term"), None)
            if term is None or not _text(term):
                continue
            status = ""
            for n in holder.iter():
                name = local(n.tag)
                if (name == "termNote" and n.get("type") in _STATUS_TYPES) or (
                    name in _STATUS_TYPES  # TBX v3 DCT style: <basic:administrativeStatus>
                ):
                    status = _text(n).lower()
            terms[lang].append((_text(term), status))
    de_terms, en_terms = terms["de"], terms["en"]
    if not de_terms:
        return "no German term"
    de = _preferred(de_terms)
    forms = tuple(t for t, _ in de_terms if t != de)
    usable_en = [(t, s) for t, s in en_terms if not _is_avoid(s)]
    avoid = tuple(t for t, s in en_terms if _is_avoid(s))
    keep = "keep" in flags
    if not usable_en and not keep:
        return f"{de!r}: no usable English term"
    en = _preferred(usable_en) if usable_en else None
    accept = tuple(dict.fromkeys(t for t, _ in usable_en if t != en))
    spec = TermSpec(
        de=de,
        en=en,
        forms=forms,
        avoid=avoid,
        accept=accept,
        keep=keep,
        compound="compound" in flags,
        case_sensitive="case_sensitive" in flags,
        note="; ".join(notes) or None,
    )
    everything = frozenset(
        {"de", "en", "accept", "forms", "avoid", "keep", "compound", "case_sensitive", "note"}
    )
    return ImportedTerm(spec, everything)


def _is_avoid(status: str) -> bool:
    return any(s in status for s in _AVOID_STATUSES)


def _preferred(terms: list[tuple[str, str]]) -> str:
    for text, status in terms:
        if "preferred" in status:
            return text
    for text, status in terms:
        if not _is_avoid(status):
            return text
    return terms[0][0]
