"""The one dialect every `briefpack` command speaks in `--help`, and the table it follows.

Each parameter declares its metavar: an upper-case word for what is given (`PACK`, `FILE`,
`DIR`, `N`, `TEXT`…), or the choices as `[a|b|c]` (`choices`); an argument taking several
values is shown `PACK...`. Short flags mean one thing in every command (`SHORT_FLAGS`); the
main output file is `-o/--output FILE`, a JSON run report `--report FILE`, and `--json` is
a flag that prints JSON. A spelling that changed stays for a release as a hidden alias
(`DEPRECATED`); `briefpack.cli._common.prefer` resolves it and says so.

Why the help is drawn here, not by Typer: Typer's plain help (0.20 onwards) appends a type
to every argument (`PACK <list[str]>`) and braces required ones in the usage line
(`{folder}`), whatever metavar the argument declares, and earlier Typers draw the same
parameters differently again. `Command` and `Group` draw arguments and the usage line from
Click's stable attributes (`metavar`, `nargs`, `required`, `hidden`), so the help reads the
same on every Typer this project accepts. `App` makes every command of an app one of them;
tests/cli/test_dialect.py walks the command tree and holds every command to this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

from briefpack.util.request import shown_choices

if TYPE_CHECKING:
    from typer._click import Context, HelpFormatter, Parameter
    from typer.models import CommandFunctionType

# One meaning per short flag, in every command that has it.
SHORT_FLAGS = {
    "-h": "--help",
    "-p": "--project",
    "-o": "--output",
    "-f": "--format",
    "-j": "--jobs",
}

# Old spellings kept as hidden aliases for one release: (command path, old) → new; an
# argument's old spelling is its metavar.
DEPRECATED = {
    ("build", "--out"): "--output",
    ("eval", "--json"): "--report",
    ("models install", "-f"): "--file",
    ("glossary export", "FILE"): "--output",
    ("tm export", "FILE"): "--output",
}


def choices(values: Iterable[str] | type[Enum]) -> str:
    """Return the metavar of a value from a fixed list: `[a|b|c]`."""
    names = [str(v.value) for v in values] if isinstance(values, type) else list(values)
    return shown_choices(names)


def shown(param: Parameter) -> str:
    """Return how an argument or an option's value is shown: its metavar, `...` if several."""
    metavar = param.metavar or (param.name or "").upper()
    return f"{metavar}..." if param.nargs != 1 and not metavar.endswith("...") else metavar


def _usage(param: Parameter) -> list[str]:
    """Return an argument's piece of the usage line: `PACK`, `[PACK]`, `[PACK]...`."""
    if param.param_type_name != "argument" or getattr(param, "hidden", False):
        return []
    metavar = param.metavar or (param.name or "").upper()
    piece = metavar if param.required or metavar.startswith("[") else f"[{metavar}]"
    return [f"{piece}..." if param.nargs != 1 and not piece.endswith("...") else piece]


def _records(params: list[Parameter], ctx: Context) -> tuple[list[Any], list[Any]]:
    """Return the help rows of the visible arguments and options."""
    arguments, options = [], []
    for param in params:
        record = param.get_help_record(ctx)
        if record is None:  # hidden
            continue
        if param.param_type_name == "argument":
            arguments.append((shown(param), record[1]))
        else:
            options.append(record)
    return arguments, options


def _format(command: Any, ctx: Context, formatter: HelpFormatter) -> None:
    arguments, options = _records(command.get_params(ctx), ctx)
    for title, rows in (("Arguments", arguments), ("Options", options)):
        if rows:
            with formatter.section(title):
                formatter.write_dl(rows)


class Command(TyperCommand):
    """A command whose help speaks the dialect (see the module docstring)."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [p for param in self.get_params(ctx) for p in _usage(param)]

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        _format(self, ctx, formatter)


class Group(TyperGroup):
    """A group whose help speaks the dialect (see the module docstring)."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        pieces += [p for param in self.get_params(ctx) for p in _usage(param)]
        return [*pieces, self.subcommand_metavar]

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        _format(self, ctx, formatter)
        self.format_commands(ctx, formatter)


class App(typer.Typer):
    """A Typer app whose groups and commands speak the dialect; plain help, no completion."""

    def __init__(self, **settings: Any) -> None:
        defaults = {
            "cls": Group,
            "no_args_is_help": True,
            "add_completion": False,
            # Plain help: rich's boxed layout costs ~50 ms of imports (markdown-it,
            # rich.markdown) on every `briefpack --help`, and draws its own dialect.
            "rich_markup_mode": None,
        }
        super().__init__(**{**defaults, **settings})

    def command(
        self, *args: Any, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        """Register a command, drawn by `Command` unless told otherwise."""
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)
