"""The smallest food change that closes the gaps: a mixed-integer programme solved with HiGHS.

Decision variables, for every candidate food *j* allowed for this person
(:mod:`crampcheck.plan.candidates`):

* binaries ``one_j`` and ``two_j`` (``one_j + two_j ≤ 1``): one or two household servings of
  food *j* added per day (at most 2 of one food; ``Σ one + two ≤ 4`` foods). Two binaries
  rather than an integer with an on/off switch keep the relaxation tight and the solve fast;
* a slack ``s ≥ 0`` per soft target, so the programme is always feasible (``x = 0`` is).

Soft targets (shortfalls are penalised; "need" = target − current intake, never below 0):

* magnesium ``Σ Mg x + s ≥ need`` (RDA, or AI when there is no RDA; IOM 1997);
* calcium, counted as milk-equivalent absorbable calcium (Weaver et al. 1999),
  ``Σ Ca·f x + s ≥ need`` (RDA; IOM 2011);
* calcium:magnesium: a soft preference only (the band, default 1.5–2.5 around the 2:1 the seed
  article quotes, is not a DRI). The additions are penalised only for moving the ratio further
  out of the band than it already is — ``ΔCa − hi·ΔMg ≤ s`` when the intake is above the band,
  ``lo·ΔMg − ΔCa ≤ s`` when below, the usual band constraints when inside — at a small weight
  (``plan_weight_per_percent`` in ``plan_foods.toml``), so it never refuses calcium to someone
  below the target and never pushes magnesium up to fix a ratio;
* potassium toward its AI (NASEM 2019);
* ALA toward its AI (IOM 2005) and EPA+DHA toward 250 mg/day (EFSA 2010).

Safety (the assessment's gate, :class:`crampcheck.plan.context.PlanContext`): a nutrient whose
food additions are blocked (high calcium, magnesium, potassium or phosphate; the potassium
combination; CKD stage) loses its soft target, no food with more than ``max_per_serving`` of it
(``plan_foods.toml``: a "good source" by 21 CFR 101.54, potassium 200 mg by the National Kidney
Foundation) is offered, and the additions together bring at most that much. Kidney stones: no
high-oxalate foods; a fluid restriction: no large drinks and little fluid in total; a low-salt
diet: the sodium cap replaces the CDRR.

Hard limits (all hold at ``x = 0``): added energy ≤ ``max_kcal``; sodium stays ≤ the CDRR
(2,300 mg; NASEM 2019), and when intake is already above it additions bring at most 140 mg
(FDA "low sodium"); calcium and vitamin D stay under their ULs (IOM 2011), or add nothing when
already above.

Objective (minimise): per serving ``1 + kcal/100 + 1.5 · unfamiliarity`` plus
``OTHER_FOOD_PENALTY`` (25) for a food that is neither an *everyday food* (listed by a published
"food sources of …" table: NIH ODS fact sheets, Dietary Guidelines for Americans;
``plan_everyday_foods.toml``) nor already eaten by the person; per food used 0.5; plus the slack
penalties: 1 per % of the target short for magnesium and calcium, 0.5 per % for the ratio, 0.3
for potassium and 0.2 for ALA and EPA+DHA. Unfamiliarity is 0 for a food the person already
eats, 0.3 when it shares a distinctive word with one (beans, almonds, salmon…), 0.6 for the same
USDA group, 1 otherwise, plus 0.5 when no word of its name appears among the FNDDS foods that
NHANES participants report eating. At most 2 different foods come from one USDA food group.

Speed and determinism: the diet/allergen filters run on the cached candidate set; a screen
(:func:`screen`) then keeps, for every open target, the 6 foods that close most of it per unit of
cost and the 12 best overall (plus every food the person eats), so HiGHS gets a few dozen foods
and proves optimality within a 2 % relative gap in a few hundred branch-and-bound nodes. There is
no wall-clock time limit: the only limit is a node count (``NODE_LIMIT``), which does not depend
on how busy the machine is, so the same case always gives the same plan. The gap reached is
reported (``FoodSolution.mip_gap``, and the plan's ``solver``).

A nutrient value missing for a food is not credited (counted as 0 here; shown as null in the
plan).

References
----------
.. [1] Huangfu Q, Hall JAJ (2018). Parallelizing the dual revised simplex method. Math Prog
   Comp 10:119–142 (HiGHS, via ``scipy.optimize.milp``).
.. [2] Weaver CM, Proulx WR, Heaney R (1999). Am J Clin Nutr 70(3 Suppl):543S–548S.
.. [3] IOM (1997, 2005, 2011); NASEM (2019); EFSA NDA Panel (2010). See
   :mod:`crampcheck.reference.dri`.
.. [4] National Kidney Foundation. Potassium and your CKD diet.
.. [5] FDA. 21 CFR 101.54 ("good source": 10 % of the Daily Value per serving).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import knowledge
from ..foods.schema import NUTRIENTS
from ..foods.store import Food
from ..models import Citation
from .candidates import COL, Amount, Candidates, allergen_ids, candidates, word_mask
from .context import PlanContext

MAX_SERVINGS_PER_FOOD = 2
MAX_FOODS = 4
MAX_FOODS_PER_GROUP = 2  # different foods of one USDA food group (not four cooked greens)
EPA_DHA_GOAL_MG = 250.0
SCREEN_PER_TARGET = 6
SCREEN_OVERALL = 12
UNFAMILIAR_WEIGHT = 1.5  # cost per serving of a food unlike what the person eats
OTHER_FOOD_PENALTY = 25.0  # cost per serving of a food neither everyday nor already eaten
FOOD_COST = 0.5  # cost of each different food used
NODE_LIMIT = 20_000  # a deterministic limit (nodes, not seconds); plans need a few hundred
MIP_GAP = 0.02
WEIGHTS = {  # penalty per percent of the target left short (the ratio's is data, see below)
    "magnesium_mg": 1.0,
    "calcium_abs_mg": 1.0,
    "ratio_high": 0.1,
    "ratio_low": 0.1,
    "potassium_mg": 0.3,
    "ala_g": 0.2,
    "epa_dha_mg": 0.2,
}


@dataclass
class FoodAddition:
    """``servings`` × one household amount of ``food`` added per day."""

    food: Food
    amount: Amount
    servings: int
    nutrients: dict[str, float | None]
    calcium_factor: float = 1.0
    calcium_citations: list[Citation] = field(default_factory=list)
    common_name: str | None = None  # the food-source table's plain name, when it has one

    @property
    def label(self) -> str:
        """The name to show a person: the table's plain name, else USDA's."""
        return self.common_name or self.food.name

    @property
    def grams(self) -> float:
        return self.amount.grams * self.servings

    @property
    def amount_text(self) -> str:
        return self.amount.text(self.servings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "food": {"id": self.food.id, "name": self.food.name},
            "amount": self.amount_text,
            "grams": round(self.grams, 2),
            "nutrients": {k: (None if v is None else round(v, 3))
                          for k, v in self.nutrients.items()},
        }


@dataclass
class FoodSolution:
    additions: list[FoodAddition]
    status: str
    seconds: float
    n_candidates: int
    excluded: dict[str, int]
    notes: list[str] = field(default_factory=list)
    screened: int = 0
    mip_gap: float | None = None
    nodes: int | None = None


def screen(soft: list[tuple[str, np.ndarray, float, float]], cost: np.ndarray,
           per_target: int | None = None, overall: int | None = None,
           weights: dict[str, float] | None = None) -> np.ndarray:
    """Row positions worth giving to the solver: for every open soft target, the foods that
    close most of it per unit of cost, and the foods with the most penalty removed per unit of
    cost over all targets together. A food outside these cannot beat one inside on any target
    by itself; the screen keeps the integer programme small (a few hundred foods)."""
    per_target = per_target or SCREEN_PER_TARGET
    overall = overall or SCREEN_OVERALL
    weights = weights or WEIGHTS
    n = len(cost)
    value = np.zeros(n)
    keep = np.zeros(n, dtype=bool)
    for name, coeffs, rhs, scale in soft:
        if rhs <= 0:
            continue
        gain = np.clip(coeffs, 0.0, rhs)
        value += weights[name] * 100.0 / scale * gain
        ratio = gain / cost
        top = np.argsort(-ratio)[:per_target]
        keep[top[ratio[top] > 0]] = True
    ratio = value / cost
    top = np.argsort(-ratio)[:overall]
    keep[top[ratio[top] > 0]] = True
    return np.flatnonzero(keep)


# --------------------------------------------------------------------------- filters


def allowed_mask(ctx: PlanContext, cands: Candidates
                 ) -> tuple[np.ndarray, dict[str, int], list[str]]:
    """Candidate foods this person may be offered, counts of what each filter removed, notes."""
    ok = np.ones(len(cands), dtype=bool)
    removed: dict[str, int] = {}
    notes: list[str] = []

    def drop(label: str, mask: np.ndarray) -> None:
        nonlocal ok
        removed[label] = int((ok & mask).sum())
        ok &= ~mask

    diet = ctx.diet or "omnivore"
    if diet not in cands.diet_excluded:
        notes.append(f"Unknown diet {diet!r}: treated as omnivore.")
    else:
        drop(f"diet:{diet}", cands.diet_excluded[diet])
    for term in ctx.avoid:
        ids = allergen_ids(term)
        if ids:
            mask = np.zeros(len(cands), dtype=bool)
            for a in ids:
                mask |= cands.allergen_excluded[a]
            drop(f"avoid:{term}", mask)
        else:
            drop(f"avoid:{term}", word_mask(cands, term))
    for word in ctx.dislikes:
        drop(f"dislike:{word}", word_mask(cands, word))
    limits = blocked_food_limits()
    for nutrient in sorted(ctx.food_blocks()):
        key, limit = limits[nutrient]
        drop(f"blocked:{nutrient}", cands.column(key) > limit)
    if ctx.constraints.get("no_high_oxalate"):
        mask = np.zeros(len(cands), dtype=bool)
        for word in knowledge.load("plan_foods")["high_oxalate_foods"][0]["words"]:
            mask |= word_mask(cands, word)
        drop("high_oxalate", mask)
    if ctx.constraints.get("fluid_limit"):
        rules = knowledge.load("plan_foods")["fluid_limit"][0]
        drop("fluid_limit", fluid_ml(cands) > float(rules["max_serving_ml"]))
    return ok, removed, notes


def blocked_food_limits() -> dict[str, tuple[str, float]]:
    """Nutrient -> (nutrient key, most per serving a food may have when it is blocked)."""
    return {r["nutrient"]: (r["key"], float(r["max_per_serving"]))
            for r in knowledge.load("plan_foods")["blocked_food_limits"]}


def fluid_ml(cands: Candidates) -> np.ndarray:
    """mL of fluid one serving of each candidate brings: its water when at least
    ``water_share`` of the food is water (drinks, milk, yogurt, soup), else 0.

    Where USDA gives no water value (many FoodData Central foods), water is estimated as the
    serving weight minus protein, fat and carbohydrate; with those missing too, a serving
    measured by volume (cup, fl oz) counts whole.
    """
    share = float(knowledge.load("plan_foods")["fluid_limit"][0]["water_share"])
    grams = np.array([a.grams for a in cands.amounts])
    water = cands.per_serving[:, COL["water_g"]]
    solids = (cands.per_serving[:, COL["protein_g"]] + cands.per_serving[:, COL["fat_g"]]
              + cands.per_serving[:, COL["carbohydrate_g"]])
    by_volume = np.array([a.unit.startswith("cup") or a.unit == "fl oz" for a in cands.amounts])
    estimate = np.where(np.isnan(solids), np.where(by_volume, grams, 0.0),
                        np.maximum(grams - np.nan_to_num(solids), 0.0))
    water = np.where(np.isnan(water), estimate, water)
    return np.where(water >= share * grams, water, 0.0)


def fluid_budget_ml(ctx: PlanContext) -> float | None:
    """Fluid the additions may bring with a fluid restriction (None without one)."""
    limit = ctx.constraints.get("fluid_limit")
    if not limit:
        return None
    rules = knowledge.load("plan_foods")["fluid_limit"][0]
    budget = float(rules["max_added_ml"])
    if not isinstance(limit, bool):
        budget = min(budget, float(rules["max_share_of_limit"]) * float(limit))
    return budget


def unfamiliarity(ctx: PlanContext, cands: Candidates) -> np.ndarray:
    """0 (already eaten) … 1.5 (unlike anything eaten and not an NHANES-reported food)."""
    from ..foods.store import default_store
    from .candidates import key_tokens

    store = default_store()
    eaten = [store.get(i) for i in ctx.eaten_food_ids]
    eaten = [f for f in eaten if f is not None]
    ids = {f.id for f in eaten}
    words: set[str] = set()
    for f in eaten:
        words |= key_tokens(f.name)
    groups = {f.category for f in eaten}
    out = np.ones(len(cands))
    for j, food in enumerate(cands.foods):
        if food.id in ids:
            out[j] = 0.0
        elif cands.tokens[j] & words:
            out[j] = 0.3
        elif food.category in groups:
            out[j] = 0.6
    out += np.where(cands.reported, 0.0, 0.5)
    return out


def eaten_mask(ctx: PlanContext, cands: Candidates) -> np.ndarray:
    """Candidate foods the person already eats (by USDA id)."""
    ids = set(ctx.eaten_food_ids)
    return np.array([f.id in ids for f in cands.foods], dtype=bool)


# --------------------------------------------------------------------------- the programme


def _need(target: float | None, have: float) -> float:
    return 0.0 if target is None else max(target - have, 0.0)


def solve_foods(ctx: PlanContext, cands: Candidates | None = None) -> FoodSolution:
    """Choose the food additions for ``ctx`` (see the module docstring for the model).

    Parameters
    ----------
    ctx : PlanContext
    cands : Candidates, optional
        Defaults to the cached full candidate set.

    Returns
    -------
    FoodSolution
        Additions (servings per day with their nutrients), HiGHS status and solve time (s).
    """
    from scipy.optimize import Bounds, LinearConstraint, milp  # here: a stopped plan needs
    from scipy.sparse import csr_matrix, hstack, identity, vstack  # no scipy (0.5 s to import)

    cands = cands or candidates()
    t0 = time.perf_counter()
    ok, removed, notes = allowed_mask(ctx, cands)
    idx = np.flatnonzero(ok)
    n = len(idx)
    before = ctx.daily_mean
    targets = ctx.targets
    if n == 0:
        return FoodSolution([], "no candidate foods", time.perf_counter() - t0, 0, removed,
                            notes + ["No food is left after the diet, allergen and dislike "
                                     "filters."])

    col = {k: cands.column(k)[idx] for k in (
        "energy_kcal", "calcium_mg", "magnesium_mg", "potassium_mg", "sodium_mg",
        "vitamin_d_ug", "ala_g", "epa_g", "dha_g")}
    ratio_weight = float(knowledge.load("plan_foods")["ratio_band"][0].get(
        "plan_weight_per_percent", WEIGHTS["ratio_high"]))
    weights = dict(WEIGHTS, ratio_high=ratio_weight, ratio_low=ratio_weight)
    ca_abs = col["calcium_mg"] * cands.calcium_factor[idx]
    epa_dha_mg = (col["epa_g"] + col["dha_g"]) * 1000.0
    kcal = col["energy_kcal"]

    def goal(key: str) -> float | None:
        t = targets.get(key)
        return None if t is None else t.goal

    lo, hi = ctx.ratio_band
    ca0, mg0 = before["calcium_mg"], before["magnesium_mg"]
    blocked = ctx.food_blocks()
    soft: list[tuple[str, np.ndarray, float, float]] = []  # (name, coeffs, rhs ≥, scale)
    g_mg, g_ca = goal("magnesium_mg"), goal("calcium_mg")
    if g_mg and "magnesium" not in blocked:
        soft.append(("magnesium_mg", col["magnesium_mg"], _need(g_mg, mg0), g_mg))
    if g_ca and "calcium" not in blocked:
        soft.append(("calcium_abs_mg", ca_abs, _need(g_ca, ca0), g_ca))
    ratio_scale = g_ca or 1000.0
    if not {"calcium", "magnesium"} & set(blocked):
        # A soft preference that only discourages moving further out of the band (see the
        # module docstring): the right-hand side is capped at 0, so a ratio already outside the
        # band costs nothing by itself and never calls for more magnesium.
        # Ca − hi·Mg ≤ 0  ⇔  (hi·Mg − Ca) x + s ≥ min(Ca0 − hi·Mg0, 0)
        soft.append(("ratio_high", hi * col["magnesium_mg"] - col["calcium_mg"],
                     min(ca0 - hi * mg0, 0.0), ratio_scale))
        # Ca − lo·Mg ≥ 0  ⇔  (Ca − lo·Mg) x + s ≥ min(lo·Mg0 − Ca0, 0)
        soft.append(("ratio_low", col["calcium_mg"] - lo * col["magnesium_mg"],
                     min(lo * mg0 - ca0, 0.0), ratio_scale))
    g_k = goal("potassium_mg")
    if g_k and "potassium" not in blocked:
        soft.append(("potassium_mg", col["potassium_mg"], _need(g_k, before["potassium_mg"]),
                     g_k))
    g_ala = goal("ala_g")
    if g_ala:
        soft.append(("ala_g", col["ala_g"], _need(g_ala, before["ala_g"]), g_ala))
    g_ed = goal("epa_dha_mg") or EPA_DHA_GOAL_MG
    soft.append(("epa_dha_mg", epa_dha_mg, _need(g_ed, before["epa_dha_mg"]), g_ed))

    hard: list[tuple[np.ndarray, float]] = [(kcal, max(ctx.max_kcal, 0.0))]
    na = targets.get("sodium_mg")
    cdrr = na.cdrr if na is not None and na.cdrr else 2300.0
    cap = ctx.constraints.get("sodium_cap_mg")
    if isinstance(cap, (int, float)) and not isinstance(cap, bool):
        cdrr = min(cdrr, float(cap))
    if before["sodium_mg"] >= cdrr:
        budget = float(knowledge.load("plan_foods")["sodium_above_cdrr"][0]["max_added_sodium_mg"])
    else:
        budget = cdrr - before["sodium_mg"]
    hard.append((col["sodium_mg"], budget))
    for key in ("calcium_mg", "vitamin_d_ug"):
        t = targets.get(key)
        if t is not None and t.ul is not None:
            hard.append((col[key], max(t.ul - before[key], 0.0)))
    limits = blocked_food_limits()
    for nutrient in sorted(blocked):  # all additions together: at most one serving's worth
        key, limit = limits[nutrient]
        hard.append((cands.column(key)[idx], limit))
    budget = fluid_budget_ml(ctx)
    if budget is not None:
        hard.append((fluid_ml(cands)[idx], budget))

    unfam = unfamiliarity(ctx, cands)[idx]
    preferred = cands.everyday[idx] | eaten_mask(ctx, cands)[idx]
    base_cost = 1.0 + kcal / 100.0 + UNFAMILIAR_WEIGHT * unfam \
        + np.where(preferred, 0.0, OTHER_FOOD_PENALTY)
    keep = np.union1d(np.flatnonzero(eaten_mask(ctx, cands)[idx]),
                      screen(soft, base_cost, weights=weights))
    idx, kcal, ca_abs, epa_dha_mg, base_cost = idx[keep], kcal[keep], ca_abs[keep], \
        epa_dha_mg[keep], base_cost[keep]
    col = {k: v[keep] for k, v in col.items()}
    soft = [(name, coeffs[keep], rhs, scale) for name, coeffs, rhs, scale in soft]
    hard = [(coeffs[keep], limit) for coeffs, limit in hard]
    n_allowed, n = n, len(idx)
    m = len(soft)
    # Variables: one[j] (one serving of food j), two[j] (two servings), then the slacks.
    serving_cost = base_cost
    c = np.concatenate([
        serving_cost + FOOD_COST,
        2.0 * serving_cost + FOOD_COST,
        [weights[name] * 100.0 / scale for name, _, _, scale in soft],
    ])
    nvar = 2 * n + m
    rows, lb, ub = [], [], []
    for j, (_, coeffs, rhs, _) in enumerate(soft):
        slack = np.zeros(m)
        slack[j] = 1.0
        rows.append(np.concatenate([coeffs, 2.0 * coeffs, slack]))
        lb.append(rhs)
        ub.append(np.inf)
    for coeffs, limit in hard:
        rows.append(np.concatenate([coeffs, 2.0 * coeffs, np.zeros(m)]))
        lb.append(-np.inf)
        ub.append(limit)
    rows.append(np.concatenate([np.ones(2 * n), np.zeros(m)]))  # at most MAX_FOODS foods
    lb.append(0.0)
    ub.append(MAX_FOODS)
    groups = [cands.foods[j].category for j in idx]
    for group in sorted(set(groups)):  # at most MAX_FOODS_PER_GROUP foods of one USDA group
        member = np.array([g == group for g in groups], dtype=float)
        if member.sum() > MAX_FOODS_PER_GROUP:
            rows.append(np.concatenate([member, member, np.zeros(m)]))
            lb.append(0.0)
            ub.append(MAX_FOODS_PER_GROUP)
    one_or_two = hstack([identity(n), identity(n), csr_matrix((n, m))])  # one + two ≤ 1
    a = vstack([csr_matrix(np.vstack(rows)), one_or_two]).tocsr()
    lb_all = np.concatenate([lb, np.zeros(n)])
    ub_all = np.concatenate([ub, np.ones(n)])
    integrality = np.concatenate([np.ones(2 * n), np.zeros(m)])
    bounds = Bounds(np.zeros(nvar), np.concatenate([np.ones(2 * n), np.full(m, np.inf)]))
    res = milp(c, constraints=LinearConstraint(a, lb_all, ub_all), integrality=integrality,
               bounds=bounds, options={"node_limit": NODE_LIMIT, "mip_rel_gap": MIP_GAP,
                                       "presolve": False})
    seconds = time.perf_counter() - t0
    if res.x is None:
        return FoodSolution([], res.message, seconds, n_allowed, removed,
                            notes + [f"The food optimisation found no solution ({res.message})."])
    x = np.rint(res.x[:n]).astype(int) + 2 * np.rint(res.x[n:2 * n]).astype(int)
    additions = []
    for k in np.flatnonzero(x > 0):
        j = int(idx[k])
        servings = int(x[k])
        per = cands.per_serving[j]
        nutrients = {key: (None if math.isnan(per[COL[key]]) else float(per[COL[key]]) * servings)
                     for key in NUTRIENTS}
        additions.append(FoodAddition(cands.foods[j], cands.amounts[j], servings, nutrients,
                                      float(cands.calcium_factor[j]),
                                      cands.calcium_citations[j], cands.common_names[j]))
    additions.sort(key=lambda a: -(a.nutrients.get("magnesium_mg") or 0.0))
    status = "optimal" if res.status == 0 else res.message
    gap = getattr(res, "mip_gap", None)
    nodes = getattr(res, "mip_node_count", None)
    return FoodSolution(additions, status, seconds, n_allowed, removed, notes, screened=n,
                        mip_gap=None if gap is None else float(gap),
                        nodes=None if nodes is None else int(nodes))
