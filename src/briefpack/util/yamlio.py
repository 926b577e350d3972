"""Safe YAML reading that remembers where every value came from (briefings and the glossary).

PyYAML is used for composing only (text → nodes); we build the data from the node tree so
that every value's line and column is known, duplicate keys are caught, alias expansion is
bounded ("billion laughs") and dates stay strings for pydantic to validate (PyYAML raises a
bare ValueError for "2025-02-30"). Nesting depth, recursive aliases, tags other than the
plain ones, control characters and unparsable numbers are located problems too: every
failure is an InputError, never a bare PyYAML or Python error.

Two resolutions of plain scalars, chosen by the caller:

- ``"1.1"`` (briefings, packs, translations): PyYAML's YAML 1.1 safe resolver without
  timestamps, composed by libyaml (20× faster) or, for a file libyaml refuses, by PyYAML's
  Python parser, whose error messages (and positions) are what users know;
- ``"1.2"`` (glossary.yaml, which ruamel.yaml has always read and edits as YAML 1.2): the
  YAML 1.2 resolution of ruamel.yaml's reader, so ``no``, ``on``, ``yes`` are text and ``017``
  is a number, composed by libyaml where PyYAML has it (15× faster on 5,000 entries).
  Timestamps are not resolved (no type of the YAML 1.2 core schema): a date is text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.composer import ComposerError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from briefpack.errors import InputError, Problem
from briefpack.util.fsutil import TooLargeError, read_bounded
from briefpack.util.text import clean, text_problem, text_problem_at

MAX_YAML_BYTES = 1024 * 1024  # 1 MiB: a curated briefing is a few KB
MAX_NODES = 50_000  # after alias expansion
# PyYAML's composer recurses once per nesting level (about three Python frames each), so
# "[[[[…" a few hundred deep ends in RecursionError; a briefing is about four levels deep.
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]
YamlVersion = Literal["1.1", "1.2"]
_FOLDED_BREAKS = re.compile(r"[ \t]*\n[\n \t]*")

# PyYAML speaks of tokens; the people who edit briefings think in lines and indentation.
_HINTS = (
    (
        "but found '<block mapping start>'",
        "; is this line indented more or less than its siblings?",
    ),
    (
        "but found '<scalar>'",
        "; text where a key was expected: check the indentation, or a quote left open above",
    ),
)


class _Loader(yaml.SafeLoader):
    """Safe loader without the timestamp resolver (dates stay strings), depth-limited."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        # Refuse deep nesting with a positioned error instead of a RecursionError.
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_CParser: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader12(_CParser):  # type: ignore[valid-type,misc]
    """libyaml's parser (PyYAML's when it is built without it) with YAML 1.2 resolution."""


def _int12(loader: yaml.SafeLoader, node: Node) -> int:
    # YAML 1.2: 0o17 and 0x1F; a leading zero is no octal marker (ruamel reads 017 as a number).
    text = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    base = {"0b": 2, "0o": 8, "0x": 16}.get(text[:2], 10)
    return sign * int(text[2:] if base != 10 else text, base)


# ruamel.yaml's VersionedResolver table for YAML 1.2, without timestamp, merge (<<) and value (=).
_RESOLVERS_12 = (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (
        "float",
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        "-+0123456789.",
    ),
    (
        "int",
        r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$",
        "-+0123456789",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
)
_Loader12.yaml_implicit_resolvers = {}
for _name, _pattern, _first in _RESOLVERS_12:
    _Loader12.add_implicit_resolver(
        "tag:yaml.org,2002:" + _name, re.compile(_pattern, re.X), list(_first)
    )
_Loader12.add_constructor("tag:yaml.org,2002:int", _int12)
_LOADERS: dict[str, type[yaml.SafeLoader]] = {"1.1": _Loader, "1.2": _Loader12}


class _Loader11C(_CParser):  # type: ignore[valid-type,misc]
    """libyaml with `_Loader`'s resolution, tried first for "1.1" (see `compose_yaml`)."""


_Loader11C.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers

_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {_STR, *(f"tag:yaml.org,2002:{kind}" for kind in ("int", "float", "bool", "null"))}


@dataclass
class YamlDoc:
    """A parsed YAML document and the position (1-based line, column) of each value."""

    path: Path
    display: str  # the file name used in messages (relative to the project)
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: PathKey) -> tuple[int | None, int | None]:
        """Return the position of `loc`, or of its nearest ancestor that has one."""
        for n in range(len(loc), -1, -1):
            pos = self.positions.get(loc[:n])
            if pos is not None:
                return pos
        return (None, None)

    def problem(self, loc: PathKey, message: str, *, code: str = "invalid") -> Problem:
        """Return a Problem located at `loc` in this document."""
        line, col = self.where(loc)
        return Problem(self.display, line, col, message, field=format_path(loc) or None, code=code)


def format_path(loc: PathKey) -> str:
    """Return `quotes[0].text` for `("quotes", 0, "text")`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _TooBig(Exception):
    pass


def read_text(path: Path, display: str, *, limit: int, what: str = "file") -> str:
    """Read a UTF-8 text file (a BOM is accepted) with a size limit; raise InputError.

    The bytes come from `fsutil.read_bounded`: at most `limit + 1` are read, whatever the
    file is, and anything but a regular file (a FIFO, a device) is refused.
    """
    try:
        raw = read_bounded(path, limit, regular_only=True)
    except TooLargeError as exc:
        raise InputError(
            f"{display}: {exc.describe(what)}",
            problems=[Problem(display, message=exc.describe(what), code="too-large")],
        ) from None
    except FileNotFoundError:
        raise InputError(
            f"{display}: not found", problems=[Problem(display, message="file not found")]
        ) from None
    except IsADirectoryError:
        raise InputError(
            f"{display}: is a folder", problems=[Problem(display, message="is a folder")]
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(
            f"{display}: cannot read: {reason}",
            problems=[Problem(display, message=f"cannot read: {reason}")],
        ) from None
    return decode_text(raw, display)


def decode_text(raw: bytes, display: str) -> str:
    """Return UTF-8 bytes (a BOM is accepted) as text that passed the validity gate.

    Raises InputError at the line and column of an undecodable byte or a character no
    text may hold (`briefpack.util.text.text_problem`).
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"{display}: not valid UTF-8",
            problems=[
                Problem(
                    display,
                    line,
                    col,
                    f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                    "save the file as UTF-8",
                    code="encoding",
                )
            ],
        ) from None
    # The one validity gate (briefpack.util.text), located: a NUL or an ESC in a seed text
    # would otherwise pass `check` and break the DOCX and HTML outputs.
    if (bad := text_problem_at(text)) is not None:
        pos, reason = bad
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        raise InputError(
            f"{display}: {reason}",
            problems=[Problem(display, line, column, reason, code="invalid-character")],
        )
    return text


def load_yaml(path: Path, display: str | None = None) -> YamlDoc:
    """Parse one YAML file; raise InputError listing every problem found in it."""
    display = display or str(path)
    text = read_text(path, display, limit=MAX_YAML_BYTES, what="YAML file")
    return parse_yaml(text, path=path, display=display)


def parse_yaml(
    text: str,
    *,
    path: Path,
    display: str,
    version: YamlVersion = "1.1",
    max_nodes: int = MAX_NODES,
) -> YamlDoc:
    """Parse YAML text (see `load_yaml`); `version` picks the resolution of plain scalars."""
    node = compose_yaml(text, display=display, version=version)
    return yaml_document(node, path=path, display=display, version=version, max_nodes=max_nodes)


def compose_yaml(text: str, *, display: str, version: YamlVersion = "1.1") -> Node | None:
    """Return the node tree of YAML text (None when it holds no document), or raise InputError.

    The nodes keep their marks (where each starts and ends) and styles, for callers that
    edit the text around them; `yaml_document` turns them into data.
    """
    if "\t" in text:
        # PyYAML's message for a tab in indentation is cryptic; say it plainly.
        for lineno, line in enumerate(text.splitlines(), 1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                message = "tab character used for indentation; YAML needs spaces"
                column = len(line) - len(stripped) + 1
                problem = Problem(display, lineno, column, message, code="yaml-syntax")
                raise InputError(f"{display}: tab in indentation", problems=[problem])
    if version == "1.1" and _CParser is not yaml.SafeLoader:
        fast: yaml.SafeLoader = _Loader11C(text)
        try:
            return fast.get_single_node()
        except yaml.YAMLError:
            pass  # composed again below: the Python parser's message is the one users know
        finally:
            fast.dispose()
    loader_class = _LOADERS[version]
    try:
        loader = loader_class(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except ReaderError as exc:
        # Control characters (NUL, BEL, …) pasted into the text; not a MarkedYAMLError, so
        # say where it is ourselves. libyaml counts UTF-8 bytes, PyYAML's reader characters.
        pos = exc.position
        if loader_class is not _Loader:
            pos = len(text.encode("utf-8")[:pos].decode("utf-8", "ignore"))
        bad_line = text.count("\n", 0, pos) + 1
        bad_col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        message = f"character U+{exc.character:04X} is not allowed in YAML; remove it"
        problem = Problem(display, bad_line, bad_col, message, code="yaml-syntax")
        raise InputError(f"{display}: control character", problems=[problem]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at_line, at_col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        ctx = exc.context_mark
        if ctx is not None and mark is not None and ctx.line != mark.line:
            msg += f" (the construct started on line {ctx.line + 1}, column {ctx.column + 1})"
        msg += next((hint for words, hint in _HINTS if words in msg), "")
        raise InputError(
            f"{display}: YAML syntax error",
            problems=[
                Problem(display, at_line, at_col, f"YAML syntax error: {msg}", code="yaml-syntax")
            ],
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(
            f"{display}: YAML error",
            problems=[Problem(display, message=f"YAML error: {exc}", code="yaml-syntax")],
        ) from None


def yaml_document(
    node: Node | None,
    *,
    path: Path,
    display: str,
    version: YamlVersion = "1.1",
    max_nodes: int = MAX_NODES,
) -> YamlDoc:
    """Build the data of a composed document; raise InputError listing every problem."""
    doc = YamlDoc(path=path, display=display, data=None)
    if node is None:
        return doc
    problems: list[Problem] = []
    loader = _LOADERS[version]("")  # constructs scalars only; its parser is never used
    try:
        doc.data = _build(node, (), doc, problems, loader, [max_nodes], set())
    except _TooBig:
        raise InputError(
            f"{display}: too many nodes",
            problems=[
                Problem(
                    display,
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    f"document expands to more than {max_nodes:,} values "
                    "(alias/anchor expansion?); refusing to load it",
                    code="too-large",
                )
            ],
        ) from None
    finally:
        loader.dispose()
    if problems:
        raise InputError(f"{display}: invalid YAML", problems=problems)
    return doc


def _build(
    node: Node,
    loc: PathKey,
    doc: YamlDoc,
    problems: list[Problem],
    loader: yaml.SafeLoader,
    budget: list[int],
    active: set[int],
) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig
    doc.positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
    if len(loc) > MAX_DEPTH:  # libyaml's composer allows 1,000 levels, Python's stack not
        problems.append(_at(doc, node, loc, f"nested more than {MAX_DEPTH} levels deep"))
        return None
    if id(node) in active:
        # `&a [*a]`: PyYAML registers the anchor before composing its children, so the node
        # graph has a cycle; following it would recurse forever.
        problems.append(
            _at(
                doc,
                node,
                loc,
                "alias refers to the collection that contains it (recursive alias)",
                "yaml-syntax",
            )
        )
        return None
    if isinstance(node, ScalarNode):
        if node.tag not in _PLAIN_TAGS:
            problems.append(_tag_problem(doc, node, loc))
            return None
        try:
            # A string is its node's value: the constructor adds only bookkeeping (slow).
            value = node.value if node.tag == _STR else loader.construct_object(node, deep=True)
        except (ValueError, KeyError):
            # The resolver takes `0x_` or a 5000-digit number for an int, then int() fails;
            # `!!bool maybe` is a KeyError in PyYAML's bool table.
            kind = "true/false value" if node.tag.endswith(":bool") else "number"
            message = f"{node.value[:40]!r} is not a valid {kind}; put it in quotes if it is text"
            problems.append(_at(doc, node, loc, message, "yaml-value"))
            return None
        if not isinstance(value, str):
            return value
        # The one validity gate (briefpack.util.text): an escaped "\x01", "\e", "\0",
        # "\uFFFE" or "\ud800" is no control character to PyYAML's reader, but no output
        # format can hold it.
        if (reason := text_problem(value)) is not None:
            problems.append(_at(doc, node, loc, reason, "invalid-character"))
            return None
        if (node.style or None) in (">", None) and "\n" in value:  # libyaml: "" for plain
            # Folding (`>-` blocks, plain multi-line scalars) turns each blank line between
            # two paragraphs into one line break, and every other line break into a space:
            # a line break left is a paragraph break. Spelled as the blank line that a
            # literal block (`|`) keeps, and that paragraph splitting looks for. (In a quoted
            # scalar a line break may be a `\n` escape someone meant as one.)
            value = _FOLDED_BREAKS.sub("\n\n", value)
        # The one normalisation at read time (briefpack.util.text): NFC, no invisible format
        # characters, ligatures spelled out, for briefings and translations alike.
        return clean(value)
    active.add(id(node))
    try:
        return _build_collection(node, loc, doc, problems, loader, budget, active)
    finally:
        active.discard(id(node))


def _build_collection(
    node: Node,
    loc: PathKey,
    doc: YamlDoc,
    problems: list[Problem],
    loader: yaml.SafeLoader,
    budget: list[int],
    active: set[int],
) -> Any:
    if isinstance(node, SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            problems.append(_tag_problem(doc, node, loc))
            return None
        return [
            _build(child, (*loc, i), doc, problems, loader, budget, active)
            for i, child in enumerate(node.value)
        ]
    if isinstance(node, MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            problems.append(_tag_problem(doc, node, loc))
            return None
        out: dict[Any, Any] = {}
        for key_node, value_node in _pairs(node):
            if not isinstance(key_node, ScalarNode):
                problems.append(_at(doc, key_node, loc, "mapping keys must be plain strings"))
                continue
            key = str(key_node.value)
            if (reason := text_problem(key)) is not None:
                problems.append(_at(doc, key_node, loc, reason, "invalid-character"))
                continue
            if key in out:
                first = doc.positions.get((*loc, key))
                where = f" (first defined on line {first[0]})" if first else ""
                problems.append(
                    _at(doc, key_node, loc, f"duplicate key {key!r}{where}", "duplicate-key")
                )
                continue
            doc.positions[(*loc, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            out[key] = _build(value_node, (*loc, key), doc, problems, loader, budget, active)
        return out
    raise AssertionError(f"unknown YAML node {node!r}")  # pragma: no cover


def _pairs(node: MappingNode) -> Iterator[tuple[Node, Node]]:
    # Merge keys (`<<: *base`) are rare in briefings; treat them as plain keys (caught as
    # unknown by the schema) rather than silently merging.
    yield from node.value


def _tag_problem(doc: YamlDoc, node: Node, loc: PathKey) -> Problem:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
    return _at(doc, node, loc, f"unsupported YAML tag {tag!r}", "yaml-tag")


def _at(doc: YamlDoc, node: Node, loc: PathKey, message: str, code: str = "invalid") -> Problem:
    """Return a Problem at `node`'s position, for the document path `loc`."""
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    return Problem(doc.display, line, column, message, field=format_path(loc) or None, code=code)


_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def is_slug(value: str) -> bool:
    """Whether `value` is a lowercase ASCII slug (letters, digits, hyphens)."""
    return bool(_SLUG.match(value))
