"""`build --strict` decides once, before anything is written; `--jobs` overlaps findings.

A strict build that fails leaves every project file and every output byte-identical: no
machine translation saved, no output replaced, no manifest written, whether the finding
was known before rendering (a copied-through machine translation) or only rendering could
find it (a renderer warning).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.commands.build import BuildRequest, build
from briefpack.errors import ExitCode
from briefpack.translation.engines.argos import ArgosEngine, load_engine
from briefpack.translation.packages import install_from_file
from briefpack.util.paths import Project
from tests.conftest import LogRecords
from tests.support import DEMO_PACK, copy_project, override

pytestmark = pytest.mark.slow
runner = CliRunner()
SENTENCE = "Die Delegationen trafen sich am Dienstag in Paris und sprachen über die Lage."


def files(root: Path) -> dict[str, bytes]:
    """Every project file and output by relative path (the content caches left out)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".briefpack-cache" not in p.parts
    }


def add_sentence(root: Path, sentence: str = SENTENCE) -> None:
    path = root / "briefings" / "washington-ohnmacht.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "assessment: >-\n"
    path.write_text(text.replace(marker, f"{marker}  {sentence}\n", 1), encoding="utf-8")


def test_strict_build_saves_no_translation_when_it_fails(
    tmp_path: Path, models_dir: Path, tiny_copy_package: Path
) -> None:
    # The copy model writes the German back as "English": a finding only known after
    # translating. The failing build must not keep that translation.
    install_from_file(tiny_copy_package)
    root = copy_project(tmp_path / "p")
    assert runner.invoke(app, ["build", "--project", str(root)]).exit_code == 0
    add_sentence(root)
    before = files(root)
    report = tmp_path / "report.json"
    result = runner.invoke(
        app, ["build", "--strict", "--force", "--project", str(root), "--report", str(report)]
    )
    assert result.exit_code == ExitCode.VIOLATIONS, result.output
    assert "nothing was written" in result.stderr
    assert files(root) == before
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["ok"] is False and data["translated"] == 0
    assert "untranslated" in {f["code"] for f in data["findings"]}
    # Without --strict the same build keeps the translation and writes the pack.
    result = runner.invoke(app, ["build", "--verbose", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert "translated 1 segment(s)" in result.stdout
    assert "the English is the German text unchanged" in result.stderr


def test_strict_build_with_clean_translations_saves_them(
    tmp_path: Path, models_dir: Path, tiny_copy_package: Path
) -> None:
    # Names and one function word: the copy model's output raises no finding, so the strict
    # build translates, decides, and then writes the translation with the pack.
    install_from_file(tiny_copy_package)
    project = Project(copy_project(tmp_path / "p"))
    add_sentence(project.root, "Selenskyj traf Macron in Paris.")
    memory = project.root / "translations" / "washington-ohnmacht.yaml"
    old = memory.read_bytes()
    report = build(project, BuildRequest(strict=True, formats=("html",)), engine_factory=_engine)
    assert report.translated == 1 and report.findings == []
    assert b"Selenskyj traf Macron in Paris." in memory.read_bytes() != old


def _engine() -> ArgosEngine:
    return load_engine("de", "en")


def test_renderer_warning_fails_strict_without_replacing_outputs(
    tmp_path: Path, logs: LogRecords
) -> None:
    root = copy_project(tmp_path / "p")
    style = override(root, "style.css")
    style.write_text(style.read_text(encoding="utf-8") + "\np { colr: red; }\n", "utf-8")
    first = runner.invoke(app, ["build", "--verbose", "--project", str(root)])
    assert first.exit_code == 0, first.output
    assert "render-warning" not in first.stderr  # the code shows in the report only
    assert "PDF renderer" in first.stderr and "colr" in first.stderr
    before = files(root)
    result = runner.invoke(app, ["build", "--strict", "--force", "--project", str(root)])
    assert result.exit_code == ExitCode.VIOLATIONS, result.output
    assert "PDF renderer" in result.stderr and "nothing was written" in result.stderr
    assert files(root) == before  # the previous PDF and manifest stay as they were
    assert logs.records  # WeasyPrint's own warning, captured as the finding above


def test_strict_build_without_findings_writes(tmp_path: Path) -> None:
    project = Project(copy_project(tmp_path / "p"))
    report = build(project, BuildRequest(strict=True, formats=("html",)))
    assert report.findings == [] and report.packs[0].status == "built"
    assert (project.out_dir / f"{DEMO_PACK}.html").is_file()


def test_parallel_build_hands_out_every_pack_before_computing_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The findings (which no output depends on) are computed while the workers render.
    import briefpack.prepare as prepare_module
    from briefpack.output.render import RenderJob
    from briefpack.output.workers import Workers

    root = copy_project(tmp_path / "p")
    packs = root / "briefings" / "packs"
    (packs / "zweit.yaml").write_text(
        (packs / f"{DEMO_PACK}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    events: list[str] = []
    submit, findings = Workers.submit, prepare_module.project_findings

    def recorded_submit(self: Workers, job: RenderJob) -> None:
        events.append(f"submit {job.pack}")
        submit(self, job)

    def recorded_findings(content: object, packs: object = None) -> object:
        events.append("findings")
        return findings(content, packs)  # type: ignore[arg-type]

    monkeypatch.setattr(Workers, "submit", recorded_submit)
    monkeypatch.setattr(prepare_module, "project_findings", recorded_findings)
    report = build(Project(root), BuildRequest(formats=("html",), jobs=2))
    assert events == [f"submit {DEMO_PACK}", "submit zweit", "findings"]
    assert [p.status for p in report.packs] == ["built", "built"]


def test_renderer_warning_in_a_worker_reaches_the_logger_and_the_findings(
    tmp_path: Path, logs: LogRecords
) -> None:
    # Two packs with --jobs 2 render in worker processes: what WeasyPrint logged there is
    # logged again here (as when a pack renders in this process) and is a finding.
    root = copy_project(tmp_path / "p")
    packs = root / "briefings" / "packs"
    (packs / "zweit.yaml").write_text(
        (packs / f"{DEMO_PACK}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    style = override(root, "style.css")
    style.write_text(style.read_text(encoding="utf-8") + "\np { colr: red; }\n", "utf-8")
    report = build(Project(root), BuildRequest(jobs=2))
    found = [f.message for f in report.findings if f.code == "render-warning"]
    assert len(found) == 2 and all("colr" in m for m in found), found
    assert sorted({m.split(")")[0] for m in found}) == [
        f"PDF renderer ({DEMO_PACK}",
        "PDF renderer (zweit",
    ]
    colr = [r for r in logs.records if r.name == "weasyprint" and "colr" in r.getMessage()]
    assert len(colr) == 2, logs.messages  # one per pack, from each worker


def test_strict_build_its_findings_fail_renders_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The findings are known before any render: a strict build they fail hands no pack to
    # the renderers (which would render it only to throw it away).
    from briefpack.errors import ViolationsError
    from briefpack.output.render import RenderJob
    from briefpack.output.workers import Workers

    root = copy_project(tmp_path / "p")
    memory = root / "translations" / "washington-ohnmacht.yaml"
    text = memory.read_text(encoding="utf-8")
    english = '  en: "Russia did not take part in the talks."'
    assert english in text
    memory.write_text(
        text.replace(english, '  en: "Russland nahm an den Gesprächen nicht teil."'), "utf-8"
    )
    submitted: list[str] = []

    def recorded_submit(self: Workers, job: RenderJob) -> None:
        submitted.append(job.pack)

    monkeypatch.setattr(Workers, "submit", recorded_submit)
    with pytest.raises(ViolationsError, match="1 finding"):
        build(Project(root), BuildRequest(strict=True, jobs=2))
    assert submitted == []
    assert not (root / "out").exists()
