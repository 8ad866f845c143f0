"""Conditions: findings, the blocks and plan constraints they bring, and the CKD stage.

A condition's ``stops``/``blocks`` (``conditions.toml``) block additions of a nutrient; its
``constraints`` constrain the plan (a fluid limit, a sodium cap read from the text, no
high-oxalate greens, calcium kept as a normal target, no supplements); its ``lifestyle`` advice
becomes a lifestyle recommendation (growing pains: reassurance and stretching).

Kidney function is staged from the eGFR (a result, or estimated from creatinine) or the stage
written with the condition ("CKD stage 4"), the lower stage winning; ``kidney_stages`` in
``safety_rules.toml`` says what each stage blocks. Below eGFR 30 or on dialysis, no magnesium,
potassium or phosphorus-rich foods or supplements are added, and a magnesium or potassium
supplement taken without a prescription is to be stopped (unless the blood level is low, when
the kidney team decides).

References
----------
.. [1] KDIGO (2024). Clinical Practice Guideline for the Evaluation and Management of CKD.
.. [2] KDOQI (2020). Clinical Practice Guideline for Nutrition in CKD; National Kidney
   Foundation, Potassium and Phosphorus in the CKD diet.
"""

from __future__ import annotations

from typing import Any

from ...case import Case
from ...knowledge.conditions import (
    ConditionMatch,
    fluid_limit_ml,
    match_conditions,
    sodium_limit_mg,
    stage_of,
)
from ...knowledge.medicines import normalize
from ...models import SEVERITIES
from ...nutrient_registry import topic_words
from ..builder import Builder, cite, safety_rules
from .labs import LabState


def review(b: Builder, case: Case, unrecognized: dict[str, list[str]]) -> list[ConditionMatch]:
    """A finding per condition, its blocks, constraints and advice; returns the matches."""
    found: list[ConditionMatch] = []
    seen: set[str] = set()
    for text in case.conditions:
        matches = match_conditions(text)
        if not matches:
            unrecognized["conditions"].append(text)
            continue
        for m in matches:
            cond = m.condition
            if cond.id in seen:
                continue
            seen.add(cond.id)
            found.append(m)
            _condition(b, text, m)
    return found


def _condition(b: Builder, text: str, m: ConditionMatch) -> None:
    cond = m.condition
    evidence = list(m.citations or cond.citations)
    blocks = cond.all_blocks()
    named = cond.name if normalize(text) in normalize(cond.name) else f"{cond.name} ({text})"
    for nutrient, scope in blocks:
        b.block(nutrient, scope, named, f"condition:{cond.id}", evidence)
    if cond.id in ("chronic_kidney_disease", "dialysis"):
        b.flags["kidney"] = True
    if cond.id == "dialysis":
        b.flags["dialysis"] = True
    for name, value in cond.constraints.items():
        if name == "fluid_limit":
            value = fluid_limit_ml(text) or value
        elif name == "sodium_cap_mg":
            value = sodium_limit_mg(text) or value
        elif name in ("no_supplements", "no_salt_advice") and value:
            value = cond.name
        b.constrain(name, value)
    stops = sorted({n for n, _ in blocks})
    summary = f"{text}: {cond.name}."
    if cond.note:
        summary += " " + cond.note
    severity = cond.severity if cond.severity in SEVERITIES else "low"
    data: dict[str, Any] = {"condition": cond.name, "affects": cond.affects(), "stops": stops}
    limits = {k: v for k, v in cond.constraints.items() if k in ("fluid_limit", "sodium_cap_mg")}
    if limits:
        data["constraints"] = {k: b.constraints.get(k, v) for k, v in limits.items()}
    b.add("condition", severity, summary, evidence, cond.cramp_note, **data)
    if cond.refer:
        plain = sorted(topic_words(n) for n in stops)
        extra = (" Do not start " + " or ".join(plain) + " supplements without them.") \
            if plain else ""
        b.rec("clinician", None, f"Because of {cond.name}, involve your clinician before "
              f"changing supplements.{extra}", severity=severity)
    if cond.lifestyle:
        b.rec("lifestyle", None, cond.lifestyle, rationale=cond.note)


def _written_stages(conditions: list[ConditionMatch]) -> tuple[list[str], bool]:
    """The CKD stages written in the conditions, and whether the person is on dialysis."""
    written: list[str] = []
    dialysis = False
    for m in conditions:
        if m.condition.id == "dialysis":
            dialysis = True
        if m.condition.stages:
            stage = stage_of(m.text)
            if stage:
                written.append(stage)
    return written, dialysis


def _choose_stage(labs: LabState, conditions: list[ConditionMatch]
                  ) -> tuple[dict[str, Any] | None, str]:
    """The most severe ``kidney_stages`` rule met, and why (``(None, "")`` when none is)."""
    written, dialysis = _written_stages(conditions)
    rules = sorted(safety_rules("kidney_stages"), key=lambda r: r["egfr_below"])
    for r in rules:  # most severe first
        if dialysis and r is rules[0]:
            return r, "dialysis"
        if labs.egfr is not None and labs.egfr < r["egfr_below"]:
            return r, f"eGFR {labs.egfr:.0f}" + (" (estimated)" if labs.egfr_estimated else "")
        if any(s in r["condition_stages"] for s in written):
            return r, "CKD stage " + "/".join(written)
        if r is rules[-1] and any(m.condition.id == "chronic_kidney_disease"
                                  for m in conditions):
            return r, "chronic kidney disease, stage not given"
    return None, ""


def _stop_self_started(b: Builder, chosen: dict[str, Any], reason: str, labs: LabState,
                       supplements: list[Any], otc_medicines: list[Any]) -> None:
    """Stop the minerals the stage rule names in supplements and OTC medicines taken.

    When the lab shows the mineral low, the clinician decides instead.
    """
    for key in chosen["stop_self_started"]:
        mineral = key.rsplit("_", 1)[0]
        lines = [s.text for s in supplements
                 if any(d.mineral == mineral for d in getattr(s, "doses", []))]
        lines += [text for text, amounts in otc_medicines if amounts.get(key)]
        if not lines:
            continue
        named = " and ".join(lines)
        if labs.status(mineral) == "low":
            b.rec("clinician", mineral, chosen["low_level_advice"].format(
                supplement=named, mineral=mineral), severity="high")
            b.flags.setdefault("clinician_decides", set()).add(mineral)
            continue
        if b.reduce(key, 0.0, 0.0, reason, chosen["id"], lines):
            b.rec("supplement", mineral, chosen["stop_advice"].format(supplement=named),
                  severity="high", action="stop", rationale=reason)


def kidney_stage(b: Builder, case: Case, labs: LabState, conditions: list[ConditionMatch],
                 supplements: list[Any], otc_medicines: list[Any]) -> dict[str, Any] | None:
    """Apply the most severe ``kidney_stages`` rule that the eGFR or a written stage meets.

    Parameters
    ----------
    supplements : list of SupplementParse
        The supplement lines read (over-the-counter).
    otc_medicines : list of (text, amounts)
        Over-the-counter medicines and the mg/day of each mineral they add.

    Returns
    -------
    dict or None
        The stage rule applied.
    """
    chosen, why = _choose_stage(labs, conditions)
    if chosen is None:
        return None
    b.flags["kidney"] = True
    evidence = [cite(s, chosen["grade"]) for s in chosen["source"]]
    reason = f"{why} ({chosen['label']})"
    for block in chosen["blocks"]:
        b.block(block["nutrient"], block["scope"], reason, chosen["id"], evidence)
    b.add("condition", chosen["severity"], chosen["summary"].format(label=why), evidence,
          chosen["advice"], rule=chosen["id"], stage=chosen["label"])
    b.rec("clinician", None, chosen["advice"], severity=chosen["severity"])
    _stop_self_started(b, chosen, reason, labs, supplements, otc_medicines)
    return chosen


def cautions(b: Builder, conditions: list[ConditionMatch], supplements: list[Any],
             otc_medicines: list[Any], meds: list[Any]) -> None:
    """``condition_cautions``: a condition with a supplement of a mineral or a medicine of a
    class that can make it worse (magnesium in myasthenia gravis, a thiazide in gout)."""
    have = {m.condition.id for m in conditions}
    for rule in safety_rules("condition_cautions"):
        if rule["condition"] not in have:
            continue
        minerals = set(rule["minerals"])
        lines = [s.text for s in supplements
                 if any(d.mineral in minerals for d in getattr(s, "doses", []))]
        lines += [text for text, amounts in otc_medicines
                  if any(amounts.get(f"{n}_mg") for n in minerals)]
        lines += [m.text for m in meds if set(m.class_ids()) & set(rule["medication_classes"])]
        lines = list(dict.fromkeys(lines))
        if not lines:
            continue
        what = " and ".join(lines)
        evidence = [cite(s, rule["grade"]) for s in rule["source"]]
        b.add("condition", rule["severity"], rule["summary"].format(what=what), evidence,
              rule=rule["id"])
        b.rec("clinician", None, rule["advice"].format(what=what), severity=rule["severity"])
