"""Edits independent of the glossary's size: splice the lines, validate only what changed.

Parsing a 5,000-entry glossary costs a few hundred milliseconds, and so would re-parsing the
edited text. The editor starts from the shared cache's record of the file
(`briefpack.glossary.cache`: its entries and their line spans), splices the entry's lines
and validates only what it changed: the region from the entry before each change to the
entry after it is parsed on its own and must read back as exactly the intended entries;
duplicates are checked against all entries (linear) and lint runs for the touched entries
only (`lint_detailed(only=...)`). The record of the new text is derived from the old one
(shifted lines) plus those regions, and stored for the next edit and the next `check`. Any
surprise returns None: the editor then takes the whole-file path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from briefpack.errors import InputError
from briefpack.glossary.cache import Parsed, parse_indexed
from briefpack.glossary.entry import Term
from briefpack.glossary.load import duplicate_problems
from briefpack.glossary.model import Glossary
from briefpack.glossary.plan import (
    EditPlan,
    comparable,
    expected_specs,
    refuse_lint,
)
from briefpack.glossary.splice import Op, Span, splice_lines, terms_end

R = TypeVar("R")


def incremental_edit(
    old: Parsed,
    text: str,
    plan: Callable[[Glossary], tuple[EditPlan, R]],
    *,
    file: str,
    path: Path | None,
) -> tuple[str, Parsed, EditPlan, R] | None:
    """Return the edited text, its record, the plan and its result; None: the full path.

    Raises `InputError` (nothing is written) if the edit would leave duplicates or lint
    problems in the entries it touched.
    """
    assert old.spans is not None
    edit, result = plan(old.glossary(path, file))
    crlf = "\r\n" in text
    lines = text.split("\n")
    ops = splice_lines(lines, old.spans, edit, "\r" if crlf else "")
    new = _reindex(old, edit, ops, lines, file)
    if new is None:
        return None  # a region did not read back as intended: let the full path decide
    problems = duplicate_problems(list(new.terms), file)
    if problems:
        raise InputError(
            f"{file}: not changed: the edit would make the glossary invalid", problems=problems
        )
    refuse_lint(Glossary(new.terms, None, file), edit, file)
    return "\n".join(lines), new, edit, result


def _reindex(
    index: Parsed, edit: EditPlan, ops: list[Op], lines: list[str], file: str
) -> Parsed | None:
    """Return the index of the edited lines, parsing only the regions around the changes."""
    ops = sorted(ops)

    def moved(line: int) -> int:  # an old line index outside every op, in the new text
        return line + sum(k - (b - a) for a, b, k in ops if b <= line)

    assert index.spans is not None
    old_spans = index.spans
    expected = expected_specs(Glossary(index.terms), edit)
    touched = set(edit.updates) | edit.removals
    clean = [i for i in range(len(index.terms)) if i not in touched]
    new_pos = {i: i - sum(1 for r in edit.removals if r < i) for i in clean}
    # Regions: from the clean entry before an op to the clean entry after it.
    regions: list[tuple[int, int, int, int]] = []  # new lines [s, e), new entries [p, q)
    for a, b, _k in ops:
        before = [i for i in clean if old_spans[i].last < a]
        after = [i for i in clean if old_spans[i].first >= b]
        prev = before[-1] if before else None
        # Without an entry before the change, the region takes in the entry after it, so
        # that it always holds an entry whose start proves the structure around the change.
        skip = 1 if prev is None else 0
        nxt = after[skip] if len(after) > skip else None
        start = moved(old_spans[prev].first) if prev is not None else moved(a)
        stop = moved(old_spans[nxt].first) if nxt is not None else moved(index.end)
        p = new_pos[prev] if prev is not None else 0
        q = new_pos[nxt] if nxt is not None else len(expected)
        regions.append((start, stop, p, q))
    regions.sort()
    merged: list[tuple[int, int, int, int]] = []
    for region in regions:
        if merged and region[0] <= merged[-1][1]:
            s, e, p, q = merged[-1]
            merged[-1] = (s, max(e, region[1]), p, max(q, region[3]))
        else:
            merged.append(region)

    terms: dict[int, Term] = {}
    spans: dict[int, Span] = {}
    for start, stop, p, q in merged:
        window = lines[start:stop]
        doc = "version: 1\nterms:\n" + "\n".join(window) + "\n"
        try:
            found = parse_indexed(doc, file=file, path=None)
        except InputError:
            return None
        if found.spans is None or len(found.terms) != q - p:
            return None
        want = [comparable(spec) for spec in expected[p:q]]
        if [comparable(t.to_spec()) for t in found.terms] != want:
            return None
        shift = start - 2  # the window's first line is the document's third
        for offset, (term, span) in enumerate(zip(found.terms, found.spans, strict=True)):
            if term.line is None:
                return None
            terms[p + offset] = replace(term, index=p + offset, line=term.line + shift)
            spans[p + offset] = Span(
                span.first + shift, span.last + shift, span.dash_col, span.key_col
            )
    for i in clean:
        p = new_pos[i]
        if p in terms:
            continue
        old_term, old_span = index.terms[i], old_spans[i]
        assert old_term.line is not None
        terms[p] = replace(old_term, index=p, line=moved(old_term.line - 1) + 1)
        spans[p] = Span(
            moved(old_span.first), moved(old_span.last), old_span.dash_col, old_span.key_col
        )
    if sorted(terms) != list(range(len(expected))):
        return None
    order = range(len(expected))
    new_spans = [spans[p] for p in order]
    end = terms_end(lines, new_spans)
    # Lint-clean stays known: the untouched entries were, and the touched ones are checked.
    return Parsed(tuple(terms[p] for p in order), tuple(new_spans), end, index.lint_clean)
