"""Interpret one laboratory result against adult reference ranges, in any accepted unit.

The tests, their names, units, conversion factors and ranges are data
(``knowledge/data/labs.toml``): serum magnesium (mmol/L, mg/dL, mEq/L), total calcium (with
albumin correction) and ionised calcium (mmol/L, mg/dL, mEq/L), potassium and sodium
(mmol/L = mEq/L), 25-hydroxyvitamin D (nmol/L, ng/mL; ng/mL × 2.496 = nmol/L), creatinine
(µmol/L, mg/dL; mg/dL × 88.4 = µmol/L), eGFR (mL/min/1.73 m², with KDIGO categories),
albumin (g/L, g/dL), PTH (pg/mL, pmol/L), creatine kinase and phosphate (mmol/L, mg/dL of
phosphorus; mg/dL × 0.3229 = mmol/L).

Every result also gets a *severity* from the data: ``out_of_range`` (the severity of a result
outside the range, by side) and the finer ``severity_low``/``severity_high`` bands (Merck
Manual severity bands: hypercalcaemia mild, moderate from 11.5 mg/dL, severe from 18 mg/dL;
potassium from 6 mmol/L; magnesium from 2 mmol/L…). A band of severity ``urgent`` marks the
result as needing same-day attention (``critical``).

Reference ranges differ a little between laboratories; the range on the person's own report
should win, and the result says which range was used.

References
----------
.. [1] NIH Office of Dietary Supplements. Magnesium: Fact Sheet for Health Professionals
   (serum magnesium 0.75–0.95 mmol/L). https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/
.. [2] Institute of Medicine (2011). Dietary Reference Intakes for Calcium and Vitamin D
   (25(OH)D cut-offs 30, 50 and 125 nmol/L). https://doi.org/10.17226/13050
.. [3] Payne RB, Little AJ, Williams RB, Milner JR (1973). Interpretation of serum calcium in
   patients with abnormal serum proteins. BMJ 4:643–646. https://doi.org/10.1136/bmj.4.5893.643
.. [4] KDIGO (2013). 2012 Clinical Practice Guideline for the Evaluation and Management of
   Chronic Kidney Disease. Kidney Int Suppl 3(1).
.. [5] MedlinePlus lab tests (calcium, ionised calcium, sodium, creatinine, albumin, PTH);
   StatPearls, Hypokalemia (potassium 3.5 mmol/L lower limit).
.. [6] Merck Manual Professional Version: Hypercalcemia, Hyperkalemia, Hypermagnesemia,
   Hypophosphatemia (severity bands); National Kidney Foundation, Phosphorus and your CKD
   diet (phosphate 2.5–4.5 mg/dL).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..errors import InputError
from ..models import Citation
from . import load, source_ids

#: Normal albumin used by the calcium correction, g/dL (Payne 1973).
ALBUMIN_REFERENCE_G_DL = 4.0
#: mg/dL of calcium added per g/dL of albumin below the reference (Payne 1973).
CALCIUM_PER_ALBUMIN_MG_PER_G = 0.8
_FILLER = {"serum", "plasma", "blood", "level", "levels", "test", "s", "total", "result"}


@dataclass(frozen=True)
class LabResult:
    """One lab value, converted and compared with its reference range.

    Attributes
    ----------
    test : str
        Canonical test id (``"magnesium"``, ``"calcium_total"``, ``"vitamin_d_25oh"``…).
    name : str
        Display name ("serum magnesium").
    value, unit : float, str
        The value and unit as given.
    canonical_value, canonical_unit : float, str
        The value converted to the test's canonical unit (mmol/L for magnesium).
    status : {"low", "normal", "high"}
        Compared with the range (for total calcium: the albumin-corrected value when
        albumin was given).
    low, high : float or None
        The reference range used, in the canonical unit.
    range_text : str
        The range in words, in the canonical unit and the unit given.
    band : str or None
        A finer label where the data has one (KDIGO eGFR category; vitamin D status).
    corrected_value : float or None
        Albumin-corrected total calcium in the canonical unit, when albumin was given.
    converted : dict of str to float
        The value in every accepted unit.
    notes : list of str
    citations : list of Citation
    critical : bool
        In a band of severity ``urgent``: needs attention the same day.
    severity : {"info", "moderate", "high", "urgent"}
        ``info`` inside the range; otherwise the entry's ``out_of_range`` severity for that side
        (default ``moderate``), raised by a ``severity_low``/``severity_high`` band.
    severity_band : str or None
        The label of the band that set the severity, when one did.
    """

    test: str
    name: str
    value: float
    unit: str
    canonical_value: float
    canonical_unit: str
    status: str
    low: float | None
    high: float | None
    range_text: str
    band: str | None = None
    corrected_value: float | None = None
    converted: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    critical: bool = False
    severity: str = "info"
    severity_band: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "canonical_value": self.canonical_value,
            "canonical_unit": self.canonical_unit,
            "status": self.status,
            "low": self.low,
            "high": self.high,
            "range_text": self.range_text,
            "band": self.band,
            "corrected_value": self.corrected_value,
            "converted": dict(self.converted),
            "notes": list(self.notes),
            "evidence": [c.to_dict() for c in self.citations],
            "severity": self.severity,
            "severity_band": self.severity_band,
        }


def _norm_name(text: str) -> str:
    s = text.lower().replace("ionized", "ionised")
    s = re.sub(r"[^a-z0-9+]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _norm_unit(text: str) -> str:
    s = text.strip().lower().replace("µ", "u").replace("μ", "u").replace("micromol", "umol")
    s = s.replace("²", "2").replace("^2", "2").replace("per ", "/")
    s = re.sub(r"\s+", "", s)
    return s.replace("mls", "ml").replace("litre", "l").replace("liter", "l")


@cache
def _tests() -> tuple[dict[str, Any], ...]:
    return tuple(load("labs")["tests"])


def find_test(text: str) -> dict[str, Any]:
    """The ``labs.toml`` entry named by free text ("Mg", "25-OH vitamin D", "vit D").

    Raises
    ------
    InputError
        If no test matches; the message lists the tests known.
    """
    name = _norm_name(text)
    if not name:
        raise InputError("a lab result has no test name")
    stripped = " ".join(w for w in name.split() if w not in _FILLER)
    candidates = (name, stripped, stripped.replace(" ", ""))
    for cand in candidates:
        for test in _tests():
            aliases = {_norm_name(a) for a in [test["id"], test["name"], *test["aliases"]]}
            if cand in aliases or cand.replace("+", "") in aliases:
                return test
    # Longest alias contained in the text as whole words (e.g. "fasting serum magnesium").
    best: tuple[int, dict[str, Any]] | None = None
    for test in _tests():
        for alias in test["aliases"]:
            a = _norm_name(alias)
            if len(a) > 3 and re.search(rf"\b{re.escape(a)}\b", name):
                if best is None or len(a) > best[0]:
                    best = (len(a), test)
    if best is not None:
        return best[1]
    known = ", ".join(t["name"] for t in _tests())
    raise InputError(f"unknown lab test {text!r}; crampcheck knows: {known}")


def _factor(test: dict[str, Any], unit: str) -> float:
    wanted = _norm_unit(unit)
    for name, factor in test["units"].items():
        if _norm_unit(name) == wanted:
            return float(factor)
    accepted = ", ".join(test["units"])
    raise InputError(f"{test['name']}: unknown unit {unit!r}; accepted units: {accepted}")


def _range(test: dict[str, Any], sex: str | None) -> tuple[float | None, float | None]:
    low, high = test.get("low"), test.get("high")
    by_sex = test.get("ranges_by_sex")
    if by_sex and sex in by_sex:
        low, high = by_sex[sex]
    factor = _factor(test, test.get("range_unit", test["canonical_unit"]))
    return (
        None if low is None else low * factor,
        None if high is None else high * factor,
    )


def _fmt(x: float) -> str:
    if abs(x - round(x)) < 1e-6:
        return f"{round(x):d}"
    return f"{x:.3g}" if abs(x) < 10 else f"{x:.1f}".rstrip("0").rstrip(".")


def _range_text(test: dict[str, Any], low: float | None, high: float | None, unit: str) -> str:
    canonical = test["canonical_unit"]

    def show(u: str) -> str:
        f = _factor(test, u)
        lo = None if low is None else low / f
        hi = None if high is None else high / f
        if lo is not None and hi is not None:
            return f"{_fmt(lo)}–{_fmt(hi)} {u}"
        if lo is not None:
            return f"≥ {_fmt(lo)} {u}"
        return f"≤ {_fmt(hi)} {u}" if hi is not None else "no range"

    given = next((u for u in test["units"] if _norm_unit(u) == _norm_unit(unit)), canonical)
    text = show(canonical)
    if _factor(test, given) != 1.0:
        text += f" ({show(given)})"
    return text


def _severity(entry: dict[str, Any], status: str, value: float) -> tuple[str, str | None]:
    """The severity of a result and the label of the band that set it (see the module doc)."""
    if status == "normal":
        return "info", None
    severity = entry.get("out_of_range", {}).get(status, "moderate")
    label = None
    rank = ("info", "low", "moderate", "high", "urgent")
    for band in entry.get(f"severity_{status}", []):
        hit = (("below" in band and value < band["below"])
               or ("from" in band and value >= band["from"])
               or ("above" in band and value > band["above"]))
        if hit and rank.index(band["severity"]) >= rank.index(severity):
            severity, label = band["severity"], band.get("label")
    return severity, label


def _status_citations(entry: dict[str, Any], status: str) -> list[Citation]:
    """The entry's own sources plus those about the state the result is in (low or high)."""
    ids = source_ids(entry) + list(entry.get(f"sources_{status}", []))
    grade = str(entry.get("grade", ""))
    return [Citation(s, grade) for s in dict.fromkeys(ids)]


def _status(value: float, low: float | None, high: float | None) -> str:
    if low is not None and value < low:
        return "low"
    if high is not None and value > high:
        return "high"
    return "normal"


def interpret_lab(
    test: str,
    value: float,
    unit: str,
    *,
    albumin_g_dl: float | None = None,
    sex: str | None = None,
) -> LabResult:
    """Convert one lab value to its canonical unit and compare it with the adult range.

    Parameters
    ----------
    test : str
        Test name as written on a report: "serum magnesium", "Mg", "25-OH vitamin D",
        "vit D", "eGFR", "ionised calcium"…
    value : float
        The result, in ``unit``.
    unit : str
        Its unit ("mg/dL", "mmol/L", "mEq/L", "ng/mL", "nmol/L", "µmol/L", "g/dL"…).
    albumin_g_dl : float, optional
        Serum albumin in g/dL. For total calcium the value is corrected:
        corrected Ca (mg/dL) = Ca + 0.8 × (4.0 − albumin), and the status uses it.
    sex : {"female", "male"}, optional
        Selects a sex-specific range (creatinine); without it the wider range is used.

    Returns
    -------
    LabResult

    Raises
    ------
    InputError
        Unknown test, unknown unit (the message names the accepted units), a value that is
        not a positive number, or an albumin outside 1–6.5 g/dL.

    References
    ----------
    ODS magnesium fact sheet; IOM 2011 (vitamin D); Payne et al. 1973 (calcium correction);
    KDIGO 2012 (eGFR categories); MedlinePlus and StatPearls (other ranges). See module
    docstring.
    """
    entry = find_test(test)
    if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value):
        raise InputError(f"{entry['name']}: the value must be a number, not {value!r}")
    if value <= 0:
        raise InputError(f"{entry['name']}: the value must be more than zero, not {value:g}")
    factor = _factor(entry, unit)
    canonical = value * factor
    low, high = _range(entry, sex)
    notes: list[str] = []
    if entry.get("note"):
        notes.append(entry["note"])
    if entry.get("ranges_by_sex") and sex not in entry["ranges_by_sex"]:
        notes.append("Sex not given: the wider of the male and female ranges was used.")
    compared = canonical
    corrected = None
    if albumin_g_dl is not None and entry.get("albumin_correction"):
        if not 1.0 <= albumin_g_dl <= 6.5:
            raise InputError(
                f"albumin_g_dl must be in g/dL (typically 3.4–5.4); {albumin_g_dl:g} is outside "
                "1–6.5 (a value in g/L should be divided by 10)"
            )
        mg_dl_factor = _factor(entry, "mg/dL")
        ca_mg_dl = canonical / mg_dl_factor
        corrected_mg_dl = ca_mg_dl + CALCIUM_PER_ALBUMIN_MG_PER_G * (
            ALBUMIN_REFERENCE_G_DL - albumin_g_dl
        )
        corrected = corrected_mg_dl * mg_dl_factor
        compared = corrected
        notes.append(
            f"Corrected for albumin {albumin_g_dl:g} g/dL: {ca_mg_dl:.2f} + 0.8 × "
            f"(4.0 − {albumin_g_dl:g}) = {corrected_mg_dl:.2f} mg/dL "
            f"({corrected:.2f} {entry['canonical_unit']})."
        )
    status = _status(compared, low, high)
    band = None
    for b in entry.get("bands", []):
        if compared >= b["from"]:
            band = b["label"]
            status = b.get("status", status)
    if entry.get(f"note_{status}"):
        notes.append(entry[f"note_{status}"])
    severity, severity_band = _severity(entry, status, compared)
    cites = _status_citations(entry, status)
    return LabResult(
        test=entry["id"],
        name=entry["name"],
        value=float(value),
        unit=unit,
        canonical_value=round(canonical, 4),
        canonical_unit=entry["canonical_unit"],
        status=status,
        low=None if low is None else round(low, 4),
        high=None if high is None else round(high, 4),
        range_text=_range_text(entry, low, high, unit),
        band=band,
        corrected_value=None if corrected is None else round(corrected, 4),
        converted={u: round(canonical / f, 4) for u, f in entry["units"].items()},
        notes=notes,
        citations=cites,
        critical=severity == "urgent",
        severity=severity,
        severity_band=severity_band,
    )


def egfr_ckd_epi_2021(creatinine_mg_dl: float, age_years: float, sex: str) -> float:
    """Estimated GFR (mL/min/1.73 m²) from serum creatinine, age and sex (no race term).

    eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age × 1.012 [female],
    κ = 0.7 (female) or 0.9 (male), α = −0.241 (female) or −0.302 (male); adults only.

    Parameters
    ----------
    creatinine_mg_dl : float
        Serum creatinine, mg/dL (µmol/L ÷ 88.4).
    age_years : float
        Age in years (18 or more).
    sex : {"female", "male"}

    References
    ----------
    Inker LA et al. N Engl J Med 2021;385:1737-49 (CKD-EPI 2021 creatinine equation).
    """
    if age_years < 18:
        raise ValueError("the CKD-EPI equation is for adults")
    female = sex == "female"
    kappa, alpha = (0.7, -0.241) if female else (0.9, -0.302)
    ratio = creatinine_mg_dl / kappa
    egfr = 142 * min(ratio, 1) ** alpha * max(ratio, 1) ** -1.200 * 0.9938 ** age_years
    return egfr * (1.012 if female else 1.0)

