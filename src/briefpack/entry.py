"""The console entry point: a no-op `build` answered from the snapshot, else the Typer CLI.

`briefpack.cli` imports typer (about 40 ms) and the CLI's commands import pydantic, Jinja2
and the YAML loaders. A `build` with nothing to do needs none of them, so this module,
which imports only the standard library and `briefpack.commands.noop`, looks first.
"""

from __future__ import annotations

import sys


def main() -> int | None:
    """Run `briefpack` (console-script entry point)."""
    output = None
    if sys.argv[1:2] == ["build"]:
        from briefpack.commands.noop import fast_build

        output = fast_build(sys.argv[1:])
    if output is not None:
        for line in output.stderr:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
        for line in output.stdout:
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
        return 0
    from briefpack.cli import run

    run()
    return None
