"""Lose It!'s ``food-logs.csv``.

``Date, Name, Icon, Meal, Quantity, Units, Calories, Deleted, Fat (g), Protein (g),
Carbohydrates (g), …, Sodium (mg)``, days as MM/DD/YYYY; deleted rows are skipped. The export
has no magnesium, calcium, potassium or omega-3, so each food is re-matched to the USDA table
(``analyze_line("{quantity} {units} {name}")``, the person's food pins used) and those nutrients
are taken from the match and marked as estimated. Energy, fat, protein, carbohydrate, fibre and
sodium are Lose It!'s own (:data:`OWN`).
"""

from __future__ import annotations

from ...errors import InputError
from ...foods.schema import NUTRIENTS
from ...limits import check_food_line
from ..store import FoodEntry, iso_day
from .common import Parsed, Progress, Rows, meal_name, number, nutrient_columns, row_nutrients

KIND = "loseit"
TITLE = "Lose It! food-logs"
# what is read -> the column names that hold it (lower case; the first is named in errors)
COLUMNS = {"day": ("date",), "name": ("name",), "quantity": ("quantity",), "units": ("units",)}
OPTIONAL_COLUMNS = {"meal": ("meal",), "deleted": ("deleted",)}
# nutrient columns written without a unit, and their unit
BARE_UNITS = {"energy_kcal": "kcal"}
OWN = ("energy_kcal", "fat_g", "protein_g", "carbohydrate_g", "fiber_g", "sodium_mg")
DELETED = ("true", "yes", "1")
COUNT_UNITS = {"each", "serving", "servings", "item", "items", "piece", "pieces", ""}


def loseit_text(quantity: str, units: str, name: str) -> str:
    """The food line that Lose It!'s quantity, units and name stand for."""
    unit = units.strip()
    return " ".join(p for p in (quantity.strip(),
                                "" if unit.lower() in COUNT_UNITS else unit, name.strip()) if p)


def parse_loseit(text: str, source: str, progress: Progress | None = None,
                 pins: dict[str, str] | None = None) -> Parsed:
    """Lose It! food-logs.csv, each food re-matched to USDA (see the module docstring); the
    person's food pins are used."""
    from ...totals import Item, analyze_line

    rows = Rows(text, TITLE, source)
    day_i = rows.col(*COLUMNS["day"])
    name_i = rows.col(*COLUMNS["name"])
    qty_i = rows.col(*COLUMNS["quantity"])
    units_i = rows.col(*COLUMNS["units"])
    meal_i = rows.col(*OPTIONAL_COLUMNS["meal"], required=False)
    del_i = rows.col(*OPTIONAL_COLUMNS["deleted"], required=False)
    cols = nutrient_columns(rows.header, source=source, bare_units=BARE_UNITS)
    own = [k for k in OWN if k in cols]
    out = Parsed()
    out.notes.append("Lose It! exports have no magnesium, calcium, potassium or omega-3: each "
                     "food was matched to the USDA table and those values are estimates")
    for n, (line, cells, digest) in enumerate(rows, 1):
        try:
            if del_i is not None and cells[del_i].strip().lower() in DELETED:
                out.skipped_deleted += 1
                continue
            name = cells[name_i].strip()
            if not name:
                raise InputError("the food name is empty", line=line, source=source)
            qty = number(cells[qty_i], "'Quantity'", line=line, source=source)
            if qty is None or qty == 0:
                raise InputError("'Quantity' is empty or zero", line=line, source=source)
            food_text = check_food_line(loseit_text(cells[qty_i], cells[units_i], name),
                                        line=line, source=source)
            day = iso_day(cells[day_i], line=line, source=source)
            meal = None if meal_i is None else meal_name(cells[meal_i])
            result = analyze_line(food_text, day=day, line=line, source=source, pins=pins)
            if not isinstance(result, Item) and "," in name:
                reordered = " ".join(reversed([p.strip() for p in name.split(",")]))
                retry = analyze_line(loseit_text(cells[qty_i], cells[units_i], reordered),
                                     day=day, line=line, source=source, pins=pins)
                if isinstance(retry, Item):
                    result = retry
            nutrients: dict[str, float | None] = dict.fromkeys(NUTRIENTS)
            estimated: list[str] = []
            entry = FoodEntry(day=day, text=food_text, source=KIND, nutrients=nutrients,
                              meal=meal, food_name=name, source_line=line, source_hash=digest)
            if isinstance(result, Item):
                for k, v in result.nutrients.items():
                    nutrients[k] = v
                    if k not in own and v is not None:
                        estimated.append(k)
                entry.food_id, entry.grams = result.food.id, result.grams
                entry.grams_method = result.grams_method
                entry.note = f"matched to USDA '{result.food.name}'"
            else:
                out.unmatched.append((line, food_text, result.reason))
                entry.note = f"no USDA match ({result.reason}): minerals unknown"
            own_values = row_nutrients(cells, cols, rows.header, line=line, source=source)
            for k in own:
                nutrients[k] = own_values[k]
            entry.estimated = estimated
            out.entries.append(entry)
        except InputError as exc:
            out.errors.append(exc)
        if progress:
            progress(n, rows.total)
    return out
