"""Import and export the glossary as CSV, TSV and TBX.

CSV and TSV (UTF-8) are the two-column, source-first files DeepL and Amazon Translate accept:

- Export writes a header row ``de,en`` (Amazon Translate requires the language codes; pass
  ``header=False`` / ``--no-header`` for DeepL, which reads every row as an entry) and one row
  per entry: the German base form and the approved English (for ``keep`` entries the kept
  term). Forms, avoid lists and notes are not exported: those tools have no place for them,
  and extra columns would be read as more languages. TSV is written without quoting, as
  DeepL expects; whitespace inside values is collapsed to single spaces.
- Import accepts a file with or without a header. A header is recognised when one cell names
  German (``de``, ``de-DE``, ``german``, ``deutsch``, ``source``, ``term``) and another English
  (``en``, ``en-GB``, ``english``, ``target``, ``translation``); it may also name ``note``,
  ``avoid``, ``forms`` (several values separated by ``|`` or ``;``), ``keep``, ``compound``
  and ``case_sensitive`` columns (``true``/``yes``/``1``/``x``). Other columns are ignored.
  Without a header, column 1 is German, column 2 English, and the rest is ignored.

TBX: ``tbx`` exports TBX-Basic in TBX v3 (ISO 30042:2019) — ``<tbx type="TBX-Basic"
style="dca">`` with ``conceptEntry``/``langSec``/``termSec`` — the current standard.
``tbx2`` exports the older TBX-Basic v2 layout (``martif``/``termEntry``/``langSet``/``tig``)
that many deployed CAT-tool importers (memoQ, Phrase, Trados MultiTerm Convert, Okapi,
Weblate) still expect. Import reads both. Per entry:

- German base form: ``preferredTerm-admn-sts``; forms: further German terms
  (``admittedTerm-admn-sts``);
- approved English: ``preferredTerm-admn-sts``; avoid variants: English terms with
  ``deprecatedTerm-admn-sts`` (``supersededTerm``, ``forbidden`` and ``obsolete`` are read as
  avoid too; further admitted English terms are ignored on import);
- note: ``<note>`` on the entry (``<descrip type="definition">`` is read as a note too);
- keep, compound and case_sensitive: notes ending in ``[briefpack:keep]``,
  ``[briefpack:compound]``, ``[briefpack:case-sensitive]``, so a round trip is lossless.

Imports parse XML with the standard library, whose expat never fetches external entities;
documents with an internal DTD subset or ``<!ENTITY`` declarations are refused.

``on_conflict`` decides what happens to an imported entry whose German term is already in the
glossary with a *different* English: ``fail`` (default: nothing is imported, every conflict is
listed), ``skip`` (keep ours) or ``replace`` (take theirs for every field the file carries).
With the same English the entries are merged: new forms and avoid variants are added and a
missing note is filled in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol

from briefpack.errors import InputError, Problem, UsageError, rel
from briefpack.fsutil import atomic_write_text, read_bounded
from briefpack.glossary.edit import EditPlan, edit_glossary
from briefpack.glossary.formats import ConflictMode, ExchangeFormat
from briefpack.glossary.load import decode, load_glossary
from briefpack.glossary.match import canonical_key
from briefpack.glossary.model import Glossary, Term, TermSpec

MAX_IMPORT_BYTES = 16 * 1024 * 1024
TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX_BASIC_RNG = (
    "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
    "TBXcoreStructV03_TBX-Basic_integrated.rng"
)
PREFERRED, ADMITTED, DEPRECATED = (
    f"{s}Term-admn-sts" for s in ("preferred", "admitted", "deprecated")
)
_AVOID_STATUSES = ("deprecated", "superseded", "forbidden", "obsolete", "notrecommended")
_FLAG_NOTES = {
    "keep": "Do not translate: the English text keeps this term. [briefpack:keep]",
    "compound": "Also matches inside German compounds. [briefpack:compound]",
    "case_sensitive": "Matched with exact case. [briefpack:case-sensitive]",
}
_FLAG_RE = re.compile(r"\[briefpack:(keep|compound|case-sensitive)\]")
_DTD_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[|<!ENTITY", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"\s*[|;]\s*")
_TRUE = frozenset({"true", "yes", "y", "1", "x", "ja", "wahr"})
_FALSE = frozenset({"", "false", "no", "n", "0", "nein", "falsch"})
_HEADER_NAMES = {
    "de": ("de", "german", "deutsch", "source", "source term", "term", "src"),
    "en": ("en", "english", "englisch", "target", "target term", "translation", "tgt"),
    "note": ("note", "notes", "comment", "comments", "definition", "description"),
    "avoid": ("avoid", "forbidden", "deprecated", "do not use"),
    "forms": ("forms", "form", "variants", "synonyms"),
    "keep": ("keep", "do not translate", "dnt"),
    "compound": ("compound",),
    "case_sensitive": ("case_sensitive", "case-sensitive", "case sensitive"),
}


class _El(Protocol):
    def __call__(
        self, parent: ET.Element, tag: str, text: str | None = None, **attrib: str
    ) -> ET.Element: ...


@dataclass(frozen=True)
class ImportedTerm:
    """One entry read from an exchange file, with the fields that file actually carries."""

    spec: TermSpec
    fields: frozenset[str]
    line: int | None = None


@dataclass(frozen=True)
class ImportReport:
    """German terms by outcome of an import."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        """Return how many entries the file held."""
        return sum(
            len(x) for x in (self.added, self.replaced, self.merged, self.skipped, self.unchanged)
        )


_SUFFIXES = {
    ".csv": ExchangeFormat.CSV,
    ".tsv": ExchangeFormat.TSV,
    ".tab": ExchangeFormat.TSV,
    ".tbx": ExchangeFormat.TBX,
}


def format_for(file: Path, fmt: str | ExchangeFormat | None) -> ExchangeFormat:
    """Return the format given, or the one the file extension names."""
    if fmt is not None:
        try:
            return ExchangeFormat(str(fmt.value if isinstance(fmt, Enum) else fmt).lower())
        except ValueError:
            names = ", ".join(f.value for f in ExchangeFormat)
            raise UsageError(f"unknown format {fmt!r}; use one of {names}") from None
    found = _SUFFIXES.get(file.suffix.lower())
    if found is None:
        raise UsageError(f"{file}: cannot tell the format from the extension; pass --format")
    return found


# --- export ----------------------------------------------------------------------------


def export_terms(
    path: Path,
    out_file: Path,
    fmt: str | ExchangeFormat | None = None,
    *,
    root: Path | None = None,
    header: bool = True,
) -> int:
    """Write the glossary at `path` to `out_file`; return the number of entries written."""
    kind = format_for(out_file, fmt)
    if out_file.resolve() == path.resolve():
        raise UsageError(f"{out_file}: refusing to overwrite the glossary itself")
    glossary = load_glossary(path, root=root)
    atomic_write_text(out_file, render_export(glossary, kind, header=header))
    return len(glossary)


def render_export(glossary: Glossary, fmt: ExchangeFormat, *, header: bool = True) -> str:
    """Return the glossary in an exchange format."""
    if fmt in (ExchangeFormat.CSV, ExchangeFormat.TSV):
        return _render_table(glossary.terms, fmt, header=header)
    return _render_tbx(glossary.terms, v3=fmt is ExchangeFormat.TBX)


def _render_table(terms: Sequence[Term], fmt: ExchangeFormat, *, header: bool) -> str:
    out = io.StringIO()
    if fmt is ExchangeFormat.CSV:
        writer = csv.writer(out, lineterminator="\n")
        rows: Iterable[Sequence[str]] = ([t.de, t.en] for t in terms)
    else:
        writer = csv.writer(
            out, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar=None, lineterminator="\n"
        )
        rows = ([" ".join(t.de.split()), " ".join(t.en.split())] for t in terms)
    if header:
        writer.writerow(["de", "en"])
    writer.writerows(rows)
    return out.getvalue()


def _concept_id(term: Term) -> str:
    # Stable across exports, so a CAT tool can update the concept it imported before.
    return "c-" + hashlib.sha1(canonical_key(term.de).encode("utf-8")).hexdigest()[:12]


def _notes(term: Term) -> list[str]:
    notes = [term.note] if term.note else []
    notes += [text for flag, text in _FLAG_NOTES.items() if getattr(term, flag)]
    return notes


def _render_tbx(terms: Sequence[Term], *, v3: bool) -> str:
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

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
        node = ET.SubElement(parent, tag, attrib)
        node.text = text
        return node

    root = ET.Element(names["root"], {"type": "TBX-Basic", XML_LANG: "de"})
    if v3:
        # Plain tag names plus an xmlns attribute serialise as the default namespace.
        root.set("style", "dca")
        root.set("xmlns", TBX_NS)
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
        for variant in term.avoid:
            _tbx_term(el, en_sec, names["term"], variant, DEPRECATED)
    ET.indent(root, space="  ")
    body_xml = ET.tostring(root, encoding="unicode")
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if v3:
        prolog += (
            f'<?xml-model href="{TBX_BASIC_RNG}" type="application/xml" '
            'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
        )
    else:
        prolog += '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
    return prolog + body_xml + "\n"


def _tbx_term(el: _El, parent: ET.Element, tag: str, text: str, status: str) -> None:
    sec = el(parent, tag)
    el(sec, "term", text)
    el(sec, "termNote", status, type="administrativeStatus")


# --- reading exchange files --------------------------------------------------------------


def read_terms(
    file: Path, fmt: str | ExchangeFormat | None = None, *, name: str | None = None
) -> list[ImportedTerm]:
    """Read entries from an exchange file; raise `InputError` listing every problem."""
    kind = format_for(file, fmt)
    label = name or str(file)
    try:
        data = read_bounded(file, MAX_IMPORT_BYTES)  # pipes and /dev/zero too
    except FileNotFoundError:
        raise UsageError(f"{label}: no such file") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot read: {exc.strerror or exc}") from exc
    if kind in (ExchangeFormat.CSV, ExchangeFormat.TSV):
        return _read_table(decode(data, label), label, tab=kind is ExchangeFormat.TSV)
    return _read_tbx(data, label)


def _header_map(row: Sequence[str]) -> dict[str, int] | None:
    mapping: dict[str, int] = {}
    for i, cell in enumerate(row):
        name = " ".join(cell.strip().lower().replace("_", " ").split())
        lang = name.split("-")[0] if re.fullmatch(r"[a-z]{2}-[a-z]{2}", name) else name
        for key, aliases in _HEADER_NAMES.items():
            if (
                lang in aliases or name in aliases or name.replace(" ", "_") in aliases
            ) and key not in mapping:
                mapping[key] = i
                break
    # DeepL's four-column rows end in language codes ("Krim,Crimea,de,en"): a header must
    # name its first two columns too.
    named = set(mapping.values())
    if "de" in mapping and "en" in mapping and {0, 1} <= named:
        return mapping
    return None


def _read_table(text: str, label: str, *, tab: bool) -> list[ImportedTerm]:
    if tab:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    out: list[ImportedTerm] = []
    columns: dict[str, int] | None = None
    first = True
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise InputError(f"{label}:{reader.line_num}: {exc}") from None
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if first:
            first = False
            columns = _header_map(row)
            if columns is not None:
                continue
        mapping = columns or {"de": 0, "en": 1}

        def cell(key: str, row: list[str] = row, mapping: dict[str, int] = mapping) -> str | None:
            i = mapping.get(key)
            return row[i].strip() if i is not None and i < len(row) else None

        def bad(message: str, line: int = line) -> None:
            problems.append(Problem(label, line, 1, message, None, "import"))

        de, en = cell("de") or "", cell("en") or ""
        flags: dict[str, bool] = {}
        for flag in ("keep", "compound", "case_sensitive"):
            raw = cell(flag)
            if raw is None:
                continue
            if raw.lower() in _TRUE or raw.lower() in _FALSE:
                flags[flag] = raw.lower() in _TRUE
            else:
                bad(f"{flag}: {raw!r} is not a yes/no value")
        if not de:
            bad(
                "missing the German term (column 1)"
                if columns is None
                else "missing the German term"
            )
            continue
        if not en and not flags.get("keep"):
            bad(f"{de!r}: missing the English term")
            continue
        note = cell("note")
        spec = TermSpec(
            de=de,
            en=en or None,
            forms=_split(cell("forms")),
            avoid=_split(cell("avoid")),
            keep=flags.get("keep", False),
            compound=flags.get("compound", False),
            case_sensitive=flags.get("case_sensitive", False),
            note=note or None,
        )
        carried = {"de", "en", *(k for k in mapping if k not in ("de", "en"))}
        out.append(ImportedTerm(spec, frozenset(carried), line))
    if problems:
        raise InputError(
            f"{label}: {len(problems)} unusable row(s); nothing imported", problems=problems
        )
    return _dedupe(out, label)


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(v for v in _LIST_SPLIT.split(value.strip()) if v)


def _dedupe(items: list[ImportedTerm], label: str) -> list[ImportedTerm]:
    seen: dict[str, ImportedTerm] = {}
    problems: list[Problem] = []
    out: list[ImportedTerm] = []
    for item in items:
        key = canonical_key(item.spec.de)
        first = seen.get(key)
        if first is None:
            seen[key] = item
            out.append(item)
        elif first.spec != item.spec:
            where = f" (line {first.line})" if first.line else ""
            problems.append(
                Problem(
                    label,
                    item.line,
                    1 if item.line else None,
                    f"{item.spec.de!r} appears twice with different content{where}",
                    None,
                    "import",
                )
            )
    if problems:
        raise InputError(f"{label}: duplicate entries; nothing imported", problems=problems)
    return out


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _read_tbx(data: bytes, label: str) -> list[ImportedTerm]:
    if _DTD_SUBSET.search(data):
        raise InputError(
            f"{label}: TBX files with DTD declarations (<!ENTITY …> or an internal "
            "DOCTYPE subset) are refused for safety"
        )
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise InputError(
            f"{label}: not well-formed XML",
            problems=[Problem(label, line, column + 1, f"XML error: {exc}", None, "xml")],
        ) from None
    if _local(root.tag) not in ("tbx", "martif"):
        raise InputError(f"{label}: not a TBX file (root element <{_local(root.tag)}>)")
    problems: list[Problem] = []
    out: list[ImportedTerm] = []
    entries = [e for e in root.iter() if _local(e.tag) in ("conceptEntry", "termEntry")]
    for i, entry in enumerate(entries):
        where = f"{_local(entry.tag)}[{i}]" + (f" id={entry.get('id')}" if entry.get("id") else "")
        item = _tbx_entry(entry)
        if isinstance(item, str):
            problems.append(Problem(label, None, None, f"{where}: {item}", None, "import"))
        else:
            out.append(item)
    if problems:
        raise InputError(
            f"{label}: {len(problems)} unusable entr(ies); nothing imported", problems=problems
        )
    return _dedupe(out, label)


def _text(node: ET.Element) -> str:
    return " ".join("".join(node.itertext()).split())


def _tbx_entry(entry: ET.Element) -> ImportedTerm | str:
    notes: list[str] = []
    flags: set[str] = set()
    terms: dict[str, list[tuple[str, str]]] = {"de": [], "en": []}
    for node in entry.iter():
        kind = _local(node.tag)
        if kind == "note" or (kind == "descrip" and node.get("type") == "definition"):
            text = _text(node)
            found = _FLAG_RE.findall(text)
            if found:
                flags |= {f.replace("-", "_") for f in found}
            elif text:
                notes.append(text)
    for sec in entry:
        if _local(sec.tag) not in ("langSec", "langSet"):
            continue
        lang = (sec.get(XML_LANG) or sec.get("lang") or "").lower().split("-")[0]
        if lang not in terms:
            continue
        for holder in sec:
            if _local(holder.tag) not in ("termSec", "tig", "ntig"):
                continue
            term = next((n for n in holder.iter() if _local(n.tag) == "term"), None)
            if term is None or not _text(term):
                continue
            status = ""
            for n in holder.iter():
                if _local(n.tag) == "termNote" and n.get("type") in (
                    "administrativeStatus",
                    "normativeAuthorization",
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
    spec = TermSpec(
        de=de,
        en=en,
        forms=forms,
        avoid=avoid,
        keep=keep,
        compound="compound" in flags,
        case_sensitive="case_sensitive" in flags,
        note="; ".join(notes) or None,
    )
    everything = frozenset(
        {"de", "en", "forms", "avoid", "keep", "compound", "case_sensitive", "note"}
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


# --- import ----------------------------------------------------------------------------


@dataclass
class _Outcome:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)


def import_terms(
    path: Path,
    file: Path,
    fmt: str | ExchangeFormat | None = None,
    on_conflict: str | ConflictMode = ConflictMode.FAIL,
    *,
    root: Path | None = None,
) -> ImportReport:
    """Merge the entries of an exchange file into the glossary at `path` (see module doc)."""
    mode = ConflictMode(on_conflict.value if isinstance(on_conflict, Enum) else on_conflict)
    label = rel(file, root)
    incoming = read_terms(file, fmt, name=label)

    def plan(glossary: Glossary) -> tuple[EditPlan, _Outcome]:
        return _plan_import(glossary, incoming, mode, label)

    _, outcome = edit_glossary(path, plan, root=root)
    return ImportReport(
        tuple(outcome.added),
        tuple(outcome.replaced),
        tuple(outcome.merged),
        tuple(outcome.skipped),
        tuple(outcome.unchanged),
    )


def _plan_import(
    glossary: Glossary, incoming: list[ImportedTerm], mode: ConflictMode, label: str
) -> tuple[EditPlan, _Outcome]:
    edit = EditPlan()
    result = _Outcome()
    owners: dict[str, Term] = {canonical_key(v): t for t in glossary.terms for v in t.variants}
    for item in incoming:
        spec = item.spec
        owner = owners.get(canonical_key(spec.de))
        if owner is None:
            edit.appends.append(spec)
            result.added.append(spec.de)
            continue
        theirs = spec.en if spec.en is not None else spec.de
        if theirs == owner.en:
            changes = _merge(owner, spec)
            if changes:
                edit.updates[owner.index] = changes
                result.merged.append(owner.de)
            else:
                result.unchanged.append(owner.de)
            continue
        is_base = canonical_key(owner.de) == canonical_key(spec.de)
        if mode is ConflictMode.SKIP:
            result.skipped.append(spec.de)
        elif mode is ConflictMode.REPLACE and is_base:
            edit.updates[owner.index] = _replacement(item)
            result.replaced.append(owner.de)
        else:
            kind = "" if is_base else f" (a form of {owner.de!r})"
            where = f"{glossary.file}:{owner.line}" if owner.line else glossary.file
            message = (
                f"{spec.de!r}{kind}: the glossary has {owner.en!r} ({where}), "
                f"the file has {theirs!r}"
            )
            if mode is ConflictMode.REPLACE:
                message += "; replace cannot change a form's translation, edit the glossary"
            result.conflicts.append(
                Problem(label, item.line, 1 if item.line else None, message, None, "conflict")
            )
    if result.conflicts:
        hint = "" if mode is ConflictMode.REPLACE else " (use --on-conflict skip or replace)"
        raise InputError(
            f"{label}: {len(result.conflicts)} entr(ies) conflict with the glossary; "
            f"nothing imported{hint}",
            problems=result.conflicts,
        )
    return edit, result


def _merge(owner: Term, spec: TermSpec) -> dict[str, object]:
    changes: dict[str, object] = {}
    have = {canonical_key(v) for v in owner.variants}
    forms = [f for f in spec.forms if canonical_key(f) not in have]
    if forms:
        changes["forms"] = owner.forms + tuple(dict.fromkeys(forms))
    have_avoid = {a.casefold() for a in owner.avoid}
    avoid = [a for a in spec.avoid if a.casefold() not in have_avoid]
    if avoid:
        changes["avoid"] = owner.avoid + tuple(dict.fromkeys(avoid))
    if spec.note and not owner.note:
        changes["note"] = spec.note
    return changes


def _replacement(item: ImportedTerm) -> dict[str, object]:
    spec = item.spec
    values: dict[str, object] = {
        "en": spec.en,
        "forms": spec.forms,
        "avoid": spec.avoid,
        "keep": spec.keep,
        "compound": spec.compound,
        "case_sensitive": spec.case_sensitive,
        "note": spec.note,
    }
    return {k: v for k, v in values.items() if k in item.fields}
