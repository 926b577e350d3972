"""Typed errors and problems; the CLI maps each error class to a documented exit code."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    FAILED = 1  # the run did its work but something failed (an output could not be written, …)
    USAGE = 2  # bad command line, no project found
    INVALID_INPUT = 3  # briefing, pack, glossary or translation files are invalid
    MISSING_MODEL = 4  # no translation model installed for segments that need one
    VIOLATIONS = 5  # --strict: terminology or translation findings
    NETWORK = 6  # a download (model index, package) failed
    LOCKED = 7  # another briefpack process holds the lock for too long


@dataclass(frozen=True)
class Problem:
    """One finding about one place in one file."""

    file: str
    line: int | None = None
    column: int | None = None
    message: str = ""
    field: str | None = None  # dotted path inside the document, e.g. "quotes[0].text"
    code: str = "invalid"
    severity: str = "error"  # "error" or "warning"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order problems by file, then position, then text."""
        return (self.file, self.line or 0, self.column or 0, self.field or "", self.message)

    def location(self) -> str:
        """Return `file:line:col` with the parts that are known."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        path = f" {self.field}:" if self.field else ""
        return f"{self.location()}:{path} {self.message}"

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


class BriefpackError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code: ExitCode = ExitCode.FAILED

    def __init__(self, message: str, *, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = sorted(problems, key=Problem.sort_key)

    def as_problems(self, file: str) -> list[Problem]:
        """Return `problems`, or one Problem about `file` carrying the message (never empty).

        A caller that collects problems from many files must not drop an error that came
        without a located problem: that is how a broken glossary once passed `check`.
        """
        if self.problems:
            return list(self.problems)
        message = self.message.removeprefix(f"{file}: ")
        return [Problem(file, message=message, code="unreadable")]

    def lines(self) -> list[str]:
        """Return the one-line messages the CLI prints for this error."""
        if self.problems:
            return [str(p) for p in self.problems]
        return [self.message]


class UsageError(BriefpackError):
    """The command line or the working directory does not make sense."""

    exit_code = ExitCode.USAGE


class ProjectNotFoundError(UsageError):
    """No briefpack project above the starting directory."""


class ConflictError(UsageError):
    """An edit made to an older version of a file clashes with a change made since."""


class InputError(BriefpackError):
    """One or more input files are invalid; `problems` lists every one."""

    exit_code = ExitCode.INVALID_INPUT


class MissingModelError(BriefpackError):
    """Segments need machine translation but no usable model is installed."""

    exit_code = ExitCode.MISSING_MODEL


class ModelError(MissingModelError):
    """An installed model package cannot be used (unsupported tokenizer, broken files)."""


class NetworkError(BriefpackError):
    """A download failed."""

    exit_code = ExitCode.NETWORK


class ViolationsError(BriefpackError):
    """Strict mode found violations."""

    exit_code = ExitCode.VIOLATIONS


class LockedError(BriefpackError):
    """Another process holds a lock we need."""

    exit_code = ExitCode.LOCKED


class OutputError(BriefpackError):
    """An output file could not be written."""

    exit_code = ExitCode.FAILED


def rel(path: Path | str, root: Path | None) -> str:
    """Return `path` relative to `root` when it lies inside it, for messages."""
    p = Path(path)
    if root is not None:
        # The name as given first: a symlinked glossary.yaml is "glossary.yaml", not its target.
        for here, base in (
            (Path(os.path.abspath(p)), Path(os.path.abspath(root))),
            (p.resolve(), root.resolve()),
        ):
            try:
                return here.relative_to(base).as_posix()
            except ValueError:
                pass
    return str(p)
