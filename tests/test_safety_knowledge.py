"""Issue 9 knowledge: new medicine classes, salt substitutes, corrected citations, and the
rules data (every entry sourced and graded; thresholds in data, not code)."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from crampcheck import knowledge
from crampcheck.intake.supplements import parse_supplement
from crampcheck.knowledge.conditions import fluid_limit_ml, sodium_limit_mg, stage_of
from crampcheck.knowledge.medicines import find_product, match_medication
from crampcheck.knowledge.red_flags import weight_gain


def test_safety_files_validate_and_cite_known_sources():
    for name in ("safety_rules", "labs", "red_flags", "conditions", "symptoms", "plan_foods",
                 "supplement_products", "medications"):
        assert knowledge.validate(name) == [], name
    registry = knowledge.sources()
    for entry in knowledge.load("labs")["tests"]:
        for key in ("sources_low", "sources_high"):
            assert all(s in registry for s in entry.get(key, [])), entry["id"]


def test_arni_and_potassium_chloride_follow_the_potassium_sparing_class():
    text = resources.files("crampcheck.knowledge").joinpath("data/medications.toml").read_text(
        encoding="utf-8")
    ids = [c["id"] for c in tomllib.loads(text)["classes"]]
    i = ids.index("potassium_sparing_diuretic")
    assert ids[i + 1: i + 3] == ["arni", "potassium_chloride"]


@pytest.mark.parametrize("text", ["Entresto 49/51 mg twice daily", "sacubitril/valsartan",
                                  "sacubitril-valsartan 97/103"])
def test_entresto_reads_as_sacubitril_and_valsartan_an_arni_and_an_arb(text):
    m = match_medication(text)
    assert m is not None and set(m.generics) == {"sacubitril", "valsartan"}
    assert {"arni", "arb"} <= set(m.class_ids())


@pytest.mark.parametrize("text,generic", [
    ("Klor-Con M20 daily", "potassium chloride"), ("K-Tab 10 mEq", "potassium chloride"),
    ("Slow-K 600 mg", "potassium chloride"), ("Micro-K 8 mEq", "potassium chloride"),
    ("Sando-K 2 tablets", "potassium chloride"), ("Kay Ciel 15 ml", "potassium chloride"),
    ("Urocit-K 10 mEq", "potassium citrate")])
def test_prescription_potassium_brands(text, generic):
    m = match_medication(text)
    assert m is not None and "potassium_chloride" in m.class_ids() and generic in m.generics


@pytest.mark.parametrize("text,potassium,sodium", [
    # USDA FoodData Central branded records (label per 1/4 tsp):
    # NoSalt 49,231 mg K/100 g x 1.3 g = 640 mg; LoSalt 34,615 mg K and 13,077 mg Na/100 g x 1.3 g
    ("NoSalt 1/4 tsp daily", 640.0, None),
    ("LoSalt 1/2 tsp a day", 900.0, 340.0),
    # Nu-Salt 42,000 mg K/100 g x 1.25 g = 525 mg
    ("Nu-Salt 1/4 tsp", 525.0, None),
    # a sodium-free potassium chloride salt substitute: 49,286 mg K/100 g x 1.4 g = 690 mg
    ("potassium chloride 1/4 tsp", 690.0, None),
])
def test_salt_substitutes_are_read_from_their_labels_without_the_supplement_warning(
        text, potassium, sodium):
    p = parse_supplement(text)
    assert p.recognized and p.contributions["potassium_mg"] == pytest.approx(potassium)
    assert p.contributions.get("sodium_mg") == (None if sodium is None else pytest.approx(sodium))
    assert not p.warnings  # a salt substitute is a food: the 99 mg supplement limit is not its
    product = find_product(text)
    assert product is not None and product.kind == "salt_substitute"


def test_potassium_tablets_still_get_the_prescription_warning():
    p = parse_supplement("potassium chloride 20 mEq")
    assert p.warnings and "prescription" in p.warnings[0]


def test_garrison_2012_is_not_cited_as_showing_a_loop_diuretic_association():
    # Garrison 2012: loop diuretics ASR 1.20 (95 % CI 1.00-1.44), not significant
    loop = next(c for c in knowledge.load("medications")["classes"] if c["id"] == "loop_diuretic")
    note = loop["cramp_risk"]["note"]
    assert "not clearly more frequent" in note and "1.20" in note
    assert "often follows" not in note


def test_rule_thresholds_are_data():
    rules = knowledge.load("safety_rules")
    combo = rules["potassium_combination"][0]
    assert combo["urgent_from_mmol_l"] == 6.0 and "arni" in combo["raas_classes"]
    stages = {s["id"]: s for s in rules["kidney_stages"]}
    assert stages["ckd_g4_g5"]["egfr_below"] == 30 and stages["ckd_g3"]["egfr_below"] == 60
    limits = {r["nutrient"]: r["max_per_serving"]
              for r in knowledge.load("plan_foods")["blocked_food_limits"]}
    # NKF high-potassium 200 mg; FDA "good source" = 10 % DV: Mg 42, Ca 130, P 125 mg
    assert limits == {"potassium": 200, "magnesium": 42, "calcium": 130, "phosphorus": 125,
                      "vitamin_d": 2}


@pytest.mark.parametrize("text,kg,days", [
    ("weight up 2.5 kg in 3 days", 2.5, 3), ("gained 5 lb in 2 days", 5 / 2.20462262, 2),
    ("put on 2 kilos since yesterday", 2, 1), ("weight gain of 3 kg over a week", 3, 7)])
def test_weight_gain_is_read_with_units_and_days(text, kg, days):
    assert weight_gain(text) == (pytest.approx(kg), pytest.approx(days))


@pytest.mark.parametrize("text", ["no weight gain", "weight 80 kg", "gained weight"])
def test_weight_gain_needs_an_amount_and_a_time(text):
    assert weight_gain(text) is None


def test_numbers_written_with_conditions():
    assert stage_of("CKD stage 4") == "4" and stage_of("ckd3b") == "3b"
    assert stage_of("chronic kidney disease") is None
    assert fluid_limit_ml("fluid restriction 1.5 L") == 1500
    assert fluid_limit_ml("fluid restriction") is None
    assert sodium_limit_mg("low salt diet 1500 mg") == 1500
    # 5 g salt x 393.4 mg sodium per g (Na 22.990 / NaCl 58.443)
    assert sodium_limit_mg("low salt diet, 5 g salt") == pytest.approx(1967, abs=1)
