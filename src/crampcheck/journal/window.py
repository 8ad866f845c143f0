"""A window of days from the journal: per-day intake from stored entries, and a :class:`Case`.

Per-day totals add the nutrient numbers stored with each entry: Cronometer's own numbers for a
Cronometer import, the USDA match for a typed ``log`` line or a re-matched Lose It! food. A
nutrient an entry has no value for is counted under ``missing`` (never as zero); one that is an
estimate (Lose It! foods re-matched to USDA, MyFitnessPal calcium converted from % daily value)
is listed under ``estimated``.

When a day has both Cronometer servings and a Cronometer daily-totals row, the servings are
used and the daily row is left out (the same food would otherwise be counted twice).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..case import Case, case_from_dict
from ..errors import InputError
from ..foods.schema import NUTRIENTS
from ..intake.diary import MEALS as MEAL_WORDS
from . import store
from .db import connect


@dataclass
class DayIntake:
    """Nutrient totals of one day (units in the keys).

    ``totals[k]`` is the sum of the known values, or ``None`` when no entry of the day has a
    value for ``k``; ``missing[k]`` is how many entries lacked a value (so the total may be
    low); ``estimated`` lists nutrients at least partly estimated.
    """

    day: str
    entries: int
    totals: dict[str, float | None]
    missing: dict[str, int] = field(default_factory=dict)
    estimated: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def complete(self, key: str) -> bool:
        """True when every entry of the day had a value for ``key``."""
        return self.totals.get(key) is not None and key not in self.missing

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day, "entries": self.entries,
                "totals": {k: None if v is None else round(v, 3) for k, v in self.totals.items()},
                "missing": self.missing, "estimated": self.estimated, "sources": self.sources,
                "notes": self.notes}


def _resolve(db: str | Path | sqlite3.Connection) -> tuple[sqlite3.Connection, bool]:
    if isinstance(db, sqlite3.Connection):
        return db, False
    return connect(db, create=False), True


def sum_day(day: str, entries: list[dict[str, Any]]) -> DayIntake:
    """Totals of one day's stored entries (see the module docstring for the rules)."""
    notes: list[str] = []
    has_servings = any(e["source"] == "cronometer" for e in entries)
    if has_servings and any(e["source"] == "cronometer-daily" for e in entries):
        entries = [e for e in entries if e["source"] != "cronometer-daily"]
        notes.append("Cronometer daily totals left out: the servings of this day are used")
    totals: dict[str, float | None] = dict.fromkeys(NUTRIENTS)
    missing: dict[str, int] = {}
    estimated: set[str] = set()
    for e in entries:
        for key in NUTRIENTS:
            value = e["nutrients"].get(key)
            if value is None:
                missing[key] = missing.get(key, 0) + 1
            else:
                totals[key] = (totals[key] or 0.0) + value
        estimated.update(e["estimated"])
    return DayIntake(day, len(entries), totals, missing,
                     [k for k in NUTRIENTS if k in estimated],
                     sorted({e["source"] for e in entries}), notes)


def daily_intake(db: str | Path | sqlite3.Connection, person: str, days: int,
                 end: str | None = None, *,
                 entries: list[dict[str, Any]] | None = None) -> dict[str, DayIntake]:
    """Per-day nutrient totals of ``person`` over the last ``days`` days ending ``end``.

    Parameters
    ----------
    db : path or connection
        The journal.
    person : str
        The person's name in the journal.
    days : int
        Length of the window in days (``end`` included).
    end : str, optional
        Last day (``YYYY-MM-DD``); default today.
    entries : list of dict, optional
        The window's food entries (:func:`window_entries`) when the caller has read them
        already, so a command reads its window once.

    Returns
    -------
    dict of str to DayIntake
        Only days that have food entries, in date order.
    """
    conn, close = _resolve(db)
    try:
        start, last = store.window(days, end)
        if entries is None:
            entries = store.food_values(conn, person, start, last)
        by_day: dict[str, list[dict[str, Any]]] = {}
        for e in entries:
            by_day.setdefault(e["day"], []).append(e)
        return {d: sum_day(d, es) for d, es in sorted(by_day.items())}
    finally:
        if close:
            conn.close()


LAB_LOOKBACK_DAYS = 90
NEW_MEDICINE_DAYS = 90  # a medicine started this recently is marked "(started YYYY-MM-DD)"


def window_entries(conn: sqlite3.Connection, person: str, days: int,
                   end: str | None = None) -> list[dict[str, Any]]:
    """The food entries of a window, read once for :func:`case_for_window` and
    :func:`daily_intake` alike (``entries=``)."""
    start, last = store.window(days, end)
    return store.food_entries(conn, person, start, last)


def case_dict_for_window(conn: sqlite3.Connection, person: str, days: int,
                         end: str | None = None, *, set_aside: list[str] | None = None,
                         capped: bool = True,
                         entries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The case-file dictionary for a window (see :func:`case_for_window`; ``entries``: the
    window's food entries when the caller has read them).

    A stored value that cannot be right (a lab outside what blood can show, a cramp in the year
    1, from a journal written before such values were refused) is left out; the reason is
    appended to ``set_aside``.
    """
    start, last = store.window(days, end, capped=capped)
    aside = set_aside if set_aside is not None else []
    profile = store.get_profile(conn, person)
    if profile.get("age") is None or profile.get("sex") is None:
        raise InputError(f"the profile of '{person}' needs age and sex first: "
                         f"crampcheck profile set --person {person} --age 68 --sex female")
    raw: dict[str, Any] = {"person": store._person_dict(profile)}
    new_since = (dt.date.fromisoformat(last) - dt.timedelta(days=NEW_MEDICINE_DAYS)).isoformat()
    for table in ("conditions", "medications", "supplements"):
        rows = store.list_listed(conn, "medicines" if table == "medications" else table,
                                 person, start, last)
        if table == "medications":  # a recent start is what the new-medicine red flag needs
            texts = [f"{r['text']} (started {r['since']})"
                     if r["since"] and r["since"] >= new_since else r["text"] for r in rows]
        else:
            texts = [r["text"] for r in rows]
        raw[table] = _kept(texts, table, raw["person"], aside)
    if profile.get("exercise_hours_per_week") is not None:
        raw["exercise"] = {"hours_per_week": profile["exercise_hours_per_week"],
                           "intensity": profile.get("exercise_intensity") or "moderate",
                           "hot_environment": profile["hot_environment"]}
    diary: dict[str, list[str]] = {}
    if entries is None:
        entries = store.food_entries(conn, person, start, last)
    for e in entries:
        if not e["is_total"]:  # the meal it was logged with goes first ("breakfast: …")
            meal = e.get("meal")
            diary.setdefault(e["day"], []).append(f"{meal}: {e['text']}" if meal in MEAL_WORDS
                                                  else e["text"])
    for day, texts in diary.items():
        diary[day] = [t for t in texts if not _aside_line(t, day, aside)]
    raw["diary"] = {d: t for d, t in diary.items() if t}
    raw["cramps"] = []
    for c in store.cramps(conn, person, start, last):
        cramp = {k: c[k] for k in ("at", "muscle", "side", "minutes", "severity")
                 if c[k] is not None}
        problem = _problem(lambda cramp=cramp: case_from_dict(
            {"person": raw["person"], "cramps": [cramp]}))
        if problem:
            aside.append(f"the cramp recorded at {c['at']} ({problem})")
        else:
            raw["cramps"].append(cramp)
    raw["symptoms"] = _kept([s["text"] for s in store.symptoms(conn, person, start, last)],
                            "symptoms", raw["person"], aside)
    lab_start = (dt.date.fromisoformat(start) - dt.timedelta(days=LAB_LOOKBACK_DAYS)).isoformat()
    raw["labs"] = []
    for lab in store.labs(conn, person, lab_start, last):
        entry = {k: v for k, v in lab.items() if v is not None and k != "id"}
        problem = _problem(lambda entry=entry: case_from_dict(
            {"person": raw["person"], "labs": [entry]}))
        if problem:
            aside.append(f"the lab result {lab['test']} {lab['value']!r} {lab['unit']} of "
                         f"{lab['date'] or 'no date'} ({problem})")
        else:
            raw["labs"].append(entry)
    prefs: dict[str, Any] = {"avoid": profile["avoid"], "dislikes": profile["dislikes"]}
    if profile.get("diet"):
        prefs["diet"] = profile["diet"]
    raw["preferences"] = prefs
    return raw


def _kept(texts: list[str], field: str, person: dict[str, Any],
          aside: list[str]) -> list[str]:
    """The texts a case accepts; the others are set aside with the reason."""
    kept = []
    for text in texts:
        problem = _problem(lambda text=text: case_from_dict({"person": person, field: [text]}))
        if problem:
            aside.append(f"a {field[:-1] if field != 'symptoms' else 'symptom'} "
                         f"({text[:60]!r}{'…' if len(text) > 60 else ''}: {problem})")
        else:
            kept.append(text)
    return kept


def _aside_line(text: str, day: str, aside: list[str]) -> bool:
    """Whether a stored food line is not one a case accepts (its numbers still count)."""
    from ..limits import check_food_line

    try:
        check_food_line(text)
    except InputError as exc:
        aside.append(f"the food line {text[:60]!r} of {day} from the case's diary ("
                     f"{exc.message}; its stored nutrients are still counted)")
        return True
    return False


def _problem(check: Any) -> str | None:
    try:
        check()
    except InputError as exc:
        return exc.message.split(": ", 1)[-1] if exc.message.startswith(("labs[", "cramps["))\
            else exc.message
    return None


def set_aside_findings(result: Any) -> None:
    """Add a finding to an assessment for each stored value its case left out."""
    from ..models import SEVERITIES, Citation, Finding

    notes = getattr(result.case, "set_aside", [])
    for note in notes:
        result.findings.append(Finding(
            "data_quality", "low", f"Left out of this assessment: {note}. Correct or delete it "
            "in the journal.", "", [Citation("medlineplus_lab_tests", "B")]))
    if notes:
        result.findings.sort(key=lambda f: -SEVERITIES.index(f.severity))


def case_for_window(db_path: str | Path | sqlite3.Connection, person: str, days: int,
                    end: str | None = None, *,
                    entries: list[dict[str, Any]] | None = None) -> Case:
    """A :class:`~crampcheck.case.Case` for ``person`` from the journal, over ``days`` days.

    The case holds the profile; the medicines, conditions and supplements active at any time in
    the window; the diary (text of every food entry by day; tracker meal/day totals, which
    name no food, are left out: use :func:`daily_intake` for their numbers); cramps and
    symptoms in the window; labs dated in the window or up to 90 days before it.

    Raises
    ------
    InputError
        No such journal or person, or a profile without age and sex.
    """
    conn, close = _resolve(db_path)
    try:
        aside: list[str] = []
        case = case_from_dict(case_dict_for_window(conn, person, days, end, set_aside=aside,
                                                   entries=entries))
        case.set_aside = aside
        return case
    finally:
        if close:
            conn.close()
