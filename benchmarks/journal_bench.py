"""Benchmark: the journal. A three-year journal read by every command, and a tracker import.

Run ``python3 benchmarks/journal_bench.py``. It builds (in a temporary folder) a journal of
three years of daily entries: 10 food lines a day matched to USDA foods as ``crampcheck log``
matches them, a cramp on about one night in four, medicines and supplements started and
stopped, a lab panel every 90 days and a few symptoms (:func:`make_journal`). Then it prints,
for each command the issue names, the warm time of one call in this process (imports and
caches already loaded; the best of ``--repeat`` calls), against the target of 1 s:

* ``assess --days 365`` (the assessment with its plan, as the CLI prints it),
* ``trends --days 1095``, ``history --days 1095``,
* the web pages ``/diary``, ``/history``, ``/assessment`` and ``/plan`` (365 days: the web
  app's longest window), through FastAPI's test client.

"Warm" is a process that has answered once already, as the web app is: imports, the food
table and the plan's candidates are loaded, nothing of the journal is kept between calls.
The same commands as a new process each (``python -m crampcheck.cli``, with Python's start-up
and imports) are printed beside them.

Then the import of a generated year of Cronometer servings (about 5,000 rows) into a new
journal, first import and idempotent re-import (target: under 2 s for the first).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crampcheck.journal import connect, import_file

HEADER = ["Day", "Time", "Group", "Food Name", "Amount", "Energy (kcal)", "Alcohol (g)",
          "Caffeine (mg)", "Water (g)", "Vitamin D (IU)", "Calcium (mg)", "Iron (mg)",
          "Magnesium (mg)", "Phosphorus (mg)", "Potassium (mg)", "Sodium (mg)", "Zinc (mg)",
          "Carbs (g)", "Fiber (g)", "Fat (g)", "Omega-3 (g)", "Omega-6 (g)", "Protein (g)",
          "Category"]
FOODS = [("Oatmeal, Cooked", "1.00 cup"), ("Milk, Whole", "1.00 cup"), ("Banana, Raw", "1 medium"),
         ("Spinach, Cooked", "1.00 cup"), ("Salmon, Baked", "100.00 g"), ("Bread, Whole Wheat",
         "2.00 slice"), ("Coffee, Brewed", "1.00 cup"), ("Almonds, Raw", "1.00 oz"),
         ("Yogurt, Plain", "1.00 cup"), ("Black Beans, Cooked", "1.00 cup")]
MEALS = [("Breakfast", "7:45 AM"), ("Lunch", "12:30 PM"), ("Dinner", "7:00 PM"),
         ("Snacks", "9:30 PM")]

#: Food lines a person types, by meal (the journal draws 10 a day from them).
LINES = {
    "breakfast": ["1 cup oatmeal", "1 cup whole milk", "2 slices whole wheat bread",
                  "2 large eggs", "1 medium banana", "1 cup plain yogurt", "1 cup coffee",
                  "1 tbsp peanut butter", "1 cup orange juice", "1 cup cheerios"],
    "lunch": ["3 oz baked salmon", "1 cup cooked lentils", "1 cup cooked brown rice",
              "2 cups raw spinach", "1 medium apple", "3 oz chicken breast", "1 oz cheddar cheese",
              "1 cup black beans", "1 medium tomato", "1 cup cooked broccoli"],
    "dinner": ["4 oz grilled chicken", "1 cup cooked pasta", "1 cup cooked spinach",
               "1 medium baked potato", "3 oz beef steak", "1 cup green beans",
               "1 cup cooked quinoa", "1 tbsp olive oil", "1 glass red wine", "1 cup tofu"],
    "snack": ["1 oz almonds", "1 oz pumpkin seeds", "1 medium orange", "1 oz dark chocolate",
              "1 cup grapes", "2 tbsp hummus", "1 small carrot", "1 cup popcorn"],
}
PER_DAY = (("breakfast", "07:30", 4), ("lunch", "12:30", 3), ("dinner", "19:00", 2),
           ("snack", "16:00", 1))
MEDICINES = [("Lasix 40 mg daily", 1000, 200), ("omeprazole 20 mg", 800, None),
             ("atorvastatin 20 mg at night", 400, None), ("amlodipine 5 mg daily", 600, 300)]
SUPPLEMENTS = [("Magnesium (as glycinate) 200 mg", 500, 100), ("vitamin D3 1000 IU", 900, None)]
LABS = [("serum magnesium", 1.9, "mg/dL"), ("potassium", 4.2, "mmol/L"),
        ("creatinine", 0.9, "mg/dL"), ("calcium", 9.4, "mg/dL"), ("albumin", 4.1, "g/dL")]
SYMPTOMS = ["tight calves after long walks", "no calf swelling", "tired legs in the evening"]


def generate(path: Path, days: int = 365, seed: int = 1) -> int:
    """Write ``days`` days of invented Cronometer servings (13–14 a day); return the row count."""
    rng = random.Random(seed)
    rows = 0
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for d in range(days):
            day = (dt.date(2025, 1, 1) + dt.timedelta(days=d)).isoformat()
            for i in range(13 + d % 2):
                group, when = MEALS[i % 4]
                name, amount = rng.choice(FOODS)
                w.writerow([day, when, group, name, amount]
                           + [f"{rng.uniform(0, 400):.2f}" for _ in HEADER[5:-1]] + ["Food"])
                rows += 1
    return rows


def make_journal(path: Path, *, days: int = 1095, end: dt.date | None = None,
                 person: str = "me", seed: int = 12) -> dict[str, int]:
    """A journal at ``path`` with ``days`` days of entries ending ``end`` (default today).

    Each distinct food line is matched once (as ``crampcheck log`` matches it) and stored with
    its nutrients on every day it is eaten. Returns the number of entries of each kind.
    """
    from crampcheck.foods.schema import NUTRIENTS
    from crampcheck.journal import store
    from crampcheck.journal.db import person_id, transaction
    from crampcheck.totals import Item, analyze_text

    rng = random.Random(seed)
    end = end or dt.date.today()
    first = end - dt.timedelta(days=days - 1)
    conn = connect(path)
    try:
        store.set_profile(conn, person, age=64, sex="female", weight_kg=66,
                          exercise_hours_per_week=3.0, exercise_intensity="moderate")
        matched: dict[str, list[Any]] = {}
        for lines in LINES.values():
            for line in lines:
                matched[line] = analyze_text(line)
        entries = []
        for d in range(days):
            day = (first + dt.timedelta(days=d)).isoformat()
            for meal, clock, count in PER_DAY:
                for line in rng.sample(LINES[meal], count):
                    for r in matched[line]:
                        if isinstance(r, Item):
                            entries.append(store.FoodEntry(
                                day=day, text=line, source="log", nutrients=dict(r.nutrients),
                                time=clock, meal=meal, food_id=r.food.id,
                                food_name=r.food.name, grams=r.grams,
                                grams_method=r.grams_method, note="; ".join(r.notes) or None))
                        else:
                            entries.append(store.FoodEntry(
                                day=day, text=line, source="log",
                                nutrients=dict.fromkeys(NUTRIENTS), time=clock, meal=meal,
                                note=f"not matched: {r.reason}"))
        store.add_food(conn, person, entries)
        cramps = []
        for d in range(days):
            if rng.random() < 0.25:
                at = dt.datetime.combine(first + dt.timedelta(days=d),
                                         dt.time(rng.randrange(0, 6), rng.randrange(0, 60)))
                cramps.append((at.isoformat(timespec="minutes"), rng.choice(["calf", "foot"]),
                               rng.choice(["left", "right"]), rng.randrange(1, 6),
                               rng.randrange(2, 8)))
        with transaction(conn):
            pid = person_id(conn, person)
            conn.executemany("INSERT INTO cramps (person_id, at, muscle, side, minutes, "
                             "severity, note, created) VALUES (?,?,?,?,?,?,NULL,?)",
                             [(pid, *c, store.now()) for c in cramps])
        for table, items in (("medicines", MEDICINES), ("supplements", SUPPLEMENTS)):
            for text, since_ago, until_ago in items:
                since = max(first, end - dt.timedelta(days=since_ago)).isoformat()
                until = None if until_ago is None else (end - dt.timedelta(days=until_ago))
                store.add_listed(conn, table, person, text, since,
                                 None if until is None else until.isoformat())
        n_labs = 0
        for d in range(0, days, 90):
            day = (first + dt.timedelta(days=d)).isoformat()
            for test, value, unit in LABS:
                store.add_lab(conn, person, test, round(value * rng.uniform(0.97, 1.03), 2),
                              unit, day)
                n_labs += 1
        for k, text in enumerate(SYMPTOMS):
            store.add_symptom(conn, person, text,
                              (end - dt.timedelta(days=30 + 200 * k)).isoformat())
    finally:
        conn.close()
    return {"food": len(entries), "cramps": len(cramps), "labs": n_labs,
            "medicines": len(MEDICINES), "supplements": len(SUPPLEMENTS),
            "symptoms": len(SYMPTOMS)}


def best_of(fn: Callable[[], Any], repeat: int) -> float:
    """The shortest of ``repeat`` timed calls after one untimed warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def journal_timings(db: Path, person: str = "me", repeat: int = 3) -> dict[str, float]:
    """Warm seconds of each journal command (run in this process by Typer's test runner, as
    the command line runs it, JSON output) and web page on the journal at ``db``."""
    from typer.testing import CliRunner

    from crampcheck.cli import app

    runner = CliRunner()
    out: dict[str, float] = {}
    for args in COMMANDS:
        def run(args: list[str] = args) -> None:
            result = runner.invoke(app, [*args, "--db", str(db), "--person", person, "--json"])
            if result.exit_code != 0:
                raise RuntimeError(f"{' '.join(args)}: exit {result.exit_code}: "
                                   f"{result.output[-500:]}")

        out[" ".join(args)] = best_of(run, repeat)
    try:
        from fastapi.testclient import TestClient
    except ImportError:  # httpx is a test dependency
        return out
    from crampcheck.web.app import create_app

    client = TestClient(create_app(db, person), base_url="http://127.0.0.1:8765",
                        headers={"sec-fetch-site": "same-origin"})
    for page in ("/diary", "/history?days=365", "/assessment?days=365", "/plan?days=365"):
        def get(page: str = page) -> None:
            r = client.get(page)
            if r.status_code != 200:
                raise RuntimeError(f"{page}: HTTP {r.status_code}")

        out[f"web {page}"] = best_of(get, repeat)
    return out


COMMANDS = (["assess", "--days", "365"], ["plan", "--days", "365"],
            ["trends", "--days", "1095"], ["history", "--days", "1095"])


def process_timings(db: Path, person: str = "me", repeat: int = 1) -> dict[str, float]:
    """Seconds of each journal command as a new process (``python -m crampcheck.cli``, JSON
    output; Python start-up and imports included), the shortest of ``repeat`` runs."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")
           + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = {}
    for args in COMMANDS:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "crampcheck.cli", *args, "--db", str(db),
                            "--person", person, "--json"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
        out[" ".join(args)] = min(times)
    return out


def import_timings() -> tuple[int, Any, float, Any, float]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "servings.csv"
        rows = generate(src)
        conn = connect(Path(tmp) / "journal.db")
        try:
            t0 = time.perf_counter()
            first = import_file(conn, "me", "cronometer", str(src))
            t1 = time.perf_counter()
            again = import_file(conn, "me", "cronometer", str(src))
            t2 = time.perf_counter()
        finally:
            conn.close()
    return rows, first, t1 - t0, again, t2 - t1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed calls per figure")
    parser.add_argument("--no-import", action="store_true", help="skip the import figures")
    parser.add_argument("--json", action="store_true",
                        help="print the journal figures as JSON (for benchmarks/speed.py)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "journal.db"
        t0 = time.perf_counter()
        counts = make_journal(db)
        warm = journal_timings(db, repeat=args.repeat)
        process = process_timings(db)
        if args.json:
            print(json.dumps({"counts": counts, "seconds": warm, "process": process}))
            return
        print(f"journal: 3 years, {', '.join(f'{v:,} {k}' for k, v in counts.items())} "
              f"(built in {time.perf_counter() - t0:.1f} s)")
        for name, seconds in warm.items():
            alone = (f"; as a new process {process[name]:.2f} s" if name in process else "")
            print(f"{name:<26} {seconds:6.3f} s warm "
                  f"({'OK' if seconds < 1 else 'SLOW'}: target < 1 s){alone}")
    if args.no_import:
        return
    rows, first, t_first, again, t_again = import_timings()
    print(f"import of {rows} Cronometer rows: {first.imported} entries in {t_first:.3f} s "
          f"({'OK' if t_first < 2 else 'SLOW'}: target < 2 s); re-import: {again.imported} "
          f"new, {again.duplicates} duplicates in {t_again:.3f} s")


if __name__ == "__main__":
    main()
