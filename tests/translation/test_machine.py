"""Machine translation through the real Argos/CTranslate2 path with locally built packages.

The copy model's output equals its input, so the stored English is predictable: German
text with glossary placeholders restored to the approved English terms.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.commands.build import build
from briefpack.errors import ExitCode
from briefpack.glossary.edit import add_term
from briefpack.glossary.model import TermSpec
from briefpack.source.load import load_content
from briefpack.source.segment import segment_key
from briefpack.translation.engines.argos import ArgosEngine, load_engine
from briefpack.translation.machine import translate_project
from briefpack.translation.packages import install_from_file
from briefpack.util.paths import Project
from tests.support import DEMO_PACK, copy_project, snapshot

pytestmark = pytest.mark.slow
runner = CliRunner()

NEW_PLAIN = "Die Delegationen trafen sich am Dienstag in Paris."
NEW_TERM = "Ein Waffenstillstand ist nicht in Sicht."


class Recording:
    """An engine factory that remembers the engines it made (to count decoding calls)."""

    def __init__(self) -> None:
        self.engines: list[ArgosEngine] = []

    def __call__(self) -> ArgosEngine:
        engine = load_engine("de", "en")
        self.engines.append(engine)
        return engine

    @property
    def decode_calls(self) -> int:
        return sum(e.decode_calls for e in self.engines)


def add_sentence(root: Path, sentence: str) -> None:
    path = root / "briefings" / "washington-ohnmacht.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "assessment: >-\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + f"  {sentence}\n", 1), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, models_dir: Path, tiny_copy_package: Path) -> Project:
    install_from_file(tiny_copy_package)
    return Project(copy_project(tmp_path / "p"))


def machine_entries(project: Project) -> list[tuple[str, str, dict[str, object]]]:
    content = load_content(project)
    return [
        (e.de, e.en, e.provenance.model_dump() if e.provenance else {})
        for _, e in content.memory.all_entries()
        if e.status == "machine"
    ]


def test_one_new_sentence_is_translated_once_and_stored(project: Project) -> None:
    add_sentence(project.root, NEW_PLAIN)
    factory = Recording()
    report = build(project, engine_factory=factory)
    assert report.translated == 1
    assert factory.decode_calls == 1
    [(de, en, prov)] = machine_entries(project)
    assert de == NEW_PLAIN
    assert en == NEW_PLAIN  # the copy model reproduces its input exactly
    assert prov["engine"] == "argos" and prov["beam"] == 4
    assert prov["package"] and prov["version"]
    assert prov["glossary"] == load_content(project).glossary_fingerprint(NEW_PLAIN)
    # The PDF marks it as machine translation and names the engine in the colophon.
    assert report.packs[0].counts["machine"] == 1
    # A second run translates nothing.
    again = Recording()
    assert build(project, engine_factory=again).translated == 0
    assert again.engines == []


def test_glossary_term_comes_out_in_english_through_the_real_decoder(project: Project) -> None:
    add_sentence(project.root, NEW_TERM)
    result = translate_project(project, engine_factory=Recording())
    assert result.translated == 1 and result.violations == []
    [(de, en, _)] = machine_entries(project)
    assert de == NEW_TERM
    # "Waffenstillstand" went through as a placeholder and came back as the approved term.
    assert en == "Ein ceasefire ist nicht in Sicht."


def test_glossary_change_retranslates_exactly_the_affected_segments(project: Project) -> None:
    add_sentence(project.root, NEW_PLAIN + " " + NEW_TERM)
    translate_project(project, engine_factory=Recording())
    assert len(machine_entries(project)) == 2
    # Change the entry that only the second sentence contains.
    from briefpack.glossary.edit import set_term

    set_term(
        project.glossary_path,
        "Waffenstillstand",
        en="cessation of hostilities",
        avoid=("truce", "armistice", "ceasefire"),
        root=project.root,
    )
    dry = translate_project(project, engine_factory=None, dry_run=True)
    assert dry.total == 1
    factory = Recording()
    result = translate_project(project, engine_factory=factory)
    assert result.translated == 1 and factory.decode_calls == 1
    entries = {de: en for de, en, _ in machine_entries(project)}
    assert entries[NEW_TERM] == "Ein cessation of hostilities ist nicht in Sicht."
    assert entries[NEW_PLAIN] == NEW_PLAIN


def test_reviewed_entries_are_never_retranslated(project: Project) -> None:
    before = snapshot(project.root / "translations")
    add_term(project.glossary_path, TermSpec(de="Delegation", en="delegation"), root=project.root)
    result = translate_project(project, engine_factory=Recording())
    assert result.translated == 0
    assert snapshot(project.root / "translations") == before


def test_build_without_model_names_count_files_and_command(
    tmp_path: Path, models_dir: Path
) -> None:
    root = copy_project(tmp_path / "p")
    add_sentence(root, NEW_PLAIN)
    out_before = snapshot(root / "translations")
    result = runner.invoke(app, ["build", "--project", str(root)])
    assert result.exit_code == ExitCode.MISSING_MODEL
    assert "Traceback" not in result.output
    line = result.output.strip().splitlines()[-1]
    assert "1 segment(s) need machine translation in briefings/washington-ohnmacht.yaml (1)" in line
    assert "briefpack models install de en" in line
    assert snapshot(root / "translations") == out_before
    assert not (root / "out").exists()
    draft = runner.invoke(app, ["build", "--draft", "--project", str(root)])
    assert draft.exit_code == 0, draft.output
    assert "1 missing (draft)" in draft.output


def test_translate_cli_dry_run_and_prune(project: Project) -> None:
    add_sentence(project.root, NEW_PLAIN)
    dry = runner.invoke(app, ["translate", "--dry-run", "--project", str(project.root)])
    assert dry.exit_code == 0
    assert dry.output.splitlines() == [
        "briefings/washington-ohnmacht.yaml: 1 segment(s)",
        "1 segment(s) to translate",
    ]
    done = runner.invoke(app, ["translate", "--project", str(project.root)])
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[-1].startswith("translated 1 segment(s) with argos ")
    # Edit the sentence: the old machine entry becomes unused; --prune removes it.
    path = project.root / "briefings" / "washington-ohnmacht.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Dienstag", "Mittwoch"), encoding="utf-8"
    )
    pruned = runner.invoke(app, ["translate", "--prune", "--project", str(project.root)])
    assert pruned.exit_code == 0, pruned.output
    assert "pruned 1 unused machine entry" in pruned.output
    content = load_content(project)
    keys = {segment_key(e.de) for _, e in content.memory.all_entries() if e.status == "machine"}
    assert keys == {segment_key(NEW_PLAIN.replace("Dienstag", "Mittwoch"))}


def test_machine_translation_is_marked_in_the_pdf(project: Project) -> None:
    from pypdf import PdfReader

    add_sentence(project.root, NEW_PLAIN)
    report = build(project, engine_factory=Recording())
    text = "\n".join(p.extract_text() or "" for p in PdfReader(report.packs[0].path).pages)
    assert "MT" in text
    assert "1 machine" in text  # cover count
    assert "argos" in text  # the colophon names the engine and package
    assert DEMO_PACK in str(report.packs[0].path)
