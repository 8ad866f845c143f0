"""The supplement plan: only what food leaves open, in whole tablets, never above a UL.

Rules (tablet strengths and cautions are data in ``knowledge/data/plan_products.toml``):

* Existing supplements count first: they are already in the intake, and supplemental magnesium
  already taken counts toward the 350 mg/day UL for magnesium from supplements and medicines
  (ages 9+; IOM 1997). Calcium from food and supplements together stays under the calcium UL
  (2,500 mg 19–50, 2,000 mg 51+; IOM 2011).
* Magnesium: glycinate (organic salts are absorbed better than oxide and are gentler on the
  bowel; ODS). Calcium: citrate with an acid suppressant (PPI, H2 blocker), otherwise carbonate
  with a meal; at most 500 mg elemental calcium at one time (ODS).
* The Ca:Mg band is a soft preference: calcium above the EAR is not added beyond the top of the
  band, but calcium up to the EAR is never refused because of the ratio (the DRIs govern).
* Never a supplement of a nutrient the assessment's safety gate blocks (kidney disease, a high
  blood level, the potassium combination, a condition), nor any supplement for a child or with
  ``no_supplements`` (growing pains): a note or clinician advice instead. Potassium is never
  proposed as a supplement (over-the-counter products hold at most 99 mg, and higher doses need
  a prescription).
* Spacing from interacting medicines is stated on each item ("take 4 hours apart from
  levothyroxine").

References
----------
.. [1] IOM (1997). DRIs for Calcium, Phosphorus, Magnesium, Vitamin D, and Fluoride.
.. [2] IOM (2011). DRIs for Calcium and Vitamin D.
.. [3] NIH ODS. Magnesium; Calcium: Fact Sheets for Health Professionals.
.. [4] NIH ODS. Dietary Supplement Label Database (tablet strengths).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .. import knowledge
from ..models import Citation
from .context import PlanContext

#: A gap smaller than this share of the target is left to food (no tablet for a few mg).
MIN_GAP_SHARE = 0.1


@dataclass
class SupplementItem:
    """One supplement to take daily."""

    mineral: str
    form: str
    elemental_mg: float
    tablets: int
    tablet_mg: float
    schedule: str
    cautions: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.mineral}_mg"

    def to_dict(self) -> dict[str, Any]:
        return {
            "mineral": self.mineral,
            "form": self.form,
            "elemental_mg": round(self.elemental_mg, 1),
            "tablets": self.tablets,
            "tablet_mg": self.tablet_mg,
            "schedule": self.schedule,
            "cautions": list(self.cautions),
            "evidence": [c.to_dict() for c in self.citations],
        }


@dataclass
class SupplementPlan:
    items: list[SupplementItem]
    unmet: list[dict[str, str]]
    notes: list[str]
    clinician: list[tuple[str, str]]  # (nutrient, text)


def _products(mineral: str) -> list[dict[str, Any]]:
    rows = [p for p in knowledge.load("plan_products")["products"] if p["mineral"] == mineral]
    return sorted(rows, key=lambda p: p.get("preferred", 9))


def _max_single(mineral: str) -> float | None:
    for row in knowledge.load("plan_products").get("max_single_dose", []):
        if row["mineral"] == mineral:
            return float(row["elemental_mg"])
    return None


def whole_tablets(need_mg: float, allowance_mg: float, strengths: list[float]
                  ) -> tuple[int, float] | None:
    """Tablets and strength that come nearest ``need_mg`` without passing ``allowance_mg``.

    Prefers reaching the need; among those, the least excess, then fewer tablets.
    Returns None when even one tablet of the smallest strength is over the allowance.
    """
    best: tuple[tuple[float, float, int], int, float] | None = None
    for strength in strengths:
        most = int(math.floor(allowance_mg / strength + 1e-9))
        if most < 1:
            continue
        n = min(max(1, math.ceil(need_mg / strength - 1e-9)), most, 4)
        dose = n * strength
        short = max(need_mg - dose, 0.0)
        score = (short, dose - need_mg if dose >= need_mg else 0.0, n)
        if best is None or score < best[0]:
            best = (score, n, strength)
    return None if best is None else (best[1], best[2])


def _spacing(ctx: PlanContext, mineral: str) -> list[str]:
    out = []
    for rule in ctx.spacing:
        minerals = [str(m).lower() for m in rule.get("minerals", [])]
        if minerals and mineral not in minerals:
            continue
        hours = rule.get("hours")
        drug = rule.get("drug", "your medicine")
        text = f"Take {hours:g} hours apart from {drug}." if hours else f"Space it from {drug}."
        if rule.get("advice"):
            text += f" {rule['advice']}"
        out.append(text)
    return out


def _schedule_calcium(tablets: int, tablet_mg: float, with_food: bool) -> str:
    """Spread tablets so that no single intake exceeds 500 mg elemental calcium."""
    limit = _max_single("calcium") or 500.0
    per_time = max(1, int(limit // tablet_mg))
    times = math.ceil(tablets / per_time)
    meals = ["breakfast", "dinner", "lunch", "bedtime snack"]
    parts = []
    left = tablets
    for i in range(times):
        k = min(per_time, left)
        left -= k
        when = f"with {meals[i]}" if with_food else ["morning", "evening", "midday", "bedtime"][i]
        parts.append(f"{k} tablet{'s' if k > 1 else ''} ({k * tablet_mg:g} mg) {when}")
    return "; ".join(parts)


def plan_supplements(ctx: PlanContext, after_food: dict[str, float],
                     absorbable_calcium_mg: float) -> SupplementPlan:
    """Supplements for what ``after_food`` (intake plus food additions) still leaves open.

    Parameters
    ----------
    ctx : PlanContext
    after_food : dict of str to float
        Daily intake after the food additions (mg/day keys).
    absorbable_calcium_mg : float
        Calcium counted toward the target (food additions as milk-equivalent absorbable
        calcium; see :mod:`crampcheck.plan.candidates`).

    Returns
    -------
    SupplementPlan
    """
    items: list[SupplementItem] = []
    unmet: list[dict[str, str]] = []
    notes: list[str] = []
    clinician: list[tuple[str, str]] = []
    targets = ctx.targets

    # ---------------------------------------------------------------- magnesium
    mg_t = targets.get("magnesium_mg")
    mg_have = after_food["magnesium_mg"]
    mg_gap = (mg_t.goal or 0.0) - mg_have if mg_t else 0.0
    supp_mg = ctx.from_supplements.get("magnesium_mg", 0.0)
    mg_ul = mg_t.ul if mg_t is not None else None
    if mg_ul is not None and supp_mg > mg_ul:
        clinician.append(("magnesium", f"Your supplements already give {supp_mg:.0f} mg "
                          f"magnesium a day, above the {mg_ul:.0f} mg upper limit for magnesium "
                          "from supplements; ask your clinician whether to lower it."))
    mg_block = ctx.supplement_block("magnesium")
    if mg_t is not None and 0.5 < mg_gap < MIN_GAP_SHARE * (mg_t.goal or 0.0):
        unmet.append({"nutrient": "magnesium_mg",
                      "reason": f"{mg_gap:.0f} mg/day short: too little for a tablet; a "
                                "little more of a magnesium-rich food closes it."})
    elif mg_gap > 0.5:
        if mg_block:
            unmet.append({"nutrient": "magnesium_mg",
                          "reason": f"{mg_gap:.0f} mg/day short after food; no magnesium "
                                    f"supplement is proposed ({mg_block}) — ask your "
                                    "clinician."})
            if "kidney" in mg_block:
                clinician.append(("magnesium", "Magnesium supplements are not safe to start on "
                                  "your own with kidney disease; ask your clinician whether "
                                  "your magnesium should be checked or supplemented."))
        else:
            allowance = (mg_ul - supp_mg) if mg_ul is not None else mg_gap
            item = _mineral_item(ctx, "magnesium", mg_gap, allowance)
            if item is None:
                unmet.append({"nutrient": "magnesium_mg",
                              "reason": f"{mg_gap:.0f} mg/day short after food; your "
                                        f"supplements already give {supp_mg:.0f} mg of the "
                                        f"{mg_ul:.0f} mg/day supplement upper limit."})
            else:
                items.append(item)
                mg_have += item.elemental_mg
                if item.elemental_mg + 0.5 < mg_gap:
                    unmet.append({"nutrient": "magnesium_mg",
                                  "reason": "The supplement is capped by the upper limit of "
                                            f"{mg_ul:.0f} mg/day for magnesium from "
                                            "supplements (existing supplements count)."})

    # ---------------------------------------------------------------- calcium
    ca_t = targets.get("calcium_mg")
    if ca_t is not None and ca_t.goal:
        ca_gap = ca_t.goal - absorbable_calcium_mg
        if 0.5 < ca_gap < MIN_GAP_SHARE * ca_t.goal:
            unmet.append({"nutrient": "calcium_mg",
                          "reason": f"{ca_gap:.0f} mg/day of absorbable calcium short (added "
                                    "foods count by how well their calcium is absorbed, "
                                    "relative to milk): too little for a tablet; a little "
                                    "more of a calcium-rich food closes it."})
        ca_block = ctx.supplement_block("calcium")
        if 0.5 < ca_gap < MIN_GAP_SHARE * ca_t.goal:
            pass  # said above: too little for a tablet
        elif ca_gap > 0.5 and not ca_block:
            ul_room = (ca_t.ul - after_food["calcium_mg"]) if ca_t.ul is not None else ca_gap
            ratio_room = ctx.ratio_band[1] * mg_have - after_food["calcium_mg"]
            ear_gap = max((ca_t.ear or 0.0) - absorbable_calcium_mg, 0.0)
            if ear_gap > 0:  # whole tablets: enough room to reach the EAR
                step = min(float(x) for p in _products("calcium") for x in p["strengths_mg"])
                ear_gap = math.ceil(ear_gap / step) * step
            # the band never refuses calcium up to the EAR: the DRIs govern
            allowance = min(ul_room, max(ratio_room, ear_gap))
            item = _mineral_item(ctx, "calcium", ca_gap, allowance)
            capped_by_ratio = ratio_room < min(ul_room, ca_gap) and ratio_room >= ear_gap
            if item is None:
                why = (f"the upper limit of {ca_t.ul:.0f} mg/day" if not capped_by_ratio
                       else f"the calcium:magnesium band ({ctx.ratio_band[1]:g}:1, a soft "
                            "preference, not a DRI)")
                unmet.append({"nutrient": "calcium_mg",
                              "reason": f"{ca_gap:.0f} mg/day short after food; a supplement "
                                        f"would pass {why}; calcium from food closes it."})
            else:
                if ctx.constraints.get("keep_calcium"):
                    item.cautions.append("With kidney stones, calcium from food is preferred; "
                                         "take any calcium supplement with a meal.")
                items.append(item)
                if item.elemental_mg + 0.5 < ca_gap:
                    unmet.append({"nutrient": "calcium_mg",
                                  "reason": "The supplement is capped by the calcium upper "
                                            "limit (and, above the EAR, the calcium:magnesium "
                                            "band)."})
        elif ca_gap > 0.5:
            unmet.append({"nutrient": "calcium_mg",
                          "reason": f"{ca_gap:.0f} mg/day short after food; no calcium "
                                    f"supplement is proposed ({ca_block})."})

    # ---------------------------------------------------------------- potassium
    k_t = targets.get("potassium_mg")
    if k_t is not None and k_t.goal and after_food["potassium_mg"] < k_t.goal - 0.5:
        k_block = ctx.food_blocks().get("potassium")
        if k_block:
            reason = (f"Below the AI, but no high-potassium foods or potassium supplements are "
                      f"proposed ({k_block}) without your clinician.")
            clinician.append(("potassium", "Ask your clinician how much potassium is right for "
                              "you before adding potassium-rich foods or supplements."))
        else:
            reason = ("Below the AI with the food additions allowed (servings, energy budget); "
                      "potassium supplements are not proposed (more than 99 mg needs a "
                      "prescription) — more fruit, vegetables and beans close it.")
        unmet.append({"nutrient": "potassium_mg", "reason": reason})
    return SupplementPlan(items, unmet, notes, clinician)


def _mineral_item(ctx: PlanContext, mineral: str, need_mg: float, allowance_mg: float
                  ) -> SupplementItem | None:
    products = _products(mineral)
    if mineral == "calcium":
        want_citrate = ctx.acid_suppressant
        products = [p for p in products if bool(p.get("for_acid_suppressant")) == want_citrate]
    product = products[0]
    strengths = [float(s) for s in product["strengths_mg"]]
    single = _max_single(mineral)
    if single is not None:  # one tablet must not exceed what is absorbed well at one time
        strengths = [s for s in strengths if s <= single]
    found = whole_tablets(need_mg, allowance_mg, strengths)
    if found is None:
        return None
    tablets, strength = found
    cautions = list(product.get("cautions", [])) + _spacing(ctx, mineral)
    if mineral == "calcium":
        schedule = _schedule_calcium(tablets, strength, bool(product.get("with_food")))
    else:
        when = product.get("schedule", "daily")
        schedule = (f"{tablets} tablet{'s' if tablets > 1 else ''} "
                    f"({tablets * strength:g} mg) {when}")
    return SupplementItem(mineral, product["form"], tablets * strength, tablets, strength,
                          schedule, cautions, knowledge.citations(product))
