"""Plain wording helpers shared by every layer: how a number and a food's name are written in
a sentence. No crampcheck imports, so ``plan/`` and ``journal/`` can use them without
depending on ``report/`` (which re-exports them in :mod:`crampcheck.report.labels`)."""

from __future__ import annotations

from typing import Any

__all__ = ["UNKNOWN", "fmt_amount", "lower_first"]

UNKNOWN = "–"  # en dash: no value (not zero)


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


def lower_first(text: str) -> str:
    """A food's name inside a sentence: its first letter in lower case unless the first word is
    an abbreviation ("Soymilk, plain" → "soymilk, plain"; "UV-exposed" stays)."""
    word = text.split(" ", 1)[0]
    return text if len(word) > 1 and word[:2].isupper() else text[:1].lower() + text[1:]
