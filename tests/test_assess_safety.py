"""Safety behaviour found missing in review: urgent labs, kidney function from creatinine,
digoxin with low minerals, new medicines, no plan without a diary or with dialysis, day
headers that would move food to the wrong day."""

from __future__ import annotations

import pytest

from crampcheck.assess import assess
from crampcheck.case import case_from_dict
from crampcheck.errors import InputError
from crampcheck.intake.diary import parse_diary
from crampcheck.knowledge.labs import egfr_ckd_epi_2021
from crampcheck.plan import plan_for_assessment

PERSON = {"age": 70, "sex": "female"}


def run(**fields):
    return assess(case_from_dict({"person": PERSON, **fields}))


@pytest.mark.parametrize("test,value,unit", [
    ("potassium", 6.8, "mmol/L"), ("potassium", 2.4, "mEq/L"), ("sodium", 118, "mmol/L"),
    ("serum magnesium", 0.3, "mmol/L"), ("calcium", 14, "mg/dL"),
    ("ionised calcium", 0.8, "mmol/L"),
])
def test_results_far_outside_the_range_are_urgent(test, value, unit):
    result = run(labs=[{"test": test, "value": value, "unit": unit}]).to_dict()
    first = result["findings"][0]
    assert first["topic"] == "lab" and first["severity"] == "urgent"
    assert result["recommendations"][0]["kind"] == "urgent_care"


def test_mildly_low_potassium_is_moderate_not_urgent():
    # Merck hypokalaemia: mild 3.0-3.4 mmol/L, usually without symptoms (issue 9 round 2)
    result = run(labs=[{"test": "potassium", "value": 3.2, "unit": "mmol/L"}]).to_dict()
    assert result["findings"][0]["severity"] == "moderate"
    assert not any(r["kind"] == "urgent_care" for r in result["recommendations"])


def test_corrected_calcium_is_the_number_shown():
    result = run(labs=[{"test": "calcium", "value": 7.8, "unit": "mg/dL"},
                       {"test": "albumin", "value": 3.0, "unit": "g/dL"}]).to_dict()
    calcium = [f for f in result["findings"] if f.get("test") == "calcium_total"][0]
    # Payne 1973: 7.8 + 0.8 x (4.0 - 3.0) = 8.6 mg/dL, inside 8.5-10.2
    assert "8.60 mg/dL" in calcium["summary"] and calcium["status"] == "normal"


def test_kidney_function_estimated_from_creatinine_stops_magnesium():
    # CKD-EPI 2021: woman, 84 years, creatinine 1.4 mg/dL -> about 37 mL/min/1.73 m2
    assert egfr_ckd_epi_2021(1.4, 84, "female") == pytest.approx(37.1, abs=0.5)
    assert egfr_ckd_epi_2021(1.0, 50, "male") == pytest.approx(91.7, abs=0.5)
    a = assess(case_from_dict({"person": {"age": 84, "sex": "female"},
                               "labs": [{"test": "creatinine", "value": 1.4,
                                         "unit": "mg/dL"}]}))
    assert {"magnesium", "potassium"} <= a.stops
    estimate = [f for f in a.to_dict()["findings"] if f.get("test") == "egfr_estimated"][0]
    assert estimate["value"] == pytest.approx(37.1, abs=0.5)


def test_digoxin_with_low_potassium_is_high():
    result = run(medications=["digoxin 125 mcg"],
                 labs=[{"test": "potassium", "value": 3.1, "unit": "mmol/L"}]).to_dict()
    digoxin = [f for f in result["findings"] if f["topic"] == "medication"
               and "digoxin" in f["summary"] and f["severity"] == "high"]
    assert digoxin


def test_unknown_lab_is_reported_not_fatal():
    result = run(labs=[{"test": "TSH", "value": 2.1, "unit": "mIU/L"}]).to_dict()
    assert any(f["topic"] == "data_quality" and "TSH" in f["summary"]
               for f in result["findings"])


def test_new_statin_is_a_red_flag_even_before_cramps_are_logged():
    result = run(medications=["atorvastatin 40 mg, started last week"]).to_dict()
    assert any(f.get("flag") == "cramps_with_new_medicine" for f in result["findings"])


def test_long_cramp_written_as_a_symptom_and_breathlessness_are_red_flags():
    result = run(symptoms=["cramps lasting 20 minutes", "short of breath"]).to_dict()
    flags = {f.get("flag") for f in result["findings"] if f["topic"] == "red_flag"}
    assert "shortness_of_breath" in flags and len(flags) >= 2
    assert result["findings"][0]["severity"] == "urgent"


def test_no_plan_without_a_diary_or_with_dialysis():
    empty = plan_for_assessment(run())
    assert not empty.additions and not empty.supplements
    assert "No food diary" in empty.notes[0]
    dialysis = plan_for_assessment(run(conditions=["haemodialysis"],
                                       diary={"2026-11-20": ["1 cup cooked white rice"]}))
    assert not dialysis.additions and not dialysis.supplements
    assert "dialysis" in dialysis.notes[0]


def test_a_misformatted_day_header_is_an_error_naming_the_line():
    with pytest.raises(InputError) as err:
        parse_diary("# 2026-11-20\n1 banana\n# 21/11/2026\n1 apple\n", source="d.txt")
    assert "d.txt, line 3" in str(err.value)
    items = parse_diary("#2026-11-21\ntea: 1 cup tea\n")
    assert items[0].day == "2026-11-21" and items[0].meal == "tea"


def test_journal_refuses_a_lab_it_cannot_read(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "crampcheck.cli", "labs", "add",
                          "serum magnesium", "1.6", "furlongs", "--db", str(tmp_path / "j.db")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "unknown unit 'furlongs'" in out.stderr


def test_magnesium_in_antacids_counts_and_blocks_more_magnesium():
    a = assess(case_from_dict({"person": {"age": 60, "sex": "female"},
                               "medications": ["milk of magnesia 30 ml daily"],
                               "diary": {"2026-11-20": ["1 cup cooked white rice"]}}))
    # milk of magnesia: 400 mg Mg(OH)2 per 5 ml (label) = ~167 mg Mg per 5 ml -> ~1,000 mg/day
    assert a.intake.from_supplements["magnesium_mg"] == pytest.approx(1000, rel=0.01)
    result = a.to_dict()
    assert any(f["topic"] == "supplement_safety" and f["severity"] == "high"
               and f.get("ul") == 350 for f in result["findings"])
    plan = plan_for_assessment(a)
    assert not any(s.mineral == "magnesium" for s in plan.supplements)


def test_unreadable_supplement_means_no_mineral_supplement_is_proposed():
    a = run(supplements=["multivitamin"], diary={"2026-11-20": ["1 cup cooked white rice"]})
    plan = plan_for_assessment(a, max_kcal=0)
    assert not plan.supplements
    assert any("could not be counted" in n for n in plan.notes)


def test_prescription_strength_potassium_is_flagged():
    result = run(supplements=["potassium chloride 2000 mg"]).to_dict()
    assert any(f["topic"] == "supplement_safety" and f["severity"] == "moderate"
               and "99" in f["summary"] for f in result["findings"])


def test_no_diary_means_no_numbers_and_no_kidney_talk():
    a = run()
    plan = plan_for_assessment(a)
    assert plan.before == {} and not plan.unmet
    assert not any("kidney" in n for n in plan.notes)


def test_a_recently_started_journal_medicine_raises_the_red_flag(tmp_path):
    from crampcheck.journal import case_for_window, connect, store

    db = tmp_path / "j.db"
    conn = connect(db)
    store.set_profile(conn, "me", age=60, sex="male")
    store.add_listed(conn, "medicines", "me", "atorvastatin 40 mg", "2026-11-18")
    conn.commit()
    case = case_for_window(conn, "me", 7, end="2026-11-21")
    assert case.medications == ["atorvastatin 40 mg (started 2026-11-18)"]
    result = assess(case).to_dict()
    assert any(f.get("flag") == "cramps_with_new_medicine" for f in result["findings"])


def test_numb_anything_is_the_numbness_red_flag():
    result = run(symptoms=["numb toes"]).to_dict()
    assert result["findings"][0]["topic"] == "red_flag"


def test_quinine_for_cramps_is_warned_against():
    result = run(medications=["quinine sulfate 300 mg at night"]).to_dict()
    quinine = [f for f in result["findings"] if "quinine" in f["summary"]][0]
    assert quinine["severity"] == "high" and "FDA" in quinine["summary"]
    assert any("quinine" in r["text"] for r in result["recommendations"])


def test_very_high_ck_is_urgent():
    result = run(labs=[{"test": "CK", "value": 5000, "unit": "U/L"}],
                 medications=["atorvastatin 40 mg"]).to_dict()
    ck = [f for f in result["findings"] if f.get("test") == "ck"][0]
    assert ck["severity"] == "urgent"
