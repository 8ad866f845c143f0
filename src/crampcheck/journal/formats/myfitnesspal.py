"""MyFitnessPal's ``Nutrition-Summary`` export, one row per meal.

``Date, Meal, Calories, Fat (g), …, Sodium (mg), Potassium, …, Calcium, Iron, Note``. One total
entry per meal. A bare ``Calcium`` column is a percentage of the daily value and is converted
with the FDA daily value of 1,300 mg [1]_ (marked as estimated); ``Calcium (mg)`` is milligrams.
The export has **no magnesium and no omega-3**: those stay unknown.

References
----------
.. [1] U.S. FDA (2016). Food Labeling: Revision of the Nutrition and Supplement Facts Labels,
   21 CFR 101.9(c)(8)(iv): daily value for calcium 1,300 mg (adults and children 4 years and
   over). Earlier labels used 1,000 mg.
"""

from __future__ import annotations

from ...errors import InputError
from ..store import FoodEntry, iso_day
from .common import (
    UNIT_RE,
    Parsed,
    Progress,
    Rows,
    meal_name,
    norm,
    number,
    nutrient_columns,
    row_nutrients,
)

KIND = "myfitnesspal"
TITLE = "MyFitnessPal Nutrition-Summary"
# what is read -> the column names that hold it (lower case; the first is named in errors)
COLUMNS = {"day": ("date",), "meal": ("meal",)}
OPTIONAL_COLUMNS = {"note": ("note",)}
# nutrient columns written without a unit, and the unit they are in (any other nutrient column
# needs its unit in brackets); a bare "Calcium" is % of the daily value (CALCIUM_DV_MG)
BARE_UNITS = {"energy_kcal": "kcal", "potassium_mg": "mg", "fiber_g": "g", "sodium_mg": "mg",
              "protein_g": "g", "fat_g": "g", "carbohydrate_g": "g"}
CALCIUM_DV_MG = 1300.0  # FDA daily value for calcium, 21 CFR 101.9 (2016)
CALCIUM_UNITS = ("auto", "percent", "mg")


def parse_myfitnesspal(text: str, source: str, progress: Progress | None = None,
                       calcium_unit: str = "auto") -> Parsed:
    """MyFitnessPal Nutrition-Summary export: one total entry per meal.

    ``calcium_unit`` is ``"auto"`` (a bare ``Calcium`` column is % daily value; ``Calcium (mg)``
    is milligrams), ``"percent"`` or ``"mg"``.
    """
    rows = Rows(text, TITLE, source)
    day_i = rows.col(*COLUMNS["day"])
    meal_i = rows.col(*COLUMNS["meal"])
    note_i = rows.col(*OPTIONAL_COLUMNS["note"], required=False)
    cols = nutrient_columns(rows.header, source=source, bare_units=BARE_UNITS)
    out = Parsed()
    ca_i = None
    for i, col in enumerate(rows.header):
        m = UNIT_RE.match(col)
        name, unit = (m[1], m[2]) if m else (col, None)
        if norm(name) == "calcium":
            ca_i = i
            is_mg = (calcium_unit == "mg" or
                     (calcium_unit == "auto" and unit is not None and unit.lower() == "mg"))
            cols.pop("calcium_mg", None)
            break
    out.notes.append("MyFitnessPal exports have no magnesium and no omega-3: they are unknown "
                     "for these days (not zero)")
    if ca_i is not None and not is_mg:
        out.notes.append("MyFitnessPal calcium is a percentage of the daily value: converted "
                         "with the FDA daily value of 1,300 mg (100 % = 1,300 mg; labels before "
                         "2016 used 1,000 mg) and marked as estimated")
    for n, (line, cells, digest) in enumerate(rows, 1):
        try:
            meal = meal_name(cells[meal_i]) or "meal"
            nutrients = row_nutrients(cells, cols, rows.header, line=line, source=source)
            estimated: list[str] = []
            if ca_i is not None:
                ca = number(cells[ca_i], f"'{rows.header[ca_i]}'", line=line, source=source)
                if ca is not None and not is_mg:
                    ca = ca / 100.0 * CALCIUM_DV_MG
                    estimated.append("calcium_mg")
                nutrients["calcium_mg"] = ca
            note = cells[note_i].strip() if note_i is not None and cells[note_i].strip() else None
            out.entries.append(FoodEntry(
                day=iso_day(cells[day_i], line=line, source=source), meal=meal,
                text=f"MyFitnessPal {meal} total", source=KIND, is_total=True,
                nutrients=nutrients, estimated=estimated, note=note, source_line=line,
                source_hash=digest))
        except InputError as exc:
            out.errors.append(exc)
        if progress:
            progress(n, rows.total)
    return out
