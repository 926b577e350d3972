"""`briefpack glossary …`: list, show, edit, check, scan, import and export the glossary.

Exit codes: 0 success; 2 bad usage, no project, or a TERM that names no entry; 3 the glossary
(or an import file) is invalid, `check` found problems, or an edit was refused; 1 a file could
not be written; 7 another process kept the glossary locked.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefpack.cli._common import ProjectOption, echo_err, handled, prefer
from briefpack.cli._dialect import App, choices
from briefpack.errors import InputError, UsageError
from briefpack.glossary.formats import ConflictMode, ExchangeColumns, ExchangeFormat
from briefpack.util.paths import Project, find_project
from briefpack.util.text import clean

if TYPE_CHECKING:
    from briefpack.glossary.model import Term

# Each command imports what it uses when it runs: the editor and the exchange formats pull
# in ruamel.yaml, csv and XML, which `briefpack build` and `briefpack --help` never need.

app = App(
    name="glossary",
    help="Manage the terminology glossary (glossary.yaml) that every translation is held to.",
)

NoteOption = Annotated[
    str | None, typer.Option("--note", metavar="TEXT", help="Guidance for translators.")
]
AvoidOption = Annotated[
    list[str] | None,
    typer.Option(
        "--avoid", metavar="TEXT", help="English variant that must not be used (repeatable)."
    ),
]
FormOption = Annotated[
    list[str] | None,
    typer.Option("--form", metavar="TEXT", help="Extra German form or variant (repeatable)."),
]

TermArgument = Annotated[
    str, typer.Argument(metavar="TERM", help="German term, one of its forms, or its English.")
]

_MAX_DE_WIDTH = 36


def _project(project: Path | None) -> Project:
    return find_project(project)


def _text(value: str | None) -> str | None:
    # Arguments get the normalisation every file gets when read (briefpack.util.text): an NFD
    # or soft-hyphenated term typed or pasted here is the same entry as in glossary.yaml.
    return None if value is None else clean(value)


def _texts(values: list[str] | None) -> tuple[str, ...]:
    return tuple(clean(v) for v in values or ())


def _extras(term: Term) -> str:
    extras = term.flags()
    if term.avoid:
        extras.append("avoid: " + ", ".join(term.avoid))
    return f"  [{'; '.join(extras)}]" if extras else ""


def _describe(term: Term) -> str:
    return f"{term.de} → {term.en}{_extras(term)}"


def _where(proj: Project, term: Term) -> str:
    name = proj.rel(proj.glossary_path)
    return f"{name}:{term.line}" if term.line else name


@app.command("list")
def list_terms(
    grep: Annotated[
        str | None,
        typer.Option(
            "--grep",
            metavar="TEXT",
            help="Only entries whose German, forms, English or avoid "
            "variants contain TEXT (case-insensitive).",
        ),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """List the entries: German → English, with flags and avoided variants."""
    from briefpack.glossary.load import load_glossary

    with handled():
        proj = _project(project)
        glossary = load_glossary(proj.glossary_path, root=proj.root)
        terms = list(glossary)
        if grep:
            needle = grep.casefold()
            terms = [
                t
                for t in terms
                if any(needle in s.casefold() for s in (*t.variants, t.en, *t.avoid))
            ]
        if not terms:
            echo_err(f"no entries match {grep!r}" if grep else "the glossary is empty")
            return
        width = min(max(len(t.de) for t in terms), _MAX_DE_WIDTH)
        for term in terms:
            typer.echo(f"{term.de:<{width}}  →  {term.en}{_extras(term)}")


@app.command("show")
def show(
    term: TermArgument,
    project: ProjectOption = None,
) -> None:
    """Show everything about one entry."""
    from briefpack.glossary.load import load_glossary
    from briefpack.glossary.model import entry_fingerprint

    with handled():
        proj = _project(project)
        glossary = load_glossary(proj.glossary_path, root=proj.root)
        entry = glossary.resolve(clean(term))
        typer.echo(f"de: {entry.de}")
        typer.echo(f"en: {entry.en}")
        if entry.accept:
            typer.echo(f"accept: {', '.join(entry.accept)}")
        if entry.forms:
            typer.echo(f"forms: {', '.join(entry.forms)}")
        if entry.avoid:
            typer.echo(f"avoid: {', '.join(entry.avoid)}")
        typer.echo(f"flags: {', '.join(entry.flags()) or '-'}")
        if entry.note:
            typer.echo(f"note: {entry.note}")
        typer.echo(f"defined: {_where(proj, entry)}")
        typer.echo(f"fingerprint: {entry_fingerprint(entry)}")


@app.command("add")
def add(
    de: Annotated[str, typer.Argument(metavar="DE", help="German base form.")],
    en: Annotated[
        str | None,
        typer.Argument(metavar="EN", help="Approved English (optional with --keep)."),
    ] = None,
    note: NoteOption = None,
    avoid: AvoidOption = None,
    form: FormOption = None,
    keep: Annotated[
        bool, typer.Option("--keep", help="Do not translate: English keeps the German term.")
    ] = False,
    compound: Annotated[
        bool, typer.Option("--compound", help="Also match inside German compounds.")
    ] = False,
    case_sensitive: Annotated[
        bool, typer.Option("--case-sensitive", help="Match with exact case.")
    ] = False,
    project: ProjectOption = None,
) -> None:
    """Add an entry (appended to glossary.yaml; comments and layout are kept)."""
    from briefpack.glossary.edit import add_term
    from briefpack.glossary.model import TermSpec

    with handled():
        if en is None and not keep:
            raise UsageError("give the English term (EN), or --keep for a term kept as is")
        proj = _project(project)
        spec = TermSpec(
            de=clean(de),
            en=_text(en),
            forms=_texts(form),
            avoid=_texts(avoid),
            compound=compound,
            case_sensitive=case_sensitive,
            keep=keep,
            note=_text(note),
        )
        added = add_term(proj.glossary_path, spec, root=proj.root)
        typer.echo(f"added: {_describe(added)} ({_where(proj, added)})")


@app.command("set")
def set_(
    term: TermArgument,
    de: Annotated[
        str | None, typer.Option("--de", metavar="TEXT", help="New German base form.")
    ] = None,
    en: Annotated[
        str | None, typer.Option("--en", metavar="TEXT", help="New approved English.")
    ] = None,
    note: NoteOption = None,
    clear_note: Annotated[bool, typer.Option("--clear-note", help="Remove the note.")] = False,
    avoid: AvoidOption = None,
    clear_avoid: Annotated[
        bool, typer.Option("--clear-avoid", help="Remove all avoid variants.")
    ] = False,
    form: FormOption = None,
    clear_forms: Annotated[bool, typer.Option("--clear-forms", help="Remove all forms.")] = False,
    keep: Annotated[bool | None, typer.Option("--keep/--no-keep", help="Set keep.")] = None,
    compound: Annotated[
        bool | None, typer.Option("--compound/--no-compound", help="Set compound matching.")
    ] = None,
    case_sensitive: Annotated[
        bool | None,
        typer.Option("--case-sensitive/--case-insensitive", help="Set case-sensitive matching."),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Change fields of an entry. --avoid and --form REPLACE the whole list (repeat them)."""
    from briefpack.glossary.edit import set_term

    with handled():
        changes: dict[str, object] = {}
        for name, value in (
            ("de", _text(de)),
            ("en", _text(en)),
            ("keep", keep),
            ("compound", compound),
            ("case_sensitive", case_sensitive),
        ):
            if value is not None:
                changes[name] = value
        for name, values, clear in (("avoid", avoid, clear_avoid), ("forms", form, clear_forms)):
            if values and clear:
                raise UsageError(f"--{name} and --clear-{name} contradict each other")
            if values or clear:
                changes[name] = _texts(values)
        if note is not None and clear_note:
            raise UsageError("--note and --clear-note contradict each other")
        if note is not None or clear_note:
            changes["note"] = _text(note)
        if not changes:
            raise UsageError("nothing to change: give at least one option (see --help)")
        proj = _project(project)
        updated = set_term(proj.glossary_path, clean(term), root=proj.root, **changes)
        fields = ", ".join(sorted(changes))
        typer.echo(f"updated: {_describe(updated)} (changed: {fields})")


@app.command("remove")
def remove(
    term: TermArgument,
    project: ProjectOption = None,
) -> None:
    """Remove an entry."""
    from briefpack.glossary.edit import remove_term

    with handled():
        proj = _project(project)
        removed = remove_term(proj.glossary_path, clean(term), root=proj.root)
        typer.echo(f"removed: {removed.de} → {removed.en}")


@app.command("check")
def check(project: ProjectOption = None) -> None:
    """Check the glossary: exit 0 if clean, else 3 with one line per problem."""
    from briefpack.glossary.lint import lint
    from briefpack.glossary.load import load_glossary

    with handled():
        proj = _project(project)
        glossary = load_glossary(proj.glossary_path, root=proj.root)
        problems = lint(glossary)
        if problems:
            noun = "problem" if len(problems) == 1 else "problems"
            raise InputError(f"{glossary.file}: {len(problems)} {noun}", problems=problems)
        typer.echo(f"{glossary.file}: {len(glossary)} terms, no problems")


FormatOption = Annotated[
    ExchangeFormat | None,
    typer.Option(
        "--format",
        "-f",
        metavar=choices(ExchangeFormat),
        case_sensitive=False,
        help="csv, tsv, tbx (TBX-Basic v3) or tbx2 (TBX-Basic v2, martif); "
        "default: from the file extension.",
    ),
]


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="CSV, TSV or TBX file to import.", dir_okay=False)
    ],
    format: FormatOption = None,
    on_conflict: Annotated[
        ConflictMode,
        typer.Option(
            "--on-conflict",
            metavar=choices(ConflictMode),
            case_sensitive=False,
            help="For a German term already translated differently: fail (import nothing), "
            "skip (keep ours) or replace (take theirs).",
        ),
    ] = ConflictMode.FAIL,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Import nothing if any row or entry is unusable."),
    ] = False,
    project: ProjectOption = None,
) -> None:
    """Import entries from CSV/TSV (header optional; DeepL's export too) or TBX.

    The sound rows are imported; each unusable one is reported with its line and reason.
    """
    from briefpack.glossary.exchange import format_for, import_terms

    with handled():
        proj = _project(project)
        kind = format_for(file, format)
        report = import_terms(
            proj.glossary_path, file, kind, on_conflict, root=proj.root, strict=strict
        )
        for problem in report.refused:
            echo_err(f"refused: {problem}")
        for name in report.joined:
            echo_err(f"joined: {name}: several concepts in the file; one entry, see its note")
        for label, names in (
            ("added", report.added),
            ("replaced", report.replaced),
            ("merged", report.merged),
            ("skipped", report.skipped),
        ):
            for name in names:
                typer.echo(f"{label}: {name}")
        typer.echo(
            f"imported {file.name} ({report.read_as or kind.value}): {len(report.added)} added, "
            f"{len(report.replaced)} replaced, {len(report.merged)} merged, "
            f"{len(report.skipped)} skipped, {len(report.unchanged)} unchanged"
            + (f", {len(report.refused)} refused" if report.refused else "")
        )


@app.command("export")
def export(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", dir_okay=False, help="The file to write (required)."
        ),
    ] = None,
    format: FormatOption = None,
    no_header: Annotated[
        bool,
        typer.Option("--no-header", help="CSV/TSV: leave out the header row."),
    ] = False,
    columns: Annotated[
        ExchangeColumns,
        typer.Option(
            "--columns",
            metavar=choices(ExchangeColumns),
            case_sensitive=False,
            help="CSV/TSV: de-en (German, English), all (every field; import reads it back) "
            "or deepl (no header, German and English, one row per German form too).",
        ),
    ] = ExchangeColumns.DE_EN,
    project: ProjectOption = None,
    file: Annotated[  # the old spelling of --output (briefpack.cli._dialect.DEPRECATED)
        Path | None, typer.Argument(metavar="FILE", dir_okay=False, hidden=True)
    ] = None,
) -> None:
    """Export the glossary as CSV/TSV (de,en; every column; DeepL) or TBX to -o FILE."""
    from briefpack.glossary.exchange import export_terms, format_for
    from briefpack.util.fsutil import safe_output_path

    with handled():
        file = prefer(output, file, command="glossary export", spelling="FILE")
        if file is None:
            raise UsageError("say where to write: -o/--output FILE")
        proj = _project(project)
        safe_output_path(file, proj.inputs())  # never glossary.yaml, translations/, a FIFO…
        kind = format_for(file, format)
        count = export_terms(
            proj.glossary_path, file, kind, root=proj.root, header=not no_header, columns=columns
        )
        shape = "" if columns is ExchangeColumns.DE_EN else f", columns {columns.value}"
        typer.echo(f"exported {count} terms to {file} ({kind.value}{shape})")


@app.command("scan")
def scan(
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="German text file, or - for standard input.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON list of matches instead of lines.")
    ] = False,
    project: ProjectOption = None,
) -> None:
    """List the glossary terms in a German text: span, surface, entry, English and number."""
    import json

    from briefpack.cli._common import read_stdin_text
    from briefpack.glossary.load import load_glossary
    from briefpack.glossary.scan import scan_text
    from briefpack.util.yamlio import read_text

    with handled():
        proj = _project(project)
        glossary = load_glossary(proj.glossary_path, root=proj.root)
        if file == "-":  # the same limit as for a file, counted on the bytes read
            text = read_stdin_text(_SCAN_LIMIT)
        else:
            text = read_text(Path(file), file, limit=_SCAN_LIMIT, what="text")
        hits = scan_text(glossary, text)
        if as_json:
            typer.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
            return
        if not hits:
            echo_err("no glossary terms found")
        for hit in hits:
            typer.echo(hit.line())


_SCAN_LIMIT = 8 * 1024 * 1024  # what `glossary scan` and `tm lookup` read at most
