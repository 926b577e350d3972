"""The project memory: exact fill before MT, fuzzy and repaired matches, where they show."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.prepare import prepare
from briefpack.translation.exchange.xliff import SCHEMA_2, SCHEMA_12, SCHEMA_MATCHES, schema
from briefpack.util.paths import find_project
from briefpack.util.xmlio import read_xml
from tests.support import (
    REVIEWED_DE,
    REVIEWED_EN,
    REWORDED_DE,
    copy_project,
    reword_reviewed,
)

runner = CliRunner()

EU_90 = "Die EU stellt 90 Milliarden Euro bereit."
EU_90_EN = "The EU is providing 90 billion euros."


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _tmx(units: list[tuple[str, str]], *, date: str = "20250301T101500Z") -> str:
    body = "".join(
        f'  <tu creationdate="{date}"><tuv xml:lang="de-DE"><seg>{de}</seg></tuv>'
        f'<tuv xml:lang="en-GB"><seg>{en}</seg></tuv></tu>\n'
        for de, en in units
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        ' <header creationtool="memoQ" creationtoolversion="10" segtype="sentence"'
        ' o-tmf="memoQ" adminlang="en" srclang="de-DE" datatype="plaintext"/>\n'
        f" <body>\n{body} </body>\n</tmx>\n"
    )


@pytest.fixture(scope="module")
def reworded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("reworded") / "p")
    reword_reviewed(root)
    return root


def test_reworded_sentence_matches_in_review_list(reworded: Path) -> None:
    code, output = _run("review", "list", "-p", str(reworded))
    assert code == 0, output
    block = output.split(f"de: {REWORDED_DE}", 1)[1].split("\n\n", 1)[0]
    found = re.search(r"memory (\d+) \(fuzzy, reviewed, translations/packs/\S+\): (.*)", block)
    assert found, output
    assert int(found.group(1)) >= 90 and found.group(2) == REVIEWED_EN


def test_tm_lookup_json_has_the_promised_keys(reworded: Path) -> None:
    code, output = _run("tm", "lookup", REWORDED_DE, "--json", "-p", str(reworded))
    assert code == 0, output
    matches = json.loads(output)
    best = matches[0]
    assert {"score", "de", "en", "origin", "status", "diff"} <= best.keys()
    assert best["score"] == 95 and best["de"] == REVIEWED_DE and best["en"] == REVIEWED_EN
    assert best["status"] == "reviewed" and best["origin"].startswith("translations/")
    # The diff rebuilds both Germans and marks the one word that differs.
    assert "".join(p["text"] for p in best["diff"]) == REWORDED_DE
    assert "".join(p["memory"] for p in best["diff"]) == REVIEWED_DE
    changed = [p for p in best["diff"] if p["op"] != "equal"]
    assert [(p["op"], p["text"].strip(), p["memory"].strip()) for p in changed] == [
        ("replace", "Verhandlungen", "Gespräche")
    ]
    # --min and --limit; and the sentence from stdin.
    code, output = _run("tm", "lookup", REWORDED_DE, "--json", "--min", "96", "-p", str(reworded))
    assert code == 0 and json.loads(output) == []
    result = runner.invoke(
        app, ["tm", "lookup", "-", "--limit", "1", "-p", str(reworded)], input=REWORDED_DE + "\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("95  fuzzy  reviewed  translations/")
    assert "1 match(es) of 75 or more" in result.output


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_xliff_carries_the_match(reworded: Path, tmp_path: Path, version: str) -> None:
    out = tmp_path / f"open{version}.xlf"
    code, output = _run(
        "xliff", "export", "--machine", "--version", version, "-o", str(out), "-p", str(reworded)
    )
    assert code == 0, output
    tree = read_xml(out, out.name)
    strict = schema(SCHEMA_2 if version == "2.1" else SCHEMA_12)
    assert strict.validate(tree), strict.error_log  # type: ignore[attr-defined]
    ns = {
        "x2": "urn:oasis:names:tc:xliff:document:2.0",
        "x1": "urn:oasis:names:tc:xliff:document:1.2",
        "mtc": "urn:oasis:names:tc:xliff:matches:2.0",
    }
    if version == "2.1":
        # The Translation Candidates module's schema checks the matches themselves.
        module = schema(SCHEMA_MATCHES)
        assert module.validate(tree), module.error_log  # type: ignore[attr-defined]
        broken = read_xml(out, out.name)
        for match in broken.iter("{urn:oasis:names:tc:xliff:matches:2.0}match"):
            del match.attrib["ref"]
        assert not module.validate(broken) and strict.validate(broken)  # type: ignore[attr-defined]
        [unit] = tree.xpath(
            "//x2:unit[x2:segment/x2:source[contains(., 'Verhandlungen')]]", namespaces=ns
        )
        [match] = unit.xpath("mtc:matches/mtc:match", namespaces=ns)
        assert match.get("matchQuality") == "95" and match.get("type") == "tm"
        assert match.get("ref") == "#s1" and unit.xpath("x2:segment/@id", namespaces=ns) == ["s1"]
        assert match.xpath("string(x2:source)", namespaces=ns) == REVIEWED_DE
        assert match.xpath("string(x2:target)", namespaces=ns) == REVIEWED_EN
    else:
        [tu] = tree.xpath("//x1:trans-unit[x1:source[contains(., 'Verhandlungen')]]", namespaces=ns)
        [alt] = tu.xpath("x1:alt-trans", namespaces=ns)
        assert alt.get("match-quality") == "95"
        assert alt.xpath("string(x1:source)", namespaces=ns) == REVIEWED_DE
        assert alt.xpath("string(x1:target)", namespaces=ns) == REVIEWED_EN
    # The export still imports: the alternatives are not taken for the target.
    code, output = _run("xliff", "import", str(out), "-p", str(reworded))
    assert code == 0, output


def test_repaired_match_writes_the_new_number_the_english_way(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    tmx = tmp_path / "org.tmx"
    tmx.write_text(
        _tmx([(EU_90, EU_90_EN), ("Die Gespräche finden im Mai statt.", "The talks are in May.")]),
        encoding="utf-8",
    )
    code, output = _run("tm", "import", str(tmx), "-p", str(root))
    assert code == 0, output
    code, output = _run(
        "tm", "lookup", "Die EU stellt 50 Milliarden Euro bereit.", "--json", "-p", str(root)
    )
    assert code == 0, output
    [match] = json.loads(output)
    assert match["kind"] == "repaired" and match["en"] == "The EU is providing 50 billion euros."
    assert match["memory_en"] == EU_90_EN and match["de"] == EU_90
    assert match["score"] == 88  # 1 of 8 tokens replaced
    assert match["origin"] == "org.tmx" and match["date"] == "2025-03-01"
    code, output = _run(
        "tm", "lookup", "Die EU stellt 1.500 Milliarden Euro bereit.", "--json", "-p", str(root)
    )
    assert json.loads(output)[0]["en"] == "The EU is providing 1,500 billion euros."
    # A month is an anchor too; a word that is none is not repaired.
    code, output = _run(
        "tm", "lookup", "Die Gespräche finden im Juni statt.", "--json", "-p", str(root)
    )
    assert json.loads(output)[0]["en"] == "The talks are in June."
    code, output = _run(
        "tm", "lookup", "Die EU stellt 90 Milliarden Dollar bereit.", "--json", "-p", str(root)
    )
    assert [(m["kind"], m["en"]) for m in json.loads(output)] == [("fuzzy", EU_90_EN)]


def test_repaired_match_takes_the_new_glossary_term_in_its_number(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    tmx = tmp_path / "terms.tmx"
    tmx.write_text(
        _tmx(
            [
                (
                    "Die Ukraine fordert belastbare Sicherheitsgarantien von den Partnern.",
                    "Ukraine is demanding robust security guarantees from its partners.",
                )
            ]
        ),
        encoding="utf-8",
    )
    assert _run("tm", "import", str(tmx), "-p", str(root))[0] == 0
    code, output = _run(
        "tm",
        "lookup",
        "Die Ukraine fordert belastbare Waffenstillstände von den Partnern.",
        "--json",
        "-p",
        str(root),
    )
    assert code == 0, output
    [match] = json.loads(output)
    assert match["kind"] == "repaired", match
    assert match["en"] == "Ukraine is demanding robust ceasefires from its partners."


def test_tmx_units_no_briefing_uses_land_in_memory_and_fill_a_new_briefing(
    tmp_path: Path,
) -> None:
    root = copy_project(tmp_path / "p")
    sentences = {
        "Neue Lage in Moldau": "New situation in Moldova",
        "Die Regierung in Chișinău bittet um Hilfe.": "The government in Chișinău asks for help.",
        "Die Lage bleibt angespannt.": "The situation remains tense.",
        "Es gibt keine Einigung.": "There is no agreement.",
        "Wir brauchen Geduld.": "We need patience.",
        "Die Lage wird sich nicht schnell ändern.": "The situation will not change quickly.",
        "Ein Diplomat": "A diplomat",
    }
    tmx = tmp_path / "Org Memory.tmx"
    tmx.write_text(_tmx(list(sentences.items())), encoding="utf-8")
    code, output = _run("tm", "import", str(tmx), "-p", str(root))
    assert code == 0, output
    assert "skipped 0" in output
    assert "kept 7 unit(s) no briefing uses in the project memory (memory/Org-Memory.tmx)" in output
    stored = (root / "memory" / "Org-Memory.tmx").read_text(encoding="utf-8")
    germans = re.findall(r'<tuv xml:lang="de">\s*<seg>(.*?)</seg>', stored)
    assert germans == sorted(sentences, key=lambda s: (s.casefold(), s))  # small diffs
    assert 'changedate="20250301T000000Z"' in stored and "x-briefpack-origin" in stored
    # Importing the same file again changes nothing on disk.
    assert _run("tm", "import", str(tmx), "-p", str(root))[0] == 0
    assert (root / "memory" / "Org-Memory.tmx").read_text(encoding="utf-8") == stored

    briefing = {
        "id": "moldau",
        "title": "Neue Lage in Moldau",
        "source": {
            "file": "seeds/000-mearsheimer-diplomatie.txt",
            "outlet": None,
            "author": None,
            "published": None,
            "url": None,
        },
        "summary": "Die Regierung in Chișinău bittet um Hilfe. Die Lage bleibt angespannt.",
        "key_points": ["Es gibt keine Einigung."],
        "quotes": [{"text": "Wir brauchen Geduld.", "speaker": "Ein Diplomat"}],
        "assessment": "Die Lage wird sich nicht schnell ändern.",
    }
    (root / "briefings" / "moldau.yaml").write_text(
        yaml.safe_dump(briefing, allow_unicode=True), encoding="utf-8"
    )
    # No model is installed: everything comes from the memory, nothing goes to the machine.
    code, output = _run("translate", "-p", str(root))
    assert code == 0, output
    assert "filled 7 segment(s) from the project memory" in output
    assert "translated 0 segment(s)" in output
    saved = yaml.safe_load((root / "translations" / "moldau.yaml").read_text(encoding="utf-8"))
    by_de = {e["de"]: e for e in saved["entries"]}
    entry = by_de["Die Lage bleibt angespannt."]
    assert entry["en"] == "The situation remains tense." and entry["status"] == "reviewed"
    assert entry["provenance"]["engine"] == "memory"
    assert entry["provenance"]["origin"] == "Org Memory.tmx"
    assert entry["provenance"]["date"] == "2025-03-01"
    # Whole export: translations/ and memory/.
    out = tmp_path / "all.tmx"
    code, output = _run("tm", "export", str(out), "-p", str(root))
    assert code == 0, output
    assert "Wir brauchen Geduld." in out.read_text(encoding="utf-8")


def test_build_report_counts_memory_fills(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    # One sentence of the pack loses its translation; the project memory (a TMX file put
    # into memory/ by hand) still has it.
    (root / "memory").mkdir()
    (root / "memory" / "one.tmx").write_text(_tmx([(REVIEWED_DE, REVIEWED_EN)]), encoding="utf-8")
    path = root / "translations" / "packs" / "ukraine-sicherheitsgarantien.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["entries"] = [e for e in data["entries"] if e["de"] != REVIEWED_DE]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    prepared = prepare(find_project(root), engine_factory=None)
    assert (prepared.memory, prepared.translated) == (1, 0)
    assert prepared.segments["missing"] == 0


@pytest.mark.slow
def test_build_fills_from_the_memory_and_reports_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    (root / "memory").mkdir()
    (root / "memory" / "one.tmx").write_text(_tmx([(REVIEWED_DE, REVIEWED_EN)]), encoding="utf-8")
    path = root / "translations" / "packs" / "ukraine-sicherheitsgarantien.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["entries"] = [e for e in data["entries"] if e["de"] != REVIEWED_DE]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = tmp_path / "r.json"
    code, output = _run("build", "--format", "html", "--report", str(report), "-p", str(root))
    assert code == 0, output
    assert "filled 1 segment(s) from the project memory" in output
    body = json.loads(report.read_text(encoding="utf-8"))
    assert (body["memory"], body["translated"]) == (1, 0)
    entry = next(
        e
        for e in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]
        if e["de"] == REVIEWED_DE
    )
    assert entry["status"] == "reviewed" and entry["provenance"]["engine"] == "memory"
    assert entry["provenance"]["origin"] == "memory/one.tmx"
