"""Figures for the foundation issue: table load, search latency, nutrients throughput, cold CLI.

Run: ``python benchmarks/foundation_bench.py``. Prints; asserts nothing.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

QUERIES = [
    "cooked spinach", "kale", "almonds", "pumpkin seeds", "baked salmon", "whole milk",
    "plain yogurt", "black beans", "banana", "potato", "tofu", "oats", "whole wheat bread",
    "eggs", "brown rice", "chickpeas", "lentils", "broccoli", "avocado", "orange juice",
    "cheddar cheese", "peanut butter", "walnuts", "chia seeds", "flaxseed", "sardines",
    "quinoa", "cottage cheese", "soymilk", "dark chocolate", "coffee", "black tea",
    "bok choy", "swiss chard", "collard greens", "edamame", "sweet potato", "apple",
    "chicken breast", "ground beef", "tuna", "cashews", "sunflower seeds", "molasses",
    "greek yogurt", "white rice", "oatmeal", "pinto beans", "kidney beans", "halibut",
]


def main() -> None:
    t0 = time.perf_counter()
    from crampcheck.foods.store import default_store

    store = default_store()
    t1 = time.perf_counter()
    from crampcheck.foods.search import default_index, search

    default_index()
    t2 = time.perf_counter()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"generic foods: {len(store):,}")
    print(f"table load (import + json + mmap): {1000 * (t1 - t0):.1f} ms")
    print(f"search index build: {1000 * (t2 - t1):.1f} ms")
    print(f"max RSS after load: {rss_mb:.0f} MB")

    latencies = []
    queries = (QUERIES * 4)[:200]
    for q in queries:
        s = time.perf_counter()
        search(q, limit=5)
        latencies.append(1000 * (time.perf_counter() - s))
    latencies.sort()
    p99 = latencies[int(0.99 * len(latencies)) - 1]
    print(f"search latency over {len(queries)} queries: p50 {statistics.median(latencies):.2f} ms,"
          f" p99 {p99:.2f} ms")

    from crampcheck.totals import nutrients

    lines = [f"1 cup {q}" for q in QUERIES] * 20
    s = time.perf_counter()
    nutrients(lines)
    dt = time.perf_counter() - s
    print(f"nutrients warm throughput: {len(lines) / dt:,.0f} lines/s ({len(lines)} lines)")

    s = time.perf_counter()
    search("cheerios", branded=True)
    print(f"first branded search (loads ~264k products): {time.perf_counter() - s:.2f} s")

    runs = []
    for _ in range(5):
        s = time.perf_counter()
        subprocess.run([sys.executable, "-m", "crampcheck.cli", "nutrients",
                        "1 cup cooked spinach", "--json"], check=True, capture_output=True)
        runs.append(time.perf_counter() - s)
    print(f"cold `crampcheck nutrients \"1 cup cooked spinach\" --json`: median "
          f"{statistics.median(runs):.3f} s (min {min(runs):.3f} s, 5 runs)")


if __name__ == "__main__":
    main()
