"""Import and export the glossary as CSV, TSV and TBX (`table`, `tbx`; merging: `merge`).

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

TBX is parsed by briefpack's one XML reader (`util.xmlio`: lxml without network, DTD loading
or entities, bounded input); a document that declares or uses entities is refused.

Partial import: the sound rows (CSV/TSV) or entries (TBX) are imported; every refused one is
reported with its line and reason (no German term, no usable English, a flag that is not
yes/no). ``strict`` (``--strict``) refuses the whole file, importing nothing, if any row is
refused. A German term that the file gives for two concepts (a termbase's homonyms) becomes
one entry: the first concept's English is the approved one, the others' English accepted
alternatives, and the note names them and their lines; the import reports these as joined.

``on_conflict`` decides what happens to an imported entry whose German term is already in the
glossary with a *different* English: ``fail`` (default: nothing is imported, every conflict is
listed), ``skip`` (keep ours) or ``replace`` (take theirs for every field the file carries).
With the same English the entries are merged: new forms and avoid variants are added and a
missing note is filled in.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from briefpack.errors import InputError, Problem, UsageError, rel
from briefpack.glossary.edit import EditPlan, edit_glossary
from briefpack.glossary.exchange.common import (
    MAX_IMPORT_BYTES,
    ExchangeRead,
    ImportedTerm,
    format_for,
)
from briefpack.glossary.exchange.merge import ImportReport, Outcome, plan_import
from briefpack.glossary.exchange.table import TableRead, decode_table, read_table, render_table
from briefpack.glossary.exchange.tbx import read_tbx, render_tbx
from briefpack.glossary.formats import ConflictMode, ExchangeColumns, ExchangeFormat
from briefpack.glossary.load import load_glossary
from briefpack.glossary.model import Glossary
from briefpack.util.fsutil import atomic_write_text, read_bounded

__all__ = [
    "ExchangeRead",
    "ImportReport",
    "ImportedTerm",
    "export_terms",
    "format_for",
    "import_terms",
    "read_exchange",
    "read_exchange_all",
    "read_terms",
    "render_export",
]


def export_terms(
    path: Path,
    out_file: Path,
    fmt: str | ExchangeFormat | None = None,
    *,
    root: Path | None = None,
    header: bool = True,
    columns: str | ExchangeColumns = ExchangeColumns.DE_EN,
) -> int:
    """Write the glossary at `path` to `out_file`; return the number of entries written."""
    kind = format_for(out_file, fmt)
    if out_file.resolve() == path.resolve():
        raise UsageError(f"{out_file}: refusing to overwrite the glossary itself")
    cols = ExchangeColumns(columns)
    if cols is not ExchangeColumns.DE_EN and kind not in (ExchangeFormat.CSV, ExchangeFormat.TSV):
        raise UsageError(f"--columns {cols.value} is for CSV and TSV; TBX always has every field")
    glossary = load_glossary(path, root=root)
    atomic_write_text(out_file, render_export(glossary, kind, header=header, columns=cols))
    return len(glossary)


def render_export(
    glossary: Glossary,
    fmt: ExchangeFormat,
    *,
    header: bool = True,
    columns: ExchangeColumns = ExchangeColumns.DE_EN,
) -> str:
    """Return the glossary in an exchange format."""
    if fmt in (ExchangeFormat.CSV, ExchangeFormat.TSV):
        return render_table(glossary.terms, fmt, header=header, columns=columns)
    return render_tbx(glossary.terms, v3=fmt is ExchangeFormat.TBX)


def read_terms(
    file: Path, fmt: str | ExchangeFormat | None = None, *, name: str | None = None
) -> list[ImportedTerm]:
    """Read entries from an exchange file; raise `InputError` listing every problem."""
    return read_exchange(file, fmt, name=name)[0]


def read_exchange(
    file: Path, fmt: str | ExchangeFormat | None = None, *, name: str | None = None
) -> tuple[list[ImportedTerm], str]:
    """Return the entries of an exchange file and how it was read; refuse any unusable row."""
    read = read_exchange_all(file, fmt, name=name)
    if read.refused:
        raise _refusal(name or str(file), read.refused, "")
    return read.items, read.read_as


def _refusal(label: str, refused: tuple[Problem, ...], why: str) -> InputError:
    return InputError(
        f"{label}: {len(refused)} unusable row(s) or entr(ies); nothing imported{why}",
        problems=refused,
    )


def read_exchange_all(
    file: Path, fmt: str | ExchangeFormat | None = None, *, name: str | None = None
) -> ExchangeRead:
    """Return the usable entries of an exchange file, its refused rows and joined concepts."""
    kind = format_for(file, fmt)
    label = name or str(file)
    try:
        data = read_bounded(file, MAX_IMPORT_BYTES)  # pipes and /dev/zero too
    except FileNotFoundError:
        raise UsageError(f"{label}: no such file") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot read: {exc.strerror or exc}") from exc
    if kind in (ExchangeFormat.CSV, ExchangeFormat.TSV):
        try:
            text, encoding = decode_table(data)
        except ValueError as exc:
            raise InputError(f"{label}: cannot decode: {exc}") from None
        table: TableRead = read_table(
            text, label, tab=kind is ExchangeFormat.TSV, encoding=encoding
        )
        read_as = f"{kind.value.upper()}: {table.describe()}"
        return ExchangeRead(table.items, read_as, table.refused, table.joined)
    return read_tbx(data, label)


def import_terms(
    path: Path,
    file: Path,
    fmt: str | ExchangeFormat | None = None,
    on_conflict: str | ConflictMode = ConflictMode.FAIL,
    *,
    root: Path | None = None,
    strict: bool = False,
) -> ImportReport:
    """Merge the entries of an exchange file into the glossary at `path` (see module doc)."""
    mode = ConflictMode(on_conflict.value if isinstance(on_conflict, Enum) else on_conflict)
    label = rel(file, root)
    read = read_exchange_all(file, fmt, name=label)
    if strict and read.refused:
        raise _refusal(label, read.refused, " (--strict)")
    incoming = read.items

    def plan(glossary: Glossary) -> tuple[EditPlan, Outcome]:
        return plan_import(glossary, incoming, mode, label)

    _, outcome = edit_glossary(path, plan, root=root)
    return ImportReport(
        tuple(outcome.added),
        tuple(outcome.replaced),
        tuple(outcome.merged),
        tuple(outcome.skipped),
        tuple(outcome.unchanged),
        read.read_as,
        read.refused,
        read.joined,
    )
