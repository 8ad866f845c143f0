"""crampcheck: links cramps to intake, medicines and exercise, every statement sourced."""

from __future__ import annotations

from .totals import NutrientReport, nutrients

__all__ = ["NutrientReport", "nutrients"]
__version__ = "0.1.0"
