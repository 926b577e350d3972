"""Faults: `kill -9` mid-write, stale temp files, concurrent edits of translations/.

The kill tests run the real CLI (or the translation memory's save) in a subprocess whose
`briefpack.util.fsutil` has its `os` swapped for a proxy that SIGKILLs the process at a chosen
point: right before the rename that publishes a file, or half-way through writing the temp
file. That is deterministic and proves the temp-file + rename design: whatever the moment,
the final name holds the old file or the new one, never a part.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from briefpack.errors import InputError, OutputError
from briefpack.glossary.load import load_glossary
from briefpack.source.memory import load_memory, machine_entry
from briefpack.source.schema import MemoryEntry, Provenance
from briefpack.source.segment import segment_field
from briefpack.util.fsutil import STALE_AFTER, atomic_write_bytes, remove_stale_temps
from tests.badinput.harness import run_cli
from tests.support import DEMO_PACK, copy_project

PDF = f"{DEMO_PACK}.pdf"
PREVIOUS = b"%PDF-1.7\n% the previous good build\n%%EOF\n"
PROV = Provenance(engine="test", package="faults", version="1")

# Runs `briefpack ARGS` (or, with `--tm`, a translation-memory save) with fsutil's `os`
# replaced: BP_KILL="replace:<file name or *>:<n>" kills at the n-th matching rename,
# "write:<file name>:1" after writing half of that file's temp file.
KILLER = r"""
import os, signal, sys
import briefpack.util.fsutil as fs

mode, target, nth = os.environ["BP_KILL"].split(":")
count = [0]


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def hit(name):
    if target != "*" and os.path.basename(name) != target:
        return False
    count[0] += 1
    return count[0] == int(nth)


class Half:
    def __init__(self, fh):
        self.fh = fh

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()

    def fileno(self):
        return self.fh.fileno()

    def write(self, data):
        self.fh.write(data[: len(data) // 2])
        self.fh.flush()
        os.fsync(self.fh.fileno())
        die()


class KillingOS:
    def __getattr__(self, name):
        return getattr(os, name)

    @staticmethod
    def replace(src, dst):
        if mode == "replace" and hit(dst):
            die()
        return os.replace(src, dst)

    @staticmethod
    def fdopen(fd, *args, **kwargs):
        fh = os.fdopen(fd, *args, **kwargs)
        temp = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        if mode == "write" and temp.startswith(f".{target}.") and hit(target):
            return Half(fh)
        return fh


fs.os = KillingOS()
if sys.argv[1] == "--tm":
    from pathlib import Path

    from briefpack.source.memory import load_memory, machine_entry
    from briefpack.source.schema import Provenance
    from briefpack.source.segment import segment_field

    folder = Path(sys.argv[2])
    memory = load_memory(folder, display_root=folder.parent)
    for doc in sys.argv[3:]:
        seg = segment_field(doc, "summary", f"Ein neuer Satz für {doc}.").segments[0]
        entry = machine_entry(seg.text, f"A new sentence for {doc}.", Provenance(engine="t"))
        memory.put(seg, entry)
    memory.save()
else:
    sys.argv = ["briefpack", *sys.argv[1:]]
    from briefpack.cli import main

    main()
"""


def run_killed(root: Path, kill: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run KILLER with `args` in `root`; it must die by SIGKILL at the `kill` point."""
    result = subprocess.run(
        [sys.executable, "-c", KILLER, *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "BP_KILL": kill},
        check=False,
    )
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stderr)
    return result


def temps(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.tmp"))


def age(paths: list[Path], seconds: float = 3600) -> None:
    """Pretend the files were left by a run killed `seconds` ago."""
    past = time.time() - seconds
    for p in paths:
        os.utime(p, (past, past))


# --- kill -9 of a build ------------------------------------------------------------------------


@pytest.mark.slow
def test_killed_build_keeps_the_previous_pdf_and_the_next_build_cleans_up(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    out = root / "out"
    out.mkdir()
    (out / PDF).write_bytes(PREVIOUS)

    # Killed after the whole new PDF was rendered, written and synced, right before the
    # rename that would publish it.
    run_killed(root, f"replace:{PDF}:1", "build")
    assert (out / PDF).read_bytes() == PREVIOUS
    (complete,) = temps(out)
    assert complete.name.startswith(f".{PDF}.")
    # No partial file under a final name: out/ holds the old PDF and a hidden temp file.
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [PDF]

    written = complete.read_bytes()

    # The next build is not disturbed by the leftover and removes it once it is stale.
    age(temps(out))
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    # The killed run's temp file held the whole new PDF: the same bytes this build published.
    assert (out / PDF).read_bytes() == written
    assert written.startswith(b"%PDF-") and written.rstrip().endswith(b"%%EOF")
    assert temps(out) == []


@pytest.mark.slow  # the memory's save in a subprocess, killed
@pytest.mark.parametrize(
    ("kill", "renamed"),
    [("replace:*:2", 1), ("write:washington-ohnmacht.yaml:1", 2)],
    ids=["before-second-rename", "half-way-through-third-file"],
)
def test_killed_translation_memory_save_leaves_every_file_old_or_new(
    tmp_path: Path, kill: str, renamed: int
) -> None:
    root = copy_project(tmp_path / "p")
    folder = root / "translations"
    docs = ["europa-sicherheitsgarantien-paris", "mearsheimer-diplomatie", "washington-ohnmacht"]
    before = {d: (folder / f"{d}.yaml").read_bytes() for d in docs}

    run_killed(root, kill, "--tm", str(folder), *docs)

    memory = load_memory(folder, display_root=root)  # every file still loads
    for doc in docs[:renamed]:  # renamed before the kill: the new file, old entries first
        saved = (folder / f"{doc}.yaml").read_text(encoding="utf-8")
        old_entries = yaml.safe_load(before[doc])["entries"]
        assert yaml.safe_load(saved)["entries"][: len(old_entries)] == old_entries
        new = segment_field(doc, "summary", f"Ein neuer Satz für {doc}.").segments[0]
        assert memory.lookup(new.key) is not None
    for doc in docs[renamed:]:  # not renamed yet: the old file, byte for byte
        assert (folder / f"{doc}.yaml").read_bytes() == before[doc]
    assert len(temps(folder)) == 1  # the temp file of the file being written

    # The leftover temp file is ignored: the project still checks clean apart from the new
    # (unused) entries.
    result = run_cli(root, "check")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("unused machine entry ('Ein neuer Satz") == renamed


@pytest.mark.slow  # the CLI in a subprocess, killed
def test_killed_glossary_add_leaves_the_glossary_whole(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    glossary = root / "glossary.yaml"
    before = glossary.read_bytes()
    add = ("glossary", "add", "Faultbegriff", "fault term")

    run_killed(root, "write:glossary.yaml:1", *add)  # half-way through the temp file
    assert glossary.read_bytes() == before
    run_killed(root, "replace:glossary.yaml:1", *add)  # written, not yet renamed
    assert glossary.read_bytes() == before
    load_glossary(glossary, root=root)  # still valid
    assert len(temps(root)) == 2

    age(temps(root))
    result = run_cli(root, *add)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Faultbegriff" in glossary.read_text(encoding="utf-8")
    assert temps(root) == []


# --- stale temp files --------------------------------------------------------------------------


def test_only_stale_unlocked_temps_of_the_same_file_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "pack.pdf"
    stale = tmp_path / ".pack.pdf.ab12cd_9.tmp"
    fresh = tmp_path / ".pack.pdf.zz99zz99.tmp"
    locked = tmp_path / ".pack.pdf.lockedxx.tmp"
    others = [
        tmp_path / ".other.pdf.ab12cd34.tmp",  # another file's temp
        tmp_path / ".pack.pdf.tmp",  # not our naming pattern
        tmp_path / "pack.pdf.ab12cd34.tmp",  # not hidden: not ours
        tmp_path / ".pack.pdf.ab12cd345.tmp",  # nine random characters: not mkstemp's
    ]
    for p in [stale, fresh, locked, *others]:
        p.write_bytes(b"partial")
    link = tmp_path / ".pack.pdf.symlinkx.tmp"
    link.symlink_to(tmp_path / "pack.pdf.ab12cd34.tmp")
    age([stale, locked, *others])
    os.utime(link, (0, 0), follow_symlinks=False)

    fd = os.open(locked, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # a live writer
        assert remove_stale_temps(target) == [stale]
    finally:
        os.close(fd)
    assert not stale.exists()
    assert all(p.exists() for p in [fresh, locked, *others])
    assert link.is_symlink()
    assert STALE_AFTER <= 60


def test_atomic_write_into_a_file_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(OutputError) as info:
        atomic_write_bytes(tmp_path / "out" / PDF, b"%PDF-")
    assert f"out/{PDF}: cannot write" in info.value.message


# --- concurrent edits of translations/ ---------------------------------------------------------


def _seg(doc: str, text: str):  # type: ignore[no-untyped-def]
    return segment_field(doc, "summary", text).segments[0]


def test_a_reviewer_edit_made_during_a_run_survives_the_save(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    folder = root / "translations"
    path = folder / "mearsheimer-diplomatie.yaml"
    memory = load_memory(folder, display_root=root)
    new = _seg("mearsheimer-diplomatie", "Ein neuer Satz, den die Maschine übersetzt.")
    memory.put(new, machine_entry(new.text, "A new sentence the machine translated.", PROV))

    # Meanwhile a reviewer rewrites one translation and adds one of their own.
    text = path.read_text(encoding="utf-8")
    old_en = '"He describes this new position as a compromise."'
    assert old_en in text
    text = text.replace(old_en, '"He calls this new stance a compromise."')
    text += "- de: Ein Satz des Reviewers.\n  en: A reviewer's sentence.\n  status: reviewed\n"
    path.write_text(text, encoding="utf-8")

    assert memory.save() == [path]
    again = load_memory(folder, display_root=root)
    ens = [e.en for p, e in again.all_entries() if p == path]
    assert "He calls this new stance a compromise." in ens
    assert "He describes this new position as a compromise." not in ens
    assert "A reviewer's sentence." in ens
    assert ens[-1] == "A new sentence the machine translated."
    # What the run saved is what it now holds: lookups agree with the file.
    assert memory.lookup(_seg("x", "Ein Satz des Reviewers.").key) is not None


def test_two_runs_saving_the_same_file_keep_both_additions(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    folder = root / "translations"
    one = load_memory(folder, display_root=root)
    two = load_memory(folder, display_root=root)
    a = _seg("washington-ohnmacht", "Erster neuer Satz.")
    b = _seg("washington-ohnmacht", "Zweiter neuer Satz.")
    one.put(a, machine_entry(a.text, "First new sentence.", PROV))
    two.put(b, machine_entry(b.text, "Second new sentence.", PROV))
    one.save()
    two.save()
    again = load_memory(folder, display_root=root)
    assert again.lookup(a.key) is not None and again.lookup(b.key) is not None


def test_pruning_keeps_an_entry_a_reviewer_changed_meanwhile(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    folder = root / "translations"
    path = folder / "mearsheimer-diplomatie.yaml"
    memory = load_memory(folder, display_root=root)
    entry = next(e for p, e in memory.all_entries() if p == path)
    # Pretend the run prunes this entry (as `translate --prune` does with machine ones).
    key = _seg("x", entry.de).key
    assert memory.remove_keys([key], status=entry.status) == 1
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(entry.en, entry.en + " (checked)", 1), encoding="utf-8")
    memory.save()
    kept = load_memory(folder, display_root=root).lookup(key)
    assert kept is not None and kept.en == entry.en + " (checked)"


def test_a_file_deleted_during_a_run_is_written_whole(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    folder = root / "translations"
    path = folder / "washington-ohnmacht.yaml"
    memory = load_memory(folder, display_root=root)
    count = sum(1 for p, _ in memory.all_entries() if p == path)
    seg = _seg("washington-ohnmacht", "Noch ein Satz.")
    memory.put(seg, machine_entry(seg.text, "One more sentence.", PROV))
    path.unlink()  # e.g. an editor that saves by delete + rename, caught in between
    memory.save()
    again = load_memory(folder, display_root=root)
    assert sum(1 for p, _ in again.all_entries() if p == path) == count + 1


def test_ctrl_c_mid_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / PDF
    target.write_bytes(PREVIOUS)

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, b"%PDF-new")
    assert target.read_bytes() == PREVIOUS
    assert [p.name for p in tmp_path.iterdir()] == [PDF]


def test_a_file_broken_during_a_run_is_reported_not_overwritten(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    folder = root / "translations"
    broken = folder / "mearsheimer-diplomatie.yaml"
    other = folder / "washington-ohnmacht.yaml"
    memory = load_memory(folder, display_root=root)
    for doc, text in (("mearsheimer-diplomatie", "Satz eins."), ("washington-ohnmacht", "Zwei.")):
        seg = _seg(doc, text)
        memory.put(seg, MemoryEntry(de=seg.text, en="x", status="machine"))
    half = broken.read_bytes()[:-40] + b'\n  en: "unclosed\n'
    broken.write_bytes(half)  # a reviewer's editor is half-way through saving

    with pytest.raises(InputError) as info:
        memory.save()
    (line,) = info.value.lines()
    assert line.startswith("translations/mearsheimer-diplomatie.yaml:")
    assert "changed while briefpack ran" in line
    assert broken.read_bytes() == half
    assert "Zwei." in other.read_text(encoding="utf-8")  # the other file was saved


# --- kill -9 during machine translation: the memory is checkpointed ----------------------------

# Runs `briefpack ARGS` with the translation memory checkpointed every BP_CHUNK segments and
# SIGKILLs the process as the engine starts decoding the second chunk: by then the first
# chunk has been translated, stored and saved, the rest not yet.
RESUMABLE = r"""
import os, signal, sys

import briefpack.translation.machine as machine
from briefpack.translation.engines.argos import ArgosEngine

machine.CHECKPOINT_SEGMENTS = int(os.environ["BP_CHUNK"])
decode = ArgosEngine._decode
calls = [0]


def dying_decode(self, *args, **kwargs):
    calls[0] += 1
    if calls[0] == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return decode(self, *args, **kwargs)


ArgosEngine._decode = dying_decode
sys.argv = ["briefpack", *sys.argv[1:]]
from briefpack.cli import main

main()
"""
NEW_SENTENCES = [
    f"Der {word} Vorschlag wurde am Dienstag in Genf besprochen."
    for word in (
        "erste", "zweite", "dritte", "vierte", "fünfte",
        "sechste", "siebte", "achte", "neunte", "zehnte",
    )
]  # fmt: skip


def _machine_sentences(root: Path) -> set[str]:
    memory = load_memory(root / "translations", display_root=root)
    return {e.de for _, e in memory.all_entries() if e.status == "machine"}


@pytest.mark.slow
@pytest.mark.parametrize("command", ["translate", "build"])
def test_translation_killed_mid_way_keeps_what_was_decoded(
    tmp_path: Path, models_dir: Path, tiny_copy_package: Path, command: str
) -> None:
    from briefpack.translation.packages import install_from_file

    install_from_file(tiny_copy_package)
    root = copy_project(tmp_path / "p")
    path = root / "briefings" / "washington-ohnmacht.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "assessment: >-\n"
    assert marker in text
    path.write_text(text.replace(marker, f"{marker}  {' '.join(NEW_SENTENCES)}\n", 1))
    before = _machine_sentences(root)

    result = subprocess.run(
        [sys.executable, "-c", RESUMABLE, command],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "BP_CHUNK": "4"},
        check=False,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    kept = _machine_sentences(root) - before
    assert len(kept) == 4 and kept <= set(NEW_SENTENCES)  # the first checkpoint, whole
    assert temps(root / "translations") == []  # killed while decoding, not while saving

    rerun = run_cli(root, command)
    assert rerun.returncode == 0, rerun.stderr
    assert "translated 6 segment(s)" in rerun.stdout  # only the rest
    assert _machine_sentences(root) - before == set(NEW_SENTENCES)
