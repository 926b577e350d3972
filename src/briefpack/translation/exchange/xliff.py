"""XLIFF 2.1 and 1.2 files: write a pack's segments for a CAT tool, read the work back.

Why lxml and our own schemas, not translate-toolkit: translate-toolkit's storage classes
are GPL-3.0 (briefpack is MIT), read XLIFF 2 as 2.0 only and do not validate, and the issue
asks for refusal of invalid files with a located error. lxml (BSD, libxml2) parses without
entities or network access and validates against W3C XML Schemas with line numbers; the
schemas in `schemas/` are written for briefpack from the OASIS specifications (see their
headers). The XML written here is plain enough that every CAT tool reads it: one unit per
segment, German source, English target with a state, notes for location, provenance and
glossary terms, and (2.1) `<mrk type="term">` around each glossary term in the source.

Units that are not reviewed carry the project memory's matches (score 75 or more, see
`tm/score.py`) as CAT tools exchange them: XLIFF 1.2 `<alt-trans match-quality="95"
origin="…">` with the memory's German as `<source>` and its English as `<target>`; XLIFF 2.1
the Translation Candidates module, `<mtc:matches>` in the unit with one `<mtc:match
ref="#s1" matchQuality="95" similarity="95" type="tm" origin="…">` per match (a repaired
match: `subType="briefpack:repaired"`). The core schema accepts them as another namespace's
elements; `schemas/xliff-2.1-matches.xsd` (the core plus the module) checks them too.

State mapping (memory status → XLIFF when exporting):

- missing → 2.1 `initial` (no target); 1.2 `<target state="new">`
- machine → 2.1 `translated`; 1.2 `state="translated" state-qualifier="leveraged-mt"`,
  with the engine in a provenance note
- reviewed → 2.1 `final`; 1.2 `state="signed-off"` and `approved="yes"`

and back when importing: 2.x `final` or `reviewed` → reviewed; 1.2 `approved="yes"` →
reviewed, `approved="no"` → unreviewed whatever the state (translate-toolkit's un-approve
leaves `state="signed-off"` in place), no `approved` and a `final` or `signed-off` state →
reviewed; with neither (SDLXLIFF) Trados's `<sdl:seg conf="ApprovedTranslation">` or
`"ApprovedSignOff"` → reviewed; every other state → a machine-like (unreviewed) entry.

Import reads what real tools write: it validates the structure and what briefpack reads
(XLIFF 1.2 as leniently as OASIS's transitional schema: memoQ's `<file id=…>`, SDL's,
OnTram's and 24|xliff's extension attributes, other namespaces' elements and attributes
are accepted and ignored), checks that every file declares German → English (regional
variants accepted), and reports every unit it does not take with the reason: not
translatable (`translate="no"`), no target, a target not translated yet (2.x `initial`,
1.2 `new` or `needs-translation`: often a copy of the source), and those
`units.apply_units` finds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from briefpack.errors import InputError
from briefpack.translation.exchange.units import (
    SOURCE_LANG,
    TARGET_LANG,
    ExportUnit,
    Landing,
    ReturnedUnit,
    TermNote,
    check_languages,
)
from briefpack.util.xmlio import (
    XML_NS,
    lang_of,
    load_schema,
    local,
    namespace,
    read_xml,
    text_of,
    to_bytes,
    validate,
)

if TYPE_CHECKING:
    from lxml import etree

Version = Literal["2.1", "1.2"]
VERSIONS: tuple[Version, ...] = ("2.1", "1.2")
NS2 = "urn:oasis:names:tc:xliff:document:2.0"  # XLIFF 2.1 keeps the 2.0 core namespace
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
MTC_NS = "urn:oasis:names:tc:xliff:matches:2.0"  # XLIFF 2.x Translation Candidates module
SDL_NS = "http://sdl.com/FileTypes/SdlXliff/1.0"
SDL_REVIEWED = frozenset({"ApprovedTranslation", "ApprovedSignOff"})
SRC, TRG = SOURCE_LANG, TARGET_LANG
SCHEMA_2, SCHEMA_12 = "xliff-2.1-core.xsd", "xliff-1.2.xsd"
SCHEMA_MATCHES = "xliff-2.1-matches.xsd"  # the core plus the Translation Candidates module

STATE_2 = {"missing": "initial", "machine": "translated", "reviewed": "final"}
STATE_12 = {"missing": "new", "machine": "translated", "reviewed": "signed-off"}
REVIEWED_2 = frozenset({"final", "reviewed"})
REVIEWED_12 = frozenset({"final", "signed-off"})
# A target in these states is not a translation (often a copy of the source): not taken.
UNTRANSLATED_2 = frozenset({"initial"})
UNTRANSLATED_12 = frozenset({"new", "needs-translation"})
# Native-code elements whose content is not text (XLIFF 1.2 §2.5.1; 2.x has no such content).
_CODES_12 = frozenset({"bpt", "ept", "ph", "it", "x", "bx", "ex"})
_CODES_2 = frozenset({"ph", "sc", "ec", "sm", "em"})


def write_xliff(units: Sequence[ExportUnit], version: Version) -> bytes:
    """Return an XLIFF document with one unit per segment, grouped by document file."""
    from lxml import etree

    if version == "2.1":
        root = etree.Element(f"{{{NS2}}}xliff", nsmap={None: NS2})
        root.set("version", "2.1")
        root.set("srcLang", SRC)
        root.set("trgLang", TRG)
    else:
        root = etree.Element(f"{{{NS12}}}xliff", nsmap={None: NS12})
        root.set("version", "1.2")
    files: dict[str, etree._Element] = {}
    for unit in units:
        container = files.get(unit.file)
        if container is None:
            container = files[unit.file] = _file_element(root, unit.file, len(files) + 1, version)
        if version == "2.1":
            _unit_2(container, unit)
        else:
            _unit_12(container, unit)
    return to_bytes(root)


def _file_element(root: etree._Element, name: str, n: int, version: Version) -> etree._Element:
    from lxml import etree

    if version == "2.1":
        f = etree.SubElement(root, f"{{{NS2}}}file", id=f"f{n}", original=name)
        return f
    f = etree.SubElement(
        root,
        f"{{{NS12}}}file",
        {"original": name, "source-language": SRC, "target-language": TRG},
        datatype="x-briefpack-yaml",
    )
    header = etree.SubElement(f, f"{{{NS12}}}header")
    etree.SubElement(header, f"{{{NS12}}}tool", {"tool-id": "briefpack", "tool-name": "briefpack"})
    return etree.SubElement(f, f"{{{NS12}}}body")


def _notes(unit: ExportUnit) -> list[tuple[str, str]]:
    """Return (category, text) notes: location, provenance, glossary terms."""
    notes = [("location", f"{unit.file} {unit.field}")]
    if unit.status == "machine":
        notes.append(("provenance", f"machine translation ({unit.provenance or 'MT'})"))
    notes += [("term", f"glossary: {t.de} = {t.en}") for t in _distinct(unit.terms)]
    return notes


def _distinct(terms: Sequence[TermNote]) -> list[TermNote]:
    return list({t.de: t for t in terms}.values())


def _unit_2(parent: etree._Element, unit: ExportUnit) -> None:
    from lxml import etree

    el = etree.SubElement(parent, f"{{{NS2}}}unit", id=f"u{unit.key}", name=unit.field)
    if unit.matches:
        matches = etree.SubElement(el, f"{{{MTC_NS}}}matches", nsmap={"mtc": MTC_NS})
        for n, candidate in enumerate(unit.matches, 1):
            match = etree.SubElement(
                matches,
                f"{{{MTC_NS}}}match",
                id=f"m{n}",
                ref="#s1",
                matchQuality=f"{candidate.score}",
                similarity=f"{candidate.score}",
                type="tm",
                origin=candidate.origin,
            )
            if candidate.kind == "repaired":
                match.set("subType", "briefpack:repaired")
            etree.SubElement(match, f"{{{NS2}}}source").text = candidate.de
            etree.SubElement(match, f"{{{NS2}}}target").text = candidate.en
    notes = etree.SubElement(el, f"{{{NS2}}}notes")
    for category, text in _notes(unit):
        note = etree.SubElement(notes, f"{{{NS2}}}note", category=category)
        note.text = text
    seg = etree.SubElement(el, f"{{{NS2}}}segment", id="s1", state=STATE_2[unit.status])
    source = etree.SubElement(seg, f"{{{NS2}}}source")
    _marked_source(source, unit)
    if unit.status != "missing":
        etree.SubElement(seg, f"{{{NS2}}}target").text = unit.en


def _marked_source(source: etree._Element, unit: ExportUnit) -> None:
    """Fill a 2.1 <source> with the German, each glossary term in <mrk type="term">."""
    from lxml import etree

    text, pos, last, n = unit.de, 0, None, 0
    source.text = ""
    for term in sorted(unit.terms, key=lambda t: (t.start, -t.end)):
        if term.start < pos:  # overlapping matches: the first one is marked
            continue
        chunk = text[pos : term.start]
        if last is None:
            source.text += chunk
        else:
            last.tail = chunk
        n += 1
        last = etree.SubElement(source, f"{{{NS2}}}mrk", id=f"t{n}", type="term", value=term.en)
        last.text = text[term.start : term.end]
        pos = term.end
    rest = text[pos:]
    if last is None:
        source.text += rest
    else:
        last.tail = rest


def _unit_12(body: etree._Element, unit: ExportUnit) -> None:
    from lxml import etree

    attrs = {"id": unit.key, "resname": unit.field}
    if unit.status == "reviewed":
        attrs["approved"] = "yes"
    tu = etree.SubElement(body, f"{{{NS12}}}trans-unit", attrs)
    tu.set(f"{{{XML_NS}}}space", "preserve")
    etree.SubElement(tu, f"{{{NS12}}}source").text = unit.de
    target = etree.SubElement(tu, f"{{{NS12}}}target", state=STATE_12[unit.status])
    if unit.status == "machine":
        target.set("state-qualifier", "leveraged-mt")
    target.text = unit.en
    group = etree.SubElement(tu, f"{{{NS12}}}context-group", purpose="location")
    etree.SubElement(group, f"{{{NS12}}}context", {"context-type": "sourcefile"}).text = unit.file
    etree.SubElement(group, f"{{{NS12}}}context", {"context-type": "x-field"}).text = unit.field
    for category, text in _notes(unit)[1:]:
        etree.SubElement(tu, f"{{{NS12}}}note", {"from": f"briefpack-{category}"}).text = text
    for candidate in unit.matches:
        alt = etree.SubElement(
            tu,
            f"{{{NS12}}}alt-trans",
            {"match-quality": f"{candidate.score}", "origin": candidate.origin},
            alttranstype="proposal",
        )
        if candidate.kind == "repaired":
            alt.set("extype", "x-briefpack-repaired")
        etree.SubElement(alt, f"{{{NS12}}}source").text = candidate.de
        etree.SubElement(alt, f"{{{NS12}}}target").text = candidate.en


def schema(name: str, *, lenient: bool = False) -> object:
    """Return a shipped XLIFF schema; `lenient` accepts foreign attributes (import)."""
    return load_schema(__package__, f"schemas/{name}", foreign_attributes=lenient)


def read_xliff(path: Path, display: str) -> list[ReturnedUnit]:
    """Validate an XLIFF 2.x or 1.2 file and return its units; raise InputError if invalid."""
    tree = read_xml(path, display)
    root = tree.getroot()
    ns = namespace(root.tag)
    if local(root.tag) != "xliff" or ns not in (NS2, NS12):
        raise InputError(
            f"{display}: not XLIFF (root element <{local(root.tag)}> in namespace "
            f"{ns or 'none'!r}; XLIFF 2.x uses {NS2}, 1.2 {NS12})"
        )
    if ns == NS2:
        validate(tree, schema(SCHEMA_2, lenient=True), display, "XLIFF 2")
        check_languages(
            display, root.get("srcLang", ""), root.get("trgLang", ""), line=root.sourceline
        )
        return _read_2(root, display)
    validate(tree, schema(SCHEMA_12, lenient=True), display, "XLIFF 1.2")
    return _read_12(root, display)


def _read_2(root: etree._Element, display: str) -> list[ReturnedUnit]:
    out: list[ReturnedUnit] = []
    for unit in root.iter(f"{{{NS2}}}unit"):
        for seg in unit.iter(f"{{{NS2}}}segment"):
            source = seg.find(f"{{{NS2}}}source")
            target = seg.find(f"{{{NS2}}}target")
            landing: Landing = "reviewed" if seg.get("state") in REVIEWED_2 else "machine"
            skip = ""
            if unit.get("translate") == "no":
                skip = 'not translatable (translate="no")'
            elif target is None:
                skip = "no target"
            elif seg.get("state") in UNTRANSLATED_2:
                skip = f'not translated yet (state="{seg.get("state")}")'
            out.append(
                ReturnedUnit(
                    id=f"{unit.get('id')}/{seg.get('id') or ''}".rstrip("/"),
                    de="" if source is None else text_of(source, skip=_CODES_2, chars="cp"),
                    en="" if target is None else text_of(target, skip=_CODES_2, chars="cp"),
                    landing=landing,
                    where=f"{display}:{seg.sourceline}",
                    skip=skip,
                )
            )
    return out


def _read_12(root: etree._Element, display: str) -> list[ReturnedUnit]:
    out: list[ReturnedUnit] = []
    for file in root.iter(f"{{{NS12}}}file"):
        target_lang = file.get("target-language") or next(
            (lang_of(t) for t in file.iter(f"{{{NS12}}}target") if lang_of(t)), ""
        )
        check_languages(display, file.get("source-language", ""), target_lang, line=file.sourceline)
        out += [_unit_of_12(tu, display) for tu in file.iter(f"{{{NS12}}}trans-unit")]
    return out


def _unit_of_12(tu: etree._Element, display: str) -> ReturnedUnit:
    """Return a 1.2 trans-unit (SDLXLIFF's `<seg-source>`/`<mrk mtype="seg">` read as text)."""
    source = tu.find(f"{{{NS12}}}source")
    target = tu.find(f"{{{NS12}}}target")
    approved = tu.get("approved")
    confirmed = {s.get("conf") for s in tu.iter(f"{{{SDL_NS}}}seg")}
    if approved is not None:
        reviewed = approved == "yes"
    elif target is not None and target.get("state"):
        reviewed = target.get("state") in REVIEWED_12
    else:  # Trados keeps the confirmation level in <sdl:seg conf=…>, one per segment
        reviewed = bool(confirmed) and confirmed <= SDL_REVIEWED
    skip = ""
    if tu.get("translate") == "no":
        skip = 'not translatable (translate="no")'
    elif target is None:
        skip = "no target"
    elif target.get("state") in UNTRANSLATED_12:
        skip = f'not translated yet (state="{target.get("state")}")'
    return ReturnedUnit(
        id=tu.get("id", ""),
        de="" if source is None else text_of(source, skip=_CODES_12),
        en="" if target is None else text_of(target, skip=_CODES_12),
        landing="reviewed" if reviewed else "machine",
        where=f"{display}:{tu.sourceline}",
        skip=skip,
    )
