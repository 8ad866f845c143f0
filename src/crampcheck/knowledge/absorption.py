"""Fractional calcium absorption from foods (how much of a food's calcium the gut takes up).

Data: ``knowledge/data/calcium_absorption.toml``. Absorbable calcium (mg) = calcium in the food
(mg) × fraction. Use it to rank calcium sources: spinach (about 5 % absorbed, because of its
oxalate) is a poor source despite its calcium content, while kale (about 49 %), bok choy (54 %)
and broccoli (61 %) absorb as well as milk (32 %) or better.

References
----------
.. [1] Weaver CM, Proulx WR, Heaney R (1999). Choices for achieving adequate dietary calcium
   with a vegetarian diet. Am J Clin Nutr 70(3 Suppl):543S–548S, Table 2.
   https://doi.org/10.1093/ajcn/70.3.543s
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..models import Citation
from . import citations, load


@cache
def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()).strip() + " "


@cache
def _entries() -> tuple[dict[str, Any], ...]:
    return tuple(load("calcium_absorption")["foods"])


def _pattern_matches(name: str, pattern: str) -> bool:
    return all(f" {w} " in name for w in _words(pattern).split())


@cache
def absorption_entry(food_name: str) -> dict[str, Any] | None:
    """The ``calcium_absorption.toml`` entry for a food name, or ``None`` if none matches.

    Among matching entries the one whose pattern has the most words wins (then the earlier).
    """
    name = _words(food_name)
    best: tuple[int, int, dict[str, Any]] | None = None
    for order, entry in enumerate(_entries()):
        if any(_words(x) in name for x in entry.get("exclude", [])):
            continue
        for pattern in entry["match"]:
            if _pattern_matches(name, pattern):
                size = len(_words(pattern).split())
                if best is None or (size, -order) > (best[0], -best[1]):
                    best = (size, order, entry)
    return None if best is None else best[2]


def calcium_absorption(food_name: str) -> tuple[float, list[Citation]] | None:
    """Fraction of a food's calcium that is absorbed, with its citations.

    Parameters
    ----------
    food_name : str
        A food name as in USDA data ("Spinach, raw", "Kale, cooked, boiled, drained",
        "Cabbage, chinese (pak-choi), raw", "Tofu, raw, firm, prepared with calcium sulfate").

    Returns
    -------
    tuple of (float, list of Citation) or None
        The fraction absorbed (0–1, dimensionless; milk 0.321) and its sources, or ``None``
        when the food has no measured value (crampcheck does not guess).

    References
    ----------
    Weaver, Proulx & Heaney (1999), Am J Clin Nutr 70:543S, Table 2.
    """
    entry = absorption_entry(food_name)
    if entry is None:
        return None
    return float(entry["fraction"]), citations(entry)
