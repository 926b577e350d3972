"""XLIFF and TMX files in the shapes memoQ, Trados, Phrase, Okapi and translate-toolkit write.

The files live in tests/fixtures/exchange (hand-written in those tools' shapes); each is
imported into a copy of the demo whose `washington-ohnmacht` entries are machine
translations, and every unit is either taken or skipped with a counted reason.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from tests.support import MACHINE_FILE, copy_project, entries, machine_project

FIXTURES = Path(__file__).parents[2] / "fixtures" / "exchange"
S1 = "Der Bericht vom 6. Dezember 2025"
S2 = "Für die Ukraine verhandelten"
S3 = "Nach Angaben des Berichts"
S4 = "In einer gemeinsamen Erklärung"
runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _status(root: Path, start: str) -> tuple[str, str]:
    entry = next(e for de, e in entries(root).items() if de.startswith(start))
    return str(entry["status"]), str(entry["en"])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return machine_project(tmp_path_factory.mktemp("real") / "p", spoil=False)


@pytest.fixture
def root(project: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(project, tmp_path / "p"))


@pytest.mark.parametrize(
    ("command", "name", "summary", "statuses"),
    [
        (
            "xliff",
            "memoq.mqxliff",  # <file id=…>, mq: attributes and elements
            "imported 2 segment(s) (1 reviewed, 1 unreviewed), skipped 1 (no English: 1)",
            {S1: "reviewed", S2: "machine", S3: "machine"},
        ),
        (
            "xliff",
            "trados.sdlxliff",  # seg-source, mrk mtype=seg, <sdl:seg conf=…>
            "imported 2 segment(s) (1 reviewed, 1 unreviewed), skipped 1 (not translatable: 1)",
            {S1: "reviewed", S3: "machine"},
        ),
        (
            "xliff",
            "translate-toolkit-unapproved.xlf",  # approved="no" with state="signed-off"
            "imported 2 segment(s) (1 reviewed, 1 unreviewed), skipped 1 (not translated yet: 1)",
            {S2: "machine", S4: "reviewed", S3: "machine"},
        ),
        (
            "tm",
            "wordfast-1.1.tmx",  # TMX 1.1: lang= attributes, a DOCTYPE naming tmx11.dtd
            "imported 1 segment(s) (1 reviewed, 0 unreviewed), skipped 0",
            {S2: "reviewed"},
        ),
        (
            "tm",
            "okapi-other-pairs.tmx",  # de→fr and de→it units only
            "imported 0 segment(s) (0 reviewed, 0 unreviewed), skipped 2 (other language pair: 2)",
            {S2: "machine", S3: "machine"},
        ),
    ],
)
def test_files_of_other_tools_import_or_skip_with_a_counted_reason(
    root: Path, command: str, name: str, summary: str, statuses: dict[str, str]
) -> None:
    code, output = _run(command, "import", str(FIXTURES / name), "-p", str(root))
    assert code == 0, output
    assert summary in output
    assert "Traceback" not in output
    for start, status in statuses.items():
        assert _status(root, start)[0] == status, start


def test_the_sdl_unit_keeps_its_text_inside_seg_markers(root: Path) -> None:
    _run("xliff", "import", str(FIXTURES / "trados.sdlxliff"), "-p", str(root))
    assert _status(root, S3)[1] == (
        "According to the report, this was the sixth such meeting in two weeks."
    )


def test_a_french_target_never_replaces_english(root: Path) -> None:
    before = (root / MACHINE_FILE).read_bytes()
    code, output = _run("xliff", "import", str(FIXTURES / "phrase-fr.xlf"), "-p", str(root))
    assert code == 3, output
    lines = output.strip().splitlines()
    assert lines[-1].startswith("error: ") and "de-DE → fr-FR" in lines[-1], output
    assert len(lines) <= 4
    assert (root / MACHINE_FILE).read_bytes() == before


@pytest.mark.parametrize(
    ("command", "name"), [("xliff", "entity.xlf"), ("tm", "entity.tmx"), ("glossary", "e.tbx")]
)
def test_a_doctype_entity_is_refused_in_one_line(root: Path, command: str, name: str) -> None:
    xliff = (FIXTURES / "entity.xlf").read_text(encoding="utf-8")
    docs = {
        "entity.xlf": xliff,
        "entity.tmx": '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY a "x">]>\n'
        '<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence"'
        ' o-tmf="t" adminlang="en" srclang="de" datatype="plaintext"/><body><tu>'
        '<tuv xml:lang="de"><seg>&a;</seg></tuv><tuv xml:lang="en"><seg>y</seg></tuv>'
        "</tu></body></tmx>\n",
        "e.tbx": '<?xml version="1.0"?>\n<!DOCTYPE tbx [<!ENTITY a "Frieden">]>\n'
        '<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>'
        '<conceptEntry id="c1"><langSec xml:lang="de"><termSec><term>&a;</term></termSec>'
        '</langSec><langSec xml:lang="en"><termSec><term>peace</term></termSec></langSec>'
        "</conceptEntry></body></text></tbx>\n",
    }
    path = root.parent / name
    path.write_text(docs[name], encoding="utf-8")
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    code, output = _run(command, "import", str(path), "-p", str(root))
    assert code == 3, output
    errors = [line for line in output.splitlines() if line.startswith("error: ")]
    assert "entities are refused" in errors[-1] and len(output.splitlines()) <= 3, output
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == before


def test_duplicate_units_are_reported_not_last_wins(root: Path) -> None:
    de = next(d for d in entries(root) if d.startswith(S3))
    units = "".join(
        f'<unit id="u{n}"><segment state="final"><source>{de}</source>'
        f"<target>{en}</target></segment></unit>"
        for n, en in enumerate(["First English.", "First English.", "Second English."], 1)
    )
    path = root.parent / "dup.xlf"
    path.write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="de-AT"'
        f' trgLang="en-US"><file id="f1">{units}</file></xliff>',
        encoding="utf-8",
    )
    code, output = _run("xliff", "import", str(path), "-p", str(root))
    assert code == 0, output
    assert "unit u2: repeats an earlier unit (unit u1" in output
    assert "unit u3: another English for the German of an earlier unit (unit u1" in output
    assert "imported 1 segment(s) (1 reviewed, 0 unreviewed), skipped 2" in output
    assert _status(root, S3) == ("reviewed", "First English.")


def test_nothing_to_export_writes_no_file(tmp_path: Path) -> None:
    demo = copy_project(tmp_path / "demo")  # every segment of the demo is reviewed
    out = tmp_path / "open.xlf"
    code, output = _run("xliff", "export", "-o", str(out), "-p", str(demo))
    assert code == 0, output
    assert output.startswith("nothing to export:") and "not written" in output
    assert not out.exists()


def test_a_gzip_bomb_is_refused_on_inflated_bytes(root: Path) -> None:
    import gzip

    bomb = root.parent / "bomb.xlf"
    head = b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="de">'
    bomb.write_bytes(gzip.compress(head + b" " * (80 << 20) + b"</xliff>", compresslevel=1))
    assert bomb.stat().st_size < (1 << 20)
    code, output = _run("xliff", "import", str(bomb), "-p", str(root))
    assert code == 3, output
    assert "inflates to more than the limit" in output


def test_a_gzipped_xliff_within_the_limit_is_read(root: Path) -> None:
    import gzip

    xml = (FIXTURES / "translate-toolkit-unapproved.xlf").read_bytes()
    path = root.parent / "work.xlf.gz"
    path.write_bytes(gzip.compress(xml))
    code, output = _run("xliff", "import", str(path), "-p", str(root))
    assert code == 0 and "imported 2 segment(s)" in output, output


def test_a_tmx_refusal_stays_short(root: Path) -> None:
    code, output = _run("tm", "import", str(FIXTURES / "tmx11-invalid.tmx"), "-p", str(root))
    assert code == 3, output
    lines = output.strip().splitlines()
    assert len(lines) == 4 and "(18 errors, the first 3 shown)" in lines[-1], output


def test_an_import_rewrites_only_the_entries_it_changes(tmp_path: Path) -> None:
    # The demo's translations/ files quote every English in double quotes, which briefpack's
    # own writer would not: the first import must still be a one-entry diff.
    demo = copy_project(tmp_path / "demo")
    path = demo / MACHINE_FILE
    before = path.read_text(encoding="utf-8").splitlines(keepends=True)
    de = next(d for d in entries(demo) if d.startswith(S3))
    xlf = tmp_path / "one.xlf"
    xlf.write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="de"'
        f' trgLang="en"><file id="f"><unit id="u"><segment state="final"><source>{de}'
        "</source><target>It was the sixth such meeting in two weeks.</target></segment>"
        "</unit></file></xliff>",
        encoding="utf-8",
    )
    code, output = _run("xliff", "import", str(xlf), "-p", str(demo))
    assert code == 0 and "wrote 1 file(s)" in output, output
    after = path.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        (
            '  en: "According to the report, it was the sixth meeting of this kind within '
            'two weeks."\n',
            "  en: It was the sixth such meeting in two weeks.\n",
        )
    ]


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_tool_attributes_on_any_element_are_ignored(root: Path, version: str) -> None:
    # What 24|xliff, OnTram and SDL add: attributes the schema does not declare, with and
    # without a namespace, on any element. Declared attributes are still checked.
    from lxml import etree

    out = root.parent / "tool.xlf"
    code, output = _run(
        "xliff", "export", "--machine", "--version", version, "-o", str(out), "-p", str(root)
    )
    assert code == 0, output
    tree = etree.parse(str(out))
    for element in tree.iter():
        if isinstance(element.tag, str):
            element.set("locked", "false")
            element.set("{urn:example:ontram}status", "checked")
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    code, output = _run("xliff", "import", str(out), "-p", str(root))
    assert code == 0, output
    assert "skipped 0" in output and "imported 0" not in output
