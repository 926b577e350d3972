"""Reliability, round 2: the failure classes of issue 15 that the bad-input corpus cannot hold.

Those are command-line targets and arguments (export/report targets, `glossary add`
arguments, imports from pipes), writers near the readers' limits, locks and usage errors.
Each test runs the CLI as a user would (CliRunner through the real error handler, or a
subprocess where the entry point itself is under test) and checks the exit code, one
`error:` line naming the file, no traceback and that no project file changed.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import stat
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.errors import ExitCode, LockedError, OutputError
from briefpack.glossary.load import parse_glossary
from briefpack.source.load import load_content
from briefpack.source.memory import MAX_YAML_BYTES, load_memory, machine_entry
from briefpack.source.schema import Provenance
from briefpack.source.segment import segment_field, segment_key
from briefpack.util.fsutil import file_lock
from briefpack.util.paths import Project
from tests.badinput.harness import run_cli, watched
from tests.support import copy_project, snapshot

runner = CliRunner()
T = "translations/mearsheimer-diplomatie.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def cli(root: Path, *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process in `root`; an exception escaping the handler fails the test."""
    old = Path.cwd()
    os.chdir(root)
    try:
        res = runner.invoke(app, list(args))
    finally:
        os.chdir(old)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.stdout, res.stderr


def assert_refused(code: int, err: str, expected: ExitCode, name: str) -> None:
    assert code == expected, err
    assert err.startswith("error: ") and "Traceback" not in err, err
    assert name in err.splitlines()[-1] or name in err, err


# --- 1. a glossary that cannot be loaded: exit 3 for every command that needs it ------------


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


# --- 2. writers check the readers' limits ---------------------------------------------------


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


def test_the_memory_never_writes_a_file_over_the_read_limit(root: Path) -> None:
    folder = root / "translations"
    path = folder / "washington-ohnmacht.yaml"
    before = path.read_bytes()
    memory = load_memory(folder, display_root=root)
    filler = "Ein sehr langer Satz über Bündnisgarantien und Waffenstillstände " * 14
    for i in range(1100):  # ~1.1 MiB of German plus English
        seg = segment_field("washington-ohnmacht", "summary", f"{filler} Nummer {i}.").segments[0]
        memory.put(seg, machine_entry(seg.text, f"A long sentence {i}.", Provenance(engine="t")))
    with pytest.raises(OutputError) as info:
        memory.save()
    assert info.value.message.startswith("translations/washington-ohnmacht.yaml: not saved")
    assert f"over the read limit of {MAX_YAML_BYTES:,} bytes" in info.value.message
    assert path.read_bytes() == before
    load_memory(folder, display_root=root)  # everything still loads


# --- 3. and 4. one normalisation: NFD, format characters, ligatures -------------------------


def test_clean_folds_only_what_is_safe_in_german() -> None:
    from briefpack.util.text import clean

    assert clean(unicodedata.normalize("NFD", "Müller Straße")) == "Müller Straße"
    invisible = "Si\u00adcher\u200bheits\u200c\u200dga\u2060ran\u200etie\u200f\ufeff"
    assert clean(invisible) == "Sicherheitsgarantie"
    assert clean("Au\ufb00orstung, \ufb01nden, \ufb02iegen, \ufb03, \ufb04") == (
        "Aufforstung, finden, fliegen, ffi, ffl"
    )
    # What NFKC would wrongly change stays as written.
    for kept in ("50 m²", "CO₂", "½ Stunde", "Nr.\u00a05", "Marke™", "ſ"):
        assert clean(kept) == kept


def test_segment_keys_of_normal_text_are_unchanged_and_invisible_characters_ignored() -> None:
    sentence = "Der Beitrag verbindet Äußerungen von Kaja Kallas."
    old_key = hashlib.sha256(sentence.encode("utf-8")).hexdigest()[:16]  # the stored keys
    assert segment_key(sentence) == old_key
    assert (
        segment_key("Der Bei\u00adtrag verbindet \u00c4u\u00dferungen von Kaja Kallas.") == old_key
    )
    assert segment_key(unicodedata.normalize("NFD", sentence)) == old_key
    from briefpack.util.text import normalize

    assert normalize("Si\u00adcher\u00a0heit") == "Sicher heit"


def test_every_reviewed_translation_of_the_demo_still_matches(root: Path) -> None:
    content = load_content(Project(root), use_cache=False)
    assert content.pending(content.all_fields()) == []


def test_nfd_and_invisible_glossary_entries_match_nfc_text() -> None:
    nfd = unicodedata.normalize("NFD", "Bündnisgarantie")
    assert nfd != "Bündnisgarantie"
    text = (
        "version: 1\nterms:\n"
        f"  - de: {nfd}\n    en: security guarantee\n"
        "  - de: Waffen\u00adstill\u200bstand\n    en: ceasefire\n"
        "  - de: Au\ufb02age\n    en: condition\n"
    )
    glossary = parse_glossary(text)
    assert [t.de for t in glossary.terms] == ["Bündnisgarantie", "Waffenstillstand", "Auflage"]
    found = glossary.find("Die Bündnisgarantie, der Waffenstillstand und die Auflage.")
    assert sorted(m.entry.de for m in found) == [
        "Auflage",
        "Bündnisgarantie",
        "Waffenstillstand",
    ]


def test_glossary_add_of_an_nfd_term_is_the_existing_entry(root: Path) -> None:
    assert cli(root, "glossary", "add", "Rückversicherung", "reinsurance")[0] == 0
    before = (root / "glossary.yaml").read_bytes()
    nfd = unicodedata.normalize("NFD", "Rückversicherung")
    code, _, err = cli(root, "glossary", "add", nfd, "re-insurance")
    assert_refused(code, err, ExitCode.INVALID_INPUT, "glossary.yaml")
    assert "'Rückversicherung' is already in the glossary" in err
    assert (root / "glossary.yaml").read_bytes() == before
    code, out, _ = cli(root, "glossary", "show", "R\u00fcck\u00adversicherung")
    assert code == 0 and "en: reinsurance" in out


def test_glossary_check_reports_a_hand_written_nfd_duplicate(root: Path) -> None:
    with (root / "glossary.yaml").open("a", encoding="utf-8") as fh:
        fh.write(f"  - de: {unicodedata.normalize('NFD', 'Selenskyj')}x\n    en: a\n")
        fh.write(f"  - de: {unicodedata.normalize('NFD', 'Selenskyjx')}\n    en: b\n")
    code, _, err = cli(root, "glossary", "check")
    assert code == ExitCode.INVALID_INPUT and "duplicate entry 'Selenskyjx'" in err


# --- 5. locks: typed errors, never a traceback ---------------------------------------------


def test_lock_timeout_is_a_locked_error(tmp_path: Path) -> None:
    target = tmp_path / "glossary.yaml"
    script = (
        "import sys, time\nfrom pathlib import Path\nfrom briefpack.util.fsutil import file_lock\n"
        "with file_lock(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with (
            pytest.raises(LockedError, match="another briefpack process"),
            file_lock(target, timeout=0.2),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    with file_lock(target, timeout=5):  # released when its holder died
        pass


def test_a_lock_that_cannot_be_created_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "translations").write_text("a file where the folder should be")
    lock = file_lock(tmp_path / "translations" / "memory")
    with pytest.raises(OutputError, match="cannot create the lock file"), lock:
        pass


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


# --- 6. outputs never overwrite inputs or non-regular files --------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("glossary", "export", T),
        ("glossary", "export", "briefings/neu.csv"),
        ("glossary", "export", "seeds/terms.tbx"),
        ("check", "--report", T),
        ("check", "--report", "glossary.yaml"),
        ("build", "--report", "glossary.yaml"),
        ("build", "--out", "templates"),
    ],
    ids=lambda a: " ".join(a),
)
def test_outputs_never_replace_project_inputs(root: Path, args: tuple[str, ...]) -> None:
    before = snapshot(root)
    code, _, err = cli(root, *args)
    assert_refused(code, err, ExitCode.USAGE, args[-1])
    assert "is the project's own input" in err
    assert snapshot(root) == before


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
        code, _, err = cli(root, "glossary", "export", str(target))
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


# --- 7. bounded reads of non-regular inputs ------------------------------------------------


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


def test_read_bounded_never_reads_past_the_limit() -> None:
    from briefpack.util.fsutil import TooLargeError, read_bounded

    with pytest.raises(TooLargeError) as info:
        read_bounded(Path("/dev/zero"), 1000)
    assert info.value.size is None and "1,000" in info.value.message
    assert read_bounded(Path("/dev/null"), 10) == b""


# --- 8. control characters from a CSV ------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x1b"])
def test_control_characters_from_a_csv_are_refused(root: Path, char: str) -> None:
    csv = root.parent / "bad.csv"
    csv.write_text(f"de,en\nKontroll{char}zeichen,control character\n", encoding="utf-8")
    before = (root / "glossary.yaml").read_bytes()
    code, _, err = cli(root, "glossary", "import", str(csv))
    assert_refused(code, err, ExitCode.INVALID_INPUT, "glossary.yaml")
    assert f"U+{ord(char):04X} (a control character)" in err
    assert (root / "glossary.yaml").read_bytes() == before


# --- 9. smaller ones -----------------------------------------------------------------------


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
