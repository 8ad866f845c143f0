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
* Vitamin D: after food, one D3 tablet a day of a common strength (10, 25 or 50 µg; 400, 1,000
  or 2,000 IU), the smallest that closes the gap to the RDA, and only when food, the person's
  own supplements (read at their upper amounts) and it stay within the UL for the age (IOM
  2011; ODS). Never with a block (a high calcium result or condition, sarcoidosis, parathyroid
  disease, kidney failure, an active vitamin D medicine; children: their doctor decides).

What is left short is not decided here: :mod:`crampcheck.plan` lists every target below its
goal after everything, with a reason built from the ``decisions`` this module records (why no
supplement, or why a smaller one).

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
from ..nutrient_registry import topic_words
from .context import PlanContext

#: A gap smaller than this share of the target is left to food (no tablet for a few mg).
MIN_GAP_SHARE = 0.1


IU_PER_UG = 40.0  # vitamin D: 1 µg = 40 IU


@dataclass
class SupplementItem:
    """One supplement to take daily. ``elemental_mg`` is the daily amount of the nutrient in
    ``unit`` (mg of the element for minerals, µg for vitamin D); ``tablet_mg`` likewise."""

    mineral: str
    form: str
    elemental_mg: float
    tablets: int
    tablet_mg: float
    schedule: str
    cautions: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    unit: str = "mg"

    @property
    def key(self) -> str:
        return "vitamin_d_ug" if self.mineral == "vitamin_d" else f"{self.mineral}_mg"

    @property
    def amount(self) -> float:
        return self.elemental_mg

    @property
    def name(self) -> str:
        return topic_words(self.mineral)

    def title(self) -> str:
        """"Vitamin D3 (cholecalciferol)", "Magnesium glycinate"."""
        if self.mineral == "vitamin_d":
            return f"Vitamin {self.form}"
        return f"{self.mineral.capitalize()} {self.form}"

    def amount_text(self) -> str:
        """"25 µg (1,000 IU)" for vitamin D, "200 mg elemental magnesium" for a mineral."""
        if self.mineral == "vitamin_d":
            return f"{self.elemental_mg:g} µg ({self.elemental_mg * IU_PER_UG:,.0f} IU)"
        return f"{self.elemental_mg:.0f} mg elemental {self.mineral}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "mineral": self.mineral,
            "nutrient": self.key,
            "form": self.form,
            "name": self.title(),
            "amount": round(self.elemental_mg, 1),
            "unit": self.unit,
            "text": self.amount_text(),
            "tablets": self.tablets,
            "tablet_mg": self.tablet_mg,
            "schedule": self.schedule,
            "cautions": list(self.cautions),
            "evidence": [c.to_dict() for c in self.citations],
        }
        if self.mineral == "vitamin_d":
            out["iu"] = round(self.elemental_mg * IU_PER_UG)
            out["tablet_ug"] = out.pop("tablet_mg")
        else:
            out["elemental_mg"] = round(self.elemental_mg, 1)
        return out


@dataclass
class SupplementPlan:
    items: list[SupplementItem]
    decisions: dict[str, str]  # nutrient key -> why no supplement, or why a smaller one
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


def _reduced(ctx: PlanContext, key: str) -> dict[str, Any] | None:
    """The reduction of ``key`` the plan makes first (a supplement above its UL, magnesium with
    diarrhoea, a lab stop), or None. A nutrient brought down gets no new supplement."""
    return next((r for r in ctx.reductions if r.get("nutrient") == key), None)


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
    plan = SupplementPlan([], {}, [], [])
    mg_have = _plan_magnesium(ctx, after_food, plan)
    _plan_calcium(ctx, after_food, absorbable_calcium_mg, mg_have, plan)
    _plan_potassium(ctx, after_food, plan)
    item = _vitamin_d(ctx, after_food, plan.decisions)
    if item is not None:
        plan.items.append(item)
    return plan


def _plan_magnesium(ctx: PlanContext, after_food: dict[str, float],
                    plan: SupplementPlan) -> float:
    """A magnesium tablet for the gap left after food, within the supplemental UL (your own
    supplements count); returns magnesium a day with it (the calcium band reads it)."""
    decisions, clinician = plan.decisions, plan.clinician
    mg_t = ctx.targets.get("magnesium_mg")
    mg_have = after_food["magnesium_mg"]
    mg_gap = (mg_t.goal or 0.0) - mg_have if mg_t else 0.0
    supp_mg = ctx.from_supplements_upper.get("magnesium_mg", 0.0)  # the UL reads it high
    mg_ul = mg_t.ul if mg_t is not None else None
    if mg_ul is not None and supp_mg > mg_ul and _reduced(ctx, "magnesium_mg") is None:
        # (a reduction already says "reduce to at most N, or stop it": no second, softer line)
        clinician.append(("magnesium", f"Your supplements already give {supp_mg:.0f} mg "
                          f"magnesium a day, above the {mg_ul:.0f} mg upper limit for magnesium "
                          "from supplements; ask your clinician whether to lower it."))
    mg_block = ctx.supplement_block("magnesium")
    mg_cut = _reduced(ctx, "magnesium_mg")
    if mg_cut is not None and mg_gap > 0.5:
        # never bring a supplement down and add one back: the rest comes from food
        decisions["magnesium_mg"] = (
            f"no new magnesium supplement: yours is being brought down to at most "
            f"{mg_cut['to']:.0f} mg a day ({mg_cut.get('reason', 'see the reductions')}), so "
            "the rest of the target is left to food")
    elif mg_t is not None and 0.5 < mg_gap < MIN_GAP_SHARE * (mg_t.goal or 0.0):
        decisions["magnesium_mg"] = "too little is left for a tablet"
    elif mg_gap > 0.5 and mg_block:
        decisions["magnesium_mg"] = (f"no magnesium supplement is proposed ({mg_block}): "
                                     "ask your clinician")
        if "kidney" in mg_block:
            clinician.append(("magnesium", "Magnesium supplements are not safe to start on "
                              "your own with kidney disease; ask your clinician whether "
                              "your magnesium should be checked or supplemented."))
    elif mg_gap > 0.5:
        allowance = (mg_ul - supp_mg) if mg_ul is not None else mg_gap
        item = _mineral_item(ctx, "magnesium", mg_gap, allowance)
        if item is None:
            decisions["magnesium_mg"] = (
                f"your supplements already give {supp_mg:.0f} mg of the {mg_ul:.0f} mg/day "
                "upper limit for magnesium from supplements, so no tablet fits")
        else:
            plan.items.append(item)
            mg_have += item.elemental_mg
            if item.elemental_mg + 0.5 < mg_gap:
                decisions["magnesium_mg"] = (
                    f"the supplement stops at the upper limit of {mg_ul:.0f} mg/day for "
                    "magnesium from supplements (your own supplements count)")
    return mg_have


def _plan_calcium(ctx: PlanContext, after_food: dict[str, float], absorbable_calcium_mg: float,
                  mg_have: float, plan: SupplementPlan) -> None:
    """A calcium tablet for the gap in absorbable calcium, within the UL and the Ca:Mg band."""
    decisions = plan.decisions
    ca_t = ctx.targets.get("calcium_mg")
    if ca_t is None or not ca_t.goal:
        return
    ca_gap = ca_t.goal - absorbable_calcium_mg
    ca_block = ctx.supplement_block("calcium")
    ca_cut = _reduced(ctx, "calcium_mg")
    if ca_cut is not None and ca_gap > 0.5:
        decisions["calcium_mg"] = (
            f"no new calcium supplement: yours is being brought down to at most "
            f"{ca_cut['to']:.0f} mg a day ({ca_cut.get('reason', 'see the reductions')})")
    elif 0.5 < ca_gap < MIN_GAP_SHARE * ca_t.goal:
        decisions["calcium_mg"] = "too little is left for a tablet"
    elif ca_gap > 0.5 and ca_block:
        decisions["calcium_mg"] = f"no calcium supplement is proposed ({ca_block})"
    elif ca_gap > 0.5:
        allowance, why = _calcium_allowance(ctx, ca_t, after_food, absorbable_calcium_mg,
                                            mg_have, ca_gap)
        item = _mineral_item(ctx, "calcium", ca_gap, allowance)
        if item is None:
            decisions["calcium_mg"] = f"no calcium tablet fits: {why}"
            return
        if ctx.constraints.get("keep_calcium"):
            item.cautions.append("With kidney stones, calcium from food is preferred; "
                                 "take any calcium supplement with a meal.")
        plan.items.append(item)
        if item.elemental_mg + 0.5 < ca_gap:
            decisions["calcium_mg"] = f"the calcium tablet is smaller than the gap: {why}"


def _calcium_allowance(ctx: PlanContext, ca_t: Any, after_food: dict[str, float],
                       absorbable_calcium_mg: float, mg_have: float, ca_gap: float
                       ) -> tuple[float, str]:
    """Calcium a supplement may give (the UL's room, or the Ca:Mg band's, whichever is less;
    the band never refuses calcium up to the EAR), and the words for what limits it."""
    upper_now = after_food["calcium_mg"] + max(
        ctx.from_supplements_upper.get("calcium_mg", 0.0)
        - ctx.from_supplements.get("calcium_mg", 0.0), 0.0)
    ul_room = (ca_t.ul - upper_now) if ca_t.ul is not None else ca_gap
    ratio_room = ctx.ratio_band[1] * mg_have - after_food["calcium_mg"]
    ear_gap = max((ca_t.ear or 0.0) - absorbable_calcium_mg, 0.0)
    if ear_gap > 0:  # whole tablets: enough room to reach the EAR
        step = min(float(x) for p in _products("calcium") for x in p["strengths_mg"])
        ear_gap = math.ceil(ear_gap / step) * step
    # the band never refuses calcium up to the EAR: the DRIs govern
    band_room = max(ratio_room, ear_gap)
    if band_room < ul_room:
        return band_room, (
            f"above the EAR ({ca_t.ear:,.0f} mg), calcium from supplements stops at the top "
            f"of the calcium:magnesium band ({ctx.ratio_band[1]:g}:1, a soft preference, not a "
            "DRI)")
    return ul_room, (f"food and supplements together must stay within the upper limit of "
                     f"{ca_t.ul:,.0f} mg/day (supplements read at their labels' upper amounts)")


def _plan_potassium(ctx: PlanContext, after_food: dict[str, float], plan: SupplementPlan) -> None:
    """Potassium tablets are never proposed: say why (and ask the clinician when blocked)."""
    k_t = ctx.targets.get("potassium_mg")
    if k_t is None or not k_t.goal or not after_food["potassium_mg"] < k_t.goal - 0.5:
        return
    k_block = ctx.food_blocks().get("potassium")
    if k_block:
        plan.decisions["potassium_mg"] = (f"no high-potassium foods or potassium supplements "
                                          f"are proposed ({k_block}) without your clinician")
        plan.clinician.append(("potassium", "Ask your clinician how much potassium is right "
                               "for you before adding potassium-rich foods or supplements."))
    else:
        plan.decisions["potassium_mg"] = ("potassium supplements are not proposed (more than "
                                          "99 mg needs a prescription)")


def _vitamin_d(ctx: PlanContext, after_food: dict[str, float], decisions: dict[str, str]
               ) -> SupplementItem | None:
    """One D3 tablet a day for what food leaves to the RDA, within the UL (module docstring)."""
    t = ctx.targets.get("vitamin_d_ug")
    if t is None or not t.goal:
        return None
    gap = t.goal - after_food["vitamin_d_ug"]
    if gap <= 0.05:
        return None
    if gap < MIN_GAP_SHARE * t.goal:
        decisions["vitamin_d_ug"] = "too little is left for a tablet"
        return None
    block = ctx.supplement_block("vitamin_d")
    if block:
        decisions["vitamin_d_ug"] = f"no vitamin D supplement is proposed ({block})"
        return None
    cut = _reduced(ctx, "vitamin_d_ug")
    if cut is not None:
        decisions["vitamin_d_ug"] = (f"no new vitamin D supplement: yours is being brought down "
                                     f"to at most {cut['to']:g} µg a day")
        return None
    product = _products("vitamin_d")[0]
    upper_now = after_food["vitamin_d_ug"] + max(
        ctx.from_supplements_upper.get("vitamin_d_ug", 0.0)
        - ctx.from_supplements.get("vitamin_d_ug", 0.0), 0.0)
    room = (t.ul - upper_now) if t.ul is not None else math.inf
    strengths = sorted(float(x) for x in product["strengths_ug"])
    fitting = [x for x in strengths if x <= room + 1e-9]
    if not fitting:
        decisions["vitamin_d_ug"] = (
            f"no tablet fits: food and your supplements already give about {upper_now:.0f} µg "
            f"of the {t.ul:g} µg/day upper limit")
        return None
    strength = next((x for x in fitting if x >= gap - 1e-9), fitting[-1])
    if strength + 1e-9 < gap:
        decisions["vitamin_d_ug"] = (f"the largest tablet that keeps you within the upper limit "
                                     f"of {t.ul:g} µg/day is {strength:g} µg")
    cautions = list(product.get("cautions", []))
    if ctx.diet in ("vegan", "vegetarian") and product.get("caution_vegan"):
        cautions.append(str(product["caution_vegan"]))
    for rule in knowledge.load("plan_products").get("medicine_cautions", []):
        if rule["mineral"] != "vitamin_d":
            continue
        drugs = [d for c in rule["classes"] for d in ctx.medicine_classes.get(c, [])]
        if drugs:
            cautions.append(rule["text"].format(drug=", ".join(drugs)))
    cautions += _spacing(ctx, "vitamin_d")
    tablets = int(product.get("max_tablets", 1))
    schedule = f"1 tablet or capsule ({strength:g} µg, {strength * IU_PER_UG:,.0f} IU) " \
               f"{product.get('schedule', 'daily')}"
    return SupplementItem("vitamin_d", product["form"], strength, tablets, strength, schedule,
                          cautions, knowledge.citations(product), unit="µg")


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
