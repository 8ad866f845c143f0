"""Red flags and symptoms: what needs a clinician (or urgent care) before any nutrition advice.

Symptoms are read with their negation ("no calf swelling", "denies chest pain" are noted as
absent, not as unreadable). Red flags come from the symptom text, from cramp events (muscle,
duration, a new medicine) and, in their context, from the person's situation: pregnancy or the
weeks after birth (pre-eclampsia), digoxin or lithium (toxicity), a recent stop of heavy drinking
(withdrawal and refeeding, also from low phosphate, potassium or magnesium) and heart failure
(weight up 2 kg in 3 days, breathlessness lying flat, new swelling). A symptom crampcheck cannot
read is not waved through: it is a ``moderate`` finding with a clinician recommendation.

References
----------
.. [1] NICE CKS Leg cramps; NICE NG133 (pre-eclampsia); DailyMed digoxin and lithium labels;
   NICE CG100 and CG32 (alcohol withdrawal, refeeding); ESC HFA (heart failure weight gain).
"""

from __future__ import annotations

import re
from typing import Any

from ...case import Case
from ...knowledge.medicines import MedicationMatch, normalize
from ...knowledge.red_flags import (
    FlagContext,
    blood_pressure,
    flags_from_labs,
    match_symptom,
    negated_flag_phrases,
    negated_flags,
    red_flags_for_cramp,
)
from ...knowledge.symptoms import match_known_symptom, negated_symptoms
from ..builder import Builder, cite, listing, safety_rule
from .interactions import interaction_findings


def context_for(case: Case, medicines: list[MedicationMatch], condition_ids: set[str],
                lab_statuses: dict[str, str]) -> FlagContext:
    """The situation contextual red flags are checked in."""
    return FlagContext(
        pregnant=case.person.pregnant,
        medication_classes=frozenset(c for m in medicines for c in m.class_ids()),
        conditions=frozenset(condition_ids),
        texts=tuple([*case.symptoms, *case.conditions]),
        labs=dict(lab_statuses),
        interactions=frozenset(f.data["interaction"] for f, _ in
                               interaction_findings(medicines)),
    )


class _FlagRaiser:
    """Raise each red flag once: a finding and its recommendation."""

    def __init__(self, b: Builder) -> None:
        self.b = b
        self.seen: set[str] = set()

    def __call__(self, match: Any, trigger: str) -> None:
        flag = match.flag
        if flag.id in self.seen:
            return
        self.seen.add(flag.id)
        self.b.add("red_flag", flag.severity, flag.summary,
                   list(match.citations or flag.citations), flag.advice, flag=flag.id,
                   trigger=trigger)
        self.b.rec(flag.recommendation_kind, None, flag.advice, severity=flag.severity,
                   rationale=flag.summary)


def review(b: Builder, case: Case, unrecognized: dict[str, list[str]],
           new_classes: list[str], context: FlagContext,
           medicines: list[MedicationMatch]) -> None:
    """Findings and recommendations for symptoms, cramp events and contextual red flags."""
    raise_flag = _FlagRaiser(b)
    for text in case.symptoms:
        _one_symptom(b, text, context, medicines, unrecognized, raise_flag)
    for m in flags_from_labs(context):
        raise_flag(m, m.matched)
    _cramp_flags(case, new_classes, raise_flag)


def _one_symptom(b: Builder, text: str, context: FlagContext, medicines: list[MedicationMatch],
                 unrecognized: dict[str, list[str]], raise_flag: _FlagRaiser) -> None:
    """One symptom line, read in order: a red flag, a blood pressure, a known symptom, symptoms
    said to be absent; otherwise unreadable (a clinician recommendation)."""
    matches = match_symptom(text, context)
    for m in matches:
        raise_flag(m, text)
    if matches:
        return
    bp = blood_pressure(text)
    if bp is not None:
        _blood_pressure_note(b, text, bp)
        return
    if _known_symptom_note(b, text, medicines):
        return
    if _absent_note(b, text, context):
        return
    unrecognized["symptoms"].append(text)
    rule = safety_rule("unreadable_symptom")
    evidence = [cite(s, rule["grade"]) for s in rule["source"]]
    b.add("symptom", rule["severity"], rule["summary"].format(text=text), evidence,
          symptom="unreadable", trigger=text)
    b.rec("clinician", None, rule["advice"].format(text=text), severity=rule["severity"])


def _known_symptom_note(b: Builder, text: str, medicines: list[MedicationMatch]) -> bool:
    """A symptom in the knowledge base (and the medicines taken that can cause it); True if so."""
    known = match_known_symptom(text)
    if known is None:
        return False
    summary = f"{text}: {known.summary}"
    takes = [m.text for m in medicines if set(m.class_ids()) & set(known.medication_classes)]
    if takes:
        summary += f" You take {listing(takes)}, which can cause it."
    b.add(known.topic, known.severity, summary, list(known.citations),
          symptom=known.id, trigger=text)
    if known.advice:
        b.rec("clinician", None, known.advice, severity=known.severity)
    return True


def _absent_note(b: Builder, text: str, context: FlagContext) -> bool:
    """Red flags or symptoms the line says are absent ("no calf swelling"); True if any."""
    absent = [f.name for f in negated_flags(text, context)]
    absent += [s.id.replace("_", " ") for s in negated_symptoms(text)]
    rule = safety_rule("absent_symptom")
    if not absent:
        absent = negated_flag_phrases(text)
    if not absent and normalize(text) in {normalize(p) for p in rule["nothing_else"]}:
        absent = ["other symptoms"]
    if not absent:
        return False
    b.add("symptom", "info", rule["summary"].format(what=listing(absent)),
          [cite(s, rule["grade"]) for s in rule["source"]], symptom="absent", trigger=text)
    return True


def _cramp_flags(case: Case, new_classes: list[str], raise_flag: _FlagRaiser) -> None:
    """Red flags from cramp events, a newly started medicine and long cramps in symptom text."""
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


def _blood_pressure_note(b: Builder, text: str, bp: tuple[int, int]) -> None:
    """A blood pressure reading that raised no red flag: read, banded, never "unreadable"."""
    rule = safety_rule("blood_pressure_reading")
    evidence = [cite(s, rule["grade"]) for s in rule["source"]]
    for band in rule["bands"]:
        if bp[0] >= band["systolic"] or bp[1] >= band["diastolic"]:
            words = f"{bp[0]}/{bp[1]}"
            b.add("blood_pressure", band["severity"], band["summary"].format(bp=words), evidence,
                  trigger=text, systolic=bp[0], diastolic=bp[1])
            if band["advice"]:
                b.rec("clinician", None, band["advice"], severity=band["severity"])
            return
