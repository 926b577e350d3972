"""`briefpack init` and `briefpack new`: scaffolds that load, build and are checked."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.commands.build import render_pack_html
from briefpack.commands.scaffold import SKELETON, skeleton_files
from briefpack.errors import ExitCode
from briefpack.output.theme import PACKAGED, Theme
from briefpack.source.load import load_content
from briefpack.source.scaffold import read_facts, slug_for
from briefpack.util.paths import Project
from briefpack.util.versions import pip_requirement
from tests.support import REPO, copy_project, override, snapshot

runner = CliRunner()
SKELETON_DIR = REPO / "src" / "briefpack" / SKELETON
SKIP = {"out", "build", "dist", "node_modules", "__pycache__"}  # outputs, packaging, tools


def invoke(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


# --- init ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_init_then_build_and_check_strict(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "project"  # missing parents are created
    code, out = invoke("init", folder)
    assert code == 0, out
    assert "created 10 files" in out
    code, out = invoke("build", "--project", folder)
    assert code == 0, out
    assert (folder / "out" / "beispiel.pdf").is_file()
    assert "0 machine segments" in out  # every sentence has reviewed English: no model
    code, out = invoke("check", "--strict", "--project", folder)
    assert (code, out.strip()) == (0, "ok: no errors")


def test_init_writes_the_expected_files(tmp_path: Path) -> None:
    code, out = invoke("init", tmp_path)  # an existing, empty folder is fine
    assert code == 0, out
    files = set(snapshot(tmp_path))
    for name in (
        ".gitignore",
        ".github/workflows/briefpack.yml",
        "briefings/beispielstadt-waermeplanung.yaml",
        "briefings/packs/beispiel.yaml",
        "seeds/beispielstadt-waermeplanung.txt",
        "translations/beispielstadt-waermeplanung.yaml",
        "translations/packs/beispiel.yaml",
        "glossary.yaml",
        "briefpack.yaml",  # the house style, commented: the theme's defaults until edited
        "templates/README.md",
    ):
        assert name in files, name
    # The theme stays in the package: no template, stylesheet or font is copied.
    assert [n for n in files if n.startswith("templates/")] == ["templates/README.md"]
    ignored = (tmp_path / ".gitignore").read_text().splitlines()
    assert {"out/", ".venv/", ".briefpack-cache/"} <= set(ignored)  # outputs, caches
    workflow = (tmp_path / ".github/workflows/briefpack.yml").read_text()
    assert "@BRIEFPACK_REQUIREMENT@" not in workflow
    assert f'  BRIEFPACK_REQUIREMENT: "{pip_requirement()}"\n' in workflow
    assert ".briefpack-cache/" in ignored
    content = load_content(Project(tmp_path))
    assert list(content.packs) == ["beispiel"] and len(content.glossary) >= 3


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, out = invoke("init", tmp_path)
    assert code == ExitCode.USAGE
    assert "not empty" in out
    assert snapshot(tmp_path) == {"notes.txt": b"mine"}


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    code, out = invoke("init", target)
    assert code == ExitCode.USAGE, out


def test_the_theme_is_in_the_repository_once() -> None:
    """One copy of each template, stylesheet and font: the package's (output/templates/)."""
    theme = {p.name: p for p in PACKAGED.rglob("*") if p.is_file()}
    assert {"pack.html.j2", "style.css", "Inter-Regular.otf", "CharisSIL-Regular.ttf"} <= set(theme)
    copies: dict[str, list[Path]] = {}
    for folder, subfolders, files in os.walk(REPO):
        subfolders[:] = [d for d in subfolders if not d.startswith(".") and d not in SKIP]
        for name in set(files) & set(theme):
            copies.setdefault(name, []).append(Path(folder) / name)
    assert {name: found for name, found in copies.items() if len(found) > 1} == {}


def test_init_project_renders_with_the_packaged_theme_and_its_overrides(tmp_path: Path) -> None:
    code, out = invoke("init", tmp_path)
    assert code == 0, out
    project = Project(tmp_path)
    html = render_pack_html(project, "beispiel")
    assert '<link rel="stylesheet" href="style.css">' in html
    assert Theme(project.templates_dir).stylesheet("style.css") == PACKAGED / "style.css"
    # An override replaces the packaged file of its name, and only that one.
    css = override(tmp_path, "style.css")
    assert Theme(project.templates_dir).stylesheet("style.css") == css.resolve()
    font = Theme(project.templates_dir).asset("assets/fonts/Inter-Regular.otf")
    assert font == PACKAGED / "assets" / "fonts" / "Inter-Regular.otf"
    tpl = override(tmp_path, "pack.html.j2")
    tpl.write_text(tpl.read_text("utf-8").replace("<body>", "<body>\n<p>OURS</p>"), "utf-8")
    assert "<p>OURS</p>" in render_pack_html(project, "beispiel")


def test_skeleton_workflow_is_a_real_workflow() -> None:
    """The shipped workflow is a file of its own; it runs the repository's jobs and steps.

    It differs from the repository's own workflow in where briefpack comes from (a package
    index or Git URL, `BRIEFPACK_REQUIREMENT`, instead of this checkout).
    """
    shipped = yaml.safe_load(
        (SKELETON_DIR / "github" / "workflows" / "briefpack.yml").read_text(encoding="utf-8")
    )
    ours = yaml.safe_load(
        (REPO / ".github" / "workflows" / "briefpack.yml").read_text(encoding="utf-8")
    )
    assert "BRIEFPACK_REQUIREMENT" in shipped["env"]

    def steps(doc: dict[str, Any]) -> dict[str, list[str]]:
        return {
            job: [step.get("name", step.get("uses", "")) for step in spec.get("steps", [])]
            for job, spec in doc["jobs"].items()
        }

    assert steps(shipped) == steps(ours)
    installs = [
        step["run"]
        for spec in shipped["jobs"].values()
        for step in spec.get("steps", [])
        if "pip install" in step.get("run", "")
    ]
    assert installs and all("${BRIEFPACK_REQUIREMENT}" in run for run in installs), installs


def test_skeleton_files_have_no_dot_names() -> None:
    """Package data must not rely on dot-files (they are renamed on the way out)."""
    names = [name for name, _ in skeleton_files()]
    assert ".gitignore" in names and ".github/workflows/briefpack.yml" in names
    assert all(p.name[0] != "." for p in SKELETON_DIR.rglob("*")), "rename dot-files in skeleton/"


# --- new -----------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def test_new_scaffolds_a_briefing_that_loads_and_is_flagged(project: Path) -> None:
    outside = project.parent / "016-Große Koalition.txt"
    outside.write_text(
        "Große Koalition einigt sich auf Haushalt\n\nBerlin, 16. Dezember 2025\n\nText.\n",
        encoding="utf-8",
    )
    code, out = invoke("new", outside, "--project", project)
    assert code == 0, out
    assert "copied" in out and "read title and date" in out
    path = project / "briefings" / "grosse-koalition.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["source"]["file"] == "seeds/016-Große Koalition.txt"
    assert data["source"]["title"] == "Große Koalition einigt sich auf Haushalt"
    assert data["source"]["published"] == dt.date(2025, 12, 16)
    assert (project / "seeds" / outside.name).read_bytes() == outside.read_bytes()
    content = load_content(Project(project))  # loads without errors
    assert "grosse-koalition" in content.briefings
    code, out = invoke("check", "--project", project)
    assert code == 0, out
    todos = [line for line in out.splitlines() if "still a TODO" in line]
    assert len(todos) == 10, out  # title, outlet, author, summary, 3 points, quote, speaker, …
    assert todos[0].startswith("warning: briefings/grosse-koalition.yaml:")
    code, out = invoke("check", "--strict", "--project", project)
    assert code == ExitCode.VIOLATIONS


def test_new_keeps_a_seed_that_is_already_in_seeds(project: Path) -> None:
    seed = project / "seeds" / "002-washington-ohnmacht-sicherheitsstrategie.txt"
    before = snapshot(project / "seeds")
    code, out = invoke("new", seed, "--id", "washington-neu", "--project", project)
    assert code == 0, out
    assert "copied" not in out
    assert snapshot(project / "seeds") == before
    data = yaml.safe_load((project / "briefings" / "washington-neu.yaml").read_text())
    assert data["source"]["file"] == "seeds/002-washington-ohnmacht-sicherheitsstrategie.txt"
    assert data["source"]["published"] == dt.date(2025, 12, 6)  # the ISO `date` header
    assert data["source"]["title"] is None  # the first line is a whole paragraph


def test_new_refuses_to_overwrite(project: Path) -> None:
    target = project / "briefings" / "mearsheimer-diplomatie.yaml"
    before = target.read_bytes()
    code, out = invoke(
        "new", project / "seeds" / "000-mearsheimer-diplomatie.txt", "--project", project
    )
    assert code == ExitCode.USAGE
    assert "refusing to overwrite" in out
    assert target.read_bytes() == before


def test_new_refuses_a_different_seed_of_the_same_name(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "000-mearsheimer-diplomatie.txt"
    other.write_text("Ein anderer Text.\n", encoding="utf-8")
    code, out = invoke("new", other, "--id", "anders", "--project", project)
    assert code == ExitCode.USAGE
    assert "exists with other content" in out
    assert not (project / "briefings" / "anders.yaml").exists()


@pytest.mark.parametrize("bad", ["Groß", "-x", "a_b", "x" * 81])
def test_new_rejects_bad_ids(project: Path, bad: str) -> None:
    seed = project / "seeds" / "000-mearsheimer-diplomatie.txt"
    code, out = invoke("new", seed, "--id", bad, "--project", project)
    assert code == ExitCode.USAGE, out
    assert "--id" in out


def test_new_reports_a_missing_or_undecodable_seed(project: Path, tmp_path: Path) -> None:
    code, out = invoke("new", tmp_path / "nope.txt", "--project", project)
    assert code == ExitCode.USAGE, out
    latin1 = tmp_path / "alt.txt"
    latin1.write_bytes("Überschrift\n".encode("latin-1"))
    code, out = invoke("new", latin1, "--project", project)
    assert code == ExitCode.INVALID_INPUT, out
    assert not (project / "briefings" / "alt.yaml").exists()


def test_new_scaffolds_every_demo_seed(project: Path) -> None:
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        code, out = invoke("new", seed, "--id", f"neu-{seed.stem[:3]}", "--project", project)
        assert code == 0, out
    content = load_content(Project(project))
    assert sum(b.startswith("neu-") for b in content.briefings) == 5


def test_todo_in_a_pack_is_flagged(project: Path) -> None:
    pack = project / "briefings" / "packs" / "ukraine-sicherheitsgarantien.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8").replace(
            'audience: "Referatsleitungen', 'audience: "TODO Referatsleitungen'
        ),
        encoding="utf-8",
    )
    code, out = invoke("check", "--project", project)
    assert code == 0
    assert "packs/ukraine-sicherheitsgarantien.yaml:5:1: audience: still a TODO" in out


@pytest.mark.parametrize(
    ("text", "title", "published"),
    [
        ("Titel\n\n16. Dezember 2025\n\nText.", "Titel", dt.date(2025, 12, 16)),
        ("\ufeff\n\n Titel \nStand: 03.01.2026\n", "Titel", dt.date(2026, 1, 3)),
        (" date 2025-12-06 Ein langer erster Absatz. " + "x " * 80, None, dt.date(2025, 12, 6)),
        ("date 2025-12-06 Kurzer Titel\nText.", "Kurzer Titel", dt.date(2025, 12, 6)),
        ("date 2025-02-30 Titel", "Titel", None),  # not a real day
        ("16. Dezember 2025\nText.", None, dt.date(2025, 12, 16)),
        ("Ein ganzer Satz als erste Zeile.\nText.", None, None),
        ("Am 4. Dezember 2025 sagte er, dass es so nicht weitergeht. " * 3, None, None),
        ("", None, None),
    ],
)
def test_read_facts(text: str, title: str | None, published: dt.date | None) -> None:
    facts = read_facts(text)
    assert (facts.title, facts.published) == (title, published)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("000-mearsheimer-diplomatie.txt", "mearsheimer-diplomatie"),
        ("016-Große Koalition.txt", "grosse-koalition"),
        ("Übersicht_Lage (Entwurf).md", "uebersicht-lage-entwurf"),
        ("2025.txt", "2025"),
        ("ñandú.txt", "nandu"),
        ("€€€.txt", ""),
    ],
)
def test_slug_for(name: str, slug: str) -> None:
    assert slug_for(name) == slug
