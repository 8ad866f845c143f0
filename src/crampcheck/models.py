"""Domain objects shared by every layer (plain, typed dataclasses).

Units are part of every numeric field name (``grams``, ``elemental_mg``, ``weight_kg``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Sex = Literal["female", "male"]
SEVERITIES: tuple[str, ...] = ("info", "low", "moderate", "high", "urgent")
RECOMMENDATION_KINDS: tuple[str, ...] = (
    "urgent_care",
    "clinician",
    "food",
    "supplement",
    "lifestyle",
)
GRADES: tuple[str, ...] = ("A", "B", "C")


@dataclass(frozen=True)
class Citation:
    """A pointer to an entry of the source registry with the evidence grade it supports."""

    source_id: str
    grade: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source_id, "grade": self.grade}


@dataclass(frozen=True)
class Person:
    age: float
    sex: Sex
    pregnant: bool = False
    lactating: bool = False
    weight_kg: float | None = None


@dataclass(frozen=True)
class SupplementDose:
    """A daily supplement dose; ``elemental_mg`` is the element itself (not the salt)."""

    mineral: str
    form: str | None
    elemental_mg: float
    text: str = ""


@dataclass
class Finding:
    topic: str
    severity: str
    summary: str
    detail: str = ""
    evidence: list[Citation] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Recommendation:
    """What to do. ``action`` is ``"stop"`` or ``"reduce"`` for advice to take less of a
    supplement or product (kept when an urgent finding stops the plan), else empty."""

    kind: str
    nutrient: str | None
    text: str
    amount: str | None = None
    rationale: str = ""
    cautions: list[str] = field(default_factory=list)
    action: str = ""
