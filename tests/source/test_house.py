"""The house style: briefpack.yaml and a pack's own keys, validated like every input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefpack.errors import InputError, Problem, UsageError
from briefpack.prepare import prepare
from briefpack.source.house import DEFAULT_KICKER
from briefpack.source.load import load_content
from briefpack.util import snapshot
from briefpack.util.fsutil import atomic_write_text
from briefpack.util.paths import Input, Project, input_at
from tests.support import DEMO_PACK, copy_project

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64  # the magic bytes are what is checked


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def settings(root: Path, text: str) -> None:
    (root / "briefpack.yaml").write_text(text, encoding="utf-8")


def pack_file(root: Path) -> Path:
    return root / "briefings" / "packs" / f"{DEMO_PACK}.yaml"


def problems(root: Path) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        load_content(Project(root), use_cache=False)
    return caught.value.problems


def test_without_a_project_file_the_house_style_is_the_theme(root: Path) -> None:
    content = load_content(Project(root), use_cache=False)
    house = content.house(content.packs[DEMO_PACK])
    assert house.kicker == DEFAULT_KICKER and house.organisation is None
    assert house.letterhead is None and house.colours == ()


def test_project_file_and_pack_keys_make_the_house_style(root: Path) -> None:
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "kopf.png").write_bytes(PNG)
    settings(
        root,
        "organisation: Referat 204\n"
        "kicker: {de: Wochenlage, en: Weekly report}\n"
        "letterhead: templates/kopf.png\n"
        "colours: {accent: '#5a2d82', mark: rgb(120 0 0)}\n",
    )
    path = pack_file(root)
    path.write_text(
        path.read_text(encoding="utf-8") + "organisation: Abteilung 2\ncolours: {accent: navy}\n",
        encoding="utf-8",
    )
    content = load_content(Project(root), use_cache=False)
    house = content.house(content.packs[DEMO_PACK])
    assert house.organisation == "Abteilung 2"  # the pack's key wins
    assert (house.kicker.de, house.kicker.en) == ("Wochenlage", "Weekly report")
    assert house.letterhead is not None and house.letterhead.data == PNG
    assert house.letterhead.data_url.startswith("data:image/png;base64,")
    assert dict(house.colours) == {"accent": "navy", "mark": "rgb(120 0 0)"}


def test_default_marking_comes_from_the_project_file(root: Path) -> None:
    path = pack_file(root)
    text = path.read_text(encoding="utf-8")
    marking = next(line for line in text.splitlines() if line.startswith("marking:"))
    path.write_text(text.replace(marking + "\n", ""), encoding="utf-8")
    [problem] = problems(root)
    assert problem.code == "no-marking" and "briefpack.yaml" in problem.message
    assert problem.file == f"briefings/packs/{DEMO_PACK}.yaml"
    settings(root, marking + "\n")  # the same marking: the same pack
    content = load_content(Project(root), use_cache=False)
    assert content.packs[DEMO_PACK].model.marking == marking.split(":", 1)[1].strip(' "')


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("organisaton: X\n", "organisaton", "organisation"),  # did you mean
        ("colours: {accent: 'red; } p {'}\n", "colours.accent", "not a CSS colour"),
        ("colours: {accent: currentColor}\n", "colours.accent", "not a CSS colour"),
        ("kicker: Lagebild\n", "kicker", ""),
        ("letterhead: ../outside.png\n", "letterhead", "not a file in templates/"),
        ("letterhead: seeds/000-mearsheimer-diplomatie.txt\n", "letterhead", "templates/"),
        ("letterhead: templates/text.png\n", "letterhead", "not a PNG or JPEG"),
    ],
)
def test_bad_project_file_is_located(root: Path, text: str, field: str, words: str) -> None:
    (root / "outside.png").write_bytes(PNG)
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "text.png").write_text("no image", encoding="utf-8")
    settings(root, "# the house style\n" + text)
    [problem] = problems(root)
    assert problem.file == "briefpack.yaml" and problem.line == 2, problem
    assert problem.field == field and words in problem.message, problem


def test_a_letterhead_linked_out_of_templates_is_refused(root: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(PNG)
    (root / "templates").mkdir(exist_ok=True)
    os.symlink(tmp_path / "secret.png", root / "templates" / "kopf.png")
    settings(root, "letterhead: templates/kopf.png\n")
    [problem] = problems(root)
    assert problem.code == "bad-letterhead"


def test_the_house_style_enters_the_fingerprint(root: Path) -> None:
    def fingerprint() -> str:
        return prepare(Project(root), translate=False).packs[0].fingerprint

    before = fingerprint()
    settings(root, "# comments only\n")
    assert fingerprint() == before
    settings(root, "organisation: Referat 204\n")
    assert fingerprint() != before
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "kopf.png").write_bytes(PNG)
    settings(root, "organisation: Referat 204\nletterhead: templates/kopf.png\n")
    with_image = fingerprint()
    (root / "templates" / "kopf.png").write_bytes(PNG + b"\1")
    assert fingerprint() != with_image


def test_the_project_file_is_an_input(root: Path) -> None:
    path = root / "briefpack.yaml"
    assert input_at(path) == (Input.SETTINGS, path)
    assert path in Project(root).inputs()
    with pytest.raises(UsageError, match=r"briefpack\.yaml"):
        atomic_write_text(path, "x: 1\n")  # an output may never replace it
    settings(root, "organisation: X\n")
    assert str(path) in snapshot.input_paths(root)
