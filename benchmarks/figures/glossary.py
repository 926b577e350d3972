"""Figures of the glossary at 5,000 terms: `glossary add`, a cold `check`, a check after an add."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from pathlib import Path

from harness.child import ChildRun, briefpack_cmd, run_child, versus
from harness.project import Bench, big_glossary, glossary_terms, reset
from harness.verdict import Record, median, r, ratio_of

SHORT_RUNS = 7


def _adder() -> Callable[[Path], ChildRun]:
    """Return a function that adds a new term to a project's glossary (`glossary add`)."""
    numbers = count()

    def add(root: Path) -> ChildRun:
        i = next(numbers)
        cmd = briefpack_cmd("glossary", "add", f"Prüfbegriff{i}", f"test entry {i}")
        return run_child(cmd, cwd=root)

    return add


def glossary_add(b: Bench) -> Record:
    """`glossary add` on a 5,000-term glossary vs on the demo's, each adding a new term."""
    small, big = b.project("gloss-small"), b.project("gloss-big")
    big_glossary(big)
    add = _adder()
    # The first edit of a file the editor has not seen (a fresh checkout, a hand edit)
    # parses it whole; later ones use the index it left.
    first_small, first_big = add(small).check(), add(big).check()
    runs = max(b.runs, SHORT_RUNS // 2)
    ours, theirs = versus(lambda: add(big), lambda: add(small), runs)
    fig = ratio_of(
        ours,
        theirs,
        f"{glossary_terms(small)} terms",
        terms=glossary_terms(big),
        first_add_s={"big": r(first_big.wall), "small": r(first_small.wall)},
    )
    under = max(fig["ours_s"], fig["theirs_s"]) < 1.0
    fig["holds"] = under
    fig["detail"] = (
        f"{fig['terms']} terms {fig['detail']}; the first add after a hand edit (whole-file "
        f"parse) {first_big.wall:.2f} s vs {first_small.wall:.2f} s"
        + ("" if under else "; not under a second")
    )
    return fig


def check_5000(b: Bench) -> Record:
    """Cold `check` of the demo with a 5,000-term glossary vs with the demo glossary."""
    small, big = b.project("check-small"), b.project("check-big")
    big_glossary(big)

    def check(root: Path) -> ChildRun:
        reset(root)  # cold: no content caches
        return run_child(briefpack_cmd("check"), cwd=root)

    ours, theirs = versus(lambda: check(big), lambda: check(small), b.runs)
    fig = ratio_of(ours, theirs, f"{glossary_terms(small)} terms")
    fig["detail"] = f"{glossary_terms(big)} terms " + fig["detail"]
    return fig


def check_after_add(b: Bench) -> Record:
    """The first `check` after a `glossary add` (5,000 terms) vs a warm `check` there."""
    root = b.project("check-add")
    big_glossary(root)
    add = _adder()
    add(root).check()  # the editor's first sight of the file: its whole-file parse
    run_child(briefpack_cmd("check"), cwd=root).check()  # the caches warm
    after: list[ChildRun] = []
    warm: list[ChildRun] = []
    for _ in range(max(b.runs, SHORT_RUNS // 2)):
        add(root).check()
        after.append(run_child(briefpack_cmd("check"), cwd=root).check())
        warm.append(run_child(briefpack_cmd("check"), cwd=root).check())
    fig = ratio_of(after, warm, "warm check")
    fig["detail"] = f"{glossary_terms(root)} terms: first check after an add " + fig["detail"]
    fig["warm_s"] = r(median([x.wall for x in warm]))
    return fig
