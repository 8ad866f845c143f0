"""Units people write for food amounts: an alias layer in front of a small pint registry.

``canonical_unit("Tbsp")`` gives ``"tbsp"``; :func:`to_grams` and :func:`to_milliliters`
convert mass and volume units with pint's factors (worked out at build time into
``unit_factors.json``). Countable units (slice, piece, clove…) have no fixed
size: they are resolved against the food's own USDA portions (see ``crampcheck.intake.grams``).

References
----------
NIST Handbook 44 (2024), Appendix C, "General Tables of Units of Measurement" (US customary
volume and avoirdupois mass).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

MASS_UNITS = frozenset({"g", "mg", "kg", "oz", "lb"})
VOLUME_UNITS = frozenset(
    {"ml", "l", "cl", "dl", "fl oz", "cup", "tbsp", "tsp", "pint", "quart", "gallon", "pinch",
     "dash"}
)
# Countable units: sized by the food's own portions.
COUNT_UNITS = frozenset(
    {"slice", "piece", "can", "clove", "stick", "leaf", "stalk", "spear", "fillet", "link",
     "patty", "bar", "scoop", "packet", "container", "bottle", "bunch", "head", "sprig",
     "serving", "handful", "wedge", "strip", "sheet", "cube", "jar", "package", "pat", "ear",
     "steak", "breast", "thigh", "drumstick", "wing", "muffin", "cookie", "cracker", "tortilla",
     "roll", "bun", "bagel", "pita", "fruit", "item", "each", "whole", "glass", "mug",
     "bowl", "shot", "jigger", "envelope", "pod", "floret", "chop", "cake", "square", "bag",
     "kernel", "pot", "tub", "order", "rasher", "sachet", "carton", "plate", "box"}
)
# Measures that are also the name of a food: "1 bagel" is one bagel, not a bagel of nothing.
FOOD_NAMED_UNITS = frozenset(
    {"bagel", "muffin", "cookie", "cracker", "tortilla", "roll", "bun", "pita", "steak",
     "breast", "thigh", "drumstick", "wing", "cake", "chop", "patty", "link", "bar", "fillet"}
)


@dataclass(frozen=True)
class DefaultSize:
    """The size assumed for a container or hand measure the food has no USDA measure for.

    ``quantity`` ``unit`` (a mass or volume unit) stands for one of the measure; ``basis``
    says where the figure comes from, or that it is an assumption.
    """

    quantity: float
    unit: str
    basis: str


def _container_entries() -> list[dict]:
    from ..knowledge import load

    return load("container_sizes")["sizes"]


def _plain(e: dict) -> bool:
    return not any(k in e for k in ("food_word", "category", "size"))


@cache
def container_sizes() -> dict[str, DefaultSize]:
    """Sizes assumed for containers and hand measures ("glass", "handful"), from
    ``knowledge/data/container_sizes.toml``; used only when the food has no USDA measure of
    that name."""
    return {e["unit"]: DefaultSize(float(e["quantity"]), e["size_unit"], e["basis"])
            for e in _container_entries() if _plain(e)}


@cache
def food_container_sizes() -> dict[tuple[str, str], DefaultSize]:
    """The same measures for particular drinks and snacks, keyed by (a word in the USDA food
    name, measure): a glass of wine is 5 fl oz, a bottle of wine 750 ml."""
    return {(e["food_word"], e["unit"]): DefaultSize(float(e["quantity"]), e["size_unit"],
                                                     e["basis"])
            for e in _container_entries() if isinstance(e.get("food_word"), str)
            and "category" not in e and "size" not in e}


@dataclass(frozen=True)
class ServingSize:
    """A serving people mean that USDA's measures of the food lack: "1 latte", "1 can of
    cola", "a pot of yogurt", "1 order" of a take-away dish, "double espresso".

    It applies to ``unit`` (``each`` for a bare count) of a food whose USDA name has every
    word of ``food_words`` and whose USDA (WWEIA) category contains ``category`` (when
    given); ``size`` ("large", "double") must then be what the line says.
    """

    unit: str
    size: DefaultSize
    food_words: frozenset[str]
    category: str | None
    size_word: str | None


@cache
def serving_sizes() -> tuple[ServingSize, ...]:
    """The food- or category-specific entries of ``container_sizes.toml``."""
    from ..foods.search import singular

    out = []
    for e in _container_entries():
        if _plain(e):
            continue
        words = e.get("food_word", [])
        words = [words] if isinstance(words, str) else list(words)
        out.append(ServingSize(
            e["unit"], DefaultSize(float(e["quantity"]), e["size_unit"], e["basis"]),
            frozenset(singular(w.lower()) for w in words),
            e.get("category", "").lower() or None, e.get("size")))
    return tuple(out)


# Measures another name may stand for in USDA's data: a shot of spirits is USDA's jigger.
UNIT_EQUIVALENTS: dict[str, tuple[str, ...]] = {
    "shot": ("jigger",), "jigger": ("shot",), "pot": ("container",), "tub": ("container",),
    "carton": ("container",), "slice": ("wedge",), "rasher": ("slice",),
    "sachet": ("packet",), "packet": ("envelope",),
    # USDA's words for the same part: "floweret" of cauliflower; a celery stick is a stalk
    "floret": ("floweret",), "stick": ("stalk",), "bag": ("package",),
}
# Volume units that differ between the US and the UK: the US size is used and the note says so.
US_VOLUME_NOTES = {
    "pint": "a US pint (16 fl oz, 473 ml); a UK pint is 568 ml (write '568 ml')",
    "quart": "a US quart (32 fl oz, 946 ml)",
    "gallon": "a US gallon (128 fl oz, 3.79 l)",
}
SIZE_WORDS = ("extra large", "extra small", "jumbo", "large", "medium", "small")

_ALIASES: dict[str, str] = {
    # mass
    "g": "g", "gr": "g", "gm": "g", "gms": "g", "gram": "g", "grams": "g", "gramme": "g",
    "grammes": "g", "grm": "g",
    "mg": "mg", "milligram": "mg", "milligrams": "mg",
    "kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg",
    "oz": "oz", "ozs": "oz", "ounce": "oz", "ounces": "oz", "onz": "oz",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
    # volume
    "ml": "ml", "mls": "ml", "milliliter": "ml", "milliliters": "ml", "millilitre": "ml",
    "millilitres": "ml", "cc": "ml",
    "l": "l", "liter": "l", "liters": "l", "litre": "l", "litres": "l", "ltr": "l",
    "cl": "cl", "centiliter": "cl", "centilitre": "cl", "dl": "dl", "deciliter": "dl",
    "decilitre": "dl",
    "fl oz": "fl oz", "floz": "fl oz", "fl. oz": "fl oz", "fl.oz": "fl oz", "fluid ounce": "fl oz",
    "fluid ounces": "fl oz", "fl ounce": "fl oz", "fl ounces": "fl oz", "oza": "fl oz",
    "cup": "cup", "cups": "cup", "c": "cup",
    "tbsp": "tbsp", "tbsps": "tbsp", "tbs": "tbsp", "tbl": "tbsp", "tbsp.": "tbsp",
    "tablespoon": "tbsp", "tablespoons": "tbsp", "T": "tbsp",
    "tsp": "tsp", "tsps": "tsp", "tsp.": "tsp", "teaspoon": "tsp", "teaspoons": "tsp", "t": "tsp",
    "pint": "pint", "pints": "pint", "pt": "pint",
    "quart": "quart", "quarts": "quart", "qt": "quart",
    "gallon": "gallon", "gallons": "gallon", "gal": "gallon",
    "pinch": "pinch", "pinches": "pinch", "dash": "dash", "dashes": "dash",
}
_PLURALS = {
    "slices": "slice", "pieces": "piece", "pcs": "piece", "pc": "piece", "cans": "can",
    "tin": "can", "tins": "can",
    "cloves": "clove", "sticks": "stick", "leaves": "leaf", "stalks": "stalk", "spears": "spear",
    "fillets": "fillet", "filet": "fillet", "filets": "fillet", "links": "link",
    "patties": "patty", "bars": "bar", "scoops": "scoop", "packets": "packet",
    "containers": "container", "bottles": "bottle", "bunches": "bunch", "heads": "head",
    "sprigs": "sprig", "servings": "serving", "portion": "serving", "portions": "serving",
    "handfuls": "handful", "wedges": "wedge", "strips": "strip", "sheets": "sheet",
    "cubes": "cube", "jars": "jar", "packages": "package", "pkg": "package", "pats": "pat",
    "ears": "ear", "steaks": "steak", "breasts": "breast", "thighs": "thigh",
    "drumsticks": "drumstick", "wings": "wing", "muffins": "muffin", "cookies": "cookie",
    "crackers": "cracker", "tortillas": "tortilla", "rolls": "roll", "buns": "bun",
    "bagels": "bagel", "pitas": "pita", "glasses": "glass", "mugs": "mug", "bowls": "bowl",
    "shots": "shot", "jiggers": "jigger", "envelopes": "envelope", "pods": "pod",
    "florets": "floret", "chops": "chop", "cakes": "cake", "items": "item", "unit": "item",
    "units": "item", "squares": "square", "bags": "bag", "kernels": "kernel",
    "pots": "pot", "tubs": "tub", "orders": "order", "rashers": "rasher", "sachets": "sachet",
    "cartons": "carton", "plates": "plate", "boxes": "box", "plateful": "plate",
    "handfull": "handful",
    "handfulls": "handful", "hanful": "handful", "bowlful": "bowl",
    "mugfull": "mug", "cupful": "cup", "tub.": "tub",
}

_UNIT_WORD = re.compile(r"[a-z.]+", re.IGNORECASE)


def canonical_unit(word: str) -> str | None:
    """The canonical unit for a word people write, or None.

    ``T`` and ``t`` (capital and small) are read as tablespoon and teaspoon, as in recipes;
    every other alias is case-insensitive.
    """
    w = word.strip()
    if w in ("T", "t"):
        return _ALIASES[w]
    lw = w.lower().rstrip(".") if w.lower() not in _ALIASES else w.lower()
    if lw in _ALIASES:
        return _ALIASES[lw]
    if lw in COUNT_UNITS:
        return lw
    if lw in _PLURALS:
        return _PLURALS[lw]
    return None


def unit_kind(unit: str) -> str:
    """``mass``, ``volume`` or ``count``."""
    if unit in MASS_UNITS:
        return "mass"
    if unit in VOLUME_UNITS:
        return "volume"
    return "count"


_PINT_NAMES = {"fl oz": "floz", "pint": "pt", "quart": "qt", "gallon": "gal"}


@cache
def _registry():
    import pint  # imported on first use: keeps start-up light for inputs in grams

    path = resources.files("crampcheck.intake").joinpath("units.txt")
    return pint.UnitRegistry(str(path), cache_folder=None)


def pint_factor(unit: str, target: str) -> float:
    """How many ``target`` units one ``unit`` is, worked out by pint from ``units.txt``."""
    reg = _registry()
    return float(reg.Quantity(1.0, _PINT_NAMES.get(unit, unit)).to(target).magnitude)


#: Every conversion crampcheck makes (mass units to g, volume units to ml), worked out by pint
#: at build time (``scripts/build_artefacts.py``) and committed: importing pint and reading its
#: registry costs a quarter of a second on every run, the table a fraction of a millisecond.
FACTOR_TABLE = "unit_factors.json"


def factor_table() -> dict[str, float]:
    """``"unit>target"`` -> factor for every mass unit to g and volume unit to ml (pint)."""
    pairs = [(u, "g") for u in sorted(MASS_UNITS)] + [(u, "ml") for u in sorted(VOLUME_UNITS)]
    return {f"{u}>{t}": pint_factor(u, t) for u, t in pairs}


def units_digest() -> str:
    import hashlib

    data = resources.files("crampcheck.intake").joinpath("units.txt").read_bytes()
    return hashlib.sha256(data).hexdigest()


@cache
def _committed_factors() -> dict[str, float]:
    """The committed table, or nothing when ``units.txt`` changed after it was built."""
    import json

    path = resources.files("crampcheck.intake").joinpath(FACTOR_TABLE)
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    if table.get("units_sha256") != units_digest():
        return {}
    return {k: float(v) for k, v in table["factors"].items()}


@cache
def factor(unit: str, target: str) -> float:
    """How many ``target`` units one ``unit`` is (pint's arithmetic: from the committed table
    when it has the pair, else from pint itself)."""
    found = _committed_factors().get(f"{unit}>{target}")
    return found if found is not None else pint_factor(unit, target)


def to_grams(quantity: float, unit: str) -> float:
    """Grams in ``quantity`` of a mass ``unit``."""
    return quantity * factor(unit, "g")


def to_milliliters(quantity: float, unit: str) -> float:
    """Millilitres in ``quantity`` of a volume ``unit``."""
    return quantity * factor(unit, "ml")


@dataclass(frozen=True)
class SideAmount:
    quantity: float
    unit: str
    basis: str


@cache
def _side_entries() -> list[dict]:
    from ..knowledge import load

    return list(load("container_sizes").get("sides", []))


def side_amount(food, main_food) -> SideAmount | None:
    """How much of ``food`` goes with ``main_food`` when a meal line does not say ("cereal
    with milk", "toast with butter"), from ``container_sizes.toml`` [[sides]]: the entry
    whose food words are all in the food's USDA name and whose ``with`` words (any one) are
    in the main food's name or category; the most specific entry wins."""
    from ..foods.search import singular, tokens

    name = set(tokens(food.name))
    main = set(tokens(f"{main_food.name} {main_food.category}")) if main_food else set()
    best: tuple[tuple[int, int], dict] | None = None
    for e in _side_entries():
        words = e.get("food_word", [])
        words = {singular(words)} if isinstance(words, str) else {singular(w) for w in words}
        if not words <= name:
            continue
        with_words = e.get("with", [])
        if with_words and not set(with_words) & main:
            continue
        category = e.get("category")
        if category and category not in food.category.lower():
            continue
        rank = (int(bool(with_words)), len(words) + int(bool(category)))
        if best is None or rank > best[0]:
            best = (rank, e)
    if best is None:
        return None
    e = best[1]
    return SideAmount(float(e["quantity"]), e["size_unit"], e["basis"])
