"""The one XML reader and writer of the exchange formats (XLIFF, TMX, TBX).

Reading is hardened the same way for every format:

- bounded input, counted on the bytes actually read (`read_bounded`: pipes and
  `/dev/stdin` included, `st_size` is never trusted) and, for a gzip'd file, on the bytes
  actually inflated (libxml2 would inflate it silently and without limit, so the parser is
  only ever given bytes);
- lxml (libxml2) with no network access, no DTD loading, no entity substitution and
  `huge_tree` off (libxml2's own depth and text-node limits stay on);
- a document that declares entities (`<!DOCTYPE … [<!ENTITY …>]>`) or uses one is refused
  with one clear line: their text would otherwise vanish silently;
- schema errors come back as a few located problems (line:column), not the validator's
  whole log.

Writing: `to_bytes` serialises with an XML declaration, UTF-8 and indentation.
"""

from __future__ import annotations

import contextlib
import zlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefpack.errors import InputError, Problem, UsageError
from briefpack.util.fsutil import TooLargeError, read_bounded

if TYPE_CHECKING:
    from lxml import etree

MAX_XML_BYTES = 64 * 1024 * 1024  # a pack's XLIFF is a few hundred KB; refuse XML bombs
MAX_DETAILS = 3  # located problems shown for one refused file; the rest are counted
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
_GZIP_MAGIC = b"\x1f\x8b"


def read_xml_bytes(path: Path, display: str, *, limit: int = MAX_XML_BYTES) -> bytes:
    """Return the bytes of an XML file (inflated if gzip'd), refusing more than `limit`."""
    try:
        data = read_bounded(path, limit)
    except TooLargeError as exc:
        raise InputError(f"{display}: {exc.describe('XML file')}") from None
    except FileNotFoundError:
        raise UsageError(f"{display}: no such file") from None
    except OSError as exc:
        raise InputError(f"{display}: cannot read ({exc.strerror or exc})") from None
    if data.startswith(_GZIP_MAGIC):
        data = _inflate(data, display, limit)
    return data


def _inflate(data: bytes, display: str, limit: int) -> bytes:
    """Inflate gzip'd bytes, stopping as soon as more than `limit` bytes come out."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out: list[bytes] = []
    total = 0
    pending = data
    try:
        while pending:
            chunk = inflater.decompress(pending, 1 << 20)
            pending = inflater.unconsumed_tail
            total += len(chunk)
            if total > limit:
                raise InputError(
                    f"{display}: gzip'd XML inflates to more than the limit of {limit:,} bytes"
                )
            out.append(chunk)
            if inflater.eof:
                break
    except zlib.error as exc:
        raise InputError(f"{display}: damaged gzip data ({exc})") from None
    return b"".join(out)


def parse_xml(data: bytes, display: str) -> etree._ElementTree:
    """Parse XML bytes without network, DTD loading or entities; raise located InputErrors."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise InputError(
            f"{display}: not well-formed XML",
            problems=[Problem(display, line or None, column or None, exc.msg, code="xml")],
        ) from None
    tree = root.getroottree()
    _refuse_entities(tree, display)
    return tree


def _refuse_entities(tree: etree._ElementTree, display: str) -> None:
    """Refuse declared or referenced entities: their text would be dropped silently."""
    from lxml import etree

    declared = tree.docinfo.internalDTD
    names = [e.name for e in declared.iterentities()] if declared is not None else []
    used = next(iter(tree.getroot().iter(etree.Entity)), None)
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
    problems = [
        Problem(display, e.line or None, (e.column + 1) if e.line else None, e.message, code="xml")
        for e in errors[:MAX_DETAILS]
    ]
    more = (
        f" ({len(errors)} errors, the first {len(problems)} shown)"
        if len(errors) > MAX_DETAILS
        else ""
    )
    raise InputError(f"{display}: not valid {what}{more}", problems=problems)


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
