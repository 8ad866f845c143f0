"""Counts of pieces, parts, packs and volumes of solids, weighed by USDA measures (issue 11).

Every expected weight is read from a named USDA household measure of the committed food table
(``usda(food id, label)``) times the count, so the test says which measure the answer must
come from; the food records are SR Legacy / SR24 / Foundation records of
``crampcheck/foods/data``.
"""

from __future__ import annotations

import pytest

from crampcheck.foods.store import default_store
from crampcheck.intake.amounts import parse_amount
from crampcheck.intake.grams import label_pieces, piece_of_kin, resolve_grams
from crampcheck.totals import nutrients


def food(fid: str):
    f = default_store().get(fid)
    assert f is not None, fid
    return f


def usda(fid: str, label: str) -> float:
    """Grams of one ``label`` of USDA food ``fid`` (the table stores grams per unit)."""
    hits = [p.grams for p in food(fid).portions if p.label == label]
    assert hits, (fid, label, [p.label for p in food(fid).portions])
    return hits[0]


def test_a_count_in_a_label_gives_one_piece():
    # SR24 12086 cashews, oil roasted: 'oz (18 kernels)' = 28.35 g for 18 kernels
    (piece,) = label_pieces(food("sr:12086"), set())
    assert piece.grams == pytest.approx(usda("sr:12086", "oz (18 kernels)") / 18)
    # a range of kernels is read as its middle: macadamias 'oz (10-12 kernels)'
    (mac,) = label_pieces(food("sr:12131"), set())
    assert mac.grams == pytest.approx(usda("sr:12131", "oz (10-12 kernels)") / 11)


def test_counted_pieces_never_take_a_cup_each():
    # SR24 12085 (dry roasted cashews) has a cup, a tbsp and an ounce but no piece
    g = resolve_grams(food("sr:12085"), 10, None, None, "cashews")
    assert g.measure_missing and g.method == "assumed"


def test_a_similar_food_lends_its_piece_and_the_note_says_which():
    g = piece_of_kin(food("sr:12085"), 10, None, None, "cashews", [food("sr:12086")])
    assert g is not None and g.method == "assumed"
    assert g.grams == pytest.approx(10 * usda("sr:12086", "oz (18 kernels)") / 18)
    assert "Nuts, cashew nuts, oil roasted" in g.note


def test_another_nut_lends_nothing():
    assert piece_of_kin(food("sr:12085"), 10, None, None, "cashews",
                        [food("sr:12061")]) is None  # almonds are no cashews


def test_a_part_is_weighed_by_that_part_of_a_similar_food():
    # raw broccoli (SR 11090) has a stalk and a bunch but no floret: SR 11740's 'floweret'
    own = resolve_grams(food("sr:11090"), 4, "floret", None, "broccoli")
    assert own.measure_missing and own.portion != "bunch"
    g = piece_of_kin(food("sr:11090"), 4, "floret", None, "broccoli", [food("sr:11740")])
    assert g is not None and g.grams == pytest.approx(4 * usda("sr:11740", "floweret"))


@pytest.mark.parametrize("line_words,unit,quantity,fid,label,times", [
    ("cauliflower", "floret", 5, "sr:11135", "floweret", 5),  # USDA's word for a floret
    ("cauliflower", "head", 0.5, "sr:11135", "head medium (5-6\" dia.)", 0.5),  # medium
    ("celery", "stick", 2, "sr:11143", "stalk, medium (7-1/2\" - 8\" long)", 2),
    ("spinach", "bag", 1, "sr:11457", "package (10 oz)", 1),
    ("garlic", "clove", 4, "sr:11215", "clove", 4),
])
def test_parts_and_packs_by_their_usda_measure(line_words, unit, quantity, fid, label, times):
    g = resolve_grams(food(fid), quantity, unit, None, line_words)
    assert g.method == "portion"
    assert g.grams == pytest.approx(times * usda(fid, label))


def test_a_small_box_is_usdas_small_box():
    g = resolve_grams(food("sr:09298"), 1, "box", "small", "raisins")
    assert g.grams == pytest.approx(usda("sr:09298", "small box (1.5 oz)"))


def test_a_bag_of_nuts_is_a_single_serve_bag_not_one_nut():
    g = resolve_grams(food("sr:16390"), 1, "bag", None, "dry roasted peanuts")
    assert g.method == "assumed" and g.grams == pytest.approx(28.349523125)
    assert "21 CFR 101.12" in g.note


def test_a_volume_of_a_solid_takes_the_measure_of_its_form():
    feta = food("fdn:9d53c808")  # Foundation 'Cheese, feta, whole milk, crumbled': no measure
    water = resolve_grams(feta, 0.25, "cup", None, "crumbled feta")
    assert water.measure_missing  # (the water guess is only the last resort)
    g = piece_of_kin(feta, 0.25, "cup", None, "crumbled feta", [food("sr:01019")])
    assert g is not None and g.grams == pytest.approx(usda("sr:01019", "cup, crumbled") / 4)
    # grated parmesan's own tablespoon (SR 01032), not a density
    own = resolve_grams(food("sr:01032"), 2, "tbsp", None, "grated parmesan")
    assert own.method == "portion" and own.grams == pytest.approx(2 * usda("sr:01032", "tbsp"))


def test_a_kin_of_another_form_lends_no_volume():
    # SR feta has a cup crumbled only: a cup of cubed feta is not weighed by it
    assert piece_of_kin(food("fdn:9d53c808"), 1, "cup", None, "cubed feta",
                        [food("sr:01019")]) is None


@pytest.mark.parametrize("text,unit,food_text", [
    ("4 garlic cloves", "clove", "garlic"),
    ("2 celery sticks", "stick", "celery"),
    ("6 asparagus spears", "spear", "asparagus"),
    ("2 fish sticks", None, "fish sticks"),  # a food that is a stick
    ("a small box of raisins", "box", "raisins"),
])
def test_a_part_written_after_the_food_is_read_as_the_measure(text, unit, food_text):
    p = parse_amount(text)
    assert (p.unit, p.food_text) == (unit, food_text)


def _item(line: str, fid: str):
    report = nutrients([line])
    items = [i for i in report.items if i.food.id == fid]
    if not items:
        pytest.skip(f"{line!r} matched another food ({[i.food.id for i in report.items]})")
    return items[0]


def test_fish_fingers_are_usdas_fish_sticks():
    it = _item("3 fish fingers", "sr:15027")
    assert it.grams == pytest.approx(3 * usda("sr:15027", 'stick (4" x 1" x 1/2")'))


def test_counted_nuts_end_to_end_are_grams_not_cups():
    it = _item("10 cashews", "sr:12085")
    assert it.grams == pytest.approx(10 * usda("sr:12086", "oz (18 kernels)") / 18)
    assert it.grams_method == "assumed"
    assert any("similar food" in n for n in it.notes)


def test_a_kinds_serving_is_an_upper_bound_for_one_piece():
    # FNDDS 'Olives, NFS' has no measure; its kind's serving (85 g of a vegetable) must not
    # weigh one olive: SR 09193's 'large' olive does
    it = _item("3 olives", "fndds:139c80d2")
    assert it.grams == pytest.approx(3 * usda("sr:09193", "large"))
