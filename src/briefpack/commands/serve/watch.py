"""One watcher for the server: project input changes → one rebuild per burst of changes.

`watchfiles` (inotify/FSEvents/kqueue through the Rust `notify` crate) reports changes as
they happen and groups a burst: it yields once no further change came for `STEP_MS` (an
editor's save, a `translate` writing several files), at most `DEBOUNCE_MS` after the first.
Changes made during a rebuild are kept and yield the next one, so the last state is always
rendered. The project root is watched, not each input: an atomic save (temp file + rename)
replaces a watched file's inode and a file watch would go deaf after the first save; and an
input folder created later (seeds/) is seen. A filter passes only changes to the inputs
(`Project.inputs`), so builds writing out/ or caches trigger nothing. Where the system
refuses native watches (inotify limits), it falls back to polling.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from watchfiles import Change, DefaultFilter, watch

from briefpack.util.paths import Project

log = logging.getLogger(__name__)

STEP_MS = 50  # quiet time that ends a burst of changes (an atomic save is one rename)
DEBOUNCE_MS = 1_600  # the longest a burst is grouped
POLL_MS = 500  # only where native watching is unavailable


class InputFilter(DefaultFilter):
    """Pass changes to the project's inputs; drop editor swap files, out/, caches, .git."""

    def __init__(self, project: Project) -> None:
        super().__init__()
        self._inputs = project.inputs()

    def __call__(self, change: Change, path: str) -> bool:
        here = Path(path)
        return super().__call__(change, path) and any(
            here == p or here.is_relative_to(p) for p in self._inputs
        )


class Watcher:
    """A daemon thread calling `on_change` after each burst of input changes."""

    def __init__(self, project: Project, on_change: Callable[[], None]) -> None:
        self._project = project
        self._on_change = on_change
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="briefpack-watch", daemon=True)

    def start(self) -> None:
        """Start watching."""
        self._thread.start()

    def stop(self) -> None:
        """Stop watching (the thread ends within one step)."""
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            self._watch(force_polling=False)
        except OSError as exc:  # e.g. "OS file watch limit reached"
            log.warning("cannot watch the project natively (%s); polling instead", exc)
            self._watch(force_polling=True)

    def _watch(self, *, force_polling: bool) -> None:
        for changes in watch(
            self._project.root,
            watch_filter=InputFilter(self._project),
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=self._stop,
            rust_timeout=STEP_MS * 5,
            force_polling=force_polling,
            poll_delay_ms=POLL_MS,
            ignore_permission_denied=True,
        ):
            log.info("%d change(s) under the project: rebuilding", len(changes))
            try:
                self._on_change()
            except Exception as exc:  # a bug in one rebuild must not stop every later one
                log.error(
                    "rebuild failed: %s: %s (the pages show the last good state)",
                    type(exc).__name__,
                    exc,
                )
                log.debug("rebuild failed", exc_info=True)
