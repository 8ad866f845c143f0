"""Condition knowledge base: data integrity, safety stops and free-text matching."""

from __future__ import annotations

import pytest

from crampcheck.knowledge import validate
from crampcheck.knowledge.conditions import (
    all_conditions,
    get_condition,
    match_condition,
    match_conditions,
    stopped_supplements,
)


def test_file_validates():
    assert validate("conditions") == []
    assert len(all_conditions()) >= 18


def test_kidney_disease_stops_magnesium_and_potassium_and_refers():
    ckd = get_condition("chronic_kidney_disease")
    assert ckd.refer
    assert ckd.stops_supplement("magnesium") and ckd.stops_supplement("potassium")
    dialysis = get_condition("dialysis")
    assert {"magnesium", "potassium"} <= set(dialysis.stops)


@pytest.mark.parametrize(
    ("text", "condition_id"),
    [
        ("crohn's disease", "crohns_disease"),
        ("Crohns", "crohns_disease"),
        ("CKD stage 3", "chronic_kidney_disease"),
        ("ckd3a", "chronic_kidney_disease"),
        ("ESRD on haemodialysis", "dialysis"),
        ("T2DM", "type_2_diabetes"),
        ("sugar diabetes", "diabetes_unspecified"),
        ("celiac", "coeliac_disease"),
        ("IBD", "inflammatory_bowel_disease"),
        ("UC", "ulcerative_colitis"),
        ("gastric bypass in 2015", "bariatric_surgery"),
        ("alcoholism", "alcohol_use_disorder"),
        ("underactive thyroid", "hypothyroidism"),
        ("primary hyperparathyroidism", "hyperparathyroidism"),
        ("hypoparathyroidism after thyroid surgery", "hypoparathyroidism"),
        ("cirrhosis", "liver_cirrhosis"),
        ("PAD", "peripheral_artery_disease"),
        ("pregnant, 30 weeks", "pregnancy"),
        ("congestive heart failure", "heart_failure"),
        ("chronic diarrhea", "chronic_diarrhoea"),
        ("short bowel syndrome", "short_bowel"),
    ],
)
def test_synonyms(text, condition_id):
    match = match_condition(text)
    assert match is not None
    assert match.condition.id == condition_id
    assert match.citations


def test_misspelled_condition():
    match = match_condition("cirosis of the liver")
    assert match is not None and match.condition.id == "liver_cirrhosis"
    match = match_condition("ceoliac disease")
    assert match is not None and match.condition.id == "coeliac_disease" and match.fuzzy


def test_several_conditions_in_one_text_and_stops():
    matches = match_conditions("Crohn's disease and CKD stage 3")
    assert [m.condition.id for m in matches] == ["crohns_disease", "chronic_kidney_disease"]
    stops = stopped_supplements(["Crohn's disease", "CKD stage 3"])
    assert set(stops) == {"magnesium", "potassium"}
    assert stops["magnesium"][0].id == "chronic_kidney_disease"


def test_effects_are_typed():
    crohns = get_condition("crohns_disease")
    assert crohns.stops == ()
    assert "magnesium" in crohns.affects()
    assert all(e.direction in ("lower", "raise") for e in crohns.effects)
    assert get_condition("hyperparathyroidism").effects[0].direction == "raise"


@pytest.mark.parametrize("text", ["", "xyzzy", "hay fever", "bunions", "feeling thirsty"])
def test_unknown_is_none(text):
    assert match_condition(text) is None
