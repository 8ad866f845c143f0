"""From a quantity and unit to grams of one food.

Order of preference (the result says which was used, ``grams_method``):

1. ``mass`` — the unit is a mass (g, oz, lb…): converted with pint.
2. ``portion`` — the food's own USDA household measure for that unit (a cup of cooked
   spinach is 180 g, a cup of raw spinach 30 g), or for a size word or count ("1 medium
   banana", "2 eggs").
3. ``density`` — a volume unit the food has no measure for: the density from any of the
   food's volume measures (a tablespoon from its cup weight).
4. ``assumed`` — nothing in the food's data fits: a volume is taken at the density of water
   (1 g/ml); a count is taken as the food's first USDA serving. The note says so.

References
----------
USDA SR24 and FoodData Central household measures ("gram weights"), see
``crampcheck/foods/data/PROVENANCE.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..foods.search import singular, tokens
from ..foods.store import Food, Portion
from .units import SIZE_WORDS, to_grams, to_milliliters, unit_kind

WATER_G_PER_ML = 1.0  # assumed density when a food has no volume measure
SIZE_PREFERENCE = ("medium", "large", "small", "extra large", "jumbo", "extra small")
COUNT_WORDS = ("each", "item", "whole", "fruit", "piece", "unit")


@dataclass(frozen=True)
class Grams:
    grams: float
    method: str  # mass | portion | density | assumed
    portion: str | None = None  # USDA's label of the measure used
    note: str | None = None


def _desc_score(portion: Portion, words: set[str]) -> int:
    return len(set(tokens(portion.label)) & words)


def _best(portions: list[Portion], words: set[str]) -> Portion:
    # the measure whose description shares most words with the text; USDA's order breaks ties
    return max(enumerate(portions), key=lambda ip: (_desc_score(ip[1], words), -ip[0]))[1]


def _volume_portions(food: Food) -> list[tuple[Portion, float]]:
    out = []
    for p in food.portions:
        if unit_kind(p.unit) == "volume" and p.unit not in ("pinch", "dash"):
            out.append((p, p.grams / to_milliliters(1.0, p.unit)))
    return out


def resolve_grams(food: Food, quantity: float, unit: str | None, size: str | None,
                  food_words: str = "") -> Grams:
    """Grams of ``food`` in ``quantity`` ``unit`` (or ``size``/count when ``unit`` is None)."""
    words = set(tokens(food_words))
    if unit is not None and unit_kind(unit) == "mass":
        return Grams(to_grams(quantity, unit), "mass")
    if unit is not None:
        same = [p for p in food.portions if p.unit == unit]
        if size:
            sized = [p for p in same if size in p.label.lower()]
            same = sized or same
        if same:
            p = _best(same, words)
            return Grams(quantity * p.grams, "portion", p.label)
        if unit_kind(unit) == "volume":
            ml = to_milliliters(quantity, unit)
            vols = _volume_portions(food)
            if vols:
                p, density = max(vols, key=lambda pd: (_desc_score(pd[0], words), -vols.index(pd)))
                return Grams(ml * density, "density", p.label,
                             f"density {density:.3f} g/ml from USDA '{p.label}'")
            return Grams(ml * WATER_G_PER_ML, "assumed", None,
                         f"no USDA volume measure for this food: assumed {WATER_G_PER_ML:g} g/ml")
        return _count(food, quantity, size, words, unit)
    return _count(food, quantity, size, words, None)


def _count(food: Food, quantity: float, size: str | None, words: set[str],
           unit: str | None) -> Grams:
    portions = list(food.portions)
    if not portions:
        return Grams(quantity * 100.0, "assumed", None,
                     "this food has no USDA household measure: assumed 100 g each; "
                     "give the amount in grams or cups for a better estimate")
    name_words = {singular(t) for t in tokens(food.name.split(",")[0])}
    countable = [p for p in portions if unit_kind(p.unit) == "count"]
    if size:
        # the measure named by the size itself ("large") before one that mentions it
        # ("1/4 of medium tomato"); "small" must not pick "extra small"
        sized = [p for p in countable if p.unit == size] or [
            p for p in countable if size in tokens(p.label)
            and f"extra {size}" not in p.label.lower()]
        if sized:
            p = _best(sized, words)
            return Grams(quantity * p.grams, "portion", p.label)
    named = [p for p in countable if singular(p.unit) in name_words
             or singular(p.unit) in words or p.unit in COUNT_WORDS]
    if named:
        mediums = [p for p in named if "medium" in p.label.lower()]
        p = _best(mediums or named, words)
        note = f"no '{size}' measure: used USDA '{p.label}'" if size else None
        return Grams(quantity * p.grams, "portion", p.label, note)
    for pref in SIZE_PREFERENCE:
        sized = [p for p in countable if p.unit == pref or pref in tokens(p.label)]
        if sized:
            p = _best(sized, words)
            note = f"no size given: used USDA '{p.label}'" if size is None else (
                f"no '{size}' measure: used USDA '{p.label}'")
            return Grams(quantity * p.grams, "portion", p.label, note)
    if unit is not None and countable:
        p = countable[0]
        return Grams(quantity * p.grams, "assumed", p.label,
                     f"no USDA measure for '{unit}' of this food: used USDA '{p.label}'")
    p = portions[0]
    what = f"'{unit}'" if unit else "a count"
    return Grams(quantity * p.grams, "assumed", p.label,
                 f"no USDA measure for {what} of this food: used USDA '{p.label}'")


__all__ = ["Grams", "resolve_grams", "SIZE_WORDS"]
