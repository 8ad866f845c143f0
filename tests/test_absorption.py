"""Calcium absorption fractions (Weaver, Proulx & Heaney 1999, Table 2) matched to USDA names."""

import pytest

from crampcheck.knowledge.absorption import calcium_absorption


@pytest.mark.parametrize(
    ("food", "fraction"),
    [
        ("Spinach, raw", 0.051),
        ("Kale, cooked, boiled, drained, without salt", 0.493),
        ("Cabbage, chinese (pak-choi), raw", 0.538),
        ("Broccoli, raw", 0.613),
        ("Milk, whole, 3.25% milkfat, with added vitamin D", 0.321),
        ("Nuts, almonds", 0.212),
        ("Seeds, sesame seed kernels, dried (decorticated)", 0.208),
        ("Tofu, raw, firm, prepared with calcium sulfate", 0.31),
        ("Beans, pinto, mature seeds, cooked, boiled, without salt", 0.267),
        ("Beans, kidney, red, mature seeds, cooked", 0.244),
        ("Cheese, cheddar", 0.321),
        ("Yogurt, plain, whole milk", 0.321),
        ("Amaranth leaves, raw", 0.0836),
    ],
)
def test_fractions(food, fraction):
    found = calcium_absorption(food)
    assert found is not None
    value, cites = found
    assert value == pytest.approx(fraction)
    assert cites[0].source_id == "weaver_1999_ca_absorption"


def test_spinach_absorbs_far_less_than_kale():
    assert calcium_absorption("Spinach, raw")[0] * 9 < calcium_absorption("Kale, raw")[0]


@pytest.mark.parametrize(
    "food",
    [
        "Beverages, almond milk, unsweetened",
        "Coconut milk",
        "Tofu, raw, regular",
        "Beans, snap, green, raw",
        "Cabbage, red, raw",
        "Orange juice, raw",
        "Chicken, broilers or fryers, breast",
    ],
)
def test_unmeasured_foods_return_none(food):
    assert calcium_absorption(food) is None
