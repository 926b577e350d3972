"""Copies of the demo project to measure on: pristine, built, grown, split or scaled."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefpack.util.paths import Input
from harness.child import REPO, briefpack_cmd, run_child

# The project's inputs, as briefpack lists them (briefpack.util.paths.Input).
PROJECT_PARTS = tuple(item.value for item in Input)
GLOSSARY_TERMS = 5000


def copy_project(dest: Path) -> Path:
    """Copy the demo project's inputs (never out/ or caches) into `dest`."""
    dest.mkdir(parents=True)
    for part in PROJECT_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        elif src.is_file():
            shutil.copy2(src, dest / part)
    return dest


def demo_pack(root: Path) -> str:
    """Return the name of the demo pack (the first pack file)."""
    packs = sorted((root / "briefings" / "packs").glob("*.yaml"))
    if not packs:
        raise SystemExit(f"no pack under {root / 'briefings' / 'packs'}")
    return packs[0].stem


@dataclass
class Bench:
    """What every figure needs: where to work, how often to run."""

    home: Path
    runs: int
    quick: bool
    mt_runs: int = 1
    rss_sizes: tuple[int, ...] = (50, 500)
    demo: Path = field(init=False)  # a pristine copy of the demo project
    pack: str = field(init=False)
    built: Path | None = field(init=False, default=None)  # a demo copy with out/ up to date
    mt: list[dict[str, Any]] | None = field(init=False, default=None)  # mt_vs_argos.py runs

    def __post_init__(self) -> None:
        self.demo = copy_project(self.home / "demo")
        self.pack = demo_pack(self.demo)

    def project(self, name: str) -> Path:
        """Return a fresh copy of the demo project."""
        return copy_project(self.home / name)

    def built_project(self, name: str) -> Path:
        """Return a copy of the demo project whose packs are built (and caches filled)."""
        if self.built is None:
            self.built = self.project("built")
            run_child(briefpack_cmd("build"), cwd=self.built).check()
        dest = self.home / name
        shutil.copytree(self.built, dest)
        return dest


def pack_briefings(root: Path, pack: str) -> list[str]:
    """Return the briefing ids a pack lists, in order."""
    import yaml

    data = yaml.safe_load((root / "briefings" / "packs" / f"{pack}.yaml").read_text("utf-8"))
    return [str(b) for b in data["briefings"]]


def write_pack(root: Path, template: str, name: str, briefings: Sequence[str]) -> None:
    """Write pack `name`: the framing of pack `template` with another list of briefings.

    The pack's own German texts stay the same, so their translations are reused.
    """
    packs = root / "briefings" / "packs"
    text = (packs / f"{template}.yaml").read_text("utf-8")
    head = re.split(r"(?m)^briefings:", text, maxsplit=1)[0]
    body = "".join(f"  - {b}\n" for b in briefings)
    (packs / f"{name}.yaml").write_text(f"{head}briefings:\n{body}", encoding="utf-8")


def reset(root: Path) -> None:
    """Remove everything a build leaves behind: outputs, manifest, caches."""
    for name in ("out", ".briefpack-cache"):
        shutil.rmtree(root / name, ignore_errors=True)


def report_of(path: Path) -> dict[str, Any]:
    """Read a `--report` file."""
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def big_glossary(root: Path) -> None:
    """Grow the project's glossary to GLOSSARY_TERMS entries (benchmarks/bigglossary.py)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bigglossary import grow

    path = root / "glossary.yaml"
    path.write_text(grow(path.read_text("utf-8"), GLOSSARY_TERMS), encoding="utf-8")


def glossary_terms(root: Path) -> int:
    """Return the number of entries of a project's glossary (as the layout counts them)."""
    return (root / "glossary.yaml").read_text("utf-8").count("\n  - de: ")


def four_packs(b: Bench, name: str) -> Path:
    """Return a demo copy with four packs (the demo's briefings in different selections)."""
    root = b.project(name)
    briefings = pack_briefings(root, b.pack)
    for k in range(4):
        chosen = [x for i, x in enumerate(briefings) if i % 4 != k] or briefings
        write_pack(root, b.pack, f"pack-{k + 1}", chosen)
    (root / "briefings" / "packs" / f"{b.pack}.yaml").unlink()
    return root


def scale_project(b: Bench, sources: int) -> tuple[Path, str]:
    """Return a project whose one pack has `sources` copies of the demo briefings.

    Copies differ only in their id, so every German sentence is one the translation memory
    already has: no machine translation is needed and nothing new is segmented.
    """
    root = b.project(f"scale-{sources}")
    originals = pack_briefings(root, b.pack)
    folder = root / "briefings"
    ids = []
    for k in range(sources):
        src = originals[k % len(originals)]
        new = f"{src}-{k:03d}"
        text = (folder / f"{src}.yaml").read_text("utf-8")
        text = re.sub(r"(?m)^id: .*$", f"id: {new}", text, count=1)
        (folder / f"{new}.yaml").write_text(text, encoding="utf-8")
        ids.append(new)
    for src in originals:
        (folder / f"{src}.yaml").unlink()
    name = f"scale-{sources}"
    write_pack(root, b.pack, name, ids)
    (folder / "packs" / f"{b.pack}.yaml").unlink()
    return root, name
