"""The plan as the web pages and the report show it: human labels, one row per nutrient,
notes in plain words, and, where calcium is still short, a food that closes it or why not.

The plan itself (:func:`crampcheck.plan.make_plan`) keeps its JSON contract; this module only
reads it. When the plan's "still short" list names calcium, :func:`calcium_followup` looks for
one everyday calcium-rich food this person may eat (the same candidate foods, diet, allergen,
dislike and potassium filters as the plan) that is not already added, and says how much of it
closes the gap, counted as absorbable calcium like the plan counts it (Weaver 1999). When it
cannot (more calcium would push the calcium:magnesium ratio above its band, or no food is
left after the filters), it says that instead.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..report.labels import fmt_amount, human_note, label, name

# nutrient rows of the before/after table, in this order (EPA and DHA are shown together)
ROWS = ("calcium_mg", "magnesium_mg", "potassium_mg", "sodium_mg", "vitamin_d_ug", "ala_g",
        "epa_dha_mg")
MAX_SERVINGS = 2


def plan_display(result: Any, plan: dict[str, Any] | None) -> dict[str, Any]:
    """Rows, unmet items and notes of ``plan`` (``Plan.to_dict()``) for display."""
    if not plan:
        return {"rows": [], "unmet": [], "notes": [], "calcium": None}
    before, after = plan.get("before") or {}, plan.get("after") or {}
    rows = [{"key": k, "label": label(k), "before": before.get(k), "after": after.get(k),
             "before_text": fmt_amount(before.get(k)), "after_text": fmt_amount(after.get(k))}
            for k in ROWS if k in before and k in after]
    unmet = []
    for u in plan.get("unmet") or []:
        if isinstance(u, dict):
            unmet.append({"nutrient": u.get("nutrient"),
                          "label": name(u["nutrient"]) if u.get("nutrient") else "",
                          "reason": human_note(u.get("reason") or "")})
        else:
            unmet.append({"nutrient": None, "label": "", "reason": human_note(u)})
    notes = [human_note(n) for n in plan.get("notes") or []]
    calcium = None
    if any(u["nutrient"] == "calcium_mg" for u in unmet):
        try:
            calcium = calcium_followup(result, plan)
        except Exception as exc:  # noqa: BLE001 - a display hint must not break the page
            calcium = f"No food could be suggested here ({type(exc).__name__})."
    return {"rows": rows, "unmet": unmet, "notes": notes, "calcium": calcium}


def _gap(result: Any, plan: dict[str, Any]) -> float | None:
    for u in plan.get("unmet") or []:
        if isinstance(u, dict) and u.get("nutrient") == "calcium_mg":
            m = re.search(r"(\d[\d,]*(?:\.\d+)?) mg/day", u.get("reason") or "")
            if m:
                return float(m[1].replace(",", ""))
    t = result.targets.get("calcium_mg")
    after = (plan.get("after") or {}).get("calcium_mg")
    if t is None or not t.goal or after is None:
        return None
    return max(t.goal - after, 0.0)


def calcium_followup(result: Any, plan: dict[str, Any]) -> str | None:
    """One sentence: a food and amount that closes the calcium still short, or why not."""
    import numpy as np

    from ..plan.candidates import candidates
    from ..plan.foods import allowed_mask
    from ..plan.from_assessment import context_for

    gap = _gap(result, plan)
    if gap is None or gap < 1:
        return None
    ctx = context_for(result)
    cands = candidates()
    ok, _removed, _notes = allowed_mask(ctx, cands)
    added = {a["food"]["id"] for a in plan.get("additions") or [] if isinstance(a, dict)}
    ca_col = cands.column("calcium_mg")
    ca_abs = ca_col * cands.calcium_factor
    kcal = cands.column("energy_kcal")
    best, best_cost = None, math.inf
    for j in np.flatnonzero(ok & cands.everyday & (ca_abs > 0)):
        food = cands.foods[j]
        if food.id in added:
            continue
        servings = math.ceil(gap / ca_abs[j])
        if servings > MAX_SERVINGS:
            continue
        cost = kcal[j] * servings + 30.0 * servings  # fewest calories, then fewest servings
        if cost < best_cost:
            best, best_cost = (j, servings), cost
    if best is None:
        return (f"About {fmt_amount(gap)} mg of calcium a day is still short, and no everyday "
                "calcium-rich food that fits your diet, foods to avoid and dislikes closes it "
                f"in {MAX_SERVINGS} servings: ask a dietitian or your clinician.")
    j, servings = best
    food = cands.foods[j]
    common = cands.common_names[j] or food.name
    amount = cands.amounts[j].text(servings)
    return (f"To close the {fmt_amount(gap)} mg of calcium a day still short: add "
            f"{amount} of {common.lower() if cands.common_names[j] else common} "
            f"({fmt_amount(ca_col[j] * servings)} mg calcium, "
            f"{fmt_amount(kcal[j] * servings)} kcal; USDA: {food.name}). The plan above "
            f"stops at its limits (at most {ctx.max_kcal:g} kcal a day from added foods, "
            "a few foods, 2 servings each); this one goes beyond them.")
