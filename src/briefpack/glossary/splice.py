"""Edits as text: the lines of each entry (`Span`), spliced so untouched bytes stay as they are.

Everything outside the touched entries stays byte-for-byte the same (comments, blank lines,
quoting, CRLF line ends):

- an added entry goes after the last one in `terms`, in the indentation the file already
  uses (``  - de:`` / ``    en:``), with lists in flow style (``[a, b]``), `emit` writes it;
- a changed entry's lines are re-written alone by ruamel.yaml (`roundtrip`), so comments
  inside it survive; list options *replace* the whole list;
- a removed entry's lines are deleted (comments above the next entry stay).

An empty or missing `terms` gets the conventional two-space layout; a file whose `terms` is a
non-empty flow list, or that has line breaks other than LF and CRLF, is re-written by a
ruamel.yaml round trip of the whole document. The spans come from the node marks of the
reader's composed document (`briefpack.glossary.load.compose`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefpack.glossary.emit import NEW_FILE_HEADER, new_document, render_entry
from briefpack.glossary.entry import TermSpec
from briefpack.glossary.load import compose, terms_node
from briefpack.glossary.plan import EditPlan

STRANGE_BREAKS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")


@dataclass(frozen=True)
class Span:
    """Where one entry lies: its first and last line (0-based), dash and key columns."""

    first: int  # line index of the entry's dash
    last: int  # line index of its last content line
    dash_col: int
    key_col: int


Op = tuple[int, int, int]  # old lines [a, b) replaced by k new lines


def apply_plan(text: str | None, edit: EditPlan, file: str) -> str:
    """Return `text` with the plan applied, keeping all untouched bytes where possible."""
    if text is None or not text.strip():
        return new_document(text or NEW_FILE_HEADER, edit.appends)
    root = compose(text, file)
    if root is None:  # only comments: they become the header
        return new_document(text, edit.appends)
    if STRANGE_BREAKS.search(text) is None:
        spliced = _splice(text, root, edit)
        if spliced is not None:
            return spliced
    from briefpack.glossary.roundtrip import round_trip  # ruamel: only where comments are kept

    return round_trip(text, edit)


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
        span = span_of(lines, item)
        if span is None:
            return None
        spans.append(span)
    splice_lines(lines, spans, edit, cr)
    return "\n".join(lines)


def splice_lines(lines: list[str], spans: Sequence[Span], edit: EditPlan, cr: str) -> list[Op]:
    """Apply the plan to `lines` in place (bottom up); return the replacements, bottom first."""
    ops: list[Op] = []
    if edit.appends:
        last = spans[-1]
        new_lines: list[str] = []
        if last.first > 0 and not lines[last.first - 1].strip():
            new_lines.append(cr)  # the file separates entries with blank lines
        for spec in edit.appends:
            new_lines += [ln + cr for ln in render_entry(spec, last.dash_col, last.key_col)]
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
            block = lines[span.first : span.last + 1]
            from briefpack.glossary.roundtrip import rewrite_entry  # ruamel, on first use

            replacement = rewrite_entry(block, span.dash_col, span.key_col, edit.updates[index])
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
    rendered = [ln + cr for spec in appends for ln in render_entry(spec, 2, 4)]
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


def span_of(lines: list[str], item: Node) -> Span | None:
    """Return where the entry `item` lies in `lines`, or None if it is not in block layout."""
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
    return Span(first, _last_line(item, lines), dash_col, col)


def _last_line(item: Node, lines: list[str]) -> int:
    """Return the index of the entry's last content line (comments after it belong to the next)."""
    last = int(item.start_mark.line)
    flat = _flat_last(item)
    if flat is not None:
        # Every node ends before the next starts, so the last one ends last.
        return max(last, _end_line(flat, lines))
    stack: list[Node] = [item]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode) or getattr(node, "flow_style", False):
            last = max(last, _end_line(node, lines))
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack += (key, value)
        elif isinstance(node, SequenceNode):
            stack += node.value
    return last


def _flat_last(item: Node) -> Node | None:
    """Return the last node of an entry whose keys and values are scalars or flow lists.

    None unless the nodes follow each other in the text (an alias points back to an earlier
    node): the common entry, spared the walk over every node.
    """
    if not isinstance(item, MappingNode) or item.flow_style:
        return None
    end = item.start_mark.index
    node: Node | None = None
    for pair in item.value:
        for node in pair:
            leaf = isinstance(node, ScalarNode) or getattr(node, "flow_style", False)
            if not leaf or node.start_mark.index < end:
                return None
            end = node.end_mark.index
    return node


def _end_line(node: Node, lines: list[str]) -> int:
    """Return the last line of a scalar or flow collection, less trailing blank lines."""
    end = int(node.end_mark.line)
    if node.end_mark.column == 0 and end > node.start_mark.line:
        end -= 1
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        while end > node.start_mark.line and not lines[end].strip():
            end -= 1
    return end


def terms_end(lines: list[str], spans: Sequence[Span]) -> int:
    """Return the line index where the `terms` block ends (a top-level line after it, or EOF)."""
    for i in range(spans[-1].last + 1, len(lines)):
        line = lines[i]
        if line[:1] not in ("", " ", "#", "\r", "\t"):
            return i
    return len(lines)
