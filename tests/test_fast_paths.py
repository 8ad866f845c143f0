"""Faster code paths give exactly what the straightforward computation gives.

Each test holds the plain algorithm the fast path replaced (as it was written before issue 12)
and compares results bit for bit, on data chosen to be hard for the shortcut: values with many
ties (alcohol is 0 on most days), equal values, few days, block boundaries.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import numpy as np
import pytest

from crampcheck.journal.store import _stored_nutrients
from crampcheck.journal.trends import permutation_p, permutation_ps, rolling
from crampcheck.journal.window import DayIntake
from crampcheck.jsonsafe import dumps


def plain_permutation_p(a: np.ndarray, b: np.ndarray, permutations: int, seed: int = 0
                        ) -> float:
    rng = np.random.default_rng(seed)
    pooled = np.concatenate([a, b])
    observed = abs(a.mean() - b.mean())
    n = len(a)
    hits = 0
    block = max(1, 2_000_000 // max(len(pooled), 1))
    for start in range(0, permutations, block):
        rows = min(block, permutations - start)
        perms = np.argsort(rng.random((rows, len(pooled))), axis=1)
        shuffled = pooled[perms]
        diffs = np.abs(shuffled[:, :n].mean(axis=1) - shuffled[:, n:].mean(axis=1))
        hits += int(np.sum(diffs >= observed - 1e-12))
    return (hits + 1) / (permutations + 1)


def comparison_pairs(seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    pairs = []
    for trial in range(24):
        size = int(rng.choice([6, 7, 31, 239, 1094, 1095, 2100]))
        n = int(rng.integers(3, size - 2))
        kind = trial % 4
        if kind == 0:
            x = rng.normal(300, 80, size)  # magnesium-like
        elif kind == 1:
            x = np.where(rng.random(size) < 0.9, 0.0, 14.0)  # alcohol: mostly none
        elif kind == 2:
            x = np.round(rng.normal(300, 80, size))  # whole numbers: many equal sums
        else:
            x = np.full(size, 2.5)  # every shuffle ties the observed difference
        pairs.append((x[:n].copy(), x[n:].copy()))
    return pairs


@pytest.mark.parametrize("seed", [1, 2])
def test_permutation_ps_equals_the_plain_test(seed: int) -> None:
    pairs = comparison_pairs(seed)
    fast = permutation_ps(pairs, permutations=1500, seed=seed)
    assert fast == [plain_permutation_p(a, b, 1500, seed) for a, b in pairs]
    a, b = pairs[0]
    assert permutation_p(a, b, permutations=1500, seed=seed) == fast[0]


def plain_rolling(intake: dict[str, DayIntake], start: str, end: str) -> list[dict[str, Any]]:
    out = []
    day = dt.date.fromisoformat(start)
    while day <= dt.date.fromisoformat(end):
        iso = day.isoformat()
        row: dict[str, Any] = {"day": iso, "entries": intake[iso].entries if iso in intake else 0}
        for key in ("calcium_mg", "magnesium_mg", "potassium_mg", "sodium_mg"):
            def value(d: str, key: str = key) -> float | None:
                di = intake.get(d)
                return None if di is None or not di.complete(key) else di.totals[key]
            row[key] = value(iso)
            values = [v for k in range(7)
                      if (v := value((day - dt.timedelta(days=k)).isoformat())) is not None]
            row[f"{key}_7d"] = sum(values) / len(values) if len(values) >= 4 else None
        ca, mg = row["calcium_mg_7d"], row["magnesium_mg_7d"]
        row["ca_mg_ratio_7d"] = ca / mg if ca is not None and mg else None
        out.append(row)
        day += dt.timedelta(days=1)
    return out


def test_rolling_equals_the_plain_loop() -> None:
    rng = np.random.default_rng(3)
    start = dt.date(2024, 1, 1)
    intake = {}
    for k in range(-10, 120):
        if rng.random() < 0.25:
            continue  # a day without food entries
        day = (start + dt.timedelta(days=k)).isoformat()
        totals = {key: float(rng.normal(400, 120)) for key in
                  ("calcium_mg", "magnesium_mg", "potassium_mg", "sodium_mg")}
        missing = {"magnesium_mg": 1} if rng.random() < 0.2 else {}
        intake[day] = DayIntake(day, int(rng.integers(1, 12)), totals, missing)
    for first, last in (("2024-01-01", "2024-04-20"), ("2024-02-03", "2024-02-03"),
                        ("2024-03-01", "2024-02-01")):
        assert rolling(intake, first, last) == plain_rolling(intake, first, last)


def plain_stored_nutrients(text: str) -> dict[str, float | None]:
    raw = json.loads(text, parse_constant=lambda c: math.nan)
    return {k: (v if isinstance(v, (int, float)) and not isinstance(v, bool)
                and math.isfinite(v) and v >= 0 else None) for k, v in raw.items()}


@pytest.mark.parametrize("text", [
    '{"calcium_mg":244.8,"magnesium_mg":null,"epa_g":0.0}',
    '{"calcium_mg":120,"magnesium_mg":-0.0,"potassium_mg":3.5}',
    '{"calcium_mg":NaN,"magnesium_mg":Infinity,"sodium_mg":-Infinity,"zinc":-4.0}',
    '{"calcium_mg":true,"magnesium_mg":"12","ala_g":[1],"dha_g":1e308}',
    '{}',
])
def test_stored_nutrients_reads_as_before(text: str) -> None:
    fast, plain = _stored_nutrients(text), plain_stored_nutrients(text)
    assert fast == plain
    assert list(fast) == list(plain)
    assert [type(v) for v in fast.values()] == [type(v) for v in plain.values()]


def plain_dumps(obj: Any, **kwargs: Any) -> str:
    def finite(o: Any) -> Any:
        if isinstance(o, float):
            return o if math.isfinite(o) else None
        if isinstance(o, dict):
            return {k: finite(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return [finite(v) for v in o]
        return o

    kwargs.setdefault("ensure_ascii", False)
    default = kwargs.pop("default", None)
    if default is not None:
        obj = json.loads(json.dumps(obj, default=default, allow_nan=True))
    return json.dumps(finite(obj), allow_nan=False, **kwargs)


def test_dumps_with_a_default_writes_what_the_round_trip_wrote() -> None:
    obj = {"day": dt.date(2025, 6, 30), "values": (1.5, math.nan, -math.inf, np.float64(2.25)),
           "nested": [{"at": dt.datetime(2025, 1, 2, 3, 4), 3: "int key", "x": None}],
           "n": np.int64(7), "flag": True, "text": "µg ½ cup", "big": 10**40}
    for kwargs in ({"indent": 2}, {}, {"sort_keys": True}):
        assert dumps(obj, default=str, **kwargs) == plain_dumps(obj, default=str, **kwargs)


def test_food_values_are_the_entries_per_day_totals_read(tmp_path) -> None:
    from crampcheck.foods.schema import NUTRIENTS
    from crampcheck.journal import connect, store

    conn = connect(tmp_path / "journal.db")
    nutrients = dict.fromkeys(NUTRIENTS, 1.5) | {"ala_g": None}
    entries = [store.FoodEntry(day=f"2025-01-{d:02d}", text=f"food {d} {k}", source=source,
                               nutrients=nutrients, time=time,
                               estimated=["calcium_mg"] if k == 1 else [])
               for d in (3, 1, 2) for k, (source, time) in enumerate(
                   [("log", "08:00"), ("cronometer", None), ("loseit", "07:00")])]
    store.add_food(conn, "me", entries)
    store.add_food(conn, "someone else", entries[:2])
    conn.execute("UPDATE food_entries SET deleted_at = '2025-02-01' WHERE text = 'food 2 0'")
    full = store.food_entries(conn, "me", "2025-01-01", "2025-01-02")
    assert [e["text"] for e in full] == ["food 1 1", "food 1 2", "food 1 0", "food 2 1",
                                         "food 2 2"]
    keys = ("day", "source", "nutrients", "estimated")
    assert store.food_values(conn, "me", "2025-01-01", "2025-01-02") == [
        {k: e[k] for k in keys} for e in full]
