"""Benchmark: import a generated year of Cronometer servings (about 5,000 rows) into a new journal.

Run ``python benchmarks/journal_bench.py``; it prints the row count and the seconds taken by
``crampcheck.journal.import_file`` (parse, validate, hash and insert in one transaction) for the
first import and for an idempotent re-import. Target: under 2 s for the first import.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

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


def generate(path: Path, days: int = 365, seed: int = 1) -> int:
    """Write ``days`` days of invented servings (13–14 a day); return the row count."""
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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "servings.csv"
        rows = generate(src)
        conn = connect(Path(tmp) / "journal.db")
        t0 = time.perf_counter()
        first = import_file(conn, "me", "cronometer", str(src))
        t1 = time.perf_counter()
        again = import_file(conn, "me", "cronometer", str(src))
        t2 = time.perf_counter()
        print(f"rows: {rows}")
        print(f"first import: {first.imported} entries in {t1 - t0:.3f} s "
              f"({'OK' if t1 - t0 < 2 else 'SLOW'}: target < 2 s)")
        print(f"re-import: {again.imported} new, {again.duplicates} duplicates in "
              f"{t2 - t1:.3f} s")


if __name__ == "__main__":
    main()
