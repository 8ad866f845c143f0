"""Exercise, cramp timing and cramp days against other days.

The seed article's day/night heuristic (day cramps point to calcium, night cramps to
magnesium) is reported as a heuristic and never above ``low``.

References
----------
.. [1] NICE CKS Leg cramps; Merck Manual, Leg cramps (exercise and heat as triggers).
.. [2] The seed article (grade C) for the day/night heuristic only.
"""

from __future__ import annotations

import statistics
from typing import Any

from ... import knowledge
from ...case import Case
from ..builder import Builder, cite, claim, is_heavy_exercise, is_night, rule

#: The rationale of the assessment's own exercise advice: the plan's sweat section (with its
#: estimate and sources) replaces it when the plan runs.
EXERCISE_RATIONALE = ("Heavy exercise and sweating are common triggers of cramps (NICE CKS; "
                      "Merck Manual).")


def exercise(b: Builder, case: Case) -> None:
    ex = case.exercise
    if ex is None:
        return
    heavy = is_heavy_exercise(ex.hours_per_week, ex.intensity)
    evidence = [cite("nice_cks_leg_cramps", "A"), cite("merck_leg_cramp_causes", "B")]
    if heavy or ex.hot_environment:
        severity = "moderate" if (heavy and ex.hot_environment) else "low"
        where = " in the heat" if ex.hot_environment else ""
        b.add("exercise", severity, f"You exercise {ex.hours_per_week:g} h/week "
              f"({ex.intensity}){where}. Heavy exercise and sweating are common triggers of "
              f"cramps, and sweat carries away sodium and some potassium and magnesium.",
              evidence, hours_per_week=ex.hours_per_week, intensity=ex.intensity,
              hot_environment=ex.hot_environment)
        fluid = b.constraints.get("fluid_limit")
        no_salt = b.constraints.get("no_salt_advice")
        if fluid:
            b.rec("lifestyle", None, "Stay within your fluid limit even when exercising; ask "
                  "your clinician how to adjust it for long or hot sessions, and stretch the "
                  "calves before and after exercise.", rationale=EXERCISE_RATIONALE)
        elif no_salt:
            b.rec("lifestyle", None, "Drink to thirst during long or hot sessions and stretch "
                  f"the calves before and after exercise; because of {no_salt}, ask your "
                  "clinician how much salt to take around long or hot sessions.",
                  rationale=EXERCISE_RATIONALE)
        else:
            b.rec("lifestyle", None, "Drink to thirst during long or hot sessions and replace "
                  "salt after heavy sweating; stretch the calves before and after exercise.",
                  rationale=EXERCISE_RATIONALE)
    else:
        b.add("exercise", "info", f"You exercise {ex.hours_per_week:g} h/week ({ex.intensity}); "
              f"this is not a likely cause of cramps on its own.", evidence,
              hours_per_week=ex.hours_per_week, intensity=ex.intensity)


def timing(b: Builder, case: Case) -> None:
    times = [c.at for c in case.cramps if c.at is not None]
    if not times:
        return
    night = sum(1 for t in times if is_night(t.hour))
    c = claim("day_calcium_night_magnesium")
    share = night / len(times)
    if share >= 0.5:
        t = rule("timing")
        summary = (f"{night} of {len(times)} cramps came at night "
                   f"({int(t['night_start_hour']):02d}:00–{int(t['night_end_hour']):02d}:00). "
                   f"The seed article links night cramps to magnesium: that is its heuristic, "
                   f"not an established rule.")
    else:
        summary = (f"{len(times) - night} of {len(times)} cramps came by day. The seed article "
                   f"links day cramps to calcium: that is its heuristic, not an established "
                   f"rule.")
    severity = "low" if len(times) >= 3 else "info"
    b.add("symptom_timing", severity, summary, knowledge.citations(c), c["evidence_says"],
          night=night, total=len(times), heuristic=True)


def cramp_days(b: Builder, case: Case, intake: Any) -> None:
    if len(intake.per_day) < 7 or not case.cramps:
        return
    days = {c.at.date().isoformat() for c in case.cramps if c.at is not None}
    on = [d["magnesium_mg"] for day, d in intake.per_day.items() if day in days]
    off = [d["magnesium_mg"] for day, d in intake.per_day.items() if day not in days]
    if not on or not off:
        return
    diff = statistics.fmean(on) - statistics.fmean(off)
    b.add("data_quality", "info", f"Magnesium intake on the {len(on)} diary day(s) with cramps "
          f"averaged {statistics.fmean(on):,.0f} mg vs {statistics.fmean(off):,.0f} mg on the "
          f"{len(off)} other day(s) ({diff:+,.0f} mg). With this few days the difference can "
          f"easily be chance; keep logging before drawing conclusions.",
          [cite("seed_article", "C")], cramp_days=len(on), other_days=len(off))


def stretching(b: Builder, case: Case) -> None:
    """Calf stretching, the first measure NICE CKS advises, for ordinary cramps (no red flag,
    nothing urgent)."""
    cramps = bool(case.cramps) or any("cramp" in t.lower() for t in case.symptoms)
    if not cramps or any(f.topic == "red_flag" or f.severity == "urgent" for f in b.findings):
        return
    r = rule("stretching")
    b.rec("lifestyle", None, r["text"], severity="low", rationale=r["rationale"])
    b.add("lifestyle", "info", r["rationale"], [cite(s, r["grade"]) for s in r["source"]],
          advice="stretching")
