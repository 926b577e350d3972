"""`briefpack serve`: a live preview and review page of the packs on 127.0.0.1."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from briefpack.cli._common import ProjectOption, echo_err, handled

SERVER_LOGGER = "briefpack.commands.serve"


class _Lines(logging.Handler):
    """Print the server's warnings and errors as they happen, one `level: message` line each."""

    def emit(self, record: logging.LogRecord) -> None:
        echo_err(f"{record.levelname.lower()}: {record.getMessage()}")


def serve(
    packs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PACK", help="Packs to offer (default: all); the first is shown first."
        ),
    ] = None,
    port: Annotated[
        int,
        typer.Option(
            "--port", metavar="N", min=0, max=65535, help="Port on 127.0.0.1 (0: any free)."
        ),
    ] = 8000,
    project: ProjectOption = None,
) -> None:
    """Serve a live HTML preview and review page of the packs on 127.0.0.1."""
    from briefpack.commands.serve import start
    from briefpack.util.paths import find_project

    # A server runs for hours: its log lines are printed live, not collected for the end.
    logger = logging.getLogger(SERVER_LOGGER)
    lines = _Lines(logging.WARNING)
    logger.addHandler(lines)
    logger.propagate = False
    try:
        with handled():
            server = start(find_project(project), packs or (), port=port)
            typer.echo(
                f"serving {server.url} (preview), {server.url}review (review), "
                f"{server.url}edit (editor), {server.url}inbox (inbox); Ctrl-C stops"
            )
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
            finally:
                server.shutdown()
    finally:
        logger.removeHandler(lines)
        logger.propagate = True
