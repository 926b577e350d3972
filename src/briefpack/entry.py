"""The console entry point: a no-op `build` answered from the snapshot, else the Typer CLI.

`briefpack.cli` imports typer (about 40 ms) and the CLI's commands import pydantic, Jinja2
and the YAML loaders. A `build` with nothing to do needs none of them, so this module,
which imports only the standard library and `briefpack.commands.noop`, looks first. A
build it cannot answer starts the render workers' fork server before anything else is
imported (`briefpack.output.workers.start_early`), so that its imports overlap the CLI's.
"""

from __future__ import annotations

import sys


def main() -> int | None:
    """Run `briefpack` (console-script entry point)."""
    output = None
    if sys.argv[1:2] == ["build"]:
        from briefpack.commands.noop import fast_build

        output = fast_build(sys.argv[1:])
        if output is None:  # a real build: start the render workers' fork server now
            from briefpack.output.workers import start_early
            from briefpack.util.request import parse_argv

            request = parse_argv(sys.argv[1:], every=True)  # None: `--help`, a typo
            if request is not None:
                start_early(request)
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
