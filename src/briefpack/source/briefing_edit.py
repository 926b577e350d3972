"""The briefing editor's writer: a briefing's editable fields, read and saved.

`read_briefing` returns the fields the editor shows (title, source facts, summary, key points,
quotes, assessment, tags), normalised as they are compared, with the file's *version* (a hash
of its text) and the source text. `save_briefing` writes changed fields into the file
(`briefing_splice`: every other byte stays), locked (`util.fsutil.file_lock`, like glossary
and pack edits) and atomic, after reading the result back with `check`'s own briefing loader
(`source.load.parse_briefing`): a change that would make the briefing invalid is refused with
the loader's message and nothing is written.

Concurrency: the page sends the version it loaded and the values it loaded (`base`). When the
file has changed since, a field the page left alone keeps the file's value (a `new`, pack or
hand edit made meanwhile is never lost), a field changed only on the page is written, and a
field changed on both sides to different values is a `ConflictError`: nothing is written.

Quotes taken from the source are verbatim by construction: the page sends the offsets of
the selection (UTF-16 code units, as a browser counts), and the text is cut from the seed
file here, never taken from the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from briefpack.errors import ConflictError, InputError, UsageError
from briefpack.source.briefing_splice import PARAGRAPH_FIELDS, Value, splice
from briefpack.source.load import parse_briefing, resolve_seed
from briefpack.source.schema import Briefing
from briefpack.source.segment import split_paragraphs
from briefpack.util.cache import sha256_hex
from briefpack.util.fsutil import atomic_write_text, file_lock
from briefpack.util.paths import Input, Project
from briefpack.util.text import clean, text_problem
from briefpack.util.yamlio import MAX_YAML_BYTES, is_slug, load_yaml, read_text

FIELDS = (
    "title",
    "source.title",
    "source.published",
    "source.outlet",
    "source.author",
    "source.url",
    "summary",
    "key_points",
    "quotes",
    "assessment",
    "tags",
)
OPTIONAL = frozenset({"source.title", "source.published", "source.outlet", "source.author"})
OPTIONAL |= {"source.url"}
TEXT_LISTS = frozenset({"key_points", "tags"})
MAX_QUOTE = 2_000  # characters: a quote is a sentence or two, not the article
# Whitespace runs become one space; no-break spaces stay ("5 %", "S. 3" must not break).
_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")

Fields = dict[str, Value]


@dataclass(frozen=True)
class Editable:
    """What the editor shows of one briefing."""

    id: str
    path: Path
    version: str  # of the file's text: sent back with a save
    fields: Fields
    seed: str  # source.file
    source_text: str  # the seed's text as the page shows it (line breaks as "\n")
    seed_version: str  # sent back with a save that quotes the source by offsets


@dataclass(frozen=True)
class Saved:
    """What a save did."""

    path: Path
    version: str  # of the file now
    fields: Fields  # the fields now in the file
    written: list[str]  # the fields this save changed
    kept: list[str]  # fields changed on disk since the page loaded them, kept as they are


def briefing_path(project: Project, bid: str) -> Path | None:
    """Return the file of briefing `bid`, or None when no briefing has that id."""
    if not is_slug(bid) or len(bid) > 80:
        return None
    for suffix in (".yaml", ".yml"):
        path = project.briefings_dir / f"{bid}{suffix}"
        if path.is_file():
            return path
    return None


def _found(project: Project, bid: str) -> Path:
    path = briefing_path(project, bid)
    if path is None:
        raise UsageError(f"no briefing {bid!r} in {project.rel(project.briefings_dir)}/")
    return path


def version_of(text: str) -> str:
    """Return the version of a file's text or a source text: a short content hash."""
    return sha256_hex(text)[:16]


def source_view(text: str) -> str:
    """Return a source text as a page shows it: HTML reads every line break as "\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_briefing(project: Project, bid: str) -> Editable:
    """Return briefing `bid`'s editable fields; raise InputError when it is invalid."""
    path = _found(project, bid)
    text = read_text(path, project.rel(path), limit=MAX_YAML_BYTES, what="YAML file")
    loaded = parse_briefing(project, path, text)
    source = source_view(loaded.source_text)
    return Editable(
        bid,
        path,
        version_of(text),
        fields_of(loaded.model),
        loaded.model.source.file,
        source,
        version_of(source),
    )


def fields_of(b: Briefing) -> Fields:
    """Return a briefing's editable fields, normalised as the editor compares them."""
    s = b.source
    raw: dict[str, object] = {
        "title": b.title,
        "source.title": s.title,
        "source.published": s.published.isoformat() if s.published else None,
        "source.outlet": s.outlet,
        "source.author": s.author,
        "source.url": s.url,
        "summary": b.summary,
        "key_points": list(b.key_points),
        "quotes": [{"text": q.text, "speaker": q.speaker} for q in b.quotes],
        "assessment": b.assessment,
        "tags": list(b.tags),
    }
    return {name: normalized(name, value) for name, value in raw.items()}


def one_line(text: str) -> str:
    """Return `text` on one line: every whitespace run but no-break spaces one space."""
    return _SPACES.sub(" ", text).strip()


def _text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise UsageError(f"{name}: expected text")
    if (problem := text_problem(value)) is not None:
        raise UsageError(f"{name}: {problem}; nothing was saved")
    return clean(value)


def normalized(name: str, value: object, source_text: str | None = None) -> Value:
    """Return a field's value as it is compared and written, or raise UsageError.

    Paragraph fields keep their paragraphs (split as `source.segment` splits them), other
    texts go on one line, empty list items and optional facts are dropped (null). A quote
    given as `{"from": [start, end], "speaker": …}` is cut from `source_text`.
    """
    if name not in FIELDS:
        raise UsageError(f"{name!r} is not a field the editor writes")
    if name in TEXT_LISTS:
        if not isinstance(value, list):
            raise UsageError(f"{name}: expected a list of texts")
        items = (one_line(_text(f"{name}[{i}]", item)) for i, item in enumerate(value))
        return [item for item in items if item]
    if name == "quotes":
        return _quotes(value, source_text)
    if value is None and name in OPTIONAL:
        return None
    text = _text(name, value)
    if name in PARAGRAPH_FIELDS:
        return "\n\n".join(split_paragraphs(text))
    return one_line(text) or (None if name in OPTIONAL else "")


def _quotes(value: object, source_text: str | None) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise UsageError("quotes: expected a list of {text, speaker}")
    out: list[dict[str, str]] = []
    for i, quote in enumerate(value):
        if not isinstance(quote, dict):
            raise UsageError(f"quotes[{i}]: expected {{text, speaker}}")
        speaker = one_line(_text(f"quotes[{i}].speaker", quote.get("speaker", "")))
        if "from" in quote:
            if source_text is None:
                raise UsageError(f"quotes[{i}]: offsets into the source are for new quotes only")
            text = quote_text(source_text, quote["from"])
        else:
            text = one_line(_text(f"quotes[{i}].text", quote.get("text", "")))
        if text or speaker:
            out.append({"text": text, "speaker": speaker})
    return out


def quote_text(source_text: str, span: object) -> str:
    """Return the text of `source_text` (as the page shows it) between UTF-16 offsets."""
    if not (
        isinstance(span, list)
        and len(span) == 2
        and all(isinstance(i, int) and not isinstance(i, bool) for i in span)
    ):
        raise UsageError("quotes: `from` must be [start, end], offsets into the source text")
    start, end = span
    units = source_view(source_text).encode("utf-16-le")
    if not 0 <= start < end <= len(units) // 2:
        raise UsageError(
            f"quotes: the selection {start}–{end} is not inside the source text "
            f"({len(units) // 2} characters)"
        )
    try:
        text = units[2 * start : 2 * end].decode("utf-16-le")
    except UnicodeDecodeError:
        raise UsageError("quotes: the selection cuts a character in two") from None
    text = one_line(text)
    if not text:
        raise UsageError("quotes: the selection holds no text")
    if len(text) > MAX_QUOTE:
        raise UsageError(f"quotes: the selection is over {MAX_QUOTE:,} characters; quote less")
    return text


def save_briefing(
    project: Project,
    bid: str,
    fields: Mapping[str, object],
    *,
    version: str,
    base: Mapping[str, object] | None = None,
    seed_version: str | None = None,
) -> Saved:
    """Write the changed `fields` into briefing `bid` (see the module docstring).

    `version` and `base` are what the page loaded (`Editable.version` and `.fields`);
    `seed_version` must be the source text's version when a quote is given by offsets.
    Raises UsageError for malformed fields, ConflictError for a clash with a change on disk,
    InputError (the loader's problems) when the result would be invalid.
    """
    path = _found(project, bid)
    display = project.rel(path)
    with file_lock(path):
        text = read_text(path, display, limit=MAX_YAML_BYTES, what="YAML file")
        current = parse_briefing(project, path, text)
        source = source_view(current.source_text)
        if _quotes_by_offset(fields) and seed_version != version_of(source):
            raise ConflictError(
                f"{current.model.source.file} changed since the page was loaded: nothing was "
                "saved; reload the page to quote from the text as it is now"
            )
        page = {name: normalized(name, value, source) for name, value in fields.items()}
        disk = fields_of(current.model)
        if version == version_of(text):
            before = disk
        else:
            given = base or {}
            before = {name: normalized(name, given[name]) for name in page if name in given}
        changes, clashes = _merge(page, before, disk)
        kept = [n for n in FIELDS if n in before and before[n] != disk[n] and n not in changes]
        if clashes:
            raise ConflictError(
                f"{display} was changed on disk since the page loaded it, and "
                f"{', '.join(clashes)} changed both there and here: nothing was saved; "
                "reload the page to see the file as it is now (copy your text first)"
            )
        if not changes:
            return Saved(path, version_of(text), disk, [], kept)
        new_text = splice(text, display, changes)
        written = parse_briefing(project, path, new_text)  # InputError: nothing is written
        result = fields_of(written.model)
        if result != {**disk, **changes}:  # pragma: no cover - guards the splicer
            wrong = ", ".join(n for n in FIELDS if result[n] != {**disk, **changes}[n])
            raise InputError(f"{display}: could not write {wrong} faithfully; nothing was saved")
        atomic_write_text(path, new_text, edits=Input.BRIEFINGS)
    return Saved(path, version_of(new_text), result, list(changes), kept)


def _quotes_by_offset(fields: Mapping[str, object]) -> bool:
    quotes = fields.get("quotes")
    return isinstance(quotes, list) and any(isinstance(q, dict) and "from" in q for q in quotes)


def _merge(page: Fields, before: Fields, disk: Fields) -> tuple[Fields, list[str]]:
    """Return the fields to write and those changed on both sides to different values."""
    changes: Fields = {}
    clashes: list[str] = []
    for name, value in page.items():
        if value == disk[name] or (name in before and value == before[name]):
            continue  # nothing to write, or the page left it alone: the file's value stays
        if name in before and disk[name] == before[name]:
            changes[name] = value
        else:
            clashes.append(name)
    return changes, clashes


def overview(project: Project) -> tuple[list[tuple[str, str]], list[str]]:
    """Return every briefing (id, title) and the files in seeds/ no briefing names yet.

    A briefing that does not load is listed under its file name (`check` says what is
    wrong with it); a seed it names is offered until it is fixed.
    """
    briefings: list[tuple[str, str]] = []
    claimed: set[Path] = set()
    folder = project.briefings_dir
    for path in sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"}):
        try:
            data = load_yaml(path, project.rel(path)).data
        except InputError:
            data = None
        data = data if isinstance(data, dict) else {}
        title = data.get("title")
        briefings.append((path.stem, title if isinstance(title, str) else ""))
        source = data.get("source")
        ref = source.get("file") if isinstance(source, dict) else None
        if isinstance(ref, str) and (seed := resolve_seed(project, ref)) is not None:
            claimed.add(seed)
    seeds = project.seeds_dir
    unclaimed = [
        project.rel(p)
        for p in (sorted(seeds.iterdir()) if seeds.is_dir() else [])
        if not p.name.startswith(".") and p.is_file() and p.resolve() not in claimed
    ]
    return briefings, unclaimed
