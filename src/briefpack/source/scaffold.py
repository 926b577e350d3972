"""Scaffolding a briefing for a source: the core of `briefpack new`.

`new` writes a briefing for a source text with what can be read from the text filled in and
everything else marked `TODO`; `briefpack check` reports every `TODO` left (a warning, fatal
under `--strict`). A text file outside seeds/ is copied there; a web page, PDF or DOCX is
extracted (`source.extract`) into `seeds/NNN-<id>.txt`.

This is below the commands layer because three callers share it: the `new` command,
`inbox accept` (with the intake's kept bytes, no second download) and the preview server's
editor and Inbox view. Each calls `new_briefing`; none has a copy.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.errors import InputError, UsageError
from briefpack.source.load import MAX_SEED_BYTES
from briefpack.util import months
from briefpack.util.fsutil import atomic_write_bytes, atomic_write_text
from briefpack.util.paths import Input, Project
from briefpack.util.text import checked_text
from briefpack.util.yamlio import is_slug, read_text

if TYPE_CHECKING:
    from briefpack.source.extract import Extracted
    from briefpack.source.fetch import Fetched

# A PDF or DOCX holds images and fonts besides its text: allow more than for a text file.
MAX_SOURCE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class SeedFacts:
    """What `new` could read from a source: its text, or a web page's or file's metadata."""

    title: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    published_from: str = "the text"  # said in the briefing's comment: where to check it
    origin: str = "text"  # "text", "html", "pdf" or "docx": what the facts were read from

    def found(self) -> list[str]:
        """Return the names of the facts that were read, in briefing order."""
        values = (
            ("title", self.title),
            ("date", self.published),
            ("outlet", self.outlet),
            ("author", self.author),
            ("url", self.url),
        )
        return [name for name, value in values if value]


@dataclass(frozen=True)
class NewBriefing:
    """What `new` did."""

    path: Path  # the briefing written
    id: str
    seed: str  # source.file, relative to the project
    copied: bool  # the source text was copied (or extracted) into seeds/
    facts: SeedFacts
    extracted: bool = False  # the text was extracted from HTML, PDF or DOCX


_ISO_HEADER = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})\b[ \t]*")
_NUM_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
MAX_TITLE = 150


def read_facts(text: str) -> SeedFacts:
    """Return the headline and date a source text states at its top, if it does.

    Dates: an ISO header `date 2025-12-06` (as the seeds of some feeds have), else a short
    line among the first ten holding a German date (`16. Dezember 2025`, `16.12.2025`).
    Title: the first non-empty line (after such a header) if it is short and does not end
    like a sentence.
    """
    lines = [line.strip() for line in text.lstrip("\ufeff").splitlines() if line.strip()][:10]
    if not lines:
        return SeedFacts()
    published = None
    first = lines[0]
    header = _ISO_HEADER.match(first)
    if header:
        published = _date(*(int(g) for g in header.groups()))
        first = first[header.end() :].strip()
    else:
        for line in lines[:10]:
            if len(line) <= 60 and (found := _german_date(line)):
                published = found
                break
    headline = (
        0 < len(first) <= MAX_TITLE
        and not first.endswith((".", ",", ";", ":"))
        and (_german_date(first) is None or len(first) > 40)  # not a bare date line
    )
    return SeedFacts(first if headline else None, published)


@cache
def _month_numbers() -> dict[str, int]:
    """Return every German month name, lower-cased, and its number („jänner“, „feber“ too)."""
    return {name.lower(): n for name, n in months.german_spellings().items() if "." not in name}


@cache
def _german_date_pattern() -> re.Pattern[str]:
    names = "|".join(_month_numbers())
    return re.compile(rf"\b(\d{{1,2}})\.\s*({names})\s+(\d{{4}})\b", re.IGNORECASE)


def _german_date(line: str) -> dt.date | None:
    if m := _german_date_pattern().search(line):
        return _date(int(m[3]), _month_numbers()[m[2].lower()], int(m[1]))
    if m := _NUM_DATE.search(line):
        return _date(int(m[3]), int(m[2]), int(m[1]))
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug_for(name: str) -> str:
    """Return a briefing id for a file name: `001-Große Koalition.txt` → `grosse-koalition`."""
    stem = re.sub(r"^\d+[-_ .]+", "", Path(name).stem) or Path(name).stem
    text = unicodedata.normalize("NFKD", stem.lower().translate(_TRANSLIT))
    text = text.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0] or slug[:80]
    return slug


# Formats we cannot read, with what to do instead (the text path would only say "not UTF-8").
_UNSUPPORTED = (
    ".doc",
    ".docm",  # a macro-enabled Word document: save it as .docx
    ".dotx",
    ".dotm",
    ".odt",
    ".rtf",
    ".pages",
    ".epub",
    ".xlsx",
    ".pptx",
)
_SEED_NUMBER = re.compile(r"^(\d+)[-_ .]")
MAX_TITLE_SLUG_WORDS = 6


def new_briefing(
    project: Project,
    seed: Path | str,
    *,
    briefing_id: str | None = None,
    fetched: Fetched | None = None,
) -> NewBriefing:
    """Write `briefings/<id>.yaml` for a source: a text file, a web page, PDF, DOCX or URL.

    A text file outside seeds/ is copied there as is; HTML, PDF, DOCX and URLs are
    extracted (`briefpack.source.extract`) into `seeds/NNN-<id>.txt`, numbered after the
    highest number in seeds/, and every fact the source states is filled in. `fetched`: the
    URL's response, already downloaded (`inbox accept` passes the intake's copy).
    """
    from briefpack.source import extract as ex
    from briefpack.source.fetch import fetch, is_url

    text = str(seed)
    if isinstance(seed, str) and is_url(seed):
        got = fetched if fetched is not None else fetch(seed)
        if got.kind == ex.TEXT:
            body = _decode_text(got.data, seed)
            item = ex.Extracted(body, ex.TEXT, url=got.url)
        else:
            item = ex.extract(got.data, got.kind, seed, url=got.url)
        return _new_from_extracted(project, item, text, briefing_id, _url_stem(got.url))
    path = Path(seed)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    suffix = path.suffix.lower()
    kind = ex.SUFFIXES.get(suffix, ex.TEXT)
    if suffix in _UNSUPPORTED or (kind == ex.TEXT and _is_zip(path)):
        suffix = suffix or "such"
        raise UsageError(
            f"{path}: {suffix} files cannot be read; save the source as .docx, .pdf, .html "
            "or .txt (UTF-8)"
        )
    if kind == ex.TEXT:
        return _new_from_text(project, path, briefing_id)
    data = _read_bytes(path, limit=MAX_SOURCE_BYTES)
    item = ex.extract(data, kind, str(path))
    return _new_from_extracted(project, item, text, briefing_id, path.name)


def _is_zip(path: Path) -> bool:
    """Whether a file taken for text is a zip archive (an office document of another kind)."""
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False  # reading it as text reports the error


def _read_bytes(path: Path, *, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(
                f"{path}: {size / 1048576:.1f} MiB, over the {limit / 1048576:.0f} MiB limit "
                "for a source file"
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _decode_text(data: bytes, label: str) -> str:
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{label}: the text is not valid UTF-8") from None
    return checked_text(text, label)  # the one validity gate, as for a text file


def _url_stem(url: str) -> str:
    from urllib.parse import unquote, urlsplit

    last = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    return last or urlsplit(url).hostname or "quelle"


def _check_id(project: Project, bid: str, given: bool, name: str) -> Path:
    if not bid or not is_slug(bid) or len(bid) > 80:
        hint = "" if given else f" from {name!r}"
        raise UsageError(
            f"cannot use {bid!r}{hint} as a briefing id (lowercase letters, digits and "
            "hyphens, at most 80); give one with --id"
        )
    target = project.briefings_dir / f"{bid}.yaml"
    if target.exists():
        raise UsageError(f"{project.rel(target)} exists; refusing to overwrite it")
    return target


def _new_from_text(project: Project, seed: Path, briefing_id: str | None) -> NewBriefing:
    bid = briefing_id if briefing_id is not None else slug_for(seed.name)
    target = _check_id(project, bid, briefing_id is not None, f"the file name {seed.name}")
    text = read_text(seed, str(seed), limit=MAX_SEED_BYTES, what="source text")
    seeds = project.seeds_dir.resolve()
    source = seed.resolve()
    copied = False
    if not source.is_relative_to(seeds):
        dest = seeds / seed.name
        data = seed.read_bytes()
        if dest.exists() and dest.read_bytes() != data:
            raise UsageError(
                f"{project.rel(dest)} exists with other content; rename {seed.name!r} or "
                "move it into seeds/ yourself"
            )
        if not dest.exists():
            atomic_write_bytes(dest, data, edits=Input.SEEDS)
            copied = True
        source = dest
    ref = source.relative_to(project.root.resolve()).as_posix()
    facts = read_facts(text)
    atomic_write_text(target, briefing_yaml(bid, ref, facts), edits=Input.BRIEFINGS)
    return NewBriefing(target, bid, ref, copied, facts)


def _title_slug(title: str) -> str:
    words = slug_for(title + ".txt").split("-")
    return "-".join(words[:MAX_TITLE_SLUG_WORDS])


def _new_from_extracted(
    project: Project, item: Extracted, origin: str, briefing_id: str | None, name: str
) -> NewBriefing:
    stated = read_facts(item.text)
    title = item.title or stated.title
    if briefing_id is not None:
        bid = briefing_id
    else:
        bid = _title_slug(title) if title else slug_for(name)
    target = _check_id(project, bid, briefing_id is not None, title or name)
    published, published_from = item.published, item.published_from
    if stated.published and item.kind != "html":
        # A date the text states beats a file's creation date.
        published, published_from = stated.published, "the text"
    facts = SeedFacts(
        title=title,
        published=published,
        outlet=item.outlet,
        author=item.author,
        url=item.url,
        published_from=published_from or "the text",
        origin=item.kind,
    )
    body = item.text
    if item.title and not body.startswith(item.title):
        body = f"{item.title}\n\n{body}"  # a seed starts with its headline, like the others
    if len(body.encode("utf-8")) > MAX_SEED_BYTES:
        raise InputError(f"{origin}: the extracted text is over the source-text size limit")
    dest = _next_seed(project, bid)
    atomic_write_text(dest, body, edits=Input.SEEDS)
    ref = dest.relative_to(project.root.resolve()).as_posix()
    atomic_write_text(target, briefing_yaml(bid, ref, facts, origin=origin), edits=Input.BRIEFINGS)
    return NewBriefing(target, bid, ref, True, facts, extracted=True)


def _next_seed(project: Project, bid: str) -> Path:
    """Return `seeds/NNN-<bid>.txt`, numbered one above the highest number in seeds/."""
    seeds = project.seeds_dir.resolve()
    prefixes = [
        m[1]
        for p in (seeds.iterdir() if seeds.is_dir() else ())
        if (m := _SEED_NUMBER.match(p.name))
    ]
    width = max([3, *(len(p) for p in prefixes)])
    number = max((int(p) for p in prefixes), default=-1) + 1
    return seeds / f"{number:0{width}d}-{bid}.txt"


def _q(value: str) -> str:
    """Return `value` as a double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _in_comment(value: str) -> str:
    """Return `value` as it can stand in a YAML comment: quoted if it holds a line break."""
    return value if value.isprintable() else _q(value)


def briefing_yaml(bid: str, seed: str, facts: SeedFacts, *, origin: str | None = None) -> str:
    """Return the text of a scaffolded briefing: facts filled in, the rest marked TODO."""
    where = {"html": "the page", "pdf": "the PDF", "docx": "the document"}.get(
        facts.origin, "the text"
    )
    if facts.title:
        said = "the first line of the text" if facts.origin == "text" else f"from {where}"
        title = f"{_q(facts.title)}   # {said}; null if it has no headline"
    else:
        title = "null   # the source's own headline, if it has one"
    if facts.published:
        published = f"{facts.published.isoformat()}   # read from {facts.published_from}: check it"
    else:
        published = "null   # ISO date (2025-12-16), or null when the text does not say"
    if facts.outlet:
        outlet = f"{_q(facts.outlet)}   # read from {where}: check it"
    else:
        outlet = '"TODO: Medium, oder null, wenn der Text es nicht nennt"'
    if facts.author:
        author = f"{_q(facts.author)}   # read from {where}: check it"
    else:
        author = '"TODO: Autorin oder Autor, oder null, wenn der Text es nicht nennt"'
    if facts.url:
        url = f"{_q(facts.url)}   # read from {where}; printed, never fetched again"
    else:
        url = "null   # http(s) URL of the source, or null; printed, never fetched"
    extracted = f"\n# Text extracted from {_in_comment(origin)}." if origin else ""
    return f"""\
# Scaffolded by `briefpack new` from {_in_comment(seed)}.{extracted}
# Replace every TODO: `briefpack check` lists those left (fatal under --strict). Facts the
# text does not state stay null, never guessed. Then add the id to a pack in briefings/packs/.
id: {bid}
title: "TODO: deutscher Titel der Zusammenfassung"
source:
  file: {_q(seed)}
  title: {title}
  outlet: {outlet}
  author: {author}
  published: {published}
  url: {url}
summary: >-
  TODO: Zusammenfassung auf Deutsch, 80–200 Wörter; eine Leerzeile beginnt einen neuen Absatz.
key_points:   # 3–6 Sätze
  - "TODO: erster Kernpunkt"
  - "TODO: zweiter Kernpunkt"
  - "TODO: dritter Kernpunkt"
quotes:   # 1–3, wörtlich aus dem Text
  - text: "TODO: wörtliches Zitat aus dem Text"
    speaker: "TODO: wer es sagt"
assessment: >-
  TODO: Bewertung in 2–5 Sätzen.
tags: []
"""
