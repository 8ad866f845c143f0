"""The assessment: from one person's case to graded, sourced findings.

Order of work: red flags first (symptoms, cramp sites), then intake against the person's DRIs
(foods from the diary plus supplements), the calcium:magnesium ratio, medicines, conditions,
exercise, labs, cramp timing and cramp days against other days, and what data is missing.
Every finding carries citations from the knowledge base; it describes ("your intake is
below…") and does not diagnose.

References
----------
Institute of Medicine. Dietary Reference Intakes for Calcium, Phosphorus, Magnesium, Vitamin D,
and Fluoride (1997) and for Calcium and Vitamin D (2011); NASEM, DRIs for Sodium and Potassium
(2019). Garrison SR et al., Magnesium for skeletal muscle cramps, Cochrane Database Syst Rev
2020. The seed article (grade C) only for the heuristics DESIGN.md allows.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import knowledge
from ..case import Case
from ..errors import InputError
from ..foods.schema import NUTRIENTS
from ..intake.supplements import parse_supplement
from ..knowledge.labs import egfr_ckd_epi_2021, interpret_lab
from ..knowledge.medicines import match_medication, read_medicine
from ..models import SEVERITIES, Citation, Finding, Recommendation
from ..reference.dri import Target, targets_for
from ..totals import Item, analyze_line

NEW_WORDS = ("started", "new", "recently", "just began", "since last")

TARGET_KEYS = ("calcium_mg", "magnesium_mg", "potassium_mg", "sodium_mg", "vitamin_d_ug",
               "ala_g", "epa_dha_mg")
NUTRIENT_TOPIC = {"calcium_mg": "calcium", "magnesium_mg": "magnesium",
                  "potassium_mg": "potassium", "sodium_mg": "sodium",
                  "vitamin_d_ug": "vitamin_d", "ala_g": "omega3", "epa_dha_mg": "omega3"}
PLAIN = {"calcium_mg": "calcium", "magnesium_mg": "magnesium", "potassium_mg": "potassium",
         "sodium_mg": "sodium", "vitamin_d_ug": "vitamin D", "ala_g": "ALA (plant omega-3)",
         "epa_dha_mg": "EPA + DHA (fish omega-3)"}
UNIT = {"calcium_mg": "mg", "magnesium_mg": "mg", "potassium_mg": "mg", "sodium_mg": "mg",
        "vitamin_d_ug": "µg", "ala_g": "g", "epa_dha_mg": "mg"}


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


def amount_text(value: float) -> str:
    """An intake in words with enough digits that it never looks like its threshold
    (9.96 is "9.96", not "10.0")."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def cite(source_id: str, grade: str) -> Citation:
    return Citation(source_id, grade)


def claim(claim_id: str) -> dict[str, Any]:
    for entry in knowledge.load("claims")["claims"]:
        if entry["id"] == claim_id:
            return entry
    raise KeyError(claim_id)


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
    return out


# --------------------------------------------------------------------------- intake


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
        for day, rec in sorted(recorded_days.items()):
            per_day[day] = {k: (rec.totals.get(k) or 0.0) for k in NUTRIENTS}
            for k, n in rec.missing.items():
                missing.setdefault(k, []).append(f"{day}: {n} entr{'y' if n == 1 else 'ies'}")
            for k in rec.estimated:
                estimated.setdefault(k, []).append(day)
    for day, lines in ([] if recorded_days is not None else sorted(case.diary.items())):
        totals = dict.fromkeys(NUTRIENTS, 0.0)
        for n, text in enumerate(lines, 1):
            try:
                result = analyze_line(text, day=day, line=n, source=f"diary.{day}")
            except InputError as exc:
                raise InputError(exc.message, source=f"diary.{day}[{n - 1}]") from None
            if isinstance(result, Item):
                items.append(result)
                for k, v in result.nutrients.items():
                    if v is not None:
                        totals[k] += v
            else:
                unmatched.append(text)
        if lines:
            per_day[day] = totals
    days = len(per_day)
    supplements = []
    unrecognized_supps: list[str] = []
    unreadable: list[tuple[str, str]] = []
    from_supps: dict[str, float] = {}
    upper: dict[str, float] = {}
    for text in case.supplements:
        parsed = parse_supplement(text)
        if not parsed.recognized:
            reason = parsed.assumptions[-1] if parsed.assumptions else "no amount found"
            unrecognized_supps.append(text)
            unreadable.append((text, reason))
            continue
        supplements.append(parsed)
        for k, v in parsed.contributions.items():
            from_supps[k] = from_supps.get(k, 0.0) + v
            upper[k] = upper.get(k, 0.0) + parsed.upper_contributions.get(k, v)
    daily: dict[str, float | None] = {}
    for k in NUTRIENTS:
        food = statistics.fmean(d[k] for d in per_day.values()) if days else None
        supp = from_supps.get(k, 0.0)
        daily[k] = (food or 0.0) + supp if (food is not None or supp) else None
    epa, dha = daily.get("epa_g"), daily.get("dha_g")
    daily["epa_dha_mg"] = None if epa is None and dha is None else 1000 * ((epa or 0) + (dha or 0))
    if "epa_g" in from_supps or "dha_g" in from_supps:
        from_supps["epa_dha_mg"] = 1000 * (from_supps.get("epa_g", 0) + from_supps.get("dha_g", 0))
    for item in items:
        for k, v in item.nutrients.items():
            if v is None:
                missing.setdefault(k, []).append(item.text)
    intake = Intake(days, daily, from_supps, missing, per_day, items, estimated, unreadable,
                    upper)
    return intake, unmatched, unrecognized_supps, supplements


# --------------------------------------------------------------------------- engine


class _Builder:
    def __init__(self, case: Case) -> None:
        self.case = case
        self.findings: list[Finding] = []
        self.recs: list[Recommendation] = []
        self.stops: set[str] = set()
        self.flags: dict[str, Any] = {"acid_suppressant": False, "potassium_caution": False,
                                      "spacing": [], "kidney": False}

    def add(self, topic: str, severity: str, summary: str, evidence: list[Citation],
            detail: str = "", **data: Any) -> Finding:
        f = Finding(topic, severity, summary, detail, evidence, data)
        self.findings.append(f)
        return f

    def rec(self, kind: str, nutrient: str | None, text: str, **kw: Any) -> None:
        if not any(r.kind == kind and r.text == text for r in self.recs):
            self.recs.append(Recommendation(kind, nutrient, text, **kw))


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
        Findings most severe first, recommendations (urgent care and clinician first).
    """
    ratio_band = ratio_band or knowledge.ratio_band()
    b = _Builder(case)
    targets = targets_for(case.person)
    unrecognized: dict[str, list[str]] = {"diary": [], "medications": [], "conditions": [],
                                          "symptoms": [], "supplements": []}
    intake, unmatched, bad_supps, supplements = measure_intake(case, recorded_days)
    unrecognized["diary"] = unmatched
    unrecognized["supplements"] = bad_supps
    new_classes = [cid for text in case.medications
                   if any(w in text.lower() for w in NEW_WORDS)
                   for m in [match_medication(text)] if m is not None for cid in m.class_ids()]
    _red_flags(b, case, unrecognized, new_classes)
    meds = _medications(b, case, unrecognized, supplements)
    _minerals_in_medicines(b, meds, intake)
    _conditions(b, case, unrecognized)
    _labs(b, case)
    _digoxin_and_low_minerals(b, meds)
    from .rules.interactions import interaction_findings  # issue 10: drug–drug interactions
    for finding, advice in interaction_findings(meds):
        b.findings.append(finding)
        b.rec("clinician", None, advice)
    _intake_findings(b, case, intake, targets)
    ratio = _ratio(b, intake, ratio_band)
    _supplement_safety(b, intake, targets, supplements)
    _exercise(b, case)
    _timing(b, case)
    _cramp_days(b, case, intake)
    _data_quality(b, case, intake, unrecognized)
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
    b.findings.sort(key=lambda f: -SEVERITIES.index(f.severity))
    order = {"urgent_care": 0, "clinician": 1, "food": 2, "supplement": 3, "lifestyle": 4}
    b.recs.sort(key=lambda r: order[r.kind])
    b.flags["medications"] = meds
    return Assessment(case, intake, targets, {"calcium_to_magnesium": ratio}, b.findings, b.recs,
                      unrecognized, b.stops, b.flags, ratio_band, supplements)


def _red_flags(b: _Builder, case: Case, unrecognized: dict[str, list[str]],
               new_classes: list[str]) -> None:
    from ..knowledge.red_flags import match_symptom, red_flags_for_cramp
    from ..knowledge.symptoms import match_known_symptom

    seen: set[str] = set()

    def raise_flag(match: Any, trigger: str) -> None:
        flag = match.flag if hasattr(match, "flag") else match
        fid = getattr(flag, "id", None) or getattr(match, "id", "")
        if fid in seen:
            return
        seen.add(fid)
        severity = getattr(flag, "severity", "high")
        kind = getattr(flag, "recommendation_kind", "clinician")
        summary = getattr(flag, "summary", "") or getattr(match, "summary", "")
        advice = getattr(flag, "advice", "") or getattr(match, "advice", "")
        evidence = list(getattr(match, "citations", None) or getattr(flag, "citations", []))
        b.add("red_flag", severity, summary, evidence, advice, flag=fid, trigger=trigger)
        b.rec(kind, None, advice)

    for text in case.symptoms:
        matches = match_symptom(text)
        for m in matches:
            raise_flag(m, text)
        if matches:
            continue
        known = match_known_symptom(text)
        if known is None:
            unrecognized["symptoms"].append(text)
            continue
        b.add(known.topic, known.severity, f"{text}: {known.summary}", list(known.citations),
              symptom=known.id, trigger=text)
        if known.advice:
            b.rec("clinician", None, known.advice)
    for cramp in case.cramps:
        for m in red_flags_for_cramp(cramp.muscle, minutes=cramp.minutes,
                                     new_medicines=new_classes):
            raise_flag(m, f"cramp in {cramp.muscle}" if cramp.muscle else "cramp")
    if new_classes and not case.cramps:  # the person came about cramps; a new drug matters
        for m in red_flags_for_cramp(None, new_medicines=new_classes):
            raise_flag(m, "a newly started medicine")
    for text in case.symptoms:  # "cramps lasting 20 minutes"
        minutes = re.search(r"(\d+(?:\.\d+)?)\s*(?:min|mins|minutes)\b", text.lower())
        if minutes and re.search(r"cramp|spasm", text.lower()):
            for m in red_flags_for_cramp(None, minutes=float(minutes.group(1))):
                raise_flag(m, text)


def _medications(b: _Builder, case: Case, unrecognized: dict[str, list[str]],
                 supplements: list[Any]) -> list[Any]:
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
            b.add("medication", "info", f"{text}: {', '.join(m.unclassified)} — no known effect "
                  f"on minerals or cramps in crampcheck's sources.",
                  [c for c in m.citations if c.source_id == "drug_ner_dictionary"]
                  or list(m.citations)[:2],
                  drug=text, generics=m.unclassified, drug_class=None, affects=[],
                  recognized=True, **({"read_as": m.read_as} if m.read_as else {}))
        dose_data = _daily_dose_data(m) if m.classes else {}
        for cls in m.classes:
            if cls.id in ("ppi", "h2_blocker", "proton_pump_inhibitor", "h2_antagonist") or \
                    "proton" in cls.name.lower() or "h2" in cls.name.lower():
                b.flags["acid_suppressant"] = True
            if any(e.nutrient == "potassium" and e.direction == "raise" for e in cls.effects):
                b.flags["potassium_caution"] = True
            affects = cls.affects()
            effects = "; ".join(f"{e.nutrient}: {e.mechanism}" for e in cls.effects)
            article = "an" if cls.name[:1].lower() in "aeiou" else "a"
            summary = f"{text}: {article} {cls.name}"
            if affects:
                summary += " — can change " + ", ".join(affects) + "."
            else:
                summary += "."
            if cls.cramp_risk.flag:
                summary += " Muscle symptoms are a known side effect of this class."
            interactions = m.interactions()
            spacing = [i.advice for _, i in interactions]
            for _, i in interactions:
                b.flags["spacing"].append({"drug": text, "minerals": list(i.minerals),
                                           "hours_before": i.take_drug_hours_before,
                                           "hours_after": i.take_drug_hours_after,
                                           "advice": i.advice})
            if spacing:
                summary += " Spacing: " + " ".join(spacing)
            severity = cls.severity if cls.severity in SEVERITIES else "low"
            detail = effects + ("." if effects and effects[-1] not in ".!?" else "")
            if cls.cramp_risk.flag and cls.cramp_risk.note:
                detail = (detail + " " + cls.cramp_risk.note).strip()
            if cls.note and (cls.severity == "high" or not cls.effects):
                detail = (detail + ("" if detail[-1:] in ".!?" else ".") + " " + cls.note).strip()
            if m.read_as:
                summary += f" (spelling read as: {'; '.join(m.read_as)})"
            b.add("medication", severity, summary, list(m.citations) or list(cls.citations),
                  detail, drug=text, drug_class=cls.name, affects=affects,
                  spacing=spacing, generics=[g for g in m.generics if g in cls.members],
                  supply=m.supply(cls), **({"read_as": m.read_as} if m.read_as else {}),
                  **dose_data)
            if cls.severity == "high" and not cls.cramp_risk.flag:
                b.rec("clinician", None, f"Talk to your clinician about {m.name}: {cls.note}"
                      if cls.note else f"Talk to your clinician about {m.name}.")
            if cls.cramp_risk.flag and case.cramps:
                b.rec("clinician", None, f"Tell your prescriber about the cramps while taking "
                      f"{m.name}: muscle symptoms can be a side effect of a {cls.name}"
                      + DO_NOT_STOP.get(m.supply(cls), "."))
            elif any(e.strength in ("strong", "moderate") and e.direction == "lower"
                     for e in cls.effects):
                names = ", ".join(e.nutrient for e in cls.effects if e.direction == "lower")
                b.rec("clinician", None, f"Ask your clinician whether to check your blood "
                      f"{names} while you take {m.name} ({cls.name}).")
            if spacing and takes_minerals:
                for advice in spacing:
                    b.rec("clinician", None, f"{m.name}: {advice}")
    return matches


#: "Do not stop it on your own" is said only of prescribed medicines (DESIGN.md safety rules);
#: a product that may have been bought over the counter gets it conditionally.
DO_NOT_STOP = {"prescription": "; do not stop it on your own.",
               "both": "; if it was prescribed, do not stop it on your own.",
               "otc": "."}


def _daily_dose_data(m: Any) -> dict[str, float]:
    """``daily_mg`` (and ``daily_mg_max`` when higher) of a one-ingredient medicine line."""
    from ..knowledge.medicines import daily_dose

    dose = daily_dose(m)
    if dose is None:
        return {}
    out = {"daily_mg": dose.usual_mg}
    if dose.max_mg > dose.usual_mg:
        out["daily_mg_max"] = dose.max_mg
    return out


def _medicine_as_supplement(b: _Builder, text: str, supplements: list[Any]) -> bool:
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


def _minerals_in_medicines(b: _Builder, meds: list[Any], intake: Intake) -> None:
    """Magnesium and calcium from antacids and laxatives count like supplements (toward the
    supplemental magnesium UL); a dose that cannot be read is said, and supplements of that
    mineral are then not proposed."""
    from ..knowledge.medicines import read_minerals

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
            b.add("supplement_safety", "info", f"{m.text}: counted as {', '.join(parts)} a day "
                  f"from a medicine (it counts like a supplement).",
                  list(reading.citations) or list(m.citations), " ".join(reading.assumptions),
                  medicine=m.text)
        elif reading.reason and any(c.id in ("magnesium_antacid_laxative", "calcium_antacid")
                                    for c in m.classes):
            b.flags.setdefault("unread_minerals", []).append(m.text)
            b.add("data_quality", "low", f"{m.text}: its magnesium or calcium could not be "
                  f"counted ({reading.reason}).", list(m.citations), medicine=m.text)
    epa, dha = intake.daily_mean.get("epa_g"), intake.daily_mean.get("dha_g")
    if epa is not None or dha is not None:
        intake.daily_mean["epa_dha_mg"] = 1000 * ((epa or 0) + (dha or 0))


def _conditions(b: _Builder, case: Case, unrecognized: dict[str, list[str]]) -> None:
    from ..knowledge.conditions import match_condition

    seen_conditions: set[str | None] = set()
    for text in case.conditions:
        m = match_condition(text)
        if m is None:
            unrecognized["conditions"].append(text)
            continue
        cond = m.condition if hasattr(m, "condition") else m
        if getattr(cond, "id", None) in seen_conditions:
            continue
        seen_conditions.add(getattr(cond, "id", None))
        stops = set(getattr(cond, "stops", ()) or ())
        b.stops |= stops
        if "potassium" in stops:
            b.flags["potassium_caution"] = True
        if getattr(cond, "id", "") in ("chronic_kidney_disease", "dialysis"):
            b.flags["kidney"] = True
        if getattr(cond, "id", "") == "dialysis":
            b.flags["dialysis"] = True
        name = getattr(cond, "name", text)
        note = getattr(cond, "note", "")
        effects = getattr(cond, "effects", ())
        affects = list(dict.fromkeys(e.nutrient for e in effects))
        summary = f"{text}: {name}."
        if note:
            summary += " " + note
        severity = getattr(cond, "severity", "low")
        b.add("condition", severity if severity in SEVERITIES else "low", summary,
              list(getattr(m, "citations", None) or getattr(cond, "citations", [])),
              getattr(cond, "cramp_note", ""), condition=name, affects=affects,
              stops=sorted(stops))
        if getattr(cond, "refer", False):
            plain_stops = sorted(s.replace("_", " ") for s in stops)
            extra = (" Do not start " + " or ".join(plain_stops) + " supplements without "
                     "them.") if stops else ""
            b.rec("clinician", None, f"Because of {name}, involve your clinician before "
                  f"changing supplements.{extra}")


def _labs(b: _Builder, case: Case) -> None:
    """Labs against adult ranges: urgent beyond critical limits, kidney function from eGFR
    (given, or estimated from creatinine with CKD-EPI 2021), calcium corrected for albumin."""
    sex = case.person.sex
    albumin = None
    for lab in case.labs:
        if "albumin" in lab.test.lower():
            try:
                r = interpret_lab(lab.test, lab.value, lab.unit)
            except InputError:
                continue
            albumin = r.converted.get("g/dL", r.canonical_value)
    results = []
    for lab in case.labs:
        try:
            results.append(interpret_lab(lab.test, lab.value, lab.unit, albumin_g_dl=albumin,
                                         sex=sex))
        except InputError as exc:
            b.add("data_quality", "low", f"Lab result not interpreted: {lab.test} {lab.value:g} "
                  f"{lab.unit} ({exc.message}).", [cite("medlineplus_lab_tests", "B")],
                  test=lab.test)
    statuses = {r.test: r.status for r in results}
    for r in results:
        _lab_finding(b, r, statuses)
    if "egfr" not in statuses and case.person.age >= 18:
        for r in results:
            if r.test == "creatinine":
                mg_dl = r.converted.get("mg/dL", r.canonical_value / 88.4)
                egfr = egfr_ckd_epi_2021(mg_dl, case.person.age, sex)
                low = egfr < 60
                b.add("lab", "moderate" if low else "info",
                      f"Estimated kidney function (eGFR) from creatinine {r.value:g} {r.unit}, "
                      f"age and sex: {egfr:.0f} mL/min/1.73m² (CKD-EPI 2021)"
                      + ("; below 60, a range where magnesium and potassium can build up."
                         if low else "."),
                      [cite("inker_2021_ckd_epi", "A"), cite("kdigo_ckd_2012", "A")],
                      test="egfr_estimated", value=round(egfr, 1),
                      status="low" if low else "normal")
                if low:
                    _kidney_stop(b)
                    b.rec("clinician", None, "Your estimated kidney function is below 60: ask "
                          "your clinician before taking magnesium or potassium supplements.")
                break


def _digoxin_and_low_minerals(b: _Builder, meds: list[Any]) -> None:
    """Low potassium or magnesium with digoxin makes digoxin toxicity (rhythm problems) more
    likely (digoxin label): a high finding and a clinician recommendation."""
    low = [f.data.get("test") for f in b.findings if f.topic == "lab"
           and f.data.get("status") == "low" and f.data.get("test") in ("potassium", "magnesium")]
    for m in meds:
        if not low or not any(c.id == "digoxin" for c in m.classes):
            continue
        names = " and ".join(sorted(set(low)))
        b.add("medication", "high", f"{m.text}: digoxin with low blood {names}. Low potassium or "
              f"magnesium makes digoxin's side effects on the heart rhythm more likely.",
              [cite("dailymed_digoxin", "A"), cite("merck_hypokalemia", "B")],
              drug=m.text, drug_class="digoxin (heart medicine)", affects=sorted(set(low)))
        b.rec("clinician", None, f"Your {names} is low while you take digoxin: contact the "
              f"clinician who prescribes it soon (within days, today if you feel palpitations "
              f"or dizziness).")


def _kidney_stop(b: _Builder) -> None:
    b.stops |= {"magnesium", "potassium"}
    b.flags["kidney"] = True
    b.flags["potassium_caution"] = True


def _lab_finding(b: _Builder, r: Any, statuses: dict[str, str]) -> None:
    shown = r.value
    if r.corrected_value is not None:
        unit_factor = r.value / r.canonical_value if r.canonical_value else 1.0
        shown = r.corrected_value * unit_factor
        what = (f"{r.name}, corrected for albumin, {shown:.2f} {r.unit} (measured {r.value:g} "
                f"{r.unit})")
    else:
        what = f"{r.name} {r.value:g} {r.unit}"
    evidence = list(r.citations)
    detail = " ".join(r.notes)
    if r.status == "normal":
        b.add("lab", "info", f"{what} is within the reference range ({r.range_text}).",
              evidence, test=r.test, status=r.status)
        return
    if r.critical:
        b.add("lab", "urgent", f"{what} is far {'below' if r.status == 'low' else 'above'} the "
              f"reference range ({r.range_text}): a result like this needs medical attention "
              f"today.", evidence, detail, test=r.test, status=r.status)
        b.rec("urgent_care", None, f"Your {r.name} result is at a level that needs attention "
              f"today: contact your clinician, an urgent care service or NHS 111 now, unless "
              f"you are already being treated for it.")
        if r.test == "egfr":
            _kidney_stop(b)
        return
    severity = "moderate"
    if r.test in ("magnesium", "potassium", "calcium_total", "calcium_ionized", "sodium", "ck"):
        severity = "high"
    if r.test.startswith("calcium") and r.status == "low" and statuses.get("magnesium") == "low":
        detail += (" With low magnesium, low calcium often does not correct until magnesium is "
                   "repleted: magnesium is needed to release and respond to parathyroid hormone.")
    if (r.test == "egfr" and r.status == "low") or (r.band and r.band.startswith("G3")):
        _kidney_stop(b)
    if r.test == "potassium" and r.status == "high":
        b.flags["potassium_caution"] = True
    extra = {"band": r.band} if r.band else {}
    b.add("lab", severity, f"{what} is {r.status} (reference {r.range_text}).", evidence,
          detail.strip(), test=r.test, status=r.status, **extra)
    b.rec("clinician", None, f"Discuss your {r.name} result ({r.status}) with your clinician "
          f"before changing supplements.")


def _intake_findings(b: _Builder, case: Case, intake: Intake,
                     targets: dict[str, Target]) -> None:
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
            limit = t.cdrr
            if limit is not None and value > limit:
                b.add(topic, "low", f"Your sodium intake averages {value:,.0f} mg/day, above "
                      f"the {limit:,.0f} mg/day level where reducing intake lowers chronic "
                      f"disease risk.", evidence, caveat.strip(), **data)
            elif t.ai is not None and value < t.ai * 0.5 and case.exercise is not None and (
                    case.exercise.hot_environment
                    or is_heavy_exercise(case.exercise.hours_per_week, "")):
                b.add(topic, "low", f"Your sodium intake from the diary is low ({value:,.0f} "
                      f"mg/day; AI {t.ai:,.0f} mg). With heavy sweating, low sodium can add to "
                      f"cramps.", evidence, caveat.strip(), **data)
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
        if severity in ("moderate", "low") and key in ("calcium_mg", "magnesium_mg",
                                                       "potassium_mg", "vitamin_d_ug",
                                                       "ala_g", "epa_dha_mg"):
            if key == "potassium_mg" and b.flags["potassium_caution"]:
                b.rec("clinician", "potassium", "Your potassium intake is below the AI, but "
                      "with your kidneys, labs or medicines, ask your clinician before eating "
                      "more high-potassium foods.")
                continue
            short = goal - value if goal is not None else 0
            b.rec("food", topic, f"Add foods rich in {plain} to reach about {goal:g} {unit}/day "
                  f"(about {short:,.0f} {unit} more).", amount=f"{short:,.0f} {unit}/day",
                  rationale=summary)


def _ratio(b: _Builder, intake: Intake, band: tuple[float, float]) -> float | None:
    ca = intake.daily_mean.get("calcium_mg")
    mg = intake.daily_mean.get("magnesium_mg")
    if intake.days == 0 or not ca or not mg:
        return None
    ratio = round(ca / mg, 2)  # the same figure in the finding and in "ratios"
    c = claim("ca_mg_ratio_2_to_1")
    lo, hi = band
    data = {"calcium_to_magnesium": round(ratio, 2), "band": [lo, hi]}
    if ratio > hi:
        b.add("ratio", "low", f"Your calcium:magnesium intake ratio is {ratio:.1f}:1, above the "
              f"{lo:g}–{hi:g} band around the 2:1 often quoted (not a DRI; weakly supported). "
              f"More magnesium would bring it down.", knowledge.citations(c),
              c["evidence_says"], **data)
    elif ratio < lo:
        b.add("ratio", "low", f"Your calcium:magnesium intake ratio is {ratio:.1f}:1, below the "
              f"{lo:g}–{hi:g} band around the 2:1 often quoted (not a DRI); check that calcium "
              f"intake itself is adequate.", knowledge.citations(c), c["evidence_says"], **data)
    else:
        b.add("ratio", "info", f"Your calcium:magnesium intake ratio is {ratio:.1f}:1, inside the "
              f"{lo:g}–{hi:g} band (a commonly quoted range, not a DRI).",
              knowledge.citations(c), **data)
    return ratio


def _supplement_safety(b: _Builder, intake: Intake, targets: dict[str, Target],
                       supplements: list[Any]) -> None:
    for key in ("magnesium_mg", "calcium_mg", "vitamin_d_ug", "potassium_mg"):
        t = targets.get(key)
        nutrient = key.split("_")[0] if key != "vitamin_d_ug" else "vitamin_d"
        supp = intake.from_supplements.get(key, 0.0)
        if supp and nutrient in b.stops:
            b.add("supplement_safety", "high", f"You take {supp:,.0f} {UNIT[key]}/day of "
                  f"{PLAIN[key]} from supplements or medicines, which is not advised with your "
                  f"kidney function or condition: ask your clinician before continuing it.",
                  list(t.citations) if t else [], nutrient=key, from_supplements=supp)
            b.rec("clinician", nutrient, f"Ask your clinician about your {PLAIN[key]} "
                  f"supplement before taking more.")
        if t is None or t.ul is None:
            continue
        supp_top = intake.upper_from_supplements.get(key, supp)  # the higher reading
        amount = supp_top if t.ul_applies_to == "supplements" else (
            (intake.daily_mean.get(key) or 0) - supp + supp_top)
        if amount > t.ul:
            scope = "from supplements and medicines" if t.ul_applies_to == "supplements" else \
                "from food and supplements together"
            b.add("supplement_safety", "high", f"Your {PLAIN[key]} {scope} is {amount:,.0f} "
                  f"{UNIT[key]}/day, above the Tolerable Upper Intake Level of {t.ul:g} "
                  f"{UNIT[key]}." + (" This counts each line at its higher reading (the top "
                  f"of a range, 'as needed' at its maximum, the amount as the element when the "
                  f"line does not say); as usually taken it is {amount - supp_top + supp:,.0f} "
                  f"{UNIT[key]}." if supp_top > supp + 0.05 else ""),
                  list(t.citations), nutrient=key, amount=round(amount, 1), ul=t.ul)
            if t.ul_applies_to == "supplements":
                advice = (f"Keep {PLAIN[key]} from supplements and medicines below "
                          f"{t.ul:g} {UNIT[key]}/day unless your clinician prescribed more.")
            else:
                advice = (f"Your total {PLAIN[key]} (food and supplements) is above "
                          f"{t.ul:g} {UNIT[key]}/day: lower the supplement so the total stays "
                          f"below it, unless your clinician prescribed more.")
            b.rec("clinician", nutrient, advice)
    for s in supplements:
        for warning in getattr(s, "warnings", []):
            b.add("supplement_safety", "moderate", f"{s.text}: {warning}", s.citations,
                  supplement=s.text)
            b.rec("clinician", None, f"{s.text}: take this strength only as your clinician "
                  f"prescribed it.")
        read = "; ".join(_dose_text(d) for d in s.doses)
        for r in getattr(s, "readings", []):
            read += (f" (or {r['as_element_mg']:g} mg if {r['stated_mg']:g} mg is the "
                     f"{PLAIN[r['nutrient']]} itself: the upper-limit check uses that)")
        b.add("supplement_safety", "info", f"{s.text}: counted as {read} a day.", s.citations,
              " ".join(s.assumptions), supplement=s.text,
              doses=[{"mineral": d.mineral, "form": d.form,
                      "elemental_mg": round(d.elemental_mg, 3)} for d in s.doses])


def _dose_text(dose: Any) -> str:
    """"600 mg calcium (calcium carbonate)", "50 µg vitamin D" — the amount crampcheck used."""
    if dose.mineral == "vitamin_d":
        amount = f"{dose.elemental_mg * 1000:g} µg vitamin D"
    else:
        name = dose.mineral.upper() if dose.mineral in ("epa", "dha", "ala") else dose.mineral
        amount = f"{dose.elemental_mg:g} mg {name}"
    form = (dose.form or "").replace("_", " ")
    return f"{amount} ({form})" if form else amount


def _exercise(b: _Builder, case: Case) -> None:
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
        b.rec("lifestyle", None, "Drink to thirst during long or hot sessions and replace salt "
              "after heavy sweating; stretch the calves before and after exercise.")
    else:
        b.add("exercise", "info", f"You exercise {ex.hours_per_week:g} h/week ({ex.intensity}); "
              f"this is not a likely cause of cramps on its own.", evidence,
              hours_per_week=ex.hours_per_week, intensity=ex.intensity)


def _timing(b: _Builder, case: Case) -> None:
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
                   f"The seed "
                   f"article links night cramps to magnesium: that is its heuristic, not an "
                   f"established rule.")
    else:
        summary = (f"{len(times) - night} of {len(times)} cramps came by day. The seed article "
                   f"links day cramps to calcium: that is its heuristic, not an established "
                   f"rule.")
    severity = "low" if len(times) >= 3 else "info"
    b.add("symptom_timing", severity, summary, knowledge.citations(c), c["evidence_says"],
          night=night, total=len(times), heuristic=True)


def _cramp_days(b: _Builder, case: Case, intake: Intake) -> None:
    if len(intake.per_day) < 7 or not case.cramps:
        return
    cramp_days = {c.at.date().isoformat() for c in case.cramps if c.at is not None}
    on = [d["magnesium_mg"] for day, d in intake.per_day.items() if day in cramp_days]
    off = [d["magnesium_mg"] for day, d in intake.per_day.items() if day not in cramp_days]
    if not on or not off:
        return
    diff = statistics.fmean(on) - statistics.fmean(off)
    b.add("data_quality", "info", f"Magnesium intake on the {len(on)} diary day(s) with cramps "
          f"averaged {statistics.fmean(on):,.0f} mg vs {statistics.fmean(off):,.0f} mg on the "
          f"{len(off)} other day(s) ({diff:+,.0f} mg). With this few days the difference can "
          f"easily be chance; keep logging before drawing conclusions.",
          [cite("seed_article", "C")], cramp_days=len(on), other_days=len(off))


def _data_quality(b: _Builder, case: Case, intake: Intake,
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
        if kind == "supplements":
            continue
        if texts:
            b.add("data_quality", "low", f"Not recognised ({kind}): " + "; ".join(texts) +
                  ". These were not counted; check the spelling or give more detail.", src,
                  kind=kind, texts=texts)
