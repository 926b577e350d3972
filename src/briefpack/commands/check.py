"""`briefpack check`: validate the project and list its findings, writing nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefpack.errors import InputError, Problem
from briefpack.output.html import render_html
from briefpack.prepare import prepare
from briefpack.source.load import intake_problems
from briefpack.translation.exchange.tm.leverage import memory_problems
from briefpack.util.paths import Project


@dataclass
class CheckReport:
    """Findings of a check run; errors make the run fail, warnings only under --strict."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def check(project: Project) -> CheckReport:
    """Validate the project; raise InputError for invalid files, else return findings.

    Each pack's HTML is rendered (Jinja only, no PDF), so template errors surface here too.
    Files a build does not read, or reads only sometimes, are validated as well and their
    problems listed with the others: the intake's (feeds.yaml, inbox/) and the project
    memory's (memory/*.tmx, read by a build only when a segment needs a match).
    """
    others = [*intake_problems(project), *memory_problems(project)]
    try:
        prepared = prepare(project, translate=False, require_packs=False)
    except InputError as exc:
        if not others:
            raise
        problems = [*exc.problems, *others]
        raise InputError(
            f"{len(problems)} problem(s) in the project's input files", problems=problems
        ) from None
    for pack in prepared.packs:
        view, _ = prepared.view(pack)
        render_html(view.context(), project.templates_dir)
    return CheckReport(sorted([*prepared.findings, *others], key=Problem.sort_key))
