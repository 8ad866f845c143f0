"""The foods a plan may propose: filtered once from the USDA table, each with one household amount.

Rules are data (``knowledge/data/plan_foods.toml``): which USDA food groups and name words are
left out (baby, fast and restaurant foods, mixed dishes, sweets, raw meat, flours and powders,
organ meats, salted/fried twins, brand-name items), the reference serving per food group (close
to the FDA RACC, 21 CFR 101.12), diets and the FDA major allergens.

*Everyday foods* (``knowledge/data/plan_everyday_foods.toml``, built by
``scripts/build_everyday_foods.py``) are the foods the published "food sources of …" tables list
(NIH ODS fact sheets, Dietary Guidelines for Americans): they join the set whatever the rules
above say, in the table's household amount ("1 oz", "1/2 cup", "1 medium"), and the optimiser
strongly prefers them (:mod:`crampcheck.plan.foods`). A food needs values for
energy, calcium, magnesium, potassium and sodium (missing is never read as zero) and an amount
that can be said in household words from its own USDA portions (or ounces by weight for nuts,
seeds, cheese, tofu, fish and meat).

Calcium is also counted as *milk-equivalent absorbable calcium*:
``calcium_mg × min(1, f_food / f_milk)`` with fractional absorption ``f`` from Weaver et al.
(1999) (milk 32.1 %, spinach 5.1 %, beans 22–27 %, almonds 21 % …), from
``knowledge.absorption.calcium_absorption`` (``calcium_absorption.toml``). Foods absorbed better
than milk are not credited beyond their calcium content; foods without data count at face
value.

References
----------
.. [1] Weaver CM, Proulx WR, Heaney R (1999). Choices for achieving adequate dietary calcium with
   a vegetarian diet. Am J Clin Nutr 70(3 Suppl):543S–548S.
.. [2] FDA. 21 CFR 101.12, Reference amounts customarily consumed per eating occasion.
.. [3] FDA. Food Allergies: the nine major food allergens (FALCPA 2004, FASTER Act 2021).
.. [4] USDA ARS. FoodData Central; SR24.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from .. import knowledge
from ..foods.schema import NUTRIENTS
from ..foods.store import Food, Portion, default_store
from ..models import Citation

COL = {k: i for i, k in enumerate(NUTRIENTS)}
REQUIRED = ("energy_kcal", "calcium_mg", "magnesium_mg", "potassium_mg", "sodium_mg")
OZ_G = 28.349523125

CUP_STEPS = (0.25, 1 / 3, 0.5, 2 / 3, 0.75, 1.0, 1.5, 2.0)
UNIT_STEPS: dict[str, tuple[float, ...]] = {
    "cup": CUP_STEPS,
    "tbsp": (1.0, 2.0, 3.0),
    "tsp": (1.0, 2.0),
    "oz": (1.0, 1.5, 2.0, 3.0, 4.0),
    "fl oz": (4.0, 6.0, 8.0, 12.0),
}
COUNT_UNITS = {
    "piece", "slice", "medium", "large", "small", "fruit", "fillet", "chop", "breast", "thigh",
    "drumstick", "stalk", "spear", "leaf", "ear", "patty", "item", "bar", "steak", "link", "wing",
    "strip", "container",
}
COUNT_STEPS = (0.5, 1.0, 2.0)
WEIGHT_OZ_CATEGORIES = {
    "Nut and Seed Products", "Nuts and seeds", "Finfish and Shellfish Products", "Fish",
    "Shellfish", "Beef Products", "Pork Products", "Lamb, Veal, and Game Products",
    "Poultry Products",
}
WEIGHT_OZ_WORDS = ("cheese", "tofu", "peanuts", "tempeh")
#: groups whose foods may be weighed in ounces when a name word above asks for it
WEIGHT_OZ_WORD_CATEGORIES = {
    "Dairy and Egg Products", "Legumes and Legume Products", "Cheese",
    "Soy and meat-alternative products",
}
MAX_SERVING_RATIO = 1.8
FRACTIONS = {0.25: "1/4", 1 / 3: "1/3", 0.5: "1/2", 2 / 3: "2/3", 0.75: "3/4", 1.5: "1 1/2"}
_BRAND = re.compile(r"\b[A-Z][A-Z'&]{2,}\b")
_LEADING_QTY = re.compile(r"^(\d+(?:\.\d+)?)\s*(.*)$")
GENERIC_WORDS = {
    "raw", "cooked", "nfs", "with", "without", "and", "salt", "added", "boiled", "drained",
    "fresh", "frozen", "canned", "products", "whole", "mature", "seeds", "seed", "nuts", "nut",
    "beverages", "cereals", "the", "from", "for", "not", "all", "types", "plain", "regular",
    "kernels", "dried", "dry", "roasted", "unsalted", "solids", "liquids", "prepared", "commercial",
    "ready", "eat", "fat", "low", "free", "reduced", "percent", "fluid", "vegetables", "fruits",
    "juice", "fortified", "unfortified", "enriched", "unenriched", "style", "made", "home",
    "vitamin", "grade", "grades", "lean", "only", "separable", "trimmed",
}


def norm(text: str) -> str:
    """Lower-case words separated by single spaces, padded with spaces for phrase search."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


@cache
def _phrase(phrase: str) -> str:
    return f" {' '.join(re.findall(r'[a-z0-9]+', phrase.lower()))} "


def has_phrase(normed: str, phrase: str) -> bool:
    return _phrase(phrase) in normed


def strip_phrases(normed: str, phrases: list[str]) -> str:
    for phrase in phrases:
        p = _phrase(phrase)
        while p in normed:
            normed = normed.replace(p, " ")
    return normed


def head_token(name: str) -> str | None:
    """The first distinctive word of a food name ("Kale, scotch, raw" → "kale")."""
    for word in re.findall(r"[a-z]{3,}", name.lower()):
        if word not in GENERIC_WORDS and word not in ("fish", "cheese", "beans", "milk"):
            return word.rstrip("s")
    return None


def key_tokens(name: str) -> set[str]:
    """Distinctive words of a food name (first two comma parts, generic words dropped)."""
    head = ",".join(name.split(",")[:2])
    words = re.findall(r"[a-z]{3,}", head.lower())
    return {w.rstrip("s") for w in words if w not in GENERIC_WORDS}


@dataclass
class Amount:
    """A household amount: ``quantity`` × ``unit`` (e.g. 0.5 × "cup, chopped") = ``grams``."""

    quantity: float
    unit: str
    grams: float

    def text(self, servings: int = 1) -> str:
        total = self.quantity * servings
        nice = float(total).is_integer() or any(
            math.isclose(total, v, rel_tol=1e-6) for v in FRACTIONS)
        if servings > 1 and not nice:
            return f"{servings} × {format_amount(self.quantity, self.unit)}"
        return format_amount(total, self.unit)


def format_amount(quantity: float, unit: str) -> str:
    for value, label in FRACTIONS.items():
        if math.isclose(quantity, value, rel_tol=1e-6):
            q = label
            break
    else:
        q = f"{quantity:g}"
    if quantity > 1 and (unit == "cup" or unit.startswith("cup,") or unit.startswith("cup ")):
        unit = "cups" + unit[3:]
    return f"{q} {unit}"


@dataclass
class Candidates:
    """The filtered candidate foods (arrays aligned by row)."""

    foods: list[Food]
    amounts: list[Amount]
    per_serving: np.ndarray  # (n, len(NUTRIENTS)), NaN where the food has no value
    calcium_factor: np.ndarray  # milk-equivalent absorbable fraction of the calcium, ≤ 1
    calcium_citations: list[list[Citation]]
    normed: list[str]
    tokens: list[set[str]]
    reported: np.ndarray  # bool: the food is FNDDS or its key words appear in FNDDS foods
    everyday: np.ndarray  # bool: listed by a published food-source table (plan_everyday_foods)
    common_names: list[str | None]  # the table's name for an everyday food
    diet_excluded: dict[str, np.ndarray] = field(default_factory=dict)
    allergen_excluded: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.foods)

    def column(self, key: str) -> np.ndarray:
        """Per-serving values of one nutrient, NaN as 0 (used for optimisation only)."""
        return np.nan_to_num(self.per_serving[:, COL[key]], nan=0.0)


# --------------------------------------------------------------------------- rules


def _rules() -> dict[str, Any]:
    return knowledge.load("plan_foods")


def _matches_rule(normed: str, category: str, rule: dict[str, Any]) -> bool:
    """Whether a food falls under a diet or allergen rule (group, group words or name words)."""
    name = strip_phrases(normed, rule.get("except", []))
    if category in rule.get("categories", []):
        keep = rule.get("keep_words", [])
        if not any(has_phrase(name, w) for w in keep):
            return True
    for cat, words in rule.get("category_words", {}).items():
        if category == cat and any(has_phrase(name, w) for w in words):
            return True
    return any(has_phrase(name, w) for w in rule.get("words", []))


def _excluded(food: Food, normed: str, rules: dict[str, Any]) -> bool:
    if _BRAND.search(food.name):
        return True
    for rule in rules["exclude_categories"]:
        if food.category in rule["categories"]:
            if not any(has_phrase(normed, w) for w in rule.get("keep_words", [])):
                return True
        if any(food.category.startswith(p) or food.name.startswith(p)
               for p in rule.get("prefixes", [])):
            return True
    for rule in rules["exclude_words"]:
        cats = rule.get("categories")
        if cats is not None and food.category not in cats:
            continue
        name = strip_phrases(normed, rule.get("except", []))
        if any(has_phrase(name, w) for w in rule["words"]):
            return True
    return False


def _target_grams(food: Food, normed: str, rules: dict[str, Any]) -> float:
    for rule in rules["servings"]:
        if food.category in rule["categories"]:
            for word, grams in rule.get("words", {}).items():
                if has_phrase(normed, word):
                    return float(grams)
            return float(rule["grams"])
    return 100.0


def _portion_units(portion: Portion) -> tuple[str, float, str] | None:
    """(kind, grams of one unit, label) for a usable USDA portion, else None."""
    label = portion.label.strip()
    qty = 1.0
    m = _LEADING_QTY.match(label)
    if m:
        qty = float(m.group(1))
        label = m.group(2).strip()
    if qty <= 0 or portion.grams <= 0:
        return None
    if "yield" in label or "shell" in label or "refuse" in label:
        return None
    unit = portion.unit.lower()
    per_unit = portion.grams / qty
    if unit == "cup" or label.startswith("cup"):
        if "(" in label and "fl oz" not in label and "nlea" not in label.lower():
            label = label.split("(")[0].strip().rstrip(",")
        if "nlea" in label.lower() or "fl oz" in label:
            label = "cup"
        return "cup", per_unit, label
    if unit in ("tbsp", "tablespoon") or label.startswith("tbsp") or label.startswith("tablespoon"):
        return "tbsp", per_unit, "tbsp"
    if unit == "tsp" or label.startswith("tsp"):
        return "tsp", per_unit, "tsp"
    if unit == "fl oz":
        return "fl oz", per_unit, "fl oz"
    if unit == "oz" and label.startswith("oz"):
        return "oz", OZ_G, "oz"
    if unit in COUNT_UNITS and "yield" not in label and "serving" not in label:
        return "count", per_unit, label
    return None


def choose_amount(food: Food, target_g: float, weight_oz: bool) -> Amount | None:
    """The household amount of ``food`` nearest ``target_g`` (within a factor 1.8)."""
    options: list[Amount] = []
    for portion in food.portions:
        parsed = _portion_units(portion)
        if parsed is None:
            continue
        kind, per_unit, label = parsed
        steps = COUNT_STEPS if kind == "count" else UNIT_STEPS[kind]
        for step in steps:
            options.append(Amount(step, label, per_unit * step))
    if weight_oz:
        options.extend(Amount(step, "oz", OZ_G * step) for step in UNIT_STEPS["oz"])
    best: Amount | None = None
    best_err = math.log(MAX_SERVING_RATIO)
    for option in options:
        err = abs(math.log(option.grams / target_g))
        if err < best_err - 1e-9:
            best, best_err = option, err
    return best


# --------------------------------------------------------------------------- absorption


MILK_REFERENCE = "Milk, whole, 3.25% milkfat, with added vitamin D"


def calcium_factor(name: str) -> tuple[float, list[Citation]]:
    """Milk-equivalent share of a food's calcium that counts: ``min(1, f_food / f_milk)``.

    Fractions ``f`` come from :func:`crampcheck.knowledge.absorption.calcium_absorption`
    (Weaver et al. 1999). Without data the factor is 1 (the calcium counts at face value).
    """
    from ..knowledge.absorption import calcium_absorption

    milk = calcium_absorption(MILK_REFERENCE)
    found = calcium_absorption(name)
    if milk is None or found is None:
        return 1.0, []
    fraction, cites = found
    return min(1.0, float(fraction) / float(milk[0])), list(cites)


# --------------------------------------------------------------------------- everyday foods


def everyday_entries() -> dict[str, dict[str, Any]]:
    """Offered entries of ``plan_everyday_foods.toml`` by USDA food id."""
    return {e["id"]: e for e in knowledge.load("plan_everyday_foods")["foods"]
            if e.get("offer", True)}


def _everyday_amount(entry: dict[str, Any]) -> Amount:
    return Amount(float(entry["quantity"]), str(entry["unit"]), float(entry["grams"]))


# --------------------------------------------------------------------------- the set


def build_candidates() -> Candidates:
    """Every food the plan may propose, worked out from the USDA table and the rules (1–4 s;
    :func:`candidates` loads the same set from the build-time artefact instead)."""
    store = default_store()
    rules = _rules()
    values = np.asarray(store.values)
    required = [COL[k] for k in REQUIRED]
    has_values = ~np.isnan(values[:, required]).any(axis=1)
    alcohol = np.nan_to_num(values[:, COL["alcohol_g"]], nan=0.0) > 0
    fndds_vocab: set[str] = set()
    for i, source in enumerate(store.sources):
        if source == "FNDDS":
            fndds_vocab |= {w.rstrip("s") for w in re.findall(r"[a-z]{3,}",
                                                              store.names[i].lower())}

    everyday = everyday_entries()
    foods: list[Food] = []
    amounts: list[Amount] = []
    rows: list[np.ndarray] = []
    seen: set[str] = set()
    # everyday foods first (they win a name tie), then foods with the most USDA portions
    order = sorted(range(len(store)), key=lambda i: (store.food(i).id not in everyday,
                                                     -len(store.food(i).portions)))
    for i in order:
        if not has_values[i] or alcohol[i]:
            continue
        food = store.food(i)
        normed = norm(food.name)
        if normed in seen:
            continue
        if food.id in everyday:
            seen.add(normed)
            foods.append(food)
            amount = _everyday_amount(everyday[food.id])
            amounts.append(amount)
            rows.append(values[i] * (amount.grams / 100.0))
            continue
        if _excluded(food, normed, rules):
            continue
        head = head_token(food.name)
        if food.source != "FNDDS" and head is not None and head not in fndds_vocab:
            continue  # not a food NHANES participants report eating (sisymbrium seeds…)
        weight_oz = food.category in WEIGHT_OZ_CATEGORIES or (
            food.category in WEIGHT_OZ_WORD_CATEGORIES
            and any(has_phrase(normed, w) for w in WEIGHT_OZ_WORDS))
        amount = choose_amount(food, _target_grams(food, normed, rules), weight_oz)
        if amount is None:
            continue
        seen.add(normed)
        foods.append(food)
        amounts.append(amount)
        rows.append(values[i] * (amount.grams / 100.0))
    order_back = np.argsort([f.index for f in foods])
    foods = [foods[k] for k in order_back]
    amounts = [amounts[k] for k in order_back]
    per_serving = np.vstack(rows)[order_back].astype(np.float64)
    normed_names = [norm(f.name) for f in foods]
    factors = [calcium_factor(f.name) for f in foods]
    tokens = [key_tokens(f.name) for f in foods]
    cands = Candidates(
        foods=foods,
        amounts=amounts,
        per_serving=per_serving,
        calcium_factor=np.array([f for f, _ in factors]),
        calcium_citations=[c for _, c in factors],
        normed=normed_names,
        tokens=tokens,
        reported=np.array([f.source == "FNDDS" or t <= fndds_vocab or f.id in everyday
                           for f, t in zip(foods, tokens, strict=True)]),
        everyday=np.array([f.id in everyday for f in foods]),
        common_names=[everyday[f.id]["table_name"] if f.id in everyday else None
                      for f in foods],
    )
    for diet in rules["diets"]:
        cands.diet_excluded[diet["id"]] = np.array(
            [_matches_rule(n, f.category, diet) for n, f in zip(normed_names, foods, strict=True)])
    for allergen in rules["allergens"]:
        cands.allergen_excluded[allergen["id"]] = np.array(
            [_matches_rule(n, f.category, allergen)
             for n, f in zip(normed_names, foods, strict=True)])
    return cands


# --------------------------------------------------------------------------- the artefact
#
# The candidate set depends only on shipped files, so it is built once, at data-build time
# (``python3 scripts/build_artefacts.py``), into ``plan/data/candidates.npz``: every field of
# :class:`Candidates` as numpy arrays (foods as rows of the USDA table, amounts as
# quantity/unit/grams, string and citation lists as JSON), with a digest of every input
# (:mod:`crampcheck.artefacts`). :func:`candidates` loads it in a few milliseconds; when an
# input has changed since the build it builds the set in-process as before, so the answer is
# never stale, only slower, and ``tests/test_artefacts.py`` fails until it is rebuilt.

ARTEFACT = "plan/data/candidates.npz"
#: Everything :func:`build_candidates` reads, relative to the package: the food table, the
#: rule files and the code that applies them. A change to any of them makes the artefact stale.
ARTEFACT_INPUTS = (
    "foods/data/generic.json",
    "foods/data/generic_values.npy",
    "knowledge/data/plan_foods.toml",
    "knowledge/data/plan_everyday_foods.toml",
    "knowledge/data/calcium_absorption.toml",
    "plan/candidates.py",
    "knowledge/absorption.py",
    "foods/schema.py",
)
#: How each field of :class:`Candidates` is stored, by its annotation. A new field needs an
#: annotation listed here (or a new entry) and a rebuild.
_CODECS = {
    "list[Food]": "foods",
    "list[Amount]": "amounts",
    "np.ndarray": "array",
    "dict[str, np.ndarray]": "masks",
    "list[set[str]]": "json_sets",
    "list[list[Citation]]": "json_citations",
    "list[str]": "json",
    "list[str | None]": "json",
}


def artefact_digest() -> str:
    """The digest of :data:`ARTEFACT_INPUTS` as they are now."""
    from ..artefacts import inputs_digest

    return inputs_digest(ARTEFACT_INPUTS)


def encode_candidates(cands: Candidates, digest: str) -> dict[str, np.ndarray]:
    """The arrays of the artefact for ``cands`` (see :data:`_CODECS`)."""
    from dataclasses import fields

    from ..artefacts import pack_meta

    arrays: dict[str, np.ndarray] = {}
    meta: dict[str, Any] = {"digest": digest, "fields": {}, "json": {}}
    for f in fields(Candidates):
        codec = _CODECS.get(str(f.type))
        if codec is None:
            raise TypeError(f"Candidates.{f.name}: no artefact codec for {f.type!r}; add one to "
                            "plan.candidates._CODECS")
        meta["fields"][f.name] = codec
        value = getattr(cands, f.name)
        if codec == "foods":
            arrays[f.name] = np.array([food.index for food in value], dtype=np.int32)
        elif codec == "amounts":
            arrays[f"{f.name}.quantity"] = np.array([a.quantity for a in value], dtype=np.float64)
            arrays[f"{f.name}.unit"] = np.array([a.unit for a in value], dtype=np.str_)
            arrays[f"{f.name}.grams"] = np.array([a.grams for a in value], dtype=np.float64)
        elif codec == "array":
            arrays[f.name] = np.asarray(value)
        elif codec == "masks":
            meta["json"][f.name] = list(value)
            for key, mask in value.items():
                arrays[f"{f.name}.{key}"] = np.asarray(mask)
        elif codec == "json_sets":
            meta["json"][f.name] = [sorted(v) for v in value]
        elif codec == "json_citations":
            meta["json"][f.name] = [[[c.source_id, c.grade] for c in v] for v in value]
        else:
            meta["json"][f.name] = list(value)
    arrays["meta"] = pack_meta(meta)
    return arrays


def decode_candidates(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> Candidates | None:
    """:class:`Candidates` from the artefact; None when it was written for other fields."""
    from dataclasses import fields

    wanted = {f.name: _CODECS.get(str(f.type)) for f in fields(Candidates)}
    if meta["fields"] != wanted:
        return None
    store = default_store()
    values: dict[str, Any] = {}
    for name, codec in wanted.items():
        if codec == "foods":
            values[name] = [store.food(i) for i in arrays[name].tolist()]
        elif codec == "amounts":
            values[name] = [Amount(q, u, g) for q, u, g in zip(
                arrays[f"{name}.quantity"].tolist(), arrays[f"{name}.unit"].tolist(),
                arrays[f"{name}.grams"].tolist(), strict=True)]
        elif codec == "array":
            values[name] = arrays[name]
        elif codec == "masks":
            values[name] = {key: arrays[f"{name}.{key}"] for key in meta["json"][name]}
        elif codec == "json_sets":
            values[name] = [set(v) for v in meta["json"][name]]
        elif codec == "json_citations":
            values[name] = [[Citation(s, g) for s, g in v] for v in meta["json"][name]]
        else:
            values[name] = meta["json"][name]
    return Candidates(**values)


def load_artefact(*, check: bool = True) -> Candidates | None:
    """The committed candidate set, or None when it is missing or stale (``check``: it must
    have been built from the inputs as they are now)."""
    from ..artefacts import read_npz

    found = read_npz(ARTEFACT, artefact_digest() if check else None)
    return None if found is None else decode_candidates(*found)


def write_artefact() -> Any:
    """Build the candidate set and write the artefact (``scripts/build_artefacts.py``)."""
    from pathlib import Path

    from ..artefacts import package_root, write_npz

    out = Path(str(package_root().joinpath(ARTEFACT)))
    out.parent.mkdir(parents=True, exist_ok=True)
    write_npz(out, encode_candidates(build_candidates(), artefact_digest()))
    return out


@cache
def candidates() -> Candidates:
    """Every food the plan may propose (:func:`build_candidates`), loaded from the build-time
    artefact, or built in-process (1–4 s) when an input changed since that build."""
    loaded = load_artefact()
    return loaded if loaded is not None else build_candidates()


def allergen_ids(term: str) -> list[str]:
    """FDA major allergens named by an ``avoid`` term ("tree nuts", "dairy", "nuts" …)."""
    t = " ".join(re.findall(r"[a-z]+", term.lower()))
    out = []
    for allergen in _rules()["allergens"]:
        names = [allergen["id"].replace("_", " ")] + list(allergen.get("aliases", []))
        if t in names:
            out.append(allergen["id"])
    return out


def word_mask(cands: Candidates, word: str) -> np.ndarray:
    """Foods whose name has ``word`` (whole word; a trailing plural "s" is ignored)."""
    w = " ".join(re.findall(r"[a-z0-9]+", word.lower()))
    if not w:
        return np.zeros(len(cands), dtype=bool)
    forms = {w, w.rstrip("s"), w + "s", w + "es"} - {""}
    return np.array([any(f" {f} " in n for f in forms) for n in cands.normed])
