"""The benchmark harness: child runs and their timing (`child`), the demo project's copies
(`project`), figure records and verdicts (`verdict`), the machine and the report table
(`report`). The figures themselves live in `benchmarks/figures/`, grouped by area.
"""
