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
* potassium toward its AI (NASEM 2019) and vitamin D toward its RDA (IOM 2011: fortified
  drinks, oily fish, eggs, fortified cereal, UV-exposed mushrooms; weight in ``plan_foods.toml``);
* ALA toward its AI (IOM 2005) and EPA+DHA toward 250 mg/day (EFSA 2010).

Each soft row is written in percent of its goal (so every slack is "% short" and the matrix is
well scaled), and a food's contribution to a row is capped at the need (exact for binaries, and
it tightens the relaxation).

A day a person would eat (:mod:`crampcheck.plan.roles`): at most ``max_foods`` foods of one role
(one milk or plant drink, one dish of cooked greens, one nut butter, one main protein…) and one
food of a kind (kale raw or cooked); another food of a role the person already eats costs a
little more than more of their own (``SUBSTITUTE_COST``), a food for a meal the diary never
logs a little more too. These constraints also make the programme much faster: substitutes no
longer give near-equal solutions to tell apart. Children: portions scaled to their energy need
(DGA 2020–2025), one serving of a food at most, the energy budget scaled alike.

Safety (the assessment's gate, :class:`crampcheck.plan.context.PlanContext`): a nutrient whose
food additions are blocked (high calcium, magnesium, potassium or phosphate; the potassium
combination; CKD stage) loses its soft target, no food with more than ``max_per_serving`` of it
(``plan_foods.toml``: a "good source" by 21 CFR 101.54, potassium 200 mg by the National Kidney
Foundation) is offered, and the additions together bring at most that much. Kidney stones: no
high-oxalate foods; a fluid restriction: no large drinks and little fluid in total; a low-salt
diet: the sodium cap replaces the CDRR.

Hard limits (all hold at ``x = 0``): added energy ≤ ``max_kcal``; sodium stays ≤ the CDRR
(2,300 mg; NASEM 2019), and when intake is already above it additions bring at most 140 mg
(FDA "low sodium"); calcium and vitamin D stay under their ULs (IOM 2011; supplements read at
their upper amounts), or add nothing when already above. The solution reports how much of each
limit the additions use (``FoodSolution.limits``), which the plan's reasons name.

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
cost and the 12 best overall (plus every food the person eats), each list taking at most one
spare food per role, so HiGHS gets a few dozen foods
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

from .. import knowledge, nutrient_registry
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
SUBSTITUTE_COST = 1.0  # per serving: another food of a role the person already eats
NODE_LIMIT = 20_000  # a deterministic limit (nodes, not seconds); plans need a few hundred
MIP_GAP = 0.02
WEIGHTS = {  # penalty per percent of the target left short (the ratio's is data, see below)
    "magnesium_mg": 1.0,
    "calcium_abs_mg": 1.0,
    "ratio_high": 0.1,
    "ratio_low": 0.1,
    "potassium_mg": 0.3,
    "vitamin_d_ug": 0.3,  # plan_foods.toml [[vitamin_d_food]] weight_per_percent
    "ala_g": 0.2,
    "epa_dha_mg": 0.2,
}


@dataclass
class FoodAddition:
    """``servings`` × one household amount of ``food`` added per day.

    ``role`` is the part it plays in a day (:mod:`crampcheck.plan.roles`), ``meal``/``when`` the
    meal it goes with; ``serves`` (targets it closes, filled in by the plan) and ``cost`` (energy
    and sodium it brings) explain it."""

    food: Food
    amount: Amount
    servings: int
    nutrients: dict[str, float | None]
    calcium_factor: float = 1.0
    calcium_citations: list[Citation] = field(default_factory=list)
    common_name: str | None = None  # the food-source table's plain name, when it has one
    role: str = "other"
    meal: str = "snack"
    when: str = "as a snack"
    serves: list[dict[str, Any]] = field(default_factory=list)

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

    def cost(self) -> dict[str, float | None]:
        """What the addition costs: energy (kcal) and sodium (mg) a day."""
        return {k: (None if self.nutrients.get(k) is None else round(self.nutrients[k], 1))
                for k in ("energy_kcal", "sodium_mg")}

    def to_dict(self) -> dict[str, Any]:
        return {
            "food": {"id": self.food.id, "name": self.food.name},
            "label": self.label,
            "amount": self.amount_text,
            "grams": round(self.grams, 2),
            "role": self.role,
            "meal": self.meal,
            "when": self.when,
            "serves": [dict(x) for x in self.serves],
            "cost": self.cost(),
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
    portion_factor: float = 1.0
    #: the food plan's hard limits: name -> (used by the additions, limit, words)
    limits: dict[str, tuple[float, float, str]] = field(default_factory=dict)


def screen(soft: list[tuple[str, np.ndarray, float, float]], cost: np.ndarray,
           per_target: int | None = None, overall: int | None = None,
           weights: dict[str, float] | None = None,
           groups: np.ndarray | None = None, group_room: np.ndarray | None = None
           ) -> np.ndarray:
    """Row positions worth giving to the solver: for every open soft target, the foods that
    close most of it per unit of cost, and the foods with the most penalty removed per unit of
    cost over all targets together. A food outside these cannot beat one inside on any target
    by itself; the screen keeps the integer programme small (a few dozen foods).

    With ``groups`` (a role index per row) and ``group_room`` (how many foods of each role the
    plan may use), each list takes at most room + 1 foods of one role before moving on: a plan
    can use only one plant drink, so six plant drinks for calcium would crowd out the foods it
    could combine."""
    per_target = per_target or SCREEN_PER_TARGET
    overall = overall or SCREEN_OVERALL
    weights = weights or WEIGHTS
    n = len(cost)
    value = np.zeros(n)
    keep = np.zeros(n, dtype=bool)

    def best(ratio: np.ndarray, k: int) -> None:
        order = np.argsort(-ratio, kind="stable")
        if groups is None or group_room is None:
            top = order[:k]
            keep[top[ratio[top] > 0]] = True
            return
        taken = np.zeros(len(group_room), dtype=int)
        count = 0
        for j in order:
            if ratio[j] <= 0 or count >= k:
                break
            g = groups[j]
            if taken[g] > group_room[g]:
                continue
            taken[g] += 1
            keep[j] = True
            count += 1

    for name, coeffs, rhs, scale in soft:
        if rhs <= 0:
            continue
        gain = np.clip(coeffs, 0.0, rhs)
        value += weights[name] * 100.0 / scale * gain
        best(gain / cost, per_target)
    best(value / cost, overall)
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
        # unknown is not safe: a food without a value for the blocked nutrient is left out
        # too (NaN > limit would be False and let it through)
        # (Candidates.column reads NaN as 0, so the raw per-serving values are used here)
        drop(f"blocked:{nutrient}", ~(cands.per_serving[:, COL[key]] <= limit))
    if ctx.constraints.get("no_high_oxalate"):
        mask = np.zeros(len(cands), dtype=bool)
        for word in knowledge.load("plan_foods")["high_oxalate_foods"][0]["words"]:
            mask |= word_mask(cands, word)
        drop("high_oxalate", mask)
    if ctx.constraints.get("vitamin_k_consistent"):
        mask = np.zeros(len(cands), dtype=bool)
        for word in knowledge.load("plan_foods")["vitamin_k_rich_foods"][0]["words"]:
            mask |= word_mask(cands, word)
        drop("vitamin_k_rich", mask)
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


_COLUMNS = ("energy_kcal", "calcium_mg", "magnesium_mg", "potassium_mg", "sodium_mg",
            "vitamin_d_ug", "ala_g", "epa_g", "dha_g")
# Soft targets that are "this nutrient, up to its goal" with one block each (None: never blocked),
# in the order the model lists them after magnesium, calcium and the ratio.
_PLAIN_SOFT = (("potassium_mg", "potassium"), ("vitamin_d_ug", "vitamin_d"), ("ala_g", None))
_MEAL_ORDER = {"breakfast": 0, "lunch": 1, "dinner": 2, "snack": 3}

Soft = tuple[str, np.ndarray, float, float]  # (name, coeffs, rhs ≥, scale)


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
    from .roles import candidate_roles  # here: a stopped plan needs no roles or scipy

    cands = cands or candidates()
    t0 = time.perf_counter()
    ok, removed, notes = allowed_mask(ctx, cands)
    idx = np.flatnonzero(ok)
    n_allowed = len(idx)
    if n_allowed == 0:
        return FoodSolution([], "no candidate foods", time.perf_counter() - t0, 0, removed,
                            notes + ["No food is left after the diet, allergen and dislike "
                                     "filters."])
    factor, max_servings, max_kcal, amounts, per = _portions(ctx, cands, idx, notes)
    per0 = np.nan_to_num(per, nan=0.0)
    col = {k: per0[:, COL[k]] for k in _COLUMNS}
    plan_rules = knowledge.load("plan_foods")
    weights = _weights(plan_rules)
    ca_abs = nutrient_registry.absorbable_calcium_mg(col["calcium_mg"], cands.calcium_factor[idx])
    epa_dha_mg = nutrient_registry.epa_dha_mg(col["epa_g"], col["dha_g"])
    soft = _soft_rows(ctx, col, ca_abs, epa_dha_mg)
    hard, hard_names = _hard_rows(ctx, cands, idx, col, per0, plan_rules, max_kcal)

    role_of, kind_of = candidate_roles(cands)
    groups_all, room = _role_groups(role_of, idx)
    base_cost, eaten = _base_cost(ctx, cands, idx, col["energy_kcal"], role_of, groups_all)
    keep = np.union1d(np.flatnonzero(eaten),
                      screen(soft, base_cost, weights=weights, groups=groups_all,
                             group_room=room))
    idx, base_cost, groups = idx[keep], base_cost[keep], groups_all[keep]
    amounts = [amounts[k] for k in keep]
    per = per[keep]
    soft = [(name, coeffs[keep], rhs, scale) for name, coeffs, rhs, scale in soft]
    hard = [(coeffs[keep], limit) for coeffs, limit in hard]
    n = len(idx)
    members = _members(cands, idx, groups, room, kind_of)
    res = _solve_milp(soft, hard, base_cost, weights, members, max_servings)
    seconds = time.perf_counter() - t0
    if res.x is None:
        return FoodSolution([], res.message, seconds, n_allowed, removed,
                            notes + [f"The food optimisation found no solution ({res.message})."],
                            portion_factor=factor)
    x = np.rint(res.x[:n]).astype(int) + 2 * np.rint(res.x[n:2 * n]).astype(int)
    used_limits = {name: (float(coeffs @ x), float(limit), words)
                   for (coeffs, limit), (name, words) in zip(hard, hard_names, strict=True)}
    additions = _additions(ctx, cands, idx, x, per, amounts, role_of)
    status = "optimal" if res.status == 0 else res.message
    gap = getattr(res, "mip_gap", None)
    nodes = getattr(res, "mip_node_count", None)
    return FoodSolution(additions, status, seconds, n_allowed, removed, notes, screened=n,
                        mip_gap=None if gap is None else float(gap),
                        nodes=None if nodes is None else int(nodes), portion_factor=factor,
                        limits=used_limits)


def _portions(ctx: PlanContext, cands: Candidates, idx: np.ndarray, notes: list[str]
              ) -> tuple[float, int, float, list[Amount], np.ndarray]:
    """Portion factor, servings a food at most, the kcal budget, and the amounts and nutrients
    per serving of the allowed foods; a child's smaller portions are noted in ``notes``."""
    from .roles import child_factor, child_max_servings, describe_factor, scaled_servings

    factor = child_factor(ctx.person)
    max_servings = MAX_SERVINGS_PER_FOOD
    max_kcal = max(ctx.max_kcal, 0.0)
    if factor < 1.0:  # a child: smaller household amounts, one serving of a food at most
        amounts, per = scaled_servings(cands, idx, factor)
        max_servings = min(max_servings, child_max_servings())
        max_kcal *= factor
        notes.append(describe_factor(ctx.person, factor))
    else:
        amounts, per = [cands.amounts[j] for j in idx], cands.per_serving[idx]
    return factor, max_servings, max_kcal, amounts, per


def _weights(plan_rules: dict[str, Any]) -> dict[str, float]:
    """Penalty per percent short: :data:`WEIGHTS` with the ratio and vitamin D weights from
    ``plan_foods.toml``."""
    ratio_weight = float(plan_rules["ratio_band"][0].get(
        "plan_weight_per_percent", WEIGHTS["ratio_high"]))
    d_weight = float(plan_rules["vitamin_d_food"][0]["weight_per_percent"])
    return dict(WEIGHTS, ratio_high=ratio_weight, ratio_low=ratio_weight, vitamin_d_ug=d_weight)


def _goal(ctx: PlanContext, key: str) -> float | None:
    t = ctx.targets.get(key)
    return None if t is None else t.goal


def _soft_rows(ctx: PlanContext, col: dict[str, np.ndarray], ca_abs: np.ndarray,
               epa_dha_mg: np.ndarray) -> list[Soft]:
    """The soft targets (each may be left short at its weight's cost), in model order."""
    before = ctx.daily_mean
    blocked = ctx.food_blocks()
    ca0, mg0 = before["calcium_mg"], before["magnesium_mg"]
    soft: list[Soft] = []
    g_mg, g_ca = _goal(ctx, "magnesium_mg"), _goal(ctx, "calcium_mg")
    if g_mg and "magnesium" not in blocked:
        soft.append(("magnesium_mg", col["magnesium_mg"], _need(g_mg, mg0), g_mg))
    if g_ca and "calcium" not in blocked:
        soft.append(("calcium_abs_mg", ca_abs, _need(g_ca, ca0), g_ca))
    if not {"calcium", "magnesium"} & set(blocked):
        soft += _ratio_rows(ctx, col, ca0, mg0, g_ca or 1000.0)
    for key, block in _PLAIN_SOFT:
        g = _goal(ctx, key)
        if g and block not in blocked:
            soft.append((key, col[key], _need(g, before[key]), g))
    g_ed = _goal(ctx, "epa_dha_mg") or EPA_DHA_GOAL_MG
    soft.append(("epa_dha_mg", epa_dha_mg, _need(g_ed, before["epa_dha_mg"]), g_ed))
    return soft


def _ratio_rows(ctx: PlanContext, col: dict[str, np.ndarray], ca0: float, mg0: float,
                scale: float) -> list[Soft]:
    """A soft preference that only discourages moving further out of the Ca:Mg band (see the
    module docstring): the right-hand side is capped at 0, so a ratio already outside the band
    costs nothing by itself and never calls for more magnesium."""
    lo, hi = ctx.ratio_band
    ca, mg = col["calcium_mg"], col["magnesium_mg"]
    return [
        # Ca − hi·Mg ≤ 0  ⇔  (hi·Mg − Ca) x + s ≥ min(Ca0 − hi·Mg0, 0)
        ("ratio_high", hi * mg - ca, min(ca0 - hi * mg0, 0.0), scale),
        # Ca − lo·Mg ≥ 0  ⇔  (Ca − lo·Mg) x + s ≥ min(lo·Mg0 − Ca0, 0)
        ("ratio_low", ca - lo * mg, min(lo * mg0 - ca0, 0.0), scale),
    ]


def _sodium_budget(ctx: PlanContext, plan_rules: dict[str, Any]) -> tuple[float, float]:
    """Sodium the added foods may bring, and the daily sodium limit (CDRR or a lower cap)."""
    na = ctx.targets.get("sodium_mg")
    cdrr = na.cdrr if na is not None and na.cdrr else 2300.0
    cap = ctx.constraints.get("sodium_cap_mg")
    if isinstance(cap, (int, float)) and not isinstance(cap, bool):
        cdrr = min(cdrr, float(cap))
    before = ctx.daily_mean["sodium_mg"]
    if before >= cdrr:
        return float(plan_rules["sodium_above_cdrr"][0]["max_added_sodium_mg"]), cdrr
    return cdrr - before, cdrr


def _hard_rows(ctx: PlanContext, cands: Candidates, idx: np.ndarray, col: dict[str, np.ndarray],
               per0: np.ndarray, plan_rules: dict[str, Any], max_kcal: float
               ) -> tuple[list[tuple[np.ndarray, float]], list[tuple[str, str]]]:
    """The hard limits (coefficients, most) and their names and words, in model order."""
    hard: list[tuple[np.ndarray, float]] = [(col["energy_kcal"], max_kcal)]
    hard_names = [("energy", f"{max_kcal:,.0f} kcal a day for added foods")]
    budget, cdrr = _sodium_budget(ctx, plan_rules)
    hard.append((col["sodium_mg"], budget))
    hard_names.append(("sodium", f"{budget:,.0f} mg of sodium from added foods (sodium stays "
                                 f"within {cdrr:,.0f} mg a day)"))
    for key in ("calcium_mg", "vitamin_d_ug"):  # ULs read supplements at their upper reading
        t = ctx.targets.get(key)
        if t is not None and t.ul is not None:
            hard.append((col[key], max(t.ul - ctx.upper(key), 0.0)))
            hard_names.append((key, f"the upper limit of {t.ul:g} {t.unit} a day"))
    blocked = ctx.food_blocks()
    limits = blocked_food_limits()
    for nutrient in sorted(blocked):  # all additions together: at most one serving's worth
        key, limit = limits[nutrient]
        hard.append((per0[:, COL[key]], limit))
        hard_names.append((f"blocked:{nutrient}", f"at most {limit:g} mg of "
                           f"{nutrient.replace('_', ' ')} from all added foods together "
                           f"({blocked[nutrient]})"))
    fluid = fluid_budget_ml(ctx)
    if fluid is not None:
        hard.append((fluid_ml(cands)[idx], fluid))
        hard_names.append(("fluid", f"{fluid:,.0f} mL of fluid from added foods"))
    return hard, hard_names


def _role_groups(role_of: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each allowed food's role (as an index into the roles) and each role's most foods."""
    from .roles import roles

    role_ids = list(roles())
    role_index = {r: k for k, r in enumerate(role_ids)}
    groups = np.array([role_index[r] for r in role_of[idx]])
    room = np.array([roles()[r].max_foods for r in role_ids])
    return groups, room


def _base_cost(ctx: PlanContext, cands: Candidates, idx: np.ndarray, kcal: np.ndarray,
               role_of: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cost per serving of each allowed food (energy, unfamiliarity, not everyday or eaten, a
    substitute, a meal never logged), and which of them the person already eats."""
    from .roles import meal_fit_cost, roles

    unfam = unfamiliarity(ctx, cands)[idx]
    eaten = eaten_mask(ctx, cands)[idx]
    preferred = cands.everyday[idx] | eaten
    base_cost = 1.0 + kcal / 100.0 + UNFAMILIAR_WEIGHT * unfam \
        + np.where(preferred, 0.0, OTHER_FOOD_PENALTY)
    eaten_roles = set(role_of[np.flatnonzero(eaten_mask(ctx, cands))].tolist())
    if eaten_roles:  # more of the milk the person drinks, rather than a second kind of milk
        substitute = np.array([r in eaten_roles for r in role_of[idx]]) & ~eaten
        base_cost = base_cost + np.where(substitute, SUBSTITUTE_COST, 0.0)
    if ctx.meals_logged:  # a food for a meal the person never logs is a harder change
        logged = set(ctx.meals_logged)
        misfit = np.array([not logged & set(roles()[r].meals) for r in roles()])
        base_cost = base_cost + np.where(misfit[groups], meal_fit_cost(), 0.0)
    return base_cost, eaten


def _members(cands: Candidates, idx: np.ndarray, groups: np.ndarray, room: np.ndarray,
             kind_of: Any) -> list[tuple[np.ndarray, float]]:
    """Sets of foods with a most (a USDA food group, a role, a kind such as kale)."""
    food_groups = [cands.foods[j].category for j in idx]
    members: list[tuple[np.ndarray, float]] = []
    for group in sorted(set(food_groups)):  # at most MAX_FOODS_PER_GROUP of one USDA group
        members.append((np.array([g == group for g in food_groups], dtype=float),
                        MAX_FOODS_PER_GROUP))
    for r in sorted(set(groups.tolist())):  # a day a person would eat: one food per role
        members.append(((groups == r).astype(float), float(room[r])))
    kinds = [kind_of[j] for j in idx]
    for kind in sorted({k for k in kinds if k}):  # never kale raw and kale cooked
        members.append((np.array([k == kind for k in kinds], dtype=float), 1.0))
    return members


def _constraint_rows(soft: list[Soft], hard: list[tuple[np.ndarray, float]],
                     members: list[tuple[np.ndarray, float]], n: int
                     ) -> tuple[list[np.ndarray], list[float], list[float]]:
    """Rows over (one[j], two[j], slacks) with their lower and upper bounds; each soft row is
    written in percent of its target, so every slack is "% short"."""
    m = len(soft)
    rows, lb, ub = [], [], []
    for j, (_, coeffs, rhs, scale) in enumerate(soft):
        slack = np.zeros(m)
        slack[j] = 1.0
        pct = 100.0 / scale
        one, two = coeffs * pct, 2.0 * coeffs * pct
        if rhs > 0:  # a food cannot help beyond the need: capping is exact and tightens the LP
            one, two = np.minimum(one, rhs * pct), np.minimum(two, rhs * pct)
        rows.append(np.concatenate([one, two, slack]))
        lb.append(rhs * pct)
        ub.append(np.inf)
    for coeffs, limit in hard:
        rows.append(np.concatenate([coeffs, 2.0 * coeffs, np.zeros(m)]))
        lb.append(-np.inf)
        ub.append(limit)
    rows.append(np.concatenate([np.ones(2 * n), np.zeros(m)]))  # at most MAX_FOODS foods
    lb.append(0.0)
    ub.append(MAX_FOODS)
    for member, most in members:
        if member.sum() > most:
            rows.append(np.concatenate([member, member, np.zeros(m)]))
            lb.append(0.0)
            ub.append(most)
    return rows, lb, ub


def _solve_milp(soft: list[Soft], hard: list[tuple[np.ndarray, float]], base_cost: np.ndarray,
                weights: dict[str, float], members: list[tuple[np.ndarray, float]],
                max_servings: int) -> Any:
    """Solve the model with HiGHS. Variables: one[j] (one serving of food j), two[j] (two
    servings), then the slacks of the soft rows."""
    from scipy.optimize import Bounds, LinearConstraint, milp  # here: a stopped plan needs
    from scipy.sparse import csr_matrix, hstack, identity, vstack  # no scipy (0.5 s to import)

    n, m = len(base_cost), len(soft)
    c = np.concatenate([
        base_cost + FOOD_COST,
        2.0 * base_cost + FOOD_COST,
        [weights[name] for name, _, _, _ in soft],
    ])
    nvar = 2 * n + m
    rows, lb, ub = _constraint_rows(soft, hard, members, n)
    one_or_two = hstack([identity(n), identity(n), csr_matrix((n, m))])  # one + two ≤ 1
    a = vstack([csr_matrix(np.vstack(rows)), one_or_two]).tocsr()
    lb_all = np.concatenate([lb, np.zeros(n)])
    ub_all = np.concatenate([ub, np.ones(n)])
    integrality = np.concatenate([np.ones(2 * n), np.zeros(m)])
    two_ub = 1.0 if max_servings >= 2 else 0.0
    bounds = Bounds(np.zeros(nvar), np.concatenate([np.ones(n), np.full(n, two_ub),
                                                    np.full(m, np.inf)]))
    return milp(c, constraints=LinearConstraint(a, lb_all, ub_all), integrality=integrality,
                bounds=bounds, options={"node_limit": NODE_LIMIT, "mip_rel_gap": MIP_GAP,
                                        "presolve": False})


def _additions(ctx: PlanContext, cands: Candidates, idx: np.ndarray, x: np.ndarray,
               per: np.ndarray, amounts: list[Amount], role_of: np.ndarray
               ) -> list[FoodAddition]:
    """The chosen foods (``x``: servings of each screened food), by meal, then most magnesium."""
    from .roles import when

    role_meals = _role_meals(ctx, role_of, cands)
    additions = []
    for k in np.flatnonzero(x > 0):
        j = int(idx[k])
        servings = int(x[k])
        row = per[k]
        nutrients = {key: (None if math.isnan(row[COL[key]]) else float(row[COL[key]]) * servings)
                     for key in NUTRIENTS}
        role = str(role_of[j])
        meal, words = when(role, ctx.meals_logged, role_meals)
        additions.append(FoodAddition(cands.foods[j], amounts[k], servings, nutrients,
                                      float(cands.calcium_factor[j]),
                                      cands.calcium_citations[j], cands.common_names[j],
                                      role=role, meal=meal, when=words))
    additions.sort(key=lambda a: (_MEAL_ORDER.get(a.meal, 4),
                                  -(a.nutrients.get("magnesium_mg") or 0.0)))
    return additions


def _role_meals(ctx: PlanContext, role_of: np.ndarray, cands: Candidates) -> dict[str, str]:
    """Role -> the meal at which the person already eats a food of that role (from the diary's
    meal words), for foods that are candidates; the first logged wins."""
    if not ctx.eaten_meals:
        return {}
    index = {f.id: j for j, f in enumerate(cands.foods)}
    out: dict[str, str] = {}
    for food_id, meal in ctx.eaten_meals.items():
        j = index.get(food_id)
        if j is not None:
            out.setdefault(str(role_of[j]), meal)
    return out
