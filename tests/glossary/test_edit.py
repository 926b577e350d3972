"""Comment-preserving edits: add, set, remove; validation; concurrent writers."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefpack.errors import InputError, UsageError
from briefpack.glossary.edit import add_term, remove_term, set_term
from briefpack.glossary.load import load_glossary
from briefpack.glossary.model import TermNotFoundError, TermSpec

REPO = Path(__file__).resolve().parents[2]

HAND_EDITED = """\
# Team glossary -- hand-maintained.   Odd   spacing stays.
version: 1

terms:
  # --- Diplomacy ---
  - de: Waffenstillstand          # German base form
    en: ceasefire                 # approved English
    forms: [Waffenstillstands, Waffenruhe]   # variants
    avoid: [truce, armistice]
    compound: true
    note: 'single-quoted: kept as is'

  # --- Places ---
  - de: Kiew
    en: Kyiv
    avoid:
      - Kiev
  - de: Krim   # no note yet
    en: Crimea
# trailing comment at the end of the file
"""


def write(tmp_path: Path, text: str, name: str = "glossary.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """Return the (removed, added) lines of a diff."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


# --- add -----------------------------------------------------------------------------------


def test_add_to_the_demo_glossary_only_adds_lines(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    shutil.copy(REPO / "glossary.yaml", path)
    before = path.read_text(encoding="utf-8")
    term = add_term(
        path,
        TermSpec(
            de="Stationierung",
            en="deployment",
            forms=("Stationierungen",),
            avoid=("stationing",),
            note="Of troops: 'deployment'; 'stationing' only for permanent bases.",
        ),
    )
    after = path.read_text(encoding="utf-8")
    removed, added = changed_lines(before, after)
    assert removed == []
    assert added == [
        "  - de: Stationierung",
        "    en: deployment",
        "    forms: [Stationierungen]",
        "    avoid: [stationing]",
        "    note: \"Of troops: 'deployment'; 'stationing' only for permanent bases.\"",
    ]
    assert after.startswith(before.rstrip("\n"))  # appended at the end of terms
    assert term.line == len(before.splitlines()) + 1
    assert load_glossary(path).get("Stationierung") == term


def test_add_keeps_every_byte_of_a_hand_edited_file(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_EDITED)
    add_term(path, TermSpec(de="Pufferzone", en="buffer zone"))
    after = path.read_text(encoding="utf-8")
    lines = HAND_EDITED.splitlines(keepends=True)
    # Inserted after the last entry's last line, before the trailing comment.
    expected = "".join(lines[:-1]) + "  - de: Pufferzone\n    en: buffer zone\n" + lines[-1]
    assert after == expected


def test_add_follows_the_files_indentation_and_spacing(tmp_path: Path) -> None:
    text = "version: 1\nterms:\n- de: Kiew\n  en: Kyiv\n\n- de: Krim\n  en: Crimea\n"
    path = write(tmp_path, text)
    add_term(path, TermSpec(de="Donezk", en="Donetsk", keep=False, compound=True))
    assert path.read_text() == text + "\n- de: Donezk\n  en: Donetsk\n  compound: true\n"


def test_add_quotes_only_what_needs_quoting(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nterms:\n  - {de: Kiew, en: Kyiv}\n")
    add_term(path, TermSpec(de="28-Punkte-Plan", en="28-point plan", avoid=("yes", "a, b")))
    added = path.read_text().splitlines()[-3:]
    assert added == [
        '  - de: "28-Punkte-Plan"',
        '    en: "28-point plan"',
        '    avoid: ["yes", "a, b"]',
    ]
    assert load_glossary(path).get("28-Punkte-Plan") is not None


def test_add_keeps_crlf_bom_and_a_missing_final_newline(tmp_path: Path) -> None:
    text = "\ufeffversion: 1\r\nterms:\r\n  - de: Kiew\r\n    en: Kyiv"
    path = write(tmp_path, text)
    add_term(path, TermSpec(de="Krim", en="Crimea"))
    assert path.read_bytes().decode("utf-8") == (
        "\ufeffversion: 1\r\nterms:\r\n  - de: Kiew\r\n    en: Kyiv\r\n"
        "  - de: Krim\r\n    en: Crimea"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, None),
        ("", None),
        ("# header only\n", "# header only\nversion: 1\nterms:\n  - de: Krim\n    en: Crimea\n"),
        ("version: 1\nterms:\n", "version: 1\nterms:\n  - de: Krim\n    en: Crimea\n"),
        (
            "version: 1\nterms: []   # nothing yet\n# end\n",
            "version: 1\nterms: # nothing yet\n  - de: Krim\n    en: Crimea\n# end\n",
        ),
        ("version: 1\n", "version: 1\nterms:\n  - de: Krim\n    en: Crimea\n"),
    ],
)
def test_add_to_empty_or_missing_glossaries(
    tmp_path: Path, text: str | None, expected: str | None
) -> None:
    path = tmp_path / "glossary.yaml"
    if text is not None:
        write(tmp_path, text)
    add_term(path, TermSpec(de="Krim", en="Crimea"))
    result = path.read_text()
    if expected is None:
        assert result.startswith("# briefpack terminology glossary")
        assert result.endswith("version: 1\nterms:\n  - de: Krim\n    en: Crimea\n")
    else:
        assert result == expected
    assert [t.de for t in load_glossary(path)] == ["Krim"]


def test_flow_style_terms_fall_back_to_a_round_trip(tmp_path: Path) -> None:
    path = write(tmp_path, "# keep me\nversion: 1\nterms: [{de: Kiew, en: Kyiv}]\n")
    add_term(path, TermSpec(de="Krim", en="Crimea"))
    text = path.read_text()
    assert text.startswith("# keep me\n")
    assert [t.de for t in load_glossary(path)] == ["Kiew", "Krim"]


def test_add_refuses_duplicates_and_conflicts(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_EDITED)
    with pytest.raises(InputError, match="'waffenstillstand' is already in the glossary"):
        add_term(path, TermSpec(de="waffenstillstand", en="truce"))
    with pytest.raises(InputError, match="'Waffenruhe' is already a form of 'Waffenstillstand'"):
        add_term(path, TermSpec(de="Waffenruhe", en="truce"))
    with pytest.raises(InputError) as info:  # a form claimed by another entry
        add_term(path, TermSpec(de="Feuerpause", en="pause", forms=("Waffenruhe",)))
    assert "already a form of entry 'Waffenstillstand'" in info.value.problems[0].message
    with pytest.raises(InputError) as info:  # approved English that another entry avoids
        add_term(path, TermSpec(de="Feuerpause", en="truce"))
    assert info.value.problems[0].code == "conflict"
    with pytest.raises(UsageError):
        add_term(path, TermSpec(de="Feuerpause", en=""))
    assert path.read_text() == HAND_EDITED  # nothing was written


def test_add_refuses_to_touch_an_invalid_glossary(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nterms:\n  - de: Krim\n")
    with pytest.raises(InputError):
        add_term(path, TermSpec(de="Kiew", en="Kyiv"))
    assert path.read_text() == "version: 1\nterms:\n  - de: Krim\n"


# --- set and remove ------------------------------------------------------------------------


def test_set_rewrites_only_that_entry_and_keeps_its_comments(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_EDITED)
    term = set_term(path, "Waffenruhe", en="cease-fire", avoid=["truce"], note=None)
    assert (term.de, term.en, term.avoid, term.note) == (
        "Waffenstillstand",
        "cease-fire",
        ("truce",),
        None,
    )
    removed, added = changed_lines(HAND_EDITED, path.read_text())
    assert removed == [
        "    en: ceasefire                 # approved English",
        "    avoid: [truce, armistice]",
        "    note: 'single-quoted: kept as is'",
    ]
    assert added == ["    en: cease-fire                # approved English", "    avoid: [truce]"]


def test_set_adds_fields_in_canonical_order_and_renames(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_EDITED)
    set_term(path, "Crimea", de="Krym", forms=["Krim"], note="Russian-occupied since 2014")
    text = path.read_text()
    assert (
        "  - de: Krym   # no note yet\n    forms: [Krim]\n    en: Crimea\n"
        "    note: Russian-occupied since 2014\n# trailing comment" not in text
    )
    assert (
        "  - de: Krym   # no note yet\n    en: Crimea\n    forms: [Krim]\n"
        "    note: Russian-occupied since 2014\n# trailing comment at the end of the file\n"
    ) in text
    assert text.startswith(HAND_EDITED.split("  - de: Krim")[0])


def test_set_replaces_block_lists(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_EDITED)
    set_term(path, "Kiew", avoid=["Kiev", "Kiyv"])
    assert load_glossary(path).get("Kiew").avoid == ("Kiev", "Kiyv")  # type: ignore[union-attr]
    set_term(path, "Kiew", avoid=[])
    assert load_glossary(path).get("Kiew").avoid == ()  # type: ignore[union-attr]


def test_set_errors(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_EDITED)
    with pytest.raises(TermNotFoundError):
        set_term(path, "Pufferzone", en="buffer zone")
    with pytest.raises(UsageError, match="unknown field"):
        set_term(path, "Kiew", colour="blue")
    with pytest.raises(UsageError, match="nothing to change"):
        set_term(path, "Kiew")
    with pytest.raises(InputError):  # renaming onto another entry
        set_term(path, "Kiew", de="Krim")
    with pytest.raises(InputError):  # removing en without keep
        set_term(path, "Kiew", en=None)
    assert path.read_text() == HAND_EDITED


def test_remove_keeps_neighbours_and_comments(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_EDITED)
    removed = remove_term(path, "Kyiv")
    assert removed.de == "Kiew"
    gone, added = changed_lines(HAND_EDITED, path.read_text())
    assert gone == ["  - de: Kiew", "    en: Kyiv", "    avoid:", "      - Kiev"]
    assert added == []
    assert [t.de for t in load_glossary(path)] == ["Waffenstillstand", "Krim"]


def test_remove_does_not_leave_double_blank_lines(tmp_path: Path) -> None:
    text = (
        "version: 1\nterms:\n  - de: A1\n    en: a\n\n"
        "  - de: B1\n    en: b\n\n  - de: C1\n    en: c\n"
    )
    path = write(tmp_path, text)
    remove_term(path, "B1")
    assert (
        path.read_text() == "version: 1\nterms:\n  - de: A1\n    en: a\n\n  - de: C1\n    en: c\n"
    )
    remove_term(path, "C1")
    remove_term(path, "A1")
    assert len(load_glossary(path)) == 0
    add_term(path, TermSpec(de="D1", en="d"))
    assert [t.de for t in load_glossary(path)] == ["D1"]


# --- concurrency -------------------------------------------------------------------------

WORKER = textwrap.dedent(
    """
    import sys
    import typer
    from briefpack.cli.glossary import app

    root = typer.Typer()
    root.add_typer(app, name="glossary")
    command = typer.main.get_command(root)
    prefix, count, project = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    for i in range(count):
        code = command.main(
            ["glossary", "add", f"{prefix}wort{i}", f"{prefix} word {i}", "--project", project],
            standalone_mode=False,
        )
        if code not in (None, 0):
            sys.exit(code)
    """
)


def test_concurrent_cli_adds_all_land(tmp_path: Path) -> None:
    (tmp_path / "briefings").mkdir()
    path = write(tmp_path, HAND_EDITED)
    count = 6
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, prefix, str(count), str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for prefix in ("Alpha", "Beta")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.count("added: ") == count
    glossary = load_glossary(path)
    names = {t.de for t in glossary}
    assert {f"{p}wort{i}" for p in ("Alpha", "Beta") for i in range(count)} <= names
    assert len(glossary) == 3 + 2 * count
    text = path.read_text()
    assert text.startswith(HAND_EDITED.rsplit("# trailing", 1)[0])
    assert text.endswith("# trailing comment at the end of the file\n")
