"""Every bad-input case through `briefpack check` and `briefpack build`.

Each run gets its own copy of the demo project whose out/ holds a "previous good" PDF (a
stand-in without a manifest, so a build that wrongly went ahead would overwrite it).
A failing run must exit with the documented code, print one clean line per problem naming
the file (and line:column where the case says so), never a traceback, and leave every file
under out/, briefings/, translations/ and glossary.yaml byte-identical.

`build` runs as a real subprocess (`python -m briefpack build`, the unattended path): the
subprocesses of all selected cases run in parallel, one per core, then each test checks its
own outcome. `check` runs in-process through Typer's CliRunner, which goes through the same
error handler and records any exception that escapes it; a subprocess per run would add
~0.3 s each for no extra proof.
"""

from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.errors import ExitCode
from tests.badinput.cases import CASES, Case, P, json_ok
from tests.badinput.harness import (
    PREVIOUS_PDF,
    good_pdf,
    project_with_good_out,
    project_with_previous_pdf,
    run_cli,
    watched,
)
from tests.support import DEMO_PACK

pytestmark = pytest.mark.slow

COMMANDS = ("check", "build")
runner = CliRunner()


@dataclass
class Outcome:
    """What one command did to one mutated copy."""

    root: Path
    extra: tuple[str, ...]
    before: dict[str, bytes]
    after: dict[str, bytes]
    result: subprocess.CompletedProcess[str]


def _run(case: Case, command: str, base: Path) -> Outcome:
    dest = base / f"{case.id}-{command}"
    root = project_with_good_out(dest) if case.good_out else project_with_previous_pdf(dest)
    extra = case.mutate(root) or ()
    before = watched(root)
    if command == "build":
        result = run_cli(root, command)
    else:
        res = runner.invoke(app, [command, "--project", str(root)])
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            raise res.exception  # an exception escaped the CLI's error handler: a traceback
        result = subprocess.CompletedProcess([command], res.exit_code, res.stdout, res.stderr)
    return Outcome(root, extra, before, watched(root), result)


def _guarded(case: Case, command: str, base: Path) -> Outcome | BaseException:
    try:
        return _run(case, command, base)
    except Exception as exc:  # reported by the pair's own test, not by the fixture
        return exc


@pytest.fixture(scope="module")
def outcomes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], Outcome | BaseException]:
    """Run every selected (case, command) pair once.

    The `build` subprocesses run on a thread pool, one per core, the ones that render a PDF
    first; meanwhile this thread runs the in-process `check` runs.
    """
    wanted: list[tuple[Case, str]] = []
    for item in request.session.items:
        params = getattr(item, "callspec", None)
        if item.module is not request.module or params is None:
            continue
        case, command = params.params["case"], params.params["command"]
        wanted.append((case, command))
    base = tmp_path_factory.mktemp("badinput")
    builds = sorted(
        (p for p in wanted if p[1] == "build"), key=lambda p: p[0].expected("build") != 0
    )
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {(c.id, cmd): pool.submit(_guarded, c, cmd, base) for c, cmd in builds}
        done: dict[tuple[str, str], Outcome | BaseException] = {
            (c.id, cmd): _guarded(c, cmd, base) for c, cmd in wanted if cmd == "check"
        }
        done.update((key, future.result()) for key, future in futures.items())
    return done


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input(
    case: Case, command: str, outcomes: dict[tuple[str, str], Outcome | BaseException]
) -> None:
    outcome = outcomes[(case.id, command)]
    if isinstance(outcome, BaseException):
        raise outcome
    res = outcome.result
    output = res.stdout + res.stderr
    expected = case.expected(command)

    assert "Traceback" not in output, output
    assert res.returncode == expected, f"exit {res.returncode}, expected {expected!r}\n{output}"

    if expected != ExitCode.OK:
        assert res.stderr.startswith("error: "), res.stderr
        if case.file is not None:
            assert case.file in res.stderr, res.stderr
        if case.position:
            assert case.file is not None
            assert re.search(rf"(^|\s){re.escape(case.file)}:\d+:\d+: ", res.stderr), res.stderr
        changed = _changed(outcome.before, outcome.after)
        assert changed == [], f"a failed {command} changed {changed}"
        if case.file != P:  # a briefing that exists but is broken is reported at its cause
            assert "no briefing with id" not in res.stderr, res.stderr
    elif command == "check":
        assert res.stdout == "ok: no errors\n", output  # the demo has no warnings either
        assert _changed(outcome.before, outcome.after) == [], "check wrote files"
    else:
        assert "warning" not in res.stderr, res.stderr
        inputs = {k: v for k, v in outcome.before.items() if not k.startswith("out/")}
        assert {k: v for k, v in outcome.after.items() if not k.startswith("out/")} == inputs
        pdf = outcome.root / "out" / f"{DEMO_PACK}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-") and pdf.read_bytes() != PREVIOUS_PDF
        leftovers = [p.name for p in pdf.parent.iterdir() if p.name.endswith(".tmp")]
        assert leftovers == []
        assert json_ok(outcome.root / "out" / ".briefpack-manifest.json")
        if case.same_pdf:
            assert pdf.read_bytes() == good_pdf(), f"the PDF differs from a good build:\n{output}"

    if command == "build" or expected != ExitCode.OK:
        for fragment in (*case.fragments, *outcome.extra):
            assert fragment in output, f"{fragment!r} not in:\n{output}"
    for path in case.absent:
        assert not (outcome.root / path).exists(), f"{path} was created: the YAML ran code"


def test_corpus_covers_the_issue() -> None:
    """The issue's list of bad inputs, each present in the corpus."""
    ids = {c.id for c in CASES}
    required = {
        "yaml-tab-indent",
        "yaml-unclosed-quote",
        "yaml-bad-indentation",
        "empty-file",
        "list-instead-of-mapping",
        "unknown-key",
        "number-where-text-belongs",
        "impossible-date",
        "duplicate-briefing-id",
        "pack-names-missing-briefing",
        "source-outside-seeds",
        "yaml-non-utf8",
        "utf8-bom-accepted",
        "multi-megabyte-file",
        "yaml-alias-bomb",
        "yaml-python-object-tag",
        "yaml-duplicate-key",
        "tm-truncated",
        "tm-bad-status",
        "template-syntax-error",
        "pack-lists-briefing-twice",
        "glossary-conflicting-entries",
        "glossary-broken-yaml",
        "manifest-corrupt-is-rebuilt",
    }
    assert required <= ids, required - ids
    assert len(CASES) >= 25
