"""Recommendations: the smallest food change that closes the gaps, then a safe supplement plan.

Usage::

    from crampcheck.plan import PlanContext, make_plan
    ctx = PlanContext.build(person, ["1 cup whole milk", "3 oz baked salmon"],
                            ["Magnesium (as glycinate) 100 mg"], diet="vegetarian",
                            avoid=("tree nuts",))
    plan = make_plan(ctx)
    plan.to_dict()          # the JSON of issue 4
    plan.recommendations()  # Recommendation objects for the assessment report

``after`` is exactly ``before`` plus what the food additions and supplements contribute
(a food's missing value is not counted and shows as null in its ``nutrients``).

References
----------
See :mod:`crampcheck.plan.foods` (optimisation, Weaver 1999 absorbable calcium, DRIs) and
:mod:`crampcheck.plan.supplements` (forms, ULs, spacing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models import Recommendation
from .context import PLAN_KEYS, PlanContext
from .foods import FoodAddition, FoodSolution, solve_foods
from .supplements import SupplementItem, plan_supplements

__all__ = ["Plan", "PlanContext", "apply_plan", "make_plan", "plan_for_assessment"]

_LABEL = {
    "magnesium_mg": ("magnesium", "mg"),
    "calcium_mg": ("calcium", "mg"),
    "potassium_mg": ("potassium", "mg"),
    "ala_g": ("ALA omega-3", "g"),
    "epa_dha_mg": ("EPA+DHA omega-3", "mg"),
}


@dataclass
class Plan:
    """A food and supplement plan with the intake before and after it (per day)."""

    additions: list[FoodAddition]
    supplements: list[SupplementItem]
    before: dict[str, float]
    after: dict[str, float]
    unmet: list[dict[str, str]]
    notes: list[str]
    clinician: list[tuple[str, str]] = field(default_factory=list)
    solve_seconds: float = 0.0
    candidates: int = 0

    @staticmethod
    def ratio(values: dict[str, float]) -> float | None:
        mg = values.get("magnesium_mg", 0.0)
        return None if mg <= 0 else values.get("calcium_mg", 0.0) / mg

    def contributions(self) -> list[dict[str, float]]:
        """What each addition and supplement adds, by nutrient key (missing values as 0)."""
        out = []
        for a in self.additions:
            out.append(_food_contribution(a))
        for s in self.supplements:
            out.append({s.key: s.elemental_mg})
        return out

    def to_dict(self) -> dict[str, Any]:
        r_before, r_after = self.ratio(self.before), self.ratio(self.after)
        return {
            "additions": [a.to_dict() for a in self.additions],
            "supplements": [s.to_dict() for s in self.supplements],
            "before": {k: round(v, 3) for k, v in self.before.items()},
            "after": {k: round(v, 3) for k, v in self.after.items()},
            "ratios": {
                "before": {"calcium_to_magnesium": _round(r_before, 2)},
                "after": {"calcium_to_magnesium": _round(r_after, 2)},
            },
            "unmet": list(self.unmet),
            "notes": list(self.notes),
        }

    def recommendations(self) -> list[Recommendation]:
        """Food, supplement and clinician recommendations for the assessment's report."""
        recs: list[Recommendation] = []
        for a in self.additions:
            gains = []
            for key, (label, unit) in _LABEL.items():
                v = _food_contribution(a).get(key, 0.0)
                if v > (0.05 if unit == "g" else 5):
                    gains.append(f"+{v:.1f} {unit} {label}" if unit == "g"
                                 else f"+{v:.0f} {unit} {label}")
            main = max(("magnesium_mg", "calcium_mg", "potassium_mg"),
                       key=lambda k: _food_contribution(a).get(k, 0.0))
            recs.append(Recommendation(
                kind="food", nutrient=main.rsplit("_", 1)[0],
                text=f"Add {a.amount_text} of {a.label.lower()} a day ({', '.join(gains)}; "
                     f"USDA: {a.food.name}).",
                amount=a.amount_text,
                rationale="The smallest change to your current diet that brings magnesium and "
                          "calcium toward your targets (USDA food data; DRIs).",
            ))
        for s in self.supplements:
            recs.append(Recommendation(
                kind="supplement", nutrient=s.mineral,
                text=f"{s.mineral.capitalize()} {s.form}: {s.elemental_mg:.0f} mg elemental "
                     f"{s.mineral} a day — {s.schedule}.",
                amount=f"{s.elemental_mg:.0f} mg",
                rationale="What food leaves open, in whole tablets, within the upper limit.",
                cautions=list(s.cautions),
            ))
        for nutrient, text in self.clinician:
            recs.append(Recommendation(kind="clinician", nutrient=nutrient, text=text))
        return recs


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _food_contribution(a: FoodAddition) -> dict[str, float]:
    out = {k: (a.nutrients.get(k) or 0.0) for k in PLAN_KEYS if k != "epa_dha_mg"}
    out["epa_dha_mg"] = (out["epa_g"] + out["dha_g"]) * 1000.0
    return out


def _add(total: dict[str, float], part: dict[str, float]) -> None:
    for k, v in part.items():
        total[k] = total.get(k, 0.0) + v


def make_plan(ctx: PlanContext) -> Plan:
    """Food additions, then supplements, for one person (see the module docstring).

    Parameters
    ----------
    ctx : PlanContext

    Returns
    -------
    Plan
    """
    solution: FoodSolution = solve_foods(ctx)
    before = {k: float(ctx.daily_mean.get(k, 0.0)) for k in PLAN_KEYS}
    after_food = dict(before)
    absorbable_ca = before["calcium_mg"]
    for a in solution.additions:
        part = _food_contribution(a)
        _add(after_food, part)
        absorbable_ca += part["calcium_mg"] * a.calcium_factor
    supp = plan_supplements(ctx, after_food, absorbable_ca)
    after = dict(after_food)
    for s in supp.items:
        _add(after, {s.key: s.elemental_mg})
    notes = list(solution.notes) + list(supp.notes)
    if solution.status != "optimal":
        notes.append(f"The food optimiser stopped at its time limit ({solution.status}); the "
                     "food plan is the best it found, not proven the smallest.")
    notes.append("Calcium from added foods counts as absorbable calcium relative to milk where "
                 "absorption was measured (Weaver et al. 1999): spinach's calcium counts little.")
    if any(a.calcium_factor < 0.999 for a in solution.additions):
        for a in solution.additions:
            if a.calcium_factor < 0.999:
                notes.append(f"{a.food.name}: {a.calcium_factor:.0%} of its calcium counted "
                             "toward the target (absorption relative to milk).")
    if ctx.potassium_caution:
        notes.append("Potassium: no food with more than 200 mg potassium per serving was added "
                     "(kidney disease, a high potassium level or potassium-raising medicines); "
                     "ask your clinician before adding potassium-rich foods.")
    missing = sorted({k for a in solution.additions for k in ("ala_g", "epa_g", "dha_g")
                      if a.nutrients.get(k) is None})
    if missing:
        notes.append("Some added foods have no USDA value for " + ", ".join(missing)
                     + "; those amounts are not counted (shown as null).")
    unmet = _food_unmet(ctx, after, absorbable_ca, solution) + supp.unmet
    return Plan(solution.additions, supp.items, before, after, _dedupe(unmet), notes,
                supp.clinician, solution.seconds, solution.n_candidates)


def _food_unmet(ctx: PlanContext, after: dict[str, float], absorbable_ca: float,
                solution: FoodSolution) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    lo, hi = ctx.ratio_band
    r = Plan.ratio(after)
    if r is not None:
        r = round(r, 2)  # the precision the plan reports it with
    if r is not None and not lo <= r <= hi:
        out.append({"nutrient": "calcium_to_magnesium",
                    "reason": f"Ca:Mg {r:.2f} stays outside {lo:g}–{hi:g} within the limits "
                              f"(at most {ctx.max_kcal:.0f} kcal, 4 foods, 2 servings each, "
                              "upper limits)."})
    ala = ctx.targets.get("ala_g")
    if ala is not None and ala.goal and after["ala_g"] < ala.goal - 1e-6:
        out.append({"nutrient": "ala_g",
                    "reason": f"ALA {after['ala_g']:.2f} g of the {ala.goal:g} g AI: not reached "
                              "within the energy budget and food limits (flaxseed, chia and "
                              "walnuts are the richest foods)."})
    ed = ctx.targets.get("epa_dha_mg")
    goal = ed.goal if ed is not None and ed.goal else 250.0
    if after["epa_dha_mg"] < goal - 1e-6:
        why = ("no fish is allowed by the diet or avoid list; an algal oil (EPA/DHA from algae) "
               "is the plant source" if ctx.diet in ("vegan", "vegetarian")
               or any("fish" in a.lower() for a in ctx.avoid)
               else "oily fish (salmon, sardines, mackerel) twice a week reaches it")
        out.append({"nutrient": "epa_dha_mg",
                    "reason": f"EPA+DHA {after['epa_dha_mg']:.0f} mg of about {goal:.0f} mg/day: "
                              f"{why}."})
    return out


def _dedupe(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: set[tuple[str, str]] = set()
    out = []
    for row in rows:
        key = (row["nutrient"], row["reason"])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


from .from_assessment import apply_plan, plan_for_assessment  # noqa: E402
