"""What the rule modules share: the finding/recommendation builder, the safety state it
collects (blocks, reductions, plan constraints) and small helpers.

Each rule module (:mod:`crampcheck.assess.rules`) reads its thresholds, classes and wording from
the knowledge data and writes into one :class:`Builder`; :mod:`crampcheck.assess.engine` runs
them in the order of judgement and :mod:`crampcheck.assess.safety` turns the collected state
into the gate the plan reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import knowledge
from ..case import Case
from ..models import SEVERITIES, Citation, Finding, Recommendation
from ..nutrient_registry import DRI_KEYS, KEY_OF_TOPIC
from ..nutrient_registry import get as get_nutrient

# Names, units and topics from crampcheck.nutrient_registry: the targets judged, and
# phosphorus, which medicine findings name too.
TARGET_KEYS = DRI_KEYS
NUTRIENT_TOPIC = {k: get_nutrient(k).topic for k in TARGET_KEYS}
PLAIN = {k: get_nutrient(k).in_sentence for k in (*TARGET_KEYS, "phosphorus_mg")}
UNIT = {k: get_nutrient(k).unit for k in PLAIN}
#: The intake key of each nutrient a block or a reduction names.
NUTRIENT_KEY = KEY_OF_TOPIC
KIND_ORDER = {"urgent_care": 0, "clinician": 1, "food": 2, "supplement": 3, "lifestyle": 4}


def cite(source_id: str, grade: str) -> Citation:
    return Citation(source_id, grade)


def claim(claim_id: str) -> dict[str, Any]:
    for entry in knowledge.load("claims")["claims"]:
        if entry["id"] == claim_id:
            return entry
    raise KeyError(claim_id)


def rule(section: str) -> dict[str, Any]:
    """A cut-off of crampcheck's own from ``assess_rules.toml`` (exercise, timing)."""
    return knowledge.load("assess_rules")[section][0]


def is_night(hour: int) -> bool:
    t = rule("timing")
    start, end = int(t["night_start_hour"]), int(t["night_end_hour"])
    return hour >= start or hour < end


def is_heavy_exercise(hours_per_week: float, intensity: str) -> bool:
    e = rule("exercise")
    return hours_per_week >= e["heavy_hours_per_week"] or (
        intensity == "vigorous" and hours_per_week >= e["heavy_vigorous_hours_per_week"])


def safety_rule(section: str) -> dict[str, Any]:
    """The one entry of a section of ``safety_rules.toml`` (gate, potassium combination…)."""
    return knowledge.load("safety_rules")[section][0]


def safety_rules(section: str) -> list[dict[str, Any]]:
    """Every entry of a section of ``safety_rules.toml`` (lab stops, kidney stages)."""
    return list(knowledge.load("safety_rules").get(section, []))


def amount_text(value: float) -> str:
    """An intake in words with enough digits that it never looks like its threshold
    (9.96 is "9.96", not "10.0")."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def listing(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    items = [i for i in dict.fromkeys(items) if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass
class Block:
    """No additions of ``nutrient``: foods rich in it and supplements (``scope``
    ``"foods_and_supplements"``), or supplements only (``"supplements"``)."""

    nutrient: str
    scope: str
    reason: str
    rule: str
    evidence: list[Citation] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"nutrient": self.nutrient, "scope": self.scope, "reason": self.reason,
                "rule": self.rule, "evidence": [c.to_dict() for c in self.evidence]}


@dataclass
class Reduction:
    """Take at most ``to_amount`` (per day, in the unit of ``key``) of a nutrient from supplements
    and over-the-counter products (0 = stop them)."""

    key: str
    from_amount: float
    to_amount: float
    reason: str
    rule: str
    products: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"nutrient": self.key, "from": round(self.from_amount, 2),
                "to": round(self.to_amount, 2), "unit": UNIT.get(self.key, "mg"),
                "products": list(self.products), "reason": self.reason, "rule": self.rule}


@dataclass
class _Rec:
    rec: Recommendation
    rank: int
    order: int


class Builder:
    """Collects findings, recommendations and the safety state while the rules run."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.findings: list[Finding] = []
        self._recs: list[_Rec] = []
        self.stops: set[str] = set()  # supplement nutrients never proposed (legacy view)
        self.blocks: list[Block] = []
        self.reductions: list[Reduction] = []
        self.constraints: dict[str, Any] = {}
        self.flags: dict[str, Any] = {"acid_suppressant": False, "potassium_caution": False,
                                      "spacing": [], "kidney": False}

    # ------------------------------------------------------------------ findings and advice

    def add(self, topic: str, severity: str, summary: str, evidence: list[Citation],
            detail: str = "", **data: Any) -> Finding:
        f = Finding(topic, severity, summary, detail, evidence, data)
        self.findings.append(f)
        return f

    def rec(self, kind: str, nutrient: str | None, text: str, *, severity: str = "info",
            **kw: Any) -> None:
        """Add a recommendation (once per kind and text); ``severity`` ranks it within its kind."""
        if any(r.rec.kind == kind and r.rec.text == text for r in self._recs):
            return
        rank = SEVERITIES.index(severity) if severity in SEVERITIES else 0
        self._recs.append(_Rec(Recommendation(kind, nutrient, text, **kw), rank,
                               len(self._recs)))

    @property
    def recs(self) -> list[Recommendation]:
        ordered = sorted(self._recs, key=lambda r: (KIND_ORDER[r.rec.kind], -r.rank, r.order))
        return [r.rec for r in ordered]

    def drop_recs(self, keep) -> None:
        """Keep only the recommendations for which ``keep(rec)`` is true."""
        self._recs = [r for r in self._recs if keep(r.rec)]

    # ------------------------------------------------------------------ safety state

    def block(self, nutrient: str, scope: str, reason: str, rule_id: str,
              evidence: list[Citation] | None = None) -> None:
        """No additions of ``nutrient`` (see :class:`Block`); supplement blocks also feed the
        legacy ``stops`` set and a potassium food block the ``potassium_caution`` flag."""
        for b in self.blocks:
            if b.nutrient == nutrient and b.scope == scope and b.rule == rule_id:
                return
        self.blocks.append(Block(nutrient, scope, reason, rule_id, list(evidence or [])))
        if nutrient in ("magnesium", "potassium", "calcium", "vitamin_d"):
            self.stops.add(nutrient)
        if nutrient == "potassium" and scope == "foods_and_supplements":
            self.flags["potassium_caution"] = True

    def blocked(self, nutrient: str, *, foods: bool = False) -> list[Block]:
        """The blocks on ``nutrient`` (only those covering foods when ``foods``)."""
        return [b for b in self.blocks if b.nutrient == nutrient
                and (not foods or b.scope == "foods_and_supplements")]

    def reduce(self, key: str, from_amount: float, to_amount: float, reason: str, rule_id: str,
               products: list[str] | None = None) -> bool:
        """Record that supplements of ``key`` go down to ``to_amount``; False when a stricter (or
        equal) reduction of that nutrient is already recorded."""
        for r in self.reductions:
            if r.key == key and r.to_amount <= to_amount:
                return False
        self.reductions = [r for r in self.reductions if r.key != key]
        self.reductions.append(Reduction(key, from_amount, to_amount, reason, rule_id,
                                         list(products or [])))
        return True

    def reduction_for(self, key: str) -> Reduction | None:
        return next((r for r in self.reductions if r.key == key), None)

    def constrain(self, name: str, value: Any) -> None:
        """A plan constraint. A number (a cap) beats ``True`` (a cap without a number), and of
        two numbers the stricter (lower) wins."""
        old = self.constraints.get(name)
        if isinstance(value, str):  # a reason: keep every distinct one
            if old is None or old is True:
                self.constraints[name] = value
            elif isinstance(old, str) and value not in old:
                self.constraints[name] = f"{old}; {value}"
            return
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        old_number = isinstance(old, (int, float)) and not isinstance(old, bool)
        if old is None or (number and not old_number):
            self.constraints[name] = value
        elif number and old_number:
            self.constraints[name] = min(old, value)
        elif not number and not old_number:
            self.constraints[name] = bool(old) or bool(value)
