"""Safe XML parsing and schema validation for exchange files, with located errors."""

from __future__ import annotations

import contextlib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefpack.errors import InputError, Problem

if TYPE_CHECKING:
    from lxml import etree

MAX_EXCHANGE_BYTES = 64 * 1024 * 1024  # a pack's XLIFF is a few hundred KB; refuse XML bombs
XML_NS = "http://www.w3.org/XML/1998/namespace"
SCHEMAS = "schemas"


def read_xml(path: Path, display: str) -> etree._ElementTree:
    """Parse an XML file without entities, DTD loading or network access."""
    from lxml import etree

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{display}: cannot read ({exc.strerror})") from None
    if size > MAX_EXCHANGE_BYTES:
        raise InputError(f"{display}: {size} bytes is larger than {MAX_EXCHANGE_BYTES}")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise InputError(
            f"{display}: not well-formed XML",
            problems=[Problem(display, line, column, f"not well-formed XML: {exc.msg}")],
        ) from None
    except OSError as exc:
        raise InputError(f"{display}: cannot read ({exc})") from None


def validate(tree: etree._ElementTree, validator: Any, display: str, what: str) -> None:
    """Raise InputError listing every schema error with its line and column."""
    if validator.validate(tree):
        return
    problems = [
        Problem(display, e.line or None, (e.column + 1) if e.line else None, e.message, code="xml")
        for e in validator.error_log
    ]
    raise InputError(f"{display}: not valid {what}", problems=problems[:50])


def schema(name: str) -> Any:
    """Return a compiled XML Schema shipped in `schemas/`."""
    from lxml import etree

    folder = resources.files(__package__).joinpath(SCHEMAS)
    with resources.as_file(folder) as real:
        parser = etree.XMLParser(no_network=True)
        return etree.XMLSchema(etree.parse(str(Path(real) / name), parser))


def dtd(name: str) -> Any:
    """Return a DTD shipped in `schemas/`."""
    from lxml import etree

    with resources.as_file(resources.files(__package__).joinpath(SCHEMAS, name)) as real:
        return etree.DTD(str(real))


def local(tag: object) -> str:
    """Return an element's name without its namespace ('' for comments and PIs)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


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
