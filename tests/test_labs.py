"""Lab interpretation: unit conversion, ranges, albumin-corrected calcium, eGFR categories."""

import pytest

from crampcheck.errors import InputError
from crampcheck.knowledge.labs import find_test, interpret_lab


def test_magnesium_mg_dl_to_mmol_l():
    r = interpret_lab("serum magnesium", 1.6, "mg/dL")
    assert r.test == "magnesium"
    assert r.canonical_unit == "mmol/L"
    assert r.canonical_value == pytest.approx(0.66, abs=0.005)
    assert r.status == "low"
    assert (r.low, r.high) == (0.75, 0.95)
    assert r.converted["mEq/L"] == pytest.approx(1.317, abs=0.001)
    assert r.citations[0].source_id == "ods_magnesium_hp"


def test_magnesium_meq_and_normal():
    assert interpret_lab("Mg", 1.7, "mEq/L").canonical_value == pytest.approx(0.85)
    assert interpret_lab("Mg", 1.7, "mEq/L").status == "normal"
    assert interpret_lab("magnesium", 2.6, "mg/dL").status == "high"


@pytest.mark.parametrize(
    ("text", "test_id"),
    [("25-OH vitamin D", "vitamin_d_25oh"), ("vit D", "vitamin_d_25oh"),
     ("25(OH)D", "vitamin_d_25oh"), ("Mg", "magnesium"), ("Serum Magnesium", "magnesium"),
     ("K+", "potassium"), ("ionized calcium", "calcium_ionized"), ("Ca", "calcium_total"),
     ("eGFR", "egfr"), ("serum creatinine", "creatinine"),
     ("fasting serum magnesium", "magnesium")],
)
def test_names(text, test_id):
    assert find_test(text)["id"] == test_id


def test_vitamin_d_ng_ml_to_nmol_l_and_bands():
    r = interpret_lab("25-OH vitamin D", 18, "ng/mL")
    assert r.canonical_value == pytest.approx(18 * 2.496)
    assert r.status == "low" and r.band == "possibly inadequate for some people"
    assert interpret_lab("vit D", 10, "ng/mL").band == "at risk of deficiency"
    assert interpret_lab("vit D", 30, "ng/mL").status == "normal"
    assert interpret_lab("vit D", 60, "ng/mL").status == "high"


def test_total_calcium_with_albumin_correction():
    plain = interpret_lab("calcium", 8.0, "mg/dL")
    assert plain.status == "low"
    r = interpret_lab("calcium", 8.0, "mg/dL", albumin_g_dl=2.5)
    # 8.0 + 0.8 × (4.0 − 2.5) = 9.2 mg/dL = 2.30 mmol/L
    assert r.corrected_value == pytest.approx(9.2 * 0.249513, abs=0.001)
    assert r.status == "normal"
    assert any("9.20 mg/dL" in n for n in r.notes)
    assert {c.source_id for c in r.citations} >= {"payne_1973_corrected_calcium"}


def test_calcium_mmol_l_range():
    r = interpret_lab("total calcium", 2.3, "mmol/L")
    assert r.status == "normal"
    assert r.low == pytest.approx(2.12, abs=0.005) and r.high == pytest.approx(2.545, abs=0.005)


def test_potassium_and_sodium():
    assert interpret_lab("K", 3.2, "mEq/L").status == "low"
    assert interpret_lab("potassium", 4.2, "mmol/L").status == "normal"
    assert interpret_lab("Na", 130, "mmol/L").status == "low"


def test_creatinine_conversion_and_sex():
    r = interpret_lab("creatinine", 1.2, "mg/dL", sex="female")
    assert r.canonical_value == pytest.approx(106.08)
    assert r.status == "high"
    assert interpret_lab("creatinine", 1.2, "mg/dL", sex="male").status == "normal"
    assert interpret_lab("creatinine", 100, "µmol/L").status == "normal"


def test_egfr_kdigo_categories():
    r = interpret_lab("eGFR", 42, "mL/min/1.73 m²")
    assert r.status == "low" and r.band.startswith("G3b")
    assert interpret_lab("eGFR", 95, "mL/min/1.73m2").band.startswith("G1")
    assert interpret_lab("eGFR", 12, "mL/min").band.startswith("G5")
    assert interpret_lab("eGFR", 75, "mL/min").status == "normal"


def test_unknown_unit_names_accepted_units():
    with pytest.raises(InputError, match="accepted units: mmol/L, mg/dL, mEq/L"):
        interpret_lab("magnesium", 1.6, "g")


def test_unknown_test():
    with pytest.raises(InputError, match="unknown lab test"):
        interpret_lab("ferritin", 30, "ng/mL")


@pytest.mark.parametrize("value", [0, -1.0, float("nan")])
def test_bad_values(value):
    with pytest.raises(InputError):
        interpret_lab("magnesium", value, "mg/dL")


def test_albumin_in_wrong_unit():
    with pytest.raises(InputError, match="g/L"):
        interpret_lab("calcium", 8.0, "mg/dL", albumin_g_dl=35)
