#!/usr/bin/env python3
"""Every speed goal of issue 12 in one run, each figure beside its target.

Run from the repository root::

    python3 benchmarks/speed.py [--runs 7] [--no-journal] [--no-busy] [--compare TREE]

Cold figures are wall times of new processes (``python -m crampcheck.cli …`` with this tree's
``src`` first on the path), as ratios to a baseline measured in the same run, interleaved
with it, so that load from other processes on a shared machine affects both alike:

* ``nutrients LINE --json`` against ``python -c "import numpy"`` (goal ≤ 2×);
* ``assess CASE --json`` and ``plan CASE --json`` for every bundled example against
  ``python -c "import numpy, scipy.optimize"`` (goal ≤ 2.5×).

Each figure is the median of ``--runs`` rounds (the minimum wall time is shown too), in wall
time and in CPU time (user + system of the child). The goals are judged on CPU time: on a
machine shared with other work, wall times of the same command vary by half or more from
round to round, CPU times by a tenth or two. Bytecode is cached
(in a temporary ``PYTHONPYCACHEPREFIX``, warmed by one untimed round) as it is for an installed
package; no journal is read (``CRAMPCHECK_DB`` points to a missing file).

Warm figures run in one process after a first call: ``nutrients`` lines per second over a
year of diary lines (goal ≥ 5,000 lines/s; the year is drawn from all the labelled lines of
``tests/data/matching_lines.toml``, a few often and most rarely; a year of one person's usual
foods and the labelled lines once each are shown too), and the journal commands and web pages on a
three-year journal (``benchmarks/journal_bench.py``; goal < 1 s each).

With ``--compare TREE`` (an earlier commit exported with ``git archive``), the same cold commands
run in that tree too, interleaved, and are shown as "before".

Determinism: every cold ``plan`` run's JSON must be byte-identical, including one round
run while two busy processes load both cores (``--no-busy`` skips it); the solver's status
and its gap to the proven bound are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.json"))
LINE = "1 cup cooked spinach"
NUMPY = [sys.executable, "-c", "import numpy"]
SCIPY = [sys.executable, "-c", "import numpy, scipy.optimize"]
COLD_TARGETS = {"nutrients": 2.0, "assess": 2.5, "plan": 2.5}
WARM_LINES_TARGET = 5000.0
JOURNAL_TARGET = 1.0

WARM_SCRIPT = r"""
import json, random, sys, time, tomllib
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from journal_bench import LINES
from crampcheck.totals import nutrients

rng = random.Random(12)
amounts = ["1", "2", "1/2", "1 1/2", "3"]
usual = []  # a year of one person's usual foods, amounts varying
for day in range(365):
    for meal, count in (("breakfast", 4), ("lunch", 3), ("dinner", 3), ("snack", 1)):
        for line in rng.sample(LINES[meal], count):
            head, _, rest = line.partition(" ")
            if rng.random() < 0.3 and head.replace("/", "").isdigit():
                line = f"{rng.choice(amounts)} {rest}"
            usual.append(line)
labelled = tomllib.loads(Path(sys.argv[2]).read_text())["line"]
texts = [entry["text"] for entry in labelled]
weights = [1 / (rank + 1) for rank in range(len(texts))]  # a few foods daily, most rarely
varied = rng.choices(texts, weights=weights, k=len(usual))
lines = {"varied": varied, "usual": usual, "distinct": texts}[sys.argv[3]]
nutrients(["1 oz almonds"])  # the food table and index are loaded: the process is warm
t0, c0 = time.perf_counter(), time.process_time()
nutrients(lines)
print(json.dumps({"lines": len(lines), "distinct": len(set(lines)),
                  "seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}))
"""


def child_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env["PYTHONPATH"]
                                             if env.get("PYTHONPATH") else "")
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    env["CRAMPCHECK_DB"] = str(tmp / "no-journal.db")
    return env


def timed(command: list[str], env: dict[str, str]) -> tuple[float, bytes, float]:
    """(wall seconds, stdout, CPU seconds: user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {proc.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, proc.stdout, cpu


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "crampcheck.cli", *args]


def busy_processes(n: int = 2) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, load average "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at start")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed rounds of cold runs")
    parser.add_argument("--no-journal", action="store_true", help="skip the journal figures")
    parser.add_argument("--no-busy", action="store_true",
                        help="skip the plan run on a busy machine")
    parser.add_argument("--compare", type=Path,
                        help="another source tree (an earlier commit, exported) whose cold "
                             "runs are interleaved with these and shown as 'before'")
    return parser.parse_args()


def cold_commands(tmp: Path, env: dict[str, str], compare: Path | None
                  ) -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
    """The cold commands by name (the two baselines first) and the environment of each; with
    ``compare``, the same commands again as "before NAME" run in that tree."""
    commands: dict[str, list[str]] = {"import numpy": NUMPY,
                                      "import numpy, scipy.optimize": SCIPY,
                                      "nutrients": cli("nutrients", LINE, "--json")}
    for ex in EXAMPLES:
        commands[f"assess {ex}"] = cli("assess", f"examples/{ex}", "--json")
        commands[f"plan {ex}"] = cli("plan", f"examples/{ex}", "--json")
    envs = dict.fromkeys(commands, env)
    if compare:
        other = {**env, "PYTHONPATH": str(compare.resolve() / "src"),
                 "PYTHONPYCACHEPREFIX": str(tmp / "pycache-before")}
        for name in list(commands)[2:]:
            commands[f"before {name}"] = commands[name]
            envs[f"before {name}"] = other
    return commands, envs


def time_cold(commands: dict[str, list[str]], envs: dict[str, dict[str, str]], runs: int
              ) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, set[bytes]]]:
    """Wall and CPU seconds of ``runs`` shuffled rounds after one untimed warm-up round, and
    the distinct outputs of each ``plan`` command."""
    for name, command in commands.items():  # warm-up: bytecode caches, the file cache
        timed(command, envs[name])
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    outputs: dict[str, set[bytes]] = {name: set() for name in commands if name[:4] == "plan"}
    names = list(commands)
    rng = random.Random(0)
    for _ in range(runs):
        rng.shuffle(names)  # no command always runs right after the same one
        for name in names:
            seconds, out, cpu = timed(commands[name], envs[name])
            times[name].append(seconds)
            cpus[name].append(cpu)
            if name in outputs:
                outputs[name].add(out)
    return times, cpus, outputs


def run_busy(commands: dict[str, list[str]], env: dict[str, str],
             outputs: dict[str, set[bytes]]) -> int:
    """One run of each ``plan`` command while both cores are busy; the number of such rounds."""
    hogs = busy_processes()
    try:
        for name in outputs:
            outputs[name].add(timed(commands[name], env)[1])
        return 1
    finally:
        for h in hogs:
            h.kill()
            h.wait()


def report_cold(commands: dict[str, list[str]], times: dict[str, list[float]],
                cpus: dict[str, list[float]], runs: int, compare: bool) -> dict[str, float]:
    """Print the cold figures; the worst CPU ratio of each kind of command."""
    med = {name: statistics.median(t) for name, t in times.items()}
    low = {name: min(t) for name, t in times.items()}
    cpu = {name: statistics.median(t) for name, t in cpus.items()}
    print(f"\ncold start ({runs} rounds; wall seconds median [min], CPU seconds median; "
          "ratios of medians to the baseline; the goal is judged on CPU time, which other "
          "processes on a shared machine disturb far less than wall time)")
    before_head = "   before: wall  CPU ratio" if compare else ""
    print(f"{'command':<50} {'wall':>14} {'CPU':>6} {'wall×':>6} {'CPU×':>6} "
          f"{'target':>6}{before_head}")
    for base in ("import numpy", "import numpy, scipy.optimize"):
        print(f"{'python -c ' + repr(base):<50} {med[base]:6.3f} [{low[base]:5.3f}] "
              f"{cpu[base]:6.3f}")
    worst: dict[str, float] = {}
    for name in commands:
        kind = name.split()[0]
        if kind not in COLD_TARGETS:
            continue
        base = "import numpy" if kind == "nutrients" else "import numpy, scipy.optimize"
        ratio, cpu_ratio = med[name] / med[base], cpu[name] / cpu[base]
        worst[kind] = max(worst.get(kind, 0.0), cpu_ratio)
        ok = "OK" if cpu_ratio <= COLD_TARGETS[kind] else "over"
        label = f"{name}" + (f' "{LINE}"' if kind == "nutrients" else "")
        before = ""
        if f"before {name}" in med:
            was = f"before {name}"
            before = f"   {med[was] / med[base]:5.2f}× {cpu[was] / cpu[base]:5.2f}×"
        print(f"{label:<50} {med[name]:6.3f} [{low[name]:5.3f}] {cpu[name]:6.3f} "
              f"{ratio:5.2f}× {cpu_ratio:5.2f}× ≤ {COLD_TARGETS[kind]}× {ok:<4}{before}")
    return worst


def report_warm(env: dict[str, str]) -> float:
    """Measure and print the warm ``nutrients`` figures; lines per CPU second of the goal."""
    warm = {}
    for name in ("varied", "usual", "distinct"):  # each in a new process: no shared cache
        proc = subprocess.run([sys.executable, "-c", WARM_SCRIPT, str(ROOT / "benchmarks"),
                               str(ROOT / "tests" / "data" / "matching_lines.toml"), name],
                              cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        warm[name] = json.loads(proc.stdout)
    rates = {k: v["lines"] / v["cpu"] for k, v in warm.items()}
    walls = {k: v["lines"] / v["seconds"] for k, v in warm.items()}
    rate = rates["varied"]
    n = warm["distinct"]["lines"]
    labels = {"varied": f"a year drawn from the {n} labelled lines (goal figure)",
              "usual": "a year of one person's usual foods",
              "distinct": f"the {n} labelled lines once each (few repeats)"}
    print("\nwarm nutrients (one process, food table and index loaded; one pass each)")
    for name, figure in warm.items():
        print(f"{labels[name]:<56} {figure['lines']:5,} lines ({figure['distinct']:,} "
              f"distinct) {rates[name]:7,.0f} lines/s of CPU ({walls[name]:,.0f} wall)")
    status = "OK" if rate >= WARM_LINES_TARGET else "not met"
    goal = f"goal: ≥ {WARM_LINES_TARGET:,.0f} lines/s"
    print(f"{goal:<56} {rate / WARM_LINES_TARGET:.2f} of it: {status}")
    return rate


def report_journal(env: dict[str, str]) -> dict[str, float]:
    """Run benchmarks/journal_bench.py and print its figures; seconds by command."""
    proc = subprocess.run([sys.executable, "-W", "ignore",
                           str(ROOT / "benchmarks" / "journal_bench.py"), "--json",
                           "--no-import"], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True)
    result = json.loads(proc.stdout)
    journal: dict[str, float] = result["seconds"]
    counts = ", ".join(f"{v:,} {k}" for k, v in result["counts"].items())
    print(f"\nwarm journal commands on three years ({counts}); best of 3 calls")
    process = result.get("process", {})
    for name, seconds in journal.items():
        alone = f"  (new process: {process[name]:.2f} s)" if name in process else ""
        print(f"{name:<56} {seconds:6.3f} s  {seconds / JOURNAL_TARGET:4.2f} of "
              f"< {JOURNAL_TARGET:g} s {'OK' if seconds < JOURNAL_TARGET else 'over'}"
              f"{alone}")
    return journal


def report_determinism(outputs: dict[str, set[bytes]], runs: int, busy_runs: int) -> bool:
    """Print whether every ``plan`` run gave the same JSON; True if all did."""
    print(f"\nplan determinism ({runs} quiet runs"
          f"{', 1 with both cores busy' if busy_runs else ''} per example)")
    same = True
    for name, outs in outputs.items():
        solver = json.loads(next(iter(outs))).get("solver", {})
        gap = solver.get("mip_gap")
        state = ("same JSON every run" if len(outs) == 1 else
                 f"{len(outs)} DIFFERENT outputs")
        same &= len(outs) == 1
        print(f"{name:<56} {state}; solver {solver.get('status', 'not run (stopped)')}"
              + (f", gap {gap:.4f} (limit 0.02)" if gap is not None else ""))
    return same


def report_summary(worst: dict[str, float], rate: float, journal: dict[str, float],
                   same: bool) -> None:
    print("\nsummary")
    for kind, target in COLD_TARGETS.items():
        print(f"  cold {kind:<10} worst {worst[kind]:.2f}× in CPU time (target ≤ {target}×)")
    print(f"  warm nutrients   {rate:,.0f} lines/s of CPU (target ≥ {WARM_LINES_TARGET:,.0f})")
    if journal:
        name, seconds = max(journal.items(), key=lambda kv: kv[1])
        print(f"  journal          slowest {name}: {seconds:.3f} s (target < 1 s)")
    print(f"  plan             {'deterministic' if same else 'NOT deterministic'}")


def main() -> None:
    args = parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = child_env(tmp)
        commands, envs = cold_commands(tmp, env, args.compare)
        times, cpus, outputs = time_cold(commands, envs, args.runs)
        busy_runs = 0 if args.no_busy else run_busy(commands, env, outputs)
        worst = report_cold(commands, times, cpus, args.runs, bool(args.compare))
        rate = report_warm(env)
        journal = {} if args.no_journal else report_journal(env)
        same = report_determinism(outputs, args.runs, busy_runs)
        report_summary(worst, rate, journal, same)


if __name__ == "__main__":
    main()
