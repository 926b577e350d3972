"""The one XML reader and writer of the exchange formats (XLIFF, TMX, TBX).

Reading is hardened the same way for every format:

- bounded input, counted on the bytes actually read (pipes and `/dev/stdin` included,
  `st_size` is only trusted to refuse a file early) and, for a gzip'd file, on the bytes
  actually inflated (libxml2 would inflate it silently and without limit, so the parser is
  only ever given bytes): one reader, `_Bounded`, for whole documents and streams;
- lxml (libxml2) with no network access, no DTD loading, no entity substitution and
  `huge_tree` off (libxml2's own depth and text-node limits stay on);
- a document that declares entities (`<!DOCTYPE … [<!ENTITY …>]>`) or uses one is refused
  with one clear line: their text would otherwise vanish silently;
- schema errors come back as a few located problems (line:column), not the validator's
  whole log.

`iter_xml` reads a document of any size as a stream with the same hardening (a TMX of
100,000 units, a project memory file): bytes counted and inflated as the parser asks for
them, entities refused as they come, and `SchemaErrors` validating element by element;
the caller `forget`s each element it has read, so memory stays bounded.

Writing: `to_bytes` serialises with an XML declaration, UTF-8 and indentation.
"""

from __future__ import annotations

import contextlib
import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from briefpack.errors import InputError, Problem, UsageError
from briefpack.util.fsutil import TooLargeError

if TYPE_CHECKING:
    from lxml import etree

MAX_XML_BYTES = 64 * 1024 * 1024  # a pack's XLIFF is a few hundred KB; refuse XML bombs
MAX_DETAILS = 3  # located problems shown for one refused file; the rest are counted
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
_GZIP_MAGIC = b"\x1f\x8b"


def read_xml_bytes(path: Path, display: str, *, limit: int = MAX_XML_BYTES) -> bytes:
    """Return the bytes of an XML file (inflated if gzip'd), refusing more than `limit`."""
    with _open_stream(path, display, limit, regular_only=False) as source:
        return b"".join(iter(lambda: source.read(1 << 20), b""))


def parse_xml(data: bytes, display: str) -> etree._ElementTree:
    """Parse XML bytes without network, DTD loading or entities; raise located InputErrors."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, display) from None
    tree = root.getroottree()
    _refuse_entities(tree, display)
    return tree


def _syntax_error(exc: etree.XMLSyntaxError, display: str) -> InputError:
    """Return the located InputError of a document that is not well-formed."""
    line, column = exc.position
    return InputError(
        f"{display}: not well-formed XML",
        problems=[Problem(display, line or None, column or None, exc.msg, code="xml")],
    )


def _refuse_entities(tree: etree._ElementTree, display: str) -> None:
    """Refuse declared or referenced entities: their text would be dropped silently."""
    from lxml import etree

    _refuse_entities_in(tree, next(iter(tree.getroot().iter(etree.Entity)), None), display)


def _refuse_entities_in(tree: etree._ElementTree, used: etree._Entity | None, display: str) -> None:
    """Raise InputError if the document declares entities or `used` is a reference."""
    declared = tree.docinfo.internalDTD
    names = [e.name for e in declared.iterentities()] if declared is not None else []
    if not names and used is None:
        return
    what = ", ".join(names[:3]) if names else str(used.name if used is not None else "")
    line = used.sourceline if used is not None else 1
    raise InputError(
        f"{display}: the document declares or uses XML entities ({what}); "
        "entities are refused for safety: save the file without a DOCTYPE entity",
        problems=[Problem(display, line, None, f"entity {what}", code="xml")],
    )


def read_xml(path: Path, display: str, *, limit: int = MAX_XML_BYTES) -> etree._ElementTree:
    """Read and parse an XML file (see the module docstring for the hardening)."""
    return parse_xml(read_xml_bytes(path, display, limit=limit), display)


def validate(tree: etree._ElementTree, validator: Any, display: str, what: str) -> None:
    """Raise InputError with the first few schema errors, each with its line and column."""
    if validator.validate(tree):
        return
    errors = list(validator.error_log)
    raise _invalid(display, what, _located(errors[:MAX_DETAILS], display), len(errors))


def _invalid(display: str, what: str, problems: list[Problem], count: int) -> InputError:
    """Return the error of a document with `count` schema errors, the first few located."""
    # In document order; errors at one place in the validator's order (a stable sort).
    shown = sorted(problems, key=lambda p: (p.line or 0, p.column or 0))[:MAX_DETAILS]
    more = f" ({count} errors, the first {len(shown)} shown)" if count > MAX_DETAILS else ""
    return InputError(f"{display}: not valid {what}{more}", problems=shown)


def _located(errors: Any, display: str) -> list[Problem]:
    """Return a validator's errors as problems with line and column (1-based)."""
    return [
        Problem(display, e.line or None, (e.column + 1) if e.line else None, e.message, code="xml")
        for e in errors
    ]


# --- streamed reading --------------------------------------------------------------------


def iter_xml(
    path: Path,
    display: str,
    tags: tuple[str, ...] | None = None,
    *,
    limit: int = MAX_XML_BYTES,
    regular_only: bool = False,
) -> Iterator[tuple[str, etree._Element]]:
    """Yield the ("start"|"end", element) events of an XML file read as a stream.

    `tags`: only the events of elements with these names (lxml filters them, which is
    faster than Python can); None: every element's. The hardening of `read_xml` for a
    document of any size: the bytes (inflated if gzip'd) are counted as the parser reads
    them, and a file or stream past `limit` is refused; no network, DTD loading or entity
    substitution, `huge_tree` off. `regular_only`: a FIFO, socket or device is refused
    without waiting for a writer (project files; an import may read a pipe). Declared
    entities are refused at the first event; a reference to an undeclared one (possible
    only below a DOCTYPE) is refused in an element at its end event, before the caller
    sees it, and in whatever the caller kept at the end of the document. A caller that
    `forget`s each element it has read at its end event keeps memory bounded.
    """
    from lxml import etree

    with _open_stream(path, display, limit, regular_only) as source:
        events = etree.iterparse(
            source,
            events=("start", "end"),
            tag=tags,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        )
        tree: etree._ElementTree | None = None
        doctype = False
        try:
            for event, element in events:
                if tree is None:
                    tree = element.getroottree()
                    _refuse_entities_in(tree, None, display)
                    doctype = bool(tree.docinfo.doctype)
                if doctype and event == "end":  # below a DOCTYPE: an undeclared reference
                    _refuse_entities_in(tree, next(element.iter(etree.Entity), None), display)
                yield event, element
            if events.root is not None:
                _refuse_entities(events.root.getroottree(), display)
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(exc, display) from None


def forget(element: etree._Element | None, previous: etree._Element | None) -> None:
    """Free a streamed element once read: empty it, and drop `previous`, the one emptied before.

    lxml's iterparse may still hold the element at its end event, so it is only emptied;
    it is dropped with the next one (call `forget(None, last)` once the document has been
    read). Text after a dropped element that is not blank stays, as its parent's text, so
    that validating what is left of the document still finds it.
    """
    if element is not None:
        element.clear(keep_tail=True)
    parent = None if previous is None else previous.getparent()
    if previous is None or parent is None:
        return
    tail = previous.tail
    if tail and tail.strip():
        parent.text = (parent.text or "") + tail
    parent.remove(previous)


@dataclass
class SchemaErrors:
    """A streamed document's schema errors, found element by element: a few located, all counted.

    Each element is validated as a document of its own (a copy: validated in place, the
    namespace declarations of its ancestors would be seen as its attributes); the copy keeps
    the source lines. Elements come in document order, so the first few errors of the
    elements are the first few of the document; a skeleton (what is left of the document
    once its elements are read) is checked with `again`, and may come last.
    """

    validator: Any
    display: str
    what: str  # e.g. "TMX 1.4b"
    count: int = 0
    _elements: list[Problem] = field(default_factory=list)
    _skeleton: dict[tuple[int | None, int | None, str], Problem] = field(default_factory=dict)

    def check(self, element: etree._Element, *, again: bool = False) -> bool:
        """Validate one element; return whether it had no error not found before.

        `again`: the element (a skeleton) may be checked more than once; an error an earlier
        such check found is not counted twice.
        """
        if self.validator.validate(element.__deepcopy__(None)):  # no memo: a whole subtree
            return True
        found = _located(self.validator.error_log, self.display)
        if again:
            found = [p for p in found if (p.line, p.column, p.message) not in self._skeleton]
            self._skeleton.update(((p.line, p.column, p.message), p) for p in found)
        else:
            self._elements += found[: MAX_DETAILS - len(self._elements)]
        self.count += len(found)
        return not found

    def raise_if_any(self) -> None:
        """Raise InputError with the first few errors in document order, if any was found."""
        if self.count:
            found = [*self._skeleton.values(), *self._elements]
            raise _invalid(self.display, self.what, found, self.count)


class _Bounded:
    """A file's bytes as the parser asks for them: inflated if gzip'd, refused past a limit."""

    def __init__(self, raw: BinaryIO, display: str, limit: int, size: int | None) -> None:
        self._raw, self._display, self._limit, self._size = raw, display, limit, size
        self._read = 0
        self._inflater: Any = None
        self._pending = b""
        head = raw.read(2)
        if head.startswith(_GZIP_MAGIC):
            self._inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        self._pending = head

    def read(self, size: int = 1 << 16) -> bytes:
        """Return up to `size` bytes of the document (b"" at its end)."""
        size = max(1, min(size, 1 << 20))
        if self._inflater is None:
            data = self._pending + self._raw.read(size - len(self._pending))
            self._pending = b""
        else:
            data = self._inflate(size)
        self._read += len(data)
        if self._read > self._limit:
            if self._inflater is not None:
                raise InputError(
                    f"{self._display}: gzip'd XML inflates to more than the limit of "
                    f"{self._limit:,} bytes"
                )
            too_large = TooLargeError(Path(self._display), self._limit, self._size)
            raise InputError(f"{self._display}: {too_large.describe('XML file')}")
        return data

    def _inflate(self, size: int) -> bytes:
        inflater = self._inflater
        try:
            while True:
                if inflater.eof:
                    return b""
                raw = inflater.unconsumed_tail or self._pending or self._raw.read(1 << 16)
                self._pending = b""
                if not raw:
                    raise InputError(f"{self._display}: damaged gzip data (truncated)")
                chunk = inflater.decompress(raw, size)
                if chunk or inflater.eof:
                    return bytes(chunk)
        except zlib.error as exc:
            raise InputError(f"{self._display}: damaged gzip data ({exc})") from None


@contextlib.contextmanager
def _open_stream(path: Path, display: str, limit: int, regular_only: bool) -> Iterator[_Bounded]:
    """Open `path` for `iter_xml` (the errors of `read_xml_bytes`)."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    if regular_only:
        flags |= getattr(os, "O_NONBLOCK", 0)  # opening a FIFO without a writer must not hang
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UsageError(f"{display}: no such file") from None
    except OSError as exc:
        raise InputError(f"{display}: cannot read ({exc.strerror or exc})") from None
    info = os.fstat(fd)
    size = info.st_size if stat.S_ISREG(info.st_mode) else None
    why = ""
    if stat.S_ISDIR(info.st_mode):
        why = "cannot read (is a folder)"
    elif regular_only and size is None:
        why = "cannot read (not a regular file)"
    elif size is not None and size > limit:  # refused before reading; else counted as read
        why = TooLargeError(path, limit, size).describe("XML file")
    if why:
        os.close(fd)
        raise InputError(f"{display}: {why}")
    with os.fdopen(fd, "rb") as raw:
        try:
            yield _Bounded(raw, display, limit, size)
        except OSError as exc:
            raise InputError(f"{display}: cannot read ({exc.strerror or exc})") from None


@cache
def load_schema(package: str, name: str, *, foreign_attributes: bool = False) -> Any:
    """Return a compiled W3C XML Schema that `package` ships (imports resolved locally).

    `foreign_attributes`: also accept attributes the schema does not declare, of any
    namespace or none, and skip them (the leniency of XLIFF 1.2's transitional schema,
    which real tools need: memoQ's `<file id=…>`, SDL's, OnTram's and 24|xliff's
    extension attributes); elements and declared attributes are still checked.
    """
    from importlib import resources

    from lxml import etree

    with resources.as_file(resources.files(package).joinpath(name)) as real:
        parser = etree.XMLParser(no_network=True)
        doc = etree.parse(str(real), parser)
        if foreign_attributes:
            _allow_foreign_attributes(doc)
        return etree.XMLSchema(doc)


def _allow_foreign_attributes(doc: etree._ElementTree) -> None:
    """Give every complex type of a schema document a skipped any-attribute wildcard."""
    from lxml import etree

    xs = "{http://www.w3.org/2001/XMLSchema}"
    for wildcard in doc.iter(f"{xs}anyAttribute"):
        wildcard.set("namespace", "##any")
        wildcard.set("processContents", "skip")
    for complex_type in doc.iter(f"{xs}complexType"):
        holder = complex_type
        for content in ("simpleContent", "complexContent"):
            found = complex_type.find(f"{xs}{content}")
            if found is not None and len(found):
                holder = found[0]  # the <extension> or <restriction>
        if holder.find(f"{xs}anyAttribute") is None:
            etree.SubElement(holder, f"{xs}anyAttribute", namespace="##any", processContents="skip")


@cache
def load_dtd(package: str, name: str) -> Any:
    """Return a DTD that `package` ships."""
    from importlib import resources

    from lxml import etree

    with resources.as_file(resources.files(package).joinpath(name)) as real:
        return etree.DTD(str(real))


def to_bytes(root: etree._Element, *, doctype: str | None = None) -> bytes:
    """Return a document (with the comments and PIs before its root) as indented UTF-8."""
    from lxml import etree

    body = etree.tostring(
        root.getroottree(),
        encoding="UTF-8",
        xml_declaration=False,
        pretty_print=True,
        doctype=doctype,
    )
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + bytes(body)


def local(tag: object) -> str:
    """Return an element's name without its namespace ('' for comments and PIs)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: object) -> str:
    """Return an element's namespace URI ('' for none, comments and PIs)."""
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].split("}", 1)[0]


def text_of(element: etree._Element, *, skip: frozenset[str], chars: str = "") -> str:
    """Return an element's translatable text: text of markup, not of native code elements.

    `skip`: local names whose content is native code (XLIFF 1.2 <ph>, TMX <bpt>, ...); their
    tail text still counts. `chars`: the local name of a code-point element (XLIFF 2 <cp>).
    """
    parts: list[str] = [element.text or ""]
    for child in element:
        name = local(child.tag)
        if name == chars and chars:
            with contextlib.suppress(ValueError):
                parts.append(chr(int(child.get("hex", ""), 16)))
        elif name and name not in skip:
            parts.append(text_of(child, skip=skip, chars=chars))
        parts.append(child.tail or "")
    return "".join(parts)


def lang_of(element: etree._Element) -> str:
    """Return an element's `xml:lang` (or `lang`), '' if it has none."""
    return str(element.get(XML_LANG) or element.get("lang") or "")
