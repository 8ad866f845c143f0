"""Trends over the journal: rolling means, the calcium:magnesium ratio, cramps per week,
cramp days against other days, and medicine/supplement changes on the timeline.

The cramp-day comparison is deliberately modest. For each of six intakes (magnesium, calcium,
potassium, sodium, caffeine, alcohol) and two days (the day before and the day of a cramp) it
compares the mean on cramp days with the mean on other days: 12 comparisons, all reported,
with a two-sided permutation test [1]_ for each. With 12 tests about one in 20 would fall under
p = 0.05 by chance alone (0.6 expected), so the Bonferroni threshold 0.05 / 12 ≈ 0.004 is shown
too. Days whose intake is incomplete for a nutrient (an entry had no value for it) are left out
of that nutrient's comparison. A night cramp (for example at 02:30) belongs to the calendar day
it happened on, so the evening before is in "the day before".

References
----------
.. [1] Good, P. (2005). Permutation, Parametric and Bootstrap Tests of Hypotheses, 3rd ed.
   Springer. (Monte Carlo permutation p-value (b + 1) / (m + 1), Phipson & Smyth 2010,
   Stat. Appl. Genet. Mol. Biol. 9:39.)
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING, Any

from ..limits import FIRST_DAY
from . import store

if TYPE_CHECKING:  # numpy and the window are imported where they are used
    import numpy as np

    from .window import DayIntake

TREND_NUTRIENTS = ("calcium_mg", "magnesium_mg", "potassium_mg", "sodium_mg")
COMPARE_NUTRIENTS = ("magnesium_mg", "calcium_mg", "potassium_mg", "sodium_mg", "caffeine_mg",
                     "alcohol_g")
OFFSETS = (("day before", 1), ("day of", 0))
ROLLING_DAYS = 7
ROLLING_MIN_DAYS = 4
MIN_GROUP_DAYS = 3
ALPHA = 0.05


def _d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def _value(intake: DayIntake | None, key: str) -> float | None:
    if intake is None or not intake.complete(key):
        return None
    return intake.totals[key]


def rolling(intake: dict[str, DayIntake], start: str, end: str) -> list[dict[str, Any]]:
    """Per day: the intake and the 7-day rolling mean of each trend nutrient and the ratio.

    A rolling mean needs at least 4 days with complete values in its 7 days, else ``None``.
    The ratio is the rolling calcium mean over the rolling magnesium mean.
    """
    first, last = _d(start), _d(end)
    if last < first:
        return []
    # every day's values once (from the 6 days before the window, for its first rolling means)
    days = [(first + dt.timedelta(days=k)).isoformat()
            for k in range(1 - ROLLING_DAYS, (last - first).days + 1)]
    values = {key: [_value(intake.get(iso), key) for iso in days] for key in TREND_NUTRIENTS}
    out = []
    for i in range(ROLLING_DAYS - 1, len(days)):
        iso = days[i]
        row: dict[str, Any] = {"day": iso, "entries": intake[iso].entries if iso in intake else 0}
        for key in TREND_NUTRIENTS:
            column = values[key]
            row[key] = column[i]
            # the day, then the 6 before it (newest first, as the mean always summed them)
            window = [v for k in range(ROLLING_DAYS) if (v := column[i - k]) is not None]
            row[f"{key}_7d"] = (sum(window) / len(window)
                                if len(window) >= ROLLING_MIN_DAYS else None)
        ca, mg = row["calcium_mg_7d"], row["magnesium_mg_7d"]
        row["ca_mg_ratio_7d"] = ca / mg if ca is not None and mg else None
        out.append(row)
    return out


def cramps_per_week(cramps: list[dict[str, Any]], start: str, end: str) -> list[dict[str, Any]]:
    """Cramps in each ISO week (Monday first) overlapping the window; weeks without are 0."""
    counts: dict[str, int] = {}
    day = _d(start) - dt.timedelta(days=_d(start).weekday())
    while day <= _d(end):
        counts[day.isoformat()] = 0
        day += dt.timedelta(days=7)
    for c in cramps:
        d = _d(c["at"][:10])
        monday = (d - dt.timedelta(days=d.weekday())).isoformat()
        if monday in counts:
            counts[monday] += 1
    return [{"week_of": w, "cramps": n} for w, n in counts.items()]


def permutation_p(a: np.ndarray, b: np.ndarray, *, permutations: int = 5000,
                  seed: int = 0) -> float:
    """Two-sided Monte Carlo permutation p-value for a difference in means."""
    return permutation_ps([(a, b)], permutations=permutations, seed=seed)[0]


def permutation_ps(pairs: list[tuple[np.ndarray, np.ndarray]], *, permutations: int = 5000,
                   seed: int = 0) -> list[float]:
    """:func:`permutation_p` of each ``(a, b)`` pair: the same p-values, in less time.

    The p-value counts the shuffles whose difference in means is at least the observed one
    (less 1e-12). Each comparison draws its shuffles from a new generator with ``seed``, so
    comparisons over the same number of days share their shuffles: each block of random
    numbers is drawn once for all of them (trends makes 12 comparisons over a few day counts).

    A shuffle puts into ``a``'s group the days whose random numbers are the ``len(a)``
    smallest (the first ``len(a)`` of their ``argsort``). Which days those are needs only a
    partition, and the group's sum decides the count whenever the difference lies farther
    from the threshold than any rounding could move it (a margin 10,000 times the bound on
    summation error); a shuffle closer than that, or with equal random numbers at the group's
    edge, is worked out exactly as :func:`permutation_p` always did (a full ``argsort`` of
    its row, means summed in that order). So the counts, and the p-values, are the same.
    """
    import numpy as np

    out: list[float] = [0.0] * len(pairs)
    by_size: dict[int, list[int]] = {}
    for k, (a, b) in enumerate(pairs):
        by_size.setdefault(len(a) + len(b), []).append(k)
    for size, members in by_size.items():
        rng = np.random.default_rng(seed)
        pooled = {k: np.concatenate(pairs[k]) for k in members}
        threshold = {k: abs(pairs[k][0].mean() - pairs[k][1].mean()) - 1e-12 for k in members}
        hits = dict.fromkeys(members, 0)
        by_n: dict[int, list[int]] = {}
        for k in members:
            by_n.setdefault(len(pairs[k][0]), []).append(k)
        # in blocks of rows, so memory stays bounded (100,000 permutations of 3,650 days would
        # need gigabytes at once); the random stream is the same
        block = max(1, 2_000_000 // max(size, 1))
        for start in range(0, permutations, block):
            rows = min(block, permutations - start)
            draws = rng.random((rows, size))
            for n, group in by_n.items():
                if not 0 < n < size:
                    for k in group:
                        hits[k] += _exact_hits(pooled[k], n, draws, threshold[k])
                    continue
                part = np.argpartition(draws, n - 1, axis=1)
                edge = draws[np.arange(rows), part[:, n - 1]]  # the n-th smallest draw
                tied = (draws == edge[:, None]).sum(axis=1) > 1
                first = part[:, :n]
                for k in group:
                    x = pooled[k]
                    total = x.sum()
                    in_a = x[first].sum(axis=1)
                    diffs = np.abs(in_a / n - (total - in_a) / (size - n))
                    margin = 1e-12 * float(np.abs(x).sum()) * (1 / n + 1 / (size - n))
                    unsure = tied | (np.abs(diffs - threshold[k]) <= margin)
                    hits[k] += int(np.sum(diffs[~unsure] >= threshold[k]))
                    if unsure.any():
                        hits[k] += _exact_hits(x, n, draws[unsure], threshold[k])
        for k in members:
            out[k] = (hits[k] + 1) / (permutations + 1)
    return out


def _exact_hits(pooled: np.ndarray, n: int, draws: np.ndarray, threshold: float) -> int:
    """Shuffles (rows of ``draws``) whose difference in means is at least ``threshold``,
    computed in full: the days in ``argsort`` order, each group's mean summed in that order."""
    import numpy as np

    shuffled = pooled[np.argsort(draws, axis=1)]
    diffs = np.abs(shuffled[:, :n].mean(axis=1) - shuffled[:, n:].mean(axis=1))
    return int(np.sum(diffs >= threshold))


def cramp_day_comparison(intake: dict[str, DayIntake], cramp_days: set[str], start: str,
                         end: str, *, permutations: int = 5000,
                         seed: int = 0) -> dict[str, Any]:
    """Intake on (and before) cramp days against other days, with the number of comparisons."""
    import numpy as np

    results = []
    pairs: list[tuple[np.ndarray, np.ndarray]] = []
    tested_rows: list[dict[str, Any]] = []
    for label, offset in OFFSETS:
        observed = []  # (the day's intake, whether a cramp came that day or the next)
        for day, di in intake.items():
            target = (_d(day) + dt.timedelta(days=offset)).isoformat()
            if target > end or day < start:
                continue  # the following day is outside the window: not observed
            observed.append((di, target in cramp_days))
        for key in COMPARE_NUTRIENTS:
            on, off = [], []
            for di, cramp in observed:
                v = _value(di, key)
                if v is None:
                    continue
                (on if cramp else off).append(v)
            row: dict[str, Any] = {"nutrient": key, "when": label, "cramp_days": len(on),
                                   "other_days": len(off)}
            if len(on) >= MIN_GROUP_DAYS and len(off) >= MIN_GROUP_DAYS:
                a, b = np.array(on), np.array(off)
                row.update(mean_cramp_days=round(float(a.mean()), 2),
                           mean_other_days=round(float(b.mean()), 2),
                           difference=round(float(a.mean() - b.mean()), 2),
                           p_value=0.0)  # filled in below, all comparisons together
                pairs.append((a, b))
                tested_rows.append(row)
            else:
                row["p_value"] = None
                row["why_not"] = (f"needs at least {MIN_GROUP_DAYS} cramp days and "
                                  f"{MIN_GROUP_DAYS} other days with complete values")
            results.append(row)
    for row, p in zip(tested_rows, permutation_ps(pairs, permutations=permutations, seed=seed),
                      strict=True):
        row["p_value"] = round(p, 4)
    tested = [r for r in results if r["p_value"] is not None]
    m = len(tested)
    threshold = ALPHA / m if m else None
    below = [r for r in tested if r["p_value"] < ALPHA]
    if not tested:
        statement = ("Too few days with food entries to compare cramp days with other days; "
                     "keep logging.")
    else:
        statement = (f"{m} comparisons were made ({len(below)} with p < 0.05; about "
                     f"{ALPHA * m:.1f} would be expected by chance alone). A difference is "
                     f"worth attention only below the Bonferroni threshold p < {threshold:.4f}, "
                     "and even then it shows an association in this journal, not a cause.")
    return {"comparisons": m, "bonferroni_threshold": None if threshold is None else
            round(threshold, 5), "permutations": permutations, "results": results,
            "statement": statement}


def _span(days: int) -> str:
    if days >= 14:
        weeks = round(days / 7)
        return f"{weeks} weeks"
    return f"{days} day{'s' if days != 1 else ''}"


def timeline(conn: sqlite3.Connection, person: str, end: str) -> dict[str, Any]:
    """Medicine and supplement starts and stops, with what the cramp record shows around them.

    Statements use the whole journal up to ``end``: when the first recorded cramp came within
    26 weeks after a start, "cramps began N weeks after starting X"; for each change, the
    number of cramps in the 4 weeks before and after it (only when the journal covers them).
    """
    # days before 1900 (typing errors a journal may hold from before they were refused) are
    # left out: they say nothing about a change, and date arithmetic on them overflows
    first_ok = FIRST_DAY.isoformat()
    all_cramps = store.cramps(conn, person, first_ok, end)
    cramp_days = [_d(c["at"][:10]) for c in all_cramps]
    events: list[dict[str, Any]] = []
    for table, what in (("medicines", "medicine"), ("supplements", "supplement")):
        for r in store.list_listed(conn, table, person):
            if r["since"] and r["since"] < first_ok or r["until"] and r["until"] < first_ok:
                continue
            if r["since"] and r["since"] <= end:
                events.append({"day": r["since"], "event": f"started {what}", "text": r["text"]})
            if r["until"] and r["until"] <= end:
                events.append({"day": r["until"], "event": f"stopped {what}", "text": r["text"]})
    events.sort(key=lambda e: e["day"])
    statements = []
    first = min(cramp_days) if cramp_days else None
    end_d = _d(end)
    for e in events:
        day = _d(e["day"])
        verb = "starting" if e["event"].startswith("started") else "stopping"
        if verb == "starting" and first is not None and 0 <= (first - day).days <= 26 * 7:
            statements.append(f"Cramps began {_span((first - day).days)} after starting "
                              f"{e['text']} (first cramp recorded {first.isoformat()}).")
        if end_d - day >= dt.timedelta(days=28):
            before = sum(1 for c in cramp_days if day - dt.timedelta(days=28) <= c < day)
            after = sum(1 for c in cramp_days if day <= c < day + dt.timedelta(days=28))
            e["cramps_4_weeks_before"], e["cramps_4_weeks_after"] = before, after
            if before or after:
                statements.append(f"{before} cramps in the 4 weeks before {verb} {e['text']} "
                                  f"({e['day']}), {after} in the 4 weeks after.")
    return {"events": events, "statements": statements,
            "note": "A change in time is not proof of a cause; tell your clinician about "
                    "cramps that began with a new medicine (statins especially)."}


def trends(conn: sqlite3.Connection, person: str, days: int, end: str | None = None, *,
           permutations: int = 5000, seed: int = 0,
           intake: dict[str, DayIntake] | None = None) -> dict[str, Any]:
    """Everything ``crampcheck trends`` shows, as a dictionary (JSON-ready). ``intake``: the
    window's :func:`~crampcheck.journal.window.daily_intake` when the caller has it."""
    from .window import daily_intake

    start, last = store.window(days, end)
    if intake is None:
        intake = daily_intake(conn, person, days, last)
    crs = store.cramps(conn, person, start, last)
    cramp_days = {c["at"][:10] for c in crs}
    return {"person": person, "start": start, "end": last,
            "days_with_food": len(intake), "cramps": len(crs), "cramp_days": len(cramp_days),
            "daily": rolling(intake, start, last),
            "cramps_per_week": cramps_per_week(crs, start, last),
            "cramp_days_vs_other_days": cramp_day_comparison(
                intake, cramp_days, start, last, permutations=permutations, seed=seed),
            "timeline": timeline(conn, person, last)}
