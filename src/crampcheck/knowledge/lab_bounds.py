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


def infer_unit(test: str, value: float) -> tuple[str | None, list[str]]:
    """The unit a result given without one must be in, judged from plausibility.

    A unit fits when the value, read in it, lies within the test's possible range
    (``lab_bounds.toml``) and between 0.6 times the lower and 1.5 times the upper limit of its
    reference range (``labs.toml``): potassium 3.1 can only be mmol/L (3.1 mg/dL would be
    0.8 mmol/L), calcium 9.4 only mg/dL. When no unit fits that window, the units within the
    possible range are used (an alarming real result is not refused). Units of the same scale
    (potassium mmol/L and mEq/L) are one answer; a test with one scale (eGFR) takes it.

    Returns
    -------
    (unit, plausible)
        ``unit`` is the one plausible unit (None when none or several scales are; then
        ``plausible`` lists those that fit, for the error message). Raises InputError for an
        unknown test.
    """
    from .labs import find_test, interpret_lab

    entry = find_test(test)
    bound = bounds().get(entry["id"])
    possible: list[tuple[str, float]] = []
    likely: list[tuple[str, float]] = []
    for unit, factor in entry["units"].items():
        try:
            r = interpret_lab(test, float(value), unit)
        except InputError:
            continue
        if bound is not None:
            v = r.converted.get(bound["unit"])
            if v is not None and not float(bound["min"]) <= v <= float(bound["max"]):
                continue
        possible.append((unit, round(float(factor), 9)))
        cv = r.canonical_value
        if (r.low is None or cv >= r.low * 0.6) and (r.high is None or cv <= r.high * 1.5):
            likely.append((unit, round(float(factor), 9)))
    for found in (possible if len({f for _, f in possible}) == 1 else likely, possible):
        if found and len({f for _, f in found}) == 1:
            return found[0][0], [u for u, _ in found]
        if found:
            return None, [u for u, _ in found]
    return None, []
