"""Read glossary.yaml and validate it, reporting every problem with its line and column.

Decisions:

- A missing file and an empty (blank or comments-only) file are both an empty glossary.
- A top level that is not a mapping, a file over 2 MiB, bytes that are not UTF-8, YAML syntax
  errors, tags other than YAML's standard ones (``!!python/object`` …), duplicate keys in a
  mapping, unknown keys, wrong types, a missing ``de``/``en``, two entries with the same
  German base form (ignoring case, ß/ss and hyphens) and a form claimed by two entries are
  errors. A UTF-8 byte-order mark is ignored.
- A folder, FIFO or dangling symlink in the file's place, an unreadable file or one over
  2 MiB is an InputError with a problem naming the file, for every command: never "empty".
- Every string is normalised as all text is (`briefpack.util.text.clean`: NFC, no format
  characters, ligatures spelled out) before matching or duplicate checks see it; control
  characters (also escaped ones such as ``"\\0"``) are errors.
- Lines and columns in problems are 1-based.
- The file is only *composed* (parsed into nodes) by ruamel.yaml; no Python object is ever
  constructed from a tag, so a hostile tag cannot run code.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, StreamMark, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from briefpack.errors import InputError, Problem, rel
from briefpack.glossary.match import canonical_key
from briefpack.glossary.model import FIELDS, Glossary, Term
from briefpack.util.fsutil import TooLargeError, read_bounded
from briefpack.util.text import clean, text_problem

MAX_BYTES = 2 * 1024 * 1024
BOM = b"\xef\xbb\xbf"

_YAML_NS = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT = (_YAML_NS + t for t in ("str", "null", "bool", "int"))
_ALLOWED_TAGS = frozenset(
    _YAML_NS + t for t in ("str", "null", "bool", "int", "float", "map", "seq", "timestamp")
)
_TOP_KEYS = ("version", "terms")
# As in briefings (YAML refuses them raw; here they also arrive escaped, "\0" or "\e", e.g.
# from an imported CSV): C0 and C1 controls and DEL; tab and line breaks stay allowed.
_LIST_FIELDS = ("forms", "avoid", "accept")
_BOOL_FIELDS = ("compound", "case_sensitive", "keep")


def read_text(path: Path, file: str) -> str | None:
    """Return the decoded text of `path`, or None if it does not exist."""
    source = read_source(path, file)
    return None if source is None else source[0]


def read_source(path: Path, file: str) -> tuple[str, bool] | None:
    """Return the decoded text of `path` and whether it had a BOM, or None if it is missing.

    Anything else that keeps the file from being read (a folder in its place, a FIFO, no
    permission, over MAX_BYTES) is an InputError with a located problem, never "empty".
    """
    try:
        data = read_bounded(path, MAX_BYTES, regular_only=True)
    except FileNotFoundError:
        if path.is_symlink():
            raise _unreadable(file, "is a symbolic link to a file that does not exist") from None
        return None
    except TooLargeError as exc:
        raise _unreadable(file, exc.describe("glossary file"), "too-large") from None
    except IsADirectoryError:
        raise _unreadable(file, "is a folder, not a glossary file") from None
    except OSError as exc:
        raise _unreadable(file, f"cannot read: {exc.strerror or exc}") from None
    return decode(data, file), data.startswith(BOM)


def _unreadable(file: str, message: str, code: str = "unreadable") -> InputError:
    return InputError(f"{file}: {message}", problems=[Problem(file, message=message, code=code)])


def decode(data: bytes, file: str) -> str:
    """Decode UTF-8 (dropping a byte-order mark) or raise `InputError` naming the bad byte."""
    skipped = len(BOM) if data.startswith(BOM) else 0
    body = data[skipped:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start
        line = body.count(b"\n", 0, offset) + 1
        column = offset - (body.rfind(b"\n", 0, offset) + 1) + 1
        problem = Problem(
            file,
            line,
            column,
            f"not valid UTF-8: byte 0x{body[offset]:02X} at byte offset {offset + skipped}",
            code="encoding",
        )
        raise InputError(f"{file}: not valid UTF-8", problems=[problem]) from None


def load_glossary(path: Path, *, root: Path | None = None) -> Glossary:
    """Load and validate a glossary file; a missing file is an empty glossary.

    Raises `InputError` listing every problem; `root` only shortens file names in messages.
    """
    file = rel(path, root)
    text = read_text(path, file)
    if text is None:
        return Glossary((), path, file)
    return parse_glossary(text, file=file, path=path)


def parse_glossary(text: str, *, file: str = "glossary.yaml", path: Path | None = None) -> Glossary:
    """Validate glossary YAML text and return the glossary, or raise `InputError`."""
    root, problems = compose(text, file)
    if problems:
        raise InputError(f"{file}: invalid YAML", problems=problems)
    terms, problems = build_terms(root, file)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise InputError(f"{file}: {len(problems)} {noun} in the glossary", problems=problems)
    return Glossary(tuple(terms), path, file)


def make_yaml() -> YAML:
    """Return the round-trip YAML instance used to read and edit glossaries."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True  # duplicates are reported by our own walk, with lines
    return yaml


def _at(file: str, mark: StreamMark | None, message: str, field: str | None, code: str) -> Problem:
    if mark is None:
        return Problem(file, None, None, message, field, code)
    return Problem(file, mark.line + 1, mark.column + 1, message, field, code)


def compose(text: str, file: str) -> tuple[Node | None, list[Problem]]:
    """Parse YAML text into nodes; return syntax, tag and duplicate-key problems."""
    if not text.strip():
        return None, []
    try:
        root = make_yaml().compose(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, [_at(file, mark, f"YAML syntax error: {message}", None, "yaml-syntax")]
    except ReaderError as exc:
        pos = int(exc.position)
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        message = f"YAML cannot contain character #x{ord(exc.character):04x}"
        return None, [Problem(file, line, column, message, None, "yaml-syntax")]
    except YAMLError as exc:  # any other ruamel parse failure, without a position
        return None, [Problem(file, 1, 1, f"YAML error: {exc}", None, "yaml-syntax")]
    if root is None:
        return None, []
    return root, _check_nodes(root, file)


def _tag_label(tag: str) -> str:
    return "!!" + tag[len(_YAML_NS) :] if tag.startswith(_YAML_NS) else tag


def _check_nodes(root: Node, file: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:  # aliases point at nodes already checked
            continue
        seen.add(id(node))
        tag = str(node.tag)
        if tag not in _ALLOWED_TAGS:
            problems.append(
                _at(
                    file, node.start_mark, f"tag {_tag_label(tag)} is not allowed", None, "yaml-tag"
                )
            )
        if isinstance(node, MappingNode):
            first_seen: dict[str, Node] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in first_seen:
                        line = first_seen[key.value].start_mark.line + 1
                        msg = f"duplicate key {key.value!r} (first used on line {line})"
                        problems.append(_at(file, key.start_mark, msg, None, "duplicate-key"))
                    else:
                        first_seen[key.value] = key
                stack += (key, value)
        elif isinstance(node, SequenceNode):
            stack += node.value
    return problems


@dataclass
class _Seen:
    index: int
    de: str
    line: int


class _EntryBuilder:
    """Validate one `terms[i]` mapping, collecting problems."""

    def __init__(self, file: str, index: int, node: MappingNode) -> None:
        self.file = file
        self.index = index
        self.node = node
        self.path = f"terms[{index}]"
        self.problems: list[Problem] = []
        self.values: dict[str, object] = {}

    def problem(self, node: Node, message: str, field: str | None, code: str = "type") -> None:
        self.problems.append(_at(self.file, node.start_mark, message, field, code))

    def string(self, node: Node, field: str, *, allow_null: bool) -> str | None:
        if isinstance(node, ScalarNode) and str(node.tag) == _NULL and allow_null:
            return None
        if not isinstance(node, ScalarNode) or str(node.tag) != _STR:
            self.problem(node, f"must be a string, not {_describe(node)}", field)
            return None
        # The one normalisation at read time (briefpack.util.text): an NFD or soft-hyphenated
        # entry matches the briefings' text, and duplicates of it are found.
        value = clean(str(node.value))
        if not value.strip():
            self.problem(node, "must not be empty", field, "empty")
            return None
        reason = text_problem(value)  # the one validity gate (briefpack.util.text)
        if reason is not None:
            self.problem(node, reason, field, "invalid-character")
            return None
        return value

    def build(self) -> Term | None:
        for key, value in self.node.value:
            if not isinstance(key, ScalarNode) or str(key.tag) != _STR:
                self.problem(key, "keys must be strings", self.path)
                continue
            name = str(key.value)
            field = f"{self.path}.{name}"
            if name not in FIELDS:
                self.problem(key, _unknown_key(name, FIELDS), field, "unknown-key")
            elif name in ("de", "en"):
                self.values[name] = self.string(value, field, allow_null=False)
            elif name in ("note", "en_plural"):
                self.values[name] = self.string(value, field, allow_null=True)
            elif name in _LIST_FIELDS:
                self.values[name] = self.string_list(value, field)
            else:
                self.values[name] = self.boolean(value, field)
        return self.finish()

    def string_list(self, node: Node, field: str) -> tuple[str, ...]:
        if isinstance(node, ScalarNode) and str(node.tag) == _NULL:
            return ()
        if not isinstance(node, SequenceNode):
            hint = f" (write [{node.value}])" if isinstance(node, ScalarNode) else ""
            self.problem(node, f"must be a list of strings{hint}", field)
            return ()
        items = []
        for i, item in enumerate(node.value):
            value = self.string(item, f"{field}[{i}]", allow_null=False)
            if value is not None:
                items.append(value)
        return tuple(items)

    def boolean(self, node: Node, field: str) -> bool:
        if isinstance(node, ScalarNode) and str(node.tag) == _BOOL:
            return str(node.value).lower() == "true"
        self.problem(node, f"must be true or false, not {_describe(node)}", field)
        return False

    def finish(self) -> Term | None:
        de = self.values.get("de")
        en = self.values.get("en")
        keep = bool(self.values.get("keep", False))
        if "de" not in self.values:
            self.problem(self.node, "missing 'de' (the German base form)", self.path, "missing")
        if "en" not in self.values and not keep:
            msg = "missing 'en' (the approved English; optional only with keep: true)"
            self.problem(self.node, msg, self.path, "missing")
        if self.problems or not isinstance(de, str):
            return None
        forms = self.values.get("forms", ())
        avoid = self.values.get("avoid", ())
        accept = self.values.get("accept", ())
        note = self.values.get("note")
        en_plural = self.values.get("en_plural")
        assert isinstance(forms, tuple) and isinstance(avoid, tuple)
        assert isinstance(accept, tuple)
        return Term(
            de=de,
            en=en if isinstance(en, str) else de,
            forms=forms,
            avoid=avoid,
            compound=bool(self.values.get("compound", False)),
            case_sensitive=bool(self.values.get("case_sensitive", False)),
            keep=keep,
            note=note if isinstance(note, str) else None,
            en_plural=en_plural if isinstance(en_plural, str) and en_plural.strip() else None,
            accept=accept,
            index=self.index,
            line=self.node.start_mark.line + 1,
            column=self.node.start_mark.column + 1,
        )


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    tag = str(node.tag)
    kind = {_NULL: "empty", _STR: "a string", _BOOL: "a boolean", _INT: "a number"}.get(tag)
    if kind is None and tag.startswith(_YAML_NS):
        kind = "a " + tag[len(_YAML_NS) :]
    return f"{kind or _tag_label(tag)} ({node.value!r})" if kind != "empty" else "empty"


def _unknown_key(name: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {name!r}{hint}; known keys: {', '.join(known)}"


def terms_node(root: Node | None) -> Node | None:
    """Return the value node of the top-level `terms` key, if there is one."""
    if not isinstance(root, MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "terms":
            found: Node = value
            return found
    return None


def build_terms(root: Node | None, file: str) -> tuple[list[Term], list[Problem]]:
    """Validate the composed document and return its entries and every problem."""
    if root is None:
        return [], []
    if not isinstance(root, MappingNode):
        msg = f"the top level must be a mapping with 'version' and 'terms', not {_describe(root)}"
        return [], [_at(file, root.start_mark, msg, None, "type")]
    problems: list[Problem] = []
    items: list[Node] = []
    for key, value in root.value:
        name = str(key.value) if isinstance(key, ScalarNode) else "?"
        if name not in _TOP_KEYS:
            problems.append(
                _at(file, key.start_mark, _unknown_key(name, _TOP_KEYS), name, "unknown-key")
            )
        elif name == "version":
            if not (
                isinstance(value, ScalarNode) and str(value.tag) == _INT and value.value == "1"
            ):
                msg = f"unsupported version {value.value!r}; this briefpack reads version 1"
                if not isinstance(value, ScalarNode):
                    msg = "version must be the number 1"
                problems.append(_at(file, value.start_mark, msg, "version", "type"))
        elif isinstance(value, SequenceNode):
            items = list(value.value)
        elif not (isinstance(value, ScalarNode) and str(value.tag) == _NULL):
            msg = f"must be a list of entries, not {_describe(value)}"
            problems.append(_at(file, value.start_mark, msg, "terms", "type"))
    terms: list[Term] = []
    for index, item in enumerate(items):
        if not isinstance(item, MappingNode):
            msg = f"must be a mapping with de/en keys, not {_describe(item)}"
            problems.append(_at(file, item.start_mark, msg, f"terms[{index}]", "type"))
            continue
        builder = _EntryBuilder(file, index, item)
        term = builder.build()
        problems += builder.problems
        if term is not None:
            terms.append(term)
    problems += duplicate_problems(terms, file)
    return terms, problems


def duplicate_problems(terms: list[Term], file: str) -> list[Problem]:
    """Report entries sharing a German base form, and forms claimed by two entries."""
    problems: list[Problem] = []
    owners: dict[str, _Seen] = {}
    for term in terms:
        key = canonical_key(term.de)
        first = owners.get(key)
        if first is not None:
            msg = (
                f"duplicate entry {term.de!r}: already defined as {first.de!r} on line {first.line}"
            )
            field = f"{term.field_path}.de"
            problems.append(Problem(file, term.line, term.column, msg, field, "duplicate-entry"))
            continue
        owners[key] = _Seen(term.index, term.de, term.line or 0)
    for term in terms:
        own = canonical_key(term.de)
        for i, form in enumerate(term.forms):
            key = canonical_key(form)
            if key == own:
                continue  # redundant, reported by lint
            first = owners.get(key)
            if first is not None and first.index != term.index:
                kind = "base form" if canonical_key(first.de) == key else "a form"
                msg = f"form {form!r} is already {kind} of entry {first.de!r} (line {first.line})"
                problems.append(
                    Problem(
                        file,
                        term.line,
                        term.column,
                        msg,
                        f"{term.field_path}.forms[{i}]",
                        "form-conflict",
                    )
                )
            elif first is None:
                owners[key] = _Seen(term.index, term.de, term.line or 0)
    return problems
