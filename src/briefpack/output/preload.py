"""What the render fork server loads once for every worker (imported by `output.workers`).

Importing this module imports the renderers and WeasyPrint (about 0.5 s of CPU) and reads
the hyphenation dictionaries of the languages the theme marks up (`lang="de"`, `lang="en"`
in pack.html.j2; about 0.6 s: pyphen parses its pattern files in Python, and WeasyPrint
asks for them on the first line it hyphenates). pyphen keeps every dictionary it has read,
by file, for the life of the process, so each worker forked from the server starts with
them; WeasyPrint asks pyphen for the same files, so the PDFs do not change. Nothing here
renders: the fork server must start no thread (Pango's font map would), so that forking
it stays safe.
"""

from __future__ import annotations

import pyphen  # type: ignore[import-untyped]
import weasyprint  # noqa: F401

import briefpack.output.render  # noqa: F401

HYPHENATED = ("de", "en")  # the `lang` values of the theme's text (pack.html.j2)

for _lang in HYPHENATED:
    pyphen.Pyphen(lang=_lang)
