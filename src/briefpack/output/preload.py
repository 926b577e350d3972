"""What the render fork server loads once for every worker (imported by `output.workers`).

Importing this module imports the renderers and WeasyPrint (about 0.5 s of CPU) and reads
the hyphenation dictionaries of the languages the theme marks up (`lang="de"`, `lang="en"`
in pack.html.j2; about 0.6 s: pyphen parses its pattern files in Python, and WeasyPrint
asks for them on the first line it hyphenates). pyphen keeps every dictionary it has read,
by file, for the life of the process, so each worker forked from the server starts with
them; WeasyPrint asks pyphen for the same files, so the PDFs do not change. Nothing here
renders: the fork server must start no thread (Pango's font map would), so that forking
it stays safe. What it loaded is then frozen (`gc.freeze`, as Python's documentation advises
for a process that forks without exec): a worker's collections skip those objects instead
of touching, and so copying, every page that holds them.
"""

from __future__ import annotations

import gc
import signal
import sys

HYPHENATED = ("de", "en")  # the `lang` values of the theme's text (pack.html.j2)


def _load() -> None:
    import pyphen  # type: ignore[import-untyped]
    import weasyprint  # noqa: F401

    import briefpack.output.render  # noqa: F401

    for lang in HYPHENATED:
        pyphen.Pyphen(lang=lang)


def _die_with_parent(sig: int) -> None:
    """Have `sig` sent to this process when its parent ends (Linux; elsewhere nothing)."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h

# The fork server ends when the build does, but only once it serves: a build that fails on
# its input ends while the server still imports, and the server, which holds the build's
# stdout and stderr, would keep a pipe reading them open for up to a second more (a test's
# `subprocess.run`, `briefpack build | less`). So while it imports, it dies with its parent.
# A Ctrl-C on the terminal reaches the whole process group: the build answers it; the
# fork server ignores it once it serves, but not while it imports, which would print its
# traceback under the build's one-line "interrupted". Its workers get the default handling
# back (multiprocessing hands a worker the handlers it had before).
_die_with_parent(signal.SIGKILL)
_previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
try:
    _load()
finally:
    signal.signal(signal.SIGINT, _previous)
    _die_with_parent(0)
gc.freeze()
