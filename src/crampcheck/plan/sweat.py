"""Sweat, salt and fluid around exercise: an estimate of losses, and what to drink and eat.

With vigorous exercise, sessions of an hour or more, or exercise in the heat (the case's
``exercise``), the plan estimates the fluid and sodium a session's sweat carries away and the
daily average, each with a range, and gives the advice of ``knowledge/data/sweat.toml``:

* fluid lost per session = sweat rate (mL per kg per hour, by intensity and heat) × body weight ×
  session length; a measured sweat rate (``exercise.sweat_rate_l_per_h``) replaces the estimate.
  The vigorous-in-heat rate is measured in athletes (Baker 2016: 15.3 ± 6.8 mL/kg/h); the
  others are crampcheck's scaling of it by energy spent and heat (grade C, said as such);
* sodium lost = fluid × sweat sodium (35.9 ± 10.4 mmol/L, Baker 2016; ACSM 2007 about 35,
  range 10–70);
* drink to thirst (EAH consensus 2015), and in long or hot sessions lose no more than 2 % of body
  weight and never gain weight (ACSM 2007); a sports drink or salty food in long sessions and
  salt with the next meal after heavy sweating (ACSM 2007), stated with what is known about salt
  and cramps (mixed: Schwellnus 2011, Stofan 2005; grade B);
* never salt advice when the safety gate says ``no_salt_advice`` (a low-salt diet, heart
  failure, kidney disease, high blood pressure or its medicines, lithium…): crampcheck defers to
  the clinician, and with a fluid restriction it gives no fluid targets either.
"""

from __future__ import annotations

from typing import Any

from .. import knowledge
from ..models import Citation
from .context import PlanContext
from .explain import reasons_text

ALL_IDS = ("measure", "drink_to_thirst", "replace_losses", "fluid_limit", "salt_after",
           "salt_during", "no_salt", "salt_and_cramps")


def _rule(section: str) -> dict[str, Any]:
    return knowledge.load("sweat")[section][0]


def applies(ctx: PlanContext) -> bool:
    """Whether the case's exercise calls for the section: vigorous, hot, or long sessions."""
    ex = ctx.exercise
    if ex is None or not ex.hours_per_week:
        return False
    long_min = float(_rule("exercise_section")["long_session_minutes"])
    return bool(ex.intensity == "vigorous" or ex.hot_environment
                or (ex.session_minutes or 0) >= long_min)


def sweat_rate(intensity: str, hot: bool) -> dict[str, Any]:
    """The ``[[sweat_rate]]`` row for an intensity and heat."""
    for row in knowledge.load("sweat")["sweat_rate"]:
        if row["intensity"] == intensity and bool(row["hot"]) == bool(hot):
            return row
    raise KeyError(intensity)


def estimate(ctx: PlanContext) -> dict[str, Any] | None:
    """The exercise section of the plan (``Plan.exercise``), or None when it does not apply.

    Returns
    -------
    dict
        ``session_minutes``, ``sessions_per_week``, ``weight_kg``, ``sweat_l_per_session``
        ``{"central", "low", "high"}``, ``sodium_mg_per_session`` (same), ``sodium_mg_per_day``
        (same, averaged over the week), ``basis`` (how it was estimated, with its grade),
        ``assumptions``, ``salt_advice`` (bool), ``salt_withheld`` (the reason, or None),
        ``advice`` [{``id``, ``text``, ``evidence``}], ``evidence``.
    """
    if not applies(ctx):
        return None
    ex = ctx.exercise
    section = _rule("exercise_section")
    assumptions: list[str] = []
    weight = ctx.person.weight_kg
    if not weight:
        weight = float(section["assumed_weight_kg"])
        assumptions.append(f"no body weight was given: {weight:g} kg assumed")
    minutes = ex.session_minutes
    if not minutes:
        minutes = float(section["assumed_session_minutes"])
        assumptions.append(f"no session length was given: sessions of {minutes:g} minutes "
                           "assumed")
    hours = minutes / 60.0
    sessions = ex.hours_per_week / hours
    rate = sweat_rate(ex.intensity, ex.hot_environment)
    sodium = _rule("sweat_sodium")
    mg_per_l = {k: float(sodium[f"{k}_mmol_l"]) * float(sodium["mg_per_mmol"])
                for k in ("central", "low", "high")}
    if ex.sweat_rate_l_per_h:
        measured = float(ex.sweat_rate_l_per_h)
        litres = {k: measured * hours for k in ("central", "low", "high")}
        basis = (f"your measured sweat rate of {measured:g} L an hour × {minutes:g} minutes; "
                 f"sweat sodium {sodium['central_mmol_l']:g} mmol/L "
                 f"({sodium['low_mmol_l']:g}–{sodium['high_mmol_l']:g}) in athletes")
        evidence = knowledge.citations(sodium)
    else:
        litres = {k: float(rate[k]) * weight * hours / 1000.0 for k in ("central", "low", "high")}
        basis = (f"{ex.intensity} exercise{' in the heat' if ex.hot_environment else ''}: about "
                 f"{rate['central']:g} mL of sweat per kg per hour ({rate['low']:g}–"
                 f"{rate['high']:g}; grade {rate['grade']}"
                 + ("" if rate["grade"] != "C" else ", scaled from athletes measured in the "
                    "heat")
                 + f") × {weight:g} kg × {minutes:g} minutes; sweat sodium "
                 f"{sodium['central_mmol_l']:g} mmol/L ({sodium['low_mmol_l']:g}–"
                 f"{sodium['high_mmol_l']:g}; grade {sodium['grade']})")
        evidence = knowledge.citations(rate) + knowledge.citations(sodium)
    na = {k: litres[k] * mg_per_l[k] for k in ("central", "low", "high")}
    per_day = {k: na[k] * sessions / 7.0 for k in na}
    withheld = ctx.constraints.get("no_salt_advice")
    fluid_limit = bool(ctx.constraints.get("fluid_limit"))
    long_or_hot = ex.hot_environment or minutes >= float(section["long_session_minutes"])
    during = float(section["salt_during_minutes_hot" if ex.hot_environment
                           else "salt_during_minutes"])
    applies_when = {
        "always": True,
        "fluid": not fluid_limit,
        "fluid_limit": fluid_limit,
        "long_or_hot": long_or_hot and not fluid_limit,
        "salt": bool(long_or_hot and not withheld and not fluid_limit),
        "salt_during": bool(minutes >= during and not withheld and not fluid_limit),
        "no_salt": bool(withheld),
        "cramps": bool(ctx.has_cramps or ex.cramps_around_exercise),
    }
    words = {"two_percent_kg": f"{float(section['max_body_mass_loss']) * weight:.1f}",
             "during_minutes": f"{during:g}",
             "reason": reasons_text(withheld) if withheld else ""}
    advice = []
    for row in knowledge.load("sweat")["advice"]:
        if applies_when.get(row["when"], False):
            text = row["text_no_salt"] if withheld and "text_no_salt" in row else row["text"]
            advice.append({"id": row["id"], "text": text.format(**words),
                           "evidence": _cite(row)})
    return {
        "session_minutes": round(minutes, 1),
        "sessions_per_week": round(sessions, 2),
        "weight_kg": round(weight, 1),
        "sweat_l_per_session": {k: round(v, 2) for k, v in litres.items()},
        "sodium_mg_per_session": {k: round(v) for k, v in na.items()},
        "sodium_mg_per_day": {k: round(v) for k, v in per_day.items()},
        "basis": basis,
        "assumptions": assumptions,
        "salt_advice": any(a["id"] in ("salt_after", "salt_during") for a in advice),
        "salt_withheld": str(withheld) if withheld else None,
        "cramps_around_exercise": ex.cramps_around_exercise,
        "advice": advice,
        "evidence": [c.to_dict() for c in _unique(evidence + knowledge.citations(section))],
    }


def sodium_need_note(section: dict[str, Any], ai: float) -> str:
    """The sodium AI caveat for heavy sweaters (``[[sodium_need]]``)."""
    row = _rule("sodium_need")
    return row["text"].format(ai=f"{ai:,.0f}",
                              per_day=f"{section['sodium_mg_per_day']['central']:,.0f}")


def _cite(row: dict[str, Any]) -> list[dict[str, Any]]:
    return [c.to_dict() for c in knowledge.citations(row)]


def _unique(cites: list[Citation]) -> list[Citation]:
    seen: set[str] = set()
    out = []
    for c in cites:
        if c.source_id not in seen:
            seen.add(c.source_id)
            out.append(c)
    return out


def summary(section: dict[str, Any]) -> str:
    """One sentence: the estimate with its range."""
    s, na, day = (section["sweat_l_per_session"], section["sodium_mg_per_session"],
                  section["sodium_mg_per_day"])
    return (f"Each {section['session_minutes']:g}-minute session: about {s['central']:.1f} L of "
            f"sweat ({s['low']:.1f}–{s['high']:.1f} L) carrying about {na['central']:,} mg of "
            f"sodium ({na['low']:,}–{na['high']:,} mg); about {day['central']:,} mg of sodium a "
            f"day averaged over the week ({section['basis']}).")
