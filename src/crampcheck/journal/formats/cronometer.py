"""Cronometer's "servings" export: one row per food eaten.

``Day, Time, Group, Food Name, Amount, Energy (kcal), …, Calcium (mg), …, Magnesium (mg), …,
Omega-3 (g), …, Category``. Older files have no ``Time``/``Group``/``Category`` and write days
like ``2016-9-26``. Cronometer's own nutrient numbers are stored as they are; an empty cell is
unknown (never zero). An amount in grams (``150 g``) is kept as the entry's grams.
"""

from __future__ import annotations

import re

from ...errors import InputError
from ..store import FoodEntry, iso_day
from .common import Parsed, Progress, Rows, clock_time, meal_name, nutrient_columns, row_nutrients

KIND = "cronometer"
TITLE = "Cronometer servings"
# what is read -> the column names that hold it (lower case; the first is named in errors)
COLUMNS = {"day": ("day", "date"), "food": ("food name", "food"), "amount": ("amount",)}
OPTIONAL_COLUMNS = {"time": ("time",), "group": ("group",)}
# the nutrient columns: any of common.NUTRIENT_NAMES, with the unit in brackets
EXPECTED = ("calcium_mg", "magnesium_mg", "omega3_g")  # a note names those the file lacks
GRAMS = re.compile(r"^(\d{1,7}(?:\.\d{0,6})?)\s*g$")


def parse_cronometer(text: str, source: str, progress: Progress | None = None) -> Parsed:
    """Cronometer servings export (see the module docstring)."""
    rows = Rows(text, TITLE, source)
    day_i = rows.col(*COLUMNS["day"])
    name_i = rows.col(*COLUMNS["food"])
    amount_i = rows.col(*COLUMNS["amount"])
    time_i = rows.col(*OPTIONAL_COLUMNS["time"], required=False)
    group_i = rows.col(*OPTIONAL_COLUMNS["group"], required=False)
    cols = nutrient_columns(rows.header, source=source)
    out = Parsed()
    absent = [k for k in EXPECTED if k not in cols]
    if absent:
        out.notes.append(f"this export has no column for {', '.join(absent)}: unknown")
    for n, (line, cells, digest) in enumerate(rows, 1):
        try:
            name = cells[name_i].strip()
            if not name:
                raise InputError("the food name is empty", line=line, source=source)
            amount = cells[amount_i].strip()
            grams = None
            g = GRAMS.match(amount)
            if g:
                grams = float(g[1])
            out.entries.append(FoodEntry(
                day=iso_day(cells[day_i], line=line, source=source, what="day"),
                text=f"{amount} {name}".strip(), source=KIND,
                nutrients=row_nutrients(cells, cols, rows.header, line=line, source=source),
                time=None if time_i is None else clock_time(cells[time_i], line=line,
                                                            source=source),
                meal=None if group_i is None else meal_name(cells[group_i]),
                food_name=name, grams=grams, grams_method="cronometer" if grams else None,
                source_line=line, source_hash=digest))
        except InputError as exc:
            out.errors.append(exc)
        if progress:
            progress(n, rows.total)
    return out
