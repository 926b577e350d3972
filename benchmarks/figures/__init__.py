"""Every figure of the performance targets, in report order, each with its target.

A figure is a function `measure(bench) -> record` (the measured value and its details; see
harness.verdict) in the module of its area, and one line here. Areas:

build        cold build vs bare WeasyPrint, no-op, `--help`, incremental, `--jobs`, HTML rebuild
glossary     `glossary add`, cold `check` at 5,000 terms, the first check after an add
translation  the engine vs raw CTranslate2 and vs argostranslate (information)
memory       project-memory look-ups in a 100,000-unit memory (`memory_lookup`), the peak
             RSS of a 100,000-unit TMX import (`tmx_import_rss`)
intake       a run of the press intake over local feeds vs the same fetches in sequence
serve        the preview server's edit-to-page time
scale        peak RSS and seconds per page of a 500-source pack
"""

from __future__ import annotations

from harness.verdict import Figure

from figures import build, glossary, intake, memory, scale, serve, translation

FIGURES: tuple[Figure, ...] = (
    Figure("cold_vs_weasyprint", "<=", 1.2, build.cold_vs_weasyprint),
    Figure("noop_vs_python", "<=", 5.0, build.noop_vs_python),
    Figure("help_vs_python", "<=", 10.0, build.help_vs_python),
    Figure("incremental", "==", 1, build.incremental, "1 seg, 1 pack"),
    Figure("glossary_add", "<=", 2.0, glossary.glossary_add, "<= 2.0x, each < 1 s"),
    Figure("check_5000", "<=", 1.5, glossary.check_5000),
    Figure("check_after_add", "<=", 1.2, glossary.check_after_add),
    Figure("jobs", ">=", 1.7, build.jobs),
    Figure("html_force_rebuild", "==", 0, build.html_force_rebuild, "0 subsets"),
    Figure("engine_vs_ct2", "<=", 1.1, translation.engine_vs_ct2),
    Figure("mt_vs_argos", None, None, translation.mt_vs_argos),
    Figure("memory_lookup", "<=", 1.5, memory.memory_lookup, "<= 1.5 s"),
    Figure("tmx_import_rss", "<=", 300, memory.tmx_import_rss, "<= 300 MB"),
    Figure("intake", "<=", 0.5, intake.intake),
    Figure("serve_preview", "<=", 0.1, serve.serve_preview),
    Figure("rss_per_page", "<=", 1.1, scale.rss_per_page),
)
BY_NAME = {f.name: f for f in FIGURES}
