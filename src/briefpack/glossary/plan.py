"""What an edit of the glossary is (`EditPlan`) and what its result must be.

Every edit strategy (`splice`, `roundtrip`, `incremental`) applies an `EditPlan`; the
editor (`briefpack.glossary.edit`) then checks the result against `expected_specs` and
refuses it if an entry it touched would have a lint problem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from briefpack.errors import InputError, OutputError
from briefpack.glossary.entry import TermSpec
from briefpack.glossary.lint import lint_detailed
from briefpack.glossary.model import Glossary


@dataclass
class EditPlan:
    """What to change: entry index → field changes (None deletes), removals, new entries."""

    updates: dict[int, dict[str, object]] = field(default_factory=dict)
    removals: set[int] = field(default_factory=set)
    appends: list[TermSpec] = field(default_factory=list)


def expected_specs(old: Glossary, edit: EditPlan) -> list[TermSpec]:
    """Return the entries the glossary must hold after `edit`, in order."""
    out = []
    for term in old.terms:
        if term.index in edit.removals:
            continue
        spec = term.to_spec()
        changes = edit.updates.get(term.index)
        if changes:
            spec = _apply_to_spec(spec, changes)
        out.append(spec)
    return out + list(edit.appends)


def _apply_to_spec(spec: TermSpec, changes: Mapping[str, object]) -> TermSpec:
    values: dict[str, object] = {}
    for key, value in changes.items():
        if key in ("forms", "avoid", "accept"):
            values[key] = tuple(value) if isinstance(value, Sequence) else ()
        elif key in ("compound", "case_sensitive", "keep"):
            values[key] = bool(value)
        else:
            values[key] = value
    return replace(spec, **values)  # type: ignore[arg-type]


def comparable(spec: TermSpec) -> TermSpec:
    """Return `spec` as a read-back entry compares (`en` defaults to `de`)."""
    return replace(spec, en=spec.en if spec.en is not None else spec.de)


def verify(old: Glossary, edit: EditPlan, new: Glossary, file: str) -> None:
    """Raise `OutputError` unless `new` holds exactly the entries `edit` asked for."""
    want = [comparable(s) for s in expected_specs(old, edit)]
    got = [comparable(t.to_spec()) for t in new.terms]
    if want != got:
        raise OutputError(
            f"{file}: internal error: the edited glossary does not read back as intended; "
            "nothing was written"
        )


def refuse_lint(new: Glossary, edit: EditPlan, file: str) -> None:
    """Raise `InputError` if an entry `edit` touched has a lint problem in `new`."""
    # Entries keep their order: updated ones move up by the removals before them, and
    # appended ones are the last len(appends).
    touched = {i - sum(1 for r in edit.removals if r < i) for i in edit.updates}
    touched |= set(range(len(new) - len(edit.appends), len(new)))
    problems = [p for indices, p in lint_detailed(new, only=touched) if indices & touched]
    if problems:
        raise InputError(
            f"{file}: not changed: the edit would leave {len(problems)} glossary problem(s)",
            problems=problems,
        )
