"""Medicines: what each class does to minerals and cramps, and the combinations that stop advice.

* Every recognised medicine gets a finding with its class, mineral effects, cramp link and
  spacing from mineral supplements. "Do not stop it on your own" is said only of prescribed
  medicines; an over-the-counter product (every class of it has ``supply = "otc"`` in
  ``medications.toml``: antacids, laxatives, caffeine tablets) gets a dose to reduce to, or
  "stop"; a medicine sold both ways gets "if it was prescribed, do not stop it on your own".
* Magnesium and calcium in antacids and laxatives count like supplements.
* The potassium combination: an ACE inhibitor, ARB or ARNI (sacubitril/valsartan counts as an
  ARB) with a potassium-sparing diuretic or mineralocorticoid antagonist, trimethoprim or reduced
  kidney function, plus a potassium product (a potassium supplement, prescription potassium, a
  potassium salt substitute) is ``high`` even with a normal potassium result, ``urgent`` from
  6.0 mmol/L; potassium additions are blocked.
* Lithium with a medicine that raises lithium levels (thiazide and loop diuretics, ACE
  inhibitors, ARBs, ARNI; NSAIDs when that class exists), a low-salt diet or fluid loss is
  ``high``; with a tremor on top it is ``urgent``.
* Digoxin with low potassium or magnesium: :mod:`crampcheck.assess.rules.follow_up`.

References
----------
.. [1] Klor-Con, lisinopril, losartan, spironolactone, trimethoprim, Entresto labels (FDA);
   NIH ODS Potassium fact sheet; Merck Manual, Hyperkalemia.
.. [2] Lithium carbonate label (DailyMed): diuretics, ACE inhibitors, ARBs and NSAIDs raise
   lithium levels; sodium depletion and dehydration raise them too.
.. [3] Digoxin label (DailyMed): low potassium or magnesium makes toxicity more likely.
"""

from __future__ import annotations

import re
from typing import Any

from ...case import Case
from ...errors import InputError
from ...intake.supplements import parse_supplement
from ...knowledge.medicines import (
    MedicationMatch,
    daily_dose,
    find_product,
    match_medication,
    read_medicine,
    read_minerals,
)
from ...models import SEVERITIES
from ...nutrient_registry import epa_dha_mg_of
from ..builder import PLAIN, UNIT, Builder, cite, listing, safety_rule, safety_rules
from .labs import LabState, mentioned

#: Words in a medicine line saying it was started recently.
NEW_WORDS = ("started", "new", "recently", "just began", "since last")
#: Words in a supplement line saying a clinician prescribed it.
PRESCRIBED_RE = re.compile(r"\b(prescribed|prescription|rx|my doctor|gp|on prescription)\b")


def is_otc(match: MedicationMatch) -> bool:
    """Over the counter: every class of the medicine is sold over the counter (``supply`` in
    ``medications.toml``), so it gets a dose to reduce to, or "stop"."""
    return bool(match.classes) and all(match.supply(c) == "otc" for c in match.classes)


def is_prescribed_text(text: str) -> bool:
    """A supplement line that says a clinician prescribed it ("calcium 1200 mg, prescribed")."""
    return PRESCRIBED_RE.search(text.lower()) is not None


def newly_started(case: Case) -> list[str]:
    """Medicine lines that say they were started recently."""
    return [t for t in case.medications if any(w in t.lower() for w in NEW_WORDS)
            and match_medication(t) is not None]


def review(b: Builder, case: Case, unrecognized: dict[str, list[str]],
           supplements: list[Any]) -> list[MedicationMatch]:
    """A finding (and advice) for every recognised medicine; returns the matches."""
    matches = []
    takes_minerals = any(d.mineral in ("calcium", "magnesium") for s in supplements
                         for d in s.doses)
    for text in case.medications:
        reading = read_medicine(text)
        m = reading.match
        if m is None:
            if not _medicine_as_supplement(b, text, supplements):
                unrecognized["medications"].append(text)
                if reading.suggestions:
                    b.add("data_quality", "low", f"Medicine not recognised: {text}. Did you "
                          f"mean {' or '.join(reading.suggestions)}? Check the spelling.",
                          [cite("drug_ner_dictionary", "C")], drug=text,
                          suggestions=reading.suggestions)
            continue
        matches.append(m)
        if m.unclassified:
            # a name list is no clinical evidence: nothing is cited for "no known effect"
            b.add("medication", "info", f"{text}: {', '.join(m.unclassified)} — no known effect "
                  f"on minerals or cramps in crampcheck's sources.", [],
                  "The name was recognised from a drug-name dictionary; crampcheck's sources "
                  "list no effect of it on minerals or cramps, which is not proof that it has "
                  "none.", recognized_by="drug_ner_dictionary",
                  drug=text, generics=m.unclassified, drug_class=None, affects=[],
                  recognized=True, **({"read_as": m.read_as} if m.read_as else {}))
        if set(m.class_ids()) & set(safety_rule("potassium_combination")["product_classes"]):
            _medicine_as_supplement(b, text, supplements)  # its potassium counts as intake
        otc = is_otc(m)
        dose_data = _daily_dose_data(m) if m.classes else {}
        for cls in m.classes:
            _one_class(b, case, m, cls, otc, takes_minerals, dose_data)
    return matches


def _daily_dose_data(m: MedicationMatch) -> dict[str, float]:
    """``daily_mg`` (and ``daily_mg_max`` when higher) of a one-ingredient medicine line."""
    dose = daily_dose(m)
    if dose is None:
        return {}
    out = {"daily_mg": dose.usual_mg}
    if dose.max_mg > dose.usual_mg:
        out["daily_mg_max"] = dose.max_mg
    return out


def _medicine_as_supplement(b: Builder, text: str, supplements: list[Any]) -> bool:
    """A medicine line that is a mineral, vitamin D or omega-3 supplement ("vitamin D 1000 IU",
    "Klor-Con 20 mEq") is counted as one; True when it was."""
    try:
        parsed = parse_supplement(text)
    except InputError:
        return False
    if not parsed.recognized:
        return False
    supplements.append(parsed)
    b.flags.setdefault("medicine_supplements", []).append(parsed)
    return True


_ACID_SUPPRESSANT_IDS = ("ppi", "h2_blocker", "proton_pump_inhibitor", "h2_antagonist")


def _class_flags(b: Builder, cls: Any) -> None:
    """Flags that later rules read: an acid suppressant, a class that raises potassium."""
    name = cls.name.lower()
    if cls.id in _ACID_SUPPRESSANT_IDS or "proton" in name or "h2" in name:
        b.flags["acid_suppressant"] = True
    if any(e.nutrient == "potassium" and e.direction == "raise" for e in cls.effects):
        b.flags["potassium_caution"] = True


def _spacing(b: Builder, m: MedicationMatch) -> list[str]:
    """Record the medicine's mineral spacing rules in ``b.flags``; their advice texts."""
    interactions = m.interactions()
    for _, i in interactions:
        b.flags["spacing"].append({"drug": m.text, "minerals": list(i.minerals),
                                   "hours_before": i.take_drug_hours_before,
                                   "hours_after": i.take_drug_hours_after,
                                   "advice": i.advice})
    return [i.advice for _, i in interactions]


def _class_summary(m: MedicationMatch, cls: Any, affects: list[str], spacing: list[str]) -> str:
    article = "an" if cls.name[:1].lower() in "aeiou" else "a"
    summary = f"{m.text}: {article} {cls.name}"
    summary += (" — can change " + ", ".join(affects) + ".") if affects else "."
    if cls.cramp_risk.flag:
        summary += " Muscle symptoms are a known side effect of this class."
    if spacing:
        summary += " Spacing: " + " ".join(spacing)
    if m.read_as:
        summary += f" (spelling read as: {'; '.join(m.read_as)})"
    return summary


def _class_detail(cls: Any, m: MedicationMatch, evidence: list[Any]) -> str:
    effects = "; ".join(f"{e.nutrient}: {e.mechanism}" for e in cls.effects)
    detail = effects + ("." if effects and effects[-1] not in ".!?" else "")
    if cls.cramp_risk.flag and cls.cramp_risk.note:
        detail = (detail + " " + cls.cramp_risk.note).strip()
    if cls.note and (cls.severity == "high" or not cls.effects):
        detail = (detail + ("" if detail[-1:] in ".!?" else ".") + " " + cls.note).strip()
    def names(source_id: str, generic: str) -> bool:
        return f"_{generic.replace(' ', '_')}_" in f"_{source_id}_"

    stand_ins = sorted({g for c in evidence for g in cls.members
                        if names(c.source_id, g) and g not in m.generics
                        and not any(names(c.source_id, own) for own in m.generics)})
    if stand_ins and m.generics:  # another member's label stands for the class: say so
        detail = (detail + f" Evidence is for the class: the {', '.join(stand_ins)} label "
                  f"stands for {', '.join(m.generics)}.").strip()
    return detail


def _cramp_advice(b: Builder, m: MedicationMatch, cls: Any, otc: bool, supply: str) -> None:
    """Advice for a class with cramps as a known side effect, when the person has cramps."""
    wording = safety_rule("otc")
    if otc:
        advice = wording["cramps_otc"].format(medicine=m.name, cls=cls.name)
        if m.name == cls.name:  # a class written as such ("laxatives every day")
            advice = advice.replace(f" ({cls.name})", "")
        b.rec("supplement", None, advice, severity="low", action="reduce")
        return
    key = "cramps_either" if supply == "both" else "cramps_prescribed"
    b.rec("clinician", None, wording[key].format(medicine=m.name, cls=cls.name), severity="low")


def _one_class(b: Builder, case: Case, m: MedicationMatch, cls: Any, otc: bool,
               takes_minerals: bool, dose_data: dict[str, float]) -> None:
    text = m.text
    _class_flags(b, cls)
    affects = cls.affects()
    spacing = _spacing(b, m)
    summary = _class_summary(m, cls, affects, spacing)
    severity = cls.severity if cls.severity in SEVERITIES else "low"
    supply = m.supply(cls)
    evidence = list(m.citations) or list(cls.citations)
    b.add("medication", severity, summary, evidence, _class_detail(cls, m, evidence),
          drug=text, drug_class=cls.name, affects=affects, spacing=spacing,
          over_the_counter=otc, generics=[g for g in m.generics if g in cls.members],
          supply=supply, **({"read_as": m.read_as} if m.read_as else {}), **dose_data)
    if cls.severity == "high" and not cls.cramp_risk.flag:
        b.rec("clinician", None, f"Talk to your clinician about {m.name}: {cls.note}"
              if cls.note else f"Talk to your clinician about {m.name}.", severity="high")
    if cls.cramp_risk.flag and case.cramps:
        _cramp_advice(b, m, cls, otc, supply)
    elif any(e.strength in ("strong", "moderate") and e.direction == "lower"
             for e in cls.effects):
        names = ", ".join(e.nutrient for e in cls.effects if e.direction == "lower")
        b.rec("clinician", None, f"Ask your clinician whether to check your blood {names} "
              f"while you take {m.name} ({cls.name}).", severity="low")
    if spacing and takes_minerals:
        for advice in spacing:
            b.rec("clinician", None, f"{m.name}: {advice}")


def minerals_in_medicines(b: Builder, meds: list[MedicationMatch], intake: Any
                          ) -> list[tuple[str, dict[str, float]]]:
    """Magnesium and calcium from antacids and laxatives count like supplements (toward the
    supplemental magnesium UL); a dose that cannot be read is said, and supplements of that
    mineral are then not proposed. Returns (text, mg/day by key) for each counted medicine."""
    counted = []
    for parsed in b.flags.get("medicine_supplements", []):  # medicine lines read as supplements
        for key, value in parsed.contributions.items():
            intake.from_supplements[key] = intake.from_supplements.get(key, 0.0) + value
            intake.upper_from_supplements[key] = intake.upper_from_supplements.get(key, 0.0) + \
                parsed.upper_contributions.get(key, value)
            intake.daily_mean[key] = (intake.daily_mean.get(key) or 0.0) + value
    for m in meds:
        reading = read_minerals(m, m.text)
        if reading.amounts:
            parts = []
            for key, value in reading.amounts.items():
                intake.from_supplements[key] = intake.from_supplements.get(key, 0.0) + value
                intake.upper_from_supplements[key] = intake.upper_from_supplements.get(
                    key, 0.0) + (reading.upper_amounts or {}).get(key, value)
                intake.daily_mean[key] = (intake.daily_mean.get(key) or 0.0) + value
                parts.append(f"{value:,.0f} {UNIT.get(key, 'mg')} {PLAIN.get(key, key)}")
            counted.append((m.text, dict(reading.amounts)))
            b.add("supplement_safety", "info", f"{m.text}: counted as {', '.join(parts)} a day "
                  f"from a medicine (it counts like a supplement).",
                  list(reading.citations) or list(m.citations), " ".join(reading.assumptions),
                  medicine=m.text)
        elif reading.reason and any(c.id in ("magnesium_antacid_laxative", "calcium_antacid")
                                    for c in m.classes):
            b.flags.setdefault("unread_minerals", []).append(m.text)
            b.add("data_quality", "low", f"{m.text}: its magnesium or calcium could not be "
                  f"counted ({reading.reason}).", list(m.citations), medicine=m.text)
    epa_dha = epa_dha_mg_of(intake.daily_mean)
    if epa_dha is not None:
        intake.daily_mean["epa_dha_mg"] = epa_dha
    return counted


def potassium_products(case: Case, supplements: list[Any], meds: list[MedicationMatch]
                       ) -> tuple[list[str], list[str]]:
    """(over-the-counter, prescribed) potassium products named anywhere in the case: potassium
    supplements, prescription potassium classes, and salt substitutes (in supplements,
    medicines or diary lines, recognised by name even without an amount)."""
    rule = safety_rule("potassium_combination")
    otc: list[str] = []
    rx: list[str] = []
    for m in meds:
        if set(m.class_ids()) & set(rule["product_classes"]):
            rx.append(m.text)
    for s in supplements:
        if s.contributions.get("potassium_mg") and s.text not in rx:
            (rx if is_prescribed_text(s.text) else otc).append(s.text)
    lines = list(case.supplements) + list(case.medications) + [
        line for day in case.diary.values() for line in day]
    for text in lines:
        product = find_product(text)
        if product is not None and product.kind == "salt_substitute" and text not in otc \
                and text not in rx:
            otc.append(text)
    return otc, rx


def potassium_combination(b: Builder, case: Case, meds: list[MedicationMatch],
                          supplements: list[Any], labs: LabState, condition_ids: set[str]
                          ) -> None:
    """The potassium combination rule (see the module docstring)."""
    rule = safety_rule("potassium_combination")
    raas = [m.text for m in meds if set(m.class_ids()) & set(rule["raas_classes"])]
    if not raas:
        return
    second = [m.text for m in meds if set(m.class_ids()) & set(rule["second_classes"])]
    if labs.egfr is not None and labs.egfr < rule["egfr_below"]:
        second.append(f"reduced kidney function (eGFR {labs.egfr:.0f})")
    elif condition_ids & set(rule["kidney_conditions"]):
        second.append("kidney disease")
    otc, rx = potassium_products(case, supplements, meds)
    if not second or not (otc or rx):
        return
    evidence = [cite(s, rule["grade"]) for s in rule["source"]]
    k = labs.value("potassium", "mmol/L")
    urgent = k is not None and k >= rule["urgent_from_mmol_l"]
    words = {"raas": listing(raas), "second": listing(second), "products": listing(otc + rx),
             "otc": listing(otc), "rx": listing(rx), "k": f"{k:g}" if k is not None else ""}
    summary = rule["summary"].format(**words)
    if k is not None:
        summary += f" Latest potassium: {k:g} mmol/L."
    severity = "urgent" if urgent else rule["severity"]
    b.add("medication", severity, summary, evidence, rule="potassium_combination",
          medicines=raas + [s for s in second if s in [m.text for m in meds]],
          potassium_products=otc + rx, potassium_mmol_l=k)
    reason = f"{words['raas']} with {words['second']} and {words['products']}"
    for block in rule["blocks"]:
        b.block(block["nutrient"], block["scope"], reason, rule["id"], evidence)
    if urgent:
        b.rec("urgent_care", "potassium", rule["urgent_advice"].format(**words),
              severity="urgent", action="stop", rationale=summary)
    if otc:
        b.reduce("potassium_mg", 0.0, 0.0, reason, rule["id"], otc)
        b.rec("clinician", "potassium", rule["otc_advice"].format(**words), severity="high",
              action="stop", rationale=summary)
    if rx:
        b.rec("clinician", "potassium", rule["rx_advice"].format(**words), severity="high",
              rationale=summary)


def lithium_interaction(b: Builder, case: Case, meds: list[MedicationMatch],
                        condition_ids: set[str]) -> None:
    """Lithium with what raises lithium levels (see the module docstring)."""
    rule = safety_rule("lithium_interaction")
    lithium = [m.text for m in meds if set(m.class_ids()) & set(rule["lithium_classes"])]
    if not lithium:
        return
    risks = [m.text for m in meds if set(m.class_ids()) & set(rule["risk_classes"])]
    risks += [c.replace("_", " ") for c in sorted(condition_ids & set(rule["risk_conditions"]))]
    risks += mentioned(case.symptoms + case.conditions, rule["risk_phrases"])
    if not risks:
        return
    tremor = mentioned(case.symptoms, rule["tremor_phrases"])
    words = {"risks": listing(risks)}
    summary = rule["summary"].format(**words)
    severity = rule["severity"]
    evidence = [cite(s, rule["grade"]) for s in rule["source"]]
    if tremor:
        severity = "urgent"
        summary += " " + rule["tremor_note"].format(tremor=listing(tremor))
    b.add("medication", severity, summary, evidence, rule=rule["id"], medicines=lithium,
          risks=risks)
    if severity == "urgent":
        b.rec("urgent_care", None, rule["urgent_advice"], severity="urgent", rationale=summary)
    # a painkiller that raises lithium and can be bought (an NSAID) is the one to stop now
    stoppable = [m for m in meds if set(m.class_ids()) & set(rule["stop_classes"])]
    for m in stoppable:
        cls = next(c for c in m.classes if c.id in rule["stop_classes"])
        key = "stop_otc_advice" if m.supply(cls) != "prescription" else "stop_rx_advice"
        b.rec("clinician", None, rule[key].format(drug=m.text), severity="high",
              action="stop" if key == "stop_otc_advice" else "", rationale=summary)
    kept = [r for r in risks if r not in [m.text for m in stoppable]]
    b.rec("clinician", None, rule["advice" if kept else "advice_level_only"].format(
        risks=listing(kept) or words["risks"]), severity="high", rationale=summary)


def medicine_limits(b: Builder, meds: list[MedicationMatch]) -> None:
    """Medicines that block a supplement (``[[medicine_blocks]]``: an active vitamin D medicine
    blocks vitamin D and calcium supplements) and medicines with which the plan gives no advice
    to add salt around exercise (``[[no_salt_advice]]``: blood-pressure medicines, lithium), from
    ``safety_rules.toml``."""
    rules = safety_rules("medicine_blocks")
    for rule in rules:
        drugs = [m.text for m in meds if set(m.class_ids()) & set(rule["classes"])]
        if not drugs:
            continue
        reason = rule["reason"].format(drugs=listing(drugs))
        evidence = [cite(s, rule["grade"]) for s in rule["source"]]
        for block in rule["blocks"]:
            b.block(block["nutrient"], block["scope"], reason, rule["id"], evidence)
    for rule in safety_rules("no_salt_advice"):
        drugs = [m.text for m in meds if set(m.class_ids()) & set(rule["classes"])]
        if drugs:
            b.constrain("no_salt_advice", rule["reason"].format(drugs=listing(drugs)))
    for rule in safety_rules("vitamin_k_consistent"):
        drugs = [m.text for m in meds if set(m.class_ids()) & set(rule["classes"])]
        if drugs:
            b.constrain("vitamin_k_consistent", rule["plan_note"].format(drugs=listing(drugs)))
