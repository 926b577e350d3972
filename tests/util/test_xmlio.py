"""The one XML reader: bounded on bytes read and inflated, no entities, short located errors."""

from __future__ import annotations

import gzip
import subprocess
from pathlib import Path

import pytest

from briefpack.errors import InputError
from briefpack.util.xmlio import parse_xml, read_xml, read_xml_bytes, to_bytes


def test_a_pipe_is_read_through_a_byte_budget() -> None:
    # What `xliff import /dev/stdin` meets: no size to trust, an endless writer.
    with subprocess.Popen(["yes", "<a/>"], stdout=subprocess.PIPE) as writer:
        assert writer.stdout is not None
        try:
            with pytest.raises(InputError, match="more than the limit of 65,536 bytes"):
                read_xml_bytes(Path(f"/dev/fd/{writer.stdout.fileno()}"), "stdin", limit=65536)
        finally:
            writer.kill()


def test_gzip_is_inflated_within_the_budget(tmp_path: Path) -> None:
    small = tmp_path / "small.xml.gz"
    small.write_bytes(gzip.compress(b"<a>" + b"x" * 1000 + b"</a>"))
    assert read_xml(small, "small").getroot().text == "x" * 1000
    big = tmp_path / "big.xml.gz"
    big.write_bytes(gzip.compress(b"<a>" + b"x" * 200_000 + b"</a>"))
    with pytest.raises(InputError, match="inflates to more than the limit of 100,000 bytes"):
        read_xml(big, "big", limit=100_000)
    broken = tmp_path / "broken.xml.gz"
    broken.write_bytes(gzip.compress(b"<a/>")[:-12] + b"garbage")
    with pytest.raises(InputError, match=r"damaged gzip data|not well-formed"):
        read_xml(broken, "broken")


@pytest.mark.parametrize(
    "doc",
    [
        b'<!DOCTYPE a [<!ENTITY x "text">]><a>&x;</a>',
        b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
        b'<!DOCTYPE a [<!ENTITY x "y"><!ENTITY z "&x;&x;&x;&x;">]><a>&z;</a>',
        b'<!DOCTYPE a SYSTEM "a.dtd"><a>&undeclared;</a>',
        b'<!DOCTYPE a [<!ENTITY x "unused">]><a/>',
    ],
)
def test_entities_are_refused_never_dropped(doc: bytes) -> None:
    with pytest.raises(InputError, match="entities are refused") as info:
        parse_xml(doc, "f.xml")
    assert len(info.value.problems) == 1


def test_an_external_doctype_without_entities_is_fine() -> None:
    root = parse_xml(b'<!DOCTYPE tmx SYSTEM "tmx14.dtd"><tmx version="1.4"/>', "t").getroot()
    assert root.tag == "tmx"


def test_not_well_formed_has_a_location() -> None:
    with pytest.raises(InputError, match="not well-formed") as info:
        parse_xml(b"<a>\n<b></a>", "f.xml")
    (problem,) = info.value.problems
    assert problem.line == 2


def test_to_bytes_keeps_processing_instructions_before_the_root() -> None:
    from lxml import etree

    root = etree.Element("a")
    root.addprevious(etree.ProcessingInstruction("xml-model", 'href="x.rng"'))
    data = to_bytes(root)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-model href="x.rng"?>')
    assert parse_xml(data, "t").getroot().tag == "a"
