"""Import/export: CSV, TSV and TBX (v3 and v2) round trips, parsing rules, conflict modes."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefpack.errors import InputError, UsageError
from briefpack.glossary.exchange import export_terms, format_for, import_terms, read_terms
from briefpack.glossary.formats import ConflictMode, ExchangeFormat
from briefpack.glossary.load import load_glossary

REPO = Path(__file__).resolve().parents[2]
NS = "{urn:iso:std:iso:30042:ed-2}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"

SMALL = """\
# small glossary
version: 1
terms:
  - de: Waffenstillstand
    en: ceasefire
    forms: [Waffenruhe]
    avoid: [truce]
    compound: true
    note: "Also for Waffenruhe."
  - de: Bundestag
    keep: true
  - de: EUV
    en: TEU
    case_sensitive: true
"""


@pytest.fixture
def glossary_path(tmp_path: Path) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def specs(path: Path) -> list[tuple[object, ...]]:
    return [
        (t.de, t.en, t.forms, t.avoid, t.compound, t.case_sensitive, t.keep, t.note)
        for t in load_glossary(path)
    ]


# --- export ------------------------------------------------------------------------------


def test_csv_and_tsv_exports(glossary_path: Path, tmp_path: Path) -> None:
    assert export_terms(glossary_path, tmp_path / "g.csv") == 3
    assert (tmp_path / "g.csv").read_text(encoding="utf-8") == (
        "de,en\nWaffenstillstand,ceasefire\nBundestag,Bundestag\nEUV,TEU\n"
    )
    export_terms(glossary_path, tmp_path / "g.tsv", header=False)
    assert (tmp_path / "g.tsv").read_text(encoding="utf-8") == (
        "Waffenstillstand\tceasefire\nBundestag\tBundestag\nEUV\tTEU\n"
    )


def test_csv_quotes_commas(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text('version: 1\nterms:\n  - {de: "Krieg, heißer", en: "war, hot"}\n')
    export_terms(path, tmp_path / "g.csv")
    assert (tmp_path / "g.csv").read_text() == 'de,en\n"Krieg, heißer","war, hot"\n'
    assert [i.spec.en for i in read_terms(tmp_path / "g.csv")] == ["war, hot"]


def test_tbx_v3_structure(glossary_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.tbx"
    export_terms(glossary_path, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<?xml-model href=')
    root = ET.fromstring(text.encode())
    assert root.tag == NS + "tbx"
    assert (root.get("type"), root.get("style"), root.get(LANG)) == ("TBX-Basic", "dca", "de")
    assert root.find(f"{NS}tbxHeader/{NS}fileDesc/{NS}sourceDesc/{NS}p") is not None
    entries = root.findall(f"{NS}text/{NS}body/{NS}conceptEntry")
    assert len(entries) == 3
    first = entries[0]
    assert first.get("id", "").startswith("c-")
    notes = [n.text for n in first.findall(f"{NS}note")]
    assert notes == ["Also for Waffenruhe.", first.findall(f"{NS}note")[1].text]
    assert "[briefpack:compound]" in (notes[1] or "")
    de_sec, en_sec = first.findall(f"{NS}langSec")
    assert (de_sec.get(LANG), en_sec.get(LANG)) == ("de", "en")

    def terms(sec: ET.Element) -> list[tuple[str | None, str | None]]:
        return [
            (ts.findtext(f"{NS}term"), ts.findtext(f"{NS}termNote[@type='administrativeStatus']"))
            for ts in sec.findall(f"{NS}termSec")
        ]

    assert terms(de_sec) == [
        ("Waffenstillstand", "preferredTerm-admn-sts"),
        ("Waffenruhe", "admittedTerm-admn-sts"),
    ]
    assert terms(en_sec) == [
        ("ceasefire", "preferredTerm-admn-sts"),
        ("truce", "deprecatedTerm-admn-sts"),
    ]
    assert "[briefpack:keep]" in (entries[1].findtext(f"{NS}note") or "")


def test_tbx_v2_structure(glossary_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.tbx"
    export_terms(glossary_path, out, "tbx2")
    text = out.read_text(encoding="utf-8")
    assert '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">' in text
    root = ET.fromstring(text.encode())
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    entry = root.find("text/body/termEntry")
    assert entry is not None
    tigs = entry.findall("langSet/tig")
    assert [t.findtext("term") for t in tigs] == [
        "Waffenstillstand",
        "Waffenruhe",
        "ceasefire",
        "truce",
    ]


def test_export_refuses_to_overwrite_the_glossary(glossary_path: Path) -> None:
    with pytest.raises(UsageError):
        export_terms(glossary_path, glossary_path, "csv")


# --- round trips -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["tbx", "tbx2"])
def test_tbx_round_trip_is_lossless(tmp_path: Path, fmt: str) -> None:
    source = REPO / "glossary.yaml"
    out = tmp_path / "demo.tbx"
    export_terms(source, out, fmt)
    target = tmp_path / "glossary.yaml"
    report = import_terms(target, out, "tbx")
    assert len(report.added) == len(load_glossary(source))
    assert specs(target) == specs(source)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
@pytest.mark.parametrize("header", [True, False])
def test_table_round_trip_keeps_pairs(tmp_path: Path, fmt: str, header: bool) -> None:
    source = REPO / "glossary.yaml"
    out = tmp_path / f"demo.{fmt}"
    export_terms(source, out, header=header)
    target = tmp_path / "glossary.yaml"
    import_terms(target, out)
    pairs = [(t.de, t.en) for t in load_glossary(target)]
    assert pairs == [(t.de, t.en) for t in load_glossary(source)]
    # Importing again into the original changes nothing.
    again = tmp_path / "again.yaml"
    shutil.copy(source, again)
    report = import_terms(again, out)
    assert report.added == () and len(report.unchanged) == len(pairs)
    assert again.read_bytes() == source.read_bytes()


# --- reading rules -----------------------------------------------------------------------


def test_headerless_csv_ignores_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "deepl.csv"
    path.write_text("Pufferzone,buffer zone,de,en\nSchattenflotte,shadow fleet\n\n")
    items = read_terms(path)
    assert [(i.spec.de, i.spec.en, i.line) for i in items] == [
        ("Pufferzone", "buffer zone", 1),
        ("Schattenflotte", "shadow fleet", 2),
    ]
    assert items[0].fields == frozenset({"de", "en"})


def test_header_maps_named_columns(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_bytes(
        b"\xef\xbb\xbfen-GB,de-DE,Notes,Avoid,Forms,Keep,Origin\n"
        b"shadow fleet,Schattenflotte,Oil tankers,ghost fleet;dark fleet,Schattenflotten,no,x\n"
        b"Bundeswehr,Bundeswehr,,,,yes,\n"
    )
    shadow, army = (i.spec for i in read_terms(path))
    assert (shadow.de, shadow.en, shadow.note, shadow.avoid, shadow.forms) == (
        "Schattenflotte",
        "shadow fleet",
        "Oil tankers",
        ("ghost fleet", "dark fleet"),
        ("Schattenflotten",),
    )
    assert army.keep and not shadow.keep


def test_tsv_is_read_without_quote_handling(tmp_path: Path) -> None:
    path = tmp_path / "terms.tsv"
    path.write_text('de\ten\n"Koalition der Willigen"\t"coalition of the willing"\n')
    [item] = read_terms(path)
    assert item.spec.de == '"Koalition der Willigen"'


def test_unusable_rows_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Pufferzone\n,buffer zone\nKrim,Crimea\nKrim,the Crimea\n")
    with pytest.raises(InputError) as info:
        read_terms(path)
    assert [(p.line, p.message) for p in info.value.problems] == [
        (1, "'Pufferzone': missing the English term"),
        (2, "missing the German term (column 1)"),
    ]


def test_one_german_term_for_two_concepts_becomes_one_entry(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("Krim,Crimea\nKrim,the Crimea\nKrim,Crimea\n")
    [item] = read_terms(path)
    assert (item.spec.en, item.spec.accept) == ("Crimea", ("the Crimea",))
    assert item.spec.note == "another concept (line 2): the Crimea"


def test_foreign_tbx_v2_with_doctype_imports(tmp_path: Path) -> None:
    path = tmp_path / "memoq.tbx"
    path.write_text(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE martif PUBLIC "ISO 12200:1999A//DTD MARTIF core (DXFcdV04)//EN" "x.dtd">\n'
        '<martif type="TBX"><text><body>\n'
        '<termEntry id="t1"><descrip type="definition">Truppe zur Absicherung</descrip>\n'
        '<langSet xml:lang="de-DE"><ntig><termGrp><term>Sicherungstruppe</term></termGrp></ntig>'
        "</langSet>\n"
        '<langSet xml:lang="en-GB"><tig><term>security force</term></tig>'
        "<tig><term>peacekeeping force</term>"
        '<termNote type="administrativeStatus">forbidden</termNote></tig></langSet>\n'
        "</termEntry></body></text></martif>\n",
        encoding="utf-8",
    )
    [item] = read_terms(path)
    assert (item.spec.de, item.spec.en, item.spec.avoid, item.spec.note) == (
        "Sicherungstruppe",
        "security force",
        ("peacekeeping force",),
        "Truppe zur Absicherung",
    )


def test_tbx_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.tbx"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE tbx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<tbx><text><body/></text></tbx>\n"
    )
    with pytest.raises(InputError, match="refused for safety"):
        read_terms(path)


def test_malformed_tbx_has_a_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.tbx"
    path.write_text("<tbx>\n<text><body>\n</tbx>\n")
    with pytest.raises(InputError) as info:
        read_terms(path)
    assert info.value.problems[0].line == 3


def test_format_from_extension() -> None:
    assert format_for(Path("a.CSV"), None) is ExchangeFormat.CSV
    assert format_for(Path("a.tab"), None) is ExchangeFormat.TSV
    assert format_for(Path("a.xml"), "tbx2") is ExchangeFormat.TBX2
    with pytest.raises(UsageError):
        format_for(Path("a.xlsx"), None)
    with pytest.raises(UsageError):
        format_for(Path("a.csv"), "xlsx")


# --- conflict modes ----------------------------------------------------------------------


def conflict_file(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    path.write_text("de,en,note\nWaffenstillstand,cease-fire,Their note\nPufferzone,buffer zone,\n")
    return path


def test_on_conflict_fail_imports_nothing(glossary_path: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        import_terms(glossary_path, conflict_file(tmp_path), on_conflict="fail", root=tmp_path)
    [problem] = info.value.problems
    assert problem.message == (
        "'Waffenstillstand': the glossary has 'ceasefire' (glossary.yaml:4), "
        "the file has 'cease-fire'"
    )
    assert problem.line == 2
    assert glossary_path.read_text() == SMALL


def test_on_conflict_skip_keeps_ours(glossary_path: Path, tmp_path: Path) -> None:
    report = import_terms(glossary_path, conflict_file(tmp_path), on_conflict=ConflictMode.SKIP)
    assert (report.added, report.skipped) == (("Pufferzone",), ("Waffenstillstand",))
    glossary = load_glossary(glossary_path)
    assert glossary.get("Waffenstillstand").en == "ceasefire"  # type: ignore[union-attr]
    assert glossary_path.read_text().startswith(SMALL)  # appended only


def test_on_conflict_replace_takes_the_fields_the_file_carries(
    glossary_path: Path, tmp_path: Path
) -> None:
    report = import_terms(glossary_path, conflict_file(tmp_path), on_conflict="replace")
    assert report.replaced == ("Waffenstillstand",)
    term = load_glossary(glossary_path).get("Waffenstillstand")
    assert term is not None
    # en and note came from the file; forms, avoid and compound were not in it and stay.
    assert (term.en, term.note, term.forms, term.compound) == (
        "cease-fire",
        "Their note",
        ("Waffenruhe",),
        True,
    )


def test_replace_cannot_retranslate_a_form(glossary_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("Waffenruhe,lull\n")
    with pytest.raises(InputError, match="conflict"):
        import_terms(glossary_path, path, on_conflict="replace")
    assert import_terms(glossary_path, path, on_conflict="skip").skipped == ("Waffenruhe",)


def test_replace_that_contradicts_the_entry_is_refused(glossary_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("Waffenstillstand,truce\n")  # the entry avoids "truce"
    with pytest.raises(InputError) as info:
        import_terms(glossary_path, path, on_conflict="replace")
    assert info.value.problems[0].code == "avoid-self"
    assert glossary_path.read_text() == SMALL


def test_same_english_merges_forms_and_avoid(glossary_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "de,en,forms,avoid\nWaffenstillstand,ceasefire,Waffenstillstände|Waffenruhe,armistice\n"
    )
    report = import_terms(glossary_path, path)
    assert report.merged == ("Waffenstillstand",)
    term = load_glossary(glossary_path).get("Waffenstillstand")
    assert term is not None
    assert term.forms == ("Waffenruhe", "Waffenstillstände")
    assert term.avoid == ("truce", "armistice")
