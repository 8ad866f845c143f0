"""Solve time of one plan over the whole candidate food set (target: under 0.5 s per plan).

Run: ``python3 benchmarks/plan_bench.py``. The candidate set is built once (cached) and its
build time is printed separately; each plan then runs the diet/allergen filters, the screen and
the HiGHS integer programme (:func:`crampcheck.plan.make_plan`).
"""

from __future__ import annotations

import statistics
import time

from crampcheck.models import Person
from crampcheck.plan import PlanContext, make_plan
from crampcheck.plan.candidates import candidates
from crampcheck.plan.foods import solve_foods

CASES = [
    ("omnivore, low magnesium", Person(68, "female"),
     ["1 cup whole milk", "2 slices white bread", "3 oz chicken breast"], [], {}),
    ("vegan", Person(30, "male"), ["1 cup cooked white rice", "1 medium apple"], [],
     {"diet": "vegan"}),
    ("vegetarian, tree nuts", Person(45, "female"), ["1 cup oatmeal", "1 cup whole milk"], [],
     {"diet": "vegetarian", "avoid": ("tree nuts",)}),
    ("pregnant, PPI", Person(30, "female", pregnant=True), ["1 cup cornflakes"], [],
     {"acid_suppressant": True}),
    ("kidney disease", Person(70, "male"), ["2 slices white bread"], [],
     {"no_supplements": {"magnesium", "potassium"}, "potassium_caution": True}),
    ("Mg supplement 300 mg", Person(55, "male"), ["1 cup cooked white rice"],
     ["Magnesium (as glycinate) 300 mg"], {}),
]


def main(repeats: int = 3) -> None:
    t0 = time.perf_counter()
    cands = candidates()
    print(f"candidate set: {len(cands)} foods, built in {time.perf_counter() - t0:.2f} s (once)")
    all_times = []
    statuses: list[str] = []
    for label, person, foods, supps, options in CASES:
        ctx = PlanContext.build(person, foods, supps, **options)
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            plan = make_plan(ctx)
            times.append(time.perf_counter() - t)
        all_times += times
        solution = solve_foods(ctx)
        statuses.append(solution.status)
        foods = ", ".join(f"{a.amount_text} {a.food.name.split(',')[0]}"
                          for a in plan.additions)
        gap = "" if solution.mip_gap is None else f", gap {solution.mip_gap:.1%}"
        print(f"{label:28s} {statistics.median(times) * 1000:7.1f} ms  "
              f"({plan.candidates} allowed, {solution.screened} to HiGHS, {solution.status}, "
              f"{solution.nodes} nodes{gap}; {len(plan.supplements)} supplements) {foods}")
    print(f"median {statistics.median(all_times) * 1000:.1f} ms, "
          f"max {max(all_times) * 1000:.1f} ms per plan (target < 500 ms); "
          f"{statuses.count('optimal')}/{len(statuses)} proven optimal (within 2 % of the bound)")


if __name__ == "__main__":
    main()
