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
supplements; each reduction's ``intake_change`` is what it takes off the intake) plus what the
food additions and supplements contribute (a food's missing value is not counted and shows as
null in its ``nutrients``).

The plan explains itself (:mod:`crampcheck.plan.explain`): each addition says when to eat it,
which targets it serves and what it costs (kcal, sodium); ``targets`` gives every target before
→ after with the part from food and from supplements; ``unmet`` lists every target still below
its RDA/AI with a reason true of this plan and, where one exists, the food and amount that
closes it. With vigorous, long or hot exercise, ``exercise`` estimates sweat fluid and sodium
losses and says what to drink and, unless the safety gate withholds it, what salt to take
(:mod:`crampcheck.plan.sweat`).

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

from .. import knowledge, nutrient_registry
from ..models import Recommendation
from ..wording import lower_first
from . import explain, sweat
from .context import PLAN_KEYS, PlanContext
from .foods import NODE_LIMIT, FoodAddition, FoodSolution, fluid_budget_ml, solve_foods
from .supplements import SupplementItem, plan_supplements

__all__ = ["Plan", "PlanContext", "apply_plan", "make_plan", "plan_for_assessment"]

@dataclass
class Plan:
    """A food and supplement plan with the intake before and after it (per day)."""

    additions: list[FoodAddition]
    supplements: list[SupplementItem]
    before: dict[str, float]
    after: dict[str, float]
    unmet: list[dict[str, Any]]
    notes: list[str]
    clinician: list[tuple[str, str]] = field(default_factory=list)
    solve_seconds: float = 0.0
    candidates: int = 0
    reductions: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[dict[str, Any]] = field(default_factory=list)
    stopped: bool = False
    solver: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)
    exercise: dict[str, Any] | None = None

    @staticmethod
    def ratio(values: dict[str, float]) -> float | None:
        mg = values.get("magnesium_mg", 0.0)
        return None if mg <= 0 else values.get("calcium_mg", 0.0) / mg

    def contributions(self) -> list[dict[str, float]]:
        """What each reduction, addition and supplement changes, by nutrient key (missing
        values as 0)."""
        out = []
        for r in self.reductions:
            out.append({r["nutrient"]: r["intake_change"]})
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
            "targets": {k: dict(v) for k, v in self.targets.items()},
            "ratios": {
                "before": {"calcium_to_magnesium": _round(r_before, 2)},
                "after": {"calcium_to_magnesium": _round(r_after, 2)},
            },
            "unmet": [dict(u) for u in self.unmet],
            "exercise": None if self.exercise is None else dict(self.exercise),
            "notes": list(self.notes),
            "stopped": self.stopped,
            "reductions": [dict(r) for r in self.reductions],
            "blocked": [dict(b) for b in self.blocked],
            "solver": dict(self.solver),
        }

    def recommendations(self) -> list[Recommendation]:
        """Food, supplement, lifestyle and clinician recommendations for the assessment."""
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
                if v > (0.05 if unit in ("g", "µg") else 5):
                    gains.append(f"+{v:.1f} {unit} {label}" if unit in ("g", "µg")
                                 else f"+{v:.0f} {unit} {label}")
            main = max(("magnesium_mg", "calcium_mg", "potassium_mg"),
                       key=lambda k: _food_contribution(a).get(k, 0.0))
            if a.serves:
                main = a.serves[0]["nutrient"]
            recs.append(Recommendation(
                kind="food", nutrient=main.rsplit("_", 1)[0],
                text=f"Add {a.amount_text} of {lower_first(a.label)} {a.when} ({', '.join(gains)}; "
                     f"USDA: {a.food.name}).",
                amount=a.amount_text,
                rationale=_serves_text(a) or "The smallest change to your current diet that "
                "brings your targets closer (USDA food data; DRIs).",
            ))
        for s in self.supplements:
            recs.append(Recommendation(
                kind="supplement", nutrient=s.mineral,
                text=f"{s.title()}: {s.amount_text()} a day — {s.schedule}.",
                amount=f"{s.elemental_mg:g} {s.unit}",
                rationale="What food leaves open, in whole tablets, within the upper limit.",
                cautions=list(s.cautions),
            ))
        if self.exercise is not None:
            for item in self.exercise["advice"]:
                recs.append(Recommendation(kind="lifestyle", nutrient="sodium" if "salt" in
                                           item["id"] else None, text=item["text"],
                                           rationale=sweat.summary(self.exercise)))
        for nutrient, text in self.clinician:
            recs.append(Recommendation(kind="clinician", nutrient=nutrient, text=text))
        return recs


# what a food addition's recommendation lists it brings, in this order (names from the registry)
_LABEL = {k: (nutrient_registry.get(k).plan_label, nutrient_registry.get(k).unit)
          for k in ("magnesium_mg", "calcium_mg", "potassium_mg", "vitamin_d_ug", "ala_g",
                    "epa_dha_mg")}


def _serves_text(a: FoodAddition) -> str:
    if not a.serves:
        return ""
    parts = []
    for x in a.serves:
        name = explain.NAME[x["nutrient"]].split(" (")[0]
        parts.append(f"{name} ({x['share_of_gap']:.0%} of its gap)")
    cost = a.cost()
    return (f"Serves {', '.join(parts)}; costs {cost['energy_kcal'] or 0:,.0f} kcal and "
            f"{cost['sodium_mg'] or 0:,.0f} mg sodium a day.")


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _food_contribution(a: FoodAddition) -> dict[str, float]:
    out = {k: (a.nutrients.get(k) or 0.0) for k in PLAN_KEYS if k != "epa_dha_mg"}
    out["epa_dha_mg"] = nutrient_registry.epa_dha_mg(out["epa_g"], out["dha_g"])
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
    upper = dict(ctx.from_supplements_upper)
    for r in reductions:
        key = r["nutrient"]
        daily[key] = daily.get(key, 0.0) + r["intake_change"]
        from_supp[key] = from_supp.get(key, 0.0) + r["intake_change"]
        upper[key] = upper.get(key, 0.0) + r.pop("upper_change")
    solve_ctx = replace(ctx, daily_mean=daily, from_supplements=from_supp,
                        from_supplements_upper=upper) if reductions else ctx
    solution: FoodSolution = solve_foods(solve_ctx)
    reduced = {k: float(solve_ctx.daily_mean.get(k, 0.0)) for k in PLAN_KEYS}
    after_food = dict(reduced)
    absorbable_ca = reduced["calcium_mg"]
    for a in solution.additions:
        part = _food_contribution(a)
        _add(after_food, part)
        absorbable_ca += nutrient_registry.absorbable_calcium_mg(part["calcium_mg"],
                                                                 a.calcium_factor)
        a.serves = explain.serves(solve_ctx, a, reduced)
    supp = plan_supplements(solve_ctx, after_food, absorbable_ca)
    after = dict(after_food)
    supplements_after = {k: float(solve_ctx.from_supplements.get(k, 0.0)) for k in PLAN_KEYS}
    for s in supp.items:
        _add(after, {s.key: s.elemental_mg})
        _add(supplements_after, {s.key: s.elemental_mg})
        if s.key == "calcium_mg":
            absorbable_ca += s.elemental_mg
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
    exercise = sweat.estimate(solve_ctx)
    if exercise is not None:
        notes.append("Sweat: " + sweat.summary(exercise))
    unmet = _ratio_unmet(solve_ctx, after) + explain.unmet(
        solve_ctx, before=reduced, after=after, counted_calcium=absorbable_ca,
        additions=solution.additions, decisions=supp.decisions, limits=solution.limits,
        exercise=exercise, portion_factor=solution.portion_factor)
    targets = explain.target_table(solve_ctx, before, after, supplements_after, absorbable_ca)
    solver = {"status": solution.status, "node_limit": NODE_LIMIT,
              "mip_gap": None if solution.mip_gap is None else round(solution.mip_gap, 6),
              "candidates": solution.n_candidates, "screened": solution.screened}
    return Plan(solution.additions, supp.items, before, after, unmet, _unique(notes),
                supp.clinician, solution.seconds, solution.n_candidates,
                reductions=[{k: v for k, v in r.items() if k != "note"} for r in reductions],
                blocked=blocked, solver=solver, targets=targets, exercise=exercise)


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
    high because of supplements (see ``fewer_calcium_tablets`` in ``plan_foods.toml``).

    A supplement line can have two readings (``from_supplements`` as usually taken,
    ``from_supplements_upper`` for the upper limit: "calcium carbonate 600 mg" is 240 mg and
    600 mg). An assessment reduction's ``from``/``to`` are upper readings (the UL check set
    them); the plan's own are intake readings. Each reduction says what it takes off the intake
    (``intake_change``, negative) so that ``after`` stays ``before`` plus the changes."""
    out: list[dict[str, Any]] = []
    for r in ctx.reductions:
        key = r["nutrient"]
        high = float(ctx.from_supplements_upper.get(key, 0.0))
        low = float(ctx.from_supplements.get(key, 0.0))
        to = float(r["to"])
        if high > to + 1e-9:
            kept = to / high if high > 0 else 0.0
            out.append({"nutrient": key, "from": round(high, 2), "to": to,
                        "reason": r["reason"], "products": list(r.get("products", [])),
                        "origin": "assessment", "intake_change": round(-low * (1 - kept), 3),
                        "upper_change": -(high - to)})
    if any(r["nutrient"] == "calcium_mg" for r in out) or ctx.supplement_block("calcium"):
        return out
    t = ctx.targets.get("calcium_mg")
    supp = float(ctx.from_supplements.get("calcium_mg", 0.0))
    supp_high = float(ctx.from_supplements_upper.get("calcium_mg", 0.0))
    if t is None or not t.goal or supp <= 0:
        return out
    total = before["calcium_mg"]
    lo, hi = ctx.ratio_band
    mg = before["magnesium_mg"]
    over_ul = t.ul is not None and ctx.upper("calcium_mg") > t.ul
    high = over_ul or (total > t.goal and mg > 0 and total / mg > hi)
    rule = knowledge.load("plan_foods")["fewer_calcium_tablets"][0]
    cut = min(supp, max(total - t.goal, 0.0))
    if not high or cut < float(rule["min_cut_share"]) * t.goal:
        return out
    to = round(supp - cut, 0)
    cut = supp - to
    names = [getattr(s, "text", "") for s in ctx.existing_supplements
             if getattr(s, "contributions", {}).get("calcium_mg")]
    words = {"supp": f"{supp:,.0f}", "to": f"{to:,.0f}", "goal": f"{t.goal:,.0f}",
             "food": f"{total - supp:,.0f}"}
    text = (rule["text_stop"] if to <= 0 else rule["text_fewer"]).format(**words)
    out.append({"nutrient": "calcium_mg", "from": round(supp, 2), "to": to,
                "reason": f"calcium {ctx.upper('calcium_mg') if over_ul else total:,.0f} mg/day "
                          "is above "
                          + (f"the UL of {t.ul:,.0f} mg" if over_ul
                             else f"the RDA of {t.goal:,.0f} mg with the Ca:Mg ratio above "
                                  f"{hi:g}") + ", mostly from supplements",
                "products": names, "origin": "plan", "text": text, "note": text,
                "intake_change": round(-cut, 3),
                "upper_change": -(supp_high * cut / supp if supp else 0.0)})
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
    if isinstance(ctx.constraints.get("vitamin_k_consistent"), str):
        notes.append(ctx.constraints["vitamin_k_consistent"])
    return notes


def _ratio_unmet(ctx: PlanContext, after: dict[str, float]) -> list[dict[str, Any]]:
    lo, hi = ctx.ratio_band
    r = Plan.ratio(after)
    if r is not None:
        r = round(r, 2)  # the precision the plan reports it with
    if r is None or lo <= r <= hi:
        return []
    return [{"nutrient": "calcium_to_magnesium",
             "reason": f"Ca:Mg {r:.2f} is outside the {lo:g}–{hi:g} band: a soft preference, not "
                       "a DRI, so the plan neither adds magnesium nor withholds calcium for it.",
             "short": None, "unit": None, "goal": None, "goal_kind": "band",
             "after": r, "closes_with": None}]


from .from_assessment import apply_plan, plan_for_assessment  # noqa: E402
