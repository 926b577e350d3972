"""Load and validate a whole project: briefings, packs, translation memory, glossary.

Every file is read and checked before anything is written, and every problem of every
file is collected so that one run reports them all. Loading also segments every document
and finds its glossary terms, through the content-keyed caches of `briefpack.source.caches`,
so that a build with nothing to do stays cheap.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from briefpack.errors import InputError, Problem
from briefpack.glossary.model import Glossary
from briefpack.source.caches import MatchCache, SplitCache, load_glossary_cached
from briefpack.source.content import Content, LoadedBriefing, LoadedPack
from briefpack.source.house import load_letterhead, load_settings
from briefpack.source.memory import TranslationMemory, load_memory
from briefpack.source.schema import Briefing, Pack
from briefpack.util.cache import cache_dir
from briefpack.util.collector import collector_paused
from briefpack.util.locate import problems_from_validation
from briefpack.util.paths import Input, Project
from briefpack.util.text import clean
from briefpack.util.yamlio import MAX_YAML_BYTES, YamlDoc, load_yaml, parse_yaml, read_text

MAX_SEED_BYTES = 5 * 1024 * 1024


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def _validate(model: type[BaseModel], doc: YamlDoc, problems: list[Problem]) -> BaseModel | None:
    if not isinstance(doc.data, dict):
        what = "empty" if doc.data is None else f"a {type(doc.data).__name__}, not a mapping"
        problems.append(doc.problem((), f"the file is {what}; expected a mapping of keys"))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, doc, model))
        return None


def load_content(project: Project, *, use_cache: bool = True) -> Content:
    """Load and validate the project; raise InputError listing every problem.

    `use_cache=False` neither reads nor writes `.briefpack-cache/`.
    """
    problems: list[Problem] = []
    briefings: dict[str, LoadedBriefing] = {}
    packs: dict[str, LoadedPack] = {}
    settings = load_settings(project, problems)
    settings_failed = bool(problems)  # then a pack without a marking may not lack one

    # A briefing whose file exists but failed to load (bad YAML, or a bad seed file) already
    # has its own problem; "no briefing with id …" on top of it would send the reader to the
    # wrong file.
    present: set[str] = set()
    for path in _yaml_files(project.briefings_dir):
        present.add(path.stem)
        loaded = _load_briefing(project, path, problems)
        if loaded is None:
            continue
        b = loaded.model
        if b.id in briefings:
            other = project.rel(briefings[b.id].path)
            problems.append(
                loaded.doc.problem(
                    ("id",),
                    f"duplicate briefing id {b.id!r} (also used by {other})",
                    code="duplicate-id",
                )
            )
            continue
        briefings[b.id] = loaded

    for path in _yaml_files(project.packs_dir):
        try:
            doc = load_yaml(path, project.rel(path))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        pack = _validate(Pack, doc, problems)
        if not isinstance(pack, Pack):
            continue
        if pack.marking is None:
            if settings.model.marking is None and not settings_failed:
                problems.append(
                    doc.problem(
                        (),
                        "no `marking:`: give the pack's distribution marking here, or a "
                        f"default `marking:` in {project.rel(project.settings_path)}",
                        code="no-marking",
                    )
                )
                continue
            pack = pack.model_copy(update={"marking": settings.model.marking})
        letterhead = load_letterhead(project, pack, doc, problems)
        for i, bid in enumerate(pack.briefings):
            if bid not in briefings and bid not in present:
                problems.append(
                    doc.problem(
                        ("briefings", i),
                        f"no briefing with id {bid!r} in briefings/",
                        code="unknown-briefing",
                    )
                )
        packs[path.stem] = LoadedPack(path.stem, pack, path, doc, letterhead)

    try:
        memory = load_memory(project.translations_dir, display_root=project.root)
    except InputError as exc:
        problems.extend(exc.as_problems(project.rel(project.translations_dir)))
        memory = TranslationMemory(project.translations_dir)

    folder = cache_dir(project.root) if use_cache else None
    glossary_digest = ""
    try:
        glossary, glossary_digest, lint_problems = load_glossary_cached(project, folder)
        problems.extend(lint_problems)  # contradictory entries would mislead enforcement
    except InputError as exc:
        # Never an empty glossary in its place: checking or building without the glossary
        # would pass every terminology rule and print a pack with "0 entries".
        problems.extend(exc.as_problems(project.rel(project.glossary_path)))
        glossary = Glossary()

    if problems:
        raise InputError(
            f"{len(problems)} problem(s) in the project's input files", problems=problems
        )
    content = Content(project, briefings, packs, memory, glossary, settings)
    with collector_paused():  # the glossary's index and every segment's matches
        _segment_all(content, folder, glossary_digest)
    return content


def intake_problems(project: Project) -> list[Problem]:
    """Return every problem of the press intake's files: feeds.yaml and the inbox items.

    `check` lists them with the others, each located as `feeds` and `inbox` report them. A
    build reads neither file, so they are not part of `load_content`: a broken inbox item
    never stops a build.
    """
    root = project.root
    if not any((root / part.value).exists() for part in (Input.FEEDS, Input.INBOX)):
        return []  # a project without press intake: not even the modules are imported
    from briefpack.source.feeds import feeds_path, load_feeds
    from briefpack.source.inbox import inbox_dir, load_inbox

    problems: list[Problem] = []
    try:
        load_feeds(feeds_path(root), root=root)
    except InputError as exc:
        problems.extend(exc.as_problems(project.rel(feeds_path(root))))
    try:
        load_inbox(root)
    except InputError as exc:
        problems.extend(exc.as_problems(project.rel(inbox_dir(root))))
    return problems


def _segment_all(content: Content, folder: Path | None, glossary_digest: str) -> None:
    """Segment every document and find the glossary terms of every segment (cached)."""
    splits = SplitCache(folder)
    splits.seed(content.splitter)
    fields = [f for doc in content.documents() for f in content.fields(doc.id)]
    splits.save(content.splitter, fields)
    matches = MatchCache(folder, content.glossary, glossary_digest)
    for text in dict.fromkeys(seg.text for f in fields for seg in f.segments):
        content.remember_terms(text, matches.matches(text))
    matches.save()


def _load_briefing(project: Project, path: Path, problems: list[Problem]) -> LoadedBriefing | None:
    display = project.rel(path)
    try:
        text = read_text(path, display, limit=MAX_YAML_BYTES, what="YAML file")
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    return _briefing_from_text(project, path, text, problems)


def parse_briefing(project: Project, path: Path, text: str) -> LoadedBriefing:
    """Return the briefing `text` (meant for `path`) as `check` reads it; raise InputError
    listing its problems (the editor validates a change with it before writing)."""
    problems: list[Problem] = []
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        limit = f"over the limit of {MAX_YAML_BYTES:,} bytes"
        problems.append(Problem(project.rel(path), message=f"YAML file would be {limit}"))
    loaded = None if problems else _briefing_from_text(project, path, text, problems)
    if loaded is None:
        raise InputError(f"{project.rel(path)}: invalid briefing", problems=problems)
    return loaded


def _briefing_from_text(
    project: Project, path: Path, text: str, problems: list[Problem]
) -> LoadedBriefing | None:
    display = project.rel(path)
    try:
        doc = parse_yaml(text, path=path, display=display)
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    b = _validate(Briefing, doc, problems)
    if not isinstance(b, Briefing):
        return None
    if b.id != path.stem:
        problems.append(
            doc.problem(
                ("id",),
                f"id {b.id!r} does not match the file name {path.name!r}",
                code="id-mismatch",
            )
        )
        return None
    seed = resolve_seed(project, b.source.file)
    if seed is None:
        problems.append(
            doc.problem(
                ("source", "file"),
                f"{b.source.file!r} is not a file under seeds/",
                code="bad-source-file",
            )
        )
        return None
    try:
        seed_text = read_text(seed, project.rel(seed), limit=MAX_SEED_BYTES, what="source text")
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    return LoadedBriefing(b, path, doc, clean(seed_text))


def resolve_seed(project: Project, ref: str) -> Path | None:
    """Return the seed file `ref` names if it lies inside seeds/ and exists."""
    if "\x00" in ref or Path(ref).is_absolute():
        return None
    try:
        seeds = project.seeds_dir.resolve()
        target = _find_normalised(project.root, ref).resolve()
        if not target.is_relative_to(seeds) or not target.is_file():
            return None
    except (OSError, RuntimeError):
        # A name over 255 bytes (ENAMETOOLONG) makes is_file() raise instead of returning
        # False, and Python 3.11's resolve() raises RuntimeError on a symlink loop.
        return None
    return target


def _find_normalised(root: Path, ref: str) -> Path:
    """Return `root / ref`, matching each missing name by its NFC form.

    The briefing's `source.file` is NFC after reading (briefpack.util.text), while a file copied
    from macOS may be named in NFD: "Mu\u0308nchen.txt" is "München.txt" to a person.
    """
    path = root
    for part in Path(ref).parts:
        candidate = path / part
        if part not in ("..", ".") and not candidate.exists() and path.is_dir():
            wanted = normalize_name(part)
            candidate = next(
                (c for c in path.iterdir() if normalize_name(c.name) == wanted), candidate
            )
        path = candidate
    return path


def normalize_name(name: str) -> str:
    """Return a file name as compared with names in briefings."""
    return clean(name)
