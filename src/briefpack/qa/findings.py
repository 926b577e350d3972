"""Findings about a loaded project: what `check` lists and `--strict` fails on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from briefpack.errors import Problem
from briefpack.qa.editorial import editorial_findings
from briefpack.qa.pair import check_pair
from briefpack.source.content import Content, FieldsByDoc, LoadedPack, unique_segments
from briefpack.source.fields import field_loc
from briefpack.source.segment import segment_key
from briefpack.util.text import normalize


def project_findings(content: Content, packs: Sequence[LoadedPack] | None = None) -> list[Problem]:
    """Return every finding about valid input: editorial warnings, translation gaps, terms.

    `packs` limits the findings to what those packs show (their own texts and briefings)
    and to the project-wide files (the translation memory); None means the whole project.
    """
    fields = content.all_fields() if packs is None else content.fields_of(packs)
    out = editorial_findings(content, packs)
    out += missing_findings(content, packs)
    out += unused_findings(content)
    out += conflicting_reviewed_findings(content)
    out += terminology_findings(content, fields)
    return sorted(out, key=Problem.sort_key)


def missing_findings(content: Content, packs: Sequence[LoadedPack] | None = None) -> list[Problem]:
    """Warn about every pack segment with no English, or only a stale machine translation."""
    out = []
    shown = content.packs.values() if packs is None else packs
    for seg in content.pending(content.fields_of(shown)):
        if content.memory.lookup(seg.key) is None:
            message, code = f"no English translation for segment {seg.key}", "missing-translation"
        else:
            message = (
                f"machine translation of segment {seg.key} predates the glossary entries it "
                "contains; `briefpack translate` refreshes it"
            )
            code = "stale-translation"
        p = content.document(seg.doc).yaml.problem(
            field_loc(seg.field), f"{message} ({seg.text[:60]!r})", code=code
        )
        out.append(replace(p, severity="warning"))
    return out


def terminology_findings(content: Content, fields: FieldsByDoc | None = None) -> list[Problem]:
    """Run translation QA on every translated segment of `fields` (default: all documents)."""
    out: list[Problem] = []
    for f, seg in unique_segments(content.all_fields() if fields is None else fields):
        entry = content.memory.lookup(seg.key)
        if entry is None:
            continue
        where = content.memory.entries_for(seg.key)
        path = next((p for p, e in where if e == entry), content.memory.file_for(seg.doc))
        line, column = content.memory.position(path, entry)
        for finding in check_pair(
            entry.de, entry.en, content.glossary, matches=content.terms_in(seg.text)
        ):
            term = f", term {finding.term!r}" if finding.term else ""
            out.append(
                Problem(
                    content.project.rel(path),
                    line,
                    column,
                    field=None,
                    code=finding.code,
                    severity="warning",
                    message=f"{finding.message} [{entry.status} translation; "
                    f"{content.document(seg.doc).yaml.display} {f.field}, segment {seg.key}{term}]",
                )
            )
    return out


def unused_findings(content: Content) -> list[Problem]:
    """Warn about entries no briefing or pack uses (every briefing counts as used) and that
    the project memory cannot reuse either.

    An unused reviewed entry with English is a unit of the project memory: exact, fuzzy and
    repaired look-ups reuse it, so it is no finding. An unused machine entry is one
    (`translate --prune` removes it), and so is an unused reviewed entry whose German or
    English is empty (`MemoryEntry.is_memory_unit`): nothing can ever reuse it.
    """
    used = content.used_keys()
    out = []
    for path, entry in content.memory.all_entries():
        if entry.is_memory_unit or segment_key(entry.de) in used:
            continue
        if entry.status == "machine":
            why = "`briefpack translate --prune` removes it"
        else:
            empty = "English" if not normalize(entry.en) else "German"
            why = f"its {empty} is empty, so the project memory cannot reuse it: write or delete it"
        out.append(
            Problem(
                content.project.rel(path),
                *content.memory.position(path, entry),
                code="unused-translation",
                severity="warning",
                message=f"unused {entry.status} entry ({entry.de[:60]!r}): its German "
                f"sentence is no longer in any briefing; {why}",
            )
        )
    return out


def conflicting_reviewed_findings(content: Content) -> list[Problem]:
    """Warn when two reviewed entries give one German sentence different English.

    Lookups take the first in file order; a reviewer must decide which one is right.
    """
    first: dict[str, tuple[str, int, str]] = {}
    out: list[Problem] = []
    for doc in content.memory.files.values():
        where = content.project.rel(doc.path)
        for i, entry in enumerate(doc.entries):
            if not entry.is_memory_unit:
                continue
            key = segment_key(entry.de)
            seen = first.setdefault(key, (where, i, entry.en))
            if seen[2].strip() != entry.en.strip():
                out.append(
                    Problem(
                        where,
                        code="conflicting-translation",
                        severity="warning",
                        message=f"reviewed entry {i + 1} ({entry.de[:60]!r}) says "
                        f"{entry.en[:60]!r}, but reviewed entry {seen[1] + 1} of {seen[0]} says "
                        f"{seen[2][:60]!r}; the first one is used: keep one",
                    )
                )
    return out
