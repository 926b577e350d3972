"""`briefpack check`: validate the project and list its findings, writing nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from briefpack.errors import InputError, Problem
from briefpack.output.html import render_html
from briefpack.prepare import prepare
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
    The project memory's files (memory/*.tmx), which a build reads only when a segment
    needs a match, are read too: an unreadable one is an error, listed with the others.
    """
    memory = memory_problems(project)
    with _listed_with(memory):
        prepared = prepare(project, translate=False, require_packs=False)
    for pack in prepared.packs:
        view, _ = prepared.view(pack)
        render_html(view.context(), project.templates_dir)
    return CheckReport([*prepared.findings, *memory])


@contextmanager
def _listed_with(more: list[Problem]) -> Iterator[None]:
    """Add `more` (the memory/ files' problems) to the InputError the body raises, if any."""
    try:
        yield
    except InputError as exc:
        if not more:
            raise
        problems = [*exc.problems, *more]
        raise InputError(f"{exc.message}, and {len(more)} in memory/", problems=problems) from None
