"""`briefpack eval`: the installed model measured on the demo's reviewed translations.

End to end through the CLI with the tiny copy model on the real Argos/CTranslate2 path; the
scoring itself is also checked on outputs whose right figures are known.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.commands.evaluate import Occurrence, Scores, references, score
from briefpack.errors import ExitCode
from briefpack.source.load import load_content
from briefpack.translation.packages import install_from_file
from briefpack.util.paths import Project
from tests.support import DEMO_PACK, copy_project, snapshot

runner = CliRunner()
MODES = ("plain", "enforced")
FIGURES = {"chrf", "bleu", "term_accuracy", "number_agreement", "segments"}


@pytest.fixture
def installed(tmp_path: Path, models_dir: Path, tiny_copy_package: Path) -> Path:
    install_from_file(tiny_copy_package)
    return copy_project(tmp_path / "p")


def inputs(root: Path) -> dict[str, bytes]:
    """Return every project file except the loader's content cache."""
    return {k: v for k, v in snapshot(root).items() if not k.startswith(".briefpack-cache/")}


@pytest.mark.slow
def test_eval_prints_the_table_and_writes_every_figure(installed: Path, tmp_path: Path) -> None:
    before, translations = inputs(installed), snapshot(installed / "translations")
    out = tmp_path / "eval.json"
    result = runner.invoke(app, ["eval", "--project", str(installed), "--report", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("engine: argos translate-de_en-tiny-copy")
    assert lines[1].split() == ["document", "segments", "mode", "chrF", "BLEU", "terms", "number"]
    overall = next(i for i, line in enumerate(lines) if line.startswith("overall"))
    assert lines[overall].split()[2] == "plain"
    assert lines[overall + 1].split()[0] == "enforced"
    # The copy model returns German; enforcement puts every approved English term in it, in
    # the number of its German occurrence.
    assert lines[overall + 1].split()[-4:] == ["100.0", "%", "100.0", "%"]

    data = json.loads(out.read_text(encoding="utf-8"))
    content = load_content(Project(installed))
    reviewed = references(content, limit=None)
    assert set(data["briefings"]) == {r.doc for r in reviewed}
    for scores in [data["overall"], *data["briefings"].values()]:
        assert set(scores) == set(MODES)
        for mode in MODES:
            assert set(scores[mode]) >= FIGURES
    plain, enforced = data["overall"]["plain"], data["overall"]["enforced"]
    assert plain["segments"] == enforced["segments"] == len(reviewed)
    assert sum(b["plain"]["segments"] for b in data["briefings"].values()) == len(reviewed)
    assert enforced["term_accuracy"] == 1.0
    assert enforced["term_occurrences"] == plain["term_occurrences"] > 50
    # German copied through scores low against English references, but not zero (names,
    # numbers); English terms put into it raise the score.
    assert 0 < plain["term_accuracy"] < 0.5
    assert 0 < plain["chrf"] < enforced["chrf"] < 60
    assert 0 <= plain["bleu"] < enforced["bleu"] < 20
    assert data["metrics"]["bleu"].startswith("nrefs:1|")
    # Nothing in the project changed: translations/ is byte-identical.
    assert snapshot(installed / "translations") == translations
    assert inputs(installed) == before


@pytest.mark.slow
def test_eval_limit_and_packs(installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "eval.json"
    result = runner.invoke(
        app, ["eval", DEMO_PACK, "--limit", "5", "--report", str(out), "--project", str(installed)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["limit"] == 5
    assert data["overall"]["enforced"]["segments"] == 5
    unknown = runner.invoke(app, ["eval", "no-such-pack", "--project", str(installed)])
    assert unknown.exit_code == ExitCode.USAGE
    assert "unknown pack(s): no-such-pack" in unknown.output
    zero = runner.invoke(app, ["eval", "--limit", "0", "--project", str(installed)])
    assert zero.exit_code == ExitCode.USAGE


def test_eval_without_a_model_exits_4_with_the_install_hint(
    tmp_path: Path, models_dir: Path
) -> None:
    root = copy_project(tmp_path / "p")
    before = inputs(root)
    result = runner.invoke(app, ["eval", "--project", str(root), "--report", str(tmp_path / "x")])
    assert result.exit_code == ExitCode.MISSING_MODEL
    assert "Traceback" not in result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("error: ")
    assert "reviewed segment(s) need machine translation to be measured" in line
    assert "briefpack models install de en" in line
    assert not (tmp_path / "x").exists()
    assert inputs(root) == before


def test_scores_of_known_outputs(tmp_path: Path) -> None:
    content = load_content(Project(copy_project(tmp_path / "p")))
    refs = references(content, limit=None)
    # The reviewed English itself scores 100; one term replaced by its avoid variant is
    # exactly one term error.
    with_term = next(i for i, r in enumerate(refs) if "ceasefire" in r.english)
    broken = [r.english for r in refs]
    broken[with_term] = broken[with_term].replace("ceasefire", "truce")
    report = score(
        refs,
        {"plain": broken, "enforced": [r.english for r in refs]},
        content.glossary,
        engine="test",
    )
    perfect, one_off = report.overall["enforced"], report.overall["plain"]
    assert perfect.chrf == pytest.approx(100) and perfect.bleu == pytest.approx(100)
    assert perfect.term_accuracy == 1.0
    occurrences = len(perfect.occurrences)
    assert one_off.term_accuracy == pytest.approx((occurrences - 1) / occurrences)
    assert one_off.chrf < 100
    doc = refs[with_term].doc
    assert report.documents[doc]["plain"].to_dict()["term_errors"] == 1
    assert all(
        modes["plain"].term_accuracy in (None, 1.0)
        for name, modes in report.documents.items()
        if name != doc
    )


def test_number_agreement_counts_known_numbers_and_needs_a_plural() -> None:
    def occ(number: str | None, ok: bool = True) -> Occurrence:
        return Occurrence("Sicherheitsgarantie", number, correct=ok, number_ok=ok)

    assert Scores(1, 0, 0, (occ("sg"), occ(None))).number_agreement is None
    scores = Scores(1, 0, 0, (occ("pl"), occ("sg"), occ("pl", ok=False), occ(None)))
    assert scores.number_agreement == pytest.approx(2 / 3)
    assert scores.term_accuracy == pytest.approx(3 / 4)
    assert Scores(1, 0, 0, ()).term_accuracy is None
    # A term that is missing altogether has no number that could agree.
    absent = Occurrence("Sicherheitsgarantie", "pl", correct=False, number_ok=True, present=False)
    assert Scores(1, 0, 0, (absent, occ("sg"))).number_agreement is None
    assert Scores(1, 0, 0, (absent, occ("pl", ok=False))).number_agreement == 0.0
