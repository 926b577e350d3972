"""Render worker processes: a fork server with the renderers loaded, and a pool forked from it.

The fork server is `multiprocessing`'s (one per process; it forks every worker). It starts
without waiting (`start_server`), imports `briefpack.output.preload` (WeasyPrint and the
hyphenation dictionaries, about a second of CPU) while this process loads and prepares the
project, and every worker forked from it starts with them loaded. The console entry starts
it before its own imports (`start_early`), so that even one pack renders sooner in a worker
than here: WeasyPrint's import and dictionaries, then the layout, run on a second core while
this process prepares the project and computes the findings. Workers are never forked from
this process itself: a fork of a process with CTranslate2 or Pango threads is not safe; the
fork server has none (it imports WeasyPrint, which starts no thread, and never renders).

Only `os` is imported at first: the console entry imports this module before typer,
pydantic, Jinja2 or even `logging`, and starts the server as early as it can.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from concurrent.futures import Future
    from typing import Any

    from briefpack.output.render import Rendered, RenderJob
    from briefpack.util.request import BuildRequest

PRELOAD = "briefpack.output.preload"  # what the fork server imports (see that module)
HYPHENATED = ("de", "en")  # the `lang` values of the theme's text (pack.html.j2)


def cores() -> int:
    """Return the cores this process may use: the default of `--jobs`."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def pool_size(request: BuildRequest, packs: int, *, overlap: bool) -> int:
    """Return how many workers render `packs` packs of `request` (0: in this process).

    Several packs render in up to `--jobs` workers. One pack renders in a worker only with
    `overlap`, a PDF to make and a second core: then WeasyPrint's import and dictionaries
    and the layout run beside this process's own work (loading, the findings). A DOCX or
    HTML pack renders in well under a second, less than the fork server takes to start;
    on one core there is nothing to run beside.
    """
    jobs = request.jobs or cores()
    if jobs <= 1 or packs <= 0:
        return 0
    if packs == 1:
        return 1 if overlap and "pdf" in request.formats and cores() > 1 else 0
    return min(jobs, packs)


def start_early(request: BuildRequest) -> None:
    """Start the fork server now if `request` will render even a single pack in a worker.

    For the console entry, before it imports the CLI: the server's imports then overlap
    the CLI's, not only the project's loading. A build that renders nothing (all up to date,
    or invalid input) leaves the server unused; it is killed when this process ends.
    """
    if pool_size(request, 1, overlap=True):
        start_server()


def start_server() -> None:
    """Start the fork server (with `PRELOAD` imported) unless it runs; return at once."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        from multiprocessing import forkserver

        forkserver.set_forkserver_preload([PRELOAD])
        forkserver.ensure_running()


class Workers:
    """Up to `size` worker processes; with size 0, jobs render here when `finish` is called.

    Jobs are handed to the pool by one dispatching thread, so that `submit` never waits:
    starting a worker waits for the fork server to finish its imports, and meanwhile this
    process plans the next packs and computes the findings, which then no longer compete
    with the renders for a core. The pool is made with the first job; each job starts one
    more worker until there are `size`. What WeasyPrint logged in a worker is logged again
    here (`_replay`), as if the pack had rendered in this process.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.pool: Any = None  # made and fed by the dispatching thread only
        self.dispatch: Any = None
        self.todo: list[RenderJob] = []
        self.handed: list[Future[Future[Rendered]]] = []
        if size:
            start_server()  # a no-op if the console entry started it

    def submit(self, job: RenderJob) -> None:
        """Hand a job to the workers, or keep it to render here (`finish`) without workers."""
        if not self.size:
            self.todo.append(job)
            return
        if self.dispatch is None:
            from concurrent.futures import ThreadPoolExecutor

            self.dispatch = ThreadPoolExecutor(1, thread_name_prefix="briefpack-dispatch")
        self.handed.append(self.dispatch.submit(self._hand, job))

    def _hand(self, job: RenderJob) -> Future[Rendered]:
        """Give `job` to the pool (on the dispatching thread; may wait for a worker to start)."""
        from briefpack.output.render import render_job

        if self.pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            if "forkserver" in multiprocessing.get_all_start_methods():
                context: Any = multiprocessing.get_context("forkserver")
            else:  # Windows: each worker imports what the fork server would have
                context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(
                max_workers=self.size, mp_context=context, initializer=_start_worker
            )
        future: Future[Rendered] = self.pool.submit(render_job, job)
        return future

    def cancel(self) -> None:
        """Drop the jobs not yet started; nothing they render will be used."""
        for handed in self.handed:
            if not handed.cancel() and handed.done() and handed.exception() is None:
                handed.result().cancel()
        self.todo, self.handed = [], []

    def finish(self, done: Callable[[Rendered], None]) -> None:
        """Call `done` with each job's result: as workers finish them, or rendered here."""
        if self.todo:
            from briefpack.output.render import render_job

            for job in self.todo:
                done(render_job(job))
            self.todo = []
        if not self.handed:
            return
        from concurrent.futures import as_completed
        from concurrent.futures.process import BrokenProcessPool

        try:
            try:
                for future in as_completed([handed.result() for handed in self.handed]):
                    result = future.result()
                    _replay(result.logged)
                    done(result)
            except BaseException:
                self.cancel()
                raise
        except BrokenProcessPool:
            raise _worker_died() from None

    def close(self) -> None:
        """Wait for the dispatching thread and the workers to end."""
        if self.dispatch is not None:
            self.dispatch.shutdown(wait=True, cancel_futures=True)
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _start_worker() -> None:
    """Ready a new worker: what the fork server preloaded (here already), its end with it."""
    import importlib

    importlib.import_module(PRELOAD)
    die_with_parent()  # the fork server (with spawn, the build): nothing is left behind


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent ends (Linux; elsewhere nothing).

    The parent is the thread that forked this process: the build's main thread for the fork
    server that the console entry or a build started, the fork server's for a worker.
    """
    import sys

    if sys.platform == "linux":
        import ctypes
        import signal

        pr_set_pdeathsig = 1  # linux/prctl.h
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def _replay(records: Sequence[dict[str, Any]]) -> None:
    """Hand WeasyPrint's records from a worker to the handlers on WeasyPrint's logger here.

    In this process `render_pdf` keeps them from propagating (they become findings) while
    handlers on the `weasyprint` logger itself still see them: the same here.
    """
    import logging

    logger = logging.getLogger("weasyprint")
    for fields in records:
        record = logging.makeLogRecord(fields)
        for handler in logger.handlers:
            if record.levelno >= handler.level:
                handler.handle(record)


def _worker_died() -> Exception:
    # A worker died (killed, out of memory): nothing of this build was written.
    from briefpack.errors import OutputError

    return OutputError(
        "a render worker process ended abruptly; nothing was written "
        "(rerun, or build with --jobs 1)"
    )
