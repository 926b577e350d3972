"""Load and validate a whole project: briefings, packs, translation memory.

Every file is read and checked before anything is written, and every problem of every
file is collected so that one run reports them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel, ValidationError

from briefpack.errors import InputError, Problem
from briefpack.glossary.lint import lint
from briefpack.glossary.load import load_glossary
from briefpack.glossary.match import TermMatch
from briefpack.glossary.model import Glossary
from briefpack.memory import TranslationMemory, load_memory
from briefpack.project import Project
from briefpack.schema import Briefing, Pack
from briefpack.segment import normalize
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


def load_content(project: Project) -> Content:
    """Load and validate the project; raise InputError listing every problem."""
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

    try:
        glossary = load_glossary(project.glossary_path, root=project.root)
        problems.extend(lint(glossary))  # contradictory entries would mislead enforcement
    except InputError as exc:
        problems.extend(exc.problems)
        glossary = Glossary()

    if problems:
        raise InputError(
            f"{len(problems)} problem(s) in the project's input files", problems=problems
        )
    return Content(
        project, briefings, packs, memory, glossary, sorted(warnings, key=Problem.sort_key)
    )


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
