"""Issue 9, round 4: the problems the third clinical-pharmacist review found, each tested from
its source with the case where the rule must stay quiet.

Sources (ids in knowledge/data/sources*.toml): Jardiance label §5.1, MHRA Drug Safety Update
2016 and 2020, NICE NG28 (SGLT2 inhibitors: ketoacidosis with a normal glucose; sick-day rules).
"""

from __future__ import annotations

import pytest

from safety_cases import flags, run, texts

# ------------------------------------------------------------------- 1. SGLT2 and ketoacidosis
# Jardiance label 5.1 / MHRA DSU 2016, 2020 / NICE NG28: ketoacidosis even with a normal glucose;
# nausea, vomiting, abdominal pain, fast breathing or poor intake -> check the same day, pause.

@pytest.mark.parametrize("med", ["Jardiance 25 mg", "dapagliflozin 10 mg", "Invokana 100 mg"])
@pytest.mark.parametrize("symptom", ["feeling sick and being sick since yesterday", "tummy pain",
                                     "breathing fast and deep", "eating hardly anything this week"])
def test_sglt2_with_ketoacidosis_signs_is_urgent_with_sick_day_rules(med, symptom):
    d, plan = run(medications=[med, "metformin 1 g twice daily"], symptoms=[symptom])
    assert flags(d).get("sglt2_ketoacidosis_signs") == "urgent"
    assert d["safety"]["plan"] == "stopped" and plan.stopped and not plan.additions
    t = texts(d)
    assert "ketone" in t and "SGLT2 inhibitor (or metformin)" in t
    assert d["unrecognized"]["symptoms"] == []


def test_sglt2_alone_or_with_plain_cramps_stays_quiet():
    d, plan = run(medications=["Jardiance 10 mg"])
    assert "sglt2_ketoacidosis_signs" not in flags(d) and d["safety"]["plan"] == "allowed"
    d, _ = run(medications=["Jardiance 10 mg"], symptoms=["calf cramps at night"])
    assert "sglt2_ketoacidosis_signs" not in flags(d)
    d, _ = run(medications=["Jardiance 10 mg"], symptoms=["no nausea", "not short of breath"])
    assert "sglt2_ketoacidosis_signs" not in flags(d)


def test_vomiting_without_an_sglt2_inhibitor_is_not_ketoacidosis():
    d, _ = run(medications=["metformin 500 mg"], symptoms=["being sick since yesterday"])
    assert "sglt2_ketoacidosis_signs" not in flags(d)


# ------------------------------------------------------------------- 2. negated symptom lines
# A symptom said to be absent is not "could not read ... see a clinician" (NICE CKS leg cramps:
# the red flags asked about and denied are part of the history).

@pytest.mark.parametrize("line", ["no dizziness", "No other symptoms.", "nothing else",
                                  "denies dizziness", "no nausea or vomiting", "none"])
def test_negated_lines_are_noted_absent_not_unreadable(line):
    d, plan = run(age=35, sex="female", symptoms=[line])
    assert d["unrecognized"]["symptoms"] == []
    assert not [f for f in d["findings"] if f.get("symptom") == "unreadable"]
    assert [f for f in d["findings"] if f.get("symptom") == "absent"]
    assert "see a clinician rather than relying" not in texts(d)
    assert d["safety"]["plan"] == "allowed"


@pytest.mark.parametrize("line", ["no dizziness but my foot feels strange", "no feeling in my foot",
                                  "foot feels strange"])
def test_lines_with_an_unread_positive_part_stay_unreadable(line):
    d, _ = run(age=35, sex="female", symptoms=[line])
    assert d["unrecognized"]["symptoms"] == [line]
    assert [f for f in d["findings"] if f.get("symptom") == "unreadable"]


@pytest.mark.parametrize("line", ["no appetite", "not eating", "not hungry"])
def test_a_phrase_that_is_itself_negative_is_not_read_as_absent(line):
    d, _ = run(age=35, sex="female", symptoms=[line])
    assert not [f for f in d["findings"] if f.get("symptom") == "absent"]


# ------------------------------------------------------------------- 3. conditions read
# Merck (myasthenia gravis) and the magnesium sulfate label: magnesium can worsen myasthenic
# weakness. HCTZ label / NICE CKS gout: thiazides raise urate.

def caution(d, rule):
    return [f for f in d["findings"] if f.get("rule") == rule]


@pytest.mark.parametrize("product", [{"supplements": ["Magnesium (as glycinate) 300 mg"]},
                                     {"medications": ["milk of magnesia 30 ml at night"]}])
def test_magnesium_with_myasthenia_is_high_and_no_magnesium_is_proposed(product):
    d, plan = run(age=40, sex="female", conditions=["myasthenia gravis"],
                  **{"medications": ["pyridostigmine 60 mg four times a day"], **product})
    [f] = caution(d, "myasthenia_magnesium")
    assert f["severity"] == "high" and "neurologist" in texts(d)
    assert d["unrecognized"]["conditions"] == []
    assert not [s for s in plan.supplements if "magnesium" in str(s).lower()]


def test_myasthenia_without_magnesium_has_no_magnesium_caution():
    d, plan = run(age=40, sex="female", conditions=["myasthenia gravis"])
    assert not caution(d, "myasthenia_magnesium")
    assert d["unrecognized"]["conditions"] == []
    assert not [s for s in plan.supplements if "magnesium" in str(s).lower()]


def test_magnesium_without_myasthenia_has_no_caution():
    d, _ = run(age=40, sex="female", supplements=["Magnesium (as glycinate) 300 mg"])
    assert not caution(d, "myasthenia_magnesium")


@pytest.mark.parametrize("text", ["gout", "osteoporosis", "kidney transplant 2023"])
def test_gout_osteoporosis_and_transplant_are_recognised(text):
    d, _ = run(conditions=[text])
    assert d["unrecognized"]["conditions"] == []


def test_thiazide_with_gout_asks_the_prescriber_and_stays_quiet_without_either():
    d, _ = run(conditions=["gout"], medications=["hydrochlorothiazide 25 mg"])
    [f] = caution(d, "gout_thiazide")
    assert f["severity"] == "info" and "uric acid" in f["summary"]
    d, _ = run(conditions=["gout"], medications=["amlodipine 5 mg"])
    assert not caution(d, "gout_thiazide")
    d, _ = run(medications=["hydrochlorothiazide 25 mg"])
    assert not caution(d, "gout_thiazide")


# ------------------------------------------------------------------- 4. calcium cut toward the RDA
# NIH ODS calcium: RDA 1,200 mg (women 51-70), UL 2,000 mg; supplemental calcium beyond need adds
# kidney-stone risk. A cut aims at the RDA minus food, with the UL named as the ceiling.

DAIRY = {"2026-11-25": ["2 cups 2% milk", "1 cup plain yogurt", "1 oz cheddar cheese",
                        "1 cup cooked white rice"]}


def calcium_cut(d):
    return [r for r in d["safety"]["reductions"] if r["nutrient"] == "calcium_mg"]


def test_calcium_over_the_ul_is_cut_toward_the_rda_not_only_under_the_ul():
    d, _ = run(age=63, sex="female", diary=DAIRY,
               supplements=["Calcium 1500 mg daily (elemental, as carbonate)"])
    f = next(f for f in d["findings"] if f["topic"] == "supplement_safety"
             and f.get("nutrient") == "calcium_mg" and f.get("ul"))
    food = f["amount"] - 1500
    rda = 1200  # NIH ODS, women 51-70
    [cut] = calcium_cut(d)
    assert cut["to"] <= max(rda - food, 0) + 1e-6 and cut["to"] < 2000 - food
    rec = next(r for r in d["recommendations"] if r["kind"] == "supplement"
               and "Calcium 1500" in r["text"])
    assert "RDA of 1200 mg" in rec["text"] and "upper limit of 2000 mg" in rec["text"]


def test_calcium_is_stopped_when_food_alone_reaches_the_rda():
    diary = {"2026-11-25": ["4 cups 2% milk", "2 oz cheddar cheese", "1 cup plain yogurt"]}
    d, _ = run(age=63, sex="female", diary=diary, supplements=["Calcium 1200 mg daily"])
    [cut] = calcium_cut(d)
    assert cut["to"] == 0
    assert any(r["text"].startswith("Stop calcium from Calcium 1200 mg")
               for r in d["recommendations"])


def test_calcium_under_the_ul_gets_no_ul_cut():
    d, _ = run(age=63, sex="female", supplements=["Calcium 600 mg daily"])
    assert not [r for r in calcium_cut(d) if r["rule"] == "otc_over_ul"]


# ------------------------------------------------------------------- 5. ciprofloxacin and dairy
# Cipro label (2.x, 7): 2 h before / 6 h after polyvalent cations; not with dairy products or
# calcium-fortified juice alone.

def test_ciprofloxacin_spacing_names_dairy_and_fortified_juice():
    d, _ = run(medications=["ciprofloxacin 500 mg twice daily for 3 days"],
               supplements=["Tums Extra Strength 750 mg after meals"])
    t = texts(d)
    assert "2 hours before, or 6 hours after" in t
    assert "dairy" in t and "calcium-fortified juice" in t


def test_levofloxacin_keeps_its_own_label_spacing_without_the_cipro_dairy_text():
    d, _ = run(medications=["levofloxacin 500 mg daily"],
               supplements=["Tums Extra Strength 750 mg after meals"])
    t = texts(d)
    assert "2 hours before or 2 hours after" in t and "calcium-fortified juice" not in t
