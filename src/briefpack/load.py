"""Load and validate a whole project: briefings, packs, translation memory.

Every file is read and checked before anything is written, and every problem of every
file is collected so that one run reports them all. Loading also segments every document
and finds its glossary terms, through content-keyed caches under `.briefpack-cache/`
(see `briefpack.cache`), so that a build with nothing to do stays cheap.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from briefpack.cache import JsonCache, cache_dir, sha256_hex
from briefpack.errors import InputError, Problem, rel
from briefpack.glossary.match import TermMatch
from briefpack.glossary.model import Glossary, Term
from briefpack.memory import TranslationMemory, load_memory
from briefpack.project import Project
from briefpack.schema import Briefing, Pack
from briefpack.segment import FieldText, known_split, normalize, remember_splits
from briefpack.validate import problems_from_validation
from briefpack.yamlio import YamlDoc, load_yaml, read_text

MAX_SEED_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class LoadedBriefing:
    """A validated briefing and where it came from."""

    model: Briefing
    path: Path
    doc: YamlDoc
    source_text: str


@dataclass(frozen=True)
class LoadedPack:
    """A validated pack definition and where it came from."""

    name: str
    model: Pack
    path: Path
    doc: YamlDoc


@dataclass
class Content:
    """Everything a build or check needs, validated."""

    project: Project
    briefings: dict[str, LoadedBriefing]
    packs: dict[str, LoadedPack]
    memory: TranslationMemory
    glossary: Glossary
    warnings: list[Problem] = field(default_factory=list)
    _terms: dict[str, list[TermMatch]] = field(default_factory=dict, repr=False)
    # The segmented fields of every briefing and pack, by document id ("pack:<name>" for a
    # pack's own texts), filled by `load_content`.
    segmented: dict[str, list[FieldText]] = field(default_factory=dict, repr=False)

    def terms_in(self, german: str) -> list[TermMatch]:
        """Return the glossary terms found in a German segment (memoised per run)."""
        found = self._terms.get(german)
        if found is None:
            found = self._terms[german] = self.glossary.find(german)
        return found

    def glossary_fingerprint(self, german: str) -> str:
        """Return the fingerprint of the glossary entries that a segment contains."""
        return self.glossary.fingerprint_for(self.terms_in(german))


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
    warnings: list[Problem] = []
    briefings: dict[str, LoadedBriefing] = {}
    packs: dict[str, LoadedPack] = {}

    # A briefing whose file exists but failed to load (bad YAML, or a bad seed file) already
    # has its own problem; "no briefing with id …" on top of it would send the reader to the
    # wrong file.
    present: set[str] = set()
    for path in _yaml_files(project.briefings_dir):
        present.add(path.stem)
        loaded = _load_briefing(project, path, problems, warnings)
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
        for i, bid in enumerate(pack.briefings):
            if bid not in briefings and bid not in present:
                problems.append(
                    doc.problem(
                        ("briefings", i),
                        f"no briefing with id {bid!r} in briefings/",
                        code="unknown-briefing",
                    )
                )
        packs[path.stem] = LoadedPack(path.stem, pack, path, doc)

    try:
        memory = load_memory(project.translations_dir, display_root=project.root)
    except InputError as exc:
        problems.extend(exc.problems)
        memory = TranslationMemory(project.translations_dir)

    folder = cache_dir(project.root) if use_cache else None
    glossary_digest = ""
    try:
        glossary, glossary_digest, lint_problems = _load_glossary(project, folder)
        problems.extend(lint_problems)  # contradictory entries would mislead enforcement
    except InputError as exc:
        problems.extend(exc.problems)
        glossary = Glossary()

    if problems:
        raise InputError(
            f"{len(problems)} problem(s) in the project's input files", problems=problems
        )
    content = Content(
        project, briefings, packs, memory, glossary, sorted(warnings, key=Problem.sort_key)
    )
    _segment_all(content, folder, glossary_digest)
    return content


# --- cached derived data -------------------------------------------------------------------
#
# Loading the glossary (ruamel.yaml round-trip parse plus lint), splitting sentences (pysbd)
# and matching glossary terms cost more than everything else a no-op build does. All three
# are pure functions of content, so each result is stored under a hash of its input and
# reused; see `briefpack.cache` for why a stale or corrupt cache can only cost time.

_GLOSSARY_MAX_BYTES = 2 * 1024 * 1024  # as glossary.load.MAX_BYTES; bigger files take the slow path


def _load_glossary(project: Project, folder: Path | None) -> tuple[Glossary, str, list[Problem]]:
    """Return the glossary, a hash of its file's bytes ("" if unknown) and its lint problems.

    The cache holds only glossaries that parsed and linted clean, keyed by the file's bytes;
    every other case (a missing, odd or invalid file) takes the uncached path, which
    reports it exactly as before.
    """
    path = project.glossary_path
    try:
        data = path.read_bytes() if path.is_file() else None
    except OSError:
        data = None
    if data is None or len(data) > _GLOSSARY_MAX_BYTES:
        return _load_glossary_uncached(project)
    digest = sha256_hex(data)
    file = rel(path, project.root)
    cache = JsonCache(None if folder is None else folder / "glossary.json")
    terms = _terms_from_json(cache.get(digest))
    if terms is not None:
        return Glossary(terms, path, file), digest, []

    from briefpack.glossary.lint import lint
    from briefpack.glossary.load import decode, parse_glossary

    # Parse the very bytes that were hashed: the file may change while we run.
    glossary = parse_glossary(decode(data, file), file=file, path=path)
    problems = lint(glossary)
    if not problems:
        cache.put(digest, [dataclasses.asdict(t) for t in glossary.terms])
        cache.save()
    return glossary, digest, problems


def _load_glossary_uncached(project: Project) -> tuple[Glossary, str, list[Problem]]:
    from briefpack.glossary.lint import lint
    from briefpack.glossary.load import load_glossary

    glossary = load_glossary(project.glossary_path, root=project.root)
    return glossary, "", lint(glossary)


_TERM_FIELDS = frozenset(f.name for f in dataclasses.fields(Term))


def _terms_from_json(value: Any) -> tuple[Term, ...] | None:
    """Rebuild cached glossary entries; None if the value is not exactly what we stored."""
    if not isinstance(value, list):
        return None
    terms: list[Term] = []
    for item in value:
        if not isinstance(item, dict) or item.keys() != _TERM_FIELDS:
            return None
        de, en, note = item["de"], item["en"], item["note"]
        forms, avoid = item["forms"], item["avoid"]
        flags = (item["compound"], item["case_sensitive"], item["keep"])
        where = (item["index"], item["line"], item["column"])
        if not (
            isinstance(de, str)
            and isinstance(en, str)
            and (note is None or isinstance(note, str))
            and all(
                isinstance(x, list) and all(isinstance(s, str) for s in x) for x in (forms, avoid)
            )
            and all(isinstance(b, bool) for b in flags)
            and isinstance(where[0], int)
            and all(w is None or (isinstance(w, int) and not isinstance(w, bool)) for w in where)
        ):
            return None
        terms.append(
            Term(
                de=de,
                en=en,
                forms=tuple(forms),
                avoid=tuple(avoid),
                compound=flags[0],
                case_sensitive=flags[1],
                keep=flags[2],
                note=note,
                index=where[0],
                line=where[1],
                column=where[2],
            )
        )
    return tuple(terms)


def _segment_all(content: Content, folder: Path | None, glossary_digest: str) -> None:
    """Segment every document and find the glossary terms of every segment (cached)."""
    from briefpack.fields import briefing_fields, pack_doc_id, pack_fields

    splits = JsonCache(None if folder is None else folder / "segments.json")
    remember_splits(splits.stored())
    segmented = content.segmented
    for bid, b in content.briefings.items():
        segmented[bid] = briefing_fields(b.model)
    for name, p in content.packs.items():
        segmented[pack_doc_id(name)] = pack_fields(name, p.model)
    for fields in segmented.values():
        for f in fields:
            for para in f.paragraphs:
                text = " ".join(s.text for s in para)
                sentences = known_split(text)
                if sentences is not None and splits.get(text) != sentences:
                    splits.put(text, sentences)
    splits.save()

    # Matches are only valid for the glossary they were found with: the cache file is
    # scoped by the glossary file's hash (an unknown hash keeps it in memory).
    where = folder / "terms.json" if folder is not None and glossary_digest else None
    matches = JsonCache(where, scope=glossary_digest)
    terms = content.glossary.terms
    position = {id(t): i for i, t in enumerate(terms)}
    for fields in segmented.values():
        for f in fields:
            for seg in f.segments:
                if seg.text in content._terms:
                    continue
                found = _matches_from_json(matches.get(seg.text), seg.text, terms)
                if found is None:
                    found = content.glossary.find(seg.text)
                    matches.put(
                        seg.text,
                        [[position[id(m.entry)], m.start, m.end, m.compound] for m in found],
                    )
                content._terms[seg.text] = found
    matches.save()


def _matches_from_json(value: Any, text: str, terms: tuple[Term, ...]) -> list[TermMatch] | None:
    """Rebuild cached matches of `text`; None if the value is not a plausible match list."""
    if not isinstance(value, list):
        return None
    out: list[TermMatch] = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 4):
            return None
        idx, start, end, compound = item
        if not (
            all(type(x) is int for x in (idx, start, end))
            and isinstance(compound, bool)
            and 0 <= idx < len(terms)
            and 0 <= start < end <= len(text)
        ):
            return None
        out.append(TermMatch(terms[idx], start, end, text[start:end], compound))
    return out


def _load_briefing(
    project: Project, path: Path, problems: list[Problem], warnings: list[Problem]
) -> LoadedBriefing | None:
    display = project.rel(path)
    try:
        doc = load_yaml(path, display)
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
    seed = _resolve_seed(project, b.source.file)
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
        text = read_text(seed, project.rel(seed), limit=MAX_SEED_BYTES, what="source text")
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    _content_warnings(b, doc, text, warnings)
    return LoadedBriefing(b, path, doc, text)


def _resolve_seed(project: Project, ref: str) -> Path | None:
    """Return the seed file `ref` names if it lies inside seeds/ and exists."""
    if "\x00" in ref or Path(ref).is_absolute():
        return None
    try:
        seeds = project.seeds_dir.resolve()
        target = (project.root / ref).resolve()
        if not target.is_relative_to(seeds) or not target.is_file():
            return None
    except (OSError, RuntimeError):
        # A name over 255 bytes (ENAMETOOLONG) makes is_file() raise instead of returning
        # False, and Python 3.11's resolve() raises RuntimeError on a symlink loop.
        return None
    return target


def _content_warnings(b: Briefing, doc: YamlDoc, source: str, out: list[Problem]) -> None:
    """Editorial guidance: lengths and verbatim quotes (warnings; fatal under --strict)."""
    words = len(b.summary.split())
    if not 80 <= words <= 200:
        out.append(
            _warn(doc, ("summary",), f"summary has {words} words; aim for 80–200", "summary-length")
        )
    if not 3 <= len(b.key_points) <= 6:
        out.append(
            _warn(
                doc,
                ("key_points",),
                f"{len(b.key_points)} key points; aim for 3–6",
                "key-points-count",
            )
        )
    if len(b.quotes) > 3:
        out.append(_warn(doc, ("quotes",), f"{len(b.quotes)} quotes; aim for 1–3", "quotes-count"))
    haystack = _squash(source)
    for i, q in enumerate(b.quotes):
        if _squash(q.text) not in haystack:
            out.append(
                _warn(
                    doc,
                    ("quotes", i, "text"),
                    "quote not found verbatim in the source text",
                    "quote-not-verbatim",
                )
            )


def _squash(text: str) -> str:
    return normalize(text).replace("\u00ad", "")


def _warn(doc: YamlDoc, loc: tuple[str | int, ...], message: str, code: str) -> Problem:
    return replace(doc.problem(loc, message, code=code), severity="warning")
