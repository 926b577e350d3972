"""`briefpack serve`: a live preview and review page of a pack on 127.0.0.1."""

from __future__ import annotations

from typing import Annotated

import typer

from briefpack.cli._common import ProjectOption, handled


def serve(
    pack: Annotated[str | None, typer.Argument(help="Pack to show (default: the first).")] = None,
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1 (0: any free).")] = 8000,
    project: ProjectOption = None,
) -> None:
    """Serve a live HTML preview and review page of a pack on 127.0.0.1."""
    from briefpack.commands.serve import start
    from briefpack.util.paths import find_project

    with handled():
        server = start(find_project(project), pack, port=port)
        typer.echo(f"serving {server.url} (preview), {server.url}review (review); Ctrl-C stops")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
