"""The plan as the web pages and the report show it: the plan's own words.

Everything shown comes from the plan's JSON (``Plan.to_dict()``) through
:func:`crampcheck.report.plan_text.plan_words`, the same words the terminal and the PDF print:
additions with when to eat them, what they serve and cost; supplements; every target before →
after with the part from food and from supplements; what is still short with the plan's own
reason and the food and amount that closes it (``unmet[].closes_with``); the sweat, salt and
fluid section. Nothing is searched or planned here.
"""

from __future__ import annotations

from typing import Any

from ..report.plan_text import plan_words


def plan_display(result: Any, plan: dict[str, Any] | None) -> dict[str, Any]:
    """Rows, additions, supplements, unmet items, the exercise section and notes of ``plan``."""
    return plan_words(plan)
