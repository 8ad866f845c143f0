from __future__ import annotations

import pytest

from crampcheck.errors import InputError
from crampcheck.intake.diary import parse_diary
from crampcheck.totals import nutrients

DIARY = """\
# a comment before any day
# 2026-11-20
breakfast: 1 cup oatmeal; 1 cup whole milk
07:30 1 medium banana
lunch: 3 oz baked salmon   # grilled, really

# 2026-11-21
dinner: 1 cup cooked spinach; 1 cup cooked black beans
snack: 1 oz pumpkin seeds; mystery casserole from the canteen xyzzy
"""


def test_parse_diary_days_meals_times_and_lines():
    items = parse_diary(DIARY)
    assert [(i.text, i.day, i.meal, i.line) for i in items[:3]] == [
        ("1 cup oatmeal", "2026-11-20", "breakfast", 3),
        ("1 cup whole milk", "2026-11-20", "breakfast", 3),
        ("1 medium banana", "2026-11-20", None, 4),
    ]
    assert items[2].time == "07:30"
    assert items[3].text == "3 oz baked salmon"
    assert {i.day for i in items} == {"2026-11-20", "2026-11-21"}
    assert len(items) == 8


def test_bad_date_names_the_line():
    with pytest.raises(InputError) as err:
        parse_diary("# 2026-11-20\n1 banana\n# 2026-13-40\n1 apple\n", source="d.txt")
    assert "line 3" in str(err.value) and "d.txt" in str(err.value)


def test_diary_totals_per_day_and_unmatched_kept():
    report = nutrients(diary=parse_diary(DIARY))
    days = report.days()
    assert set(days) == {"2026-11-20", "2026-11-21"}
    # per-day totals add up to the total
    for key in ("calcium_mg", "magnesium_mg"):
        assert sum(d[key] for d in days.values()) == pytest.approx(report.total[key])
    assert [u.text for u in report.unmatched] == ["mystery casserole from the canteen xyzzy"]
    assert report.unmatched[0].line == 9
    assert "days" in report.to_dict()


def test_missing_is_not_zero():
    # USDA has no vitamin D value for dark chocolate 70-85 % (SR 19904)
    report = nutrients(["1 oz dark chocolate", "1 cup whole milk"])
    chocolate = report.items[0]
    assert chocolate.nutrients["vitamin_d_ug"] is None
    assert report.missing["vitamin_d_ug"] == ["1 oz dark chocolate"]
    milk = report.items[1]
    assert report.total["vitamin_d_ug"] == pytest.approx(milk.nutrients["vitamin_d_ug"])
