"""The glossary editor: add, set and remove entries, and any other planned edit, safely.

Every edit runs under `fsutil.file_lock(path)`, re-reads the file inside the lock, validates
the result (it must load, read back exactly as intended, and pass `lint` for the entries it
touched) and only then replaces the file atomically. So concurrent CLI runs never lose an
edit and an invalid glossary is never written.

How the text changes is decided by the strategies below this module: `incremental` (splice
the entry's lines and re-read only the region around them, from the shared cache's record
of the file), else `splice` on the whole text (falling back to a ruamel.yaml round trip,
`roundtrip`, for layouts it cannot splice), with new entries written by `emit`. After
writing, the editor stores the record of the new content in the shared cache
(`briefpack.glossary.cache`), so the next `check`, `build` or edit does not parse the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from briefpack.errors import InputError, OutputError, UsageError, rel
from briefpack.glossary.cache import GlossaryCache, Parsed, parse_indexed
from briefpack.glossary.incremental import incremental_edit
from briefpack.glossary.load import MAX_BYTES, read_source
from briefpack.glossary.matchcache import carry_matches
from briefpack.glossary.model import FIELDS, Glossary, Term, TermSpec
from briefpack.glossary.normalize import canonical_key
from briefpack.glossary.plan import EditPlan, refuse_lint, verify
from briefpack.glossary.splice import apply_plan
from briefpack.util.cache import cache_dir, sha256_hex
from briefpack.util.fsutil import atomic_write_text, file_lock
from briefpack.util.paths import Input

__all__ = ["EditPlan", "add_term", "edit_glossary", "remove_term", "set_term"]

R = TypeVar("R")


# --- public operations -----------------------------------------------------------------


def add_term(path: Path, spec: TermSpec, *, root: Path | None = None) -> Term:
    """Append a new entry; refuse duplicates and conflicts. Return the entry as written."""
    spec = _checked_spec(spec)

    def plan(glossary: Glossary) -> tuple[EditPlan, str]:
        key = canonical_key(spec.de)
        for other in glossary.terms:
            if key not in {canonical_key(v) for v in other.variants}:
                continue
            where = f" (line {other.line})" if other.line else ""
            if canonical_key(other.de) == key:
                msg = f"{spec.de!r} is already in the glossary{where}: {other.de} → {other.en}"
            else:
                msg = f"{spec.de!r} is already a form of {other.de!r}{where}"
            raise InputError(f"{glossary.file}: {msg}; use `briefpack glossary set` to change it")
        return EditPlan(appends=[spec]), spec.de

    glossary, de = _edit(path, root, plan)
    return _find_written(glossary, de)


def set_term(path: Path, term: str, *, root: Path | None = None, **changes: object) -> Term:
    """Replace the given fields of the entry `term` names (de, a form or en); return it.

    Lists replace the old list; None (or an empty list) removes an optional field.
    """
    checked = _checked_changes(changes)

    def plan(glossary: Glossary) -> tuple[EditPlan, str]:
        entry = glossary.resolve(term)
        new_de = checked.get("de", entry.de)
        assert isinstance(new_de, str)
        return EditPlan(updates={entry.index: checked}), new_de

    glossary, de = _edit(path, root, plan)
    return _find_written(glossary, de)


def remove_term(path: Path, term: str, *, root: Path | None = None) -> Term:
    """Delete the entry `term` names (de, a form or en); return the removed entry."""
    removed: list[Term] = []

    def plan(glossary: Glossary) -> tuple[EditPlan, None]:
        entry = glossary.resolve(term)
        removed.append(entry)
        return EditPlan(removals={entry.index}), None

    _edit(path, root, plan)
    return removed[0]


def edit_glossary(
    path: Path, plan: Callable[[Glossary], tuple[EditPlan, R]], *, root: Path | None = None
) -> tuple[Glossary, R]:
    """Apply `plan` (called with the freshly read glossary) under the lock; return new state."""
    return _edit(path, root, plan)


# --- validation of requests ------------------------------------------------------------


def _checked_spec(spec: TermSpec) -> TermSpec:
    if not spec.de.strip():
        raise UsageError("the German term must not be empty")
    if spec.en is None or not spec.en.strip():
        if not spec.keep:
            raise UsageError(f"{spec.de!r}: the English term must not be empty (or use --keep)")
        spec = replace(spec, en=None)
    for name, values in (("form", spec.forms), ("avoid", spec.avoid), ("accept", spec.accept)):
        if any(not v.strip() for v in values):
            raise UsageError(f"{spec.de!r}: an empty {name} is not allowed")
    if spec.note is not None and not spec.note.strip():
        spec = replace(spec, note=None)
    return spec


def _checked_changes(changes: Mapping[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in changes.items():
        if key not in FIELDS:
            raise UsageError(f"unknown field {key!r}; fields: {', '.join(FIELDS)}")
        if key in ("forms", "avoid", "accept"):
            if value is None:
                value = ()
            if isinstance(value, str) or not isinstance(value, Sequence):
                raise UsageError(f"{key} must be a list of strings")
            items = tuple(str(v) for v in value)
            if any(not v.strip() for v in items):
                raise UsageError(f"{key}: empty strings are not allowed")
            out[key] = items
        elif key in ("compound", "case_sensitive", "keep"):
            if not isinstance(value, bool):
                raise UsageError(f"{key} must be true or false")
            out[key] = value
        elif value is None or (isinstance(value, str) and not value.strip()):
            if key == "de":
                raise UsageError("the German term must not be empty")
            out[key] = None
        elif isinstance(value, str):
            out[key] = value
        else:
            raise UsageError(f"{key} must be a string")
    if not out:
        raise UsageError("nothing to change: give at least one field")
    return out


# --- the locked read-modify-write ------------------------------------------------------


def _edit(
    path: Path, root: Path | None, plan: Callable[[Glossary], tuple[EditPlan, R]]
) -> tuple[Glossary, R]:
    file = rel(path, root)
    folder = cache_dir(path.resolve().parent)
    cache = GlossaryCache(folder)
    with file_lock(path):
        source = read_source(path, file)
        text, had_bom = source if source is not None else (None, False)
        bom = "\ufeff" if had_bom else ""
        old = Parsed((), None, 0, True)
        old_data = b""
        if text is not None:
            old_data = (bom + text).encode("utf-8")
            old = cache.read(old_data, text, file=file, path=path)
            if old.spans is not None:
                done = incremental_edit(old, text, plan, file=file, path=path)
                if done is not None:
                    new_text, new, edit, result = done
                    written = _write(path, file, bom + new_text, new, cache)
                    _carry(folder, old_data, written, edit, new)
                    return new.glossary(path, file), result
        edit, result = plan(old.glossary(path, file))
        new_text = apply_plan(text, edit, file)
        try:
            new = parse_indexed(new_text, file=file, path=path)
        except InputError as exc:
            # The problems' lines refer to the edited text, which is never written.
            raise InputError(
                f"{file}: not changed: the edit would make the glossary invalid",
                problems=exc.problems,
            ) from None
        new_glossary = new.glossary(path, file)
        verify(old.glossary(path, file), edit, new_glossary, file)
        refuse_lint(new_glossary, edit, file)
        # Lint-clean stays known: the untouched entries were, and the touched ones are checked.
        new = replace(new, lint_clean=old.lint_clean)
        written = _write(path, file, bom + new_text, new, cache)
        if text is not None:
            _carry(folder, old_data, written, edit, new)
        return new_glossary, result


def _write(path: Path, file: str, body: str, new: Parsed, cache: GlossaryCache) -> bytes:
    """Write the edited glossary and leave its record in the shared cache; return its bytes."""
    data = body.encode("utf-8")
    if len(data) > MAX_BYTES:
        # Never write a glossary that every later command would refuse to read.
        raise InputError(
            f"{file}: not changed: the glossary would be {len(data):,} bytes, over the limit "
            f"of {MAX_BYTES:,} bytes"
        )
    atomic_write_text(path, body, edits=Input.GLOSSARY)
    cache.put(data, new)
    cache.save()
    return data


def _carry(folder: Path, old: bytes, new: bytes, edit: EditPlan, parsed: Parsed) -> None:
    """Keep the stored glossary matches that entries only appended cannot change."""
    if edit.appends and not edit.updates and not edit.removals:
        carry_matches(folder, sha256_hex(old), sha256_hex(new), parsed.terms, len(edit.appends))


def _find_written(glossary: Glossary, de: str) -> Term:
    found = glossary.get(de)
    if found is None:  # pragma: no cover - verify guarantees it
        raise OutputError(f"{glossary.file}: {de!r} missing after the edit")
    return found
