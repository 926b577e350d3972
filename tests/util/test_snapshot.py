"""The input snapshot's list of what a build reads, against the project's inputs."""

from __future__ import annotations

from briefpack.util import snapshot
from briefpack.util.paths import Input

# What people edit that no build reads: the press intake's files (`intake`, `inbox`).
NOT_BUILD_INPUTS = {Input.FEEDS, Input.INBOX}


def test_the_snapshot_covers_every_input_a_build_reads() -> None:
    # snapshot.py keeps its own names (it runs before anything heavier is imported); they
    # must be the project's inputs (util.paths.Input) but for the intake's.
    read = {i.value for i in Input if i not in NOT_BUILD_INPUTS}
    assert {*snapshot.TREES, *snapshot.FILES} == read
