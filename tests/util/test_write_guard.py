"""The one guarded writer: no command writes into a project's inputs unless it edits them.

Every exporter and report target is checked: `xliff export --all -o glossary.yaml` once
replaced the glossary with exit 0, and the same held for briefings/, templates/, `tm export`
into translations/ and seeds/, `eval --json`. Each refusal is one `error:` line naming the
file, exit 2, and the project byte-identical.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpack.errors import ExitCode, UsageError
from briefpack.util.fsutil import atomic_write_text
from briefpack.util.paths import Input, input_at
from tests.support import PROJECT_PARTS, cli_in, copy_project, snapshot

B = "briefings/mearsheimer-diplomatie.yaml"
T = "translations/mearsheimer-diplomatie.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def inputs(root: Path) -> dict[str, bytes]:
    """Return every input file of the project (caches and out/ may change)."""
    found = snapshot(root)
    return {k: v for k, v in found.items() if k.split("/")[0] in PROJECT_PARTS}


def _cli(root: Path, *args: str) -> tuple[int, str]:
    code, _out, err = cli_in(root, *args)
    return code, err


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (("xliff", "export", "--all", "-o", "glossary.yaml"), "glossary.yaml"),
        (("xliff", "export", "--all", "-o", B), B),
        (("xliff", "export", "--all", "-o", "briefings/new.xlf"), "briefings/new.xlf"),
        (("xliff", "export", "--all", "-o", "templates/style.css"), "templates/style.css"),
        (("tm", "export", "-o", T), T),
        (("tm", "export", "-o", "seeds/x.txt"), "seeds/x.txt"),
        (("eval", "--report", "glossary.yaml"), "glossary.yaml"),
        (("glossary", "export", "-o", "glossary.yaml"), "glossary.yaml"),
        (("glossary", "export", "-o", "translations/terms.csv"), "translations/terms.csv"),
        (("check", "--report", "glossary.yaml"), "glossary.yaml"),
        (("glossary", "export", "-o", T), T),
        (("glossary", "export", "-o", "briefings/neu.csv"), "briefings/neu.csv"),
        (("glossary", "export", "-o", "seeds/terms.tbx"), "seeds/terms.tbx"),
        (("check", "--report", T), T),
        (("build", "--report", "glossary.yaml"), "glossary.yaml"),
        (("build", "--output", "templates"), "templates"),
    ],
)
def test_exporters_refuse_to_overwrite_inputs(
    root: Path, args: tuple[str, ...], target: str
) -> None:
    before = inputs(root)
    code, err = _cli(root, *args)
    assert code == ExitCode.USAGE, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and target in lines[0], err
    assert "choose another output file" in err
    assert "Traceback" not in err
    assert inputs(root) == before


def test_an_input_of_another_project_is_refused_too(root: Path, tmp_path: Path) -> None:
    other = copy_project(tmp_path / "other")
    before = inputs(other)
    code, err = _cli(root, "xliff", "export", "--all", "-o", str(other / "glossary.yaml"))
    assert code == ExitCode.USAGE and "glossary.yaml" in err
    assert inputs(other) == before


def test_outputs_outside_the_inputs_are_written(root: Path) -> None:
    code, err = _cli(root, "xliff", "export", "--all", "-o", "out/all.xlf")
    assert code == 0, err
    assert (root / "out" / "all.xlf").read_bytes().startswith(b"<?xml")


def test_the_guard_is_part_of_the_write(root: Path) -> None:
    glossary = root / "glossary.yaml"
    before = glossary.read_bytes()
    with pytest.raises(UsageError, match=r"glossary\.yaml"):
        atomic_write_text(glossary, "terms: []\n")
    with pytest.raises(UsageError, match=r"glossary\.yaml"):  # an editor of another input
        atomic_write_text(glossary, "terms: []\n", edits=Input.TRANSLATIONS)
    assert glossary.read_bytes() == before
    atomic_write_text(glossary, "version: 1\nterms: []\n", edits=Input.GLOSSARY)
    assert glossary.read_text(encoding="utf-8") == "version: 1\nterms: []\n"


def test_input_at_names_each_input(root: Path) -> None:
    assert input_at(root / "glossary.yaml") == (Input.GLOSSARY, root / "glossary.yaml")
    assert input_at(root / "briefings" / "packs" / "x.yaml") == (
        Input.BRIEFINGS,
        root / "briefings",
    )
    assert input_at(root / "seeds" / "a" / "b.txt") == (Input.SEEDS, root / "seeds")
    assert input_at(root / "out" / "x.pdf") is None
    assert input_at(root.parent / "glossary.yaml") is None  # not inside a project


def test_a_symlinked_input_folder_is_guarded(root: Path, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere"
    (root / "translations").rename(real)
    (root / "translations").symlink_to(real)
    code, err = _cli(root, "tm", "export", "-o", "translations/x.yaml")
    assert code == ExitCode.USAGE, err
    assert not (real / "x.yaml").exists()
