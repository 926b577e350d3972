"""The one XML reader: bounded on bytes read and inflated, no entities, short located errors."""

from __future__ import annotations

import gzip
import subprocess
from pathlib import Path

import pytest

from briefpack.errors import InputError
from briefpack.util.xmlio import (
    forget,
    iter_xml,
    parse_xml,
    read_xml,
    read_xml_bytes,
    to_bytes,
)


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


# --- streamed reading (iter_xml) ----------------------------------------------------------


def _read_all(path: Path, display: str = "f.xml", **kwargs: object) -> list[str]:
    return [f"{event} {el.tag}" for event, el in iter_xml(path, display, **kwargs)]  # type: ignore[arg-type]


def test_a_stream_from_a_pipe_stops_at_its_byte_budget() -> None:
    # An endless, well-formed-so-far document: only the budget can stop it.
    endless = ["sh", "-c", "printf '<a>'; yes '<b/>'"]
    with subprocess.Popen(endless, stdout=subprocess.PIPE) as writer:
        assert writer.stdout is not None
        try:
            with pytest.raises(InputError, match="more than the limit of 65,536 bytes"):
                _read_all(Path(f"/dev/fd/{writer.stdout.fileno()}"), limit=65536)
        finally:
            writer.kill()


def test_a_streamed_gzip_bomb_stops_at_the_budget(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml.gz"
    bomb.write_bytes(gzip.compress(b"<a>" + b"<b/>" * (4 << 20) + b"</a>", compresslevel=9))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(InputError, match="inflates to more than the limit of 1,000,000 bytes"):
        _read_all(bomb, limit=1_000_000)
    truncated = tmp_path / "cut.xml.gz"
    whole = gzip.compress(b"<a>" + b"".join(b"<b>%d</b>" % i for i in range(5000)) + b"</a>")
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match=r"damaged gzip data|not well-formed"):
        _read_all(truncated)


def test_a_regular_file_over_the_budget_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b"<a>" + b" " * 2000 + b"</a>")
    with pytest.raises(InputError, match="XML file is 2,007 bytes, over the limit of 1,000"):
        _read_all(big, limit=1000)


@pytest.mark.parametrize(
    "doc",
    [
        b'<!DOCTYPE a [<!ENTITY x "text">]><a>&x;</a>',
        b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
        b'<!DOCTYPE a [<!ENTITY x "y"><!ENTITY z "&x;&x;&x;&x;">]><a>&z;</a>',
        b'<!DOCTYPE a SYSTEM "a.dtd"><a>&undeclared;</a>',
        b'<!DOCTYPE a SYSTEM "a.dtd"><a>' + b"<b>x</b>" * 20000 + b"<b>&late;</b></a>",
        b'<!DOCTYPE a [<!ENTITY x "unused">]><a/>',
    ],
)
def test_a_stream_refuses_entities_too(tmp_path: Path, doc: bytes) -> None:
    path = tmp_path / "f.xml"
    path.write_bytes(doc)
    with pytest.raises(InputError, match="entities are refused") as info:
        _read_all(path)
    assert len(info.value.problems) == 1
    with pytest.raises(InputError, match="entities are refused"):  # and with a tag filter
        _read_all(path, tags=("b",))


def test_a_stream_that_is_not_well_formed_is_located(tmp_path: Path) -> None:
    path = tmp_path / "f.xml"
    path.write_bytes(b"<a>\n" + b"<b/>\n" * 20000 + b"<b></a>")
    with pytest.raises(InputError, match="not well-formed") as info:
        _read_all(path)
    (problem,) = info.value.problems
    assert problem.line == 20002


def test_forget_keeps_a_streamed_document_small(tmp_path: Path) -> None:
    path = tmp_path / "f.xml"
    path.write_bytes(b"<a>" + b"<b><c>x</c></b>stray" + b"<b><c>y</c></b>\n" * 20000 + b"</a>")
    last = None
    most = 0
    for event, b in iter_xml(path, "f.xml", ("b",)):
        root = b.getparent()
        if event == "end":
            forget(b, last)
            last = b
            most = max(most, sum(1 for _ in b.itersiblings(preceding=True)))
    forget(None, last)
    assert most == 0  # what was read is gone (what the parser read ahead is not yet)
    assert root is not None and len(root) == 0
    assert root.text == "stray"  # kept, so that a validation of what is left sees it


def test_project_files_that_are_not_regular_are_refused_without_waiting(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "x.tmx"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        _read_all(fifo, regular_only=True)
    folder = tmp_path / "y.tmx"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder"):
        _read_all(folder)
