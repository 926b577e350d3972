"""Read glossary.yaml and validate it, reporting every problem with its line and column.

The stack is the briefings' (`briefpack.source.load`): `briefpack.util.yamlio` composes the
text (libyaml's C parser, YAML 1.2 resolution as ruamel.yaml's reader: ``no`` and ``on`` are
text) and builds the data with every value's position, refusing duplicate keys, tags other
than the plain ones and control characters; the models of `briefpack.glossary.schema`
validate it and `briefpack.util.locate` places each error at its line and column. What no
model can see is checked here: two entries with the same German base form, a form claimed by
two entries. ruamel.yaml is used only where comments must be kept (`briefpack.glossary.edit`).

Decisions:

- A missing file and an empty (blank or comments-only) file are both an empty glossary.
- A top level that is not a mapping, a file over 2 MiB, bytes that are not UTF-8, YAML syntax
  errors, tags other than YAML's plain ones (``!!python/object`` …), duplicate keys in a
  mapping, unknown keys, wrong types, a missing ``de``/``en``, two entries with the same
  German base form (ignoring case, ß/ss and hyphens) and a form claimed by two entries are
  errors. A UTF-8 byte-order mark is ignored.
- A folder, FIFO or dangling symlink in the file's place, an unreadable file or one over
  2 MiB is an InputError with a problem naming the file, for every command: never "empty".
- Every string is normalised as all text is (`briefpack.util.text.clean`: NFC, no format
  characters, ligatures spelled out) before matching or duplicate checks see it; control
  characters (also escaped ones such as ``"\\0"``) are errors.
- Lines and columns in problems are 1-based; a field's problem is placed at its key.
- No Python object is ever constructed from a tag, so a hostile tag cannot run code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode

from briefpack.errors import InputError, Problem, rel
from briefpack.glossary.model import Glossary, Term
from briefpack.glossary.normalize import canonical_key
from briefpack.glossary.schema import EntryModel, GlossaryFile
from briefpack.util.fsutil import TooLargeError, read_bounded
from briefpack.util.locate import problems_from_validation
from briefpack.util.yamlio import YamlDoc, compose_yaml, yaml_document

MAX_BYTES = 2 * 1024 * 1024
# Bounds alias expansion ("billion laughs"); a real glossary has a few nodes per 100 bytes.
MAX_NODES = MAX_BYTES // 4
BOM = b"\xef\xbb\xbf"


@dataclass
class _Seen:
    index: int
    de: str
    line: int


def read_glossary_text(path: Path, file: str) -> str | None:
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
    text = read_glossary_text(path, file)
    if text is None:
        return Glossary((), path, file)
    return parse_glossary(text, file=file, path=path)


def parse_glossary(text: str, *, file: str = "glossary.yaml", path: Path | None = None) -> Glossary:
    """Validate glossary YAML text and return the glossary, or raise `InputError`."""
    return read_glossary(compose(text, file), file=file, path=path)


def compose(text: str, file: str) -> Node | None:
    """Return the node tree of glossary text (None if it holds none); raise on syntax errors.

    The nodes keep their marks and styles: the editor splices the text around them.
    """
    if not text.strip():
        return None
    return compose_yaml(text, display=file, version="1.2")


def read_glossary(root: Node | None, *, file: str, path: Path | None = None) -> Glossary:
    """Validate a composed glossary and return it, or raise `InputError` with every problem."""
    doc = yaml_document(
        root, path=path or Path(file), display=file, version="1.2", max_nodes=MAX_NODES
    )
    terms, problems = validate(doc)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise InputError(f"{file}: {len(problems)} {noun} in the glossary", problems=problems)
    return Glossary(tuple(terms), path, file)


def validate(doc: YamlDoc) -> tuple[list[Term], list[Problem]]:
    """Return the entries of a read glossary document and every problem with them."""
    if doc.data is None:
        return [], []
    try:
        models = list(enumerate(GlossaryFile.model_validate(doc.data).terms))
        problems: list[Problem] = []
    except ValidationError as exc:
        problems = problems_from_validation(exc, doc, GlossaryFile)
        # Entries that are valid on their own still take part in the duplicate checks.
        models = _valid_entries(doc.data)
    terms = [_term(model, i, doc) for i, model in models]
    return terms, problems + duplicate_problems(terms, doc.display)


def _valid_entries(data: object) -> list[tuple[int, EntryModel]]:
    items = data.get("terms") if isinstance(data, dict) else None
    out: list[tuple[int, EntryModel]] = []
    for i, item in enumerate(items if isinstance(items, list) else ()):
        try:
            out.append((i, EntryModel.model_validate(item)))
        except ValidationError:
            continue  # reported by the whole file's validation
    return out


def _term(model: EntryModel, index: int, doc: YamlDoc) -> Term:
    assert model.de is not None  # the model's own check
    line, column = doc.where(("terms", index))
    return Term(
        de=model.de,
        en=model.en if model.en is not None else model.de,
        forms=model.forms,
        avoid=model.avoid,
        compound=model.compound,
        case_sensitive=model.case_sensitive,
        keep=model.keep,
        note=model.note,
        en_plural=model.en_plural,
        accept=model.accept,
        index=index,
        line=line,
        column=column,
    )


def terms_node(root: Node | None) -> Node | None:
    """Return the value node of the top-level `terms` key, if there is one."""
    if not isinstance(root, MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "terms":
            found: Node = value
            return found
    return None


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
