"""CSV and TSV: the two-column, source-first files DeepL and Amazon Translate accept."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from briefpack.errors import InputError, Problem
from briefpack.glossary.exchange.common import ImportedTerm, dedupe, split_list
from briefpack.glossary.formats import ExchangeFormat
from briefpack.glossary.model import Term, TermSpec

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


def render_table(terms: Sequence[Term], fmt: ExchangeFormat, *, header: bool) -> str:
    """Return the entries as a two-column CSV or TSV (``de,en``)."""
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


def read_table(text: str, label: str, *, tab: bool) -> list[ImportedTerm]:
    """Read CSV or TSV rows; raise `InputError` listing every unusable row."""
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
            forms=split_list(cell("forms")),
            avoid=split_list(cell("avoid")),
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
    return dedupe(out, label)
