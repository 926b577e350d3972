# ruff: noqa: E501  (the sample XLIFF/TMX documents keep their own line layout)
"""XLIFF 2.1/1.2 and TMX 1.4b round trips, with files written the way other tools write them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from briefpack.cli import app
from tests.support import MACHINE_FILE, NSS_DE, copy_project, entries, machine_project

runner = CliRunner()
BRIEFING = "briefings/washington-ohnmacht.yaml"


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _machine_german(root: Path) -> list[str]:
    return [de for de, e in entries(root).items() if e["status"] == "machine"]


def _change_german(root: Path, old: str, new: str) -> None:
    path = root / BRIEFING
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_xliff_round_trip_of_our_own_export(tmp_path: Path, version: str) -> None:
    root = machine_project(tmp_path / "p")
    out = tmp_path / f"m{version}.xlf"
    code, output = _run(
        "xliff", "export", "--machine", "--version", version, "-o", str(out), "-p", str(root)
    )
    assert code == 0, output
    german = _machine_german(root)
    xml = out.read_text(encoding="utf-8")
    assert xml.count("<unit " if version == "2.1" else "<trans-unit ") == len(german)
    if version == "2.1":
        assert 'state="translated"' in xml and 'type="term"' in xml
        # The translator finalises every unit and fixes one term.
        xml = xml.replace('state="translated"', 'state="final"')
    else:
        assert 'state="translated"' in xml and "leveraged-mt" in xml
        xml = xml.replace('state="translated"', 'state="signed-off"')
    xml = xml.replace("national strategy", "National Security Strategy")
    out.write_text(xml, encoding="utf-8")
    # Meanwhile the German of one segment changed: its unit must be skipped.
    first = german[0]
    _change_german(root, "Gespräche in Miami", "Gespräche in Florida")
    code, output = _run("xliff", "import", str(out), "-p", str(root))
    assert code == 0, output
    assert f"imported {len(german) - 1} segment(s) ({len(german) - 1} reviewed" in output
    assert "skipped 1 (no current segment has this German: 1)" in output
    after = entries(root)
    for de in german[1:]:
        assert after[de]["status"] == "reviewed" and "provenance" not in after[de]
    nss = next(e for de, e in after.items() if de.startswith(NSS_DE))
    assert "National Security Strategy" in str(nss["en"])
    assert after[first]["status"] == "machine"


OMEGAT_12 = """<?xml version="1.0" encoding="UTF-8"?>
<!-- written like OmegaT / Okapi Rainbow write XLIFF 1.2 -->
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"
       xmlns:okp="okapi-framework:xliff-extensions">
 <file original="washington-ohnmacht.yaml" source-language="de-DE" target-language="en-GB"
       datatype="x-undefined" tool-id="omegat">
  <header><tool tool-id="omegat" tool-name="OmegaT" tool-version="6.0.1"/></header>
  <body>
   <group id="g1" resname="summary">
    <trans-unit id="1" approved="yes" okp:engine="none">
     <source xml:lang="de-DE">{s1}</source>
     <target xml:lang="en-GB" state="translated">{t1}</target>
     <note from="translator" priority="2">Checked against the source.</note>
    </trans-unit>
   </group>
   <trans-unit id="2">
    <source xml:lang="de-DE">{s2}</source>
    <target xml:lang="en-GB" state="needs-review-translation">{t2}</target>
    <alt-trans match-quality="100" origin="MT"><target xml:lang="en-GB">old</target></alt-trans>
   </trans-unit>
   <trans-unit id="3">
    <source xml:lang="de-DE">{s3}</source>
    <target xml:lang="en-GB" state="signed-off">{t3}</target>
   </trans-unit>
   <trans-unit id="4" approved="yes">
    <source xml:lang="de-DE">{s4}</source>
    <target xml:lang="en-GB" state="final">Edited, never matching.</target>
   </trans-unit>
  </body>
 </file>
</xliff>
"""

OKAPI_21 = """<?xml version="1.0" encoding="UTF-8"?>
<!-- written like Okapi's XLIFF 2 writer: 2.1 with a module namespace, inline codes, notes -->
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="de-DE"
       trgLang="en-GB" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0">
 <file id="f1" original="washington-ohnmacht.yaml">
  <notes><note category="general">Batch 7</note></notes>
  <unit id="tu1" name="summary">
   <mda:metadata><mda:metaGroup><mda:meta type="origin">omt</mda:meta></mda:metaGroup></mda:metadata>
   <notes><note appliesTo="target" priority="1">House style applied.</note></notes>
   <originalData><data id="d1">&lt;b&gt;</data><data id="d2">&lt;/b&gt;</data></originalData>
   <segment id="1" state="final">
    <source>{s1}</source>
    <target>{t1}</target>
   </segment>
  </unit>
  <group id="g1">
   <unit id="tu2"><segment state="translated"><source>{s2}</source><target>{t2}</target></segment></unit>
   <unit id="tu3"><segment state="reviewed"><source>{s3}</source><target>{t3}</target></segment></unit>
   <unit id="tu4"><segment state="final"><source>{s4}</source><target>Never matching.</target></segment>
   </unit>
  </group>
 </file>
</xliff>
"""


def _inline_12(text: str) -> str:
    """Wrap the first word in <g> and add an empty code, as a CAT tool keeps formatting."""
    head, _, tail = text.partition(" ")
    return f'<g id="1" ctype="bold">{head}</g><x id="2" ctype="x-lb"/> {tail}'


def _inline_21(text: str) -> str:
    head, _, tail = text.partition(" ")
    return (
        f'<pc id="1" dataRefStart="d1" dataRefEnd="d2">{head}</pc><ph id="2" disp="[br]"/>'
        f' <mrk id="m1" type="comment" value="check">{tail}</mrk>'
    )


@pytest.mark.parametrize("kind", ["omegat-1.2", "okapi-2.1"])
def test_xliff_from_other_tools(tmp_path: Path, kind: str) -> None:
    root = machine_project(tmp_path / "p")
    german = _machine_german(root)
    s1, s2, s3 = german[1], german[2], next(de for de in german if de.startswith(NSS_DE))
    s4 = german[3]
    _change_german(root, s4[:40], s4[:40].replace(" ", " XXX ", 1))  # unit 4's German changed
    inline = _inline_12 if kind == "omegat-1.2" else _inline_21
    template = OMEGAT_12 if kind == "omegat-1.2" else OKAPI_21
    xml = template.format(
        s1=inline(s1),
        t1="Reviewed &amp; improved.",
        s2=s2,
        t2="An unreviewed draft.",
        s3=s3,
        # The translator signed off an English without the glossary's term: reported.
        t3="Europe's portrayal in the national strategy questions America's reliability.",
        s4=s4,
    )
    path = tmp_path / "work.xlf"
    path.write_text(xml, encoding="utf-8")
    code, output = _run("xliff", "import", str(path), "-p", str(root))
    assert code == 0, output
    assert "imported 3 segment(s) (2 reviewed, 1 unreviewed), skipped 1" in output
    assert re.search(
        r"warning: \S*work\.xlf:\d+ unit \S+: term-missing: .*National Security", output
    )
    after = entries(root)
    assert after[s1] == {"de": s1, "en": "Reviewed & improved.", "status": "reviewed"}
    assert after[s2]["status"] == "machine" and after[s2]["en"] == "An unreviewed draft."
    assert after[s2]["provenance"] == {
        "engine": "xliff-import",
        "glossary": pytest.approx(after[s2]["provenance"]["glossary"]),
    }  # type: ignore[index]
    assert after[s3]["status"] == "reviewed"
    assert after[s4]["status"] == "machine"  # skipped: untouched


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda x: x.replace('state="final"', 'state="done"', 1), "state"),
        (
            lambda x: x.replace("<segment", "<segmnt", 1).replace("</segment>", "</segmnt>", 1),
            "segmnt",
        ),
        (lambda x: x.replace("</source>", "</sourc>", 1), "well-formed"),
    ],
)
def test_invalid_xliff_is_refused_with_a_location(
    tmp_path: Path, mutate: object, where: str
) -> None:
    root = copy_project(tmp_path / "p")
    out = tmp_path / "all.xlf"
    assert _run("xliff", "export", "--all", "-o", str(out), "-p", str(root))[0] == 0
    out.write_text(mutate(out.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    before = (root / MACHINE_FILE).read_bytes()
    code, output = _run("xliff", "import", str(out), "-p", str(root))
    assert code == 3, output
    assert re.search(r"error: .*all\.xlf:\d+:\d+: .*", output), output
    assert where in output
    assert "Traceback" not in output
    assert (root / MACHINE_FILE).read_bytes() == before


def test_tmx_export_imports_into_an_empty_project(tmp_path: Path) -> None:
    demo = copy_project(tmp_path / "demo")
    tmx = tmp_path / "demo.tmx"
    code, output = _run("tm", "export", "-o", str(tmx), "--reviewed-only", "-p", str(demo))
    assert code == 0, output
    assert "<!DOCTYPE" not in tmx.read_text(encoding="utf-8")
    empty = copy_project(tmp_path / "empty")
    shutil.rmtree(empty / "translations")
    code, output = _run("tm", "import", str(tmx), "-p", str(empty))
    assert code == 0, output
    assert "skipped 0" in output

    def reviewed(root: Path) -> dict[str, str]:
        out = {}
        for path in (root / "translations").rglob("*.yaml"):
            for e in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]:
                if e["status"] == "reviewed":
                    out[e["de"]] = e["en"]
        return out

    want = reviewed(demo)
    assert want and reviewed(empty) == want
    # Per-document files, as `translate` would write them.
    assert sorted(p.name for p in (empty / "translations").glob("*.yaml")) == sorted(
        p.name for p in (demo / "translations").glob("*.yaml")
    )


def test_tmx_import_as_machine_and_foreign_tmx(tmp_path: Path) -> None:
    root = machine_project(tmp_path / "p", spoil=False)
    german = _machine_german(root)
    foreign = f"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
 <header creationtool="SDL Trados Studio" creationtoolversion="17" segtype="sentence"
   o-tmf="SDL TM8" adminlang="en-US" srclang="de-DE" datatype="xml"/>
 <body>
  <tu tuid="7" creationdate="20260101T120000Z"><prop type="x-Client">desk</prop>
   <tuv xml:lang="de-DE"><seg><bpt i="1">&lt;b&gt;</bpt>{german[0]}<ept i="1">&lt;/b&gt;</ept></seg></tuv>
   <tuv xml:lang="en-GB"><seg>From the TM.</seg></tuv></tu>
  <tu><tuv xml:lang="de-DE"><seg>Ein Satz, den es hier nicht gibt.</seg></tuv>
   <tuv xml:lang="en-GB"><seg>Not here.</seg></tuv></tu>
 </body>
</tmx>
"""
    path = tmp_path / "foreign.tmx"
    path.write_text(foreign, encoding="utf-8")
    code, output = _run("tm", "import", str(path), "--as", "machine", "-p", str(root))
    assert code == 0, output
    assert "imported 1 segment(s) (0 reviewed, 1 unreviewed), skipped 0" in output
    # The unit no briefing uses is kept in the project memory, not skipped.
    assert "kept 1 unit(s) no briefing uses in the project memory (memory/foreign.tmx)" in output
    assert "Not here." in (root / "memory" / "foreign.tmx").read_text(encoding="utf-8")
    assert entries(root)[german[0]]["en"] == "From the TM."
    assert entries(root)[german[0]]["status"] == "machine"
    code, output = _run("tm", "import", str(path), "-p", str(root))
    assert entries(root)[german[0]]["status"] == "reviewed"
    bad = tmp_path / "bad.tmx"
    bad.write_text(foreign.replace('segtype="sentence"', 'segtype="word"'), encoding="utf-8")
    code, output = _run("tm", "import", str(bad), "-p", str(root))
    assert code == 3 and re.search(r"bad\.tmx:[34]:\d+: ", output), output
