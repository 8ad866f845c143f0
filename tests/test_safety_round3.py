"""Issue 9, round 3: the problems the second clinical-pharmacist review found, each tested from
its source with the case where the rule must stay quiet.

Sources (ids in knowledge/data/sources*.toml): FDA 2010 and MHRA 2010 (quinine: bleeding means
stop it and check the platelets); NICE CG100 and CG32 (alcohol withdrawal in the first days,
thiamine first); Lipitor/Zocor labels §5.1 (myopathy: check CK, stop the statin); lithium label
§7 and NICE CG185 (no over-the-counter NSAIDs with lithium); NIH ODS vitamin D (the UL is not
for people under medical care); FDA 2011 and MHRA 2012 (PPIs and low magnesium); Lanoxin label
(low K/Mg with digoxin); NICE CKS hyponatraemia (bands); KDIGO 2024 (potassium restriction is
individualised); NIH ODS magnesium (diarrhoea from supplements); NICE NG106 (kidney monitoring in
heart failure); NICE NG133 (sodium in chronic hypertension in pregnancy); NICE CKS leg cramps
(stretching first).
"""

from __future__ import annotations

import pytest

from crampcheck.knowledge.red_flags import days_ago
from safety_cases import flags, run, texts


def recs(d, kind=None):
    return [r for r in d["recommendations"] if kind is None or r["kind"] == kind]


# ------------------------------------------------------------------- 1. quinine and bleeding
# FDA 2010 / MHRA 2010: thrombocytopenia with quinine; stop it and check the blood count.

@pytest.mark.parametrize("symptom", ["nosebleeds", "bruising easily and nosebleeds this month",
                                     "my gums bleed", "tiny red spots on my legs"])
def test_bleeding_on_quinine_is_urgent_and_stops_the_plan(symptom):
    d, plan = run(medications=["quinine sulfate 300 mg at night"], symptoms=[symptom])
    assert flags(d).get("quinine_bleeding") == "urgent"
    assert d["safety"]["plan"] == "stopped" and plan.stopped and not plan.additions
    assert "Stop taking quinine now" in texts(d) and "blood count" in texts(d)
    assert d["unrecognized"]["symptoms"] == []


def test_bleeding_without_quinine_and_quinine_without_bleeding_stay_quiet():
    d, _ = run(symptoms=["nosebleeds"])
    assert "quinine_bleeding" not in flags(d)
    d, _ = run(medications=["quinine sulfate 300 mg at night"], symptoms=["no bruising"])
    assert "quinine_bleeding" not in flags(d) and d["safety"]["plan"] == "allowed"


def test_ringing_ears_on_quinine_is_read():
    d, _ = run(medications=["quinine 300 mg nocte"], symptoms=["ringing in ears"])
    assert flags(d).get("quinine_cinchonism") == "high"
    assert d["unrecognized"]["symptoms"] == []


# ------------------------------------------------------------------- 2. alcohol withdrawal
# NICE CG100: withdrawal in the first days after a dependent drinker stops; thiamine before food.

@pytest.mark.parametrize("text,days", [("stopped drinking 3 days ago", 3.0), ("yesterday", 1.0),
                                       ("48 hours ago", 2.0), ("two weeks ago", 14.0),
                                       ("stopped drinking", None)])
def test_days_ago(text, days):
    assert days_ago(text) == days


def test_recent_stop_with_dependence_is_urgent_with_thiamine():
    d, plan = run(conditions=["alcohol dependence"], symptoms=["stopped drinking 3 days ago"])
    assert flags(d).get("alcohol_withdrawal_recent_stop") == "urgent"
    assert plan.stopped and "Thiamine" in texts(d)


def test_stop_weeks_ago_is_not_withdrawal():
    d, _ = run(conditions=["alcohol dependence"], symptoms=["stopped drinking 3 weeks ago"])
    assert "alcohol_withdrawal_recent_stop" not in flags(d)
    assert "alcohol_stop_check" not in flags(d)


def test_recent_stop_without_heavy_drinking_is_a_check_not_an_emergency():
    d, _ = run(symptoms=["stopped drinking 2 days ago"])
    assert flags(d) == {"alcohol_stop_check": "high"}
    assert d["safety"]["plan"] == "allowed"


# ------------------------------------------------------------------- 3. statin muscle pain
# Lipitor label: atorvastatin at most 20 mg with clarithromycin; myopathy: CK, stop the statin.

@pytest.mark.parametrize("symptom", ["aching thighs both sides since the antibiotic",
                                     "muscle pain in both thighs", "legs ache", "sore muscles"])
def test_muscle_pain_with_statin_over_its_interaction_limit_is_urgent(symptom):
    d, plan = run(medications=["atorvastatin 80 mg", "clarithromycin 500 mg twice daily"],
                  symptoms=[symptom])
    assert flags(d).get("statin_interaction_muscle_pain") == "urgent"
    assert "statin_muscle_pain" not in flags(d)  # the more precise flag replaces it
    assert plan.stopped and "CK" in texts(d)
    assert d["unrecognized"]["symptoms"] == []


def test_statin_within_the_label_limit_gives_the_ordinary_statin_flag():
    d, _ = run(medications=["atorvastatin 20 mg", "clarithromycin 500 mg twice daily"],
               symptoms=["muscle pain in both thighs"])
    assert flags(d).get("statin_muscle_pain") == "high"
    assert "statin_interaction_muscle_pain" not in flags(d)


def test_statin_and_clarithromycin_without_muscle_pain_stays_a_plain_interaction():
    d, _ = run(medications=["atorvastatin 80 mg", "clarithromycin 500 mg twice daily"])
    assert not {"statin_muscle_pain", "statin_interaction_muscle_pain"} & set(flags(d))
    assert d["safety"]["plan"] == "allowed"


# ------------------------------------------------------------------- 4. lithium and NSAIDs
# Lithium label §7, NICE CG185: NSAIDs raise lithium; avoid over-the-counter NSAIDs.

def test_lithium_with_ibuprofen_says_stop_the_ibuprofen():
    d, _ = run(medications=["lithium carbonate 400 mg twice daily",
                            "ibuprofen 400 mg three times a day"])
    stop = [r for r in recs(d) if r.get("action") == "stop"]
    assert stop and stop[0]["text"].startswith("Stop ibuprofen 400 mg three times a day now")
    assert "paracetamol" in stop[0]["text"]
    assert "do not stop either" not in texts(d)
    assert "do not stop lithium on your own" in texts(d)


def test_lithium_with_a_thiazide_only_stops_nothing():
    d, _ = run(medications=["lithium carbonate 400 mg twice daily", "bendroflumethiazide 2.5 mg"])
    assert not [r for r in recs(d) if r.get("action") == "stop"]
    assert "lithium blood level" in texts(d)


# ------------------------------------------------------------------- 5. prescribed + bought
# NIH ODS vitamin D: the UL does not apply to people treated by a clinician; the bought product
# is the one to stop.

def test_prescribed_course_plus_bought_d3_stops_the_bought_one():
    d, plan = run(medications=["ergocalciferol 50,000 IU weekly (prescribed)"],
                  supplements=["Vitamin D3 2000 IU"])
    stop = [r for r in recs(d, "supplement") if r.get("action") == "stop"]
    assert stop and stop[0]["text"].startswith("Stop Vitamin D3 2000 IU")
    assert "Keep taking ergocalciferol" in stop[0]["text"]
    assert not [r for r in recs(d) if r.get("action") == "reduce" and "ergocalciferol" in
                r["text"]]
    red = [r for r in d["safety"]["reductions"] if r["nutrient"] == "vitamin_d_ug"][0]
    assert red["products"] == ["Vitamin D3 2000 IU"]
    # 50,000 IU a week = 1,250 µg / 7 days stays; the bought 50 µg goes
    assert red["to"] == pytest.approx(1250 / 7, abs=0.01)


def test_prescribed_course_alone_is_not_cut():
    d, _ = run(medications=["ergocalciferol 50,000 IU weekly (prescribed)"])
    assert not [r for r in recs(d) if r.get("action") in ("stop", "reduce")]
    assert "do not stop it on your own" in texts(d)


# ------------------------------------------------------------------- 6. medicine-made lows
# FDA 2011 / MHRA 2012: PPI hypomagnesaemia; Merck: magnesium first; every result with a time.

PPI_LABS = [{"test": "magnesium", "value": 0.55, "unit": "mmol/L"},
            {"test": "potassium", "value": 3.3, "unit": "mmol/L"},
            {"test": "calcium", "value": 8.1, "unit": "mg/dL"},
            {"test": "albumin", "value": 4.0, "unit": "g/dL"}]


def test_ppi_low_magnesium_is_tied_to_the_ppi_with_a_timeframe():
    d, _ = run(medications=["omeprazole 40 mg daily for 6 years"], labs=PPI_LABS)
    tie = [f for f in d["findings"] if f.get("rule") == "drug_induced_low"
           and f["test"] == "magnesium"]
    assert tie and "omeprazole" in tie[0]["summary"]
    assert {"fda_ppi_mg_2011", "mhra_ppi_hypomagnesaemia_2012"} <= {
        e["source"] for e in tie[0]["evidence"]}
    assert any(f.get("rule") == "magnesium_first" for f in d["findings"])
    assert "Discuss your" not in texts(d)
    mg = [r["text"] for r in recs(d) if r["text"].startswith("Your magnesium is")]
    assert mg and "within a few days" in mg[0] and "review omeprazole" in mg[0]


def test_low_magnesium_without_a_lowering_medicine_is_not_tied():
    d, _ = run(labs=[{"test": "magnesium", "value": 0.72, "unit": "mmol/L"}])
    assert not [f for f in d["findings"] if f.get("rule") == "drug_induced_low"]
    assert "within 1-2 weeks" in texts(d)


def test_low_calcium_cites_low_calcium_sources_only():
    d, _ = run(labs=PPI_LABS[2:])
    ca = [f for f in d["findings"] if f.get("test") == "calcium_total"][0]
    sources = {e["source"] for e in ca["evidence"]}
    assert "merck_hypocalcemia" in sources and "nice_cks_hypercalcaemia" not in sources


# ------------------------------------------------------------------- 7. digoxin
# Lanoxin label: hypokalaemia and hypomagnesaemia sensitise to digoxin.

def test_digoxin_names_every_diuretic_and_says_today():
    d, _ = run(age=78, sex="female",
               medications=["digoxin 125 micrograms daily", "furosemide 40 mg daily",
                            "bendroflumethiazide 2.5 mg daily"],
               labs=[{"test": "potassium", "value": 3.1, "unit": "mmol/L"},
                     {"test": "magnesium", "value": 0.62, "unit": "mmol/L"}])
    dig = [f for f in d["findings"] if f.get("rule") == "digoxin_low_minerals"][0]
    assert dig["severity"] == "high"
    assert "furosemide" in dig["summary"] and "bendroflumethiazide" in dig["summary"]
    inter = [f for f in d["findings"] if f.get("interaction") == "digoxin_loop_thiazide"][0]
    assert len(inter["drugs"]) == 3
    assert "today (same day)" in texts(d)


def test_digoxin_with_potassium_under_3_is_urgent_and_normal_results_are_quiet():
    d, _ = run(medications=["digoxin 125 micrograms daily", "furosemide 40 mg daily"],
               labs=[{"test": "potassium", "value": 2.9, "unit": "mmol/L"}])
    assert [f for f in d["findings"] if f.get("rule") == "digoxin_low_minerals"][0][
        "severity"] == "urgent"
    d, _ = run(medications=["digoxin 125 micrograms daily", "furosemide 40 mg daily"],
               labs=[{"test": "potassium", "value": 4.2, "unit": "mmol/L"}])
    assert not [f for f in d["findings"] if f.get("rule") == "digoxin_low_minerals"]


# ------------------------------------------------------------------- 8. older adult on a loop
# NICE CKS hyponatraemia bands; NICE NG249 / NHS (postural dizziness); KDIGO 2024 (potassium).

def test_postural_dizziness_is_read_and_tied_to_the_diuretic():
    d, _ = run(age=85, sex="female", medications=["furosemide 80 mg each morning"],
               symptoms=["dizzy when standing up"])
    f = [f for f in d["findings"] if f.get("symptom") == "postural_dizziness"][0]
    assert f["severity"] == "moderate" and "furosemide" in f["summary"]
    assert d["unrecognized"]["symptoms"] == []


@pytest.mark.parametrize("na,severity,words", [(131, "moderate", "mildly low"),
                                               (127, "high", "moderately low"),
                                               (122, "urgent", None)])
def test_sodium_banded_as_nice_cks(na, severity, words):
    d, _ = run(labs=[{"test": "sodium", "value": na, "unit": "mmol/L"}])
    f = [f for f in d["findings"] if f.get("test") == "sodium"][0]
    assert f["severity"] == severity
    if words:
        assert f"Your sodium is {words}" in texts(d)


def test_low_potassium_releases_the_ckd3_food_block_without_a_raising_drug():
    labs = [{"test": "potassium", "value": 3.3, "unit": "mmol/L"},
            {"test": "egfr", "value": 40, "unit": "mL/min/1.73m2"}]
    d, _ = run(age=80, medications=["furosemide 40 mg"], labs=labs)
    k = [b for b in d["safety"]["blocked"] if b["nutrient"] == "potassium"]
    assert k and all(b["scope"] == "supplements" for b in k)
    assert any(f.get("rule") == "low_potassium_keeps_foods" and "not blocked" in f["summary"]
               for f in d["findings"])


def test_low_potassium_keeps_the_block_with_an_ace_inhibitor_or_egfr_under_30():
    labs = [{"test": "potassium", "value": 3.3, "unit": "mmol/L"},
            {"test": "egfr", "value": 40, "unit": "mL/min/1.73m2"}]
    d, _ = run(age=80, medications=["furosemide 40 mg", "ramipril 2.5 mg"], labs=labs)
    assert any(b["nutrient"] == "potassium" and b["scope"] == "foods_and_supplements"
               for b in d["safety"]["blocked"])
    why = [f for f in d["findings"] if f.get("rule") == "low_potassium_keeps_foods"][0]
    assert "ramipril" in why["summary"]
    labs[1]["value"] = 25
    d, _ = run(age=80, medications=["furosemide 40 mg"], labs=labs)
    assert any(b["nutrient"] == "potassium" and b["scope"] == "foods_and_supplements"
               for b in d["safety"]["blocked"])


# ------------------------------------------------------------------- 9. magnesium and stools
# NIH ODS magnesium: diarrhoea from oxide, citrate, carbonate, chloride.

def test_magnesium_oxide_with_loose_stools_gets_the_diarrhoea_advice_and_no_new_medicine_flag():
    d, _ = run(age=40, sex="female", supplements=["magnesium oxide 400 mg twice daily"],
               symptoms=["loose stools since I started the magnesium"])
    assert "cramps_with_new_medicine" not in flags(d)
    reduce = [r for r in recs(d, "supplement") if r.get("action") == "reduce"]
    assert len(reduce) == 1 and "laxative form" in reduce[0]["text"]
    assert d["unrecognized"]["symptoms"] == []


def test_a_new_prescribed_medicine_still_raises_the_new_medicine_flag():
    d, _ = run(medications=["bendroflumethiazide 2.5 mg"],
               symptoms=["cramps since I started the new tablets"])
    assert "cramps_with_new_medicine" in flags(d)


# ------------------------------------------------------------------- 10. kidney function unknown
# NICE NG106 (renal monitoring on MRA/ARNI), NIH ODS magnesium (renal impairment).

def test_heart_failure_without_a_kidney_result_gets_no_magnesium_supplement():
    d, plan = run(age=74, conditions=["heart failure"],
                  medications=["Entresto 49/51 mg twice daily", "spironolactone 25 mg"])
    assert {"magnesium", "potassium"} <= {b["nutrient"] for b in d["safety"]["blocked"]
                                          if b["rule"] == "kidney_function_unknown"}
    assert not [s for s in plan.supplements if "magnesium" in str(s).lower()]
    assert "eGFR or creatinine" in texts(d)


def test_a_kidney_result_lifts_the_unknown_kidney_block():
    d, _ = run(age=74, conditions=["heart failure"], medications=["spironolactone 25 mg"],
               labs=[{"test": "egfr", "value": 75, "unit": "mL/min/1.73m2"}])
    assert not [b for b in d["safety"]["blocked"] if b["rule"] == "kidney_function_unknown"]


# ------------------------------------------------------------------- lower-risk items

def test_raised_bp_in_early_pregnancy_adds_no_salted_food():
    d, plan = run(age=32, sex="female", person={"pregnant": True},
                  medications=["labetalol 100 mg twice daily"],
                  symptoms=["BP 145/92 at 12 weeks"])
    assert d["safety"]["constraints"]["sodium_cap_mg"] == pytest.approx(
        d["intake"]["daily_mean"]["sodium_mg"], abs=0.5)
    assert plan.after["sodium_mg"] - plan.before["sodium_mg"] <= 140.0 + 1e-6


def test_normal_bp_in_pregnancy_keeps_the_ordinary_sodium_limit():
    d, _ = run(age=32, sex="female", person={"pregnant": True}, symptoms=["BP 118/74"])
    assert "sodium_cap_mg" not in d["safety"]["constraints"]


def test_unused_lab_without_unit_is_left_out_not_fatal():
    d, _ = run(labs=[{"test": "TSH", "value": 0.01},
                     {"test": "potassium", "value": 3.6}])
    assert any("TSH" in f["summary"] and "left out" in f["summary"] for f in d["findings"])
    assert any(f.get("test") == "potassium" for f in d["findings"])


def test_folic_acid_is_read_and_does_not_block_vitamin_d():
    d, _ = run(supplements=["folic acid 400 mcg"])
    assert d["unrecognized"]["supplements"] == []
    assert any(f.get("rule") == "untracked_single_nutrients" for f in d["findings"])
    d, _ = run(supplements=["prenatal multivitamin 1 tablet"])
    assert d["unrecognized"]["supplements"] == ["prenatal multivitamin 1 tablet"]


def test_no_redness_or_warmth_in_either_leg_is_absent():
    d, _ = run(symptoms=["no redness or warmth in either leg"])
    assert d["unrecognized"]["symptoms"] == [] and not flags(d)


def test_stretching_first_for_ordinary_cramps_not_with_a_red_flag():
    d, _ = run()
    assert any("calf stretches" in r["text"] for r in recs(d, "lifestyle"))
    d, _ = run(symptoms=["chest pain"])
    assert not any("calf stretches" in r["text"] for r in recs(d))


def test_no_known_effect_cites_no_name_dictionary_and_stand_in_labels_are_said():
    d, _ = run(medications=["paracetamol 1 g qds", "naproxen 250 mg twice daily"])
    para = [f for f in d["findings"] if f.get("drug") == "paracetamol 1 g qds"][0]
    assert para["evidence"] == []
    nap = [f for f in d["findings"] if f.get("drug") == "naproxen 250 mg twice daily"][0]
    assert "the ibuprofen label stands for naproxen" in nap["detail"]
