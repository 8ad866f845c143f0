"""Confidence by consequence (issue 11): close foods whose calcium, magnesium, potassium and
sodium per 100 g are alike are no real doubt; one word whose best food is one kind among
unlike kinds is. Values asserted are USDA per-100 g values of the committed food table
(ids named)."""

from __future__ import annotations

import math

import pytest

from crampcheck.foods.search import NUTRIENTS, default_index
from crampcheck.foods.store import default_store
from crampcheck.totals import nutrients

COLUMNS = [NUTRIENTS.index(k) for k in ("calcium_mg", "magnesium_mg", "potassium_mg",
                                         "sodium_mg")]


def per100(food_id: str) -> tuple[int, list[float]]:
    store, index = default_store(), default_index()
    food = store.get(food_id)
    assert food is not None, food_id
    i = index.by_name[food.name.lower()]
    return i, [float(store.values[i][c]) for c in COLUMNS]


def test_foods_alike_in_minerals_are_alike():
    # sr:07064 Pork sausage, fresh, cooked: Ca 13, Mg 17, K 294, Na 749 mg per 100 g;
    # fndds:7a4f3a6e Sausage, NFS: Ca 9, Mg 16, K 342, Na 814 (K 14 %, Na 8 % apart, Ca 4 mg)
    i, a = per100("sr:07064")
    j, b = per100("fndds:7a4f3a6e")
    assert a == [13.0, 17.0, 294.0, 749.0]
    assert b == [9.0, 16.0, 342.0, 814.0]
    assert default_index().alike(i, j) and default_index().alike(j, i)


def test_foods_unlike_in_calcium_are_not_alike():
    # sr:18239 Croissants, butter: Ca 37, Mg 16; sr:18241 Croissants, cheese: Ca 53, Mg 24
    # (calcium 16 mg, 30 % apart)
    i, a = per100("sr:18239")
    j, b = per100("sr:18241")
    assert a[:2] == [37.0, 16.0] and b[:2] == [53.0, 24.0]
    assert not default_index().alike(i, j)


def test_unknown_values_are_never_alike():
    # fdn:21a8d8d2 Oil, soybean has no mineral values in the table (NaN): not even like itself
    i, a = per100("fdn:21a8d8d2")
    assert all(math.isnan(x) for x in a)
    assert not default_index().alike(i, i)


def test_alike_close_foods_keep_the_match_confident_with_a_note():
    # sr:19353 Syrups, maple (Ca 102, Mg 21, K 212, Na 12) and srl:4d8297ae Syrup, maple,
    # Canadian (Ca 109, Mg 21, K 225, Na 9): which one barely changes the answer
    assert per100("sr:19353")[1] == [102.0, 21.0, 212.0, 12.0]
    assert per100("srl:4d8297ae")[1] == [109.0, 21.0, 225.0, 9.0]
    report = nutrients(["1 tbsp maple syrup"])
    assert not report.unmatched
    item = report.items[0]
    assert item.food.id == "sr:19353"
    assert item.confidence >= 0.9
    assert any(n.startswith("also close") and "Syrup, maple, Canadian" in n
               for n in item.notes)


@pytest.mark.parametrize("line", ["some meat", "meat 100g", "1 slice of cake", "1 bar"])
def test_one_word_for_unlike_kinds_is_not_sure(line):
    # "meat": fndds:377b5588 Luncheon meat, NFS (Ca 5 mg per 100 g) is best, sr:07950
    # Frankfurter, meat (Ca 99) is close: which one changes the answer
    assert per100("fndds:377b5588")[1][0] == 5.0
    assert per100("sr:07950")[1][0] == 99.0
    report = nutrients([line])
    assert not report.items
    assert report.unmatched and report.unmatched[0].suggestions


def test_unlike_close_kinds_stay_not_sure():
    # "juice": orange, lemon, lime… differ in potassium and calcium
    report = nutrients(["a glass of juice"])
    assert not report.items and report.unmatched[0].suggestions
