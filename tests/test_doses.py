"""The one dose grammar (knowledge/doses.py) shared by supplements and medicines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampcheck.intake.supplements import parse_supplement
from crampcheck.knowledge import doses
from crampcheck.knowledge.doses import (
    find_amounts,
    find_count,
    find_frequency,
    iu_to_ug,
    meq_to_mg,
    mg_to_meq,
    number,
    prepare,
    read_dose,
    ug_to_iu,
)
from crampcheck.knowledge.medicines import match_medication, read_minerals


@pytest.mark.parametrize(
    ("text", "per_day"),
    [("once a day", 1), ("once daily", 1), ("daily", 1), ("every morning", 1), ("at night", 1),
     ("nocte", 1), ("mane", 1), ("od", 1), ("qd", 1), ("twice a day", 2), ("twice daily", 2),
     ("bd", 2), ("bid", 2), ("b.i.d.", 2), ("morning and night", 2), ("three times a day", 3),
     ("3 times daily", 3), ("3x/day", 3), ("tds", 3), ("tid", 3), ("with meals", 3),
     ("four times a day", 4), ("4 times daily", 4), ("qds", 4), ("qid", 4), ("q.i.d.", 4),
     ("every 6 hours", 4), ("every 8 hours", 3), ("q12h", 2), ("every 12 hrs", 2),
     ("every other day", 0.5), ("alternate days", 0.5), ("every 3 days", 1 / 3),
     ("3 times a week", 3 / 7), ("twice a week", 2 / 7), ("5 days a week", 5 / 7),
     ("weekly", 1 / 7), ("once a week", 1 / 7), ("every 2 weeks", 1 / 14),
     ("monthly", 12 / 365), ("", 1)],
)
def test_frequencies(text, per_day):
    f = find_frequency(prepare(f"magnesium 100 mg {text}"))
    assert f.usual_per_day == pytest.approx(per_day)
    assert f.max_per_day == pytest.approx(per_day)
    assert f.written == bool(text)


def test_as_needed_usual_use_and_maximum():
    f = find_frequency(prepare("1 tablet as needed, up to 4 times a day"))
    assert f.as_needed and f.usual_per_day == 1 and f.max_per_day == 4
    f = find_frequency(prepare("2 puffs qds prn"))  # the written frequency is the most
    assert f.as_needed and f.usual_per_day == 1 and f.max_per_day == 4
    f = find_frequency(prepare("as needed, usually twice a week"))
    assert f.usual_per_day == pytest.approx(2 / 7)
    f = find_frequency(prepare("when needed"))
    assert f.as_needed and f.usual_per_day == 1 and f.max_per_day == 1
    notes = " ".join(f.notes())
    assert "no maximum given" in notes and "up to 4 times a day" in notes
    dose = read_dose("ibuprofen 200-400 mg every 4-6 hours as needed")
    assert dose.frequency.usual_per_day == 1 and dose.frequency.max_per_day == 6
    assert dose.amounts[0].value == 300 and dose.amounts[0].high == 400
    dose = read_dose("Tums 2 tablets as needed, max 8 tablets a day")
    assert dose.units_per_day() == (2, 8)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("2", 2), ("1.5", 1.5), (".5", 0.5), ("1,000", 1000), ("1/2", 0.5), ("1 1/2", 1.5),
     ("a", 1), ("an", 1), ("one", 1), ("twelve", 12), ("half", 0.5), ("half a", 0.5),
     ("a quarter", 0.25), ("one and a half", 1.5)],
)
def test_numbers(raw, value):
    assert number(raw) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "count", "high"),
    [("2 tablets", 2, 2), ("1/2 tab", 0.5, 0.5), ("half a tablet", 0.5, 0.5),
     ("1½ tabs", 1.5, 1.5), ("½ tablet", 0.5, 0.5), ("two capsules", 2, 2),
     ("1-2 tablets", 1.5, 2), ("1 to 2 caps", 1.5, 2), ("2 x", 2, 2), ("calcium 500 mg x 2", 2, 2),
     ("3 softgels", 3, 3), ("1 scoop", 1, 1), ("2 puffs", 2, 2), ("magnesium 400 mg", 1, 1)],
)
def test_counts(text, count, high):
    c = find_count(prepare(text))
    assert (c.value, c.high) == (pytest.approx(count), pytest.approx(high))


def test_a_products_strength_is_not_a_count():
    assert find_count(prepare("1 Mag-Ox 400 tablet"), strength=400).value == 1
    assert find_count(prepare("Mag-Ox 400 2 tablets"), strength=400).value == 2


def test_tablets_times_strength_is_counted_once():
    # "800 mg (two 400 mg tablets)": the total is stated, the parenthesis explains it
    r = parse_supplement("magnesium (as oxide) 800 mg (two 400 mg tablets)")
    assert r.contributions == {"magnesium_mg": 800.0}
    # alone, the parenthesis is the dose: 2 x 400 mg
    r = parse_supplement("magnesium (as oxide) (two 400 mg tablets)")
    assert r.contributions == {"magnesium_mg": 800.0}
    assert parse_supplement("2 x magnesium (as citrate) 100 mg").contributions == {
        "magnesium_mg": 200.0}


def test_units_iu_ug_meq_mmol():
    assert iu_to_ug(2000) == 50 and ug_to_iu(25) == 1000
    assert meq_to_mg(20) == pytest.approx(781.96)  # potassium 39.098 g/mol
    assert mg_to_meq(782) == pytest.approx(20, abs=0.01)
    assert doses.to_mg(10, "mmol", "magnesium") == pytest.approx(243.05)
    assert doses.to_mg(10, "meq", "magnesium") == pytest.approx(121.525)
    assert doses.to_mg(1, "g") == 1000 and doses.to_mg(500, "ug") == 0.5
    assert doses.to_mg(1000, "iu") is None
    a = find_amounts(prepare("Vitamin D3 1,000 IU and potassium 20 mEq"))
    assert [(x.value, x.unit) for x in a] == [(1000, "iu"), (20, "meq")]


def test_the_issue_examples_read_the_same_in_both_readers():
    # issue 10: "Magnesium (as glycinate) 100 mg four times a day" was counted as 100 mg/day
    r = parse_supplement("Magnesium (as glycinate) 100 mg four times a day")
    assert r.contributions == {"magnesium_mg": 400.0}
    for text, per_day in (("qid", 4), ("tds", 3), ("bd", 2), ("3 times a week", 3 / 7),
                          ("every other day", 0.5)):
        supp = parse_supplement(f"magnesium (as citrate) 100 mg {text}")
        assert supp.contributions["magnesium_mg"] == pytest.approx(100 * per_day)
        # the medicine reader: magnesium hydroxide 400 mg = 166.7 mg Mg per dose
        med_text = f"magnesium hydroxide 400 mg {text}"
        med = read_minerals(match_medication(med_text), med_text)
        assert med.amounts["magnesium_mg"] == pytest.approx(400 * 0.4168 * per_day, abs=0.2)


def test_as_needed_supplement_counts_usual_and_maximum():
    r = parse_supplement("magnesium (as citrate) 200 mg as needed, up to 3 times a day")
    assert r.contributions == {"magnesium_mg": 200.0}
    assert r.upper_contributions == {"magnesium_mg": 600.0}
    assert any("as needed" in a for a in r.assumptions)


# --------------------------------------------------------------------------------- properties

FREQUENCIES = {"once a day": 1, "twice a day": 2, "bd": 2, "tds": 3, "qds": 4, "qid": 4,
               "three times a day": 3, "four times a day": 4, "every other day": 0.5,
               "weekly": 1 / 7, "every 6 hours": 4, "3 times a week": 3 / 7, "": 1}


@settings(max_examples=150, deadline=None)
@given(mg=st.integers(min_value=1, max_value=500),
       count=st.sampled_from([1, 2, 3]),
       frequency=st.sampled_from(sorted(FREQUENCIES)))
def test_daily_amount_is_strength_times_count_times_frequency(mg, count, frequency):
    text = f"{count} x magnesium (as citrate) {mg} mg {frequency}".strip()
    r = parse_supplement(text)
    expected = mg * count * FREQUENCIES[frequency]
    assert r.contributions["magnesium_mg"] == pytest.approx(expected, rel=1e-6)
    assert r.upper_contributions["magnesium_mg"] >= r.contributions["magnesium_mg"] - 1e-9


@settings(max_examples=150, deadline=None)
@given(low=st.integers(min_value=1, max_value=400), extra=st.integers(min_value=1, max_value=400))
def test_a_range_counts_its_middle_for_intake_and_its_top_for_the_upper_limit(low, extra):
    high = low + extra
    r = parse_supplement(f"magnesium (as citrate) {low}-{high} mg")
    assert r.contributions["magnesium_mg"] == pytest.approx((low + high) / 2)
    assert r.upper_contributions["magnesium_mg"] == pytest.approx(high)


@settings(max_examples=150, deadline=None)
@given(mg=st.integers(min_value=10, max_value=1000),
       form=st.sampled_from(["oxide", "citrate", "glycinate", "chloride"]))
def test_compound_or_element_keeps_both_and_orders_them(mg, form):
    r = parse_supplement(f"magnesium {form} {mg} mg")
    low, high = r.contributions["magnesium_mg"], r.upper_contributions["magnesium_mg"]
    assert 0 < low < high == pytest.approx(mg)
    [reading] = r.readings
    assert reading["as_compound_mg"] == pytest.approx(low, abs=0.06)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_the_grammar_never_raises_and_never_goes_negative(text):
    dose = read_dose(text)
    usual, high = dose.units_per_day()
    assert 0 <= usual <= high
    assert dose.frequency.usual_per_day > 0
    assert dose.frequency.max_per_day >= dose.frequency.usual_per_day


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=1, max_value=8), d=st.integers(min_value=1, max_value=8))
def test_fractions(n, d):
    assert number(f"{n}/{d}") == pytest.approx(n / d)
    assert number(f"2 {n}/{d}") == pytest.approx(2 + n / d)


@settings(max_examples=100, deadline=None)
@given(iu=st.integers(min_value=1, max_value=100_000))
def test_vitamin_d_iu_round_trip(iu):
    assert ug_to_iu(iu_to_ug(iu)) == pytest.approx(iu)
    r = parse_supplement(f"vitamin D3 {iu} IU")
    assert r.contributions["vitamin_d_ug"] == pytest.approx(iu / 40)


@settings(max_examples=100, deadline=None)
@given(meq=st.integers(min_value=1, max_value=40))
def test_potassium_meq(meq):
    r = parse_supplement(f"potassium {meq} mEq")
    assert r.contributions["potassium_mg"] == pytest.approx(meq * 39.098)
