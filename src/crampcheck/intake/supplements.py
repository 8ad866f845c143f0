"""Read label-style supplement text ("Magnesium (as glycinate) 200 mg") as daily nutrient amounts.

Each line describes one product taken **daily** unless it says otherwise ("weekly",
"every other day", "twice a day"), and optionally a count ("2 x calcium citrate 315 mg",
"calcium citrate 315 mg x 2", "2 tablets of ...").

How amounts are read
--------------------
* **Minerals (calcium, magnesium, potassium).** A mineral amount on a *Supplement Facts* label
  is the element itself: "Magnesium (as glycinate) 200 mg" is 200 mg of magnesium, and
  "calcium carbonate 600 mg", as such products are commonly labelled, is 600 mg of calcium.
  Only when the text says the amount is the compound ("compound", "compound weight",
  "salt weight") is it multiplied by the elemental fraction of the form from
  ``knowledge/data/supplement_forms.toml``: "calcium carbonate 600 mg compound" is
  600 × 0.400 = 240 mg calcium. A few medicines named in that file (Tums, Mag-Ox, Klor-Con…)
  have *Drug Facts* labels that give the compound weight, so their amounts are converted.
  Amounts in mmol or mEq are converted with the atomic weight (1 mEq potassium = 39.1 mg).
  Every reading that could be taken the other way is written into ``assumptions``.
* **Vitamin D.** IU or µg (mcg); 1 µg = 40 IU.
* **Omega-3 oils.** Stated EPA, DHA and ALA amounts are used as given. If only the oil weight
  is given, fish oil is assumed to be a typical one (18 % EPA and 12 % DHA by weight: a
  1,000 mg capsule ≈ 180 mg EPA + 120 mg DHA) and flaxseed oil 53 % ALA; algal, krill and cod
  liver oils vary too much to assume, so they need the label's EPA/DHA amounts.
* **Named products** with a known content per tablet or per mL
  (``knowledge/data/supplement_products.toml``, each with its label source: Mag-Ox 400,
  Slow-Mag, Caltrate 600+D3, Os-Cal, Citracal, Rennie, Tums Regular/Extra/Ultra, milk of
  magnesia) are read from that table when the line gives no amount of its own.
* **Shorthand**: "Mg"/"Ca" (capitalised, not after a number) are magnesium/calcium; paired
  amounts "Calcium + D3 (600 mg/400 IU)" go to the nutrients in the order named; "1/2 tab",
  "half a tablet" count 0.5; a range "200-400 mg" counts as its middle (said so).
* **Anything else** ("multivitamin", "Centrum", a product with no amount) is kept and
  reported as not recognised, with what to write instead, never silently dropped.
* **Warnings**: more than 99 mg of potassium in one dose is noted in ``warnings`` (US
  prescription-only, FDA 21 CFR 201.306).

Absurd amounts (zero, negative, more than 10 g of a mineral a day, more than 10 mg of
vitamin D, more than 50 g of oil) raise :class:`crampcheck.errors.InputError`.

References
----------
.. [1] NIH Office of Dietary Supplements. Calcium, Magnesium, Potassium, Vitamin D and Omega-3
   Fatty Acids: Fact Sheets for Health Professionals. https://ods.od.nih.gov/factsheets/
.. [2] CIAAW (2021). Standard atomic weights (used for the elemental fractions).
   https://www.ciaaw.org/atomic-weights.htm
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .. import knowledge
from ..errors import InputError
from ..knowledge import doses
from ..knowledge.doses import ATOMIC_WEIGHT_G_MOL, format_number, volume_ml
from ..knowledge.medicines import ProductStrength, find_product
from ..models import Citation, SupplementDose

MINERALS: tuple[str, ...] = ("calcium", "magnesium", "potassium")
MAX_MINERAL_MG = 10_000.0
MAX_VITAMIN_D_UG = 10_000.0
MAX_OIL_MG = 50_000.0

_NUMBER = r"(-\s*)?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_BARE_NUMBER_RE = re.compile(rf"(?<![\w.-]){_NUMBER}(?![\w.])")
_COMPOUND_RE = re.compile(
    r"\bcompound\b|\bsalt weight\b|\bweight of the (?:salt|compound)\b|\bas the salt\b"
)
#: "Magnesium (as glycinate) 200 mg", "calcium 500 mg (from carbonate)": a Supplement Facts
#: label, whose amount is the element.
_ELEMENT_LABEL_RE = re.compile(
    r"\b(?:as|from)\s+(?!needed\b|required\b|directed\b|necessary\b|prescribed\b)[a-z]")
_UNRECOGNISED_HINTS = re.compile(
    r"multi ?-?vitamin|\bmulti ?-?minerals?\b|\bmulti\b|\bmultiple\b|prenatal|\bb[- ]?complex\b"
    r"|\bcentrum\b|\b(?:one|1)[- ]a[- ]day\b|\bsupradyn\b|\bvitabiotics\b|\bwellwoman\b|\bwellman\b"
)
#: More potassium than this in one dose is a prescription medicine in the US (FDA, 21 CFR
#: 201.306; most supplements therefore hold at most 99 mg).
OTC_POTASSIUM_MAX_MG_PER_DOSE = 99.0


@dataclass(frozen=True)
class FormInfo:
    """One supplement form from ``supplement_forms.toml``.

    Attributes
    ----------
    id, name : str
        Identifier and display name ("magnesium bisglycinate (glycinate)").
    nutrient : str
        ``calcium``, ``magnesium``, ``potassium``, ``vitamin_d`` or ``omega3``.
    elemental_fraction : float or None
        Mass of the element per mass of compound (0.4004 for calcium carbonate);
        ``None`` when it varies by product.
    elemental_percent : float or None
        The same as a percentage.
    fraction_basis : str or None
        ``"computed"`` (from the formula and CIAAW atomic weights), ``"varies"``, or a note.
    formula : str or None
        Formula of the compound as sold, hydrate included.
    absorption : str
        Plain-words absorption note.
    take_with_food : bool or None
    citations : list of Citation
    """

    id: str
    name: str
    nutrient: str
    elemental_fraction: float | None
    fraction_basis: str | None
    formula: str | None
    absorption: str
    take_with_food: bool | None
    citations: list[Citation] = field(default_factory=list)

    @property
    def elemental_percent(self) -> float | None:
        if self.elemental_fraction is None:
            return None
        return round(self.elemental_fraction * 100, 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "nutrient": self.nutrient,
            "elemental_percent": self.elemental_percent,
            "fraction_basis": self.fraction_basis,
            "formula": self.formula,
            "absorption": self.absorption,
            "take_with_food": self.take_with_food,
            "evidence": [c.to_dict() for c in self.citations],
        }


@dataclass
class SupplementParse:
    """What one supplement line adds to the day.

    Attributes
    ----------
    text : str
        The line as given.
    doses : list of SupplementDose
        One per nutrient found; ``mineral`` is one of calcium, magnesium, potassium,
        vitamin_d, epa, dha, ala and ``elemental_mg`` is mg/day of the element or fatty acid
        (vitamin D in mg too: 50 µg = 0.05 mg).
    contributions : dict of str to float
        Daily amounts by nutrient key: ``calcium_mg``, ``magnesium_mg``, ``potassium_mg``
        (mg/day), ``vitamin_d_ug`` (µg/day), ``epa_g``, ``dha_g``, ``ala_g`` and their sum
        ``omega3_g`` (g/day). Only nutrients the line supplies appear.
    form : FormInfo or None
        The form of the first dose (elemental %, absorption note, citations).
    assumptions : list of str
        Every reading choice made, in plain words.
    recognized : bool
        ``False`` when no amount could be counted (the line must then be reported); the last
        assumption then says why and what to write instead.
    forms : list of FormInfo
        All forms found (a combined product can have several).
    warnings : list of str
        Safety cautions about the dose itself, each also repeated in ``assumptions``; meant
        to become a finding. Today: more than 99 mg of potassium in one dose, which in the US
        is sold only on prescription (FDA, 21 CFR 201.306, because concentrated potassium
        chloride tablets have caused small-bowel lesions) and is dangerous with kidney
        disease or potassium-sparing medicines.
    product_citations : list of Citation
        Label sources of a named product's content per tablet (``supplement_products.toml``).
    upper_contributions : dict of str to float
        The same keys as ``contributions``, read for the upper-limit (UL) check: the top of a
        range, an "as needed" line at its maximum, and the element reading when the line does
        not say whether the amount is the element or the compound. Equal to
        ``contributions`` when the line leaves no doubt.
    readings : list of dict
        For each amount that could be the element or the compound ("magnesium oxide 800
        mg"): ``nutrient``, ``stated_mg``, ``form``, ``as_compound_mg`` and
        ``as_element_mg`` (mg/day), and which one intake and the UL check use.
    """

    text: str
    doses: list[SupplementDose] = field(default_factory=list)
    contributions: dict[str, float] = field(default_factory=dict)
    form: FormInfo | None = None
    assumptions: list[str] = field(default_factory=list)
    recognized: bool = False
    forms: list[FormInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    product_citations: list[Citation] = field(default_factory=list)
    upper_contributions: dict[str, float] = field(default_factory=dict)
    readings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def citations(self) -> list[Citation]:
        seen: dict[tuple[str, str], Citation] = {}
        for c in [c for f in self.forms for c in f.citations] + self.product_citations:
            seen.setdefault((c.source_id, c.grade), c)
        return list(seen.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "recognized": self.recognized,
            "doses": [
                {"mineral": d.mineral, "form": d.form, "elemental_mg": d.elemental_mg}
                for d in self.doses
            ],
            "contributions": dict(self.contributions),
            "upper_contributions": dict(self.upper_contributions),
            "readings": [dict(r) for r in self.readings],
            "forms": [f.to_dict() for f in self.forms],
            "assumptions": list(self.assumptions),
            "warnings": list(self.warnings),
        }


# ---------------------------------------------------------------------------- knowledge


@cache
def _forms() -> tuple[tuple[FormInfo, dict[str, Any]], ...]:
    out = []
    for entry in knowledge.load("supplement_forms")["forms"]:
        info = FormInfo(
            id=entry["id"],
            name=entry["name"],
            nutrient=entry["nutrient"],
            elemental_fraction=entry.get("elemental_fraction"),
            fraction_basis=entry.get("fraction_basis"),
            formula=entry.get("formula"),
            absorption=entry.get("absorption", ""),
            take_with_food=entry.get("take_with_food"),
            citations=knowledge.citations(entry),
        )
        out.append((info, entry))
    return tuple(out)


def form_by_id(form_id: str) -> FormInfo:
    """The form with this id (``"magnesium_citrate"``); KeyError if unknown."""
    for info, _ in _forms():
        if info.id == form_id:
            return info
    raise KeyError(form_id)


def _has_phrase(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text) is not None


def _find_form(text: str, nutrient: str) -> tuple[FormInfo, str] | None:
    best: tuple[int, FormInfo, str] | None = None
    for info, entry in _forms():
        if info.nutrient != nutrient:
            continue
        for alias in entry.get("aliases", []):
            if _has_phrase(text, alias) and (best is None or len(alias) > best[0]):
                best = (len(alias), info, alias)
    return None if best is None else (best[1], best[2])


def _find_product(text: str) -> tuple[FormInfo, str, str] | None:
    """A product name (``tums``) and its label basis (``compound``/``elemental``)."""
    for info, entry in _forms():
        for product in entry.get("products", []):
            if _has_phrase(text, product):
                basis = entry.get("product_label_basis", {}).get(product, "elemental")
                return info, product, basis
    return None


def _omega_form(text: str) -> tuple[FormInfo, dict[str, Any], str] | None:
    best: tuple[int, FormInfo, dict[str, Any], str] | None = None
    for info, entry in _forms():
        if info.nutrient != "omega3":
            continue
        for alias in entry.get("aliases", []):
            if _has_phrase(text, alias) and (best is None or len(alias) > best[0]):
                best = (len(alias), info, entry, alias)
    return None if best is None else best[1:]


# ---------------------------------------------------------------------------- text helpers


def _expand_abbreviations(text: str) -> str:
    """'Mg glycinate' → 'magnesium glycinate', 'Ca citrate' → 'calcium citrate'.

    Only the capitalised element symbol that does not follow a number counts ("300 Mg" and
    "300mg" stay units).
    """
    for symbol, name in (("Mg", "magnesium"), ("MG", "magnesium"), ("Ca", "calcium")):
        text = re.sub(rf"(?<![\w.])(?<!\d )(?<!\d){symbol}(?![\w.])",
                      name, text)
    return text


def _normalise(text: str) -> str:
    s = doses.prepare(_expand_abbreviations(text.strip()))
    s = re.sub(r"\(\s*as\s+([^)]*)\)", r" as \1 ", s)
    return re.sub(r"\s+", " ", s).strip()


def _to_float(sign: str | None, number: str) -> float:
    value = float(number.replace(",", ""))
    return -value if sign else value


@dataclass
class _Amount:
    """An amount in a segment: ``value`` usual (middle of a range), ``high`` the top of a
    range (the upper-limit reading)."""

    value: float
    unit: str
    start: int
    end: int
    high: float | None = None

    @property
    def top(self) -> float:
        return self.value if self.high is None else self.high


def _amounts(text: str) -> list[_Amount]:
    return [_Amount(-a.value if a.negative else a.value, a.unit, a.start, a.end,
                    -a.high if a.negative else a.high)
            for a in doses.find_amounts(text)]


@dataclass(frozen=True)
class _Factors:
    """Tablets × doses a day: ``usual`` for intake, ``high`` for the upper-limit check."""

    usual: float
    high: float


def _take_dose_words(
    s: str, text: str, assumptions: list[str], strength: float | None
) -> tuple[_Factors, str]:
    """Frequency and count read by the one dose grammar, removed from the text.

    "(two 400 mg tablets)" after a total ("800 mg (two 400 mg tablets)") only explains the
    total; alone ("magnesium oxide (two 400 mg tablets)") it is 2 × 400 mg.
    """
    dose = doses.read_dose(s, strength=strength)
    rest = doses.remove_spans(s, dose.frequency.spans)
    count = doses.find_count(rest, strength=strength)
    usual_count, high_count = count.value, count.high
    if count.written:
        if count.value <= 0:
            raise InputError(
                f"{text!r}: {rest[count.start:count.end].strip()!r} is not a number of tablets: "
                "it must be more than zero")
        if count.strength is not None:
            others = [a for a in doses.find_amounts(rest)
                      if a.end <= (count.start or 0) or a.start >= (count.end or 0)]
            total = count.value * count.strength.value
            strength_text = f" {format_number(count.strength.value)} {count.strength.unit} "
            if any(abs(a.value - total) < 0.01 * total for a in others):
                assumptions.append(
                    f"'{rest[count.start:count.end]}' explains the total of "
                    f"{format_number(total)} {count.strength.unit}: counted once.")
                rest = doses.remove_spans(rest, [(count.start or 0, count.end or 0)])
                usual_count = high_count = 1.0
            else:
                rest = (rest[: count.start] + strength_text + rest[count.end:]).strip()
        else:
            rest = doses.remove_spans(rest, [(count.start or 0, count.end or 0)])
    per_day = dose.frequency
    usual = usual_count * per_day.usual_per_day
    high = max(high_count * per_day.max_per_day, usual)
    if dose.max_count_per_day is not None:
        high = max(dose.max_count_per_day if per_day.as_needed
                   else min(high, dose.max_count_per_day), usual)
    notes = [n for n in dose.notes if not n.startswith("The range")]
    if count.written and count.strength is None and usual_count != 1:
        notes = [n for n in notes if "units per dose" not in n]
        if high_count != usual_count:
            notes.insert(0, f"{format_number(usual_count)} units per dose (the middle of the "
                            f"range; {format_number(high_count)} for the upper-limit check): "
                            f"the amount is multiplied by {format_number(usual_count)}.")
        else:
            notes.insert(0, f"{format_number(usual_count)} units per dose: the amount is "
                            f"multiplied by {format_number(usual_count)}.")
    assumptions.extend(notes)
    return _Factors(usual, high), re.sub(r"\s+", " ", rest).strip()


def _range_notes(s: str, assumptions: list[str]) -> None:
    for a in doses.find_amounts(s):
        if a.is_range:
            assumptions.append(
                f"The range {format_number(a.low)}-{format_number(a.high)} {a.unit} counts as "
                f"its middle, {format_number(a.value)} {a.unit}, for intake and as "
                f"{format_number(a.high)} {a.unit} for the upper-limit check.")


def _split_segments(s: str) -> list[str]:
    """Split a combined label ("calcium 500 mg, magnesium 250 mg") outside parentheses."""
    protected = []
    depth = 0
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        protected.append("\x00" if (ch == "," and depth) else ch)
    text = "".join(protected)
    parts = re.split(r";|\+|,(?!\d{3}(?!\d))|&|\band\b|\bwith\b|\bplus\b", text)
    return [p.replace("\x00", ",").strip() for p in parts if p.strip()]


def _check_positive(value: float, what: str) -> None:
    if value < 0:
        raise InputError(f"{what}: the amount {value:g} is negative; give the amount taken")
    if value == 0:
        raise InputError(f"{what}: the amount is zero; leave the line out if it is not taken")


# ---------------------------------------------------------------------------- nutrient readers


def _mineral_mg(amount: _Amount, mineral: str) -> float | None:
    return doses.to_mg(amount.value, amount.unit, mineral)


def _pick_amount(amounts: list[_Amount], segment: str, mineral: str) -> tuple[_Amount, bool]:
    """The amount to use and whether the text ties it to the element ("500 mg elemental")."""
    if len(amounts) == 1:
        tail = segment[amounts[0].end : amounts[0].end + 14]
        return amounts[0], "elemental" in tail
    for a in amounts:
        tail = segment[a.end : a.end + 25]
        if re.match(rf"\s*(?:of\s+)?(?:elemental\b|{mineral}\b)", tail):
            return a, True
    return amounts[0], False


def _short_form(form: FormInfo, mineral: str) -> str:
    """'magnesium oxide' -> 'oxide', 'magnesium bisglycinate (glycinate)' -> 'bisglycinate'."""
    return form.name.split(" (")[0].replace(f"{mineral} ", "").strip()


def _parse_mineral(
    segment: str, mineral: str, factor: _Factors, compound_flag: bool, result: SupplementParse
) -> None:
    """One mineral's amount, read as the element, as the compound, or both ways.

    The line says which when it gives mEq or mmol, "elemental", a Supplement Facts phrase
    ("Magnesium (as glycinate) 200 mg", "from citrate"), no form at all ("magnesium 400 mg"),
    "compound", or a product whose Drug Facts label gives the compound (Tums, Mag-Ox).
    Otherwise ("magnesium oxide 800 mg", "calcium carbonate 600 mg") both readings are kept:
    the compound reading (the lower elemental amount) counts for intake, the element reading
    (the higher) for the upper-limit check, and the assumptions say so.
    """
    product = _find_product(segment)
    found = _find_form(segment, mineral)
    form: FormInfo | None = found[0] if found else None
    label_basis = "elemental"
    if product and product[0].nutrient == mineral:
        form = product[0]
        label_basis = product[2]
    amounts = [a for a in _amounts(segment) if a.unit != "iu" or mineral in segment]
    if not amounts:
        bare = _BARE_NUMBER_RE.search(segment)
        if bare is None:
            result.assumptions.append(f"No amount given for {mineral}: not counted.")
            return
        amounts = [_Amount(_to_float(bare.group(1), bare.group(2)), "mg", bare.start(), bare.end())]
        result.assumptions.append(f"No unit given: read {bare.group(2)} as mg of {mineral}.")
    amount, tied_to_element = _pick_amount(amounts, segment, mineral)
    _check_positive(amount.value, f"{result.text!r}")
    stated = _mineral_mg(amount, mineral)
    if stated is None:
        result.assumptions.append(
            f"{amount.value:g} {amount.unit.upper()} is not an amount of {mineral} (IU are for "
            f"vitamins): not counted. Give {mineral} in mg, as on the label."
        )
        return
    stated_mg = stated
    stated_top = doses.to_mg(amount.top, amount.unit, mineral) or stated_mg
    if stated_top * factor.high > MAX_MINERAL_MG:
        raise InputError(
            f"{result.text!r}: {stated_top * factor.high:,.0f} mg of {mineral} a day is not a "
            "plausible supplement dose (over 10 g); check the amount and unit"
        )
    compound = (compound_flag or label_basis == "compound") and not tied_to_element
    named = product is not None and product[0].nutrient == mineral  # its label decides
    element_label = named or (form is not None and _ELEMENT_LABEL_RE.search(segment) is not None)
    if amount.unit in ("mmol", "meq"):
        compound = False
        tied_to_element = True
        result.assumptions.append(
            f"{amount.value:g} {amount.unit} of {mineral} = {stated_mg:.0f} mg "
            f"(atomic weight {ATOMIC_WEIGHT_G_MOL[mineral]} g/mol)."
        )
    low_fraction = high_fraction = 1.0
    if compound:
        if form is None or form.elemental_fraction is None:
            what = "its form is not named" if form is None else f"{form.name} varies by product"
            result.assumptions.append(
                f"{stated_mg:g} mg is the compound weight but {what}, so the {mineral} in it "
                "cannot be worked out: not counted. Give the label's elemental amount."
            )
            if form is not None:
                result.forms.append(form)
            return
        low_fraction = high_fraction = form.elemental_fraction
        why = "the text says so" if compound_flag else f"'{product[1]}' is labelled that way"
        result.assumptions.append(
            f"{stated_mg:g} mg is the weight of {form.name} ({why}): "
            f"× {form.elemental_fraction:.3f} = {stated_mg * form.elemental_fraction:.0f} mg "
            f"{mineral}."
        )
    elif (form is not None and form.elemental_fraction is not None and not tied_to_element
          and not element_label):
        low_fraction = form.elemental_fraction
        low = stated_mg * low_fraction
        result.assumptions.append(
            f"The line does not say whether {stated_mg:g} mg is the {mineral} itself or the "
            f"weight of the {form.name}, so both readings are kept: {low:.0f} mg {mineral} "
            f"(the compound's weight × {low_fraction:.3f}) counts for your intake, and "
            f"{stated_mg:g} mg (elemental, as on a Supplement Facts label) for the "
            f"upper-limit check. Write '{mineral} (as {_short_form(form, mineral)}) "
            f"{stated_mg:g} mg' or add 'compound' to say which."
        )
        result.readings.append({
            "nutrient": f"{mineral}_mg", "stated_mg": stated_mg, "form": form.id,
            "as_compound_mg": round(low * factor.usual, 1),
            "as_element_mg": round(stated_mg * factor.usual, 1),
            "intake_uses": "as_compound_mg", "upper_limit_uses": "as_element_mg"})
    elif form is None and not tied_to_element:
        result.assumptions.append(
            f"Form of {mineral} not named: {stated_mg:g} mg counted as elemental {mineral}."
        )
    daily = stated_mg * low_fraction * factor.usual
    upper = stated_top * high_fraction * factor.high
    _add_dose(result, mineral, form, daily, f"{mineral}_mg", daily, upper)


def _parse_vitamin_d(segment: str, factor: _Factors, result: SupplementParse) -> None:
    found = _find_form(segment, "vitamin_d")
    form = found[0] if found else None
    amounts = [a for a in _amounts(segment) if a.unit in ("iu", "ug", "mg")]
    if not amounts:
        bare = _BARE_NUMBER_RE.search(re.sub(r"\bd[23]\b", " ", segment))
        if bare is None:
            result.assumptions.append("No amount given for vitamin D: not counted.")
            return
        value = _to_float(bare.group(1), bare.group(2))
        unit = "iu" if value > 100 else "ug"
        amounts = [_Amount(value, unit, bare.start(), bare.end())]
        result.assumptions.append(
            f"No unit given: read {bare.group(2)} as {'IU' if unit == 'iu' else 'µg'} "
            "(label amounts above 100 are IU)."
        )
    amount = next((a for a in amounts if a.unit in ("iu", "ug")), amounts[0])
    _check_positive(amount.value, f"{result.text!r}")

    def micrograms(value: float) -> float:
        if amount.unit == "iu":
            return doses.iu_to_ug(value)
        return value * 1000 if amount.unit == "mg" else value

    ug = micrograms(amount.value)
    if amount.unit == "iu":
        result.assumptions.append(f"{amount.value:g} IU vitamin D = {ug:g} µg (40 IU = 1 µg).")
    daily_ug = ug * factor.usual
    upper_ug = micrograms(amount.top) * factor.high
    if upper_ug > MAX_VITAMIN_D_UG:
        raise InputError(
            f"{result.text!r}: {upper_ug:,.0f} µg ({doses.ug_to_iu(upper_ug):,.0f} IU) of "
            "vitamin D a day is not a plausible dose; check the amount, unit and how often it "
            "is taken"
        )
    _add_dose(result, "vitamin_d", form, daily_ug / 1000, "vitamin_d_ug", daily_ug, upper_ug)


def _fatty_acid_mg(
    segment: str, name: str, used: list[_Amount], result: SupplementParse
) -> float | None:
    amounts = _amounts(segment)
    for a in amounts:
        before = segment[max(0, a.start - 12) : a.start]
        after = segment[a.end : a.end + 10]
        if re.search(rf"\b{name}\b[\s:=]*$", before) or re.match(rf"\s*(?:of\s+)?{name}\b", after):
            used.append(a)
            if a.unit not in ("mg", "g"):
                result.assumptions.append(
                    f"{name.upper()} {a.value:g} {a.unit.upper()}: not a unit for a fatty acid, "
                    f"so it is not counted; give {name.upper()} in mg or g."
                )
                return None
            return a.value * (1000 if a.unit == "g" else 1)
    return None


def _parse_omega(
    s: str, found: tuple[FormInfo, dict[str, Any], str], factors: _Factors,
    result: SupplementParse
) -> None:
    form, entry, alias = found
    factor = factors.usual
    used: list[_Amount] = []
    combined = None
    m = re.search(rf"\bepa\s*(?:/|\+|and|&)\s*dha\b[\s:=]*{_NUMBER}\s*(mg|g)\b", s)
    if m:
        combined = _to_float(m.group(1), m.group(2)) * (1000 if m.group(3) == "g" else 1)
        s = s[: m.start()] + s[m.end() :]
    epa = _fatty_acid_mg(s, "epa", used, result)
    dha = _fatty_acid_mg(s, "dha", used, result)
    ala = _fatty_acid_mg(s, "ala", used, result)
    oil_amounts = [
        a for a in _amounts(s) if all(a.start != u.start for u in used) and a.unit in ("mg", "g")
    ]
    oil_mg = None
    if oil_amounts:
        oil_mg = oil_amounts[0].value * (1000 if oil_amounts[0].unit == "g" else 1)
        _check_positive(oil_mg, f"{result.text!r}")
        if oil_mg * factors.high > MAX_OIL_MG:
            raise InputError(
                f"{result.text!r}: {oil_mg * factors.high / 1000:,.0f} g of oil a day is not a "
                "plausible supplement dose; check the amount and unit"
            )
    for value in (epa, dha, ala, combined):
        if value is not None:
            _check_positive(value, f"{result.text!r}")
    if combined is not None and epa is None and dha is None:
        epa, dha = combined * 0.6, combined * 0.4
        result.assumptions.append(
            f"EPA+DHA {combined:g} mg split 60:40 between EPA and DHA, as in typical fish oil."
        )
    if epa is None and dha is None and ala is None:
        if oil_mg is None:
            result.assumptions.append(f"No amount given for {form.name}: not counted.")
            result.forms.append(form)
            return
        if "epa_fraction" in entry or "ala_fraction" in entry:
            epa = oil_mg * entry["epa_fraction"] if "epa_fraction" in entry else None
            dha = oil_mg * entry["dha_fraction"] if "dha_fraction" in entry else None
            ala = oil_mg * entry["ala_fraction"] if "ala_fraction" in entry else None
            parts = [
                f"{v:.0f} mg {n}" for v, n in ((epa, "EPA"), (dha, "DHA"), (ala, "ALA")) if v
            ]
            generic = alias.startswith("omega")
            result.assumptions.append(
                (
                    f"'{alias}' read as fish oil: {oil_mg:g} mg of oil. "
                    if generic
                    else f"{oil_mg:g} mg of {form.name}: "
                )
                + "EPA/DHA/ALA amounts not given, so a typical product is assumed: "
                + " + ".join(parts)
                + ". The label's own amounts are better."
                + (
                    f" If {oil_mg:g} mg is already the omega-3 content, this undercounts it."
                    if generic
                    else ""
                )
            )
        else:
            result.assumptions.append(
                f"{form.name}: EPA and DHA content varies and was not given, so it is not "
                "counted. Add the label's amounts, e.g. '(EPA 200 mg, DHA 300 mg)'."
            )
            result.forms.append(form)
            return
    for name, value in (("epa", epa), ("dha", dha), ("ala", ala)):
        if value is not None and value > 0:
            _add_dose(result, name, form, value * factor, f"{name}_g", value * factor / 1000,
                      value * factors.high / 1000)
    result.contributions["omega3_g"] = round(
        sum(result.contributions.get(k, 0.0) for k in ("epa_g", "dha_g", "ala_g")), 6
    )


def _add_dose(
    result: SupplementParse,
    mineral: str,
    form: FormInfo | None,
    elemental_mg: float,
    key: str,
    amount: float,
    upper: float | None = None,
) -> None:
    """Add one nutrient's daily amount (``amount``, for intake) and its upper-limit reading
    (``upper``, the same when the line leaves no doubt)."""
    result.doses.append(
        SupplementDose(
            mineral=mineral,
            form=form.id if form else None,
            elemental_mg=round(elemental_mg, 6),
            text=result.text,
        )
    )
    result.contributions[key] = round(result.contributions.get(key, 0.0) + amount, 6)
    top = amount if upper is None else max(upper, amount)
    result.upper_contributions[key] = round(result.upper_contributions.get(key, 0.0) + top, 6)
    if form is not None and form not in result.forms:
        result.forms.append(form)


# ---------------------------------------------------------------------------- named products


def _named_product(s: str) -> ProductStrength | None:
    """A product from ``supplement_products.toml`` when the line gives no other amount.

    "Slow-Mag", "Mag-Ox 400", "Caltrate 600+D3", "Tums Extra Strength" are read from the
    product's label content per tablet; a line that states its own amounts ("Tums 500 mg",
    "Caltrate 600 mg + D3 400 IU") is read as written, except that the product's own strength
    alone ("Mag-Ox 400 mg") is still the product.
    """
    product = find_product(s, "ml" if volume_ml(s) is not None else "tablet")
    if product is None:
        return None
    amounts = _amounts(s)
    if any(a.unit != "mg" or a.value != product.strength for a in amounts):
        return None
    return product


def _parse_product(
    product: ProductStrength, s: str, factor: _Factors, result: SupplementParse
) -> None:
    result.product_citations.extend(product.citations)
    if product.unreadable:
        result.assumptions.append(f"Not counted: {product.unreadable}.")
        return
    units, units_high = factor.usual, factor.high
    if product.per == "ml":
        volume = doses.find_volume(s)
        if volume is None or volume.ml is None:
            result.assumptions.append(f"No volume given for {product.name}: not counted.")
            return
        units = factor.usual * volume.ml / product.per_amount
        units_high = factor.high * (volume.ml_high or volume.ml) / product.per_amount
    form = form_by_id(product.form) if product.form else None
    for key, per_unit in product.contents.items():
        nutrient = key.rsplit("_", 1)[0]
        amount = per_unit * units
        upper = per_unit * units_high
        _check_positive(amount, f"{result.text!r}")
        if nutrient == "vitamin_d":
            _add_dose(result, "vitamin_d", form_by_id("vitamin_d3"), amount / 1000,
                      "vitamin_d_ug", amount, upper)
            continue
        if upper > MAX_MINERAL_MG:
            raise InputError(
                f"{result.text!r}: {upper:,.0f} mg of {nutrient} a day is not a plausible "
                "supplement dose (over 10 g); check the number of tablets"
            )
        own_form = form if form is not None and form.nutrient == nutrient else None
        _add_dose(result, nutrient, own_form, amount, key, amount, upper)
    per = "tablet" if product.per == "tablet" else f"{product.per_amount:g} mL"
    result.assumptions.append(
        product.note or f"Read from the label of {product.name} (per {per})."
    )


def _distribute_paired_amounts(s: str, assumptions: list[str]) -> str:
    """'calcium + d3 (600 mg/400 iu)' → 'calcium 600 mg + d3 400 iu'.

    Amounts joined by '/' are given to the nutrients named before them, in order, when the
    counts agree; otherwise the text is left alone.
    """
    amount = r"\d[\d,.]*\s*(?:mg|g|ug|iu|meq|mmol)\b"
    m = re.search(rf"\(?\s*({amount}(?:\s*/\s*{amount})+)\s*\)?", s)
    if m is None:
        return s
    values = [v.strip() for v in m.group(1).split("/")]
    nutrient = r"\bcalcium\b|\bmagnesium\b|\bpotassium\b|\bvit(?:amin|\.)?\s*d[23]?\b|\bd[23]\b"
    mentions = list(re.finditer(nutrient, s[: m.start()]))
    if len(mentions) != len(values):
        return s
    out, last = [], 0
    for mention, value in zip(mentions, values, strict=True):
        out.append(s[last : mention.end()] + f" {value}")
        last = mention.end()
    out.append(s[last : m.start()] + s[m.end() :])
    assumptions.append(
        "Amounts '" + m.group(1) + "' given to "
        + ", ".join(f"{mt.group(0)} {v}" for mt, v in zip(mentions, values, strict=True))
        + ", in the order named."
    )
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _potassium_warning(result: SupplementParse, doses_per_day: float) -> None:
    """More than 99 mg of potassium in one dose (the upper reading, when the line could be
    read two ways) is prescription strength."""
    for dose in result.doses:
        if dose.mineral != "potassium" or doses_per_day <= 0:
            continue
        per_dose = result.upper_contributions.get("potassium_mg", 0.0) / doses_per_day
        if per_dose > OTC_POTASSIUM_MAX_MG_PER_DOSE:
            warning = (
                f"{per_dose:,.0f} mg of potassium in one dose: in the US, potassium products "
                f"with more than {OTC_POTASSIUM_MAX_MG_PER_DOSE:.0f} mg per dose are "
                "prescription medicines (FDA), because concentrated potassium chloride tablets "
                "have injured the small bowel, and too much potassium is dangerous with kidney "
                "disease or potassium-sparing medicines. Take such a dose only as a clinician "
                "prescribed it."
            )
            result.warnings.append(warning)
            result.assumptions.append(warning)
            result.product_citations.extend(
                [Citation("ecfr_21_cfr_201_306", "A"), Citation("ods_potassium_hp", "A")]
            )
            return


# ---------------------------------------------------------------------------- entry point


def parse_supplement(text: str) -> SupplementParse:
    """Read one label-style supplement line as daily nutrient amounts.

    Parameters
    ----------
    text : str
        E.g. ``"Magnesium (as glycinate) 200 mg"``, ``"calcium carbonate 600 mg"``,
        ``"500 mg of magnesium citrate powder (compound weight)"``, ``"Vitamin D3 2000 IU"``,
        ``"fish oil 1 g (EPA 360 mg, DHA 240 mg)"``, ``"2 x calcium citrate 315 mg"``,
        ``"potassium gluconate 99 mg"``, ``"multivitamin"``.

    Returns
    -------
    SupplementParse
        Doses (elemental mg/day), contributions by nutrient key (mg/day, µg/day for vitamin D,
        g/day for EPA, DHA, ALA and ``omega3_g``), the form(s) with elemental % and absorption
        notes, the assumptions made, and whether anything could be counted.

    Raises
    ------
    InputError
        Empty text; a zero or negative amount; more than 10 g of a mineral, 10 mg
        (400,000 IU) of vitamin D or 50 g of oil a day. The message names the line. A label
        that is recognisable but ambiguous (IU for a mineral, a multivitamin, Tums without
        its strength) never raises: it is not counted and the last assumption says why.

    References
    ----------
    NIH ODS fact sheets (calcium, magnesium, potassium, vitamin D, omega-3) and CIAAW atomic
    weights; see the module docstring.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("a supplement line is empty; write e.g. 'magnesium citrate 200 mg'")
    result = SupplementParse(text=text)
    s = _normalise(text)
    whole = s
    _range_notes(s, result.assumptions)
    named = find_product(s)
    frequency = doses.find_frequency(s)
    factor, s = _take_dose_words(s, text, result.assumptions,
                                 named.strength if named else None)
    result.assumptions[:] = [a for a in result.assumptions
                             if not a.startswith("No frequency given")]  # daily is the default
    read_before = len(result.assumptions)
    compound_flag = _COMPOUND_RE.search(s) is not None
    s = re.sub(r"\(\s*(?:compound|salt)(?: weight)?\s*\)", " ", s)
    s = _distribute_paired_amounts(s, result.assumptions)

    omega = _omega_form(s)
    product = _named_product(s)
    if omega is not None:
        _parse_omega(s, omega, factor, result)
    elif product is not None:
        _parse_product(product, s, factor, result)
    else:
        for segment in _split_segments(s):
            _parse_segment(segment, factor, compound_flag, result)
    if product is None or product.kind != "salt_substitute":  # a food, not a supplement
        _potassium_warning(result, frequency.max_per_day)

    if not result.doses:
        result.recognized = False
        if _UNRECOGNISED_HINTS.search(whole):
            result.assumptions.append(
                "A multivitamin or multimineral (such as Centrum): its amounts differ between "
                "products, so it is not counted. Give the calcium and magnesium amounts from its "
                "label (and vitamin D, potassium if listed), e.g. 'Centrum: calcium 200 mg, "
                "magnesium 50 mg, vitamin D3 1000 IU'."
            )
        elif len(result.assumptions) == read_before:
            result.assumptions.append(
                "Not recognised as calcium, magnesium, potassium, vitamin D or an omega-3 oil; "
                "not counted."
            )
    else:
        result.recognized = True
    result.form = result.forms[0] if result.forms else None
    return result


def _parse_segment(
    segment: str, factor: _Factors, compound_flag: bool, result: SupplementParse
) -> None:
    product = _find_product(segment)
    if re.search(r"\bvit(?:amin|\.)?\s*d\b|\bvitamin d[23]\b|\bd[23]\b|calciferol", segment):
        _parse_vitamin_d(segment, factor, result)
        return
    minerals = [m for m in MINERALS if re.search(rf"\b{m}\b", segment)]
    if not minerals and product is not None and product[0].nutrient in MINERALS:
        minerals = [product[0].nutrient]
    if not minerals:
        if _amounts(segment) and not _UNRECOGNISED_HINTS.search(segment):
            result.assumptions.append(f"'{segment}' is not a nutrient crampcheck counts: skipped.")
        return
    _parse_mineral(segment, minerals[0], factor, compound_flag, result)
