"""Issue 9, round 2: the problems a clinical-pharmacist review of round 1 found, each tested from
its source with the case where the rule must stay quiet.

Sources (ids in knowledge/data/sources*.toml): NHS DVT and NICE CKS leg cramps (red flags and
what negation must not hide); ACOG Practice Bulletin 222 and NICE NG133 (blood pressure in
pregnancy); NICE CG32 1.6.1 and NG69 (refeeding risk); NIH ODS vitamin K and magnesium fact
sheets and the warfarin label; Merck and NICE CKS (lab severity bands); NICE NG136 (blood
pressure outside pregnancy).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from crampcheck import knowledge
from crampcheck.assess import assess
from crampcheck.case import case_from_dict
from crampcheck.errors import InputError
from crampcheck.knowledge.conditions import match_conditions
from crampcheck.knowledge.red_flags import FlagContext, blood_pressure, match_symptom
from crampcheck.plan import apply_plan, plan_for_assessment
from crampcheck.plan.candidates import COL, candidates, word_mask
from crampcheck.plan.foods import allowed_mask, blocked_food_limits
from crampcheck.plan.from_assessment import context_for

DIARY = {"2026-11-20": ["1 cup whole milk", "2 slices white bread", "3 oz chicken breast",
                        "1 cup cooked white rice"],
         "2026-11-21": ["1 cup oatmeal", "1 medium banana", "1 cup cooked pasta"]}
NIGHT_CRAMP = [{"at": "2026-11-20T02:00", "muscle": "calf", "minutes": 2}]


def run(age=45, sex="female", person=None, **fields):
    p = {"age": age, "sex": sex, **(person or {})}
    fields.setdefault("diary", DIARY)
    a = assess(case_from_dict({"person": p, **fields}))
    plan = plan_for_assessment(a)
    apply_plan(a, plan)
    return a, a.to_dict(), plan


def flag_ids(text, context=None):
    return {m.flag.id for m in match_symptom(text, context)}


# ------------------------------------------------------------------- 1. negation by clause
# NICE CKS leg cramps / NHS DVT: one swollen calf, chest pain, breathlessness and numbness are
# red flags; written as absent they must not raise one.

@pytest.mark.parametrize("text", [
    "no swelling", "no chest pain", "denies SOB", "without numbness", "no calf swelling",
    "no swelling or redness in my calf", "denies chest pain or shortness of breath",
    "chest pain: none", "numbness - nil", "no calf swelling, no chest pain, no SOB",
    "calf not swollen",
])
def test_negated_red_flag_words_raise_nothing(text):
    assert flag_ids(text) == set()


@pytest.mark.parametrize("text,flag", [
    ("swelling, no redness", "swelling_side_not_stated"),
    ("left calf swelling, no redness", "one_sided_calf_swelling"),
    ("no numbness but weakness in my legs", "weakness_or_numbness"),
    ("no fever and my calf is swollen", "one_sided_calf_swelling"),
])
def test_a_negation_stays_in_its_clause(text, flag):
    assert flag in flag_ids(text)


def test_negated_symptom_is_noted_absent_not_unreadable():
    a, result, _ = run(symptoms=["no swelling, no chest pain"], cramps=NIGHT_CRAMP)
    assert not [f for f in result["findings"] if f["severity"] == "urgent"]
    assert not result["unrecognized"]["symptoms"]
    assert any(f["topic"] == "symptom" and f["summary"].startswith("Noted as absent")
               for f in result["findings"])


# ------------------------------------------------------------------- 2. DVT clause scoping
# NHS DVT: swelling in one leg (rarely both) with a warm, painful calf.

def test_both_calves_elsewhere_does_not_cancel_a_swollen_calf():
    text = "cramps in both calves at night; left calf swollen and warm since yesterday"
    assert "one_sided_calf_swelling" in flag_ids(text)
    a, result, plan = run(symptoms=[text], cramps=NIGHT_CRAMP)
    assert a.safety.stopped and plan.stopped and not plan.additions


def test_both_calves_cramping_alone_is_quiet():
    assert flag_ids("cramps in both calves at night") == set()


# ------------------------------------------------------------------- 3. shorthand, lay words

@pytest.mark.parametrize("text,flag", [
    ("SOB", "shortness_of_breath"), ("c/o SOB on stairs", "shortness_of_breath"),
    ("CP since this morning", "chest_cramp"), ("short of breath", "shortness_of_breath"),
    ("chest tightness", "chest_cramp"), ("my chest feels tight", "chest_cramp"),
    ("can't catch my breath", "shortness_of_breath"),
    ("pins and needles", "weakness_or_numbness"), ("legs gave way", "weakness_or_numbness"),
    ("peeing dark", "dark_urine_muscle_pain"), ("cola urine", "dark_urine_muscle_pain"),
    ("wee looks like coke", "dark_urine_muscle_pain"),
])
def test_shorthand_and_lay_words(text, flag):
    assert flag in flag_ids(text)


def test_sob_as_a_verb_and_eating_are_not_red_flags():
    assert flag_ids("I sob at night when the cramps wake me") == set()
    # "eating" is not a misspelling of "statin" (first letters differ)
    assert "cramps_with_new_medicine" not in flag_ids("starting to eat again")


# ------------------------------------------------------------------- 4. crashes and misreads

@pytest.mark.parametrize("field,line", [
    ("supplements", "magnesium -200 mg"), ("supplements", "magnesium glycinate 200 mg x -2"),
    ("medications", "furosemide -40 mg"),
])
def test_negative_amounts_are_clear_errors(field, line):
    with pytest.raises(InputError, match="negative"):
        case_from_dict({"person": {"age": 40, "sex": "female"}, field: [line]})


def test_negative_diary_amount_is_a_clear_error():
    with pytest.raises(InputError, match="negative"):
        case_from_dict({"person": {"age": 40, "sex": "female"},
                        "diary": {"2026-01-01": ["whole milk -200 ml"]}})


def test_ranges_and_dashes_are_not_negative():
    c = case_from_dict({"person": {"age": 40, "sex": "female"},
                        "supplements": ["vitamin D 1-2 tablets", "25-OH vitamin D 1000 IU"],
                        "medications": ["co-amilozide 2.5-25 mg"]})
    assert len(c.supplements) == 2


def test_a_spaced_dash_is_a_separator_not_a_minus():
    # "Magnesium citrate - 200 mg" is how people list a product and its amount; only a minus
    # written against the number ("-200 mg") is a negative amount.
    from crampcheck.intake.supplements import parse_supplement

    p = parse_supplement("Magnesium citrate - 200 mg")
    assert p.upper_contributions["magnesium_mg"] == 200.0
    c = case_from_dict({"person": {"age": 40, "sex": "female"},
                        "supplements": ["Magnesium citrate - 200 mg"],
                        "medications": ["ramipril - 5 mg once daily"],
                        "diary": {"2026-01-01": ["milk - 250 ml"]}})
    assert c.supplements == ["Magnesium citrate - 200 mg"]


def test_lab_without_unit_takes_the_only_plausible_unit_with_a_note():
    # potassium 3.1 fits mmol/L (= mEq/L); 3.1 mg/dL would be 0.79 mmol/L, outside what blood
    # can show (lab_bounds.toml)
    a, result, _ = run(labs=[{"test": "potassium", "value": 3.1}])
    lab = next(f for f in result["findings"] if f.get("test") == "potassium")
    assert lab["status"] == "low" and "mmol/L" in lab["summary"]
    assert any(f["topic"] == "data_quality" and "No unit was given for potassium" in f["summary"]
               for f in result["findings"])


@pytest.mark.parametrize("test,value,words", [
    ("magnesium", 0.9, "could be"),          # mmol/L or mEq/L: different scales
    ("vitamin D", 30, "could be"),           # 30 nmol/L is deficient, 30 ng/mL is not
    ("potassium", 40, "not a plausible"),
])
def test_lab_without_unit_that_cannot_be_told_is_an_error_naming_the_test(test, value, words):
    with pytest.raises(InputError, match=words) as exc:
        case_from_dict({"person": {"age": 40, "sex": "female"},
                        "labs": [{"test": test, "value": value}]})
    assert test in str(exc.value)


@pytest.mark.parametrize("text,expected", [
    ("Graves disease", "hyperthyroidism"), ("Graves' disease", "hyperthyroidism"),
    ("overactive thyroid", "hyperthyroidism"), ("hyperthyroid", "hyperthyroidism"),
    ("hypotyroidism", "hypothyroidism"), ("hyperparathyroidsm", "hyperparathyroidism"),
])
def test_fuzzy_condition_matching_never_crosses_to_another_disease(text, expected):
    assert [m.condition.id for m in match_conditions(text)] == [expected]


def test_unknown_condition_is_reported_not_guessed():
    assert match_conditions("overactive parathyroid gland issues")[0].condition.id \
        == "hyperparathyroidism"
    assert match_conditions("hyper-somethingitis") == []


# ------------------------------------------------------------------- 5. refeeding (NICE CG32)

def test_anorexia_restarting_eating_with_low_phosphate_is_urgent_and_stops_the_plan():
    a, result, plan = run(age=22, conditions=["anorexia nervosa"],
                          symptoms=["hardly eaten for 10 days, starting to eat again"],
                          labs=[{"test": "phosphate", "value": 0.6, "unit": "mmol/L"}])
    assert "refeeding_risk" in {f.get("flag") for f in result["findings"]}
    assert a.safety.stopped and plan.stopped and not plan.additions and not plan.supplements


@pytest.mark.parametrize("fields", [
    {"symptoms": ["not eaten for 12 days"]},                 # > 10 days little or no food
    {"symptoms": ["BMI 14.8, very tired"]},                  # BMI < 16
    {"conditions": ["anorexia nervosa"],                    # low K before feeding
     "labs": [{"test": "potassium", "value": 3.2, "unit": "mmol/L"}]},
])
def test_each_nice_cg32_high_risk_criterion_raises_refeeding(fields):
    a, result, _ = run(age=24, **fields)
    assert "refeeding_risk" in {f.get("flag") for f in result["findings"]}
    assert a.safety.stopped


@pytest.mark.parametrize("fields", [
    {"symptoms": ["fasted for 16 hours before a blood test"]},
    {"symptoms": ["BMI 22"]},
    {"labs": [{"test": "potassium", "value": 3.2, "unit": "mmol/L"}]},  # no starvation context
])
def test_refeeding_stays_quiet_without_its_criteria(fields):
    a, result, _ = run(age=24, **fields)
    assert "refeeding_risk" not in {f.get("flag") for f in result["findings"]}
    assert not a.safety.stopped


# ------------------------------------------------------------------- 6. pregnancy BP (ACOG)

PREG = {"pregnant": True}


@pytest.mark.parametrize("text", [
    "blood pressure 150/95 at 32 weeks",   # >= 140/90 after 20 weeks
    "BP 142/88 at 28 weeks",               # systolic alone is enough
    "BP 165/100, 12 weeks pregnant",       # severe range at any stage
    "bp was 138/92",                       # weeks unknown: read as after 20
])
def test_raised_blood_pressure_in_pregnancy_is_urgent(text):
    a, result, plan = run(age=31, person=PREG, symptoms=[text], cramps=NIGHT_CRAMP)
    assert "pregnancy_high_blood_pressure" in {f.get("flag") for f in result["findings"]}
    assert a.safety.stopped and plan.stopped and not plan.additions


def test_raised_blood_pressure_before_20_weeks_is_high_not_urgent():
    # ACOG: hypertension before 20 weeks is chronic hypertension; not severe-range
    a, result, _ = run(age=31, person=PREG, symptoms=["BP 145/92, 12 weeks pregnant"])
    flag = next(f for f in result["findings"]
                if f.get("flag") == "pregnancy_raised_blood_pressure_early")
    assert flag["severity"] == "high" and not a.safety.stopped


@pytest.mark.parametrize("text", ["BP 118/72 at 30 weeks", "blood pressure 130/85"])
def test_normal_blood_pressure_in_pregnancy_stays_quiet(text):
    a, result, _ = run(age=31, person=PREG, symptoms=[text])
    assert not a.safety.stopped
    assert not result["unrecognized"]["symptoms"]
    assert not [f for f in result["findings"] if f["topic"] == "red_flag"]


def test_blood_pressure_outside_pregnancy_is_read_not_urgent():
    # NICE NG136: 140/90 or more is raised (recheck), 180/120 or more needs same-day assessment
    assert blood_pressure("BP 150/95") == (150, 95)
    assert blood_pressure("took 1/2 tablet") is None
    a, result, _ = run(age=50, symptoms=["BP 150/95"])
    bp = next(f for f in result["findings"] if f["topic"] == "blood_pressure")
    assert bp["severity"] == "moderate" and not a.safety.stopped
    assert flag_ids("BP 160/110", FlagContext()) == set()


# ------------------------------------------------------------------- 7. "do not stop on your own"

def test_prescribed_potassium_says_do_not_stop_on_your_own():
    a, result, _ = run(age=60, sex="male", medications=["potassium chloride 20 mEq (prescribed)"])
    texts = [r["text"] for r in result["recommendations"]]
    assert any("potassium chloride" in t and "do not stop it" in t for t in texts)


def test_prescribed_high_dose_vitamin_d_says_do_not_stop_on_your_own():
    a, result, _ = run(age=60, medications=["vitamin D 50,000 IU weekly (prescription)"])
    assert any("vitamin D" in r["text"] and "do not stop it on your own" in r["text"]
               for r in result["recommendations"])


def test_over_the_counter_supplement_gets_dose_advice_not_do_not_stop():
    a, result, _ = run(age=60, supplements=["Vitamin D3 10000 IU daily"])
    vit_d = [r for r in result["recommendations"] if "vitamin D" in r["text"]
             and r.get("action") == "reduce"]
    assert vit_d and all("on your own" not in r["text"] for r in vit_d)


def test_new_medicine_flag_does_not_tell_to_keep_a_self_started_supplement():
    rec = knowledge.load("red_flags")["red_flags"]
    advice = next(f["advice"] for f in rec if f["id"] == "cramps_with_new_medicine")
    assert "do not stop a prescribed medicine on your own" in advice
    assert "you started yourself you can stop" in advice


# ------------------------------------------------------------------- 8. warfarin and vitamin K

def _vitamin_k_words():
    return knowledge.load("plan_foods")["vitamin_k_rich_foods"][0]["words"]


def test_warfarin_plan_adds_no_vitamin_k_rich_foods_and_says_keep_it_steady():
    # ODS vitamin K fact sheet; warfarin label: keep vitamin K intake consistent
    a, result, plan = run(age=70, sex="male", medications=["warfarin 5 mg"])
    assert plan.additions
    cands = candidates()
    rich = np.zeros(len(cands), dtype=bool)
    for w in _vitamin_k_words():
        rich |= word_mask(cands, w)
    rich_ids = {f.id for f, r in zip(cands.foods, rich, strict=True) if r}
    assert len(rich_ids) > 20  # spinach, kale, collards, broccoli... are in the table
    assert not {x.food.id for x in plan.additions} & rich_ids
    assert any("vitamin K" in n and "anticoagulation clinic" in n for n in plan.notes)


@pytest.mark.parametrize("drug", ["apixaban 5 mg twice daily", "rivaroxaban 20 mg"])
def test_doacs_leave_vitamin_k_alone(drug):
    a, result, plan = run(age=70, sex="male", medications=[drug])
    assert "vitamin_k_consistent" not in a.safety.constraints
    assert not any("vitamin K" in n for n in plan.notes)


# ------------------------------------------------------------------- 9. unknown is not safe

def test_blocked_nutrient_with_unknown_value_is_not_offered():
    cands = candidates()
    col = cands.per_serving[:, COL["phosphorus_mg"]]
    assert np.isnan(col).any()  # the committed table has foods without a phosphorus value
    a, result, plan = run(labs=[{"test": "phosphate", "value": 1.9, "unit": "mmol/L"}])
    ok, removed, _ = allowed_mask(context_for(a), cands)
    limit = blocked_food_limits()["phosphorus"][1]
    assert not np.isnan(col[ok]).any() and (col[ok] <= limit).all()
    for x in plan.additions:
        p = x.nutrients.get("phosphorus_mg")
        assert p is not None and not math.isnan(p)


# ------------------------------------------------------------------- 10. magnesium and diarrhoea

def test_magnesium_cut_for_diarrhoea_is_not_proposed_again():
    # ODS magnesium: diarrhoea is the first sign of too much supplemental magnesium; oxide,
    # citrate, carbonate and chloride are the forms most often behind it
    a, result, plan = run(age=60, sex="male", supplements=["magnesium oxide 400 mg"],
                          symptoms=["loose stools since starting magnesium"])
    assert any(r["nutrient"] == "magnesium_mg" for r in plan.reductions)
    assert not [s for s in plan.supplements if s.mineral == "magnesium"]
    reduce = [r["text"] for r in result["recommendations"] if r.get("action") == "reduce"
              and "magnesium" in r["text"]]
    assert any("oxide" in t and "glycinate" in t for t in reduce)


def test_magnesium_within_the_ul_without_diarrhoea_is_not_cut():
    a, result, plan = run(age=60, sex="male", supplements=["magnesium glycinate 100 mg"])
    assert not any(r["nutrient"] == "magnesium_mg" for r in plan.reductions)
    assert not [r for r in result["recommendations"] if r.get("action") == "reduce"]


# ------------------------------------------------------------------- 11. over-caution

def test_ordinary_bilateral_night_cramps_in_a_healthy_adult_are_not_urgent():
    a, result, plan = run(symptoms=["cramps in both calves at night"],
                          cramps=[{"at": "2026-11-20T02:00", "muscle": "calf", "side": "both",
                                   "minutes": 2}])
    assert not a.safety.stopped and plan.additions
    assert not [f for f in result["findings"] if f["severity"] in ("urgent", "high")]


@pytest.mark.parametrize("test,value,unit,severity", [
    ("magnesium", 0.76, "mmol/L", "info"),      # just inside 0.75-0.95
    ("potassium", 3.5, "mmol/L", "info"),       # at the lower limit
    ("magnesium", 0.71, "mmol/L", "moderate"),  # mildly low (Merck: symptoms below 0.5)
    ("potassium", 3.4, "mmol/L", "moderate"),   # mild hypokalaemia 3.0-3.4 (Merck)
    ("calcium", 10.3, "mg/dL", "moderate"),     # mild hypercalcaemia < 11.5 (Merck, NICE CKS)
    ("potassium", 2.8, "mmol/L", "high"),       # moderate hypokalaemia 2.5-3.0
    ("calcium", 12.2, "mg/dL", "urgent"),       # 3.04 mmol/L: NICE CKS same-day referral
])
def test_lab_severity_follows_the_bands(test, value, unit, severity):
    a, result, _ = run(labs=[{"test": test, "value": value, "unit": unit}])
    lab = next(f for f in result["findings"] if f["topic"] == "lab")
    assert lab["severity"] == severity
    assert a.safety.stopped == (severity == "urgent")


def test_one_red_calf_after_both_legs_swollen_in_the_same_sentence():
    # NHS DVT: one calf red and hot is the warning sign even when both legs are swollen
    assert "one_sided_calf_swelling" in flag_ids("both legs swollen and left calf red and hot")


def test_ruled_out_reads_as_absent():
    assert "one_sided_calf_swelling" not in flag_ids("DVT ruled out last year")
