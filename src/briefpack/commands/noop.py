"""The no-op `build`: answer "up to date" from the input snapshot, before loading anything.

`briefpack build` with nothing to do must cost little more than starting Python. The
console entry (`briefpack.entry`) hands the command line to `fast_build` before typer,
pydantic, Jinja2 or a YAML loader is imported. It understands only the plain build options
that a snapshot can vouch for (packs, --out, --project, --draft, --strict, --pdf-variant,
--format, --jobs, --report, --device); anything else, or a snapshot that is missing or
stale, falls through to the full build, which records a new snapshot
(`BuildTarget.record`). What it prints is what the full build printed for the same inputs:
the findings and one "up to date" line per output, and the same `--report` JSON.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from briefpack.util import snapshot

# As in briefpack.util.snapshot: no dataclasses, `typing` and errors (dataclasses) only for the
# type checker or when needed, so that the no-op stays close to a bare interpreter start.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any

    from briefpack.errors import Problem

PDF_VARIANTS = ("ua-1", "a-3b", "none")  # as `build --pdf-variant` accepts them
FORMATS = ("pdf", "docx", "html")  # as `build --format` accepts them (build.FORMATS)
DEVICES = ("auto", "cpu", "cuda")
UP_TO_DATE = "up to date: {path} (inputs unchanged; --force rebuilds)"


class BuildRequest:
    """The options of one `briefpack build` command line that the fast path understands."""

    def __init__(
        self,
        *,
        packs: tuple[str, ...] = (),
        out: str | None = None,
        project: str | None = None,
        draft: bool = False,
        strict: bool = False,
        pdf_variant: str = "ua-1",
        formats: tuple[str, ...] = ("pdf",),
        report: str | None = None,
    ) -> None:
        self.packs, self.out, self.project, self.report = packs, out, project, report
        self.draft, self.strict, self.pdf_variant = draft, strict, pdf_variant
        self.formats = formats


def parse_build_args(argv: Sequence[str]) -> BuildRequest | None:
    """Return the request of `build ARGS`, or None if any argument needs the full CLI."""
    if not argv or argv[0] != "build":
        return None
    values: dict[str, str] = {}
    flags: set[str] = set()
    packs: list[str] = []
    takes_value = {
        "--out": "out",
        "-o": "out",
        "--project": "project",
        "-p": "project",
        "--pdf-variant": "pdf_variant",
        "--report": "report",
        "--device": "device",
        "--format": "format",
        "-f": "format",
        "--jobs": "jobs",  # how many processes render: never part of a verdict
        "-j": "jobs",
    }
    args = list(argv[1:])
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in ("--draft", "--strict"):
            if arg in flags:
                return None
            flags.add(arg)
            continue
        name, eq, inline = arg.partition("=")
        if arg.startswith("--") and eq and name in takes_value:
            value: str | None = inline
        elif arg in takes_value:
            if i >= len(args):
                return None
            value, name = args[i], arg
            i += 1
        elif not arg.startswith("-") and arg:
            packs.append(arg)
            continue
        else:
            return None  # --force, --help, an option of another engineer, a typo: full CLI
        key = takes_value[name]
        if key in values or not value or value.startswith("-"):
            return None
        values[key] = value
    if values.get("pdf_variant", "ua-1") not in PDF_VARIANTS:
        return None
    if values.get("device", "auto") not in DEVICES:
        return None
    formats = _formats(values.get("format", "pdf"))
    jobs = values.get("jobs", "1")
    if formats is None or not jobs.isdigit() or int(jobs) < 1:
        return None
    # Typer's own checks: --out and --project must not be files, --report not a folder.
    for opt in ("out", "project"):
        if opt in values and os.path.isfile(values[opt]):
            return None
    if "report" in values and os.path.isdir(values["report"]):
        return None
    return BuildRequest(
        packs=tuple(packs),
        out=values.get("out"),
        project=values.get("project"),
        draft="--draft" in flags,
        strict="--strict" in flags,
        pdf_variant=values.get("pdf_variant", "ua-1"),
        formats=formats,
        report=values.get("report"),
    )


def _formats(value: str) -> tuple[str, ...] | None:
    """Return `--format`'s list as the build parses it (order kept), or None if invalid."""
    names = [p.strip().lower() for p in value.split(",") if p.strip()]
    if not names or any(n not in FORMATS for n in names):
        return None
    return tuple(dict.fromkeys(names))


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
        self.out = out  # as the build names its outputs (relative if --out was)
        self.packs, self.options = packs, options

    @classmethod
    def of(
        cls,
        root: Path,
        out: Path | None,
        packs: Iterable[str],
        *,
        draft: bool,
        strict: bool,
        pdf_variant: str,
        formats: Sequence[str] = ("pdf",),
    ) -> BuildTarget:
        """Return the target of a build (`out=None`: the project's out/)."""
        options: dict[str, object] = {
            "draft": draft,
            "strict": strict,
            "pdf_variant": pdf_variant,
            "formats": list(formats),
        }
        return cls(root, out if out is not None else root / "out", tuple(packs), options)

    @classmethod
    def for_request(cls, root: Path, request: BuildRequest) -> BuildTarget:
        """Return the target a parsed `build` command line names."""
        return cls.of(
            root,
            Path(request.out) if request.out else None,
            request.packs,
            draft=request.draft,
            strict=request.strict,
            pdf_variant=request.pdf_variant,
            formats=request.formats,
        )

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
    root = find_root(request.project)
    if root is None:
        return None  # the full CLI prints the error
    target = BuildTarget.for_request(root, request)
    verdict = snapshot.check(root, target.key)
    if not verdict.fresh:
        return None
    return output_of(target, verdict.result, request.report)


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
    request = parse_build_args(argv)
    if request is None:
        return None
    try:
        return noop_build(request)
    except Exception:  # the fast path never fails a build: the full one decides
        return None
