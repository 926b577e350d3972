"""What the render fork server loads once for every worker (imported by `output.workers`).

Importing this module (never in a build's own process: it changes how the process that
imports it ends and collects) imports WeasyPrint and the PDF renderer (about 0.35 s of CPU)
and reads the hyphenation dictionaries of the languages the theme marks up
(`output.workers.HYPHENATED`; about 0.6 s: pyphen parses its pattern files in Python, and
WeasyPrint asks for them on the first line it hyphenates). pyphen keeps every dictionary
it has read, by file, for the life of the process, so each worker forked from the server
starts with them; WeasyPrint asks pyphen for the same files, so the PDFs do not change. Nothing here
renders: the fork server must start no thread (Pango's font map would), so that forking
it stays safe. As Python's documentation advises for a process that forks without exec,
the collector is off while it loads (about 0.08 s less here) and what it loaded is frozen
(`gc.freeze`) before it is turned on again: a worker's collections skip those objects
instead of touching, and so copying, every page that holds them.
"""

from __future__ import annotations

import gc
import signal

from briefpack.output.workers import HYPHENATED, die_with_parent


def _load() -> None:
    import pyphen  # type: ignore[import-untyped]
    import weasyprint  # noqa: F401

    import briefpack.output.render  # noqa: F401

    for lang in HYPHENATED:
        pyphen.Pyphen(lang=lang)


# The fork server ends with the build that started it: killed by the kernel when the build
# ends (PR_SET_PDEATHSIG; its workers die with it in turn, `output.workers`). Without it, a
# build that fails on its input would leave the server importing for up to a second more,
# holding the build's stdout and stderr (a test's `subprocess.run`, `briefpack build | less`
# wait for them), and a build killed with SIGKILL would leave it and its workers behind for
# good. A Ctrl-C on the terminal reaches the whole process group: the build answers it; the
# fork server ignores it once it serves, but not while it imports, which would print its
# traceback under the build's one-line "interrupted". Its workers get the default handling
# back (multiprocessing hands a worker the handlers it had before).
die_with_parent()
_previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
gc.disable()
try:
    _load()
finally:
    signal.signal(signal.SIGINT, _previous)
    gc.freeze()
    gc.enable()
