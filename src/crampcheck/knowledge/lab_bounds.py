"""Physiologically possible ranges of lab results (``data/lab_bounds.toml``).

A result outside its range cannot be a real measurement (0.000001 mg/dL of creatinine would
make the eGFR equation divide by zero); it is refused where it is entered (case files,
``labs add``, the web form) and left out, with a finding saying so, when an older journal
already holds one. The ranges are far wider than the reference ranges and critical limits of
``labs.toml``, which stay in charge of every real result.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

from ..errors import InputError
from ..models import Citation
from . import citations, load


@cache
def bounds() -> dict[str, dict[str, Any]]:
    """Test id (``labs.toml``) -> its ``[[bounds]]`` entry."""
    return {b["test"]: b for b in load("lab_bounds")["bounds"]}


def bound_citations(test_id: str) -> list[Citation]:
    entry = bounds().get(test_id)
    return citations(entry) if entry else []


def lab_problem(test: str, value: Any, unit: str) -> str | None:
    """Why ``value`` cannot be a result of ``test`` in ``unit``, or ``None`` when it can.

    A value must be a finite number. For a test and unit crampcheck reads, it must lie in the
    test's possible range; a test or unit it does not read is left to the assessment, which
    reports it as not interpreted.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "the value must be a number"
    try:
        v = float(value)
    except OverflowError:
        return "the value is not a finite number"
    if not math.isfinite(v):
        return "the value is not a finite number"
    from .labs import find_test, interpret_lab

    try:
        entry = find_test(test)
    except InputError:
        return None
    bound = bounds().get(entry["id"])
    if bound is None:
        return None
    lo, hi, bunit = float(bound["min"]), float(bound["max"]), bound["unit"]
    if v <= 0:
        return (f"{entry['name']} of {v:g} {unit} is not possible (a result is more than "
                f"zero; possible range {lo:g}–{hi:g} {bunit})")
    try:
        converted = interpret_lab(test, v, unit).converted
    except InputError:
        return None  # an unknown unit: reported by the assessment
    in_bound_unit = converted.get(bunit)
    if in_bound_unit is None:
        return None
    if not lo <= in_bound_unit <= hi:
        shown = f"{v:g} {unit}" + ("" if unit == bunit else f" ({in_bound_unit:g} {bunit})")
        return (f"{entry['name']} of {shown} is outside what a living person's blood can show "
                f"({lo:g}–{hi:g} {bunit}); check the value and its unit")
    return None


def check_lab(test: str, value: Any, unit: str, *, name: str = "lab") -> float:
    """``value`` as a float if it can be a result of ``test``; else :class:`InputError`."""
    problem = lab_problem(test, value, unit)
    if problem is not None:
        raise InputError(f"{name}: {problem}")
    return float(value)
