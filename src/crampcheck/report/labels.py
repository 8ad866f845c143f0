"""Human names and units of every nutrient key, and how numbers are written, in one place.

The report (HTML, PDF, text), the web pages and the CLI's tables show ``label("magnesium_mg")``
("Magnesium (mg)"), never the key itself. A key this table does not know is turned into words
(``"foo_bar"`` -> "Foo bar"), so a new key is readable before it gets its own entry.

Numbers are written as the text report writes them (:func:`fmt_amount`): whole numbers with a
thousands separator from 10 up (``1,234``), two significant digits below 10 (``0.25``,
``4.5``), and an en dash for an unknown value (never zero).
"""

from __future__ import annotations

import re
from typing import Any

# key -> (name, unit); the name starts with a capital, the unit is as printed
NUTRIENTS: dict[str, tuple[str, str]] = {
    "energy_kcal": ("Energy", "kcal"),
    "protein_g": ("Protein", "g"),
    "fat_g": ("Fat", "g"),
    "carbohydrate_g": ("Carbohydrate", "g"),
    "fiber_g": ("Fibre", "g"),
    "water_g": ("Water", "g"),
    "calcium_mg": ("Calcium", "mg"),
    "magnesium_mg": ("Magnesium", "mg"),
    "potassium_mg": ("Potassium", "mg"),
    "sodium_mg": ("Sodium", "mg"),
    "phosphorus_mg": ("Phosphorus", "mg"),
    "vitamin_d_ug": ("Vitamin D", "µg"),
    "ala_g": ("ALA (plant omega-3)", "g"),
    "epa_g": ("EPA (fish omega-3)", "g"),
    "dha_g": ("DHA (fish omega-3)", "g"),
    "omega3_g": ("Omega-3, total", "g"),
    "epa_dha_mg": ("EPA + DHA (fish omega-3)", "mg"),
    "caffeine_mg": ("Caffeine", "mg"),
    "alcohol_g": ("Alcohol", "g"),
    "calcium_to_magnesium": ("Calcium:magnesium ratio", ""),
    "ca_mg_ratio": ("Calcium:magnesium ratio", ""),
}
# chemical symbols for narrow columns ("Ca mg")
SYMBOL = {"calcium_mg": "Ca", "magnesium_mg": "Mg", "potassium_mg": "K", "sodium_mg": "Na",
          "phosphorus_mg": "P"}
UNKNOWN = "–"  # en dash: no value (not zero)
_UNIT_SUFFIX = re.compile(r"_(mg|ug|g|kcal|iu|ml|mmol|pct)$")
_UNIT_WORD = {"mg": "mg", "ug": "µg", "g": "g", "kcal": "kcal", "iu": "IU", "ml": "ml",
              "mmol": "mmol", "pct": "%"}


def name(key: str) -> str:
    """"Magnesium" for ``magnesium_mg``; words for an unknown key."""
    if key in NUTRIENTS:
        return NUTRIENTS[key][0]
    words = _UNIT_SUFFIX.sub("", key).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def unit(key: str) -> str:
    """"mg" for ``magnesium_mg``, "µg" for ``vitamin_d_ug``; "" when the key has none."""
    if key in NUTRIENTS:
        return NUTRIENTS[key][1]
    m = _UNIT_SUFFIX.search(key)
    return _UNIT_WORD[m[1]] if m else ""


def label(key: str) -> str:
    """"Magnesium (mg)": the name with its unit, as a table row or column is headed."""
    u = unit(key)
    return f"{name(key)} ({u})" if u else name(key)


def short(key: str) -> str:
    """"Mg mg" for narrow columns (symbol and unit); the label when there is no symbol."""
    return f"{SYMBOL[key]} {unit(key)}" if key in SYMBOL else label(key)


def fmt_amount(value: Any, digits: int | None = None) -> str:
    """A number as the text report writes it (see the module docstring); ``digits`` fixes
    the decimals instead (ratios: 2)."""
    if value is None or isinstance(value, bool):
        return UNKNOWN
    if not isinstance(value, (int, float)):
        return str(value)
    v = float(value)
    if v != v:
        return UNKNOWN
    if digits is not None:
        return f"{v:,.{digits}f}"
    if abs(v) >= 10:
        return f"{v:,.0f}"
    if v == int(v) or abs(v) < 1e-4:
        return f"{v:.0f}"
    return f"{v:.2g}"


def with_unit(value: Any, key: str) -> str:
    """"1,234 mg" (or the en dash alone when unknown)."""
    text = fmt_amount(value)
    u = unit(key)
    return text if text == UNKNOWN or not u else f"{text} {u}"


def words(text: str) -> str:
    """Any key-like word in ``text`` (``magnesium_mg``, ``epa_dha_mg``) as its label."""
    return re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b",
                  lambda m: label(m[0]) if m[0] in NUTRIENTS or _UNIT_SUFFIX.search(m[0])
                  else m[0].replace("_", " "), text)
