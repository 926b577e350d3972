"""The TMX reader streams: units validated one by one, errors located, hostile files refused.

The documents are a few thousand units long, so that they span many of the parser's
read-ahead chunks (a unit cut in two by a chunk must not be seen half-read).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from briefpack.errors import InputError
from briefpack.translation.exchange.tmx import TmxUnit, read_tmx, write_tmx
from tests.support import cli_in, copy_project, snapshot

UNITS = 3000
HEADER = (
    '<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t"'
    ' adminlang="en" srclang="{srclang}" datatype="plaintext"/>'
)


def _units(n: int = UNITS) -> list[TmxUnit]:
    return [
        TmxUnit(f"Satz Nummer {i} über die Lage.", f"Sentence {i} on the situation.", "reviewed")
        for i in range(n)
    ]


def _tmx(body: str, *, srclang: str = "de-DE", doctype: str = "") -> str:
    head = HEADER.format(srclang=srclang)
    start = f'<?xml version="1.0"?>\n{doctype}<tmx version="1.4">\n'
    return f"{start}{head}\n<body>\n{body}</body>\n</tmx>\n"


def _tu(i: int, de: str | None = None) -> str:
    de = f"Satz {i}." if de is None else de
    return (
        f'<tu tuid="u{i}"><tuv xml:lang="de-DE"><seg>{de}</seg></tuv>'
        f'<tuv xml:lang="en-GB"><seg>Sentence {i}.</seg></tuv></tu>\n'
    )


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_large_tmx_reads_every_unit_in_order_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "big.tmx"
    data = write_tmx(_units())
    path.write_bytes(data)
    assert len(data) > 20 * 32 * 1024  # many read-ahead chunks
    units = read_tmx(path, "big.tmx", landing=None)
    assert [(u.de, u.en, u.landing) for u in units] == [(t.de, t.en, "reviewed") for t in _units()]
    text = data.decode("utf-8")
    tu_line = text[: text.index("Satz Nummer 2500 ")].rindex("<tu>")
    assert units[2500].where == f"big.tmx:{text[:tu_line].count(chr(10)) + 1}"
    assert [u.id for u in units[:3]] == ["1", "2", "3"]


def test_gzip_tmx_is_read_as_a_stream(tmp_path: Path) -> None:
    path = tmp_path / "big.tmx.gz"
    path.write_bytes(gzip.compress(write_tmx(_units(500))))
    assert len(read_tmx(path, "big.tmx.gz", landing="machine")) == 500


def test_an_invalid_unit_deep_in_the_file_is_located(tmp_path: Path) -> None:
    body = "".join(_tu(i) for i in range(UNITS))
    body = body.replace('<tu tuid="u2500">', '<tu tuid="u2500">loose text', 1)
    text = _tmx(body)
    path = tmp_path / "bad.tmx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"not valid TMX 1\.4b$") as info:
        read_tmx(path, "bad.tmx", landing=None)
    (problem,) = info.value.problems
    assert problem.line == _line_of(text, 'tuid="u2500"')
    assert "Element tu content does not follow the DTD" in problem.message


def test_errors_are_counted_over_the_whole_file_and_the_first_shown(tmp_path: Path) -> None:
    body = "".join(_tu(i) for i in range(UNITS)).replace("<seg>Sentence", "<seg><x/>Sentence")
    text = _tmx(body).replace('segtype="sentence"', 'segtype="word"')
    path = tmp_path / "bad.tmx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_tmx(path, "bad.tmx", landing=None)
    # The header's error, then the first units'; every unit counted (2 errors each).
    assert f"({1 + 2 * UNITS} errors, the first 3 shown)" in info.value.message
    lines = [p.line for p in info.value.problems]
    assert lines == [_line_of(text, "<header"), _line_of(text, 'tuid="u0"'), lines[2]]
    assert lines[2] == lines[1]


def test_text_between_units_and_elements_after_the_body_are_errors(tmp_path: Path) -> None:
    body = "".join(_tu(i) for i in range(UNITS)).replace("</tu>\n", "</tu>stray\n", 1)
    text = _tmx(body).replace("</body>", "</body><extra/>")
    path = tmp_path / "bad.tmx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"not valid TMX 1\.4b$") as info:
        read_tmx(path, "bad.tmx", landing=None)
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 3 and messages[2] == "No declaration for element extra"
    assert "Element tmx content does not follow the DTD" in messages[0]
    assert "Element body content does not follow the DTD" in messages[1]


def test_a_truncated_tmx_is_located_and_changes_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    data = write_tmx(_units())
    cut = data[: len(data) * 2 // 3]
    path = tmp_path / "cut.tmx"
    path.write_bytes(cut)
    before = snapshot(root)
    code, _, err = cli_in(root, "tm", "import", str(path))
    assert code == 3, err
    last_line = cut.count(b"\n") + 1
    assert f"cut.tmx:{last_line}:" in err and "Premature end of data" in err, err
    assert err.strip().splitlines()[-1].endswith("cut.tmx: not well-formed XML")
    assert snapshot(root) == before  # nothing in translations/, no memory/ file


@pytest.mark.parametrize("depth", [3, 9])
def test_billion_laughs_is_refused_without_expanding(tmp_path: Path, depth: int) -> None:
    # Nine levels: libxml2 itself stops at its amplification limit while reading the
    # declarations; three: briefpack refuses the declared entities at the first element.
    lol = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, depth + 1)
    ]
    body = _tu(0, f"&lol{depth};") * 3
    text = _tmx(body, doctype=f"<!DOCTYPE tmx [{''.join(lol)}]>\n")
    path = tmp_path / "lol.tmx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_tmx(path, "lol.tmx", landing=None)
    (problem,) = info.value.problems
    assert problem.line is not None
    if depth == 3:
        assert "entities are refused" in info.value.message
    else:
        assert "amplification" in problem.message


def test_an_undeclared_entity_deep_in_the_file_is_refused(tmp_path: Path) -> None:
    # Below an external DOCTYPE (never loaded) libxml2 keeps an unknown entity as a
    # reference: its text would vanish. It is refused where it is.
    body = "".join(_tu(i, "Satz &geheim; hier." if i == 2000 else None) for i in range(UNITS))
    text = _tmx(body, doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
    path = tmp_path / "ent.tmx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"entities \(geheim\); entities are refused") as info:
        read_tmx(path, "ent.tmx", landing=None)
    assert [p.line for p in info.value.problems] == [_line_of(text, "&geheim;")]


def test_other_languages_are_refused_before_the_units_are_read(tmp_path: Path) -> None:
    # A French memory is refused at its header: the rest (here broken) is never read.
    body = "".join(_tu(i) for i in range(UNITS))
    text = _tmx(body, srclang="fr-FR")
    path = tmp_path / "fr.tmx"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(InputError, match="source language is fr-FR") as info:
        read_tmx(path, "fr.tmx", landing=None)
    assert [p.message for p in info.value.problems] == ["srclang='fr-FR'"]
    wrong = tmp_path / "wrong.tmx"
    wrong.write_text(
        _tmx(body.replace('xml:lang="en-GB"', 'xml:lang="pl-PL"'), srclang="de"), encoding="utf-8"
    )
    units = read_tmx(wrong, "wrong.tmx", landing=None)
    assert {u.skip for u in units} == {"other language pair (de-DE, pl-PL)"}


def test_tmx_11_header_props_and_units_are_read_as_14(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "tmx11.dtd">\n<tmx version="1.1">\n'
        + HEADER.format(srclang="DE-DE").replace("/>", '><prop type="x" lang="DE-DE">p</prop>')
        + "</header>\n<body>\n"
        + "".join(_tu(i) for i in range(UNITS)).replace("xml:lang=", "lang=")
        + "</body>\n</tmx>\n"
    )
    path = tmp_path / "old.tmx"
    path.write_text(text, encoding="utf-8")
    units = read_tmx(path, "old.tmx", landing=None)
    assert len(units) == UNITS and units[-1].en == f"Sentence {UNITS - 1}."


def test_not_tmx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.tmx"
    path.write_text("<xliff><tu/></xliff>", encoding="utf-8")
    with pytest.raises(InputError, match=r"not TMX \(root element <xliff>\)"):
        read_tmx(path, "x.tmx", landing=None)
    path.write_text("<glossary><term/></glossary>", encoding="utf-8")
    with pytest.raises(InputError, match=r"not TMX \(no <tmx> element\)"):
        read_tmx(path, "x.tmx", landing=None)
