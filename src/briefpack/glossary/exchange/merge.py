"""Merging imported entries into the glossary: added, merged, skipped, replaced or a conflict."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefpack.errors import InputError, Problem
from briefpack.glossary.edit import EditPlan
from briefpack.glossary.exchange.common import ImportedTerm
from briefpack.glossary.formats import ConflictMode
from briefpack.glossary.match import canonical_key
from briefpack.glossary.model import Glossary, Term, TermSpec


@dataclass(frozen=True)
class ImportReport:
    """German terms by outcome of an import."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    read_as: str = ""  # how the file was read: format version, delimiter, encoding, header
    refused: tuple[Problem, ...] = ()  # rows or entries not imported, with line and reason
    joined: tuple[str, ...] = ()  # German terms the file gave for several concepts

    @property
    def total(self) -> int:
        """Return how many entries the file held."""
        return sum(
            len(x) for x in (self.added, self.replaced, self.merged, self.skipped, self.unchanged)
        )


@dataclass
class Outcome:
    """German terms by outcome while an import is planned, and the conflicts found."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)


def plan_import(
    glossary: Glossary, incoming: list[ImportedTerm], mode: ConflictMode, label: str
) -> tuple[EditPlan, Outcome]:
    """Decide what importing `incoming` changes; raise `InputError` on conflicts."""
    edit = EditPlan()
    result = Outcome()
    owners: dict[str, Term] = {canonical_key(v): t for t in glossary.terms for v in t.variants}
    for item in incoming:
        spec = item.spec
        owner = owners.get(canonical_key(spec.de))
        if owner is None:
            edit.appends.append(spec)
            result.added.append(spec.de)
            continue
        theirs = spec.en if spec.en is not None else spec.de
        if theirs == owner.en:
            changes = _merge(owner, spec)
            if changes:
                edit.updates[owner.index] = changes
                result.merged.append(owner.de)
            else:
                result.unchanged.append(owner.de)
            continue
        is_base = canonical_key(owner.de) == canonical_key(spec.de)
        if mode is ConflictMode.SKIP:
            result.skipped.append(spec.de)
        elif mode is ConflictMode.REPLACE and is_base:
            edit.updates[owner.index] = _replacement(item)
            result.replaced.append(owner.de)
        else:
            kind = "" if is_base else f" (a form of {owner.de!r})"
            where = f"{glossary.file}:{owner.line}" if owner.line else glossary.file
            message = (
                f"{spec.de!r}{kind}: the glossary has {owner.en!r} ({where}), "
                f"the file has {theirs!r}"
            )
            if mode is ConflictMode.REPLACE:
                message += "; replace cannot change a form's translation, edit the glossary"
            result.conflicts.append(
                Problem(label, item.line, 1 if item.line else None, message, None, "conflict")
            )
    if result.conflicts:
        hint = "" if mode is ConflictMode.REPLACE else " (use --on-conflict skip or replace)"
        raise InputError(
            f"{label}: {len(result.conflicts)} entr(ies) conflict with the glossary; "
            f"nothing imported{hint}",
            problems=result.conflicts,
        )
    return edit, result


def _merge(owner: Term, spec: TermSpec) -> dict[str, object]:
    changes: dict[str, object] = {}
    have = {canonical_key(v) for v in owner.variants}
    forms = [f for f in spec.forms if canonical_key(f) not in have]
    if forms:
        changes["forms"] = owner.forms + tuple(dict.fromkeys(forms))
    have_avoid = {a.casefold() for a in owner.avoid}
    avoid = [a for a in spec.avoid if a.casefold() not in have_avoid]
    if avoid:
        changes["avoid"] = owner.avoid + tuple(dict.fromkeys(avoid))
    have_accept = {a.casefold() for a in (owner.en, *owner.accept)}
    accept = [a for a in spec.accept if a.casefold() not in have_accept]
    if accept:
        changes["accept"] = owner.accept + tuple(dict.fromkeys(accept))
    if spec.note and not owner.note:
        changes["note"] = spec.note
    return changes


def _replacement(item: ImportedTerm) -> dict[str, object]:
    spec = item.spec
    values: dict[str, object] = {
        "en": spec.en,
        "forms": spec.forms,
        "avoid": spec.avoid,
        "accept": spec.accept,
        "keep": spec.keep,
        "compound": spec.compound,
        "case_sensitive": spec.case_sensitive,
        "note": spec.note,
    }
    return {k: v for k, v in values.items() if k in item.fields}
