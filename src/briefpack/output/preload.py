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

HYPHENATED = ("de", "en")  # the `lang` values of the theme's text (pack.html.j2)


def _load() -> None:
    import pyphen  # type: ignore[import-untyped]
    import weasyprint  # noqa: F401

    import briefpack.output.render  # noqa: F401

    for lang in HYPHENATED:
        pyphen.Pyphen(lang=lang)


# A Ctrl-C on the terminal reaches the whole process group. The build (the fork server's
# parent) answers it; the fork server ignores it once it serves, but not while it imports,
# which would print its traceback under the build's one-line "interrupted". Its workers
# get the default handling back (multiprocessing hands a worker the handlers it had before).
_previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
try:
    _load()
finally:
    signal.signal(signal.SIGINT, _previous)
gc.freeze()
