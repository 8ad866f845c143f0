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
from dataclasses import dataclass, replace

from ..foods.search import COLOURS, FORM_WORDS, singular, tokens
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
    # the line counts pieces or parts ("10 cashews", "4 florets") or gives a volume of a food
    # with no USDA measure of it: a similar food's measure is the better guess
    # (:func:`piece_of_kin`, called by crampcheck.totals)
    measure_missing: bool = False


SHELL_WORDS = frozenset({"shell", "hull", "unshelled", "inshell"})


def _kernels(portions: list[Portion], words: set[str]) -> list[Portion]:
    """Measures of the food as the line means it: in-shell measures ("cup, with hulls",
    "cup, in shell") only when the line says in shell or with hulls; kernels otherwise."""
    if SHELL_WORDS & words:
        shelled = [p for p in portions if SHELL_WORDS & set(tokens(p.label))]
        return shelled or portions
    kept = [p for p in portions if not SHELL_WORDS & set(tokens(p.label))]
    return kept or portions


# a count in a measure's label: "oz (23 whole kernels)", "cup shelled (50 halves)",
# "oz (10-12 kernels)", "portion (6-8 nachos)"
_LABEL_COUNT = re.compile(r"\(\s*(\d+)(?:\s*-\s*(\d+))?\s+([a-z][a-z ]*)\)", re.IGNORECASE)
_LABEL_AMOUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s")


def label_pieces(food: Food, words: set[str]) -> list[Portion]:
    """One piece of ``food`` read from the count in a USDA label: "oz (23 whole kernels)" is
    28.35 g / 23 = 1.23 g a kernel. Counts of servings or slices-per-package are no pieces."""
    out = []
    for p in _kernels(list(food.portions), words):
        m = _LABEL_COUNT.search(p.label)
        if not m:
            continue
        noun = singular(m.group(3).split()[-1].lower())
        if noun in ("serving", "portion") or canonical_unit(noun) is not None and \
                unit_kind(canonical_unit(noun) or "") in ("mass", "volume"):
            continue
        count = (int(m.group(1)) + int(m.group(2) or m.group(1))) / 2
        amount = _LABEL_AMOUNT.match(p.label)
        total = p.grams * (float(amount.group(1)) if amount else 1.0)
        if count > 0:
            out.append(Portion(noun, f"{p.label}: {total:g} g / {count:g}", total / count))
    return out


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
            p for p in own if p.unit in UNIT_EQUIVALENTS.get(unit, ())] or [
            # a measure named in the label: "small box (1.5 oz)" of raisins
            p for p in own if unit_kind(unit) == "count" and unit in tokens(p.label)
            and unit_kind(p.unit) == "count"]
        if size:
            sized = [p for p in same if size in p.label.lower()]
            same = sized or same
        elif len(same) > 1:
            # "half a head of cauliflower": the medium head, not USDA's first (large) one
            same = [p for p in same if "medium" in p.label.lower()] or same
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
                         f"{WATER_G_PER_ML:g} g/ml", measure_missing=True)
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

    def one(quantity: float) -> Grams:
        said = note if quantity == 1 else f"counted in servings: each one USDA '{label}'"
        return Grams(quantity * grams, "assumed", p.label, said)

    return one


LAST_RESORT_NOTE = ("this food has no USDA household measure and no serving size is known: "
                    "assumed 100 g each; give the amount in grams or cups for a better estimate")


# measures that stand for a piece of anything ("1 piece of cornbread": USDA's "piece")
PIECE_WORDS = frozenset(COUNT_WORDS)


def _count(food: Food, quantity: float, size: str | None, words: set[str],
           unit: str | None, amount_given: bool = True) -> Grams:
    portions = list(food.portions)
    if not portions:
        served = serving_size(food, None, size, words) if unit is None else None
        if served is not None:
            g = _served(food, quantity, served, " ".join(sorted(words)))
            return replace(g, measure_missing=amount_given)
        return Grams(quantity * 100.0, "assumed", None, LAST_RESORT_NOTE,
                     measure_missing=amount_given)
    if unit is not None and unit not in PIECE_WORDS:
        # a part or a pack the food has no measure of ("4 florets", "a bag of peanuts"):
        # never another part's or a piece's weight ("bunch", "peanut")
        return _other_measure(food, quantity, unit)
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
    return _fallback_count(food, portions, countable, quantity, unit, amount_given, words)


def _sized_portion(countable: list[Portion], size: str, words: set[str]) -> Portion | None:
    """The count measure named by the size itself ("large") before one that mentions it
    ("1/4 of medium tomato"); "small" must not pick "extra small"."""
    sized = [p for p in countable if p.unit == size] or [
        p for p in countable if size in tokens(p.label)
        and f"extra {size}" not in p.label.lower()]
    return _best(sized, words) if sized else None


def _named_portion(food: Food, countable: list[Portion], words: set[str]) -> Portion | None:
    """A count measure named after the food or the line's words ("1 banana", "2 slices"), a
    medium or usual-size one first, and the piece the line names before a generic one ("fish
    sticks": the stick, not USDA's bigger "piece")."""
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
    pool = mediums or usual or named
    return _best([p for p in pool if singular(p.unit) in words] or pool, words)


def _fallback_count(food: Food, portions: list[Portion], countable: list[Portion],
                    quantity: float, unit: str | None, amount_given: bool,
                    words: set[str]) -> Grams:
    """A count with no measure named by the size, the food or the line: one serving or the
    food's one-piece measure when no unit is written (a piece counted in a USDA label, "oz
    (18 kernels)", when the food has no piece measure), else the first count measure, else
    USDA's first measure (each said in the note)."""
    pieces = [p for p in countable if p.unit not in PACK_UNITS]
    if unit is None and not amount_given:
        # no amount written: one serving, a whole piece ("toast": a slice) but no part of a
        # plant ("spinach" is a cup, not a leaf or a bunch)
        pieces = [p for p in pieces if p.unit not in PLANT_PARTS]
        if not pieces:
            serving = _one_serving(food, portions)
            if serving is not None:
                return serving(quantity)
    if unit is None and not pieces:
        return _counted_or_served(food, portions, quantity, words, amount_given)
    if unit is None and pieces:
        # the food's one-piece measure: a Weetabix "biscuit", a Brazil nut "kernel"
        p = pieces[0]
        return Grams(quantity * p.grams, "portion", p.label,
                     f"counted in USDA's measure '{p.label}'")
    if unit is not None and countable:
        p = countable[0]
        return Grams(quantity * p.grams, "assumed", p.label,
                     f"no USDA measure for '{unit}' of this food: used USDA '{p.label}'",
                     measure_missing=True)
    return _first_measure(portions, quantity, unit)


def _counted_or_served(food: Food, portions: list[Portion], quantity: float, words: set[str],
                       amount_given: bool) -> Grams:
    """A count of a food with no piece measure: a piece counted in a USDA label ("oz (18
    kernels)"), else one serving a count ("2 peanut butter" is two servings; "10 cashews" are
    pieces, a similar food's: crampcheck.totals), else USDA's first measure."""
    if amount_given:
        counted = label_pieces(food, words)
        if counted:
            p = _best(counted, words)
            return Grams(quantity * p.grams, "portion", p.label,
                         f"one piece from USDA '{p.label}'")
    serving = _one_serving(food, portions)
    if serving is not None:
        return replace(serving(quantity), measure_missing=True)
    return _first_measure(portions, quantity, None)


def _first_measure(portions: list[Portion], quantity: float, unit: str | None) -> Grams:
    p = portions[0]
    what = f"'{unit}'" if unit else "a count"
    return Grams(quantity * p.grams, "assumed", p.label,
                 f"no USDA measure for {what} of this food: used USDA '{p.label}'",
                 measure_missing=True)


def _other_measure(food: Food, quantity: float, unit: str) -> Grams:
    """A part or pack ``unit`` the food has no USDA measure of: the food's serving (its
    labelled serving, else its first measure), said to be a guess; a similar food's measure of
    that name comes first (crampcheck.totals)."""
    portions = list(food.portions)
    labelled = [p for p in portions if p.unit == "serving" or "serving" in p.label.lower()]
    p = (labelled or portions)[0]
    return Grams(quantity * p.grams, "assumed", p.label,
                 f"no USDA measure for '{unit}' of this food: one serving taken, USDA "
                 f"'{p.label}' (a guess; give the weight for a better estimate)",
                 measure_missing=True)


def piece_of_kin(food: Food, quantity: float, unit: str | None, size: str | None,
                 food_words: str, kin: list[Food]) -> Grams | None:
    """Grams from the piece or part measure of a similar USDA food, when ``food`` has none:
    "10 cashews" of dry-roasted cashews (cup, tbsp and oz only) weighed by the kernel of
    "Nuts, cashew nuts, oil roasted" ('oz (18 kernels)'); "4 florets" of raw broccoli by
    "Broccoli, flower clusters, raw" ('floweret'). ``kin`` are the candidates, best first; a
    kin must have the food's own words (the noun past a class word: "cashew", "olive",
    "shrimp"). Only a measure of one piece or of the part named counts, never a serving, a cup
    or a pack. The result is ``assumed`` and says where the weight came from."""
    from ..foods.search import default_index

    index = default_index()
    mine = index.info(food.index)
    own = mine.first_plain - PREP_WORDS_FOR_KIN - SOLID_FORMS - FORM_WORDS
    if not own:
        return None
    words = set(tokens(food_words))
    volume = unit is not None and unit_kind(unit) == "volume"
    usable = []
    for other in kin:
        if other.id == food.id or other.branded or not other.portions:
            continue
        info = index.info(other.index)
        # the same noun and the food's own words ("cashew", not "almond"; "edam", not
        # "cream" cheese); a colour may differ ("black" olives by "ripe" ones)
        if info.caps or info.brand_first or not (info.nouns & mine.nouns) or \
                not (own - COLOURS) <= info.tokens or info.unasked - mine.unasked or \
                (KIN_UNLIKE & info.tokens) - mine.tokens:
            continue  # (no soup mix for a soup, no fast-food breaded shrimp for shrimp)
        if volume and info.preps != mine.preps:
            continue  # a cup weighs by the state: raw, cooked, dried
        # the most alike first: "Nuts, hazelnuts or filberts" before "Hazelnuts, beaked
        # (Northern Plains Indians)"
        usable.append((0 if own <= info.tokens else 1, _unlike(food, other), len(usable),
                       other))
    for *_, other in sorted(usable, key=lambda x: x[:3]):
        g = _piece_only(other, quantity, unit, size, words)
        if g is not None:
            grams, label = g
            return Grams(grams, "assumed", label,
                         f"no USDA '{unit or 'piece'}' measure for this food: used USDA "
                         f"'{label}' of a similar food, {other.name}")
    return None


PREP_WORDS_FOR_KIN = frozenset({"raw", "cooked", "dried", "fresh"})
# a kin with these words (the food has none) is a different product: breaded, a take-away's
KIN_UNLIKE = frozenset({"fast", "restaurant", "breaded", "battered", "coated"})


def _unlike(food: Food, other: Food) -> float:
    """How far ``other``'s energy, protein, fat and carbohydrate per 100 g are from
    ``food``'s (relative, summed; unknown values count as far)."""
    from ..foods.store import default_store

    store = default_store()
    a, b = store.per_100g(food), store.per_100g(other)
    out = 0.0
    for key in ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g"):
        x, y = a.get(key), b.get(key)
        if x is None or y is None:
            out += 1.0
        else:
            out += abs(x - y) / max(x, y, 1.0)
    return out
# how a solid is cut: a cup of it weighs by that ("cup, crumbled" feta, "cup, grated" carrot)
SOLID_FORMS = frozenset({"crumbled", "grated", "shredded", "chopped", "diced", "sliced",
                         "ground", "slivered", "whole", "mashed", "cubed", "halves", "halve",
                         "half", "pieces", "piece", "melted", "packed", "pureed", "flowerets"})


def _volume_of_form(food: Food, quantity: float, unit: str,
                    words: set[str]) -> tuple[float, str] | None:
    """``quantity`` ``unit`` (a volume) of ``food`` from its own volume measure of the form
    the line or the food's name says (crumbled, grated, whole...), else None: a cup of
    crumbled feta is never weighed by a cup of cubed feta, nor as water."""
    forms = SOLID_FORMS & (words | set(tokens(food.name)))
    fits = []
    for p, density in _volume_portions(food):
        label_forms = SOLID_FORMS & set(tokens(p.label))
        if (forms and forms & label_forms) or (not forms and label_forms <= {"whole"}):
            fits.append((p, density))
    if not fits:
        return None
    p, density = max(fits, key=lambda pd: (_desc_score(pd[0], words), -fits.index(pd)))
    return to_milliliters(quantity, unit) * density, p.label


def _piece_only(food: Food, quantity: float, unit: str | None, size: str | None,
                words: set[str]) -> tuple[float, str] | None:
    """``quantity`` pieces of ``food`` by a USDA measure of one piece (or of the part
    ``unit``), else None."""
    own = _kernels(list(food.portions), words)
    if unit is not None and unit_kind(unit) == "volume":
        return _volume_of_form(food, quantity, unit, words)
    if unit is not None and unit not in PIECE_WORDS:
        names = (unit, *UNIT_EQUIVALENTS.get(unit, ()))
        same = [p for p in own if p.unit in names]
        if not same:
            return None
        sized = [p for p in same if size and size in p.label.lower()]
        medium = [p for p in same if "medium" in p.label.lower()]
        p = _best(sized or medium or same, words)
        return quantity * p.grams, p.label
    g = _count(food, quantity, size, words, None)
    if g.method != "portion" or g.portion is None or g.measure_missing:
        return None
    if unit is not None:
        # "1 piece of salmon": a piece, an item or a size of it, not a kin's whole fillet
        used = next((p for p in food.portions if p.label == g.portion), None)
        if used is not None and used.unit not in PIECE_WORDS and used.unit not in SIZE_WORDS:
            return None
    return g.grams, g.portion


__all__ = ["Grams", "LAST_RESORT_NOTE", "container_size", "label_pieces", "piece_of_kin",
           "resolve_grams", "serving_size",
           "SIZE_WORDS"]
