"""CSV and TSV: reading what real tools write, writing what they read.

Reading:

- Encoding: UTF-8, with or without a byte-order mark; a file that is not UTF-8 is read as
  Windows-1252, which is what German Excel's plain "CSV (Trennzeichen-getrennt)" writes
  (its "CSV UTF-8" variant writes UTF-8 with a BOM). Which one was used is reported.
- Delimiter (CSV): comma, semicolon (German Excel) or tab, chosen as the one that splits the
  first rows into the same number (at least two) of columns; reported too. TSV files are
  read with tabs and no quoting, as DeepL writes them.
- DeepL's own export: rows of four (or five) columns, ``source,target,SRC,TGT[,relevance]``,
  with the language codes in columns 3 and 4 (``"ceasefire","Waffenstillstand","EN","DE"``).
  Each row is read in its own direction, so an English→German dictionary is never imported
  reversed; rows for other language pairs are skipped and counted.
- A header row is recognised when it names German and English columns (see `_HEADER_NAMES`),
  and may add note, avoid, forms, accept and flag columns; without one, column 1 is German,
  column 2 English.

Writing (`columns`): ``de-en`` (default: ``de,en`` with a header), ``all`` (every field: lists
joined by `` | ``, flags as yes/no, so an import gives the entries back) and ``deepl``
(header-less ``de,en``, one row per German form too, since DeepL has no forms field).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefpack.errors import InputError, Problem
from briefpack.glossary.exchange.common import ImportedTerm, dedupe, split_list
from briefpack.glossary.formats import ExchangeColumns, ExchangeFormat
from briefpack.glossary.model import Term, TermSpec

_TRUE = frozenset({"true", "yes", "y", "1", "x", "ja", "wahr"})
_FALSE = frozenset({"", "false", "no", "n", "0", "nein", "falsch"})

_HEADER_NAMES = {
    "de": ("de", "german", "deutsch", "source", "source term", "term", "src"),
    "en": ("en", "english", "englisch", "target", "target term", "translation", "tgt"),
    "note": (
        *("note", "notes", "comment", "comments", "definition", "description"),
        *("anmerkung", "anmerkungen", "hinweis", "kommentar", "bemerkung", "definition"),
    ),
    "avoid": ("avoid", "forbidden", "deprecated", "do not use", "vermeiden", "nicht verwenden"),
    "forms": ("forms", "form", "variants", "synonyms", "german variants", "formen", "varianten"),
    "accept": ("accept", "accepted", "admitted", "english variants", "alternatives", "zulässig"),
    "keep": ("keep", "do not translate", "dnt"),
    "compound": ("compound",),
    "case_sensitive": ("case_sensitive", "case-sensitive", "case sensitive"),
}


_LANG_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_ALL_COLUMNS = ("de", "en", "accept", "forms", "avoid", "keep", "compound", "case_sensitive")
_BOM = "\ufeff"


@dataclass(frozen=True)
class TableRead:
    """The entries of a CSV/TSV file and how it was read (for the import report)."""

    items: list[ImportedTerm]
    delimiter: str
    encoding: str
    header: bool
    deepl_rows: int = 0  # rows in DeepL's four-column export shape
    skipped_pairs: int = 0  # DeepL rows for language pairs other than German/English
    refused: tuple[Problem, ...] = ()  # unusable rows, each with its line and reason
    joined: tuple[str, ...] = ()  # German terms given for several concepts (see `dedupe`)

    def describe(self) -> str:
        """Return how the file was read, e.g. `semicolon-separated, UTF-8 with BOM, header`."""
        parts = [f"{_DELIMITERS[self.delimiter]}-separated", self.encoding]
        parts.append("header row" if self.header else "no header row")
        if self.deepl_rows:
            parts.append(f"DeepL export ({self.deepl_rows} rows with language columns)")
        if self.skipped_pairs:
            parts.append(f"{self.skipped_pairs} rows of other language pairs skipped")
        return ", ".join(parts)


def decode_table(data: bytes) -> tuple[str, str]:
    """Return the text of a CSV/TSV file and the encoding used (UTF-8, else Windows-1252).

    Raises `ValueError` for bytes that are neither.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 with BOM"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252 (not UTF-8)"
    except UnicodeDecodeError as exc:
        raise ValueError(f"neither UTF-8 nor Windows-1252 (byte 0x{data[exc.start]:02X})") from None


def sniff_delimiter(text: str) -> str:
    """Return the delimiter (comma, semicolon or tab) that splits the first rows evenly."""
    sample = [line for line in text.splitlines()[:50] if line.strip()][:20]
    best, best_score = ",", (-1, -1)
    for delimiter in _DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:
            continue
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = (sum(w == common for w in widths) if common >= 2 else 0, common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def render_table(
    terms: Sequence[Term],
    fmt: ExchangeFormat,
    *,
    header: bool,
    columns: ExchangeColumns = ExchangeColumns.DE_EN,
) -> str:
    """Return the entries as CSV or TSV with the columns asked for (see module doc)."""
    out = io.StringIO()
    tsv = fmt is ExchangeFormat.TSV
    if tsv:
        writer = csv.writer(
            out, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar=None, lineterminator="\n"
        )
    else:
        writer = csv.writer(out, lineterminator="\n")

    def flat(value: str) -> str:
        # TSV has no quoting: tabs and line breaks inside a value would break the row.
        return " ".join(value.split()) if tsv else value

    rows: Iterable[Sequence[str]]
    if columns is ExchangeColumns.ALL:
        names = [*_ALL_COLUMNS, "note"]
        rows = (
            [
                flat(t.de),
                flat(t.en),
                flat(" | ".join(t.accept)),
                flat(" | ".join(t.forms)),
                flat(" | ".join(t.avoid)),
                *("yes" if getattr(t, f) else "no" for f in ("keep", "compound", "case_sensitive")),
                flat(t.note or ""),
            ]
            for t in terms
        )
    elif columns is ExchangeColumns.DEEPL:
        names, header = ["de", "en"], False
        rows = ([flat(v), flat(t.en)] for t in terms for v in t.variants)
    else:
        names = ["de", "en"]
        rows = ([flat(t.de), flat(t.en)] for t in terms)
    if header:
        writer.writerow(names)
    writer.writerows(rows)
    return out.getvalue()


def _header_map(row: Sequence[str]) -> dict[str, int] | None:
    if _deepl_direction(row) is not None:
        return None  # a data row of DeepL's export: its language columns are no header
    mapping: dict[str, int] = {}
    for i, cell in enumerate(row):
        name = " ".join(cell.strip().lstrip(_BOM).lower().replace("_", " ").split())
        lang = name.split("-")[0] if re.fullmatch(r"[a-z]{2}-[a-z]{2}", name) else name
        for key, aliases in _HEADER_NAMES.items():
            if (
                lang in aliases or name in aliases or name.replace(" ", "_") in aliases
            ) and key not in mapping:
                mapping[key] = i
                break
    named = set(mapping.values())
    if "de" in mapping and "en" in mapping and {0, 1} <= named:
        return mapping
    return None


def _deepl_direction(row: Sequence[str]) -> tuple[str, str] | None:
    """Return (source, target) language of a DeepL export row, or None if it is not one."""
    if len(row) not in (4, 5):
        return None
    src, tgt = (row[2].strip(), row[3].strip())
    if not (_LANG_CODE.match(src) and _LANG_CODE.match(tgt)):
        return None
    if len(row) == 5 and row[4].strip() and not re.fullmatch(r"[\d.,]+%?", row[4].strip()):
        return None  # DeepL's fifth column is a relevance number
    return src.lower()[:2], tgt.lower()[:2]


def read_table(text: str, label: str, *, tab: bool, encoding: str = "UTF-8") -> TableRead:
    """Read CSV or TSV rows; the unusable ones are listed in `refused` with their reason."""
    delimiter = "\t" if tab else sniff_delimiter(text)
    if tab:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[Problem] = []
    out: list[ImportedTerm] = []
    columns: dict[str, int] | None = None
    first = True
    deepl_rows = skipped = 0
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
        named = set(columns.values()) if columns else set()
        # "Source,Target,…" headers name columns 1 and 2 only; the language columns decide.
        if not {2, 3} & named and (direction := _deepl_direction(row)) is not None:
            deepl_rows += 1
            if direction == ("en", "de"):
                mapping = {"de": 1, "en": 0}
            elif direction != ("de", "en"):
                skipped += 1
                continue

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
            forms=split_list(cell("forms")),
            avoid=split_list(cell("avoid")),
            accept=split_list(cell("accept")),
            keep=flags.get("keep", False),
            compound=flags.get("compound", False),
            case_sensitive=flags.get("case_sensitive", False),
            note=note or None,
        )
        carried = {"de", "en", *(k for k in mapping if k not in ("de", "en"))}
        out.append(ImportedTerm(spec, frozenset(carried), line))
    items, joined = dedupe(out)
    return TableRead(
        items,
        delimiter,
        encoding,
        columns is not None,
        deepl_rows,
        skipped,
        tuple(problems),
        joined,
    )
