"""A day a person would eat: the role each food plays, the meal it goes with, children's portions.

Roles are data (``[[roles]]`` in ``knowledge/data/plan_foods.toml``): a glass of milk or a plant
drink, a dish of cooked greens, a nut butter, the main protein of a meal… The food plan adds at
most ``max_foods`` different foods of one role (:mod:`crampcheck.plan.foods`), so it never
proposes soy milk *and* almond milk, or spinach *and* pak choi, on the same day. An everyday food
carries its role in ``plan_everyday_foods.toml``; any other food takes the first role whose rule
matches its USDA name and food group (:func:`role_for`). Two foods of the same *kind* (the first
distinctive word of the name: kale raw and kale cooked, salmon canned and salmon baked) are never
added together either.

Meals: each role lists the meals it goes with; an addition goes to the first of them that the
person logs (a diary line may start with ``breakfast:``), or to the meal at which the person
already eats a food of the same role, else the role's first meal. The text says when ("with
breakfast", "as a snack").

Children: household amounts are scaled by the child's estimated energy need over the 2,000 kcal
that adult reference amounts assume (Dietary Guidelines for Americans 2020–2025, Appendix 2),
rounded down to an everyday household step (:func:`child_factor`, :func:`scale_amount`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from .. import knowledge
from ..models import Person
from .candidates import (
    COUNT_STEPS,
    UNIT_STEPS,
    Amount,
    Candidates,
    everyday_entries,
    has_phrase,
    head_token,
    norm,
)

MEALS = ("breakfast", "lunch", "dinner", "snack")
WHEN = {"breakfast": "with breakfast", "lunch": "with lunch", "dinner": "with dinner",
        "snack": "as a snack"}


@dataclass(frozen=True)
class Role:
    id: str
    label: str
    max_foods: int
    meals: tuple[str, ...]
    rule: dict[str, Any]

    def matches(self, normed: str, category: str) -> bool:
        rule = self.rule
        starts = [f" {' '.join(s.lower().split())} " for s in rule.get("starts", [])]
        words = rule.get("words", [])
        name_rule = bool(starts or words)
        by_name = any(normed.startswith(s) for s in starts) or any(
            has_phrase(normed, w) for w in words)
        cats = rule.get("categories")
        by_cat = cats is not None and category in cats
        if rule.get("match") == "any":
            ok = by_name or by_cat
        else:
            ok = (by_name or not name_rule) and (by_cat or cats is None) and (
                name_rule or cats is not None)
        if not ok:
            return False
        with_words = rule.get("with_words")
        if with_words and not any(has_phrase(normed, w) for w in with_words):
            return False
        return not any(has_phrase(normed, w) for w in rule.get("without_words", []))


@cache
def roles() -> dict[str, Role]:
    """Every role of ``plan_foods.toml`` by id, in rule order (the last, ``other``, matches
    nothing by rule: it is the fallback)."""
    out: dict[str, Role] = {}
    for r in knowledge.load("plan_foods")["roles"]:
        out[r["id"]] = Role(r["id"], r["label"], int(r["max_foods"]), tuple(r["meals"]), r)
    return out


def role_for(name: str, category: str) -> str:
    """The role of a food by its USDA name and food group (the first rule that matches)."""
    normed = norm(name)
    for role in roles().values():
        if role.id != "other" and role.matches(normed, category):
            return role.id
    return "other"


def kind_of(name: str) -> str | None:
    """The kind of food: the first distinctive word of its name ("Kale, raw" → "kale")."""
    return head_token(name)


def candidate_roles(cands: Candidates) -> tuple[np.ndarray, list[str | None]]:
    """Role and kind of every candidate food (aligned with ``cands.foods``), computed once per
    candidate set and kept on it."""
    cached = getattr(cands, "_roles_kinds", None)
    if cached is not None:
        return cached
    everyday = everyday_entries()
    out_roles = []
    for food in cands.foods:
        entry = everyday.get(food.id)
        role = entry.get("role") if entry else None
        out_roles.append(role if role in roles() else role_for(food.name, food.category))
    result = (np.array(out_roles, dtype=object), [kind_of(f.name) for f in cands.foods])
    cands._roles_kinds = result  # type: ignore[attr-defined]
    return result


# --------------------------------------------------------------------------- meals


@cache
def _meal_words() -> dict[str, str]:
    entry = knowledge.load("plan_foods")["meal_words"][0]
    return {word: meal for meal in MEALS for word in entry.get(meal, [])}


def meal_of(word: str | None) -> str | None:
    """The plan's meal (breakfast, lunch, dinner, snack) a diary meal word means."""
    if not word:
        return None
    return _meal_words().get(word.strip().lower())


def meal_fit_cost() -> float:
    return float(knowledge.load("plan_foods")["meal_fit"][0]["cost_per_serving"])


def when(role_id: str, logged: Iterable[str], role_meals: dict[str, str] | None = None
         ) -> tuple[str, str]:
    """(meal, words) for a food of ``role_id``: the meal where the person already eats a food of
    that role, else the role's first meal that the person logs, else the role's first meal."""
    role = roles().get(role_id) or roles()["other"]
    logged = [m for m in logged if m in MEALS]
    if role_meals and role_meals.get(role_id):
        meal = role_meals[role_id]
    else:
        meal = next((m for m in role.meals if m in logged), role.meals[0])
    return meal, WHEN.get(meal, "with a meal")


# --------------------------------------------------------------------------- children


@cache
def _child_rule() -> dict[str, Any]:
    return knowledge.load("plan_foods")["child_portions"][0]


def child_factor(person: Person) -> float:
    """Share of an adult portion for ``person``: estimated energy need (DGA 2020–2025,
    moderately active) over the 2,000 kcal reference, at most 1 (adults: 1)."""
    rule = _child_rule()
    rows = rule["energy"]
    if person.age >= max(r["age"] for r in rows) + 1:
        return 1.0
    age = max(int(person.age), min(r["age"] for r in rows))
    row = next(r for r in rows if r["age"] == age)
    kcal = float(row["male"] if person.sex == "male" else row["female"])
    return min(1.0, kcal / float(rule["reference_kcal"]))


def child_max_servings() -> int:
    return int(_child_rule()["max_servings_per_food"])


def scale_amount(amount: Amount, factor: float) -> Amount:
    """The household amount nearest below ``factor`` × ``amount`` (at least the smallest step of
    its unit): 1 cup × 0.8 → 3/4 cup; 3 oz × 0.5 → 1.5 oz; 1 medium × 0.7 → 1/2 medium."""
    if factor >= 0.999:
        return amount
    unit = amount.unit.split(",")[0].split("(")[0].strip()
    if unit.startswith("cup"):
        steps: tuple[float, ...] = UNIT_STEPS["cup"]
    elif unit in UNIT_STEPS:
        steps = UNIT_STEPS[unit] if unit != "oz" else (0.5,) + UNIT_STEPS["oz"]
    else:
        steps = COUNT_STEPS
    want = amount.quantity * factor
    below = [s for s in steps if s <= want + 1e-9]
    quantity = max(below) if below else min(steps)
    if quantity >= amount.quantity - 1e-9:
        return amount
    grams = amount.grams * quantity / amount.quantity
    return Amount(quantity, amount.unit, grams)


def scaled_servings(cands: Candidates, idx: np.ndarray, factor: float
                    ) -> tuple[list[Amount], np.ndarray]:
    """Child-sized amounts of the candidate rows ``idx`` and their per-serving nutrient rows."""
    amounts = [scale_amount(cands.amounts[j], factor) for j in idx]
    ratio = np.array([a.grams / cands.amounts[j].grams if cands.amounts[j].grams else 1.0
                      for a, j in zip(amounts, idx, strict=True)])
    per = cands.per_serving[idx] * ratio[:, None]
    return amounts, per


def describe_factor(person: Person, factor: float) -> str:
    kcal = round(factor * float(_child_rule()["reference_kcal"]))
    return (f"Portions are sized for age {person.age:g}: about {math.floor(factor * 100)} % of an "
            f"adult serving (an estimated {kcal:,} kcal a day against the 2,000 kcal adult "
            "amounts assume; Dietary Guidelines for Americans 2020–2025), one serving of each "
            "food at most.")
