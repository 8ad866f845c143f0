"""The assessment: from one person's case to graded, sourced findings, then the safety gate.

Order of judgement ("stop before advise", docs/ARCHITECTURE.md, section 5): the rule modules in
:mod:`crampcheck.assess.rules` read medicines, conditions and labs (which also give the context
for red flags), then red flags (symptoms read with negation, cramp sites and durations, new
medicines, and flags that depend on a pregnancy, a medicine or a condition), lab-driven and
combination stops (high calcium, magnesium, potassium or phosphate; the potassium combination;
lithium; the CKD stage), condition constraints, and only then intake against the person's DRIs,
the calcium:magnesium ratio, supplement safety, exercise and cramp timing. Finally
:func:`crampcheck.assess.safety.apply_gate` closes the gate when a finding is urgent: no food or
supplement advice, and no plan. Every finding carries citations from the knowledge base; it
describes ("your intake is below…") and does not diagnose.

References
----------
Institute of Medicine. Dietary Reference Intakes for Calcium, Phosphorus, Magnesium, Vitamin D,
and Fluoride (1997) and for Calcium and Vitamin D (2011); NASEM, DRIs for Sodium and Potassium
(2019). Garrison SR et al., Magnesium for skeletal muscle cramps, Cochrane Database Syst Rev
2020. The seed article (grade C) only for the heuristics ``knowledge/data/claims.toml`` allows.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import knowledge
from ..case import Case
from ..errors import InputError
from ..foods.schema import NUTRIENTS
from ..intake.diary import split_meal
from ..intake.supplements import parse_supplement
from ..models import SEVERITIES, Finding, Recommendation
from ..nutrient_registry import epa_dha_mg, epa_dha_mg_of
from ..reference.dri import Target, targets_for
from ..totals import Item, analyze_line
from .builder import (  # noqa: F401  (re-exported: older imports use the engine's names)
    NUTRIENT_TOPIC,
    PLAIN,
    TARGET_KEYS,
    UNIT,
    Builder,
    amount_text,
    cite,
    claim,
    is_heavy_exercise,
    is_night,
    rule,
)
from .rules import conditions as condition_rules
from .rules import follow_up, lifestyle, nutrition
from .rules import interactions as interaction_rules
from .rules import labs as lab_rules
from .rules import medicines as medicine_rules
from .rules import red_flags as red_flag_rules
from .safety import Safety, apply_gate


@dataclass
class Intake:
    days: int
    daily_mean: dict[str, float | None]
    from_supplements: dict[str, float]
    missing: dict[str, list[str]]
    per_day: dict[str, dict[str, float]] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    estimated: dict[str, list[str]] = field(default_factory=dict)
    unreadable_supplements: list[tuple[str, str]] = field(default_factory=list)
    upper_from_supplements: dict[str, float] = field(default_factory=dict)  # UL readings
    meals_logged: list[str] = field(default_factory=list)  # diary meal words, first seen first


@dataclass
class Assessment:
    case: Case
    intake: Intake
    targets: dict[str, Target]
    ratios: dict[str, float | None]
    findings: list[Finding]
    recommendations: list[Recommendation]
    unrecognized: dict[str, list[str]]
    stops: set[str] = field(default_factory=set)
    flags: dict[str, Any] = field(default_factory=dict)
    ratio_band: tuple[float, float] = (0.0, 0.0)  # set by assess()
    supplements: list[Any] = field(default_factory=list)
    plan: Any = None  # set by crampcheck.plan.apply_plan
    safety: Safety = field(default_factory=Safety)

    def to_dict(self) -> dict[str, Any]:
        return {
            "person": self.case.person_dict(),
            "intake": {
                "days": self.intake.days,
                "daily_mean": {k: _r(v) for k, v in self.intake.daily_mean.items()},
                "from_supplements": {k: _r(v) for k, v in self.intake.from_supplements.items()},
                "from_supplements_upper": {k: _r(v) for k, v in
                                           self.intake.upper_from_supplements.items()},
                "missing": self.intake.missing,
            },
            "targets": {k: _target_dict(t) for k, t in self.targets.items()},
            "ratios": {k: _r(v) for k, v in self.ratios.items()},
            "findings": [finding_dict(f) for f in self.findings],
            "recommendations": [rec_dict(r) for r in self.recommendations],
            "unrecognized": self.unrecognized,
            "safety": self.safety.to_dict(),
        }


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


def _target_dict(t: Target) -> dict[str, Any]:
    return {"ear": t.ear, "rda": t.rda, "ai": t.ai, "ul": t.ul, "ul_applies_to": t.ul_applies_to,
            "cdrr": t.cdrr, "unit": t.unit, "group": t.group, "is_dri": t.is_dri,
            "evidence": [c.to_dict() for c in t.citations]}


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {"topic": f.topic, "severity": f.severity, "summary": f.summary}
    if f.detail:
        out["detail"] = f.detail
    out.update(f.data)
    out["evidence"] = [c.to_dict() for c in f.evidence]
    return out


def rec_dict(r: Recommendation) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": r.kind, "nutrient": r.nutrient, "text": r.text}
    if r.amount:
        out["amount"] = r.amount
    if r.rationale:
        out["rationale"] = r.rationale
    if r.cautions:
        out["cautions"] = r.cautions
    if r.action:
        out["action"] = r.action
    return out


# --------------------------------------------------------------------------- intake


def _recorded_intake(recorded_days: Mapping[str, Any], per_day: dict[str, dict[str, float]],
                     missing: dict[str, list[str]], estimated: dict[str, list[str]]) -> None:
    """Fill ``per_day``, ``missing`` and ``estimated`` from the journal's stored day totals."""
    for day, rec in sorted(recorded_days.items()):
        per_day[day] = {k: (rec.totals.get(k) or 0.0) for k in NUTRIENTS}
        for k, n in rec.missing.items():
            missing.setdefault(k, []).append(f"{day}: {n} entr{'y' if n == 1 else 'ies'}")
        for k in rec.estimated:
            estimated.setdefault(k, []).append(day)


def _meals_logged(case: Case) -> list[str]:
    """The diary's meal words ("breakfast: 1 cup oatmeal"), first seen first."""
    meals: list[str] = []
    for lines in case.diary.values():
        for text in lines:
            meal = split_meal(text)[0]
            if meal and meal not in meals:
                meals.append(meal)
    return meals


def _diary_day(day: str, lines: list[str], items: list[Item],
               unmatched: list[str]) -> dict[str, float]:
    """Match one diary day's lines to USDA foods: the day's totals; items and misses appended."""
    totals = dict.fromkeys(NUTRIENTS, 0.0)
    for n, text in enumerate(lines, 1):
        meal, time, food_text = split_meal(text)
        try:
            result = analyze_line(food_text or text, day=day, line=n, source=f"diary.{day}",
                                  meal=meal, time=time)
        except InputError as exc:
            raise InputError(exc.message, source=f"diary.{day}[{n - 1}]") from None
        if isinstance(result, Item):
            items.append(result)
            for k, v in result.nutrients.items():
                if v is not None:
                    totals[k] += v
        else:
            unmatched.append(text)
    return totals


@dataclass
class _SupplementTotals:
    parsed: list[Any] = field(default_factory=list)
    unrecognized: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    amounts: dict[str, float] = field(default_factory=dict)
    upper: dict[str, float] = field(default_factory=dict)  # amounts as the UL counts them


def _supplement_totals(case: Case) -> _SupplementTotals:
    """Parse the case's supplements and add up what they give a day."""
    out = _SupplementTotals()
    for text in case.supplements:
        parsed = parse_supplement(text)
        if not parsed.recognized:
            reason = parsed.assumptions[-1] if parsed.assumptions else "no amount found"
            out.unrecognized.append(text)
            out.unreadable.append((text, reason))
            continue
        out.parsed.append(parsed)
        for k, v in parsed.contributions.items():
            out.amounts[k] = out.amounts.get(k, 0.0) + v
            out.upper[k] = out.upper.get(k, 0.0) + parsed.upper_contributions.get(k, v)
    return out


def _daily_means(per_day: dict[str, dict[str, float]],
                 from_supps: dict[str, float]) -> dict[str, float | None]:
    """Mean food intake a day plus supplements; ``None`` where neither gives a value."""
    daily: dict[str, float | None] = {}
    for k in NUTRIENTS:
        food = statistics.fmean(d[k] for d in per_day.values()) if per_day else None
        supp = from_supps.get(k, 0.0)
        daily[k] = (food or 0.0) + supp if (food is not None or supp) else None
    daily["epa_dha_mg"] = epa_dha_mg_of(daily)
    if "epa_g" in from_supps or "dha_g" in from_supps:
        from_supps["epa_dha_mg"] = epa_dha_mg(from_supps.get("epa_g", 0),
                                              from_supps.get("dha_g", 0))
    return daily


def measure_intake(case: Case, recorded_days: Mapping[str, Any] | None = None
                   ) -> tuple[Intake, list[str], list[str], list[Any]]:
    """Daily intake from the case diary (matched to USDA foods) plus supplements.

    ``recorded_days`` (day -> object with ``totals``, ``missing`` counts and ``estimated``, as
    :func:`crampcheck.journal.daily_intake` returns) replaces the diary: the journal's stored
    numbers (a tracker's own values) are used as they are.
    """
    items: list[Item] = []
    unmatched: list[str] = []
    per_day: dict[str, dict[str, float]] = {}
    missing: dict[str, list[str]] = {}
    estimated: dict[str, list[str]] = {}
    if recorded_days is not None:
        _recorded_intake(recorded_days, per_day, missing, estimated)
    meals_logged = _meals_logged(case)
    for day, lines in ([] if recorded_days is not None else sorted(case.diary.items())):
        totals = _diary_day(day, lines, items, unmatched)
        if lines:
            per_day[day] = totals
    supps = _supplement_totals(case)
    daily = _daily_means(per_day, supps.amounts)
    for item in items:
        for k, v in item.nutrients.items():
            if v is None:
                missing.setdefault(k, []).append(item.text)
    intake = Intake(len(per_day), daily, supps.amounts, missing, per_day, items, estimated,
                    supps.unreadable, supps.upper, meals_logged)
    return intake, unmatched, supps.unrecognized, supps.parsed


# --------------------------------------------------------------------------- engine


def assess(case: Case, *, ratio_band: tuple[float, float] | None = None,
           recorded_days: Mapping[str, Any] | None = None) -> Assessment:
    """Assess one case.

    Parameters
    ----------
    case : Case
        The person, diary, supplements, medicines, conditions, exercise, cramps, labs.
    ratio_band : (float, float), optional
        Calcium:magnesium intake ratio band to report against (default from
        ``plan_foods.toml``: 1.5–2.5 around the article's 2:1; not a DRI).
    recorded_days : mapping, optional
        Per-day totals recorded in the journal, used instead of matching the diary lines.

    Returns
    -------
    Assessment
        Findings most severe first (red flags first among equals), recommendations (urgent
        care and clinician first), and the safety gate the plan reads (``safety``).
    """
    ratio_band = ratio_band or knowledge.ratio_band()
    b = Builder(case)
    targets = targets_for(case.person)
    unrecognized: dict[str, list[str]] = {"diary": [], "medications": [], "conditions": [],
                                          "symptoms": [], "supplements": []}
    intake, unmatched, bad_supps, supplements = measure_intake(case, recorded_days)
    unrecognized["diary"] = unmatched
    unrecognized["supplements"] = nutrition.untracked_supplements(b, intake, bad_supps)
    # What the person takes, has and measured: also the context of the red flags.
    meds = medicine_rules.review(b, case, unrecognized, supplements)
    otc_medicines = medicine_rules.minerals_in_medicines(b, meds, intake)
    conditions = condition_rules.review(b, case, unrecognized)
    condition_ids = {m.condition.id for m in conditions}
    labs = lab_rules.review(b, case)
    # (1) red flags, with the person's situation as context
    context = red_flag_rules.context_for(case, meds, condition_ids, labs.statuses())
    red_flag_rules.review(b, case, unrecognized, medicine_rules.newly_started(case), context,
                          meds)
    # (2) lab-driven and combination stops, the kidney stage
    condition_rules.kidney_stage(b, case, labs, conditions, supplements, otc_medicines)
    condition_rules.cautions(b, conditions, supplements, otc_medicines, meds)
    follow_up.review(b, case, labs, meds, condition_ids)
    medicine_rules.potassium_combination(b, case, meds, supplements, labs, condition_ids)
    medicine_rules.lithium_interaction(b, case, meds, condition_ids)
    medicine_rules.medicine_limits(b, meds)
    interaction_rules.review(b, meds)
    # (3) conditions already constrain the plan (condition_rules.review); children get no
    # supplement proposals
    if nutrition.is_child(case):
        b.constrain("no_supplements", knowledge.load("safety_rules")["children"][0]["reason"])
    # (4) intake, ratio, supplement safety, lifestyle
    nutrition.intake_findings(b, case, intake, targets)
    ratio = nutrition.ratio(b, intake, ratio_band)
    nutrition.supplement_safety(b, case, intake, targets, supplements, otc_medicines)
    lifestyle.exercise(b, case)
    lifestyle.timing(b, case)
    lifestyle.cramp_days(b, case, intake)
    lifestyle.stretching(b, case)
    _data_quality(b, case, intake, unrecognized)
    follow_up.no_added_sodium(b, case, intake.daily_mean.get("sodium_mg"), condition_ids)
    if case.cramps and not any(f.topic == "red_flag" for f in b.findings):
        c = claim("cramps_from_ca_or_mg_deficiency")
        if case.person.pregnant:
            b.add("magnesium", "info", "In pregnancy, trials of magnesium for leg cramps "
                  "disagree and are at high risk of bias; ask your midwife or doctor before "
                  "taking it.", [cite("cochrane_2020_pregnancy_cramps", "A")])
        elif case.person.age >= 50:
            b.add("magnesium", "info", "Magnesium supplements are unlikely to prevent typical "
                  "night cramps in older adults; they help when a real deficiency is found.",
                  knowledge.citations(c), c["evidence_says"])
    for r in b.reductions:  # what each reduction starts from, and the products it concerns
        r.from_amount = max(r.from_amount, intake.from_supplements.get(r.key, 0.0))
        if not r.products:
            r.products = nutrition.product_lines(supplements, otc_medicines, r.key)
    b.reductions = [r for r in b.reductions if r.from_amount > r.to_amount]
    safety = apply_gate(b)
    findings = sorted(b.findings, key=lambda f: (-SEVERITIES.index(f.severity),
                                                 f.topic != "red_flag"))
    b.flags["medications"] = meds
    return Assessment(case, intake, targets, {"calcium_to_magnesium": ratio}, findings, b.recs,
                      unrecognized, b.stops, b.flags, ratio_band, supplements, safety=safety)


def _data_quality(b: Builder, case: Case, intake: Intake,
                  unrecognized: dict[str, list[str]]) -> None:
    src = [cite("usda_fdc", "A")]
    for text, reason in intake.unreadable_supplements:
        b.add("data_quality", "low", f"Supplement not counted: {text} ({reason}). Give the amount "
              f"per tablet as on the label, for example \"calcium carbonate 600 mg\".", src,
              supplement=text)
    if intake.days == 0:
        b.add("data_quality", "low", "No food diary was given, so intake could not be compared "
              "with the DRIs. Add a few typical days of eating.", src)
        return
    if intake.days < 3:
        b.add("data_quality", "info", f"The diary covers {intake.days} day(s); intake varies from "
              f"day to day, so 3–7 typical days give a fairer average.", src, days=intake.days)
    if intake.estimated:
        keys = ", ".join(sorted(intake.estimated))
        b.add("data_quality", "info", f"Some journal values are estimates ({keys}): foods "
              f"re-matched to USDA data or converted from % daily value.", src,
              estimated={k: v for k, v in sorted(intake.estimated.items())})
    for kind, texts in unrecognized.items():
        if kind in ("supplements", "symptoms"):  # each has its own finding
            continue
        if texts:
            b.add("data_quality", "low", f"Not recognised ({kind}): " + "; ".join(texts) +
                  ". These were not counted; check the spelling or give more detail.", src,
                  kind=kind, texts=texts)
