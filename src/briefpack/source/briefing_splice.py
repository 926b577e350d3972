"""A briefing's changed fields written into its YAML text, every other byte kept.

Like `packs` (and the glossary's `splice`), edits are made on the text, located by the
marks of the composed node tree (`util.yamlio.compose_yaml`): a changed value's characters
are replaced and nothing else, so comments (on a key's line, between list items, after a
value), quoting, key order and the layout of untouched fields stay as they were. A
round-trip library (ruamel.yaml) re-emits whole collections and re-folds long scalars,
which is what this avoids.

- A one-line value keeps its quoting: single-quoted stays single-quoted, a plain scalar
  stays plain where the YAML reader reads it back as the same text, else double quotes
  (JSON's string syntax, which is YAML's).
- Paragraph fields (summary, assessment) are `>-` folded blocks, one sentence a line and a
  blank line between paragraphs, as the demo's briefings are written; a comment on the
  block's header line is kept.
- Lists: items edited in place; items beyond the old ones added after the last in the
  same indentation; items removed with their lines. A flow list (`[a, b]`) stays one.
- A key the file lacks (`tags`, `source.title`) is added after its mapping's last line.

The caller reads the result back with the briefing loader and compares it with what it
meant to write, so a mistake here is refused, never written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from briefpack.errors import InputError
from briefpack.source.segment import Splitter
from briefpack.util.yamlio import compose_yaml, parse_yaml

Value = str | None | list[str] | list[dict[str, str]]
Edit = tuple[int, int, str]  # replace text[start:end] with the string
PARAGRAPH_FIELDS = frozenset({"summary", "assessment"})
_HEADER_COMMENT = re.compile(r"[ \t]+#.*$")
_TRAILING_COMMENT = re.compile(r"[ \t]+#[^\r\n]*")
_PROBE = Path("<value>")


def splice(text: str, display: str, changes: Mapping[str, Value]) -> str:
    """Return `text` with each changed field (`title`, `source.outlet`, …) written in."""
    root = compose_yaml(text, display=display)
    if not isinstance(root, MappingNode):  # pragma: no cover - a loaded briefing is a mapping
        raise InputError(f"{display}: not a mapping of keys")
    newline = "\r\n" if "\r\n" in text else "\n"
    splitter = Splitter()
    edits: list[Edit] = []
    for name, value in changes.items():
        *parents, key = name.split(".")
        mapping = root
        for parent in parents:
            node = _value(mapping, parent)
            if not isinstance(node, MappingNode):  # pragma: no cover - the schema has them
                raise InputError(f"{display}: {parent} is not a mapping")
            mapping = node
        edits += _field_edits(text, mapping, key, value, splitter)
    out = text
    for start, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
        out = out[:start] + new.replace("\n", newline) + out[end:]
    return out


def _pair(mapping: MappingNode, key: str) -> tuple[Node, Node] | None:
    return next(((k, v) for k, v in mapping.value if getattr(k, "value", None) == key), None)


def _value(mapping: MappingNode, key: str) -> Node | None:
    pair = _pair(mapping, key)
    return None if pair is None else pair[1]


def _field_edits(
    text: str, mapping: MappingNode, key: str, value: Value, splitter: Splitter
) -> list[Edit]:
    pair = _pair(mapping, key)
    if pair is None:
        return [_new_key(text, mapping, key, value, splitter)]
    key_node, node = pair
    if isinstance(value, list):
        if isinstance(node, SequenceNode):
            return _list_edits(text, key_node, node, value)
        return [(*_span(text, node), " " + _flow(value))]  # pragma: no cover - schema: a list
    if key in PARAGRAPH_FIELDS and value is not None:
        indent = _block_indent(text, node) or " " * (key_node.start_mark.column + 2)
        start, end = _span(text, node)
        comment = _header_comment(text, node)
        if _style(node) not in (">", "|"):  # `summary: Kurz.  # c`: the comment goes up
            trailing = _TRAILING_COMMENT.match(text, end)
            if trailing:
                comment, end = trailing.group(), trailing.end()
        return [(start, end, _folded(value, indent, comment, splitter))]
    return [(*_span(text, node), _scalar(value, _style(node)))]


# --- scalars ---------------------------------------------------------------------------------


def _style(node: Node) -> str | None:
    return (getattr(node, "style", None) or None) if isinstance(node, ScalarNode) else '"'


def _span(text: str, node: Node) -> tuple[int, int]:
    """Return where a value's characters lie: not a block scalar's trailing blank lines, nor
    the comment lines after a block collection's last value (its end mark lies past them)."""
    start, end = node.start_mark.index, node.end_mark.index
    if isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return start, _span(text, last[1] if isinstance(last, tuple) else last)[1]
    return start, start + len(text[start:end].rstrip())


def _scalar(value: str | None, style: str | None, *, flow: bool = False) -> str:
    """Return a one-line value as YAML in the given style where it reads back the same."""
    if value is None:
        return "null"
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style is None and _reads_back(value, flow=flow):
        return value
    return json.dumps(value, ensure_ascii=False)


def _reads_back(plain: str, *, flow: bool) -> bool:
    """Whether `plain`, written unquoted, is read back by the loader as the same text."""
    if not plain or plain != plain.strip() or "\n" in plain:
        return False
    probe = f"k: [{plain}]\n" if flow else f"k: {plain}\n"
    try:
        data = parse_yaml(probe, path=_PROBE, display="<value>").data
    except InputError:
        return False
    return bool(data == {"k": [plain] if flow else plain})


def _block_indent(text: str, node: Node) -> str | None:
    """Return the indentation of a block scalar's content lines (None: not a block)."""
    if _style(node) not in (">", "|"):
        return None
    start, end = _span(text, node)
    for line in text[start:end].split("\n")[1:]:
        if line.strip():
            return line[: len(line) - len(line.lstrip(" "))]
    return None


def _header_comment(text: str, node: Node) -> str:
    """Return the comment on a block scalar's header line (`>-   # note`), or ""."""
    if _style(node) not in (">", "|"):
        return ""
    start, _ = _span(text, node)
    header = text[start : text.find("\n", start) if "\n" in text[start:] else len(text)]
    found = _HEADER_COMMENT.search(header.rstrip("\r"))
    return found.group() if found else ""


def _folded(value: str, indent: str, comment: str, splitter: Splitter) -> str:
    """Return paragraphs ("\n\n" between them) as a `>-` block, one sentence a line."""
    lines = [">-" + comment]
    for i, paragraph in enumerate(value.split("\n\n")):
        if i:
            lines.append("")
        sentences = splitter.split(paragraph)
        if " ".join(sentences) != paragraph:  # a split inside a word: folding would add a space
            sentences = [paragraph]
        lines += [indent + sentence for sentence in sentences]
    return "\n".join(lines)


# --- lists -----------------------------------------------------------------------------------


def _item(value: str | dict[str, str], style: str | None, *, flow: bool) -> str:
    if isinstance(value, str):
        return _scalar(value, style, flow=flow)
    text, speaker = (_scalar(value[k], style, flow=flow) for k in ("text", "speaker"))
    return "{text: " + text + ", speaker: " + speaker + "}"


def _flow(values: Sequence[str | dict[str, str]], style: str | None = None) -> str:
    return "[" + ", ".join(_item(v, style, flow=True) for v in values) + "]"


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_line(text: str, node: Node) -> int:
    """Return the index just after the line on which `node`'s content ends."""
    _, end = _span(text, node)
    eol = text.find("\n", end)
    return len(text) if eol < 0 else eol + 1


def _first_style(items: Sequence[Node], default: str | None) -> str | None:
    for item in items:
        node = _value(item, "text") if isinstance(item, MappingNode) else item
        if node is not None:
            return _style(node)
    return default


def _list_edits(
    text: str, key_node: Node, seq: SequenceNode, values: Sequence[str | dict[str, str]]
) -> list[Edit]:
    items = list(seq.value)
    style = _first_style(items, None if seq.flow_style else '"')  # `[]`; `new`'s quoting
    if seq.flow_style:
        return [(*_span(text, seq), _flow(values, style))]
    edits: list[Edit] = []
    for item, value in zip(items, values, strict=False):
        if isinstance(value, str):
            edits.append((*_span(text, item), _scalar(value, _style(item))))
            continue
        assert isinstance(item, MappingNode)  # the schema: a quote is a mapping
        for key in ("text", "speaker"):
            node = _value(item, key)
            if node is not None:
                edits.append((*_span(text, node), _scalar(value[key], _style(node))))
    if len(values) < len(items):
        # From the end of the last item kept: comments above a removed item go with it.
        first = items[len(values)].start_mark.index
        start = _after_line(text, items[len(values) - 1]) if values else _line_start(text, first)
        edits.append((start, _after_line(text, items[-1]), ""))
        if not values:  # `tags:` with no items left: an empty flow list on the key's line
            colon = text.index(":", key_node.end_mark.index)
            edits.append((colon + 1, colon + 1, " []"))
    elif len(values) > len(items):
        dash = " " * seq.start_mark.column
        pad = 2
        if isinstance(items[0], MappingNode) and items[0].value:
            pad = max(2, items[0].value[0][0].start_mark.column - seq.start_mark.column)
        lines: list[str] = []
        for value in values[len(items) :]:
            if isinstance(value, str):
                lines.append(f"{dash}-{' ' * (pad - 1)}{_scalar(value, style)}")
            else:
                lines.append(f"{dash}-{' ' * (pad - 1)}text: {_scalar(value['text'], style)}")
                lines.append(f"{dash}{' ' * pad}speaker: {_scalar(value['speaker'], style)}")
        at = _after_line(text, items[-1])
        block = "\n".join(lines)
        edits.append((at, at, block + "\n" if text[:at].endswith("\n") else "\n" + block))
    return edits


def _new_key(text: str, mapping: MappingNode, key: str, value: Value, splitter: Splitter) -> Edit:
    """Add `key: value` after the mapping's last line, in its keys' indentation."""
    indent = " " * mapping.start_mark.column
    if isinstance(value, list):
        rendered = _flow(value)
    elif key in PARAGRAPH_FIELDS and value is not None:
        rendered = _folded(value, indent + "  ", "", splitter)
    else:
        rendered = _scalar(value, None)
    at = _after_line(text, mapping.value[-1][1])
    line = f"{indent}{key}: {rendered}"
    return (at, at, line + "\n" if text[:at].endswith("\n") else "\n" + line)
