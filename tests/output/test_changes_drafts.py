"""Change sections, drafts, the manifest, --format and progress (HTML and DOCX outputs only).

These build the demo's DOCX and HTML, never a PDF; those that render HTML (subsetting the
fonts takes seconds) are marked slow. PDF, LibreOffice and --jobs: tests/e2e/test_formats.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.commands.build import Step, build, output_name
from briefpack.errors import ExitCode, UsageError
from briefpack.output.manifest import NAME, load_manifest
from briefpack.output.view import MISSING_EN
from briefpack.prepare import prepare
from briefpack.util.paths import Project
from briefpack.util.request import BuildRequest, option
from tests.support import DEMO_PACK, copy_project

runner = CliRunner()


def set_outlet(root: Path, briefing: str, outlet: str) -> None:
    path = root / "briefings" / f"{briefing}.yaml"
    text, n = re.subn(
        r"(?m)^  outlet: .*$", f'  outlet: "{outlet}"', path.read_text(encoding="utf-8")
    )
    assert n == 1
    path.write_text(text, encoding="utf-8")


def change_items(html: bytes) -> list[str]:
    tree = lxml_html.fromstring(html)
    return [li.text_content() for li in tree.cssselect("section.changes li")]


def docx_changes(path: Path) -> list[str]:
    """Return the items of the DOCX change section (the bullets after its heading)."""
    import docx

    paragraphs = docx.Document(str(path)).paragraphs
    start = next(
        (i for i, p in enumerate(paragraphs) if p.text.startswith("Änderungen seit ")), None
    )
    if start is None:
        return []
    items = []
    for p in paragraphs[start + 1 :]:
        if p.style is None or p.style.name != "List Bullet":
            break
        items.append(p.text)
    return items


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(copy_project(tmp_path / "p"))


@pytest.mark.slow  # renders the HTML pack (font subsetting: seconds)
def test_editing_one_briefing_lists_exactly_one_changed_source(
    project: Project, tmp_path: Path
) -> None:
    html = project.out_dir / f"{DEMO_PACK}.html"
    first = build(project, BuildRequest(formats=("docx",)))
    assert first.packs[0].changes is None  # nothing to compare with yet
    assert docx_changes(project.out_dir / f"{DEMO_PACK}.docx") == []

    set_outlet(project.root, "washington-ohnmacht", "Internationale Politik")
    result = runner.invoke(
        app,
        ["build", "-p", str(project.root), "-f", "html", "--report", str(tmp_path / "r.json")],
    )
    assert result.exit_code == 0, result.output
    items = change_items(html.read_bytes())
    assert len(items) == 1, items
    assert items[0].startswith("Source changed: Gespräche in Miami")
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    (pack,) = report["packs"]
    assert [(c["kind"], c["source"]) for c in pack["changes"]] == [
        ("source-changed", "washington-ohnmacht")
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", pack["changes_since"])

    # The DOCX built before the edit is rebuilt with the same section; so is a forced rebuild.
    docx_path = project.out_dir / f"{DEMO_PACK}.docx"
    build(project, BuildRequest(formats=("docx",)))
    assert docx_changes(docx_path) == [items[0]]
    again = build(project, BuildRequest(formats=("docx",), force=True))
    assert [c.kind for c in again.packs[0].changes.items] == ["source-changed"]  # type: ignore[union-attr]
    assert docx_changes(docx_path) == [items[0]]


def test_a_draft_does_not_become_the_baseline(project: Project) -> None:
    build(project, BuildRequest(formats=("docx",)))
    set_outlet(project.root, "mearsheimer-diplomatie", "Neue Zürcher Zeitung")
    draft = build(project, BuildRequest(formats=("docx",), draft=True))
    assert [c.doc for c in draft.packs[0].changes.items] == ["mearsheimer-diplomatie"]  # type: ignore[union-attr]
    final = build(project, BuildRequest(formats=("docx",)))
    assert [c.doc for c in final.packs[0].changes.items] == ["mearsheimer-diplomatie"]  # type: ignore[union-attr]


def test_removed_and_added_sources_and_newly_reviewed_translations(project: Project) -> None:
    pack_file = project.root / "briefings" / "packs" / f"{DEMO_PACK}.yaml"
    original = pack_file.read_text(encoding="utf-8")
    pack_file.write_text(original.replace("  - mearsheimer-diplomatie\n", ""), encoding="utf-8")
    tm = project.root / "translations" / "washington-ohnmacht.yaml"
    tm_text = tm.read_text(encoding="utf-8")
    first_reviewed = tm_text.index("\n  status: reviewed\n")  # the briefing's title
    tm.write_text(
        tm_text[:first_reviewed] + "\n  status: machine\n" + tm_text[first_reviewed + 20 :],
        encoding="utf-8",
    )
    build(project, BuildRequest(formats=("docx",)))
    pack_file.write_text(
        original.replace("  - regenbrecht-systemisches-chaos\n", ""), encoding="utf-8"
    )
    tm.write_text(tm_text, encoding="utf-8")  # the machine entry is reviewed now
    log = build(project, BuildRequest(formats=("docx",))).packs[0].changes
    assert log is not None
    found = [(c.kind, c.doc, c.count) for c in log.items]
    assert found == [
        ("source-added", "mearsheimer-diplomatie", 0),
        ("source-removed", "regenbrecht-systemisches-chaos", 0),
        ("newly-reviewed", "washington-ohnmacht", 1),
    ]
    text = " | ".join(docx_changes(project.out_dir / f"{DEMO_PACK}.docx"))
    assert "New source: Mearsheimer" in text
    assert "Source removed: " in text
    assert "1 translation newly reviewed" in text


@pytest.mark.slow  # renders the HTML pack (font subsetting: seconds)
def test_draft_writes_its_own_names_and_marks_the_html(project: Project) -> None:
    final = build(project, BuildRequest(formats=("html", "docx")))
    before = {p.name: p.read_bytes() for p in project.out_dir.glob(f"{DEMO_PACK}.*")}
    report = build(project, BuildRequest(formats=("html", "docx"), draft=True))
    names = [o.path.name for o in report.packs[0].outputs]
    assert names == [f"{DEMO_PACK}.draft.html", f"{DEMO_PACK}.draft.docx"]
    assert output_name("x", "pdf", draft=True) == "x.draft.pdf"
    after = {p.name: p.read_bytes() for p in project.out_dir.glob(f"{DEMO_PACK}.*")}
    assert {k: v for k, v in after.items() if ".draft." not in k} == before  # finals untouched
    tree = lxml_html.fromstring(after[f"{DEMO_PACK}.draft.html"])
    band = tree.cssselect("aside.draft-band")
    assert band and "DRAFT / ENTWURF" in band[0].text_content()
    assert tree.findtext(".//title").startswith("DRAFT / ENTWURF")
    assert not lxml_html.fromstring(before[f"{DEMO_PACK}.html"]).cssselect(".draft-band")
    # The manifest knows both, so each is up to date on its own.
    again = build(project, BuildRequest(formats=("html", "docx"), draft=True))
    assert [o.status for o in again.packs[0].outputs] == ["skipped", "skipped"]
    assert final.packs[0].status == "built"


def test_missing_english_shows_one_marker_per_field(project: Project) -> None:
    (project.root / "translations" / "washington-ohnmacht.yaml").unlink()
    prepared = prepare(project, BuildRequest(packs=(DEMO_PACK,), draft=True), translate=False)
    view, _ = prepared.view(prepared.packs[0])
    section = next(s for s in view.sections if s.anchor == "src-washington-ohnmacht")
    fields = [section.title_en, section.summary.en, section.assessment.en]
    fields += [r.en for r in section.key_points] + [r.en for r in section.quotes]
    assert len(section.summary.en.paragraphs[0]) == 1  # several sentences, one marker
    for english in fields:
        spans = [s for para in english.paragraphs for s in para]
        assert english.status == "missing"
        assert [s.text for s in spans if s.status == "missing"] == [MISSING_EN]
    fields_de = prepared.packs[0].fields["washington-ohnmacht"]
    summary = next(f for f in fields_de if f.field == "summary")
    assert len(summary.segments) > 1


def test_old_manifest_is_read_and_unknown_ones_rebuild(project: Project) -> None:
    out = project.out_dir
    out.mkdir()
    (out / NAME).write_text(
        json.dumps(
            {
                "format": 1,
                "packs": {"p": {"fingerprint": "f", "output": "p.pdf", "output_sha256": "s"}},
            }
        ),
        encoding="utf-8",
    )
    manifest, note = load_manifest(out)
    assert note is None
    assert manifest.outputs == {
        "p.pdf": {"pack": "p", "fingerprint": "f", "changes": "", "sha256": "s"}
    }
    (out / NAME).write_text('{"format": 99, "outputs": {}, "packs": {}}', encoding="utf-8")
    manifest, note = load_manifest(out)
    assert manifest.outputs == {}
    assert note is not None and "corrupt" in note


def test_formats_are_validated() -> None:
    formats = option("formats")
    assert formats.parse("pdf, DOCX,html,pdf") == ("pdf", "docx", "html")
    for bad in ("odt", "pdf,,x", ""):
        with pytest.raises(ValueError, match="unknown format"):
            formats.parse(bad)
    with pytest.raises(UsageError, match="unknown format 'odt'"):
        build(Project(Path(".")), BuildRequest(formats=("odt",)))


def test_unknown_format_is_a_usage_error(project: Project) -> None:
    result = runner.invoke(app, ["build", "-p", str(project.root), "--format", "pdf,odt"])
    assert result.exit_code == ExitCode.USAGE
    assert "error: unknown format 'odt'" in result.output
    assert not project.out_dir.exists()


def test_progress_reaches_the_callback_per_stage_and_pack(project: Project) -> None:
    steps: list[Step] = []
    build(project, BuildRequest(formats=("docx",)), progress=steps.append)
    stages = [s.stage for s in steps]
    assert stages[:2] == ["prepare", "prepare"]
    assert Step("render", 0, 1) in steps and Step("render", 1, 1, DEMO_PACK) in steps
    assert Step("pack", 0, 1, DEMO_PACK) in steps and Step("pack", 1, 1, DEMO_PACK) in steps
    steps.clear()
    build(
        project, BuildRequest(formats=("docx",)), progress=steps.append
    )  # up to date: nothing to render
    assert [s.stage for s in steps] == ["prepare", "prepare"]


@pytest.mark.slow  # a DOCX build in a subprocess, twice
@pytest.mark.parametrize("env", [{"CI": "true"}, {}], ids=["ci", "pipe"])
def test_no_progress_drawing_when_not_a_terminal_or_in_ci(
    project: Project, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefpack.cli import progress

    if env:
        # Even on a terminal, CI=true draws nothing.
        monkeypatch.setattr(progress, "is_tty", lambda: True)
        monkeypatch.setenv("CI", "true")
        assert not progress.enabled()
    result = subprocess.run(
        [sys.executable, "-m", "briefpack", "build", "-f", "docx"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**_env(), **env},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "\x1b" not in result.stdout
    assert result.stdout == f"built out/{DEMO_PACK}.docx (140 reviewed, 0 machine segments)\n"


def test_progress_is_drawn_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefpack.cli import progress

    monkeypatch.setattr(progress, "is_tty", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    assert progress.enabled()
    with progress.build_progress() as update:
        assert update is not None
        update(Step("prepare", 0, 1))
        update(Step("pack", 1, 1, DEMO_PACK))


def _env() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    return env


# ---- the self-contained HTML ----

GERMAN_CLASSES = ("td.de", "h2.source-title", "h1.cover-title")
ENGLISH_CLASSES = ("td.en", "p.source-title-en", "p.cover-title-en")


def effective_lang(element: object) -> str | None:
    node = element
    while node is not None:
        lang = node.get("lang")  # type: ignore[attr-defined]
        if lang:
            return str(lang)
        node = node.getparent()  # type: ignore[attr-defined]
    return None


@pytest.mark.slow  # renders the HTML pack (font subsetting: seconds)
def test_html_is_self_contained_and_every_language_is_declared(project: Project) -> None:
    from briefpack.source.load import load_content

    build(project, BuildRequest(formats=("html",)))
    data = (project.out_dir / f"{DEMO_PACK}.html").read_bytes()
    tree = lxml_html.fromstring(data)
    # Nothing to fetch: no stylesheet link, no script, every src/href a fragment or data:.
    assert not tree.cssselect("link, script, img:not([src^='data:'])")
    for el in tree.iter():
        for attr in ("src", "href"):
            value = el.get(attr)
            assert value is None or value.startswith(("#", "data:")), (el.tag, value)
    css = "".join(s.text_content() for s in tree.cssselect("style"))
    fonts = re.findall(r'url\("data:font/woff2;base64,[A-Za-z0-9+/=]+"\)', css)
    assert len(fonts) == 8
    assert not re.search(r"url\((?!\"data:)", css)
    # Every German and English element carries its language: the bilingual cells and titles
    # themselves, and every text of every source (found in an element of that language).
    for sel in GERMAN_CLASSES:
        assert tree.cssselect(sel) and all(e.get("lang") == "de" for e in tree.cssselect(sel))
    for sel in ENGLISH_CLASSES:
        assert tree.cssselect(sel) and all(e.get("lang") == "en" for e in tree.cssselect(sel))
    for el in tree.cssselect("body *"):
        if el.get("lang") is None and el.text and el.text.strip():
            # Text outside any declared element of the body would fall back to <html lang>.
            assert effective_lang(el) is not None
    content = load_content(project)
    texts: dict[str, str] = {}
    for el in tree.cssselect("[lang]"):
        texts[el.get("lang")] = texts.get(el.get("lang"), "") + " " + el.text_content()
    squashed = {k: re.sub(r"\s+", "", v) for k, v in texts.items()}
    for b in content.briefings.values():
        first = re.sub(r"\s+", "", b.model.summary.split(". ")[0])
        assert first in squashed["de"], b.model.id
    # lang is on the element itself, not inherited from <html>
    for cell in tree.cssselect("table.bilingual td.de p"):
        assert effective_lang(cell) == "de"


@pytest.mark.slow  # renders the HTML pack (font subsetting: seconds)
def test_docx_and_html_are_deterministic(project: Project, tmp_path: Path) -> None:
    build(project, BuildRequest(formats=("docx", "html"), out=tmp_path / "a"))
    build(project, BuildRequest(formats=("docx", "html"), out=tmp_path / "b"))
    for name in (f"{DEMO_PACK}.docx", f"{DEMO_PACK}.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
