"""Glossary terms in the right number through the real CTranslate2 path (realistic tiny model)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.glossary.load import load_glossary
from briefpack.source.load import load_content
from briefpack.translation.enforce import translate_enforced
from briefpack.translation.engines.argos import ArgosEngine, load_engine
from briefpack.translation.engines.base import Hypothesis
from briefpack.translation.packages import install_from_file
from briefpack.util.paths import Project
from tests.support import copy_project

pytestmark = pytest.mark.slow
runner = CliRunner()
SENTENCE = (
    "Die Ukraine fordert belastbare Sicherheitsgarantien und einen dauerhaften "
    "Waffenstillstand, lehnt aber Gebietsabtretungen ab."
)


@pytest.fixture
def project(tmp_path: Path, models_dir: Path, tiny_copy_package: Path) -> Project:
    install_from_file(tiny_copy_package)
    return Project(copy_project(tmp_path / "p"))


def test_engine_picks_a_placeholder_its_tokenizer_keeps(project: Project) -> None:
    engine = load_engine("de", "en")
    style = engine.placeholder_style
    token = style.token(7)
    assert engine._sp.unk_id() not in engine._sp.encode(token)
    assert style.template != "⟦T{n}⟧"  # "⟦" is outside the realistic vocabulary


def test_translate_stores_terms_in_the_number_of_the_german(project: Project) -> None:
    path = project.root / "briefings" / "washington-ohnmacht.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "assessment: >-\n"
    path.write_text(text.replace(marker, marker + f"  {SENTENCE}\n", 1), encoding="utf-8")
    result = runner.invoke(app, ["translate", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    content = load_content(project)
    [entry] = [e for _, e in content.memory.all_entries() if e.de == SENTENCE]
    assert "security guarantees" in entry.en
    assert "ceasefire" in entry.en
    assert "territorial cessions" in entry.en


class Suppressing:
    """The real engine, told never to produce the placeholder's opening: it mangles it."""

    def __init__(self, engine: ArgosEngine) -> None:
        self.engine = engine
        self.info = engine.info
        self.placeholder_style = engine.placeholder_style

    def translate(
        self,
        texts: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        suppress: Sequence[str] = (),
        with_alignment: bool = False,
    ) -> list[list[Hypothesis]]:
        opening = self.placeholder_style.token(1)[:2]
        return self.engine.translate(
            texts,
            num_hypotheses=num_hypotheses,
            suppress=[*suppress, opening],
            with_alignment=with_alignment,
        )


def test_attention_puts_back_what_the_real_decoder_mangled(project: Project) -> None:
    glossary = load_glossary(project.glossary_path)
    engine = Suppressing(load_engine("de", "en"))
    matches = glossary.find(SENTENCE)
    [raw] = engine.translate(
        [SENTENCE.replace("Sicherheitsgarantien", engine.placeholder_style.token(1))]
    )
    assert engine.placeholder_style.token(1) not in raw[0].text  # the decoder lost it
    [result] = translate_enforced(engine, [SENTENCE], [matches], glossary)
    assert "security guarantees" in result.text
    assert "territorial cessions" in result.text
    assert result.violations == ()
