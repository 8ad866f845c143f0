"""Intake against the DRIs, the calcium:magnesium ratio, and supplement safety.

* Intake below the EAR is ``moderate``, below the RDA/AI ``low``; "add foods rich in …" is
  advised only for a nutrient whose food additions are not blocked.
* The Ca:Mg ratio is reported against a band around the often-quoted 2:1 (not a DRI); it is
  never more than ``low`` and never a reason to refuse calcium or to push magnesium up.
* Supplement safety: over-the-counter products (every supplement line, antacids and laxatives)
  above the UL of the person's age group get "reduce to at most N or stop it" (N from the UL);
  a child's get "stop it and ask the paediatrician"; a product the person says was prescribed
  gets "talk to your prescriber; do not stop it on your own". A supplement of a nutrient that a
  condition, lab or kidney stage blocks is to be stopped. Magnesium with diarrhoea or stomach
  cramps gets a lower dose or stop.

References
----------
.. [1] IOM (1997, 2011), NASEM (2019): EAR, RDA/AI and UL by age group; NIH ODS Magnesium fact
   sheet (diarrhoea and cramps are the first signs of too much supplemental magnesium).
"""

from __future__ import annotations

import math
import re
from typing import Any

from ... import knowledge
from ...case import Case
from ...nutrient_registry import get as get_nutrient
from ...reference.dri import Target
from ..builder import (
    NUTRIENT_TOPIC,
    PLAIN,
    TARGET_KEYS,
    UNIT,
    Builder,
    amount_text,
    cite,
    claim,
    is_heavy_exercise,
    listing,
    safety_rule,
)
from .labs import mentioned
from .medicines import is_prescribed_text

#: Intake keys of supplements the safety checks cover, with the plain mineral name.
SUPPLEMENT_KEYS = {k: get_nutrient(k).topic
                   for k in ("magnesium_mg", "calcium_mg", "vitamin_d_ug", "potassium_mg")}


def is_child(case: Case) -> bool:
    return case.person.age < float(safety_rule("otc")["child_below_age"])


def intake_findings(b: Builder, case: Case, intake: Any, targets: dict[str, Target]) -> None:
    if intake.days == 0:
        return
    for key in TARGET_KEYS:
        t = targets.get(key)
        value = intake.daily_mean.get(key)
        if t is None or value is None:
            continue
        topic = NUTRIENT_TOPIC[key]
        unit = UNIT[key]
        plain = PLAIN[key]
        gaps = intake.missing.get(key if key != "epa_dha_mg" else "epa_g", [])
        caveat = (f" {len(gaps)} diary item(s) had no USDA value for it, so the true intake may "
                  f"be higher.") if gaps else ""
        data = {"nutrient": key, "daily_mean": round(value, 2), "ear": t.ear, "rda": t.rda,
                "ai": t.ai, "ul": t.ul}
        evidence = list(t.citations)
        if key == "sodium_mg":
            _sodium(b, case, value, t, caveat, evidence, data)
            continue
        goal = t.goal
        ref = "RDA" if t.rda is not None else "AI"
        if not t.is_dri:
            ref = "guideline (not a DRI)"
        shown = amount_text(value)
        if t.ear is not None and value < t.ear:
            severity = "moderate"
            summary = (f"Your {plain} intake averages {shown} {unit}/day, below the EAR of "
                       f"{t.ear:g} {unit} for {t.group} (RDA {goal:g} {unit}): an intake this "
                       f"low is likely to be inadequate.")
        elif goal is not None and value < goal:
            severity = "low"
            summary = (f"Your {plain} intake averages {shown} {unit}/day, below the "
                       f"{ref} of {goal:g} {unit} for {t.group}.")
        else:
            severity = "info"
            summary = (f"Your {plain} intake averages {shown} {unit}/day, at or above "
                       f"the {ref} of {goal:g} {unit}.")
        if key == "magnesium_mg" and severity != "info":
            summary += " Low magnesium intake is common; it can contribute to cramps, but " \
                       "food changes are not a proven cure."
        b.add(topic, severity, summary, evidence, caveat.strip(), **data)
        if severity not in ("moderate", "low") or key not in (
                "calcium_mg", "magnesium_mg", "potassium_mg", "vitamin_d_ug", "ala_g",
                "epa_dha_mg"):
            continue
        nutrient = key.rsplit("_", 1)[0]
        blocks = b.blocked(nutrient, foods=True)
        if blocks:
            b.rec("clinician", nutrient, f"Your {plain} intake is below the {ref}, but "
                  f"{plain}-rich foods are not added because of {blocks[0].reason}: ask your "
                  f"clinician how much {plain} is right for you.", severity="low")
            continue
        short = goal - value if goal is not None else 0
        b.rec("food", topic, f"Add foods rich in {plain} to reach about {goal:g} {unit}/day "
              f"(about {short:,.0f} {unit} more).", amount=f"{short:,.0f} {unit}/day",
              rationale=summary)


def _sodium(b: Builder, case: Case, value: float, t: Target, caveat: str, evidence: list,
            data: dict[str, Any]) -> None:
    limit = t.cdrr
    cap = b.constraints.get("sodium_cap_mg")
    if isinstance(cap, (int, float)) and not isinstance(cap, bool) and value > cap:
        b.add("sodium", "low", f"Your sodium intake averages {value:,.0f} mg/day, above the "
              f"{cap:,.0f} mg/day of your low-salt diet.", evidence, caveat.strip(), **data)
    elif limit is not None and value > limit:
        b.add("sodium", "low", f"Your sodium intake averages {value:,.0f} mg/day, above "
              f"the {limit:,.0f} mg/day level where reducing intake lowers chronic "
              f"disease risk.", evidence, caveat.strip(), **data)
    elif t.ai is not None and value < t.ai * 0.5 and case.exercise is not None and (
            case.exercise.hot_environment
            or is_heavy_exercise(case.exercise.hours_per_week, "")):
        b.add("sodium", "low", f"Your sodium intake from the diary is low ({value:,.0f} "
              f"mg/day; AI {t.ai:,.0f} mg). With heavy sweating, low sodium can add to "
              f"cramps.", evidence, caveat.strip(), **data)


def ratio(b: Builder, intake: Any, band: tuple[float, float]) -> float | None:
    ca = intake.daily_mean.get("calcium_mg")
    mg = intake.daily_mean.get("magnesium_mg")
    if intake.days == 0 or not ca or not mg:
        return None
    value = round(ca / mg, 2)  # the same figure in the finding and in "ratios"
    c = claim("ca_mg_ratio_2_to_1")
    lo, hi = band
    data = {"calcium_to_magnesium": value, "band": [lo, hi]}
    if value > hi:
        b.add("ratio", "low", f"Your calcium:magnesium intake ratio is {value:.1f}:1, above the "
              f"{lo:g}–{hi:g} band around the 2:1 often quoted (not a DRI; weakly supported). "
              f"The DRIs come first: reaching the magnesium RDA matters more than the ratio.",
              knowledge.citations(c), c["evidence_says"], **data)
    elif value < lo:
        b.add("ratio", "low", f"Your calcium:magnesium intake ratio is {value:.1f}:1, below the "
              f"{lo:g}–{hi:g} band around the 2:1 often quoted (not a DRI); check that calcium "
              f"intake itself is adequate.", knowledge.citations(c), c["evidence_says"], **data)
    else:
        b.add("ratio", "info", f"Your calcium:magnesium intake ratio is {value:.1f}:1, inside the "
              f"{lo:g}–{hi:g} band (a commonly quoted range, not a DRI).",
              knowledge.citations(c), **data)
    return value


def _sources(supplements: list[Any], otc_medicines: list[tuple[str, dict[str, float]]],
             key: str, prescribed_lines: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """(over-the-counter, prescribed) lines that give ``key``; a line says it was prescribed,
    or stands among the person's medicines (``prescribed_lines``)."""
    mineral = key.rsplit("_", 1)[0]
    otc, rx = [], []
    for s in supplements:
        if s.contributions.get(key) or any(d.mineral == mineral for d in s.doses):
            prescribed = is_prescribed_text(s.text) or s.text in prescribed_lines
            (rx if prescribed else otc).append(s.text)
    otc += [text for text, amounts in otc_medicines if amounts.get(key)]
    return otc, rx


def product_lines(supplements: list[Any], otc_medicines: list[tuple[str, dict[str, float]]],
                  key: str) -> list[str]:
    """Every supplement or counted medicine line that gives ``key``."""
    otc, rx = _sources(supplements, otc_medicines, key)
    return otc + rx


def _allowed_supplement(key: str, t: Target, food: float, otc_rule: dict[str, Any],
                        child: bool) -> tuple[float, bool]:
    """How much of ``key`` the supplements may bring, and whether that aims at the RDA: the UL
    (less the food, when the UL counts the total); for calcium the total is brought toward the
    RDA, not only under the UL (NIH ODS), for adults."""
    allowed = t.ul if t.ul_applies_to == "supplements" else max(t.ul - food, 0.0)
    toward_rda = (key in otc_rule.get("toward_rda", []) and t.ul_applies_to == "total"
                  and t.rda is not None and not child)
    if toward_rda:
        allowed = min(allowed, max(t.rda - food, 0.0))
    return allowed, toward_rda


def supplement_safety(b: Builder, case: Case, intake: Any, targets: dict[str, Target],
                      supplements: list[Any], otc_medicines: list[tuple[str, dict[str, float]]]
                      ) -> None:
    otc_rule = safety_rule("otc")
    child = is_child(case)
    for key, nutrient in SUPPLEMENT_KEYS.items():
        t = targets.get(key)
        supp = intake.from_supplements.get(key, 0.0)
        if not supp:
            continue
        otc, rx = _sources(supplements, otc_medicines, key, tuple(case.medications))
        what = f"{PLAIN[key]} from {listing(otc + rx) or 'supplements'}"
        unit = UNIT[key]
        blocks = b.blocked(nutrient)
        stop = b.reduction_for(key)
        deferred = nutrient in b.flags.get("clinician_decides", set())
        if blocks and (stop is None or stop.to_amount > 0) and otc and not deferred:
            reason = blocks[0].reason
            if b.reduce(key, supp, 0.0, reason, blocks[0].rule, otc):
                b.add("supplement_safety", "high", f"You take {supp:,.0f} {unit}/day of "
                      f"{what}, which is not advised with {reason}.", blocks[0].evidence,
                      nutrient=key, from_supplements=round(supp, 1))
                b.rec("supplement", nutrient, f"Stop {listing(otc)} unless a clinician advised "
                      f"it, and ask them about {PLAIN[key]} ({reason}).", severity="high",
                      action="stop")
            stop = b.reduction_for(key)
        if t is None or t.ul is None:
            continue
        food = max((intake.daily_mean.get(key) or 0.0) - supp, 0.0)
        # the UL check counts each line at its higher reading (top of a range, "as needed" at
        # its maximum, the amount as the element when the line does not say)
        supp_top = max(intake.upper_from_supplements.get(key, supp), supp)
        amount = supp_top if t.ul_applies_to == "supplements" else food + supp_top
        if amount <= t.ul:
            continue
        allowed, toward_rda = _allowed_supplement(key, t, food, otc_rule, child)
        scope = "from supplements and medicines" if t.ul_applies_to == "supplements" else \
            "from food and supplements together"
        higher = (f" This counts each line at its higher reading (the top of a range, 'as "
                  f"needed' at its maximum, the amount as the element when the line does not "
                  f"say); as usually taken it is {amount - supp_top + supp:,.0f} {unit}."
                  if supp_top > supp + 0.05 else "")
        b.add("supplement_safety", "high", f"Your {PLAIN[key]} {scope} is {amount:,.0f} "
              f"{unit}/day, above the Tolerable Upper Intake Level of {t.ul:g} {unit} for "
              f"{t.group}.{higher}", list(t.citations), nutrient=key,
              amount=round(amount, 1), ul=t.ul, reduce_to=round(allowed, 1))
        if stop is not None and stop.to_amount <= allowed:
            continue  # a stricter stop already says what to do
        why = (otc_rule["why_supplements"] if t.ul_applies_to == "supplements"
               else otc_rule["why_total_rda"] if toward_rda
               else otc_rule["why_total"]).format(group=t.group, ul=f"{t.ul:g}", unit=unit,
                                                  food=f"{food:,.0f}",
                                                  rda=f"{t.rda or 0:g}")
        if rx and not otc:
            b.rec("clinician", nutrient, otc_rule["prescribed"].format(
                what=what, amount=f"{supp:,.0f} {unit}", ul=f"{t.ul:g}", unit=unit),
                severity="high")
            continue
        if rx and not child:  # the bought product goes, the prescribed one stays
            rx_amount = sum(x.contributions.get(key, 0.0) for x in supplements if x.text in rx)
            b.reduce(key, supp, rx_amount, f"above the UL ({t.ul:g} {unit}) with the "
                     f"prescribed {listing(rx)}", "otc_with_prescribed", otc)
            b.rec("supplement", nutrient, otc_rule["otc_with_prescribed"].format(
                otc=listing(otc), rx=listing(rx), nutrient=PLAIN[key], ul=f"{t.ul:g}",
                unit=unit), severity="high", action="stop")
            continue
        if key == "magnesium_mg" and otc and not child and \
                mentioned(case.symptoms, safety_rule("magnesium_gut_effects")["phrases"]):
            continue  # diarrhoea: the gut-effects advice says how far to bring it down
        n = _round_down(allowed)
        b.reduce(key, supp, 0.0 if child else n, f"above the UL ({t.ul:g} {unit})", "otc_over_ul",
                 otc)
        template = otc_rule["over_ul_child"] if child else \
            otc_rule["over_ul_stop"] if n <= 0 else otc_rule["over_ul"]
        b.rec("supplement", nutrient, template.format(
            what=listing(otc) if child else what, n=f"{n:,.0f}", unit=unit, why=why),
              severity="high", action="stop" if child else "reduce")
    _magnesium_gut_effects(b, case, intake, targets, supplements, otc_medicines, child)
    for s in supplements:
        for warning in getattr(s, "warnings", []):
            b.add("supplement_safety", "moderate", f"{s.text}: {warning}", s.citations,
                  supplement=s.text)
            if is_prescribed_text(s.text) or s.text in case.medications:
                text = (f"{s.text}: take it only as your clinician prescribed it; do not stop "
                        "it or change the dose on your own - ask the prescriber first.")
            else:
                text = (f"{s.text}: a strength like this is a prescription medicine; if no "
                        "clinician prescribed it for you, stop it and ask a pharmacist or "
                        "doctor before taking it again.")
            b.rec("clinician", None, text, severity="moderate")
        read = "; ".join(dose_text(d) for d in s.doses)
        for r in getattr(s, "readings", []):
            read += (f" (or {r['as_element_mg']:g} mg if {r['stated_mg']:g} mg is the "
                     f"{PLAIN[r['nutrient']]} itself: the upper-limit check uses that)")
        b.add("supplement_safety", "info", f"{s.text}: counted as {read} a day.", s.citations,
              " ".join(s.assumptions), supplement=s.text,
              doses=[{"mineral": d.mineral, "form": d.form,
                      "elemental_mg": round(d.elemental_mg, 3)} for d in s.doses])


def _round_down(value: float) -> float:
    """Down to a round dose: whole 25 mg steps from 100 mg, whole mg below (vitamin D µg)."""
    if value >= 100:
        return math.floor(value / 25.0) * 25.0
    return math.floor(value)


def _magnesium_gut_effects(b: Builder, case: Case, intake: Any, targets: dict[str, Target],
                           supplements: list[Any],
                           otc_medicines: list[tuple[str, dict[str, float]]],
                           child: bool) -> None:
    rule = safety_rule("magnesium_gut_effects")
    supp = intake.from_supplements.get("magnesium_mg", 0.0)
    if not supp:
        return
    symptoms = mentioned(case.symptoms, rule["phrases"])
    if not symptoms:
        return
    otc, _rx = _sources(supplements, otc_medicines, "magnesium_mg", tuple(case.medications))
    if not otc:
        return
    t = targets.get("magnesium_mg")
    ul = t.ul if t is not None and t.ul is not None else supp
    n = _round_down(ul if supp > ul else supp / 2)
    evidence = [cite(s, rule["grade"]) for s in rule["source"]]
    what = listing(otc)
    b.add("supplement_safety", rule["severity"], rule["summary"].format(
        what=what, amount=f"{supp:,.0f}", symptom=listing(symptoms)), evidence,
        nutrient="magnesium_mg", symptoms=symptoms, reduce_to=0.0 if child else n)
    existing = b.reduction_for("magnesium_mg")
    if existing is not None and existing.to_amount <= (0.0 if child else n):
        return
    b.reduce("magnesium_mg", supp, 0.0 if child else n, "diarrhoea or stomach cramps",
             rule["id"], otc)
    text = rule["advice_child"] if child else rule["advice"].format(n=f"{n:,.0f}")
    b.rec("supplement", "magnesium", text, severity=rule["severity"],
          action="stop" if child else "reduce")


def dose_text(dose: Any) -> str:
    """"600 mg calcium (calcium carbonate)", "50 µg vitamin D" — the amount crampcheck used."""
    if dose.mineral == "vitamin_d":
        amount = f"{dose.elemental_mg * 1000:g} µg vitamin D"
    else:
        name = dose.mineral.upper() if dose.mineral in ("epa", "dha", "ala") else dose.mineral
        amount = f"{dose.elemental_mg:g} mg {name}"
    form = (dose.form or "").replace("_", " ")
    return f"{amount} ({form})" if form else amount


def untracked_supplements(b: Builder, intake: Any, unreadable: list[str]) -> list[str]:
    """Single-nutrient supplements crampcheck does not count (folic acid, iron: the
    ``[[untracked_supplements]]`` names) get an info note and are taken off the unreadable
    lines (which stop mineral and vitamin D proposals); returns the lines still unreadable."""
    rule = safety_rule("untracked_supplements")
    names = [n.split() for n in rule["names"]]
    combos = set(rule["combination_words"])
    keep = []
    for text in unreadable:
        words = re.sub(r"[^a-z0-9+&]+", " ", text.lower()).split()
        single = not (combos & set(words)) and any(
            words[i:i + len(n)] == n for n in names for i in range(len(words)))
        if not single:
            keep.append(text)
            continue
        b.add("supplement_safety", "info", rule["summary"].format(text=text),
              [cite(s, rule["grade"]) for s in rule["source"]], supplement=text,
              rule=rule["id"])
        intake.unreadable_supplements = [u for u in intake.unreadable_supplements
                                         if u[0] != text]
    return keep
