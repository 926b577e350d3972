"""The no-op build from the input snapshot: every kind of change is seen, nothing else is.

Each test builds a copy of the demo (the full path, which records the snapshot), changes one
input, and compares the snapshot's verdict with what the full build (the fingerprints) says.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.commands.noop import BuildTarget, fast_build
from briefpack.util import snapshot
from briefpack.util.request import parse_argv
from tests.support import DEMO_PACK, copy_project, override

pytestmark = pytest.mark.slow

runner = CliRunner()


def full(root: Path, *args: str) -> tuple[int, str, str]:
    """Run the full build (the Typer command, never the fast path); it records a snapshot."""
    result = runner.invoke(app, ["build", "--project", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def fast(root: Path, *args: str) -> tuple[str, str] | None:
    """Return what the fast path prints for `build ARGS`, or None if it defers."""
    out = fast_build(["build", "--project", str(root), *args])
    return (
        None
        if out is None
        else ("".join(x + "\n" for x in out.stdout), "".join(x + "\n" for x in out.stderr))
    )


def verdict(root: Path, *args: str) -> snapshot.Verdict:
    """Return the snapshot's verdict on the default target (or the one of ARGS)."""
    request = parse_argv(["build", *args])
    assert request is not None
    target = BuildTarget.for_request(root, request)
    return snapshot.check(root, target.key)


@pytest.fixture(scope="module")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("snap") / "demo")
    code, stdout, stderr = full(root)
    assert code == 0, stdout + stderr
    return root


@pytest.fixture
def built(built_template: Path, tmp_path: Path) -> Iterator[Path]:
    """A built demo copy whose snapshot is recorded (the PDFs and caches came with it)."""
    root = tmp_path / "p"
    shutil.copytree(built_template, root, symlinks=True)
    code, stdout, stderr = full(root)  # new paths: the fingerprints say "up to date"
    assert code == 0 and "up to date" in stdout, stdout + stderr
    yield root


def settle(root: Path) -> None:
    """Wait until no input is racily clean, and let one check re-verify them all."""
    time.sleep(snapshot.RACY_NS / 1e9 + 0.05)
    assert verdict(root).fresh


def test_unchanged_fast_output_equals_the_full_path(built: Path, tmp_path: Path) -> None:
    fast_out = fast(built, "--report", str(tmp_path / "fast.json"))
    code, stdout, stderr = full(built, "--report", str(tmp_path / "full.json"))
    assert code == 0
    assert fast_out == (stdout, stderr)
    assert f"up to date: {built / 'out' / (DEMO_PACK + '.pdf')}" in stdout
    fast_report = json.loads((tmp_path / "fast.json").read_text("utf-8"))
    full_report = json.loads((tmp_path / "full.json").read_text("utf-8"))
    assert fast_report == full_report


def test_touched_without_change_is_a_no_op_and_hashes_only_that_file(built: Path) -> None:
    settle(built)
    path = built / "briefings" / "mearsheimer-diplomatie.yaml"
    before = os.stat(path).st_mtime_ns
    os.utime(path, ns=(before + 5_000_000_000, before + 5_000_000_000))
    v = verdict(built)
    assert v.fresh, v.reason
    assert v.scan is not None and v.scan.hashed == [str(path)]
    code, stdout, _ = full(built)
    assert code == 0 and "up to date" in stdout and "built " not in stdout
    # The new stat was remembered: the next check hashes nothing it verified long ago.
    settle(built)
    v = verdict(built)
    assert v.fresh and v.scan is not None and v.scan.hashed == []


def test_an_intake_run_is_no_build_input(built: Path, tmp_path: Path) -> None:
    # feeds.yaml, inbox/ and the intake's cache shape no output: a real intake run (feeds
    # from the 127.0.0.1 test server) leaves the build a no-op, on both paths.
    from tests.commands.intake.feedserver import GOOD_FEEDS, serve, write_feeds

    with serve() as server:
        write_feeds(built, server.base, GOOD_FEEDS)
        result = runner.invoke(app, ["intake", "--project", str(built)])
    assert result.exit_code == 0 and "added 4 item(s)" in result.stdout, result.output
    assert len(list((built / "inbox").glob("*.yaml"))) == 4
    v = verdict(built)
    assert v.fresh, v.reason
    assert fast(built) is not None
    code, stdout, _ = full(built)
    assert code == 0 and "up to date" in stdout and "built " not in stdout


def _rewrite_same_stat(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data and len(old) == len(new)
    st = os.stat(path)
    path.write_bytes(data.replace(old, new, 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime: only ctime


def test_content_change_behind_the_same_size_and_mtime_is_seen(built: Path) -> None:
    settle(built)
    path = built / "briefings" / "mearsheimer-diplomatie.yaml"
    _rewrite_same_stat(path, b"Diplomatie", b"Diplomacie")
    assert not verdict(built).fresh
    assert fast(built) is None


@pytest.mark.parametrize(
    "change",
    [
        "template",
        "glossary",
        "seed",
        "pack",
        "briefing",
        "output-pdf",
        "deleted-pdf",
    ],
)
def test_a_change_that_shapes_the_pdf_is_stale_and_the_full_path_rebuilds(
    built: Path, change: str
) -> None:
    pdf = built / "out" / f"{DEMO_PACK}.pdf"
    if change == "template":  # the project overrides the packaged stylesheet
        with override(built, "style.css").open("a", encoding="utf-8") as fh:
            fh.write("\n/* a change */\n")
    elif change == "glossary":
        # The note of a term the pack uses: its glossary table shows it.
        text = (built / "glossary.yaml").read_text("utf-8")
        text = text.replace('note: "Volodymyr Zelensky.', 'note: "President Zelensky.', 1)
        (built / "glossary.yaml").write_text(text, encoding="utf-8")
    elif change == "seed":
        seed = sorted((built / "seeds").glob("*.txt"))[0]
        seed.write_text(seed.read_text("utf-8") + "\nNoch ein Satz.\n", encoding="utf-8")
    elif change == "pack":
        path = built / "briefings" / "packs" / f"{DEMO_PACK}.yaml"
        path.write_text(path.read_text("utf-8") + "\n# comment\n", encoding="utf-8")
    elif change == "briefing":
        path = built / "briefings" / "mearsheimer-diplomatie.yaml"
        path.write_text(path.read_text("utf-8") + "\n# comment\n", encoding="utf-8")
    elif change == "output-pdf":
        pdf.write_bytes(pdf.read_bytes() + b"\n")
    elif change == "deleted-pdf":
        pdf.unlink()
    v = verdict(built)
    assert not v.fresh, change
    assert fast(built) is None
    code, stdout, stderr = full(built, "--draft") if change == "seed" else full(built)
    assert code == 0, stdout + stderr
    # Even a comment changes a YAML file's bytes, which the fingerprint covers.
    assert "built " in stdout, (change, stdout)


def test_new_file_in_briefings_and_deleted_translation_are_stale(built: Path) -> None:
    (built / "briefings" / "notes.txt").write_text("scratch\n", encoding="utf-8")
    assert not verdict(built).fresh
    code, _, _ = full(built)
    assert code == 0
    assert verdict(built).fresh  # the full build recorded the new set of files
    (built / "briefings" / "notes.txt").unlink()
    assert not verdict(built).fresh
    full(built)
    victim = sorted((built / "translations").glob("*.yaml"))[0]
    victim.unlink()
    v = verdict(built)
    assert not v.fresh and "removed" in v.reason
    code, stdout, stderr = full(built)
    # Its sentences now have no English and no model is installed: the full path agrees
    # that this is no no-op (it stops with "missing model", exit 4).
    assert code == 4, stdout + stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--force",),
        ("--draft",),
        ("--pdf-variant", "none"),
        ("--output", "OTHER"),
        ("--strict",),
        (DEMO_PACK,),
        ("--format", "pdf,html", "--jobs", "1"),
    ],
)
def test_other_options_are_another_target(
    built: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    args = tuple(str(tmp_path / "other") if a == "OTHER" else a for a in args)
    assert fast(built, *args) is None  # never recorded for these options
    code, stdout, stderr = full(built, *args)
    assert code == 0, stdout + stderr
    if args == ("--force",):
        assert "built " in stdout
        assert fast(built, *args) is None  # --force always runs the full build
        assert fast(built) is not None  # ... and records the plain target
        return
    out = fast(built, *args)
    assert out is not None
    code, stdout2, stderr2 = full(built, *args)
    assert out == (stdout2, stderr2)
    assert "up to date" in stdout2


def test_parse_argv_defers_anything_it_does_not_know() -> None:
    assert parse_argv(["build"]) is not None
    assert parse_argv(["build", "p1", "--draft", "--output=x", "-p", "."]) is not None
    both = parse_argv(["build", "--format", "HTML,pdf,html", "-j", "2"])
    assert both is not None and both.formats == ("html", "pdf")  # as the CLI parses them
    for argv in (
        ["check"],
        ["build", "--force"],
        ["build", "--help"],
        ["build", "--jobs", "0"],
        ["build", "--format", "pdf,odt"],
        ["build", "--format", ""],
        ["build", "--pdf-variant", "pdf/ua-1"],
        ["build", "--device", "gpu"],
        ["build", "--draft", "--draft"],
        ["build", "--output"],
        ["build", "--out", "x"],  # the old spelling: the full CLI accepts it and says so
        ["build", "-o", "a", "-o", "b"],
        ["--version", "build"],
    ):
        assert parse_argv(argv) is None, argv


NO_HEAVY = """
import sys
sys.argv = ["briefpack", *sys.argv[1:]]
from briefpack.entry import main
try:
    code = main()
except SystemExit as exc:  # the Typer app exits by itself
    code = exc.code
heavy = [m for m in ("pydantic", "jinja2", "yaml", "ruamel", "typer", "briefpack.source",
                     "briefpack.commands.build", "weasyprint") if m in sys.modules]
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
sys.exit(code)
"""


def test_a_no_op_build_imports_no_heavy_module(built_template: Path, tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(built_template, root, symlinks=True)

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", NO_HEAVY, "build"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    first = run()  # a new snapshot target: the full path, which records it
    assert first.returncode == 0, first.stderr
    assert "pydantic" in first.stderr.splitlines()[-1]
    second = run()
    assert second.returncode == 0, second.stderr
    assert second.stderr.splitlines()[-1] == "HEAVY="
    assert second.stdout == first.stdout
    assert f"up to date: out/{DEMO_PACK}.pdf" in second.stdout
