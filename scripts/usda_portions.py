"""Reading USDA household-measure labels ("cup, chopped", "oz (14 halves)", "1/2 cup").

Used by ``scripts/build_foods.py`` on SR24 measures and FoodData Central portions (build time
only, so it lives here and not in ``crampcheck.foods``, which the amount parser in
``crampcheck.intake`` imports). A portion is stored as ``(unit, label, grams_per_unit)``:
``unit`` is a canonical unit (``cup``, ``tbsp``, ``slice``…), a size word (``medium``) or the
label's first noun (``banana``); ``label`` is USDA's own wording.
"""

from __future__ import annotations

import re

from crampcheck.intake.amounts import parse_number
from crampcheck.intake.units import SIZE_WORDS, canonical_unit

_LEADING_AMOUNT = re.compile(r"^\s*(\d+\s+\d+/\d+|\d+/\d+|\d*\.?\d+)\s*")


def split_label(label: str) -> tuple[float, str, str]:
    """Split a measure label into ``(amount, unit, description)``.

    >>> split_label("cup, chopped")
    (1.0, 'cup', 'chopped')
    >>> split_label("1/2 cup")
    (0.5, 'cup', '')
    >>> split_label('medium (7" to 7-7/8" long)')
    (1.0, 'medium', '7" to 7-7/8" long')
    """
    text = label.strip()
    amount = 1.0
    m = _LEADING_AMOUNT.match(text)
    if m:
        try:
            amount = parse_number(m.group(1)) or 1.0
        except (ValueError, ZeroDivisionError):
            amount = 1.0
        text = text[m.end():]
    low = text.lower()
    for size in SIZE_WORDS:
        if low == size or low.startswith(size + " ") or low.startswith(size + ","):
            return amount, size, _clean(text[len(size):])
    if low.startswith("nlea serving"):
        return amount, "serving", _clean(text[len("nlea serving"):])
    for two in ("fl oz", "fluid ounce", "fluid ounces", "fl. oz"):
        if low.startswith(two):
            return amount, "fl oz", _clean(text[len(two):])
    first = re.split(r"[\s,(]", low, maxsplit=1)[0]
    rest = text[len(first):]
    unit = canonical_unit(first)
    if unit is None:
        unit = _singular(first) if first else "serving"
    return amount, unit, _clean(rest)


def _singular(word: str) -> str:
    word = word.strip(".")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "oes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _clean(text: str) -> str:
    text = text.strip().lstrip(",").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text
