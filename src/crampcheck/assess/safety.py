"""The safety gate between the assessment and the plan: "stop before advise".

Order of judgement (docs/ARCHITECTURE.md, section 5): (1) red flags and urgent labs - if any
finding is ``urgent``, the assessment says what to do now (``urgent_care``) and why, and there
is no food or supplement plan and no "add foods rich in …" advice; (2) lab-driven and
combination stops (high calcium, magnesium, potassium or phosphate, the potassium combination,
the CKD stage) block additions of that mineral and say what to stop; (3) conditions constrain
the plan (fluid, salt, stones, children); (4) only then the plan.

:class:`Safety` is what the plan reads: whether it may run at all, which nutrients it must not
add (:class:`~crampcheck.assess.builder.Block`), which supplement amounts come down first
(:class:`~crampcheck.assess.builder.Reduction`) and the constraints. The rules that fill it are
data (``knowledge/data/safety_rules.toml``); the plan never special-cases a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models import Finding
from .builder import Block, Builder, Reduction, safety_rule


@dataclass
class Safety:
    """The gate's verdict for one assessment.

    Attributes
    ----------
    stopped_by : list of Finding
        The urgent findings; when there is any, no food or supplement plan is made.
    blocks : list of Block
        Nutrients whose additions (foods and/or supplements) are blocked, with the reason.
    reductions : list of Reduction
        Supplement and over-the-counter amounts to bring down (0 = stop) before anything is added.
    constraints : dict
        ``fluid_limit`` (True, or mL/day), ``sodium_cap_mg``, ``no_high_oxalate``,
        ``keep_calcium``, ``no_supplements`` (the reason), from conditions and age.
    """

    stopped_by: list[Finding] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    reductions: list[Reduction] = field(default_factory=list)
    constraints: dict[str, Any] = field(default_factory=dict)

    @property
    def stopped(self) -> bool:
        return bool(self.stopped_by)

    def food_blocked(self, nutrient: str) -> list[Block]:
        return [b for b in self.blocks
                if b.nutrient == nutrient and b.scope == "foods_and_supplements"]

    def supplement_blocked(self, nutrient: str) -> list[Block]:
        return [b for b in self.blocks if b.nutrient == nutrient]

    def plan_note(self) -> str:
        """Why there is no plan, in words (empty when the plan may run)."""
        if not self.stopped:
            return ""
        reasons = "; ".join(f.summary.rstrip(".") for f in self.stopped_by[:3])
        more = len(self.stopped_by) - 3
        if more > 0:
            reasons += f"; and {more} more"
        return safety_rule("gate")["plan_note"].format(reasons=reasons)

    def to_dict(self) -> dict[str, Any]:
        stopped = []
        for f in self.stopped_by:
            item = {"topic": f.topic, "summary": f.summary}
            for key in ("flag", "test", "rule"):
                if key in f.data:
                    item[key] = f.data[key]
            stopped.append(item)
        return {
            "plan": "stopped" if self.stopped else "allowed",
            "stopped_by": stopped,
            "blocked": [b.to_dict() for b in self.blocks],
            "reductions": [r.to_dict() for r in self.reductions],
            "constraints": dict(self.constraints),
        }


def apply_gate(b: Builder) -> Safety:
    """Close the gate when a finding is urgent: drop every recommendation that adds a food or a
    supplement (advice to stop or reduce one stays) and say, as urgent care, that nothing new
    should be started now. Returns the :class:`Safety` the plan reads."""
    urgent = [f for f in b.findings if f.severity == "urgent"]
    if urgent:
        b.drop_recs(lambda r: r.kind not in ("food", "supplement") or r.action in ("stop",
                                                                                  "reduce"))
        gate = safety_rule("gate")
        b.rec("urgent_care", None, gate["recommendation"], severity="high",
              rationale="; ".join(f.summary for f in urgent[:3]))
    return Safety(urgent, list(b.blocks), list(b.reductions), dict(b.constraints))
