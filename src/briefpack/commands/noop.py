"""The no-op `build`: answer "up to date" from the input snapshot, before loading anything.

`briefpack build` with nothing to do must cost little more than starting Python. The
console entry (`briefpack.entry`) hands the command line to `fast_build` before typer,
pydantic, Jinja2 or a YAML loader is imported. The command line is parsed by
`briefpack.util.request.parse_argv`, derived from the one declaration of build options; an
option no snapshot can vouch for (`--force`), anything it does not know, or a snapshot that
is missing or stale, falls through to the full build, which records a new snapshot
(`BuildTarget.record`). What it prints is what the full build printed for the same inputs:
the findings and one "up to date" line per output, and the same `--report` JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefpack.util import snapshot
from briefpack.util.request import BuildRequest, parse_argv

# As in briefpack.util.snapshot: no dataclasses, `typing` and errors (dataclasses) only for the
# type checker or when needed, so that the no-op stays close to a bare interpreter start.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any

    from briefpack.errors import Problem

UP_TO_DATE = "up to date: {path} (inputs unchanged; --force rebuilds)"


def skipped_form(pack: dict[str, Any]) -> dict[str, Any]:
    """Return a pack's report entry as a build that skipped it reports it.

    A no-op repeats the report of the full build that found nothing to do; the recorded
    build may have written the outputs, so its entry is turned into the skipped one.
    """
    outputs = [{**o, "status": "skipped"} for o in pack.get("outputs", [])]
    return {**pack, "status": "skipped", "pages": None, "segments": {}, "outputs": outputs}


class BuildTarget:
    """One build target: a project, an output folder, the packs asked for, the options."""

    def __init__(
        self, root: Path, out: Path, packs: tuple[str, ...], options: dict[str, object]
    ) -> None:
        self.root = root
        self.out = out  # as the build names its outputs (relative if --output was)
        self.packs, self.options = packs, options

    @classmethod
    def for_request(cls, root: Path, request: BuildRequest) -> BuildTarget:
        """Return the target a build request names (`out` None: the project's out/)."""
        out = request.out if request.out is not None else root / "out"
        return cls(root, out, request.packs, request.key_options())

    @property
    def key(self) -> str:
        return snapshot.target_key(self.root, self.out.resolve(), self.packs, self.options)

    def prescan(self) -> snapshot.Scan | None:
        """Scan the inputs before a full build (see `snapshot.prescan`)."""
        return snapshot.prescan(self.root, self.key)

    def record(
        self,
        before: snapshot.Scan | None,
        *,
        packs: Sequence[dict[str, Any]],
        findings: Sequence[Problem],
        segments: dict[str, int],
        clean: bool,
    ) -> bool:
        """Remember a finished full build of this target, if `clean`; else forget the target.

        `packs` are the report entries of a build that skipped every pack (`skipped_form`),
        in build order. `clean` is false when the build translated, noted or logged
        something a no-op run would not repeat.
        """
        if not clean:
            snapshot.forget(self.root, self.key)
            return False
        outputs = [Path(o["path"]) for p in packs for o in p["outputs"]]
        outputs.append(self.out / ".briefpack-manifest.json")
        result = {
            "packs": list(packs),
            "findings": [p.to_dict() for p in findings],
            "lines": [f"{p.severity}: {p}" for p in findings],
            "segments": segments,
        }
        return snapshot.record(self.root, self.key, before, outputs, result)


class watch_warnings:  # lower case: used like a function, `with watch_warnings() as seen`
    """Collect the WARNING (and worse) log records emitted in the body."""

    def __enter__(self) -> list[str]:
        import logging

        seen: list[str] = []

        class Flag(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                seen.append(record.getMessage())

        self._handler: logging.Handler = Flag(logging.WARNING)
        logging.getLogger().addHandler(self._handler)
        return seen

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        import logging

        logging.getLogger().removeHandler(self._handler)


class NoopOutput:
    """What a no-op build prints."""

    def __init__(self, stdout: list[str], stderr: list[str]) -> None:
        self.stdout, self.stderr = stdout, stderr


def show(path: Path) -> str:
    """Return `path` relative to the current folder when inside it (as the CLI prints it)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def noop_build(request: BuildRequest) -> NoopOutput | None:
    """Return what `build` prints if the snapshot vouches that nothing changed, else None.

    Writes the `--report` file the full build would write.
    """
    root = find_root(str(request.project) if request.project is not None else None)
    if root is None:
        return None  # the full CLI prints the error
    target = BuildTarget.for_request(root, request)
    verdict = snapshot.check(root, target.key)
    if not verdict.fresh:
        return None
    report = str(request.report) if request.report is not None else None
    return output_of(target, verdict.result, report)


def find_root(project: str | None) -> Path | None:
    """Return the project root as `paths.find_project` finds it, or None (without errors).

    The same search (the folder or a parent holding `briefings/`), repeated here because
    `briefpack.util.paths` imports the error classes, which import dataclasses.
    """
    here = Path(project).resolve() if project else Path.cwd().resolve()
    if project and not here.is_dir():
        return None
    for folder in (here, *here.parents):
        if (folder / "briefings").is_dir():
            return folder
    return None


def output_of(target: BuildTarget, result: dict[str, Any], report: str | None) -> NoopOutput:
    """Return the lines of a no-op build from a recorded result; write the report if asked."""
    packs: list[dict[str, Any]] = list(result["packs"])
    paths = [Path(str(o["path"])) for p in packs for o in p["outputs"]]
    if report is not None:
        from briefpack.errors import Problem
        from briefpack.output.report import write_report

        write_report(
            Path(report),
            command="build",
            ok=True,
            packs=packs,
            segments=dict(result["segments"]),
            findings=[Problem(**f) for f in result["findings"]],
        )
    return NoopOutput(
        stdout=[UP_TO_DATE.format(path=show(p)) for p in paths],
        stderr=[str(line) for line in result["lines"]],
    )


def fast_build(argv: Sequence[str]) -> NoopOutput | None:
    """Return what a no-op `build ARGS` prints, or None to run the full CLI."""
    request = parse_argv(argv)
    if request is None:
        return None
    try:
        return noop_build(request)
    except Exception:  # the fast path never fails a build: the full one decides
        return None
