"""Render workers: when a build uses them, and WeasyPrint's records sent back from them.

Rendering in workers (PDF bytes equal to one process's) is tested where it runs: parallel
packs in tests/e2e/test_formats.py, one pack through the console entry in
tests/e2e/test_build_pdf.py, records from workers in tests/commands/test_build.py.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from briefpack.output import workers
from briefpack.output.workers import HYPHENATED, pool_size
from briefpack.util.request import BuildRequest, parse_argv
from tests.conftest import LogRecords
from tests.support import DEMO_PACK, copy_project


@pytest.mark.parametrize(
    ("request_", "packs", "overlap", "cores", "size"),
    [
        (BuildRequest(), 4, False, 2, 2),  # --jobs defaults to the cores
        (BuildRequest(jobs=3), 4, False, 2, 3),  # as many as asked for
        (BuildRequest(jobs=8), 3, False, 2, 3),  # never more than packs
        (BuildRequest(jobs=1), 4, True, 2, 0),  # --jobs 1: in this process
        (BuildRequest(), 1, False, 2, 0),  # one pack, a library caller: here
        (BuildRequest(), 1, True, 2, 1),  # one pack from the CLI: beside the findings
        (BuildRequest(), 1, True, 1, 0),  # ... unless there is no second core
        (BuildRequest(jobs=4), 1, True, 1, 0),  # ... whatever --jobs says
        (BuildRequest(formats=("docx",)), 1, True, 2, 0),  # no PDF: faster than a worker
        (BuildRequest(formats=("html", "pdf")), 1, True, 2, 1),
        (BuildRequest(), 0, True, 2, 0),  # nothing to render
    ],
)
def test_pool_size(
    request_: BuildRequest,
    packs: int,
    overlap: bool,
    cores: int,
    size: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workers, "cores", lambda: cores)
    assert pool_size(request_, packs, overlap=overlap) == size


def test_console_entry_reads_jobs_from_any_build_command_line() -> None:
    # The console entry decides to start the fork server from the command line; `--force`
    # is one no snapshot answers (the no-op parser refuses it) but a build it still is.
    argv = ["build", "--force", "--jobs", "1", "--report", "r.json"]
    assert parse_argv(argv) is None
    request = parse_argv(argv, every=True)
    assert request is not None and request.jobs == 1 and request.force
    assert parse_argv(["build", "--help"], every=True) is None


def test_records_from_a_worker_reach_weasyprints_handlers_only(
    logs: LogRecords, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {"name": "weasyprint", "levelno": logging.WARNING, "levelname": "WARNING"}
    workers._replay([{**record, "msg": "Ignored `colr: red` at 3:5, unknown property."}])
    assert logs.messages == ["Ignored `colr: red` at 3:5, unknown property."]
    assert logs.records[0].name == "weasyprint"
    # As in one process (render_pdf stops their propagation while it renders): nothing
    # reaches the root logger, and no last-resort handler prints them.
    assert capsys.readouterr().err == ""


@pytest.mark.slow
def test_fork_server_reads_every_dictionary_a_pack_is_hyphenated_with(tmp_path: Path) -> None:
    # The fork server reads pyphen's dictionaries for HYPHENATED before any render; a theme
    # language missing there would be read again by every worker, a second slower.
    import pyphen  # type: ignore[import-untyped]

    from briefpack.commands.build import render_pack_html
    from briefpack.output.pdf import render_pdf
    from briefpack.output.theme import PACKAGED
    from briefpack.util.paths import Project

    html = render_pack_html(Project(copy_project(tmp_path / "p")), DEMO_PACK)
    pyphen.hdcache.clear()
    render_pdf(html, templates_dir=PACKAGED, epoch=0, variant="pdf/ua-1")
    used = set(pyphen.hdcache)
    assert used  # the demo hyphenates German and English text
    assert used == {pyphen.LANGUAGES[pyphen.language_fallback(lang)] for lang in HYPHENATED}
