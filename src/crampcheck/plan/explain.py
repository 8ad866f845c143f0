"""The plan explains itself: what each addition serves and costs, each target before and after,
and every target left short with the reason and the food that would close it.

* :func:`serves` — the targets an addition closes: for each nutrient short before the plan, the
  amount the addition brings and its share of the gap (calcium counted by absorption, Weaver
  1999, as the plan counts it).
* :func:`target_table` — for every target (calcium, magnesium, potassium, sodium, vitamin D,
  ALA, EPA+DHA): goal (RDA, AI or guideline, with the EAR and UL), before → after, and how much
  of the after comes from food and from supplements.
* :func:`unmet` — every target still below its RDA/AI after the plan (the EAR is named when the
  intake is above it), with one reason built from what the plan decided (a blocked nutrient, a
  supplement the safety gate forbids, an upper limit, the food plan's limits) and, where a food
  can close it, :func:`closer`: the food and amount ("1/2 cup of cooked collards with dinner
  closes it").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ..foods.store import default_store
from ..nutrient_registry import DRI_KEYS, absorbable_calcium_mg, epa_dha_mg
from ..nutrient_registry import get as get_nutrient
from ..reference.dri import Target
from ..wording import lower_first
from .candidates import COL, candidates
from .context import PlanContext
from .foods import (
    EPA_DHA_GOAL_MG,
    MAX_FOODS,
    MAX_SERVINGS_PER_FOOD,
    FoodAddition,
    allowed_mask,
    eaten_mask,
)

TARGET_KEYS = DRI_KEYS
UNIT = {k: get_nutrient(k).unit for k in TARGET_KEYS}
NAME = {k: get_nutrient(k).plan_name for k in TARGET_KEYS}
#: The block name of the targets whose foods a block can rule out (not sodium, not omega-3).
BLOCK_NUTRIENT = {k: get_nutrient(k).topic
                  for k in ("calcium_mg", "magnesium_mg", "potassium_mg", "vitamin_d_ug")}
#: An addition "serves" a target when it brings at least this share of the target's goal.
SERVES_SHARE = 0.05
#: A gap this small (share of the goal) counts as closed.
CLOSED_SHARE = 0.005
SALT_ID = "sr:02047"  # USDA SR: Salt, table
#: Calcium counted at less than this share of its amount is "poorly absorbed" (spinach 16 %).
POORLY_ABSORBED = 0.8
#: A food that cannot close a gap is named only when it brings at least this share of it.
USEFUL_SHARE = 0.25
SALT_STEPS_TSP = (0.125, 0.25, 0.5)


def fmt(value: float, unit: str) -> str:
    """2 decimals for grams, 1 for µg (without trailing zeros), whole mg."""
    if unit in ("g", "µg"):
        text = f"{value:,.{2 if unit == 'g' else 1}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{value:,.0f}"


def goal_of(key: str, t: Target | None) -> tuple[float | None, str]:
    """(goal, kind) of a target: the RDA, else the AI; EPA+DHA's is EFSA's guideline."""
    if key == "epa_dha_mg":
        return (t.goal if t is not None and t.goal else EPA_DHA_GOAL_MG), "guideline"
    if t is None or not t.goal:
        return None, ""
    return t.goal, ("RDA" if t.rda else "AI")


def _value(nutrients: dict[str, float | None], key: str) -> float:
    if key == "epa_dha_mg":
        return epa_dha_mg(nutrients.get("epa_g") or 0.0, nutrients.get("dha_g") or 0.0)
    return nutrients.get(key) or 0.0


def serves(ctx: PlanContext, addition: FoodAddition, start: dict[str, float]
           ) -> list[dict[str, Any]]:
    """The targets ``addition`` helps close (nutrients short in ``start``, the intake the food
    plan starts from), most of its gap first."""
    out = []
    for key in TARGET_KEYS:
        if key == "sodium_mg":
            continue
        goal, _ = goal_of(key, ctx.targets.get(key))
        if not goal:
            continue
        need = goal - start.get(key, 0.0)
        brings = _value(addition.nutrients, key)
        counted = (absorbable_calcium_mg(brings, addition.calcium_factor)
                   if key == "calcium_mg" else brings)
        if need <= 0 or counted < SERVES_SHARE * goal:
            continue
        item = {"nutrient": key, "amount": round(brings, 3), "unit": UNIT[key],
                "share_of_gap": round(min(counted / need, 1.0), 3)}
        if key == "calcium_mg" and addition.calcium_factor < 0.999:
            item["counted"] = round(counted, 1)
        out.append(item)
    return sorted(out, key=lambda x: -x["share_of_gap"])


def target_table(ctx: PlanContext, before: dict[str, float], after: dict[str, float],
                 supplements_after: dict[str, float], counted_calcium: float
                 ) -> dict[str, dict[str, Any]]:
    """Every target before → after, with the share from food and from supplements."""
    out: dict[str, dict[str, Any]] = {}
    for key in TARGET_KEYS:
        t = ctx.targets.get(key)
        goal, kind = goal_of(key, t)
        if goal is None:
            continue
        unit = UNIT[key]
        digits = 3  # as before and after
        supp = max(supplements_after.get(key, 0.0), 0.0)
        row: dict[str, Any] = {
            "goal": goal, "goal_kind": kind, "unit": unit,
            "ear": None if t is None else t.ear, "ul": None if t is None else t.ul,
            "before": round(before.get(key, 0.0), digits),
            "after": round(after.get(key, 0.0), digits),
            "after_from_food": round(max(after.get(key, 0.0) - supp, 0.0), digits),
            "after_from_supplements": round(supp, digits),
        }
        have = counted_calcium if key == "calcium_mg" else after.get(key, 0.0)
        if key == "calcium_mg":
            row["after_counted"] = round(counted_calcium, digits)
        if key == "sodium_mg" and t is not None and t.cdrr:
            row["cdrr"] = t.cdrr
        row["met"] = bool(have >= goal * (1 - CLOSED_SHARE))
        out[key] = row
    return out


# --------------------------------------------------------------------------- closing a gap


def food_pool(ctx: PlanContext) -> np.ndarray:
    """Candidate rows a gap may be closed with: everyday foods or foods the person eats that
    pass the diet, avoid, dislike and safety filters."""
    cands = candidates()
    ok, _, _ = allowed_mask(ctx, cands)
    return ok & (cands.everyday | eaten_mask(ctx, cands))


def closer(ctx: PlanContext, key: str, short: float, additions: list[FoodAddition],
           after: dict[str, float], portion_factor: float = 1.0,
           pool: np.ndarray | None = None,
           limits: dict[str, tuple[float, float, str]] | None = None) -> dict[str, Any] | None:
    """The food and amount that closes ``short`` of ``key`` (or brings most of it): one more
    serving of a food the plan adds, or one or two servings of an everyday food (or one the
    person eats) that fits the diet, the avoid and dislike lists, the safety blocks (with what
    the additions already bring of a blocked nutrient), a free role of the day, the sodium and
    fluid budgets and the upper limits. It may go beyond the plan's energy budget (the kcal are
    said). The fewest kcal among those that close it; else the one that brings the most."""
    if key == "sodium_mg":
        return _salt(ctx, short)
    if BLOCK_NUTRIENT.get(key) in ctx.food_blocks():
        return None
    search = _ClosingSearch(ctx, key, short, additions, portion_factor,
                            _closer_room(ctx, after, limits))
    if pool is None:
        pool = food_pool(ctx)
    best = _best_option(search.options(pool), short)
    return None if best is None else search.result(best)


class _Option(NamedTuple):
    """One food at one number of servings that :func:`closer` may name."""

    closes: bool
    kcal: float
    n: int
    food_id: str
    j: int
    amount: Any
    per: np.ndarray
    brings: float
    more: bool  # one more serving of a food the plan adds
    role: str
    full: bool  # the plan already fills the food's role


@dataclass(frozen=True)
class _Room:
    """What is left of the day's sodium cap, upper limits (and blocked nutrients' totals) and
    fluid budget once the plan's additions are counted."""

    sodium: float
    upper: dict[str, float]
    fluid: float | None
    water: np.ndarray | None  # mL of fluid a serving of each candidate brings

    def fits(self, per: np.ndarray, j: int, ratio: float, n: int) -> bool:
        if per[COL["sodium_mg"]] * n > self.sodium + 1e-9:
            return False
        if any(per[COL[k]] * n > room + 1e-9 for k, room in self.upper.items()):
            return False
        return not (self.water is not None and self.fluid is not None
                    and self.water[j] * ratio * n > self.fluid + 1e-9)


def _sodium_cap(ctx: PlanContext) -> float:
    """The CDRR (2300 mg when unknown), or the person's lower sodium cap."""
    na_target = ctx.targets.get("sodium_mg")
    na_cap = na_target.cdrr if na_target is not None and na_target.cdrr else 2300.0
    cap = ctx.constraints.get("sodium_cap_mg")
    if isinstance(cap, (int, float)) and not isinstance(cap, bool):
        na_cap = min(na_cap, float(cap))
    return na_cap


def _closer_room(ctx: PlanContext, after: dict[str, float],
                 limits: dict[str, tuple[float, float, str]] | None) -> _Room:
    from .foods import blocked_food_limits, fluid_ml

    ul_room = {}
    for k in ("calcium_mg", "vitamin_d_ug"):
        t = ctx.targets.get(k)
        if t is not None and t.ul is not None:
            ul_room[k] = t.ul - ctx.upper(k) - (after[k] - ctx.daily_mean.get(k, 0.0))
    for nutrient, (k, _) in blocked_food_limits().items():  # a blocked nutrient's total
        used = (limits or {}).get(f"blocked:{nutrient}")
        if used is not None:
            ul_room[k] = min(ul_room.get(k, np.inf), used[1] - used[0])
    fluid = (limits or {}).get("fluid")
    fluid_room = None if fluid is None else fluid[1] - fluid[0]
    water = fluid_ml(candidates()) if fluid_room is not None else None
    return _Room(max(_sodium_cap(ctx) - after["sodium_mg"], 0.0), ul_room, fluid_room, water)


def _best_option(options: list[_Option], short: float) -> _Option | None:
    """The fewest kcal among the options that close the gap; else the one that brings the
    most, if it brings a useful share. A food of a role the plan already fills (a second main
    protein) only when no other food closes the gap; it is then said to go on days without the
    plan's own."""
    free = [o for o in options if not o.full]
    closing = [o for o in free if o.closes] or [o for o in options if o.closes]
    if closing:
        return min(closing, key=lambda o: (o.kcal, o.n, o.food_id))
    if not free:
        return None
    best = max(free, key=lambda o: (o.brings, -o.kcal, o.food_id))
    return None if best.brings < USEFUL_SHARE * short else best


class _ClosingSearch:
    """The candidates :func:`closer` weighs for one gap, with what the plan already uses."""

    def __init__(self, ctx: PlanContext, key: str, short: float,
                 additions: list[FoodAddition], portion_factor: float, room: _Room) -> None:
        from .roles import candidate_roles, child_max_servings

        self.ctx, self.key, self.short, self.additions = ctx, key, short, additions
        self.portion_factor, self.room = portion_factor, room
        self.cands = candidates()
        self.role_of, self.kind_of = candidate_roles(self.cands)
        self.added = {a.food.id: a for a in additions}
        self.used_roles: dict[str, int] = {}
        for a in additions:
            self.used_roles[a.role] = self.used_roles.get(a.role, 0) + 1
        self.used_kinds = {self.kind_of[j] for j, f in enumerate(self.cands.foods)
                           if f.id in self.added}
        self.most = MAX_SERVINGS_PER_FOOD if portion_factor >= 0.999 else child_max_servings()

    def options(self, pool: np.ndarray) -> list[_Option]:
        return [o for j in np.flatnonzero(pool) for o in self._options_for(j)]

    def _servings(self, j: int) -> tuple[list[int], Any, bool] | None:
        """(numbers of servings to try, the serving, whether its role is full), or None when
        the food cannot be named: the plan already adds the most of it, or adds a food of the
        same kind."""
        from .roles import roles, scale_amount

        base = self.added.get(self.cands.foods[j].id)
        if base is not None:
            return (None if base.servings >= self.most else ([1], base.amount, False))
        if self.kind_of[j] and self.kind_of[j] in self.used_kinds:
            return None
        role = str(self.role_of[j])
        full = self.used_roles.get(role, 0) >= roles()[role].max_foods
        return (list(range(1, self.most + 1)),
                scale_amount(self.cands.amounts[j], self.portion_factor), full)

    def _value(self, per: np.ndarray, j: int) -> float:
        """How much of the gap's nutrient one serving brings (calcium by absorption)."""
        if self.key == "epa_dha_mg":
            value = epa_dha_mg(per[COL["epa_g"]], per[COL["dha_g"]])
        else:
            value = per[COL[self.key]]
        if self.key == "calcium_mg":
            value = absorbable_calcium_mg(value, float(self.cands.calcium_factor[j]))
        return value

    def _options_for(self, j: int) -> list[_Option]:
        """The food at each number of servings that fits the rooms, up to the first that
        closes the gap."""
        servings = self._servings(j)
        if servings is None:
            return []
        steps, amount, full = servings
        cands, food = self.cands, self.cands.foods[j]
        ratio = amount.grams / cands.amounts[j].grams if cands.amounts[j].grams else 1.0
        per = np.nan_to_num(cands.per_serving[j], nan=0.0) * ratio
        value = self._value(per, j)
        if value <= 0:
            return []
        out = []
        for n in steps:
            if not self.room.fits(per, j, ratio, n):
                continue
            brings = value * n
            closes = brings >= self.short - 0.5
            out.append(_Option(closes, per[COL["energy_kcal"]] * n, n, food.id, j, amount, per,
                               brings, food.id in self.added, str(self.role_of[j]), full))
            if closes:
                break
        return out

    def result(self, best: _Option) -> dict[str, Any]:
        """The chosen option as :func:`closer`'s answer."""
        from .roles import when

        cands, n, amount, per, more = self.cands, best.n, best.amount, best.per, best.more
        food = cands.foods[best.j]
        _meal, words = when(best.role, self.ctx.meals_logged)
        if more:
            words = self.added[food.id].when
        label = cands.common_names[best.j] or food.name
        total = n + (self.added[food.id].servings if more else 0)
        return {
            "food": {"id": food.id, "name": food.name},
            "label": label,
            "amount": amount.text(n),
            "total_amount": amount.text(total) if more else amount.text(n),
            "grams": round(amount.grams * n, 1),
            "brings": round(best.brings, 3),
            "unit": UNIT[self.key],
            "energy_kcal": round(best.kcal, 1),
            "sodium_mg": round(per[COL["sodium_mg"]] * n, 1),
            "closes": bool(best.brings >= self.short - 0.5),
            "more_of_added": bool(more),
            "when": words,
            "instead_of": next((a.label for a in self.additions if a.role == best.role), None)
            if best.full else None,
        }


def _salt(ctx: PlanContext, short: float) -> dict[str, Any] | None:
    """Table salt for sodium below the AI, unless salt advice is withheld or a low-salt diet
    caps sodium."""
    if ctx.constraints.get("no_salt_advice") or ctx.constraints.get("sodium_cap_mg"):
        return None
    salt = default_store().get(SALT_ID)
    if salt is None:
        return None
    tsp = next((p.grams for p in salt.portions if p.unit == "tsp"), None)
    per_g = default_store().per_100g(salt)["sodium_mg"] / 100.0
    if not tsp or not per_g or math.isnan(per_g):
        return None
    steps = [(q, q * tsp * per_g) for q in SALT_STEPS_TSP]
    q, mg = next(((q, mg) for q, mg in steps if mg >= short - 0.5), steps[-1])
    from .candidates import format_amount

    return {"food": {"id": salt.id, "name": salt.name}, "label": "table salt",
            "amount": format_amount(q, "tsp"), "total_amount": format_amount(q, "tsp"),
            "grams": round(q * tsp, 2), "brings": round(mg, 1), "unit": "mg",
            "energy_kcal": 0.0, "sodium_mg": round(mg, 1), "closes": bool(mg >= short - 0.5),
            "more_of_added": False, "when": "in cooking or at the table", "instead_of": None}


def closer_text(c: dict[str, Any], key: str) -> str:
    unit = c["unit"]
    what = f"{c['amount']} more of {lower_first(c['label'])}" if c["more_of_added"] else \
        f"{c['amount']} of {lower_first(c['label'])}"
    cost = f"{fmt(c['brings'], unit)} {unit} {NAME[key].split(' (')[0]}"
    if key != "sodium_mg":
        cost += f", {c['energy_kcal']:,.0f} kcal, {c['sodium_mg']:,.0f} mg sodium"
    if c["closes"]:
        other = (f"; have it on days without the {lower_first(c['instead_of'])}: one "
                 f"{_role_word(c)} a day") if c.get("instead_of") else ""
        return f"{what} {c['when']} closes it ({cost}{other})."
    return f"the most one food can do: {what} {c['when']} brings {cost}."


def _role_word(c: dict[str, Any]) -> str:
    from .roles import candidate_roles, roles

    cands = candidates()
    role_of, _ = candidate_roles(cands)
    index = {f.id: j for j, f in enumerate(cands.foods)}
    j = index.get(c["food"]["id"])
    role = roles().get(str(role_of[j])) if j is not None else None
    return role.label.split(" (")[0].removeprefix("the ").removeprefix("a ") \
        if role is not None else "food of its kind"


# --------------------------------------------------------------------------- what is left short


def unmet(ctx: PlanContext, *, before: dict[str, float], after: dict[str, float],
          counted_calcium: float, additions: list[FoodAddition], decisions: dict[str, str],
          limits: dict[str, tuple[float, float, str]], exercise: dict[str, Any] | None,
          portion_factor: float = 1.0) -> list[dict[str, Any]]:
    """Every target below its goal after the plan, with a reason that is true of this plan."""
    from .sweat import sodium_need_note

    out = []
    blocked = ctx.food_blocks()
    pool: np.ndarray | None = None
    for key in TARGET_KEYS:
        t = ctx.targets.get(key)
        goal, kind = goal_of(key, t)
        if not goal:
            continue
        have = counted_calcium if key == "calcium_mg" else after.get(key, 0.0)
        short = goal - have
        if short <= max(CLOSED_SHARE * goal, 0.5 if UNIT[key] == "mg" else 0.0):
            continue
        unit, name = UNIT[key], NAME[key]
        text = (f"{name[0].upper() + name[1:]} {fmt(have, unit)} of the {fmt(goal, unit)} {unit} "
                f"{kind} a day after the plan: {fmt(short, unit)} {unit} short")
        if t is not None and t.ear and have >= t.ear and kind == "RDA":
            text += f" (above the EAR of {fmt(t.ear, unit)} {unit})"
        parts = [text + "."]
        if key == "calcium_mg" and after["calcium_mg"] >= goal > counted_calcium:
            poor = [f"{lower_first(a.label)} ({a.calcium_factor:.0%} of its calcium counts)"
                    for a in additions if a.calcium_factor < POORLY_ABSORBED]
            parts.append(f"Calcium reads {fmt(after['calcium_mg'], unit)} mg, above the {kind}, "
                         "but counted by how well it is absorbed (relative to milk; Weaver 1999)"
                         + (f" it is less: {'; '.join(poor)}." if poor else " it is less."))
        block = blocked.get(BLOCK_NUTRIENT.get(key, ""))
        if block:
            parts.append(f"No food rich in {name} is added ({block}).")
        elif key == "sodium_mg":
            parts.append(_sodium_reason(ctx, exercise, goal))
        elif key == "epa_dha_mg" and _no_fish(ctx):
            parts.append("No fish is allowed by the diet or avoid list; an algal oil (EPA and "
                         "DHA from algae) is the plant source.")
        else:
            parts.append(_food_limit(additions, limits))
        if key in decisions and not (block and key == "potassium_mg"):
            parts.append(decisions[key][0].upper() + decisions[key][1:] + ".")
        if key == "sodium_mg" and exercise is not None and t is not None and t.ai:
            parts.append(sodium_need_note(exercise, t.ai))
        if pool is None and key != "sodium_mg":
            pool = food_pool(ctx)
        close = closer(ctx, key, short, additions, after, portion_factor, pool, limits)
        if close is not None:
            sentence = closer_text(close, key)
            parts.append(sentence[0].upper() + sentence[1:])
        elif not block and key not in ("sodium_mg", "epa_dha_mg"):
            parts.append("No everyday food that fits your diet, the foods you avoid and the "
                         "limits above closes it in one or two servings: a dietitian can help.")
        row: dict[str, Any] = {"nutrient": key, "reason": " ".join(parts),
                               "short": round(short, 3), "unit": unit, "goal": goal,
                               "goal_kind": kind, "after": round(have, 3),
                               "closes_with": close}
        out.append(row)
    return out


def _no_fish(ctx: PlanContext) -> bool:
    return ctx.diet in ("vegan", "vegetarian") or any("fish" in a.lower() for a in ctx.avoid)


def _food_limit(additions: list[FoodAddition],
                limits: dict[str, tuple[float, float, str]]) -> str:
    """Why the food plan stopped: the limits it reached (a limit is reached when the additions
    use 80 % of it), or its weighing of the gaps."""
    reached = []
    if len(additions) >= MAX_FOODS:
        reached.append(f"it already adds {len(additions)} foods, its most")
    for name, (used, limit, words) in limits.items():
        if limit <= 0:
            reached.append(f"no room is left under {words}" if name != "energy"
                           else "no added energy is allowed")
        elif used >= 0.8 * limit:
            reached.append(f"it uses {used:,.0f} of {words}")
    if reached:
        return "The food plan stops at its limits: " + "; and ".join(reached) + "."
    return ("The food plan weighs this gap against another change to your day (magnesium and "
            "calcium come first, one food per role).")


def reasons_text(reasons: str) -> str:
    """"a; b; c" (the gate's reasons) as "a, b and c"."""
    parts = [p.strip() for p in str(reasons).split("; ") if p.strip()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _sodium_reason(ctx: PlanContext, exercise: dict[str, Any] | None, goal: float) -> str:
    withheld = ctx.constraints.get("no_salt_advice")
    cap = ctx.constraints.get("sodium_cap_mg")
    if withheld or cap:
        why = reasons_text(withheld) if withheld else "your low-salt diet"
        return (f"Because of {why}, crampcheck adds no salt: your clinician sets how much sodium "
                "is right for you.")
    return ("Foods as logged hold little salt; salt added in cooking or at the table counts only "
            "when it is logged. The food plan adds no salty foods.")
