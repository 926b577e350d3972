"""One `briefpack build` request: every build option declared once, parsed once.

`OPTIONS` is the declaration. Each option says how it is spelt on the command line, what
kind of value it takes, its default and help, and its role:

- `SHAPES`: it changes the bytes of every output (draft, PDF variant). It enters each pack's
  fingerprint (the manifest skips outputs whose fingerprint is unchanged; the PDF's
  colophon shows it) and the no-op snapshot key.
- `TARGETS`: it chooses which outputs a build makes, where, and how the build is judged
  (packs, formats, output folder, project, `--strict`). It enters the snapshot key only: a
  PDF is the same whichever other formats are built beside it.
- `POLICY`: how this run goes (force, jobs, device, report, verbose). Neither: a no-op answers the
  same whatever they are; `fast=False` marks the ones a no-op can never answer (`--force`).

From it are derived: the Typer parameters of `briefpack build` (`briefpack.cli`), the no-op
fast path's command-line parser (`parse_argv`, used before Typer or pydantic is imported),
the fingerprinted options (`BuildRequest.shaping`) and the snapshot key's options
(`BuildRequest.key_options`). The `BuildRequest` travels whole from the CLI through
prepare to the render jobs. Only the standard library is imported, and not `typing` or
`dataclasses` (the no-op path's start-up cost).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Kinds of value.
ARGS = "args"  # the positional arguments: a tuple of strings
FLAG = "flag"  # present or not: a bool
CHOICE = "choice"  # one of `choices`: a str
LIST = "list"  # comma-separated `choices` (order kept, duplicates dropped): a tuple
COUNT = "count"  # a whole number of 1 or more; the default None means "choose for me"
FOLDER = "folder"  # a path that must not be a file: a Path, or None
FILE = "file"  # a path that must not be a folder: a Path, or None

# Roles (see the module docstring).
SHAPES = "shapes"
TARGETS = "targets"
POLICY = "policy"

FORMATS = ("pdf", "docx", "html")
PDF_VARIANTS = ("ua-1", "a-3b", "none")  # the keys of output.variants.PDF_VARIANTS
DEVICES = ("auto", "cpu", "cuda")  # as briefpack.translation.device resolves them (--device)


# How a value is shown in `--help` (`briefpack.cli._dialect`), unless an option says otherwise.
METAVARS = {COUNT: "N", FOLDER: "DIR", FILE: "FILE"}


class Option:
    """One build option: its name, spellings, kind, default, help and role.

    `aliases` are old spellings, accepted (hidden from `--help`) for one release; the
    no-op fast path does not know them, so the full CLI answers and says they are old.
    """

    __slots__ = (
        "aliases",
        "choices",
        "default",
        "fast",
        "flags",
        "help",
        "kind",
        "metavar",
        "name",
        "role",
    )

    def __init__(
        self,
        name: str,
        flags: tuple[str, ...],
        *,
        kind: str,
        role: str,
        default: Any,
        help: str,
        choices: tuple[str, ...] = (),
        metavar: str | None = None,
        aliases: tuple[str, ...] = (),
        fast: bool = True,
    ) -> None:
        self.name, self.flags, self.kind, self.role = name, flags, kind, role
        self.default, self.help, self.choices = default, help, choices
        self.metavar, self.aliases, self.fast = metavar or _metavar(kind, choices), aliases, fast

    def parse(self, text: str) -> Any:
        """Return the value of `--option TEXT`; raise ValueError with a message if invalid."""
        if self.kind == CHOICE:
            if text not in self.choices:
                raise ValueError(f"{self.flags[0]} {text!r}: choose {', '.join(self.choices)}")
            return text
        if self.kind == LIST:
            return self.parse_list([text])
        if self.kind == COUNT:
            if not text.isdigit() or int(text) < 1:
                raise ValueError(f"{self.flags[0]} must be 1 or more, not {text!r}")
            return int(text)
        if self.kind in (FOLDER, FILE):
            return Path(text)
        raise ValueError(f"{self.flags[0]} takes no value")

    def parse_list(self, texts: Sequence[str]) -> tuple[str, ...]:
        """Return the choices named in comma-separated `texts` (order kept, once each)."""
        names = [p.strip().lower() for t in texts for p in t.split(",") if p.strip()]
        unknown = [n for n in names if n not in self.choices]
        if unknown or not names:
            what = ", ".join(map(repr, unknown)) or repr(",".join(texts))
            raise ValueError(
                f"unknown {self.name[:-1] if self.name.endswith('s') else self.name} {what}"
                f" (choose from {', '.join(self.choices)}, comma-separated)"
            )
        return tuple(dict.fromkeys(names))

    def invalid_list(self, value: Any) -> str:
        """Return why a parsed LIST value (a tuple of names) is not valid."""
        try:
            self.parse_list([",".join(value)])
        except ValueError as exc:
            return str(exc)
        return f"{self.flags[0]}: {value!r} is not a list of names"

    def invalid(self, value: Any) -> str | None:
        """Return why an already parsed `value` is not one this option takes, or None."""
        if self.kind == CHOICE and value not in self.choices:
            return (
                f"unknown {self.flags[0].lstrip('-')} {value!r} (choose {', '.join(self.choices)})"
            )
        if self.kind == LIST and (not value or any(v not in self.choices for v in value)):
            return self.invalid_list(value)
        if self.kind == COUNT and value is not None and (not isinstance(value, int) or value < 1):
            return f"{self.flags[0]} must be 1 or more, not {value}"
        return None


def shown_choices(choices: Sequence[str], *, several: bool = False) -> str:
    """Return how `--help` shows a value from a fixed list: `[a|b|c]` (`[a|b|c],...`)."""
    return "[" + "|".join(choices) + "]" + (",..." if several else "")


def _metavar(kind: str, choices: tuple[str, ...]) -> str | None:
    """Return how a value of `kind` is shown: `N`, `DIR`, `FILE`, `[a|b]`, `[a|b],...`."""
    if kind in (CHOICE, LIST):
        return shown_choices(choices, several=kind == LIST)
    return METAVARS.get(kind)


OPTIONS: tuple[Option, ...] = (
    Option(
        "packs",
        (),
        kind=ARGS,
        role=TARGETS,
        default=(),
        metavar="PACK",
        help="Packs to build (default: all).",
    ),
    Option(
        "out",
        ("--output", "-o"),
        kind=FOLDER,
        role=TARGETS,
        default=None,
        aliases=("--out",),
        help="Output folder (default: out/).",
    ),
    Option(
        "project",
        ("--project", "-p"),
        kind=FOLDER,
        role=TARGETS,
        default=None,
        help="Project folder (default: search upward from here).",
    ),
    Option(
        "draft",
        ("--draft",),
        kind=FLAG,
        role=SHAPES,
        default=False,
        help="Render missing English as a visible placeholder instead of translating.",
    ),
    Option(
        "force",
        ("--force",),
        kind=FLAG,
        role=POLICY,
        default=False,
        fast=False,
        help="Rebuild even packs that are up to date.",
    ),
    Option(
        "strict",
        ("--strict",),
        kind=FLAG,
        role=TARGETS,
        default=False,
        help="Fail (exit 5) on any finding, before anything is written: warnings, missing "
        "or unused translations, terminology violations, renderer warnings.",
    ),
    Option(
        "report",
        ("--report",),
        kind=FILE,
        role=POLICY,
        default=None,
        help="Write a machine-readable JSON report to this file.",
    ),
    Option(
        "pdf_variant",
        ("--pdf-variant",),
        kind=CHOICE,
        role=SHAPES,
        default="ua-1",
        choices=PDF_VARIANTS,
        help="ua-1: accessible tagged PDF/UA-1; a-3b: archival PDF/A-3b with the "
        "pack's inputs embedded; none: plain untagged PDF.",
    ),
    Option(
        "formats",
        ("--format", "-f"),
        kind=LIST,
        role=TARGETS,
        default=("pdf",),
        choices=FORMATS,
        help="Output formats, comma-separated: pdf, docx, html (e.g. pdf,docx,html).",
    ),
    Option(
        "verbose",
        ("--verbose",),
        kind=FLAG,
        role=POLICY,
        default=False,
        help="List every finding (default: their count; `briefpack check` lists them too).",
    ),
    Option(
        "jobs",
        ("--jobs", "-j"),
        kind=COUNT,
        role=POLICY,
        default=None,
        help="Render this many packs in parallel processes (default: the number of cores).",
    ),
    Option(
        "device",
        ("--device",),
        kind=CHOICE,
        role=POLICY,
        default="auto",
        choices=DEVICES,
        help="Decode on: auto (a CUDA GPU if CTranslate2 finds one, else the CPU), cpu, or "
        "cuda (exit 2 if no GPU is usable). Checked when a model is loaded.",
    ),
)


def option(name: str) -> Option:
    """Return the declared option called `name`."""
    for o in OPTIONS:
        if o.name == name:
            return o
    raise KeyError(name)


class BuildRequest:
    """One build: a value for every option of `OPTIONS` (the default where none was given).

    The annotations below are for the type checker; `OPTIONS` decides what a request holds.
    """

    packs: tuple[str, ...]
    out: Path | None
    project: Path | None
    draft: bool
    force: bool
    strict: bool
    report: Path | None
    verbose: bool
    pdf_variant: str
    formats: tuple[str, ...]
    jobs: int | None
    device: str

    def __init__(self, **values: Any) -> None:
        for o in OPTIONS:
            value = values.pop(o.name, o.default)
            if o.kind in (ARGS, LIST):
                if isinstance(value, str):
                    raise TypeError(f"{o.name}: a sequence of names, not the string {value!r}")
                value = tuple(value)
            object.__setattr__(self, o.name, value)
        if values:
            raise TypeError(f"unknown build option(s): {', '.join(sorted(values))}")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a BuildRequest does not change (use .replace({name}=...))")

    def values(self) -> dict[str, Any]:
        """Return every option's value by name."""
        return {o.name: getattr(self, o.name) for o in OPTIONS}

    def replace(self, **changes: Any) -> BuildRequest:
        """Return a copy with `changes`."""
        return BuildRequest(**{**self.values(), **changes})

    def invalid(self) -> str | None:
        """Return why a value is not one its option takes (library callers), or None."""
        for o in OPTIONS:
            why = o.invalid(getattr(self, o.name))
            if why:
                return why
        return None

    def shaping(self) -> dict[str, object]:
        """Return the options that shape every output: part of each pack's fingerprint."""
        return {o.name: _plain(getattr(self, o.name)) for o in OPTIONS if o.role == SHAPES}

    def key_options(self) -> dict[str, object]:
        """Return the options of the no-op snapshot key, but the target's folders and packs.

        The project and output folders and the packs enter the key resolved, as
        `briefpack.commands.noop.BuildTarget` names them.
        """
        return {
            o.name: _plain(getattr(self, o.name))
            for o in OPTIONS
            if o.role in (SHAPES, TARGETS) and o.name not in ("packs", "out", "project")
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BuildRequest) and self.values() == other.values()

    def __hash__(self) -> int:
        return hash(tuple(sorted((k, repr(v)) for k, v in self.values().items())))

    def __repr__(self) -> str:
        changed = [
            f"{o.name}={getattr(self, o.name)!r}"
            for o in OPTIONS
            if getattr(self, o.name) != o.default
        ]
        return f"BuildRequest({', '.join(changed)})"


def _plain(value: object) -> object:
    """Return `value` as JSON writes it (tuples as lists, paths as strings)."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def parse_argv(argv: Sequence[str], *, every: bool = False) -> BuildRequest | None:
    """Return the request of `build ARGS`, or None if the full CLI must decide.

    None for anything this parser is not sure Typer reads the same way: an unknown option
    (`--help`, a typo), an option given twice, an invalid value (Typer prints the error),
    an option a no-op cannot answer (`fast=False`, unless `every`), or a path Typer would
    refuse.
    """
    if not argv or argv[0] != "build":
        return None
    by_flag = {flag: o for o in OPTIONS for flag in o.flags}
    values: dict[str, Any] = {}
    packs: list[str] = []
    args = list(argv[1:])
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        name, eq, inline = arg.partition("=")
        opt = by_flag.get(name if name.startswith("--") and eq else arg)
        if opt is None:
            if arg.startswith("-") or not arg:
                return None
            packs.append(arg)
            continue
        if not (opt.fast or every) or opt.name in values:
            return None
        if opt.kind == FLAG:
            if eq:
                return None  # `--strict=yes`: Typer refuses it
            values[opt.name] = True
            continue
        if eq:
            text = inline
        elif i < len(args):
            text, i = args[i], i + 1
        else:
            return None
        if not text or text.startswith("-"):
            return None
        try:
            values[opt.name] = opt.parse(text)
        except ValueError:
            return None
        # Typer's own checks: a folder option must not name a file, a file not a folder.
        if (opt.kind == FOLDER and os.path.isfile(text)) or (
            opt.kind == FILE and os.path.isdir(text)
        ):
            return None
    if packs:
        values["packs"] = tuple(packs)
    return BuildRequest(**values)
