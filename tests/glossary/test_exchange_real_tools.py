"""Glossary exchange with the files real tools write: DeepL's exports, German Excel, IATE TBX."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.errors import InputError
from briefpack.glossary.english import english_has_term, find_avoided
from briefpack.glossary.exchange import export_terms, import_terms, read_exchange, read_terms
from briefpack.glossary.exchange.table import sniff_delimiter
from briefpack.glossary.load import load_glossary
from tests.support import REPO

FIXTURES = REPO / "tests" / "fixtures" / "exchange"
runner = CliRunner()


def pairs(path: Path) -> list[tuple[str, str | None]]:
    return [(i.spec.de, i.spec.en) for i in read_terms(path)]


# --- DeepL -------------------------------------------------------------------------------


def test_deepl_english_to_german_export_is_not_reversed() -> None:
    items, read_as = read_exchange(FIXTURES / "deepl-en-de.csv")
    assert [(i.spec.de, i.spec.en) for i in items] == [
        ("Waffenstillstand", "ceasefire"),
        ("Sicherheitsgarantien", "security guarantees"),
        ("Koalition der Willigen", "coalition of the willing"),
        ("Schattenflotte", "shadow fleet"),
        ("„Friedens“-Plan", '"peace" plan'),
    ]
    assert read_as == (
        "CSV: comma-separated, UTF-8, no header row, DeepL export (5 rows with language columns)"
    )


def test_deepl_generator_export_skips_other_pairs() -> None:
    items, read_as = read_exchange(FIXTURES / "deepl-generator.csv")
    assert [(i.spec.de, i.spec.en) for i in items] == [
        ("Pufferzone", "buffer zone"),
        ("Frontlinie", "front line"),
        ("Abschreckung", "deterrence"),  # EN-GB is English
    ]
    assert read_as.endswith(
        "DeepL export (4 rows with language columns), 1 rows of other language pairs skipped"
    )


def test_source_target_header_does_not_override_language_columns(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text('source,target,source_lang,target_lang\n"truce","Waffenruhe","EN","DE"\n')
    assert pairs(path) == [("Waffenruhe", "truce")]


def test_deepl_export_is_headerless_and_lists_forms(tmp_path: Path) -> None:
    out = tmp_path / "deepl.csv"
    export_terms(REPO / "glossary.yaml", out, "csv", columns="deepl")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    glossary = load_glossary(REPO / "glossary.yaml")
    assert all(len(r) == 2 for r in rows)
    assert rows[0] == [glossary.terms[0].de, glossary.terms[0].en]  # no header row
    expected = [[v, t.en] for t in glossary for v in t.variants]
    assert rows == expected
    assert len({r[0] for r in rows}) == len(rows)  # DeepL refuses duplicate source entries
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")


# --- German Excel ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("excel-semikolon-bom.csv", "UTF-8 with BOM"), ("excel-semikolon-cp1252.csv", "Windows-1252")],
)
def test_german_excel_semicolon_csv(name: str, encoding: str) -> None:
    items, read_as = read_exchange(FIXTURES / name)
    assert read_as.startswith(f"CSV: semicolon-separated, {encoding}")
    assert read_as.endswith("header row") and "no header" not in read_as
    ruhe, fund, war, block = (i.spec for i in items)
    assert (ruhe.de, ruhe.en, ruhe.avoid, ruhe.forms) == (
        "Waffenruhe",
        "ceasefire",
        ("truce", "armistice"),
        ("Feuerpause",),
    )
    assert ruhe.note == "Auch für „Feuerpause“, nicht „Frieden“"
    assert (fund.de, fund.note) == ("Sondervermögen", "Bundeswehr, 100 Mrd. €")
    assert (war.de, war.en) == ("Krieg; heißer", "war; hot")  # quoted semicolons stay
    assert block.forms == ("Straßenblockaden",)


def test_sniffing_prefers_the_delimiter_that_splits_evenly() -> None:
    assert sniff_delimiter("de;en;note\nKrieg;war;hot, cold\nFrieden;peace;\n") == ";"
    assert sniff_delimiter("de,en\nKrieg,war\n") == ","
    assert sniff_delimiter("de\ten\nKrieg\twar, hot\n") == "\t"


def test_bytes_neither_utf8_nor_cp1252_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"Krieg,war\x81\xff\n")
    with pytest.raises(InputError, match="neither UTF-8 nor Windows-1252"):
        read_terms(path)


# --- TBX ---------------------------------------------------------------------------------


def test_iate_tbx_admitted_and_deprecated_terms() -> None:
    items, read_as = read_exchange(FIXTURES / "iate-export.tbx")
    assert read_as == "TBX v2 (martif)"
    cease, deter = (i.spec for i in items)
    assert (cease.de, cease.en) == ("Waffenstillstand", "ceasefire")
    assert cease.forms == ("Waffenruhe",)  # admitted German: a form
    assert cease.accept == ("cessation of hostilities",)  # admitted English: accepted
    assert cease.avoid == ("truce",)  # deprecated English: avoid
    assert cease.note == "vorläufige Einstellung der Kampfhandlungen"  # not the subject field
    assert (deter.de, deter.en, deter.avoid, deter.accept) == (
        "Abschreckung",
        "deterrence",
        ("dissuasion",),  # superseded
        (),
    )


def test_tbx_v3_dct_basic_statuses() -> None:
    [item], read_as = read_exchange(FIXTURES / "basic-dct.tbx")
    assert read_as == "TBX v3 (TBX-Basic, dct)"
    spec = item.spec
    assert (spec.de, spec.en, spec.forms, spec.accept, spec.avoid) == (
        "Sicherheitsgarantie",
        "security guarantee",
        ("Sicherheitszusage",),
        ("security assurance",),
        ("safety guarantee",),
    )


def test_imported_accept_variants_count_as_the_term(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.yaml"
    import_terms(glossary, FIXTURES / "iate-export.tbx")
    text = glossary.read_text(encoding="utf-8")
    assert "accept:" in text
    term = load_glossary(glossary).get("Waffenstillstand")
    assert term is not None and term.accept == ("cessation of hostilities",)
    assert english_has_term(term, "A cessation of hostilities was agreed.")
    assert not english_has_term(term, "A pause was agreed.")
    assert find_avoided(term, "The truce held.") == ["truce"]
    # Exported again as TBX, the admitted English term survives.
    out = tmp_path / "again.tbx"
    export_terms(glossary, out)
    again = {i.spec.de: i.spec for i in read_terms(out)}
    assert again["Waffenstillstand"].accept == ("cessation of hostilities",)


def test_all_columns_round_trip_is_lossless(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.yaml"
    import_terms(glossary, FIXTURES / "iate-export.tbx")
    import_terms(glossary, FIXTURES / "excel-semikolon-bom.csv")
    source = load_glossary(glossary)
    for fmt in ("csv", "tsv"):
        out = tmp_path / f"all.{fmt}"
        export_terms(glossary, out, fmt, columns="all")
        header = out.read_text(encoding="utf-8").splitlines()[0]
        assert header.replace("\t", ",") == (
            "de,en,accept,forms,avoid,keep,compound,case_sensitive,note"
        )
        target = tmp_path / f"{fmt}.yaml"
        import_terms(target, out)
        assert [t.to_spec() for t in load_glossary(target)] == [t.to_spec() for t in source]


def test_cli_import_says_how_it_read_the_file(tmp_path: Path) -> None:
    (tmp_path / "briefings").mkdir()
    (tmp_path / "glossary.yaml").write_text("version: 1\nterms: []\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["glossary", "import", str(FIXTURES / "excel-semikolon-bom.csv"), "-p", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "imported excel-semikolon-bom.csv (CSV: semicolon-separated, UTF-8 with BOM, header "
        "row): 4 added, 0 replaced, 0 merged, 0 skipped, 0 unchanged"
    )
    out = tmp_path / "deepl.csv"
    result = runner.invoke(
        app, ["glossary", "export", "-o", str(out), "--columns", "deepl", "-p", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[0] == "Waffenruhe,ceasefire"
    result = runner.invoke(
        app,
        [
            "glossary",
            "export",
            "-o",
            str(tmp_path / "x.tbx"),
            "--columns",
            "all",
            "-p",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2 and "for CSV and TSV" in result.output


# --- A termbase with unusable entries: partial import, --strict ----------------------------


def _glossary_project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    (root / "glossary.yaml").write_text("version: 1\nterms: []\n", encoding="utf-8")
    (root / "briefings").mkdir()
    return root


def test_a_termbase_imports_its_sound_entries_and_lists_the_others(tmp_path: Path) -> None:
    root = _glossary_project(tmp_path)
    path = FIXTURES / "multiterm-partial.tbx"
    result = runner.invoke(app, ["glossary", "import", str(path), "-p", str(root)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "3 added" in out and "2 refused" in out
    assert "refused: " in out and ":16:1: termEntry[1] id=c102: no German term" in out
    assert "termEntry[4] id=c105: 'Pufferzone': no usable English term" in out
    assert "joined: Garantie: several concepts in the file" in out
    glossary = load_glossary(root / "glossary.yaml")
    garantie = next(t for t in glossary if t.de == "Garantie")
    assert (garantie.en, garantie.accept) == ("guarantee", ("warranty",))
    assert "another concept (line 24): warranty — Gewährleistung eines Herstellers" in str(
        garantie.note
    )
    assert {t.de for t in glossary} == {"Abschreckung", "Garantie", "Schattenflotte"}


def test_strict_imports_nothing_from_a_termbase_with_unusable_entries(tmp_path: Path) -> None:
    root = _glossary_project(tmp_path)
    before = (root / "glossary.yaml").read_bytes()
    path = FIXTURES / "multiterm-partial.tbx"
    result = runner.invoke(app, ["glossary", "import", str(path), "--strict", "-p", str(root)])
    assert result.exit_code == 3, result.output
    assert result.output.strip().splitlines()[-1].endswith("nothing imported (--strict)")
    assert (root / "glossary.yaml").read_bytes() == before


def test_tbx2_export_is_read_back_by_translate_toolkit(tmp_path: Path) -> None:
    # translate-toolkit (GPL-3.0, test-only) reads TBX v2 (martif), as most CAT tools do.
    from translate.storage import tbx

    out = tmp_path / "glossary.tbx"
    export_terms(REPO / "glossary.yaml", out, "tbx2")
    store = tbx.tbxfile.parsestring(out.read_bytes())
    glossary = load_glossary(REPO / "glossary.yaml")
    assert [(str(u.source), str(u.target)) for u in store.units] == [(t.de, t.en) for t in glossary]
