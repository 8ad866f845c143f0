"""What to do about an abnormal result, and when; results tied to the medicines that cause them.

* Every abnormal lab result that no lab stop covers gets a recommendation with a timeframe
  (``[[lab_follow_up]]`` in ``safety_rules.toml``, banded by value: "within a few days",
  "today"), not only "discuss": low sodium banded as NICE CKS does, low potassium, magnesium
  and calcium by how low; any other test by the finding's severity
  (``[[lab_follow_up_default]]``).
* A low mineral with a medicine known to lower it (a class effect in ``medications.toml``: a
  long-term PPI and magnesium, diuretics and potassium, magnesium or sodium) is tied to that
  medicine, with a review of it asked for; a low magnesium with a low potassium or calcium says
  that magnesium is replaced first.
* Digoxin with a low potassium or magnesium names every medicine that lowers them and says
  "today" (urgent under 3.0 mmol/L potassium).
* A kidney stage that blocks potassium-rich foods does not block them with a low potassium
  result unless eGFR is below 30 or a potassium-raising medicine is taken; either way it says why.
* Heart failure, a potassium-sparing diuretic, an ARNI or lithium without any kidney result: no
  magnesium or potassium supplement is proposed until kidney function is known.

References
----------
.. [1] NICE CKS Hyponatraemia; Merck Manual: hypokalaemia, hypomagnesaemia, hypocalcaemia.
.. [2] FDA Drug Safety Communication 2011 and MHRA Drug Safety Update 2012: PPIs and low
   magnesium.
.. [3] Digoxin (Lanoxin) label; KDIGO 2024 CKD guideline; NICE NG106; NIH ODS magnesium.
"""

from __future__ import annotations

from typing import Any

from ...case import Case
from ...knowledge.labs import LabResult
from ...knowledge.medicines import MedicationMatch
from ..builder import Builder, cite, listing, safety_rule, safety_rules
from .labs import LabState


def _value(r: LabResult) -> float:
    """The value the bands read: the albumin-corrected calcium when there is one."""
    return r.corrected_value if r.corrected_value is not None else r.canonical_value


def _band(bands: list[dict[str, Any]], value: float) -> dict[str, Any] | None:
    for band in bands:
        if "below" in band and value < band["below"]:
            return band
        if "above" in band and value > band["above"]:
            return band
    return None


def lowering_medicines(meds: list[MedicationMatch], nutrient: str,
                       direction: str = "lower") -> list[tuple[MedicationMatch, Any, Any]]:
    """(medicine, class, effect) for each medicine whose class moves ``nutrient`` this way with
    a strong or moderate effect."""
    out = []
    for m in meds:
        for cls in m.classes:
            for e in cls.effects:
                if e.nutrient == nutrient and e.direction == direction \
                        and e.strength in ("strong", "moderate"):
                    out.append((m, cls, e))
                    break
    return out


def review(b: Builder, case: Case, labs: LabState, meds: list[MedicationMatch],
           condition_ids: set[str]) -> None:
    """Follow-up advice for every abnormal result, the medicine ties, digoxin, the potassium
    food block with a low potassium, and the unknown kidney function."""
    low_potassium_keeps_foods(b, labs, meds)
    for r in labs.results.values():
        if r.status == "normal" or r.severity == "urgent":
            continue
        if any(r.test in s["tests"] and s["status"] == r.status and s["advice"]
               for s in safety_rules("lab_stops")):
            continue  # the lab stop says what to stop and when
        _follow_up(b, case, r, meds)
    _magnesium_first(b, labs)
    digoxin_and_low_minerals(b, meds, labs)
    kidney_function_unknown(b, labs, meds, condition_ids)


def _follow_up(b: Builder, case: Case, r: LabResult, meds: list[MedicationMatch]) -> None:
    rule = next((x for x in safety_rules("lab_follow_up")
                 if x["test"] == r.test and x["status"] == r.status), None)
    tie = safety_rule("drug_induced_low")
    nutrient = tie["tests"].get(r.test) if r.status == "low" else None
    causes = lowering_medicines(meds, nutrient) if nutrient else []
    drugs = listing([f"{m.text} ({cls.name})" for m, cls, _ in causes])
    if causes:
        mechanisms = "; ".join(f"{m.name}: {e.mechanism}" for m, _, e in causes)
        ids = [c.source_id for _, cls, e in causes for c in (e.citations or cls.citations)[:1]]
        ids += [s for _, cls, _ in causes for s in tie["source_by_class"].get(cls.id, [])]
        ids += tie["source_by_nutrient"].get(nutrient, [])
        evidence = [cite(s, tie["grade"]) for s in dict.fromkeys(ids)]
        severity = r.severity if r.severity in ("high", "urgent") else tie["severity"]
        b.add("lab", severity,
              tie["summary"].format(nutrient=nutrient, drugs=drugs, mechanisms=mechanisms),
              evidence, test=r.test, status=r.status, rule=tie["id"],
              medicines=[m.text for m, _, _ in causes])
    if rule is None:
        default = safety_rule("lab_follow_up_default")
        when = default["when"].get(r.severity, default["when"]["moderate"])
        b.rec("clinician", None, default["advice"].format(name=r.name, status=r.status,
                                                         when=when),
              severity=r.severity, rationale=f"{r.name} {r.value:g} {r.unit}, reference "
              f"{r.range_text}.")
        return
    band = _band(rule["bands"], _value(r)) or rule["bands"][-1]
    when = band["when"]
    if case.person.age >= rule.get("older_from_age", 200) and band.get("when_older"):
        when = band["when_older"]
    drug_text = rule["drug_text"].format(drugs=drugs) if causes else ""
    text = rule["advice"].format(label=band["label"], when=when, drug_text=drug_text)
    nutrient_blocked = rule.get("foods_nutrient") and b.blocked(rule["foods_nutrient"],
                                                                 foods=True)
    if rule.get("foods_ok") and not nutrient_blocked:
        text += " " + rule["foods_ok"]
    b.rec("clinician", None, text,
          severity=r.severity, rationale=f"{r.name} {r.value:g} {r.unit}, reference "
          f"{r.range_text}.")


def _magnesium_first(b: Builder, labs: LabState) -> None:
    if labs.status("magnesium") != "low":
        return
    others = [name for name, tests in (("potassium", ("potassium",)),
                                       ("calcium", ("calcium_total", "calcium_ionized")))
              if any(labs.status(t) == "low" for t in tests)]
    if not others:
        return
    rule = safety_rule("magnesium_first")
    b.add("lab", "moderate", rule["summary"].format(others=listing(others)),
          [cite(s, rule["grade"]) for s in rule["source"]], rule=rule["id"],
          tests=["magnesium", *others])


def digoxin_and_low_minerals(b: Builder, meds: list[MedicationMatch], labs: LabState) -> None:
    """Low potassium or magnesium with digoxin (``[[digoxin_low_minerals]]``): every medicine
    that lowers them is named; "today", urgent below 3.0 mmol/L potassium."""
    low = sorted(t for t in ("potassium", "magnesium") if labs.status(t) == "low")
    digoxin = [m for m in meds if "digoxin" in m.class_ids()]
    if not low or not digoxin:
        return
    rule = safety_rule("digoxin_low_minerals")
    lowering = [m.text for m in meds if set(m.class_ids()) & set(rule["lowering_classes"])]
    values = listing([f"{t} {labs.value(t, 'mmol/L'):g} mmol/L" for t in low])
    names = " and ".join(low)
    verb = "are" if len(low) > 1 else "is"
    k = labs.value("potassium", "mmol/L") if "potassium" in low else None
    urgent = k is not None and k < rule["urgent_below_k"]
    evidence = [cite(s, rule["grade"]) for s in rule["source"]]
    for m in digoxin:
        lowering_words = rule["lowering_text"].format(
            drugs=listing(lowering), s="" if len(lowering) > 1 else "s") if lowering else ""
        summary = rule["summary"].format(drug=m.text, names=names, values=values,
                                         lowering=lowering_words)
        b.add("medication", "urgent" if urgent else "high", summary, evidence,
              drug=m.text, drug_class="digoxin (heart medicine)", affects=low,
              rule=rule["id"], lowering_medicines=lowering)
    if urgent:
        b.rec("urgent_care", None, rule["urgent_advice"].format(k=f"{k:g}"), severity="urgent")
    b.rec("clinician", None, rule["advice"].format(names=names, verb=verb), severity="high")


def low_potassium_keeps_foods(b: Builder, labs: LabState, meds: list[MedicationMatch]) -> None:
    """A low potassium releases a kidney-stage block on potassium-rich foods unless eGFR is
    below 30 or a potassium-raising medicine is taken (``[[low_potassium_keeps_foods]]``)."""
    if labs.status("potassium") != "low":
        return
    food_blocks = [x for x in b.blocked("potassium", foods=True)
                   if x.rule.startswith("ckd_")]
    if not food_blocks:
        return
    rule = safety_rule("low_potassium_keeps_foods")
    k = f"{labs.value('potassium', 'mmol/L'):g}"
    raising = [m.text for m in meds if set(m.class_ids()) & set(rule["raise_classes"])]
    egfr = labs.egfr
    why = []
    if egfr is not None and egfr < rule["egfr_below"]:
        why.append(f"your eGFR is {egfr:.0f} (below {rule['egfr_below']})")
    if raising:
        why.append(f"you take {listing(raising)}, which can raise potassium")
    evidence = [cite(s, rule["grade"]) for s in rule["source"]]
    if why:
        text = rule["kept"].format(k=k, why=" and ".join(why))
    else:
        for block in food_blocks:
            b.blocks.remove(block)
            b.block("potassium", "supplements", block.reason, block.rule, block.evidence)
        if not b.blocked("potassium", foods=True):
            b.flags["potassium_caution"] = False
        egfr_text = "not known" if egfr is None else f"{egfr:.0f}"
        text = rule["released"].format(k=k, egfr=egfr_text)
    b.add("potassium", "info", text, evidence, rule=rule["id"])


def kidney_function_unknown(b: Builder, labs: LabState, meds: list[MedicationMatch],
                            condition_ids: set[str]) -> None:
    """No kidney result with heart failure, a potassium-sparing diuretic, an ARNI or lithium:
    no magnesium or potassium supplement (``[[kidney_function_unknown]]``)."""
    if labs.egfr is not None or "creatinine" in labs.results:
        return
    rule = safety_rule("kidney_function_unknown")
    why = [m.text for m in meds if set(m.class_ids()) & set(rule["classes"])]
    why += [c.replace("_", " ") for c in sorted(set(rule["conditions"]) & condition_ids)]
    if not why:
        return
    words = listing(why)
    evidence = [cite(s, rule["grade"]) for s in rule["source"]]
    reason = rule["reason"].format(why=words)
    for block in rule["blocks"]:
        b.block(block["nutrient"], block["scope"], reason, rule["id"], evidence)
    b.add("lab", "moderate", rule["summary"].format(why=words), evidence, rule=rule["id"])
    b.rec("clinician", None, rule["advice"].format(why=words), severity="moderate")


def no_added_sodium(b: Builder, case: Case, daily_sodium: float | None,
                    condition_ids: set[str]) -> None:
    """Raised blood pressure in pregnancy (a red flag, or high blood pressure as a condition
    while pregnant): the plan adds no sodium (``[[no_added_sodium]]``: the cap is today's
    intake)."""
    for rule in safety_rules("no_added_sodium"):
        flagged = any(f.data.get("flag") in rule["flags"] for f in b.findings)
        pregnant = case.person.pregnant or "pregnancy" in condition_ids
        if not flagged and not (pregnant and set(rule["conditions_in_pregnancy"])
                                & condition_ids):
            continue
        b.constrain("no_salt_advice", rule["reason"])
        if daily_sodium is not None:
            b.constrain("sodium_cap_mg", float(round(daily_sodium)))
