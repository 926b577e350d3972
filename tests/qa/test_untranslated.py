"""The `untranslated` check identifies German "English".

It once needed three distinct German function words, so "Kyiv lehnt territorial cession ab und
verlangt verbindliche security guarantee vor jedem ceasefire." passed `review approve
--clean`. A language identifier (py3langid, model in the wheel) now decides when a German
function word appears; English with none never loads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.qa.terms import check_untranslated
from tests.support import MACHINE_FILE, entries, machine_project

runner = CliRunner()
MIXED = (
    "Kyiv lehnt territorial cession ab und verlangt verbindliche security guarantee vor "
    "jedem ceasefire."
)
DE = (
    "Kyjiw lehnt Gebietsabtretungen ab und verlangt verbindliche Sicherheitsgarantien vor "
    "jeder Waffenruhe."
)


@pytest.mark.parametrize(
    "en",
    [
        MIXED,
        "Die Regierung will mehr Geld und neue Panzer für die Ostflanke.",
        "Merz sagt, der Bundestag müsse jedem Einsatz zustimmen.",
    ],
)
def test_german_english_is_untranslated(en: str) -> None:
    assert [f.code for f in check_untranslated(DE, en)] == ["untranslated"]


@pytest.mark.parametrize(
    "en",
    [
        "Kyiv rejects territorial cession and demands binding security guarantees before any "
        "ceasefire.",
        "Ursula von der Leyen said the Commission would present a plan next week.",
        "The Bundeswehr will deploy a brigade to Lithuania by 2027.",
        "Zelensky und Merz",  # too short to judge
    ],
)
def test_english_passes(en: str) -> None:
    assert check_untranslated(DE, en) == []


def test_review_approve_clean_holds_german_english(tmp_path: Path) -> None:
    root = machine_project(tmp_path / "p", spoil=False)
    path = root / MACHINE_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    victim = data["entries"][1]
    victim["en"] = MIXED
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(app, ["review", "approve", "--clean", "-p", str(root)])
    assert result.exit_code == 0, result.output
    after = entries(root)
    assert after[victim["de"]]["status"] == "machine"
    assert all(e["status"] == "reviewed" for de, e in after.items() if de != victim["de"])
    assert "untranslated" in result.output or "kept for review" in result.output
