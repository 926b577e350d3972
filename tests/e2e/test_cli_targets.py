"""What the CLI refuses that the bad-input corpus (tests/badinput/) cannot hold.

Inputs that are not regular files (a glossary that is a folder or a FIFO, /dev/zero, an endless
pipe), writers near the readers' size limits, read-only projects and write-protected files,
export targets that are FIFOs, symlinks or devices, control characters from a CSV, conflicting
reviewed translations and usage errors. Each test runs the CLI as a user would (CliRunner
through the real error handler, or a subprocess where the entry point itself is under test)
and checks the exit code, one `error:` line naming the file, no traceback and that no project
file changed.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefpack.errors import ExitCode, OutputError
from briefpack.source.memory import MAX_YAML_BYTES, load_memory, machine_entry
from briefpack.source.schema import Provenance
from briefpack.source.segment import segment_field
from tests.badinput.harness import run_cli, watched
from tests.support import cli_in, copy_project, snapshot

T = "translations/mearsheimer-diplomatie.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


cli = cli_in


def assert_refused(code: int, err: str, expected: ExitCode, name: str) -> None:
    assert code == expected, err
    assert err.startswith("error: ") and "Traceback" not in err, err
    assert name in err.splitlines()[-1] or name in err, err


# --- a glossary that cannot be loaded: exit 3 for every command that needs it ------------


@pytest.mark.parametrize("command", [("check",), ("check", "--strict"), ("translate", "--dry-run")])
def test_every_command_refuses_a_glossary_that_is_a_folder(root: Path, command: tuple[str]) -> None:
    (root / "glossary.yaml").unlink()
    (root / "glossary.yaml").mkdir()
    before = watched(root)
    code, out, err = cli(root, *command)
    assert_refused(code, err, ExitCode.INVALID_INPUT, "glossary.yaml")
    assert "ok: no errors" not in out
    assert watched(root) == before


def test_a_glossary_fifo_is_refused_not_waited_for(root: Path) -> None:
    (root / "glossary.yaml").unlink()
    os.mkfifo(root / "glossary.yaml")
    code, _, err = cli(root, "check")  # no writer: reading it would block forever
    assert_refused(code, err, ExitCode.INVALID_INPUT, "glossary.yaml")
    assert "not a regular file (a FIFO)" in err


# --- writers check the readers' limits ---------------------------------------------------


@pytest.mark.slow
def test_importing_30000_rows_does_not_write_a_glossary_over_the_limit(root: Path) -> None:
    csv = root.parent / "huge.csv"
    rows = "".join(
        f"Fachbegriffnummer{i:05d}xyz,technical term number {i:05d}\n" for i in range(30_000)
    )
    csv.write_text("de,en\n" + rows, encoding="utf-8")
    before = (root / "glossary.yaml").read_bytes()
    code, _, err = cli(root, "glossary", "import", str(csv))
    assert_refused(code, err, ExitCode.INVALID_INPUT, "glossary.yaml")
    assert "over the limit of 2,097,152 bytes" in err
    assert (root / "glossary.yaml").read_bytes() == before
    assert cli(root, "glossary", "check")[0] == 0


@pytest.mark.slow  # saves 1 MiB of YAML through the pure-Python reader
def test_the_memory_never_writes_a_file_over_the_read_limit(root: Path) -> None:
    folder = root / "translations"
    path = folder / "washington-ohnmacht.yaml"
    before = path.read_bytes()
    memory = load_memory(folder, display_root=root)
    filler = "Ein sehr langer Satz über Bündnisgarantien und Waffenstillstände " * 14
    for i in range(1100):  # ~1.1 MiB of German plus English
        text = f"{filler} Nummer {i}."  # one sentence: no need to run the splitter
        seg = segment_field("washington-ohnmacht", "summary", text, split=False).segments[0]
        memory.put(seg, machine_entry(seg.text, f"A long sentence {i}.", Provenance(engine="t")))
    with pytest.raises(OutputError) as info:
        memory.save()
    assert info.value.message.startswith("translations/washington-ohnmacht.yaml: not saved")
    assert f"over the read limit of {MAX_YAML_BYTES:,} bytes" in info.value.message
    assert path.read_bytes() == before
    load_memory(folder, display_root=root)  # everything still loads


def run_read_only(root: Path, folders: list[Path], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI in `root` with `folders` read-only, as a user would meet them.

    Not root: chmod. Root ignores permission bits, so there the folders are bind-mounted
    read-only in a private mount namespace (`unshare -m`): EROFS, like a read-only share.
    """
    command = [sys.executable, "-m", "briefpack", *args]
    if os.geteuid() != 0:
        for folder in folders:
            folder.chmod(0o555)
        try:
            return run_cli(root, *args)
        finally:
            for folder in folders:
                folder.chmod(0o755)
    mounts = " && ".join(
        f"mount --bind {shlex.quote(str(f))} {shlex.quote(str(f))} && "
        f"mount -o remount,bind,ro {shlex.quote(str(f))}"
        for f in folders
    )
    script = f"{mounts} && exec {shlex.join(command)}"
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_read_only_project_root_is_a_clean_error(root: Path) -> None:
    before = snapshot(root)
    result = run_read_only(root, [root], "glossary", "add", "Neuwort", "new word")
    assert result.returncode == ExitCode.FAILED, result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert "glossary.yaml" in result.stderr and "lock file" in result.stderr
    assert snapshot(root) == before


def test_read_only_translations_is_a_clean_error(root: Path) -> None:
    with (root / "translations" / "washington-ohnmacht.yaml").open("a", encoding="utf-8") as fh:
        fh.write("- de: Ein Satz, den niemand mehr braucht.\n  en: Unused.\n  status: machine\n")
    before = snapshot(root / "translations")
    result = run_read_only(root, [root / "translations"], "translate", "--prune")
    assert result.returncode == ExitCode.FAILED, result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert "translations/" in result.stderr
    assert snapshot(root / "translations") == before


def test_export_to_fifo_symlink_or_device_is_refused(root: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "terms.csv"
    os.mkfifo(fifo)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    link = tmp_path / "link.csv"
    link.symlink_to(victim)
    targets = [(fifo, stat.S_ISFIFO), (link, stat.S_ISLNK)]
    if os.geteuid() == 0:  # as root, export once replaced a device node by a file
        device = tmp_path / "null.csv"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        targets.append((device, stat.S_ISCHR))
    for target, kind in targets:
        code, _, err = cli(root, "glossary", "export", "-o", str(target))
        assert_refused(code, err, ExitCode.FAILED, str(target))
        assert "refusing to replace it" in err
        assert kind(os.lstat(target).st_mode)
    assert victim.read_text() == "keep me\n"


def test_write_protected_files_are_refused_not_replaced(root: Path) -> None:
    glossary = root / "glossary.yaml"
    glossary.chmod(0o444)
    before = glossary.read_bytes()
    code, _, err = cli(root, "glossary", "add", "Neuwort", "new word")
    assert_refused(code, err, ExitCode.FAILED, "glossary.yaml")
    assert "write-protected" in err
    assert glossary.read_bytes() == before and glossary.stat().st_mode & 0o777 == 0o444

    folder = root / "translations"
    (folder / "washington-ohnmacht.yaml").chmod(0o444)
    memory = load_memory(folder, display_root=root)
    seg = segment_field("washington-ohnmacht", "summary", "Ein neuer Satz.").segments[0]
    memory.put(seg, machine_entry(seg.text, "A new sentence.", Provenance(engine="t")))
    with pytest.raises(OutputError, match="write-protected"):
        memory.save()


# --- bounded reads of non-regular inputs ------------------------------------------------


def test_import_from_dev_zero_stops_at_the_limit(root: Path) -> None:
    before = (root / "glossary.yaml").read_bytes()
    code, _, err = cli(root, "glossary", "import", "/dev/zero", "--format", "csv")
    assert_refused(code, err, ExitCode.INVALID_INPUT, "/dev/zero")
    assert "holds more than the limit of 16,777,216 bytes" in err
    assert (root / "glossary.yaml").read_bytes() == before


@pytest.fixture
def endless_fifo(tmp_path: Path) -> Iterator[Path]:
    """A FIFO fed by a writer that stops only when the reader goes away."""
    fifo = tmp_path / "feed.csv"
    os.mkfifo(fifo)
    wrote = [0]

    def feed() -> None:
        try:
            with open(fifo, "wb") as fh:
                row = b"Begriff,term\n" * 4096
                while wrote[0] < 64 * 1024 * 1024:  # bounded: fails the test, never hangs
                    fh.write(row)
                    wrote[0] += len(row)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    yield fifo
    writer.join(timeout=30)
    assert wrote[0] < 64 * 1024 * 1024, "the reader read the whole 64 MiB"


def test_import_from_a_pipe_stops_at_the_limit(root: Path, endless_fifo: Path) -> None:
    code, _, err = cli(root, "glossary", "import", str(endless_fifo))
    assert_refused(code, err, ExitCode.INVALID_INPUT, str(endless_fifo))


# --- control characters from a CSV ------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x1b"])
def test_control_characters_from_a_csv_are_refused(root: Path, char: str) -> None:
    csv = root.parent / "bad.csv"
    csv.write_text(f"de,en\nKontroll{char}zeichen,control character\n", encoding="utf-8")
    before = (root / "glossary.yaml").read_bytes()
    code, _, err = cli(root, "glossary", "import", str(csv))
    assert_refused(code, err, ExitCode.INVALID_INPUT, "glossary.yaml")
    assert f"U+{ord(char):04X} (a control character)" in err
    assert (root / "glossary.yaml").read_bytes() == before


# --- smaller ones -----------------------------------------------------------------------


def test_two_reviewed_translations_that_disagree_fail_strict(root: Path) -> None:
    path = root / T
    text = path.read_text(encoding="utf-8")
    first = "- de: 'Mearsheimer: Diplomatie ohne Aussicht auf ein Friedensabkommen'\n"
    assert first in text
    other = root / "translations" / "washington-ohnmacht.yaml"
    with other.open("a", encoding="utf-8") as fh:
        fh.write(
            first + "  en: 'Mearsheimer: diplomacy without hope of peace'\n  status: reviewed\n"
        )
    code, out, err = cli(root, "check")
    assert code == 0 and "1 warning" in out
    (line,) = [x for x in err.splitlines() if "conflicting" in x or "says" in x]
    assert "translations/washington-ohnmacht.yaml" in line and T in line
    code, _, err = cli(root, "check", "--strict")
    assert code == ExitCode.VIOLATIONS and err.splitlines()[-1].startswith("error: --strict")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("build", "--bogus"), "No such option: --bogus"),
        (("glossary", "add"), "Missing argument"),
        (("check", "--strict=maybe"), "--strict"),
    ],
    ids=["unknown-option", "missing-argument", "option-takes-no-value"],
)
def test_usage_errors_are_one_error_line(root: Path, args: tuple[str, ...], words: str) -> None:
    result = run_cli(root, *args)
    assert result.returncode == ExitCode.USAGE, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ") and words in line, result.stderr
    assert "╭" not in result.stderr and result.stdout == ""
