"""Lab results: findings by severity band, and the stops a high (or low) result brings.

Each result is read with :func:`crampcheck.knowledge.labs.interpret_lab` (unit conversion,
albumin-corrected calcium, KDIGO eGFR category, Merck severity bands). A result named by a
``lab_stops`` entry of ``safety_rules.toml`` then blocks additions of that mineral and says what
to stop (calcium and vitamin D supplements with a high calcium; magnesium supplements, antacids
and laxatives with a high magnesium; potassium products with a high potassium; phosphorus-rich
foods with a high phosphate). Symptoms of the state ("thirst", "constipation", "confusion" with
a high calcium) raise the finding to the entry's ``symptom_severity``.

References
----------
.. [1] Merck Manual Professional Version: Hypercalcemia (mild < 11.5, moderate 11.5–18,
   severe > 18 mg/dL), Hypermagnesemia, Hyperkalemia, Hypophosphatemia.
.. [2] Inker LA et al. (2021). CKD-EPI creatinine equation without race. NEJM 385:1737–49.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...case import Case
from ...errors import InputError
from ...knowledge.labs import LabResult, egfr_ckd_epi_2021, interpret_lab
from ...knowledge.medicines import normalize
from ...knowledge.red_flags import phrase_at, read_clauses
from ...models import SEVERITIES
from ..builder import Builder, cite, listing, safety_rules


@dataclass
class LabState:
    """What the other rules need from the labs."""

    results: dict[str, LabResult] = field(default_factory=dict)
    egfr: float | None = None
    egfr_estimated: bool = False

    def status(self, test: str) -> str | None:
        r = self.results.get(test)
        return None if r is None else r.status

    def statuses(self) -> dict[str, str]:
        return {t: r.status for t, r in self.results.items()}

    def value(self, test: str, unit: str) -> float | None:
        r = self.results.get(test)
        return None if r is None else r.converted.get(unit, r.canonical_value)


def mentioned(texts: list[str], phrases: list[str]) -> list[str]:
    """The phrases stated (not negated) in any of ``texts``."""
    found = []
    for phrase in phrases:
        words = normalize(phrase).split()
        for text in texts:
            if any(phrase_at(c, m, words) is not None for c, m in read_clauses(text)):
                found.append(phrase)
                break
    return found


def review(b: Builder, case: Case) -> LabState:
    """Findings for every lab result, lab stops, and eGFR (given or estimated)."""
    state = LabState()
    sex = case.person.sex
    albumin = None
    for lab in case.labs:
        if "albumin" in lab.test.lower():
            try:
                albumin = interpret_lab(lab.test, lab.value, lab.unit).converted.get("g/dL")
            except InputError:
                continue
    for lab in case.labs:
        try:
            r = interpret_lab(lab.test, lab.value, lab.unit, albumin_g_dl=albumin, sex=sex)
        except InputError as exc:
            shown = f"{lab.value:g} {lab.unit}".strip() if lab.unit else f"{lab.value:g}, no unit"
            b.add("data_quality", "low", f"Lab result not interpreted, so it was left out: "
                  f"{lab.test} {shown} ({exc.message}). crampcheck judges only the tests it "
                  f"reads; ask your clinician about this one.",
                  [cite("medlineplus_lab_tests", "B")], test=lab.test)
            continue
        if lab.unit_inferred:
            b.add("data_quality", "low", f"No unit was given for {lab.test} {lab.value:g}; it was "
                  f"read as {lab.unit}, the only unit in which {lab.value:g} is a plausible "
                  "result. Check it against the lab report.", [cite("medlineplus_lab_tests", "B")],
                  test=lab.test, unit_inferred=lab.unit)
        state.results[r.test] = r  # the last result of a test is the one that counts
    for r in state.results.values():
        _finding(b, case, r, state)
    if "egfr" in state.results:
        state.egfr = state.results["egfr"].canonical_value
    elif case.person.age >= 18 and "creatinine" in state.results:
        r = state.results["creatinine"]
        mg_dl = r.converted.get("mg/dL", r.canonical_value / 88.4)
        egfr = egfr_ckd_epi_2021(mg_dl, case.person.age, sex)
        state.egfr, state.egfr_estimated = egfr, True
        low = egfr < 60
        b.add("lab", "moderate" if low else "info",
              f"Estimated kidney function (eGFR) from creatinine {r.value:g} {r.unit}, age and "
              f"sex: {egfr:.0f} mL/min/1.73m² (CKD-EPI 2021)"
              + ("; below 60, a range where magnesium and potassium can build up."
                 if low else "."),
              [cite("inker_2021_ckd_epi", "A"), cite("kdigo_ckd_2024", "A")],
              test="egfr_estimated", value=round(egfr, 1), status="low" if low else "normal")
    return state


def _shown(r: LabResult) -> str:
    if r.corrected_value is None:
        return f"{r.name} {r.value:g} {r.unit}"
    unit_factor = r.value / r.canonical_value if r.canonical_value else 1.0
    shown = r.corrected_value * unit_factor
    return (f"{r.name}, corrected for albumin, {shown:.2f} {r.unit} (measured {r.value:g} "
            f"{r.unit})")


def _finding(b: Builder, case: Case, r: LabResult, state: LabState) -> None:
    what = _shown(r)
    evidence = list(r.citations)
    detail = " ".join(r.notes)
    if r.status == "normal":
        b.add("lab", "info", f"{what} is within the reference range ({r.range_text}).",
              evidence, test=r.test, status=r.status)
        return
    stop = next((s for s in safety_rules("lab_stops")
                 if r.test in s["tests"] and s["status"] == r.status), None)
    severity = r.severity
    symptoms = mentioned(case.symptoms, stop["symptoms"]) if stop else []
    if symptoms:
        if SEVERITIES.index(stop["symptom_severity"]) > SEVERITIES.index(severity):
            severity = stop["symptom_severity"]
        detail = (stop["symptom_note"].format(symptoms=listing(symptoms)) + " " + detail).strip()
    extra: dict[str, Any] = {"band": r.band} if r.band else {}
    if r.severity_band:
        extra["severity_band"] = r.severity_band
    if symptoms:
        extra["symptoms"] = symptoms
    if r.test.startswith("calcium") and r.status == "low" and state.status("magnesium") == "low":
        detail += (" With low magnesium, low calcium often does not correct until magnesium is "
                   "repleted: magnesium is needed to release and respond to parathyroid hormone.")
    if severity == "urgent":
        b.add("lab", "urgent", f"{what} is far {'below' if r.status == 'low' else 'above'} the "
              f"reference range ({r.range_text}): a result like this needs medical attention "
              f"today.", evidence, detail.strip(), test=r.test, status=r.status, **extra)
        b.rec("urgent_care", None, f"Your {r.name} result is at a level that needs attention "
              f"today: contact your clinician, an urgent care service or NHS 111 now, unless "
              f"you are already being treated for it.", severity="urgent",
              rationale=f"{what}, reference {r.range_text}.")
    else:
        b.add("lab", severity, f"{what} is {r.status} (reference {r.range_text}).", evidence,
              detail.strip(), test=r.test, status=r.status, **extra)
    if stop is None:  # what to do and when: crampcheck.assess.rules.follow_up
        return
    stop_evidence = [cite(s, stop["grade"]) for s in stop["source"]]
    reason = f"{r.name} is {r.status} ({what})"
    for block in stop["blocks"]:
        b.block(block["nutrient"], block["scope"], reason, stop["id"], stop_evidence)
    for key in stop["stop_supplements"]:
        b.reduce(key, 0.0, 0.0, reason, stop["id"])
    if stop["advice"]:
        text = stop["advice"]
        if severity != "urgent" and stop.get("follow_up"):
            text += " " + stop["follow_up"]
        b.rec("urgent_care" if severity == "urgent" else "clinician", None, text,
              severity=severity, action="stop" if stop["stop_supplements"] else "",
              rationale=f"{what}, reference {r.range_text}.")
