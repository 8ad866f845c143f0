"""Check crampcheck against published tables of food sources of Mg, Ca and K.

Each row of ``tests/data/published_food_sources.csv`` (transcribed from NIH ODS fact sheets,
the Dietary Guidelines for Americans and one USDA-based table; see the ``table`` and
``source_url`` columns) gives a food, a serving and the milligrams published for it. The
``line`` column is what a person would type for that row. This script runs every line
through :func:`crampcheck.totals.nutrients` and prints, per row, the food matched, the grams
and the computed milligrams against the published value, then the share of rows within
±20 % per nutrient and overall.

Run: ``python benchmarks/published_tables.py [--failing]``.
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass
from pathlib import Path

from crampcheck.errors import InputError
from crampcheck.totals import nutrients

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "published_food_sources.csv"
TOLERANCE = 0.20


@dataclass
class RowResult:
    nutrient: str
    food: str
    amount: str
    line: str
    published_mg: float
    published_mg_max: float
    computed_mg: float | None
    matched: str
    grams: float | None
    grams_method: str

    @property
    def error(self) -> float | None:
        """Relative distance to the published value (or range); 0 inside the range."""
        if self.computed_mg is None:
            return None
        lo, hi = self.published_mg, self.published_mg_max
        if lo <= self.computed_mg <= hi:
            return 0.0
        ref = lo if self.computed_mg < lo else hi
        return (self.computed_mg - ref) / ref

    @property
    def ok(self) -> bool:
        return self.error is not None and abs(self.error) <= TOLERANCE


def load_rows(path: Path = DATA) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def evaluate(row: dict[str, str]) -> RowResult:
    key = f"{row['nutrient']}_mg"
    lo = float(row["published_mg"])
    hi = float(row["published_mg_max"]) if row["published_mg_max"] else lo
    computed: float | None = None
    matched, grams, method = "(unmatched)", None, ""
    try:
        report = nutrients([row["line"]])
    except InputError as exc:
        matched = f"(error: {exc})"
    else:
        if report.items:
            item = report.items[0]
            computed = item.nutrients.get(key)
            matched, grams, method = item.food.name, item.grams, item.grams_method
    return RowResult(row["nutrient"], row["food"], row["amount"], row["line"], lo, hi,
                     computed, matched, grams, method)


def evaluate_all(path: Path = DATA) -> list[RowResult]:
    return [evaluate(r) for r in load_rows(path)]


def share_within(results: list[RowResult]) -> float:
    return sum(r.ok for r in results) / len(results) if results else 0.0


def format_row(r: RowResult) -> str:
    pub = (f"{r.published_mg:g}" if r.published_mg == r.published_mg_max
           else f"{r.published_mg:g}-{r.published_mg_max:g}")
    got = "n/a" if r.computed_mg is None else f"{r.computed_mg:.0f}"
    err = "  n/a" if r.error is None else f"{100 * r.error:+5.0f}%"
    grams = "" if r.grams is None else f"{r.grams:.0f} g {r.grams_method}"
    flag = "ok  " if r.ok else "FAIL"
    return (f"{flag} {r.nutrient[:2]} {r.line!r:46} pub {pub:>7} got {got:>5} {err} "
            f"| {grams:18} | {r.matched}")


def summary(results: list[RowResult]) -> str:
    lines = []
    for nutrient in sorted({r.nutrient for r in results}):
        sub = [r for r in results if r.nutrient == nutrient]
        lines.append(f"{nutrient:10} {sum(r.ok for r in sub):3}/{len(sub):3} within ±20 % "
                     f"({100 * share_within(sub):.1f} %)")
    lines.append(f"{'overall':10} {sum(r.ok for r in results):3}/{len(results):3} within ±20 % "
                 f"({100 * share_within(results):.1f} %)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failing", action="store_true", help="print only failing rows")
    args = parser.parse_args()
    results = evaluate_all()
    for r in results:
        if not args.failing or not r.ok:
            print(format_row(r))
    print()
    print(summary(results))


if __name__ == "__main__":
    main()
