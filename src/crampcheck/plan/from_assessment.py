"""A plan for an assessed case: the assessment's intake, targets and safety gate as context.

The gate (:mod:`crampcheck.assess.safety`) decides first: with an urgent finding there is no
plan (an empty plan whose notes say why); otherwise its blocks, reductions and constraints
become the plan's context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .context import PlanContext
from .roles import meal_of

if TYPE_CHECKING:
    from ..assess.engine import Assessment
    from . import Plan


def context_for(assessment: Assessment, *, diet: str | None = None,
                avoid: tuple[str, ...] | None = None, dislikes: tuple[str, ...] | None = None,
                max_kcal: float = 300.0) -> PlanContext:
    """The :class:`PlanContext` of an assessment; CLI options override the case preferences.

    Kidney disease (from conditions or an eGFR below 60) stops magnesium and potassium
    supplements; potassium-raising medicines or a high potassium lab make potassium additions
    a matter for the clinician; acid suppressants choose calcium citrate; interacting medicines
    give the spacing (the longer of "hours before" and "hours after" from the medicine data).
    """
    case = assessment.case
    prefs = case.preferences
    daily = {k: v for k, v in assessment.intake.daily_mean.items() if v is not None}
    spacing = []
    for s in assessment.flags.get("spacing", []):
        hours = max(h for h in (s.get("hours_before"), s.get("hours_after"), 0) if h is not None)
        spacing.append({"drug": s["drug"], "hours": hours, "minerals": s["minerals"],
                        "advice": s.get("advice", "")})
    safety = assessment.safety
    return PlanContext(
        person=case.person,
        daily_mean=daily,
        # adequacy counts each supplement as usually taken; the UL headroom at its higher
        # reading (issue 10): "calcium carbonate 600 mg" is 240 mg here and 600 mg there
        from_supplements=dict(assessment.intake.from_supplements),
        from_supplements_upper=dict(assessment.intake.upper_from_supplements
                                    or assessment.intake.from_supplements),
        targets=assessment.targets,
        diet=diet or prefs.diet,
        avoid=tuple(avoid) if avoid is not None else prefs.avoid,
        dislikes=tuple(dislikes) if dislikes is not None else prefs.dislikes,
        eaten_food_ids=[i.food.id for i in assessment.intake.items],
        max_kcal=max_kcal,
        ratio_band=assessment.ratio_band,
        no_supplements=set(assessment.stops),
        potassium_caution=bool(assessment.flags.get("potassium_caution")),
        acid_suppressant=bool(assessment.flags.get("acid_suppressant")),
        spacing=spacing,
        existing_supplements=list(assessment.supplements),
        blocks=[{"nutrient": b.nutrient, "scope": b.scope, "reason": b.reason}
                for b in safety.blocks],
        reductions=[{"nutrient": r.key, "to": r.to_amount, "reason": r.reason,
                     "products": list(r.products)} for r in safety.reductions],
        constraints=dict(safety.constraints),
        meals_logged=_plan_meals(assessment.intake.meals_logged),
        eaten_meals=_eaten_meals(assessment.intake.items),
        medicine_classes=_medicine_classes(assessment.flags.get("medications", [])),
        exercise=case.exercise,
        has_cramps=bool(case.cramps),
    )


def _eaten_meals(items: list[Any]) -> dict[str, str]:
    """Food id -> the plan meal it was first logged with."""
    out: dict[str, str] = {}
    for i in items:
        meal = meal_of(getattr(i, "meal", None))
        if meal:
            out.setdefault(i.food.id, meal)
    return out


def _plan_meals(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        meal = meal_of(word)
        if meal and meal not in out:
            out.append(meal)
    return out


def _medicine_classes(meds: list[Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in meds:
        for cid in m.class_ids():
            out.setdefault(cid, []).append(m.text)
    return out


def plan_for_assessment(assessment: Assessment, **options) -> Plan:
    """Food additions and a supplement plan for an assessed case (see :func:`context_for`).

    No plan is proposed without a food diary (nothing says what is missing) or with dialysis
    (the renal team sets diet and supplements); no calcium, magnesium or vitamin D supplement
    while a supplement or mineral-containing medicine could not be counted. The notes say why.
    """
    from . import Plan, make_plan

    if assessment.safety.stopped:  # stop before advise: say what to do now, not what to eat
        return Plan([], [], {}, {}, [], [assessment.safety.plan_note()], stopped=True,
                    blocked=[{"nutrient": b.nutrient, "scope": b.scope, "reason": b.reason}
                             for b in assessment.safety.blocks])
    if assessment.intake.days == 0:  # nothing to measure against: no numbers, no advice
        return Plan([], [], {}, {}, [], [
            "No food diary was given, so nothing shows what is missing: log a few typical "
            "days of eating first; no foods or supplements are proposed."])
    ctx = context_for(assessment, **options)
    reasons = []
    if assessment.flags.get("dialysis"):
        reasons.append("With dialysis, the kidney team (renal dietitian) sets food and "
                       "supplement changes: crampcheck proposes none.")
    unknown = list(assessment.unrecognized.get("supplements", [])) + list(
        assessment.flags.get("unread_minerals", []))
    if unknown and not reasons:  # a multivitamin may hold any of them
        ctx.no_supplements |= {"magnesium", "calcium", "vitamin_d"}
        if not assessment.stops & {"magnesium"}:
            ctx.no_supplements_reason = "while some supplements could not be counted"
        reasons.append("Some supplements or medicines could not be counted ("
                       + "; ".join(unknown) + "): no calcium, magnesium or vitamin D supplement "
                       "is proposed until their amounts are known, so no upper limit is passed "
                       "unseen.")
    if assessment.flags.get("dialysis"):
        ctx.max_kcal = 0.0
        ctx.no_supplements |= {"magnesium", "calcium", "potassium", "vitamin_d"}
    plan = make_plan(ctx)
    plan.notes[:0] = reasons
    return plan


def apply_plan(assessment: Assessment, plan: Plan) -> None:
    """Put the plan's food and supplement advice into the assessment's recommendations.

    The assessment's own "add foods rich in X" lines give way to the plan's specific foods and
    amounts, and its general exercise advice to the plan's sweat and salt section when there is
    one; its urgent-care, clinician and other lifestyle advice and its advice to stop or reduce a
    supplement stay first, as they were. A stopped plan adds nothing.
    """
    from ..assess.rules.lifestyle import EXERCISE_RATIONALE

    kept = [r for r in assessment.recommendations
            if (r.kind not in ("food", "supplement") or r.action in ("stop", "reduce"))
            and not (plan.exercise is not None and r.rationale == EXERCISE_RATIONALE)]
    texts = {r.text for r in kept}
    asked = {r.nutrient for r in kept if r.kind == "clinician" and r.nutrient}
    added = [r for r in plan.recommendations() if r.text not in texts
             and not (r.kind == "clinician" and r.nutrient in asked)]
    order = {"urgent_care": 0, "clinician": 1, "food": 2, "supplement": 3, "lifestyle": 4}
    assessment.recommendations = sorted(kept + added, key=lambda r: order[r.kind])
    assessment.plan = plan
