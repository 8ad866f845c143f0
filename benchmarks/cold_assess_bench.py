#!/usr/bin/env python3
"""Cold wall and CPU time of one `crampcheck assess examples/night_cramps_diuretic.json --json`.

Each run is a new Python process (cold start: imports, knowledge files, food table, plan).
With ``--compare DIR`` the same command runs, interleaved, in another source tree (a checkout
of an earlier commit, say ``git worktree add /tmp/before HEAD~5``), so that load from other
processes on the machine affects both alike. Prints the median and minimum wall time and CPU
time (user + system) per tree; ``--no-plan`` measures the assessment alone.

Usage::

    python3 benchmarks/cold_assess_bench.py [--runs 10] [--compare DIR] [--no-plan]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = "examples/night_cramps_diuretic.json"


def run_once(tree: Path, no_plan: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one cold run in ``tree``."""
    command = [sys.executable, "-m", "crampcheck.cli", "assess", CASE, "--json"]
    if no_plan:
        command.append("--no-plan")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree / "src")},
                   stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--compare", type=Path, help="another source tree to interleave with")
    parser.add_argument("--no-plan", action="store_true")
    args = parser.parse_args()
    trees = [ROOT] + ([args.compare.resolve()] if args.compare else [])
    walls: dict[Path, list[float]] = {t: [] for t in trees}
    cpus: dict[Path, list[float]] = {t: [] for t in trees}
    for _ in range(args.runs):
        for tree in trees:
            wall, cpu = run_once(tree, args.no_plan)
            walls[tree].append(wall)
            cpus[tree].append(cpu)
    for tree in trees:
        print(f"{tree}: wall median {statistics.median(walls[tree]):.2f} s "
              f"(min {min(walls[tree]):.2f}), CPU median {statistics.median(cpus[tree]):.2f} s "
              f"(min {min(cpus[tree]):.2f}), {args.runs} cold runs")


if __name__ == "__main__":
    main()
