"""Build ``knowledge/data/plan_everyday_foods.toml`` from the published food-source tables.

The plan prefers *everyday* foods: the foods that the authoritative "food sources of …" tables
list, in the household amount they list. Input:

* ``tests/data/published_food_sources.csv`` — 144 rows transcribed from the NIH ODS magnesium
  and calcium fact sheets, the DGA 2020–2025 calcium table, the DGA 2015–2020 potassium table
  (Appendix 10) and two secondary compilations (ProCon.org calcium, "Nutrition Diva" potassium);
* :data:`OMEGA3_ROWS` below — the whole-food rows of the ODS omega-3 fact sheet, Table 2
  ("Selected food sources of ALA, EPA and DHA");
* :data:`VITAMIN_D_ROWS` below — the ODS vitamin D fact sheet, Table 3.

Each entry also gets its ``role`` (the part it plays in a day; ``[[roles]]`` of
``plan_foods.toml``, :func:`crampcheck.plan.roles.role_for`).

Every row's ``line`` (what a person would type) is resolved with
``crampcheck.totals.nutrients([line]).items[0]`` to a USDA food id, its household quantity, unit
and grams. Rows resolving to the same food are merged (the first row gives the amount; sources
and nutrients accumulate). A line the committed file already resolves keeps that food and
amount (food matching improves over time; an everyday food should change only on purpose):
``--refresh`` resolves every line again. Run and commit the output::

    python3 scripts/build_everyday_foods.py [--refresh]

References
----------
.. [1] NIH ODS. Magnesium / Calcium / Omega-3 Fatty Acids: Fact Sheets for Health Professionals.
.. [2] USDA, HHS. Dietary Guidelines for Americans 2020–2025, food sources of calcium;
   DGA 2015–2020, Appendix 10 (food sources of potassium).
"""

from __future__ import annotations

import csv
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from crampcheck.foods.store import default_store
from crampcheck.plan.roles import role_for
from crampcheck.totals import nutrients

ROOT = Path(__file__).resolve().parents[1]
CSV_PATH = ROOT / "tests" / "data" / "published_food_sources.csv"
OUT_PATH = ROOT / "src" / "crampcheck" / "knowledge" / "data" / "plan_everyday_foods.toml"

#: table URL → (source id in the registry, grade)
SOURCES = {
    "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/": ("ods_magnesium_hp", "A"),
    "https://ods.od.nih.gov/factsheets/Calcium-HealthProfessional/": ("ods_calcium_hp", "A"),
    "https://ods.od.nih.gov/factsheets/Omega3FattyAcids-HealthProfessional/": (
        "ods_omega3_hp", "A"),
    "https://ods.od.nih.gov/factsheets/VitaminD-HealthProfessional/": ("ods_vitamin_d_hp", "A"),
    "https://www.dietaryguidelines.gov/food-sources-calcium": ("dga_2020_2025", "A"),
    "https://health.gov/dietaryguidelines/2015/guidelines/appendix-10/": (
        "dga_2015_2020_potassium_sources", "A"),
    # Secondary compilations (not the agencies' own pages): kept, graded C.
    "https://milk.procon.org/comparison-of-calcium-content-in-select-foods/": (
        "procon_calcium_foods", "C"),
    "https://nutritionovereasy.com/2023/01/potassium-content-of-common-foods/": (
        "nutrition_diva_potassium_foods", "C"),
}

#: ODS omega-3 fact sheet, Table 2: whole foods (g per serving as published; ALA, EPA, DHA).
#: Mayonnaise, refried and baked beans, beef, chicken, bread, egg and milk rows (≤ 0.2 g) are
#: left out: they are not omega-3 sources a plan would add for omega-3.
OMEGA3_ROWS = [
    ("Flaxseed oil", "1 tbsp", "1 tbsp flaxseed oil", "ALA 7.26"),
    ("Chia seeds", "1 ounce", "1 oz chia seeds", "ALA 5.06"),
    ("English walnuts", "1 ounce", "1 oz english walnuts", "ALA 2.57"),
    ("Flaxseed, whole", "1 tbsp", "1 tbsp whole flaxseed", "ALA 2.35"),
    ("Salmon, Atlantic, farmed, cooked", "3 ounces", "3 oz cooked farmed atlantic salmon",
     "DHA 1.24, EPA 0.59"),
    ("Salmon, Atlantic, wild, cooked", "3 ounces", "3 oz cooked wild atlantic salmon",
     "DHA 1.22, EPA 0.35"),
    ("Herring, Atlantic, cooked", "3 ounces", "3 oz cooked atlantic herring",
     "DHA 0.94, EPA 0.77"),
    ("Canola oil", "1 tbsp", "1 tbsp canola oil", "ALA 1.28"),
    ("Sardines, canned in tomato sauce, drained", "3 ounces",
     "3 oz sardines canned in tomato sauce", "DHA 0.74, EPA 0.45"),
    ("Mackerel, Atlantic, cooked", "3 ounces", "3 oz cooked atlantic mackerel",
     "DHA 0.59, EPA 0.43"),
    ("Salmon, pink, canned, drained", "3 ounces", "3 oz canned pink salmon",
     "DHA 0.63, EPA 0.28"),
    ("Soybean oil", "1 tbsp", "1 tbsp soybean oil, salad or cooking", "ALA 0.92"),
    ("Trout, rainbow, wild, cooked", "3 ounces", "3 oz cooked wild rainbow trout",
     "DHA 0.44, EPA 0.40"),
    ("Black walnuts", "1 ounce", "1 oz black walnuts", "ALA 0.76"),
    ("Edamame, frozen, prepared", "1/2 cup", "1/2 cup edamame", "ALA 0.28"),
    ("Tuna, light, canned in water, drained", "3 ounces", "3 oz light tuna canned in water",
     "DHA 0.17, EPA 0.02"),
]
OMEGA3_URL = "https://ods.od.nih.gov/factsheets/Omega3FattyAcids-HealthProfessional/"

#: ODS vitamin D fact sheet, Table 3 ("Selected food sources of vitamin D"): the foods a plan
#: would add (µg per serving as published). Cod liver oil (vitamin A), beef liver (an organ meat),
#: and rows with at most 0.4 µg (cheddar, chicken, beef, grains, nuts) are left out. The table's
#: UV-exposed mushrooms are white button mushrooms; USDA's UV-exposed mushroom is portabella.
#: The names are the table's rows, shortened where the row names an amount or several foods.
VITAMIN_D_ROWS = [
    ("Trout (rainbow), farmed, cooked", "3 ounces", "3 oz cooked farmed rainbow trout", "16.2"),
    ("Salmon (sockeye), cooked", "3 ounces", "3 oz cooked sockeye salmon", "14.2"),
    ("Mushrooms exposed to UV light (portabella, grilled)", "1/2 cup",
     "1/2 cup grilled portabella mushrooms exposed to ultraviolet light", "9.2 (white, raw)"),
    ("Milk, 2% milkfat, vitamin D fortified", "1 cup", "1 cup 2% milk", "2.9"),
    ("Oat beverage (oat milk), vitamin D fortified", "1 cup", "1 cup oat milk", "2.5-3.6"),
    ("Soy, almond and oat milks, vitamin D fortified", "1 cup",
     "1 cup calcium fortified soymilk, original", "2.5-3.6"),
    ("Ready-to-eat cereal (bran flakes), fortified with vitamin D", "1 serving",
     "1 cup bran flakes", "2.0"),
    ("Sardines (Atlantic), canned in oil, drained", "2 sardines", "2 sardines canned in oil",
     "1.2"),
    ("Egg, scrambled", "1 large", "1 large scrambled egg", "1.1"),
    ("Tuna fish (light), canned in water, drained", "3 ounces",
     "3 oz light tuna canned in water", "1.0"),
]
VITAMIN_D_URL = "https://ods.od.nih.gov/factsheets/VitaminD-HealthProfessional/"
VITAMIN_D_TABLE = "ODS Vitamin D fact sheet, Table 3: Selected food sources of vitamin D"
OMEGA3_TABLE = "ODS Omega-3 Fatty Acids fact sheet, Table 2: Selected food sources of ALA, EPA, DHA"

#: A table line the food search resolves to a different food than the table means → a line that
#: resolves to the table's food (each with the reason).
LINE_FIXES = {
    # "calcium fortified soymilk" matched the chocolate soymilk; the table means plain.
    "1 cup calcium fortified soymilk": "1 cup calcium fortified soymilk, original",
    # "cooked egg" matched the fried egg; hard-boiled is the plain cooked egg.
    "1 large cooked egg": "1 large hard-boiled egg",
    # "prunes" matched low-moisture dehydrated prunes; the table means ordinary dried plums.
    "1/2 cup prunes": "1/2 cup dried plums (prunes)",
    # "plain low fat kefir" matched a branded (LIFEWAY) kefir; the generic FNDDS kefir is it.
    "1 cup plain low fat kefir": "1 cup low fat kefir",
    # "cooked taro root" is below the matching threshold; the table's taro is USDA's cooked taro.
    "1 cup cooked taro root": "1 cup cooked taro",
    # "X with skin" now reads as a meal of two foods (potato and pork skins); the skin is part
    # of the potato.
    "3.5 oz baked potato with skin": "3.5 oz baked potato, flesh and skin",
    "1 medium baked potato with skin": "1 medium baked potato, flesh and skin",
    # the second table's lima beans are the first table's (mature, cooked), not immature ones
    "1/2 cup lima beans, cooked": "1/2 cup cooked lima beans",
}

#: Foods in the tables that the plan does not offer, with the reason (``offer = false``).
NOT_OFFERED = {
    "lambsquarters": "foraged green, rarely sold; its calcium is bound by oxalate",
    "nettles": "foraged green (USDA entry is a Northern Plains Indian food)",
    "mustard spinach": "rarely sold",
    "amaranth leaves": "rarely sold in the US; oxalate-rich",
    "jute": "rarely sold in the US",
    "nopales": "regional food; its calcium is largely bound by oxalate",
    "taro": "no USDA taro gives the table's calcium (see the published-table note)",
    "chocolate pudding": "a sweet, not a nutrient-dense addition (DGA)",
    "molasses": "added sugar, not a nutrient-dense addition (DGA)",
    "cream cheese": "little calcium per serving, mostly saturated fat",
    "sour cream": "little calcium per serving, mostly saturated fat",
    "chili with beans": "a canned mixed dish high in sodium; plain beans are offered",
    "passion fruit juice": "rarely sold as juice",
}

NUTRIENT_OF = {"magnesium": "magnesium", "calcium": "calcium", "potassium": "potassium"}

#: An everyday food whose role the rules of plan_foods.toml ``[[roles]]`` would get wrong → its
#: role (each with the reason). Empty when the rules fit every food.
ROLE_FIXES: dict[str, str] = {}


def _rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8") as fh:
        rows = [dict(r) for r in csv.DictReader(fh)]
    for food, amount, line, values in OMEGA3_ROWS:
        rows.append({"nutrient": "omega3", "food": food, "amount": amount, "line": line,
                     "table": OMEGA3_TABLE, "source_url": OMEGA3_URL,
                     "published": values})
    for food, amount, line, values in VITAMIN_D_ROWS:
        rows.append({"nutrient": "vitamin_d", "food": food, "amount": amount, "line": line,
                     "table": VITAMIN_D_TABLE, "source_url": VITAMIN_D_URL,
                     "published": values})
    return rows


def _not_offered(line: str) -> str | None:
    for word, reason in NOT_OFFERED.items():
        if word in line.lower():
            return reason
    return None


def _unit(item, row: dict[str, str]) -> str:
    if item.unit:
        return str(item.unit)
    words = row["line"].split()[1:]
    return " ".join(words[-1:]) or "piece"


@dataclass(frozen=True)
class Resolved:
    """What one table line resolves to: a USDA food and the line's household amount."""

    id: str
    name: str
    category: str
    quantity: float
    unit: str
    grams: float


def _pinned() -> dict[str, Resolved]:
    """The resolutions the committed file already holds, by line: food matching changes over
    time, and an everyday food must not change because the matcher did (``--refresh`` re-reads
    every line)."""
    if not OUT_PATH.exists():
        return {}
    store = default_store()
    out = {}
    for e in tomllib.loads(OUT_PATH.read_text(encoding="utf-8")).get("foods", []):
        food = store.get(e["id"])
        if food is not None:
            out[e["line"]] = Resolved(food.id, food.name, food.category, float(e["quantity"]),
                                      str(e["unit"]), float(e["grams"]))
    return out


def _resolve(rows: list[dict[str, str]], lines: list[str], refresh: bool) -> list[Resolved]:
    pinned = {} if refresh else _pinned()
    todo = [(k, line) for k, line in enumerate(lines) if line not in pinned]
    report = nutrients([line for _, line in todo])
    if report.unmatched or len(report.items) != len(todo):
        texts = [i.text for i in report.items]
        split = sorted({t for t in texts if texts.count(t) > 1})
        sys.exit(f"unmatched lines: {report.unmatched}; lines read as more than one food: "
                 f"{split}")
    fresh = {k: Resolved(item.food.id, item.food.name, item.food.category, float(item.quantity),
                         _unit(item, rows[k]), round(float(item.grams), 2))
             for (k, _), item in zip(todo, report.items, strict=True)}
    return [pinned.get(line) or fresh[k] for k, line in enumerate(lines)]


def build(refresh: bool = False) -> list[dict]:
    rows = _rows()
    lines = [LINE_FIXES.get(r["line"], r["line"]) for r in rows]
    entries: dict[str, dict] = {}
    for row, line, food in zip(rows, lines, _resolve(rows, lines, refresh), strict=True):
        source, grade = SOURCES[row["source_url"]]
        entry = entries.get(food.id)
        if entry is None:
            entry = {
                "id": food.id,
                "usda_name": food.name,
                "table_name": row["food"],
                "line": line,
                "quantity": food.quantity,
                "unit": food.unit,
                "grams": food.grams,
                "table_amount": row["amount"],
                "nutrients": [],
                "source": [],
                "grade": grade,
            }
            entry["role"] = ROLE_FIXES.get(food.id) or role_for(food.name, food.category)
            reason = _not_offered(line)
            if reason:
                entry["offer"] = False
                entry["reason"] = reason
            entries[food.id] = entry
        nutrient = NUTRIENT_OF.get(row["nutrient"], row["nutrient"])
        if nutrient not in entry["nutrients"]:
            entry["nutrients"].append(nutrient)
        if source not in entry["source"]:
            entry["source"].append(source)
        if grade < entry["grade"]:  # "A" < "C": the best source grades the entry
            entry["grade"] = grade
    return list(entries.values())


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def write(entries: list[dict]) -> str:
    head = [
        "# Everyday foods the plan prefers: the foods listed by the published 'food sources of …'",
        "# tables (NIH ODS fact sheets for magnesium, calcium and omega-3; Dietary Guidelines for",
        "# Americans calcium and potassium tables; two secondary compilations graded C), each with",
        "# the USDA food its line resolves to and the table's household amount.",
        "# GENERATED by scripts/build_everyday_foods.py from tests/data/published_food_sources.csv",
        "# and the ODS omega-3 rows in the script; edit those and re-run, do not edit by hand.",
        "# offer = false: listed by a table but not proposed by the plan (reason given).",
        "# role: the part the food plays in a day (plan_foods.toml [[roles]]): the plan adds at",
        "# most one food of most roles (one milk or plant drink, one dish of cooked greens).",
        "",
    ]
    out = list(head)
    keys = ["id", "usda_name", "table_name", "line", "quantity", "unit", "grams",
            "table_amount", "nutrients", "role", "offer", "reason", "source", "grade"]
    for entry in entries:
        out.append("[[foods]]")
        for key in keys:
            if key in entry:
                out.append(f"{key} = {_toml_value(entry[key])}")
        out.append("")
    return "\n".join(out)


def main() -> None:
    entries = build(refresh="--refresh" in sys.argv[1:])
    OUT_PATH.write_text(write(entries), encoding="utf-8")
    offered = sum(1 for e in entries if e.get("offer", True))
    print(f"{len(entries)} foods ({offered} offered) -> {OUT_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
