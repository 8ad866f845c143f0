"""From a quantity and unit to grams of one food.

Order of preference (the result says which was used, ``grams_method``):

1. ``mass`` — the unit is a mass (g, oz, lb…): converted with pint.
2. ``portion`` — the food's own USDA household measure for that unit (a cup of cooked
   spinach is 180 g, a cup of raw spinach 30 g), or for a size word or count ("1 medium
   banana", "2 eggs").
3. ``density`` — a volume unit the food has no measure for: the density from any of the
   food's volume measures (a tablespoon from its cup weight).
4. ``assumed`` — nothing in the food's data fits: a container or hand measure the food has
   no USDA measure for ("glass", "bowl", "handful", "bottle", "shot", "square") is taken at
   its documented default size (``knowledge/data/container_sizes.toml``; wine, beer and
   crisps have their own); a volume is taken at the density of water (1 g/ml); a count is
   taken as the food's first USDA serving. The note says so.

US customary volumes are US measures: a pint is 16 US fl oz (473 ml), and the note says so
when it is converted.

References
----------
USDA SR24 and FoodData Central household measures ("gram weights"), see
``crampcheck/foods/data/PROVENANCE.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..foods.search import singular, tokens
from ..foods.store import Food, Portion
from .units import (
    SIZE_WORDS,
    UNIT_EQUIVALENTS,
    US_VOLUME_NOTES,
    DefaultSize,
    ServingSize,
    canonical_unit,
    container_sizes,
    food_container_sizes,
    serving_sizes,
    to_grams,
    to_milliliters,
    unit_kind,
)

WATER_G_PER_ML = 1.0  # assumed density when a food has no volume measure
SIZE_PREFERENCE = ("medium", "large", "small", "extra large", "jumbo", "extra small")
COUNT_WORDS = ("each", "item", "whole", "fruit", "piece", "unit")
# Measures of a pack rather than of one piece: not used for a bare count ("2 weetabix")
PACK_UNITS = frozenset({"serving", "package", "packet", "container", "box", "bag", "jar",
                        "can", "bottle", "pouch", "recipe", "carton", "individual", "tub",
                        "envelope", "cup", "portion"})
# Parts of a plant, not a serving of it
PLANT_PARTS = frozenset({"leaf", "bunch", "head", "stalk", "sprig", "spear", "floret", "pod",
                         "clove", "package", "bag"})
# Label words for a smaller or bigger than usual piece ("bar fun size", "bar king size")
ODD_SIZE_WORDS = frozenset({"fun", "king", "miniature", "mini", "snack", "bite", "share"})


@dataclass(frozen=True)
class Grams:
    grams: float
    method: str  # mass | portion | density | assumed
    portion: str | None = None  # USDA's label of the measure used
    note: str | None = None
    served: bool = False  # a serving size of container_sizes.toml for this food was used
    specific: bool = False  # ... one named for the food's own words (a latte, a can of cola)


SHELL_WORDS = frozenset({"shell", "hull", "unshelled", "inshell"})


def _kernels(portions: list[Portion], words: set[str]) -> list[Portion]:
    """Measures of the food as the line means it: in-shell measures ("cup, with hulls",
    "cup, in shell") only when the line says in shell or with hulls; kernels otherwise."""
    if SHELL_WORDS & words:
        shelled = [p for p in portions if SHELL_WORDS & set(tokens(p.label))]
        return shelled or portions
    kept = [p for p in portions if not SHELL_WORDS & set(tokens(p.label))]
    return kept or portions


def _desc_score(portion: Portion, words: set[str]) -> int:
    return len(set(tokens(portion.label)) & words)


def _best(portions: list[Portion], words: set[str]) -> Portion:
    # the measure whose description shares most words with the text; USDA's order breaks ties
    return max(enumerate(portions), key=lambda ip: (_desc_score(ip[1], words), -ip[0]))[1]


_LABEL_VOLUME = re.compile(r"(\d+\s+\d+/\d+|\d+/\d+|\d*\.?\d+)\s*"
                           r"(cups?|tbsp|tablespoons?|tsp|teaspoons?|fl\.?\s*oz)\b",
                           re.IGNORECASE)


def _volume_portions(food: Food) -> list[tuple[Portion, float]]:
    """The food's measures that give a density (g/ml): volume units, and serving labels that
    state a volume ("serving 1/2 cup", "2 TBSP")."""
    from .amounts import parse_number

    out = []
    for p in _kernels(list(food.portions), set()):
        if unit_kind(p.unit) == "volume" and p.unit not in ("pinch", "dash"):
            out.append((p, p.grams / to_milliliters(1.0, p.unit)))
            continue
        m = _LABEL_VOLUME.search(p.label)
        if m and p.unit in ("serving", "container", "portion"):
            try:
                amount = parse_number(m.group(1))
            except (ValueError, ZeroDivisionError):
                continue
            vol_unit = canonical_unit(m.group(2).replace(".", "").replace(" ", ""))
            if vol_unit and amount > 0:
                out.append((p, p.grams / to_milliliters(amount, vol_unit)))
    return out


def container_size(food: Food, unit: str | None) -> DefaultSize | None:
    """The default size of ``unit`` ("glass", "bowl"…) for ``food``, or None.

    None when the food has a USDA measure of that name (USDA's "glass (3.5 fl oz)" of dessert
    wine is kept) or the unit is no container. A size for a word in the food's name ("wine",
    "beer", "chip") comes before the general one.
    """
    if unit is None:
        return None
    names = (unit, *UNIT_EQUIVALENTS.get(unit, ()))
    if any(p.unit in names for p in food.portions):
        return None
    name_words = set(tokens(food.name))
    for (word, container), size in food_container_sizes().items():
        if container == unit and word in name_words:
            return size
    return container_sizes().get(unit)


def serving_size(food: Food, unit: str | None, size: str | None,
                 words: set[str]) -> tuple[DefaultSize, bool, bool] | None:
    """The serving people mean by ``unit`` (None: a bare count) of ``food`` when USDA gives
    none (``container_sizes.toml`` entries with food words, a category or a size): the most
    specific entry that fits, whether the size asked for was found, and whether the entry
    names the food's own words (rather than its category)."""
    key = unit or "each"
    if key == "serving":
        # "1 portion of shepherd's pie": a serving-size entry of its own, else one serving
        return serving_size(food, "each", size, words) if not any(
            e.unit == "serving" for e in serving_sizes()
            if e.food_words <= set(tokens(food.name))
            and (e.category is None or (food.source == "FNDDS"
                                        and e.category in food.category.lower()))) else \
            _serving_entry(food, "serving", size, words)
    return _serving_entry(food, key, size, words)


def _serving_entry(food: Food, key: str, size: str | None,
                   words: set[str]) -> tuple[DefaultSize, bool, bool] | None:
    unit = None if key == "each" else key
    if unit is not None and unit != "each":
        names = (unit, *UNIT_EQUIVALENTS.get(unit, ()))
        if any(p.unit in names for p in food.portions):
            return None
    name_words = set(tokens(food.name))
    category = food.category.lower()
    wanted = {w for w in (size, *words) if w}
    best: tuple[tuple[int, int, int], ServingSize] | None = None
    for e in serving_sizes():
        if e.unit != key or not e.food_words <= name_words:
            continue
        if e.category is not None and (food.source != "FNDDS" or e.category not in category):
            continue  # categories are the survey's (WWEIA); SR food groups are no match
        if e.size_word is not None and e.size_word not in wanted:
            continue
        rank = (int(e.size_word is not None), len(e.food_words), len(e.category or ""))
        if best is None or rank > best[0]:
            best = (rank, e)
    if best is None:
        return None
    found_size = size is None or best[1].size_word == size
    return best[1].size, found_size, bool(best[1].food_words)


def resolve_grams(food: Food, quantity: float, unit: str | None, size: str | None,
                  food_words: str = "", amount_given: bool = True) -> Grams:
    """Grams of ``food`` in ``quantity`` ``unit`` (or ``size``/count when ``unit`` is None).
    ``amount_given`` False: the line names no amount ("spinach"), so one serving is meant
    unless the food is counted in pieces named after it ("banana")."""
    words = set(tokens(food_words))
    if unit is not None and unit_kind(unit) == "mass":
        return Grams(to_grams(quantity, unit), "mass")
    if unit is not None and unit_kind(unit) == "count":
        served = serving_size(food, unit, size, words)
        if served is not None:
            return _served(food, quantity, served, food_words)
    default = container_size(food, unit)
    if default is not None:
        inner = resolve_grams(food, quantity * default.quantity, default.unit, None, food_words)
        note = default.basis + (f"; {inner.note}" if inner.note else "")
        return Grams(inner.grams, "assumed", inner.portion, note)
    if unit is not None:
        own = _kernels(list(food.portions), words)
        same = [p for p in own if p.unit == unit] or [
            p for p in own if p.unit in UNIT_EQUIVALENTS.get(unit, ())]
        if size:
            sized = [p for p in same if size in p.label.lower()]
            same = sized or same
        if same:
            p = _best(same, words)
            note = None if p.unit == unit else f"'{unit}' read as USDA's '{p.label}'"
            return Grams(quantity * p.grams, "portion", p.label, note)
        if unit_kind(unit) == "volume":
            ml = to_milliliters(quantity, unit)
            vols = _volume_portions(food)
            us = f"{US_VOLUME_NOTES[unit]}; " if unit in US_VOLUME_NOTES else ""
            if vols:
                p, density = max(vols, key=lambda pd: (_desc_score(pd[0], words), -vols.index(pd)))
                return Grams(ml * density, "density", p.label,
                             f"{us}density {density:.3f} g/ml from USDA '{p.label}'")
            return Grams(ml * WATER_G_PER_ML, "assumed", None,
                         f"{us}no USDA volume measure for this food: assumed "
                         f"{WATER_G_PER_ML:g} g/ml")
        return _count(food, quantity, size, words, unit)
    return _count(food, quantity, size, words, None, amount_given)


def _served(food: Food, quantity: float, served: tuple[DefaultSize, bool, bool],
            food_words: str) -> Grams:
    default, found_size, specific = served
    inner = resolve_grams(food, quantity * default.quantity, default.unit, None, food_words)
    note = default.basis if found_size else f"no size given or found: {default.basis}"
    if inner.method == "density" and inner.note:
        note += f"; {inner.note}"
    elif inner.method == "assumed" and inner.note:
        note += f"; {inner.note}"
    return Grams(inner.grams, "assumed", inner.portion, note, served=True, specific=specific)


SPREAD_WORDS = frozenset({"butter", "spread", "jam", "jelly", "honey", "syrup", "dressing",
                          "sauce", "mayonnaise", "hummus", "dip", "preserve", "nutella",
                          "oil", "cream", "cheese"})


def _one_serving(food: Food, portions: list[Portion]):
    """A bare count of a food USDA measures only by volume ("peanut butter", "oatmeal"): one
    serving, USDA's labelled serving when it has one, else 2 tbsp of a spread, else a cup."""
    labelled = [p for p in portions if ("serving" in p.label.lower() or p.unit == "container")
                and unit_kind(p.unit) != "mass"]
    name = set(tokens(food.name.split(",")[0]))
    tbsp = [p for p in portions if p.unit == "tbsp"]
    cups = [p for p in portions if p.unit == "cup"]
    if labelled:
        p = labelled[0]
        grams, label = p.grams, p.label
    elif tbsp and name & SPREAD_WORDS:
        p = tbsp[0]
        grams, label = 2 * p.grams, "2 tbsp"
    elif cups:
        p = cups[0]
        grams, label = p.grams, p.label
    else:
        return None
    note = f"no amount given: one serving taken, USDA '{label}'"
    return lambda quantity: Grams(quantity * grams, "assumed", p.label, note)


LAST_RESORT_NOTE = ("this food has no USDA household measure and no serving size is known: "
                    "assumed 100 g each; give the amount in grams or cups for a better estimate")


def _count(food: Food, quantity: float, size: str | None, words: set[str],
           unit: str | None, amount_given: bool = True) -> Grams:
    portions = list(food.portions)
    if not portions:
        served = serving_size(food, None, size, words) if unit is None else None
        if served is not None:
            return _served(food, quantity, served, " ".join(sorted(words)))
        return Grams(quantity * 100.0, "assumed", None, LAST_RESORT_NOTE)
    countable = [p for p in portions if unit_kind(p.unit) == "count"]
    sized = _sized_portion(countable, size, words) if size else None
    if sized is not None:
        return Grams(quantity * sized.grams, "portion", sized.label)
    named = _named_portion(food, countable, words)
    if named is not None:
        note = f"no '{size}' measure: used USDA '{named.label}'" if size else None
        return Grams(quantity * named.grams, "portion", named.label, note)
    served = serving_size(food, None, size, words)
    if served is not None and unit is None:
        return _served(food, quantity, served, " ".join(sorted(words)))
    for pref in SIZE_PREFERENCE:
        sized_list = [p for p in countable if p.unit == pref or pref in tokens(p.label)]
        if sized_list:
            p = _best(sized_list, words)
            note = f"no size given: used USDA '{p.label}'" if size is None else (
                f"no '{size}' measure: used USDA '{p.label}'")
            return Grams(quantity * p.grams, "portion", p.label, note)
    return _fallback_count(food, portions, countable, quantity, unit, amount_given)


def _sized_portion(countable: list[Portion], size: str, words: set[str]) -> Portion | None:
    """The count measure named by the size itself ("large") before one that mentions it
    ("1/4 of medium tomato"); "small" must not pick "extra small"."""
    sized = [p for p in countable if p.unit == size] or [
        p for p in countable if size in tokens(p.label)
        and f"extra {size}" not in p.label.lower()]
    return _best(sized, words) if sized else None


def _named_portion(food: Food, countable: list[Portion], words: set[str]) -> Portion | None:
    """A count measure named after the food or the line's words ("1 banana", "2 slices"), a
    medium or usual-size one first."""
    name_words = {singular(t) for t in tokens(food.name.split(",")[0])}
    named = [p for p in countable if singular(p.unit) in name_words
             or singular(p.unit) in words or p.unit in COUNT_WORDS
             or (p.unit == "serving" and words - {"serving"} & set(tokens(p.label)))]
    # "unit (yield from 1 lb ready-to-cook chicken)" is what a pound yields, not a piece
    named = [p for p in named if "yield from" not in p.label.lower()] or named
    if not named:
        return None
    mediums = [p for p in named if "medium" in p.label.lower()]
    usual = [p for p in named if not ODD_SIZE_WORDS & set(tokens(p.label))]
    return _best(mediums or usual or named, words)


def _fallback_count(food: Food, portions: list[Portion], countable: list[Portion],
                    quantity: float, unit: str | None, amount_given: bool) -> Grams:
    """A count with no measure named by the size, the food or the line: one serving or the
    food's one-piece measure when no unit is written, else the first count measure, else
    USDA's first measure (each said in the note)."""
    pieces = [p for p in countable if p.unit not in PACK_UNITS]
    if unit is None and not amount_given:
        # no amount written: one serving, a whole piece ("toast": a slice) but no part of a
        # plant ("spinach" is a cup, not a leaf or a bunch)
        pieces = [p for p in pieces if p.unit not in PLANT_PARTS]
    if unit is None and not pieces:
        serving = _one_serving(food, portions)
        if serving is not None:
            return serving(quantity)
    if unit is None and pieces:
        # the food's one-piece measure: a Weetabix "biscuit", a Brazil nut "kernel"
        p = pieces[0]
        return Grams(quantity * p.grams, "portion", p.label,
                     f"counted in USDA's measure '{p.label}'")
    if unit is not None and countable:
        p = countable[0]
        return Grams(quantity * p.grams, "assumed", p.label,
                     f"no USDA measure for '{unit}' of this food: used USDA '{p.label}'")
    p = portions[0]
    what = f"'{unit}'" if unit else "a count"
    return Grams(quantity * p.grams, "assumed", p.label,
                 f"no USDA measure for {what} of this food: used USDA '{p.label}'")


__all__ = ["Grams", "LAST_RESORT_NOTE", "container_size", "resolve_grams", "serving_size",
           "SIZE_WORDS"]
