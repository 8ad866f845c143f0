"""Recommendations: the smallest food change that closes the gaps, then a safe supplement plan.

Usage::

    from crampcheck.plan import PlanContext, make_plan
    ctx = PlanContext.build(person, ["1 cup whole milk", "3 oz baked salmon"],
                            ["Magnesium (as glycinate) 100 mg"], diet="vegetarian",
                            avoid=("tree nuts",))
    plan = make_plan(ctx)
    plan.to_dict()          # the JSON of issue 4
    plan.recommendations()  # Recommendation objects for the assessment report

``after`` is exactly ``before`` minus the ``reductions`` (supplement amounts brought down first:
stops from the assessment's safety gate, fewer calcium tablets when calcium is high because of
supplements) plus what the food additions and supplements contribute (a food's missing value is
not counted and shows as null in its ``nutrients``).

The plan reads the assessment's safety gate (:mod:`crampcheck.assess.safety`): with an urgent
finding there is no plan at all (``stopped``, and the notes say why); a blocked nutrient gets no
food rich in it and no supplement; conditions constrain it (fluid, salt, oxalate, no
supplements). The solver has no wall-clock limit, so the same case always gives the same plan.

References
----------
See :mod:`crampcheck.plan.foods` (optimisation, Weaver 1999 absorbable calcium, DRIs) and
:mod:`crampcheck.plan.supplements` (forms, ULs, spacing).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .. import knowledge
from ..models import Recommendation
from .context import PLAN_KEYS, PlanContext
from .foods import NODE_LIMIT, FoodAddition, FoodSolution, fluid_budget_ml, solve_foods
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
    reductions: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[dict[str, Any]] = field(default_factory=list)
    stopped: bool = False
    solver: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def ratio(values: dict[str, float]) -> float | None:
        mg = values.get("magnesium_mg", 0.0)
        return None if mg <= 0 else values.get("calcium_mg", 0.0) / mg

    def contributions(self) -> list[dict[str, float]]:
        """What each addition and supplement adds, by nutrient key (missing values as 0)."""
        out = []
        for r in self.reductions:
            out.append({r["nutrient"]: -(r["from"] - r["to"])})
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
            "stopped": self.stopped,
            "reductions": [dict(r) for r in self.reductions],
            "blocked": [dict(b) for b in self.blocked],
            "solver": dict(self.solver),
        }

    def recommendations(self) -> list[Recommendation]:
        """Food, supplement and clinician recommendations for the assessment's report."""
        recs: list[Recommendation] = []
        for r in self.reductions:
            if r.get("origin") == "plan" and r.get("text"):
                recs.append(Recommendation(kind="supplement", nutrient=r["nutrient"].split("_")[0],
                                           text=r["text"], rationale=r["reason"],
                                           action="stop" if r["to"] <= 0 else "reduce"))
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
    """Supplement reductions first, then food additions, then supplements (module docstring).

    Parameters
    ----------
    ctx : PlanContext

    Returns
    -------
    Plan
    """
    before = {k: float(ctx.daily_mean.get(k, 0.0)) for k in PLAN_KEYS}
    reductions = _reductions(ctx, before)
    daily = dict(ctx.daily_mean)
    from_supp = dict(ctx.from_supplements)
    for r in reductions:
        cut = r["from"] - r["to"]
        daily[r["nutrient"]] = daily.get(r["nutrient"], 0.0) - cut
        from_supp[r["nutrient"]] = from_supp.get(r["nutrient"], 0.0) - cut
    solve_ctx = replace(ctx, daily_mean=daily, from_supplements=from_supp) if reductions else ctx
    solution: FoodSolution = solve_foods(solve_ctx)
    reduced = {k: float(solve_ctx.daily_mean.get(k, 0.0)) for k in PLAN_KEYS}
    after_food = dict(reduced)
    absorbable_ca = reduced["calcium_mg"]
    for a in solution.additions:
        part = _food_contribution(a)
        _add(after_food, part)
        absorbable_ca += part["calcium_mg"] * a.calcium_factor
    supp = plan_supplements(solve_ctx, after_food, absorbable_ca)
    after = dict(after_food)
    for s in supp.items:
        _add(after, {s.key: s.elemental_mg})
    notes = [r["note"] for r in reductions if r.get("note")]
    notes += list(solution.notes) + list(supp.notes)
    if solution.status != "optimal":
        gap = "" if solution.mip_gap is None else f", {solution.mip_gap:.1%} from the best bound"
        notes.append(f"The food optimiser stopped at its node limit ({solution.status}{gap}); "
                     "the food plan is the best it found, not proven the smallest.")
    notes.append("Calcium from added foods counts as absorbable calcium relative to milk where "
                 "absorption was measured (Weaver et al. 1999): spinach's calcium counts little.")
    if any(a.calcium_factor < 0.999 for a in solution.additions):
        for a in solution.additions:
            if a.calcium_factor < 0.999:
                notes.append(f"{a.food.name}: {a.calcium_factor:.0%} of its calcium counted "
                             "toward the target (absorption relative to milk).")
    blocked = _blocked(ctx)
    for b in blocked:
        if b["scope"] == "foods_and_supplements":
            notes.append(f"No food rich in {b['nutrient'].replace('_', ' ')} is added and no "
                         f"such supplement is proposed: {b['reason']}.")
    notes += _constraint_notes(ctx, solution)
    missing = sorted({k for a in solution.additions for k in ("ala_g", "epa_g", "dha_g")
                      if a.nutrients.get(k) is None})
    if missing:
        notes.append("Some added foods have no USDA value for " + ", ".join(missing)
                     + "; those amounts are not counted (shown as null).")
    unmet = _food_unmet(solve_ctx, after, absorbable_ca, solution) + supp.unmet
    solver = {"status": solution.status, "node_limit": NODE_LIMIT,
              "mip_gap": None if solution.mip_gap is None else round(solution.mip_gap, 6),
              "candidates": solution.n_candidates, "screened": solution.screened}
    return Plan(solution.additions, supp.items, before, after, _dedupe(unmet), _unique(notes),
                supp.clinician, solution.seconds, solution.n_candidates,
                reductions=[{k: v for k, v in r.items() if k != "note"} for r in reductions],
                blocked=blocked, solver=solver)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _blocked(ctx: PlanContext) -> list[dict[str, Any]]:
    out = [{"nutrient": b["nutrient"], "scope": b["scope"], "reason": b["reason"]}
           for b in ctx.blocks]
    if ctx.potassium_caution and not any(b["nutrient"] == "potassium" for b in out):
        out.append({"nutrient": "potassium", "scope": "foods_and_supplements",
                    "reason": "kidney disease, a high potassium level or potassium-raising "
                              "medicines"})
    seen: set[tuple[str, str]] = set()
    unique = []
    for b in out:
        if (b["nutrient"], b["scope"]) not in seen:
            seen.add((b["nutrient"], b["scope"]))
            unique.append(b)
    return unique


def _reductions(ctx: PlanContext, before: dict[str, float]) -> list[dict[str, Any]]:
    """The assessment's reductions that still apply, then fewer calcium tablets when calcium is
    high because of supplements (see ``fewer_calcium_tablets`` in ``plan_foods.toml``)."""
    out: list[dict[str, Any]] = []
    for r in ctx.reductions:
        key = r["nutrient"]
        have = float(ctx.from_supplements.get(key, 0.0))
        if have > r["to"] + 1e-9:
            out.append({"nutrient": key, "from": round(have, 2), "to": float(r["to"]),
                        "reason": r["reason"], "products": list(r.get("products", [])),
                        "origin": "assessment"})
    if any(r["nutrient"] == "calcium_mg" for r in out) or ctx.supplement_block("calcium"):
        return out
    t = ctx.targets.get("calcium_mg")
    supp = float(ctx.from_supplements.get("calcium_mg", 0.0))
    if t is None or not t.goal or supp <= 0:
        return out
    total = before["calcium_mg"]
    lo, hi = ctx.ratio_band
    mg = before["magnesium_mg"]
    high = (t.ul is not None and total > t.ul) or (total > t.goal and mg > 0
                                                   and total / mg > hi)
    rule = knowledge.load("plan_foods")["fewer_calcium_tablets"][0]
    cut = min(supp, total - t.goal)
    if not high or cut < float(rule["min_cut_share"]) * t.goal:
        return out
    to = round(supp - cut, 0)
    names = [getattr(s, "text", "") for s in ctx.existing_supplements
             if getattr(s, "contributions", {}).get("calcium_mg")]
    words = {"supp": f"{supp:,.0f}", "to": f"{to:,.0f}", "goal": f"{t.goal:,.0f}",
             "food": f"{total - supp:,.0f}"}
    text = (rule["text_stop"] if to <= 0 else rule["text_fewer"]).format(**words)
    out.append({"nutrient": "calcium_mg", "from": round(supp, 2), "to": to,
                "reason": f"calcium {total:,.0f} mg/day is above "
                          + (f"the UL of {t.ul:,.0f} mg" if t.ul is not None and total > t.ul
                             else f"the RDA of {t.goal:,.0f} mg with the Ca:Mg ratio above "
                                  f"{hi:g}") + ", mostly from supplements",
                "products": names, "origin": "plan", "text": text, "note": text})
    return out


def _constraint_notes(ctx: PlanContext, solution: FoodSolution) -> list[str]:
    notes = []
    budget = fluid_budget_ml(ctx)
    if budget is not None:
        from .candidates import candidates
        from .foods import fluid_ml

        index = {f.id: j for j, f in enumerate(candidates().foods)}
        fluid = fluid_ml(candidates())
        for a in solution.additions:
            j = index.get(a.food.id)
            if j is not None and fluid[j] > 0:
                notes.append(f"{a.amount_text} {a.label.lower()}: counts about "
                             f"{fluid[j] * a.servings:.0f} mL against your fluid limit.")
        notes.append(f"Fluid restriction: no large drinks are added; the additions bring at most "
                     f"{budget:.0f} mL of fluid a day.")
    cap = ctx.constraints.get("sodium_cap_mg")
    if isinstance(cap, (int, float)) and not isinstance(cap, bool):
        notes.append(f"Low-salt diet: additions keep sodium within {cap:,.0f} mg a day.")
    if ctx.constraints.get("no_high_oxalate"):
        notes.append("Kidney stones: no high-oxalate greens (spinach, Swiss chard, beet greens, "
                     "rhubarb) are added; calcium is kept at a normal target, from food first.")
    if ctx.constraints.get("no_supplements"):
        notes.append(f"No supplement is proposed: {ctx.constraints['no_supplements']}.")
    return notes


def _food_unmet(ctx: PlanContext, after: dict[str, float], absorbable_ca: float,
                solution: FoodSolution) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    lo, hi = ctx.ratio_band
    r = Plan.ratio(after)
    if r is not None:
        r = round(r, 2)  # the precision the plan reports it with
    if r is not None and not lo <= r <= hi:
        out.append({"nutrient": "calcium_to_magnesium",
                    "reason": f"Ca:Mg {r:.2f} is outside the {lo:g}–{hi:g} band: a soft "
                              "preference, not a DRI, so the plan neither adds magnesium nor "
                              "withholds calcium for it."})
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
