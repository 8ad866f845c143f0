from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampcheck.intake.amounts import parse_amount
from crampcheck.intake.units import canonical_unit, to_grams, to_milliliters


@pytest.mark.parametrize(
    "text,quantity,unit,size,food",
    [
        ("1 cup cooked spinach", 1.0, "cup", None, "cooked spinach"),
        ("1/2 cup yogurt", 0.5, "cup", None, "yogurt"),
        ("1 1/2 cups black beans", 1.5, "cup", None, "black beans"),
        ("½ avocado", 0.5, None, None, "avocado"),
        ("1½ cups milk", 1.5, "cup", None, "milk"),
        ("two large eggs", 2.0, None, "large", "eggs"),
        ("an apple", 1.0, None, None, "apple"),
        ("a banana", 1.0, None, None, "banana"),
        ("half a cup of oats", 0.5, "cup", None, "oats"),
        ("one and a half cups rice", 1.5, "cup", None, "rice"),
        ("1 and a half cups rice", 1.5, "cup", None, "rice"),
        ("2.5 oz almonds", 2.5, "oz", None, "almonds"),
        ("100g oats", 100.0, "g", None, "oats"),
        ("0.25 kg potatoes", 0.25, "kg", None, "potatoes"),
        ("1 lb salmon", 1.0, "lb", None, "salmon"),
        ("250 ml milk", 250.0, "ml", None, "milk"),
        ("1 l water", 1.0, "l", None, "water"),
        ("1 Tbsp olive oil", 1.0, "tbsp", None, "olive oil"),
        ("2 tablespoons tahini", 2.0, "tbsp", None, "tahini"),
        ("1 tsp honey", 1.0, "tsp", None, "honey"),
        ("8 fl oz orange juice", 8.0, "fl oz", None, "orange juice"),
        ("1 pint milk", 1.0, "pint", None, "milk"),
        ("2 slices whole wheat bread", 2.0, "slice", None, "whole wheat bread"),
        ("3 pieces chicken", 3.0, "piece", None, "chicken"),
        ("1 can sardines", 1.0, "can", None, "sardines"),
        ("2 cloves garlic", 2.0, "clove", None, "garlic"),
        ("a pinch of salt", 1.0, "pinch", None, "salt"),
        ("1 medium potato", 1.0, None, "medium", "potato"),
        ("1 small banana", 1.0, None, "small", "banana"),
        ("salmon, 3 oz", 3.0, "oz", None, "salmon"),
        ("oats 40g", 40.0, "g", None, "oats"),
        ("eggs, large", 1.0, None, "large", "eggs"),
    ],
)
def test_parse_amount(text, quantity, unit, size, food):
    parsed = parse_amount(text)
    assert parsed.quantity == pytest.approx(quantity)
    assert parsed.unit == unit
    assert parsed.size == size
    assert parsed.food_text == food


def test_range_takes_middle_and_says_so():
    parsed = parse_amount("2-3 tbsp tahini")
    assert parsed.quantity == 2.5
    assert parsed.unit == "tbsp"
    assert parsed.notes and "middle" in parsed.notes[0]


def test_no_amount_is_flagged():
    parsed = parse_amount("spinach")
    assert not parsed.quantity_given
    assert parsed.food_text == "spinach"


def test_unit_aliases_and_pint_conversions():
    assert canonical_unit("Tbsp") == "tbsp"
    assert canonical_unit("T") == "tbsp"
    assert canonical_unit("t") == "tsp"
    assert canonical_unit("ounces") == "oz"
    assert canonical_unit("slices") == "slice"
    assert canonical_unit("spinach") is None
    # US customary: 1 cup = 8 US fl oz = 236.5882365 ml; 1 oz = 28.349523125 g (NIST HB 44)
    assert to_milliliters(1, "cup") == pytest.approx(236.5882365)
    assert to_milliliters(3, "tsp") == pytest.approx(to_milliliters(1, "tbsp"))
    assert to_grams(1, "lb") == pytest.approx(453.59237)
    assert to_grams(2, "oz") == pytest.approx(56.69904625)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_parser_never_crashes(text):
    parsed = parse_amount(text)
    assert isinstance(parsed.food_text, str)
    assert parsed.quantity == parsed.quantity  # not NaN


# --- amounts in odd places (issue 11, round 3) ----------------------------------------------

@pytest.mark.parametrize("text, quantity, unit, size, food", [
    ("eggs x2", 2, None, None, "eggs"),
    ("x3 eggs", 3, None, None, "eggs"),
    ("weetabix x 2", 2, None, None, "weetabix"),
    ("2 x 100g yoghurt", 200, "g", None, "yoghurt"),
    ("~200g greek yoghurt", 200, "g", None, "greek yoghurt"),
    ("approx 1 cup rice", 1, "cup", None, "rice"),
    ("chicken breast (about 150 g)", 150, "g", None, "chicken breast"),
    ("banana (1 large)", 1, None, "large", "banana"),
    ("apple, 1 medium", 1, None, "medium", "apple"),
    ("almonds - about 20", 20, None, None, "almonds"),
    ("a packet of crisps (25g)", 25, "g", None, "crisps"),
    ("3 oz tuna (canned)", 3, "oz", None, "tuna canned"),
])
def test_amounts_in_odd_places(text, quantity, unit, size, food):
    p = parse_amount(text)
    assert p.quantity_given
    assert p.quantity == pytest.approx(quantity)
    assert (p.unit, p.size, p.food_text) == (unit, size, food)
