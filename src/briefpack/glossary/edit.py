"""Comment-preserving edits of glossary.yaml: add, set and remove entries.

Every edit runs under `fsutil.file_lock(path)`, re-reads the file inside the lock, validates the
result (it must load, read back exactly as intended, and pass `lint` for the entries it
touched) and only then replaces the file atomically. So concurrent CLI runs never lose an edit
and an invalid glossary is never written.

The file is edited as text wherever possible, so everything outside the touched entry stays
byte-for-byte the same (comments, blank lines, quoting, a byte-order mark, CRLF line ends):

- add appends the entry after the last one in `terms`, in the indentation the file already
  uses (``  - de:`` / ``    en:``), with lists in flow style (``[a, b]``);
- set re-writes only that entry's lines (ruamel.yaml round-trip on the entry alone, so
  comments inside it survive); list options *replace* the whole list;
- remove deletes the entry's lines (comments above the next entry stay).

An empty or missing `terms` gets the conventional two-space layout; a file whose `terms` is a
non-empty flow list falls back to a ruamel.yaml round-trip of the whole document.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefpack.errors import InputError, OutputError, UsageError, rel
from briefpack.glossary.entry import term_from_json, term_to_json
from briefpack.glossary.lint import lint_detailed
from briefpack.glossary.load import (
    MAX_BYTES,
    build_terms,
    compose,
    duplicate_problems,
    make_yaml,
    parse_glossary,
    read_source,
    terms_node,
)
from briefpack.glossary.match import canonical_key
from briefpack.glossary.model import FIELDS, Glossary, Term, TermSpec
from briefpack.util.cache import JsonCache, cache_dir
from briefpack.util.fsutil import atomic_write_text, file_lock
from briefpack.util.paths import Input

R = TypeVar("R")

NEW_FILE_HEADER = (
    "# briefpack terminology glossary: German source terms -> approved English.\n"
    "# Edit by hand or with `briefpack glossary add/set/remove`; comments are kept.\n"
)
_PLAIN = re.compile(r"[^\W\d_](?:[\w .'’()/&+\-]*[\w.)'’])?")
# Plain words a YAML 1.1 reader would take for booleans or null.
_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "none"})
_STRANGE_BREAKS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")


@dataclass
class EditPlan:
    """What to change: entry index → field changes (None deletes), removals, new entries."""

    updates: dict[int, dict[str, object]] = field(default_factory=dict)
    removals: set[int] = field(default_factory=set)
    appends: list[TermSpec] = field(default_factory=list)


@dataclass(frozen=True)
class _Span:
    first: int  # line index of the entry's dash
    last: int  # line index of its last content line
    dash_col: int
    key_col: int


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
    with file_lock(path):
        source = read_source(path, file)
        text, had_bom = source if source is not None else (None, False)
        if text is not None:
            done = _incremental(path, file, text, had_bom, plan)
            if done is not None:
                return done
        if text is None:
            old = Glossary((), path, file)
        else:
            old = parse_glossary(text, file=file, path=path)
        edit, result = plan(old)
        new_text = apply_plan(text, edit, file)
        try:
            new = parse_glossary(new_text, file=file, path=path)
        except InputError as exc:
            # The problems' lines refer to the edited text, which is never written.
            raise InputError(
                f"{file}: not changed: the edit would make the glossary invalid",
                problems=exc.problems,
            ) from None
        _verify(old, edit, new, file)
        _refuse_lint(new, edit, file)
        _write(path, file, new_text, had_bom)
    return new, result


def _write(path: Path, file: str, text: str, had_bom: bool) -> None:
    """Write the edited glossary atomically (the one write of every edit path).

    Never writes a glossary that every later command would refuse to read.
    """
    body = ("\ufeff" if had_bom else "") + text
    size = len(body.encode("utf-8"))
    if size > MAX_BYTES:
        raise InputError(
            f"{file}: not changed: the glossary would be {size:,} bytes, over the limit "
            f"of {MAX_BYTES:,} bytes"
        )
    atomic_write_text(path, body, edits=Input.GLOSSARY)


def _expected(old: Glossary, edit: EditPlan) -> list[TermSpec]:
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


def _comparable(spec: TermSpec) -> TermSpec:
    return replace(spec, en=spec.en if spec.en is not None else spec.de)


def _verify(old: Glossary, edit: EditPlan, new: Glossary, file: str) -> None:
    want = [_comparable(s) for s in _expected(old, edit)]
    got = [_comparable(t.to_spec()) for t in new.terms]
    if want != got:
        raise OutputError(
            f"{file}: internal error: the edited glossary does not read back as intended; "
            "nothing was written"
        )


def _refuse_lint(new: Glossary, edit: EditPlan, file: str) -> None:
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


def _find_written(glossary: Glossary, de: str) -> Term:
    found = glossary.get(de)
    if found is None:  # pragma: no cover - _verify guarantees it
        raise OutputError(f"{glossary.file}: {de!r} missing after the edit")
    return found


# --- text editing ----------------------------------------------------------------------


def apply_plan(text: str | None, edit: EditPlan, file: str) -> str:
    """Return `text` with the plan applied, keeping all untouched bytes where possible."""
    if text is None or not text.strip():
        return _new_document(text or NEW_FILE_HEADER, edit.appends)
    root, problems = compose(text, file)
    if problems:  # pragma: no cover - the caller parsed it already
        raise InputError(f"{file}: invalid YAML", problems=problems)
    if root is None:  # only comments: they become the header
        return _new_document(text, edit.appends)
    if _STRANGE_BREAKS.search(text) is None:
        spliced = _splice(text, root, edit)
        if spliced is not None:
            return spliced
    return _round_trip(text, edit)


def _new_document(header: str, appends: list[TermSpec]) -> str:
    lines = ["version: 1", "terms:"]
    for spec in appends:
        lines += _render(spec, 2, 4)
    prefix = header if header.endswith("\n") else header + "\n"
    return prefix + "\n".join(lines) + "\n"


def _splice(text: str, root: Node, edit: EditPlan) -> str | None:
    crlf = "\r\n" in text
    cr = "\r" if crlf else ""
    lines = text.split("\n")
    seq = terms_node(root)
    if seq is None or _is_empty(seq):
        if edit.updates or edit.removals:
            return None
        return _insert_first(lines, root, seq, edit.appends, cr)
    if not isinstance(seq, SequenceNode) or seq.flow_style:
        return None
    spans = []
    for item in seq.value:
        span = _span(lines, item)
        if span is None:
            return None
        spans.append(span)
    _splice_lines(lines, spans, edit, cr)
    return "\n".join(lines)


Op = tuple[int, int, int]  # old lines [a, b) replaced by k new lines


def _splice_lines(lines: list[str], spans: Sequence[_Span], edit: EditPlan, cr: str) -> list[Op]:
    """Apply the plan to `lines` in place (bottom up); return the replacements, bottom first."""
    ops: list[Op] = []
    if edit.appends:
        last = spans[-1]
        new_lines: list[str] = []
        if last.first > 0 and not lines[last.first - 1].strip():
            new_lines.append(cr)  # the file separates entries with blank lines
        for spec in edit.appends:
            new_lines += [ln + cr for ln in _render(spec, last.dash_col, last.key_col)]
        if last.last == len(lines) - 1 and cr:
            # No newline at the end of a CRLF file: end the old last line, not the new one.
            lines[last.last] += cr
            new_lines[-1] = new_lines[-1].removesuffix(cr)
        lines[last.last + 1 : last.last + 1] = new_lines
        ops.append((last.last + 1, last.last + 1, len(new_lines)))
    for index in sorted(set(edit.updates) | edit.removals, reverse=True):
        span = spans[index]
        if index in edit.removals:
            end = span.last + 1
            before_blank = span.first == 0 or not lines[span.first - 1].strip()
            if (
                before_blank
                and end < len(lines)
                and not lines[end].strip()
                and end != len(lines) - 1
            ):
                end += 1  # do not leave two blank lines behind
            del lines[span.first : end]
            ops.append((span.first, end, 0))
        else:
            replacement = _rewrite_entry(
                lines[span.first : span.last + 1], span, edit.updates[index]
            )
            lines[span.first : span.last + 1] = [ln + cr for ln in replacement]
            ops.append((span.first, span.last + 1, len(replacement)))
    return ops


def _is_empty(node: Node) -> bool:
    if isinstance(node, ScalarNode):
        return str(node.tag).endswith(":null")
    return isinstance(node, SequenceNode) and not node.value


def _insert_first(
    lines: list[str], root: Node, seq: Node | None, appends: list[TermSpec], cr: str
) -> str | None:
    """Insert the first entries into an empty or missing `terms` (two-space layout)."""
    rendered = [ln + cr for spec in appends for ln in _render(spec, 2, 4)]
    if not isinstance(root, MappingNode):
        return None
    if seq is None:
        if lines and lines[-1] == "":
            lines.pop()
        lines += ["terms:" + cr, *rendered, ""]
        return "\n".join(lines)
    key = next(k for k, v in root.value if v is seq)
    line = key.start_mark.line
    if isinstance(seq, SequenceNode):  # `terms: []`: drop the brackets, keep a comment
        if seq.start_mark.line != line or seq.end_mark.line != line:
            return None
        text = lines[line]
        head, tail = text[: seq.start_mark.column].rstrip(" "), text[seq.end_mark.column :]
        lines[line] = head + (" " + tail.lstrip(" ") if tail.strip() else tail.lstrip(" "))
    lines[line + 1 : line + 1] = rendered
    return "\n".join(lines)


def _span(lines: list[str], item: Node) -> _Span | None:
    if not isinstance(item, MappingNode):
        return None
    line, col = item.start_mark.line, item.start_mark.column
    before = lines[line][:col].rstrip(" ")
    if before.endswith("-") and not before[:-1].strip():
        first, dash_col = line, len(before) - 1
    else:
        first = line - 1
        while first >= 0 and not lines[first].strip():
            first -= 1
        if first < 0 or lines[first].strip().rstrip("\r") != "-":
            return None
        dash_col = lines[first].index("-")
    return _Span(first, _last_line(item, lines), dash_col, col)


def _last_line(item: Node, lines: list[str]) -> int:
    """Return the index of the entry's last content line (comments after it belong to the next)."""
    last = int(item.start_mark.line)
    stack: list[Node] = [item]
    while stack:
        node = stack.pop()
        flow = getattr(node, "flow_style", False)
        if isinstance(node, ScalarNode) or flow:
            end = int(node.end_mark.line)
            if node.end_mark.column == 0 and end > node.start_mark.line:
                end -= 1
            if isinstance(node, ScalarNode) and node.style in ("|", ">"):
                while end > node.start_mark.line and not lines[end].strip():
                    end -= 1
            last = max(last, end)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack += (key, value)
        elif isinstance(node, SequenceNode):
            stack += node.value
    return last


def _rewrite_entry(block: list[str], span: _Span, changes: Mapping[str, object]) -> list[str]:
    """Re-write one entry's lines with ruamel.yaml round-trip, keeping its comments."""
    lead = min([span.dash_col] + [len(ln) - len(ln.lstrip(" ")) for ln in block if ln.strip()])
    source = "\n".join(ln[lead:].rstrip("\r") for ln in block) + "\n"
    yaml = make_yaml()
    yaml.preserve_quotes = True
    yaml.width = 4096
    offset = span.dash_col - lead
    yaml.indent(mapping=2, sequence=max(offset + 2, span.key_col - lead), offset=offset)
    data = yaml.load(source)
    _apply_changes(data[0], changes)
    out = io.StringIO()
    yaml.dump(data, out)
    return [
        (" " * lead + ln) if ln.strip() else "" for ln in out.getvalue().rstrip("\n").split("\n")
    ]


def _flow_list(values: Sequence[str]) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def _apply_changes(entry: CommentedMap, changes: Mapping[str, object]) -> None:
    for key in FIELDS:
        if key not in changes:
            continue
        value = changes[key]
        if value is None or value == () or (value is False and key not in entry):
            if key in entry:
                del entry[key]
            continue
        if isinstance(value, tuple):
            current = entry.get(key)
            if isinstance(current, CommentedSeq) and current.fa.flow_style():
                current[:] = list(value)  # keeps the comment after the list
                continue
            new: object = _flow_list(value)
        else:
            new = value
        if key in entry:
            entry[key] = new
        else:
            order = [k for k in entry if k in FIELDS and FIELDS.index(k) < FIELDS.index(key)]
            position = list(entry).index(order[-1]) + 1 if order else 0
            entry.insert(position, key, new)


def _round_trip(text: str, edit: EditPlan) -> str:
    yaml = make_yaml()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    doc = yaml.load(text)
    if not isinstance(doc, CommentedMap):  # pragma: no cover - validated before
        doc = CommentedMap(version=1)
    terms = doc.get("terms")
    if not isinstance(terms, CommentedSeq):
        terms = CommentedSeq()
        doc["terms"] = terms
    if edit.appends:
        terms.fa.set_block_style()
    for index in sorted(edit.removals, reverse=True):
        del terms[index]
    shift = {i: i - sum(1 for r in edit.removals if r < i) for i in edit.updates}
    for index, changes in edit.updates.items():
        _apply_changes(terms[shift[index]], changes)
    for spec in edit.appends:
        entry = CommentedMap()
        for key, value in spec.to_mapping().items():
            entry[key] = _flow_list(value) if isinstance(value, list) else value
        terms.append(entry)
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


# --- rendering new entries -------------------------------------------------------------


def scalar(value: object) -> str:
    """Render a YAML scalar: plain when unambiguous in block and flow context, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted one


def _render(spec: TermSpec, dash_col: int, key_col: int) -> list[str]:
    lines = []
    for i, (key, value) in enumerate(spec.to_mapping().items()):
        if i == 0:
            prefix = " " * dash_col + "-" + " " * max(1, key_col - dash_col - 1)
        else:
            prefix = " " * (dash_col + max(2, key_col - dash_col))
        if isinstance(value, list):
            rendered = "[" + ", ".join(scalar(v) for v in value) + "]"
        else:
            rendered = scalar(value)
        lines.append(f"{prefix}{key}: {rendered}")
    return lines


# --- edits independent of the glossary's size ------------------------------------------
#
# Parsing a 5,000-entry glossary with ruamel.yaml's round-trip composer takes about a
# second, and so would re-parsing the edited text. So the editor keeps, per file content
# (SHA-256 of the text), an index of the parsed entries and their line spans in
# `.briefpack-cache/glossary-index.json`. An edit then splices the entry's lines, and
# validates only what it changed: the region from the entry before each change to the
# entry after it is parsed on its own and must read back as exactly the intended entries;
# duplicates are checked against all entries (linear) and lint runs for the touched
# entries only (`lint_detailed(only=...)`). The new text's index is derived from the old
# one (shifted lines) plus those regions and stored for the next edit. A missing index
# costs one full parse; any surprise falls back to the whole-file path above.

INDEX_FILE = "glossary-index.json"


@dataclass(frozen=True)
class _Index:
    terms: tuple[Term, ...]
    spans: tuple[_Span, ...]
    end: int  # line index where the `terms` block ends (a top-level line after it, or EOF)


def _digest(text: str, had_bom: bool) -> str:
    import hashlib

    return hashlib.sha256(("\ufeff" if had_bom else "").encode() + text.encode()).hexdigest()


def _index_cache(path: Path) -> JsonCache:
    return JsonCache(cache_dir(path.resolve().parent) / INDEX_FILE)


def _terms_end(lines: list[str], spans: Sequence[_Span]) -> int:
    for i in range(spans[-1].last + 1, len(lines)):
        line = lines[i]
        if line[:1] not in ("", " ", "#", "\r", "\t"):
            return i
    return len(lines)


def _index_of(text: str, file: str) -> _Index | None:
    """Parse the whole text once; None if it is not a valid block-style glossary."""
    if _STRANGE_BREAKS.search(text) is not None:
        return None
    root, problems = compose(text, file)
    if problems or root is None:
        return None
    terms, problems = build_terms(root, file)
    seq = terms_node(root)
    if problems or not isinstance(seq, SequenceNode) or seq.flow_style or not seq.value:
        return None
    lines = text.split("\n")
    spans = [_span(lines, item) for item in seq.value]
    if any(span is None for span in spans) or len(spans) != len(terms):
        return None
    checked = [span for span in spans if span is not None]
    return _Index(tuple(terms), tuple(checked), _terms_end(lines, checked))


def _index_to_json(index: _Index) -> dict[str, object]:
    return {
        "terms": [term_to_json(t) for t in index.terms],
        "spans": [[s.first, s.last, s.dash_col, s.key_col] for s in index.spans],
        "end": index.end,
    }


def _index_from_json(value: object) -> _Index | None:
    if not isinstance(value, dict):
        return None
    try:
        found = [term_from_json(item) for item in value["terms"]]
        spans = tuple(_Span(int(a), int(b), int(c), int(d)) for a, b, c, d in value["spans"])
        end = int(value["end"])
    except (KeyError, TypeError, ValueError):
        return None
    terms = tuple(t for t in found if t is not None)
    if len(terms) != len(found) or not spans or len(spans) != len(terms):
        return None
    return _Index(terms, spans, end)


def _incremental(
    path: Path,
    file: str,
    text: str,
    had_bom: bool,
    plan: Callable[[Glossary], tuple[EditPlan, R]],
) -> tuple[Glossary, R] | None:
    """Edit by splicing lines and validating only what changed; None: use the full path."""
    cache = _index_cache(path)
    index = _index_from_json(cache.get(_digest(text, had_bom)))
    if index is None:
        index = _index_of(text, file)
        if index is None:
            return None
    old = Glossary(index.terms, path, file)
    edit, result = plan(old)
    crlf = "\r\n" in text
    lines = text.split("\n")
    ops = _splice_lines(lines, index.spans, edit, "\r" if crlf else "")
    new_text = "\n".join(lines)
    new_index = _reindex(index, edit, ops, lines, file)
    if new_index is None:
        return None  # a region did not read back as intended: let the full path decide
    new = Glossary(new_index.terms, path, file)
    problems = duplicate_problems(list(new.terms), file)
    if problems:
        raise InputError(
            f"{file}: not changed: the edit would make the glossary invalid", problems=problems
        )
    _refuse_lint(new, edit, file)
    _write(path, file, new_text, had_bom)
    fresh = JsonCache(cache.path)  # holds only the new text's index
    fresh.put(_digest(new_text, had_bom), _index_to_json(new_index))
    fresh.save()
    return new, result


def _reindex(
    index: _Index, edit: EditPlan, ops: list[Op], lines: list[str], file: str
) -> _Index | None:
    """Return the index of the edited lines, parsing only the regions around the changes."""
    ops = sorted(ops)

    def moved(line: int) -> int:  # an old line index outside every op, in the new text
        return line + sum(k - (b - a) for a, b, k in ops if b <= line)

    expected = _expected(Glossary(index.terms), edit)
    touched = set(edit.updates) | edit.removals
    clean = [i for i in range(len(index.terms)) if i not in touched]
    new_pos = {i: i - sum(1 for r in edit.removals if r < i) for i in clean}
    # Regions: from the clean entry before an op to the clean entry after it.
    regions: list[tuple[int, int, int, int]] = []  # new lines [s, e), new entries [p, q)
    for a, b, _k in ops:
        before = [i for i in clean if index.spans[i].last < a]
        after = [i for i in clean if index.spans[i].first >= b]
        prev = before[-1] if before else None
        # Without an entry before the change, the region takes in the entry after it, so
        # that it always holds an entry whose start proves the structure around the change.
        skip = 1 if prev is None else 0
        nxt = after[skip] if len(after) > skip else None
        start = moved(index.spans[prev].first) if prev is not None else moved(a)
        stop = moved(index.spans[nxt].first) if nxt is not None else moved(index.end)
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
    spans: dict[int, _Span] = {}
    for start, stop, p, q in merged:
        window = lines[start:stop]
        doc = "version: 1\nterms:\n" + "\n".join(window) + "\n"
        root, problems = compose(doc, file)
        if problems or root is None:
            return None
        found, problems = build_terms(root, file)
        seq = terms_node(root)
        if problems or not isinstance(seq, SequenceNode) or len(found) != q - p:
            return None
        want = [_comparable(spec) for spec in expected[p:q]]
        if [_comparable(t.to_spec()) for t in found] != want:
            return None
        doc_lines = doc.split("\n")
        shift = start - 2  # the window's first line is the document's third
        for offset, (term, item) in enumerate(zip(found, seq.value, strict=True)):
            span = _span(doc_lines, item)
            if span is None or term.line is None:
                return None
            terms[p + offset] = replace(term, index=p + offset, line=term.line + shift)
            spans[p + offset] = _Span(
                span.first + shift, span.last + shift, span.dash_col, span.key_col
            )
    for i in clean:
        p = new_pos[i]
        if p in terms:
            continue
        old_term, old_span = index.terms[i], index.spans[i]
        assert old_term.line is not None
        terms[p] = replace(old_term, index=p, line=moved(old_term.line - 1) + 1)
        spans[p] = _Span(
            moved(old_span.first), moved(old_span.last), old_span.dash_col, old_span.key_col
        )
    if sorted(terms) != list(range(len(expected))):
        return None
    order = range(len(expected))
    new_spans = [spans[p] for p in order]
    return _Index(tuple(terms[p] for p in order), tuple(new_spans), _terms_end(lines, new_spans))
