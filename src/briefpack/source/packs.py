"""Pack files edited from the command line: create, list, add, remove and move briefings.

An edit touches only the `briefings:` list of `briefings/packs/<name>.yaml`: the list's
lines are located with the YAML parser's marks and rewritten line by line, so every other byte
of the file (comments, quoting, the folded executive summary) stays as it was, and a comment on
an item's line travels with the item. A round-trip YAML library would re-emit the whole
document (re-folding long scalars, normalising quotes), which is why this is done by hand.
Every edit is locked and atomic, like glossary edits; the file is validated before and after.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from briefpack.errors import InputError, UsageError
from briefpack.source.schema import Pack
from briefpack.util.fsutil import atomic_write_text, file_lock
from briefpack.util.locate import problems_from_validation
from briefpack.util.paths import Input, Project
from briefpack.util.yamlio import MAX_YAML_BYTES, YamlDoc, is_slug, parse_yaml, read_text

_ITEM = re.compile(r"^(?P<indent>[ \t]*)-[ \t]+(?P<value>[^\s#]+)(?P<rest>.*)$")


@dataclass(frozen=True)
class PackInfo:
    """What `pack list` and `pack show` tell about one pack."""

    name: str
    title: str  # the German title
    title_en: str
    briefings: tuple[str, ...]
    path: Path

    def as_json(self, project: Project) -> dict[str, object]:
        """Return the `pack list --json` object: name, title, briefings, path."""
        return {
            "name": self.name,
            "title": self.title,
            "briefings": list(self.briefings),
            "path": project.rel(self.path),
        }


def pack_path(project: Project, name: str) -> Path:
    """Return the file of pack `name`; a name that is no slug is a usage error."""
    if not is_slug(name):
        raise UsageError(
            f"{name!r} is not a pack name: use lower-case letters, digits and hyphens "
            "(it becomes the file name out/<name>.pdf)"
        )
    return project.packs_dir / f"{name}.yaml"


def _load(project: Project, path: Path) -> tuple[str, YamlDoc, Pack]:
    display = project.rel(path)
    text = read_text(path, display, limit=MAX_YAML_BYTES)
    doc = parse_yaml(text, path=path, display=display)
    try:
        model = Pack.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(
            f"{display}: invalid pack", problems=problems_from_validation(exc, doc)
        ) from None
    return text, doc, model


def _info(project: Project, path: Path) -> PackInfo:
    _, _, model = _load(project, path)
    return PackInfo(path.stem, model.title.de, model.title.en, tuple(model.briefings), path)


def list_packs(project: Project) -> list[PackInfo]:
    """Return every pack of the project, by name; an invalid pack file is an input error."""
    folder = project.packs_dir
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return [_info(project, path) for path in paths]


def show_pack(project: Project, name: str) -> PackInfo:
    """Return one pack; an unknown name is a usage error listing the packs there are."""
    return _info(project, _existing(project, name))


def _existing(project: Project, name: str) -> Path:
    path = pack_path(project, name)
    if not path.is_file():
        names = ", ".join(p.stem for p in sorted(project.packs_dir.glob("*.yaml"))) or "none"
        raise UsageError(f"no pack {name!r} in {project.rel(project.packs_dir)}/ (packs: {names})")
    return path


def _briefing_ids(project: Project) -> set[str]:
    folder = project.briefings_dir
    return {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_pack(
    project: Project,
    name: str,
    *,
    title: str | None = None,
    title_en: str | None = None,
    briefings: list[str] | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write `briefings/packs/<name>.yaml`: the given facts, `TODO` for the rest.

    The pack is dated today; `check` lists the TODOs left (a warning, fatal under `--strict`).
    """
    path = pack_path(project, name)
    ids = _checked_ids(project, briefings or [], [], name)
    lines = [
        "# A briefing pack: `briefpack build " + name + "` writes out/" + name + ".pdf.",
        "# Replace every TODO; `briefpack check` lists those left.",
        "title:",
        f"  de: {_quoted(title or 'TODO: deutscher Titel des Pakets')}",
        f"  en: {_quoted(title_en or 'TODO: English title of the pack')}",
        f"date: {(today or dt.date.today()).isoformat()}",
        f"audience: {_quoted('TODO: Leserkreis')}",
        f"marking: {_quoted('Nur für den internen Dienstgebrauch')}",
        "executive_summary: >-",
        "  TODO: Zusammenfassung des Pakets auf Deutsch.",
        "briefings:" + ("" if ids else " []"),
        *(f"  - {bid}" for bid in ids),
    ]
    with file_lock(path):
        if path.exists():
            raise UsageError(f"{project.rel(path)} exists already; `briefpack pack add` adds to it")
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, "\n".join(lines) + "\n", edits=Input.BRIEFINGS)
    return path


def _checked_ids(project: Project, ids: list[str], present: list[str], name: str) -> list[str]:
    known = _briefing_ids(project)
    out: list[str] = []
    for bid in ids:
        if bid not in known:
            raise UsageError(
                f"no briefing {bid!r} in {project.rel(project.briefings_dir)}/ "
                f"(a briefing is briefings/<id>.yaml)"
            )
        if bid in present or bid in out:
            raise UsageError(f"briefing {bid!r} is in pack {name!r} already")
        out.append(bid)
    return out


@dataclass
class _Block:
    """The `briefings:` list of a pack file as lines: [start, end) and each item's lines."""

    key_line: int  # index of the `briefings:` line
    start: int
    end: int
    items: list[tuple[str, list[str]]]  # (briefing id, its lines: leading comments + item)
    indent: str
    flow: bool


def _block(text: str, doc: YamlDoc) -> _Block:
    lines = text.splitlines(keepends=True)
    line, _ = doc.where(("briefings",))  # 1-based line of the value
    key_line = next((i for i, raw in enumerate(lines) if re.match(r"^briefings[ \t]*:", raw)), None)
    if key_line is None or line is None:  # pragma: no cover - a valid pack has the key
        raise InputError(f"{doc.display}: no briefings: list")
    after = lines[key_line].split(":", 1)[1].strip()
    if after and not after.startswith("#"):  # flow style: [a, b] on the key's line
        return _Block(key_line, key_line, key_line + 1, [], "  ", True)
    items: list[tuple[str, list[str]]] = []
    pending: list[str] = []
    i = key_line + 1
    indent = "  "
    while i < len(lines):
        raw = lines[i]
        match = _ITEM.match(raw.rstrip("\r\n"))
        if match:
            indent = match.group("indent")
            items.append((match.group("value").strip("'\""), [*pending, raw]))
            pending = []
        elif raw.strip().startswith("#") or not raw.strip():
            pending.append(raw)
        else:
            break
        i += 1
    # Trailing comments and blank lines after the last item belong to what follows.
    return _Block(key_line, key_line + 1, i - len(pending), items, indent, False)


def _rewrite(text: str, block: _Block, ids: list[str]) -> str:
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    by_id = {bid: chunk for bid, chunk in block.items}
    body: list[str] = []
    for bid in ids:
        chunk = by_id.get(bid) or [f"{block.indent}- {bid}{newline}"]
        if not chunk[-1].endswith(("\n", "\r")):
            chunk = [*chunk[:-1], chunk[-1] + newline]
        body += chunk
    key = lines[block.key_line]
    comment = key.split("#", 1)[1].rstrip("\r\n") if "#" in key and not block.flow else ""
    head = "briefings:" + (f"  #{comment}" if comment else "")
    if not ids:
        head = "briefings: []" + (f"  #{comment}" if comment else "")
    tail_newline = key[len(key.rstrip("\r\n")) :] or newline
    rest = lines[block.end :]
    if body and not rest and not text.endswith(("\n", "\r")):
        body[-1] = body[-1].rstrip("\r\n")  # the file ended without a newline: keep it so
    return "".join([*lines[: block.key_line], head + tail_newline, *body, *rest])


def _edit(project: Project, name: str, change: Callable[[list[str]], list[str]]) -> PackInfo:
    path = _existing(project, name)
    with file_lock(path):
        text, doc, model = _load(project, path)
        ids = change(list(model.briefings))
        if ids == list(model.briefings):
            return PackInfo(name, model.title.de, model.title.en, tuple(ids), path)
        new = _rewrite(text, _block(text, doc), ids)
        checked = parse_yaml(new, path=path, display=doc.display)
        model = Pack.model_validate(checked.data)  # the edit must leave a valid pack
        if list(model.briefings) != ids:  # pragma: no cover - guards the line editor
            raise InputError(f"{doc.display}: could not edit the briefings: list")
        atomic_write_text(path, new, edits=Input.BRIEFINGS)
    return PackInfo(name, model.title.de, model.title.en, tuple(ids), path)


def add_briefings(
    project: Project, name: str, ids: list[str], *, at: int | None = None
) -> PackInfo:
    """Add briefings to a pack, at the end or before position `at` (1-based)."""

    def add(present: list[str]) -> list[str]:
        new = _checked_ids(project, ids, present, name)
        where = len(present) if at is None else _position(at, len(present) + 1) - 1
        return [*present[:where], *new, *present[where:]]

    return _edit(project, name, add)


def remove_briefings(project: Project, name: str, ids: list[str]) -> PackInfo:
    """Remove briefings from a pack (the briefing files stay)."""

    def remove(present: list[str]) -> list[str]:
        for bid in ids:
            if bid not in present:
                raise UsageError(f"briefing {bid!r} is not in pack {name!r}")
        return [bid for bid in present if bid not in ids]

    return _edit(project, name, remove)


def move_briefing(project: Project, name: str, briefing: str, to: int) -> PackInfo:
    """Move one briefing of a pack to position `to` (1-based)."""

    def move(present: list[str]) -> list[str]:
        if briefing not in present:
            raise UsageError(f"briefing {briefing!r} is not in pack {name!r}")
        rest = [bid for bid in present if bid != briefing]
        where = _position(to, len(present)) - 1
        return [*rest[:where], briefing, *rest[where:]]

    return _edit(project, name, move)


def _position(value: int, count: int) -> int:
    if not 1 <= value <= count:
        raise UsageError(f"position {value} is out of range: use 1 to {count}")
    return value
