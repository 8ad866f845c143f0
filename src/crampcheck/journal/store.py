"""Reading and writing journal records: food entries, cramps, medicines, labs, the profile.

All functions take an open connection from :func:`crampcheck.journal.db.connect`. Writers run
inside :func:`~crampcheck.journal.db.transaction`; readers take a window of days
``[end - days + 1, end]`` (both ends included, ISO dates).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..foods.schema import NUTRIENTS
from ..limits import MAX_TEXT_CHARS, check_day, check_text, check_window, finite
from .db import dumps, now, person_id, transaction

LIST_TABLES = ("medicines", "supplements", "conditions")
_PREFIX = {"medicines": "m", "supplements": "s", "conditions": "d"}  # see journal/entries.py
MIN_SELECTOR_CHARS = 3  # part of a name that picks an entry: shorter is too easy to mistype
_DMY_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def iso_day(text: str, *, line: int | None = None, source: str | None = None,
            what: str = "date") -> str:
    """``2026-11-20``, ``2016-9-26`` or ``11/20/2026`` (US month first) as ``YYYY-MM-DD``.

    The day must lie between 1900-01-01 and a year from today
    (:func:`crampcheck.limits.check_day`): an entry dated in the year 1 is a typing error.
    """
    t = (text or "").strip()
    m = _YMD.match(t)
    us = _DMY_SLASH.match(t)
    day = None
    try:
        if m:
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        elif us:
            day = dt.date(int(us[3]), int(us[1]), int(us[2]))
        elif ("T" in t or " " in t) and len(t) <= 40:
            day = dt.datetime.fromisoformat(t).date()
    except ValueError:
        pass
    if day is None:
        raise InputError(f"{what} {t[:40]!r} is not a date (use YYYY-MM-DD)", line=line,
                         source=source)
    return check_day(day, what=what, line=line, source=source)


_RELATIVE = re.compile(r"^-(\d{1,4})$")


def day_arg(text: str, *, what: str = "date", today: dt.date | None = None) -> str:
    """A day typed by a person: ``today``, ``yesterday``, ``-N`` (N days ago) or a date
    :func:`iso_day` reads. Returns ``YYYY-MM-DD``."""
    t = (text or "").strip().lower()
    base = today or dt.date.today()
    if t == "today":
        return base.isoformat()
    if t == "yesterday":
        return (base - dt.timedelta(days=1)).isoformat()
    m = _RELATIVE.match(t)
    if m:
        return (base - dt.timedelta(days=int(m[1]))).isoformat()
    try:
        return iso_day(text, what=what)
    except InputError as exc:
        if "is not a date" not in str(exc):
            raise  # a date, but outside the days an entry may have
        raise InputError(f"{what} {text.strip()[:40]!r} is not a date (use YYYY-MM-DD, today, "
                         "yesterday or -N for N days ago)") from None


def window(days: int, end: str | dt.date | None = None, *,
           capped: bool = True) -> tuple[str, str]:
    """First and last day (ISO) of a window of ``days`` days ending on ``end`` (default today).

    ``days`` is at most :data:`crampcheck.limits.MAX_WINDOW_DAYS` unless ``capped`` is false
    (the export, which spans the whole journal).
    """
    if capped:
        check_window(days)
    elif days < 1:
        raise InputError("--days must be at least 1")
    if end is None:
        last = dt.date.today()
    elif isinstance(end, dt.date):
        last = end
    else:
        last = dt.date.fromisoformat(day_arg(end, what="--end"))
    try:
        first = last - dt.timedelta(days=days - 1)
    except OverflowError:
        raise InputError(f"a window of {days:,} days ending {last} starts before the year 1"
                         ) from None
    return first.isoformat(), last.isoformat()


@dataclass
class FoodEntry:
    """One food entry. ``nutrients`` maps every key of ``NUTRIENTS`` to an amount or ``None``
    (unknown, never zero); ``estimated`` lists keys that are estimates, not the source's own
    numbers. ``is_total`` marks a meal or day total from a tracker (no single food)."""

    day: str
    text: str
    source: str
    nutrients: dict[str, float | None]
    time: str | None = None
    meal: str | None = None
    food_id: str | None = None
    food_name: str | None = None
    grams: float | None = None
    grams_method: str | None = None
    is_total: bool = False
    estimated: list[str] = field(default_factory=list)
    note: str | None = None
    source_line: int | None = None
    source_hash: str | None = None

    def row(self, pid: int, import_id: int | None, created: str) -> tuple[Any, ...]:
        return (pid, self.day, self.time, self.meal, self.text, self.food_id, self.food_name,
                self.grams, self.grams_method, int(self.is_total), self.source, import_id,
                self.source_line, self.source_hash,
                dumps({k: self.nutrients.get(k) for k in NUTRIENTS}), dumps(self.estimated),
                self.note, created)


INSERT_FOOD = """INSERT INTO food_entries (person_id, day, time, meal, text, food_id,
    food_name, grams, grams_method, is_total, source, import_id, source_line, source_hash,
    nutrients, estimated, note, created) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
    ON CONFLICT (person_id, source_hash) DO NOTHING"""


def add_food(conn: sqlite3.Connection, person: str, entries: list[FoodEntry]) -> int:
    """Store entries in one transaction; return how many were added."""
    with transaction(conn):
        pid = person_id(conn, person)
        created = now()
        before = conn.total_changes
        conn.executemany(INSERT_FOOD, [e.row(pid, None, created) for e in entries])
        return conn.total_changes - before


FOOD_ENTRIES_SQL = (
    "SELECT * FROM food_entries WHERE person_id = ? AND day >= ? AND day <= ? "
    "AND deleted_at IS NULL ORDER BY day, COALESCE(time, ''), id")


def food_entries(conn: sqlite3.Connection, person: str, start: str | None = None,
                 end: str | None = None) -> list[dict[str, Any]]:
    """Food entries of ``person`` between ``start`` and ``end`` (ISO days, inclusive).

    One query over the ``(person_id, day)`` index; rows come as plain tuples and their JSON is
    read with one shared decoder (a window of three years is 11,000 rows)."""
    pid = person_id(conn, person, create=False)
    cur = conn.cursor()
    cur.row_factory = None
    try:
        cur.execute(FOOD_ENTRIES_SQL, (pid, start or "0000", end or "9999"))
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
    finally:
        cur.close()
    decode = _DECODER.decode
    out = []
    for r in rows:
        d = dict(zip(names, r, strict=True))
        d["nutrients"] = _stored_nutrients(d["nutrients"])
        estimated = d["estimated"]
        d["estimated"] = [] if estimated == "[]" else decode(estimated)
        d["is_total"] = bool(d["is_total"])
        out.append(d)
    return out


def food_values(conn: sqlite3.Connection, person: str, start: str | None = None,
                end: str | None = None) -> list[dict[str, Any]]:
    """What per-day totals need of :func:`food_entries` (``day``, ``source``, ``nutrients``,
    ``estimated``), same rows, same order: half the work for a long window."""
    pid = person_id(conn, person, create=False)
    cur = conn.cursor()
    cur.row_factory = None
    try:
        rows = cur.execute(FOOD_ENTRIES_SQL.replace("SELECT *", "SELECT day, source, "
                                                                "nutrients, estimated", 1),
                           (pid, start or "0000", end or "9999")).fetchall()
    finally:
        cur.close()
    decode = _DECODER.decode
    return [{"day": day, "source": source, "nutrients": _stored_nutrients(nutrients),
             "estimated": [] if estimated == "[]" else decode(estimated)}
            for day, source, nutrients, estimated in rows]


#: Stored JSON may hold NaN or Infinity (written by an older crampcheck from a tracker's inf).
_DECODER = json.JSONDecoder(parse_constant=lambda c: math.nan)
_INF = math.inf


def _stored_nutrients(text: str) -> dict[str, float | None]:
    """A stored nutrient row; a value that is not a finite amount of 0 or more (written by an
    older crampcheck from a tracker's ``inf``) reads as unknown, never as a number."""
    raw = _DECODER.decode(text)
    for v in raw.values():  # the usual row: every value a finite float ≥ 0, or null
        if not (v is None or (v.__class__ is float and 0.0 <= v < _INF)):
            break
    else:
        return raw
    # float: finite and ≥ 0 is 0 ≤ v < inf (NaN fails both); int but not bool; else unknown
    return {k: (v if (v.__class__ is float and 0.0 <= v < _INF)
                or (v.__class__ is int and v >= 0 and math.isfinite(v)) else None)
            for k, v in raw.items()}


# --- profile --------------------------------------------------------------------------------

PROFILE_FIELDS = ("age", "sex", "pregnant", "lactating", "weight_kg", "diet", "avoid", "dislikes",
                  "exercise_hours_per_week", "exercise_intensity", "hot_environment")


def _check_profile(profile: dict[str, Any]) -> None:
    """Every field of a whole profile row, before anything is written."""
    from ..case import DIETS, INTENSITIES

    if profile.get("age") is not None:
        finite(profile["age"], "person.age", 1, 120, "a number of years")
    if profile.get("sex") not in (None, "female", "male"):
        raise InputError(f"person.sex must be female or male, not "
                         f"{str(profile['sex'])[:20]!r} (the Dietary Reference Intakes are set "
                         "by sex)")
    if profile.get("weight_kg") is not None:
        finite(profile["weight_kg"], "person.weight_kg", 2, 400, "a weight in kg")
    if profile.get("diet") not in (None, *DIETS):
        raise InputError(f"preferences.diet must be one of {', '.join(DIETS)}")
    if profile.get("exercise_hours_per_week") is not None:
        finite(profile["exercise_hours_per_week"], "exercise.hours_per_week", 0, 80,
               "a number of hours a week")
    if profile.get("exercise_intensity") not in (None, *INTENSITIES):
        raise InputError(f"exercise.intensity must be one of {', '.join(INTENSITIES)}")
    for key in ("avoid", "dislikes"):
        for i, word in enumerate(profile.get(key) or []):
            check_text(str(word), f"preferences.{key}[{i}]", limit=100)
    if profile.get("age") is not None and profile.get("sex") is not None:
        from ..case import case_from_dict

        case_from_dict({"person": _person_dict(profile)})  # pregnancy with sex and age
    elif profile.get("pregnant") or profile.get("lactating"):
        if profile.get("sex") == "male":
            raise InputError("pregnancy and lactation apply to sex female only")


def set_profile(conn: sqlite3.Connection, person: str, **values: Any) -> dict[str, Any]:
    """Set the given profile fields (``None`` leaves a field as it is).

    The whole row, as it would be after the change, is validated first (as a case's
    ``person``); nothing is written unless all of it is valid, so an invalid value never
    replaces a valid one.
    """
    changes = {k: v for k, v in values.items() if v is not None}
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise InputError(f"unknown profile fields: {', '.join(sorted(unknown))}")
    with transaction(conn):
        pid = person_id(conn, person)
        current = get_profile(conn, person)
        merged = {**current, **{k: (list(v) if k in ("avoid", "dislikes") else v)
                                for k, v in changes.items()}}
        _check_profile(merged)
        for key, value in changes.items():
            if key in ("avoid", "dislikes"):
                value = dumps(list(value))
            elif isinstance(value, bool):
                value = int(value)
            conn.execute(f"UPDATE people SET {key} = ? WHERE id = ?", (value, pid))
        profile = get_profile(conn, person)
    return profile


def get_profile(conn: sqlite3.Connection, person: str) -> dict[str, Any]:
    pid = person_id(conn, person, create=False)
    row = dict(conn.execute("SELECT * FROM people WHERE id = ?", (pid,)).fetchone())
    row["avoid"] = json.loads(row["avoid"])
    row["dislikes"] = json.loads(row["dislikes"])
    for key in ("pregnant", "lactating", "hot_environment"):
        row[key] = bool(row[key])
    return row


def _person_dict(profile: dict[str, Any]) -> dict[str, Any]:
    out = {k: profile[k] for k in ("age", "sex", "pregnant", "lactating")}
    if profile.get("weight_kg") is not None:
        out["weight_kg"] = profile["weight_kg"]
    return out


# --- medicines, supplements, conditions --------------------------------------------------------

def add_listed(conn: sqlite3.Connection, table: str, person: str, text: str,
               since: str | None = None, until: str | None = None) -> int:
    """Add a medicine, supplement or condition (``table``) with optional start and stop days."""
    if table not in LIST_TABLES:
        raise ValueError(table)
    text = check_text(text, "the text").strip()
    if not text:
        raise InputError("give the text (for example \"Lasix 40 mg daily\")")
    since = day_arg(since, what="--since") if since else None
    until = day_arg(until, what="--until") if until else None
    if since and until and until < since:
        raise InputError(f"--until {until} is before --since {since}")
    with transaction(conn):
        pid = person_id(conn, person)
        cur = conn.execute(f"INSERT INTO {table} (person_id, text, since, until, created) "
                           "VALUES (?, ?, ?, ?, ?)", (pid, text, since, until, now()))
        return int(cur.lastrowid or 0)


def list_listed(conn: sqlite3.Connection, table: str, person: str,
                start: str | None = None, end: str | None = None) -> list[dict[str, Any]]:
    """Entries of ``table``; with ``start``/``end`` only those active at some time in it."""
    if table not in LIST_TABLES:
        raise ValueError(table)
    pid = person_id(conn, person, create=False)
    rows = [dict(r) for r in conn.execute(
        f"SELECT id, text, since, until FROM {table} WHERE person_id = ? "
        "AND deleted_at IS NULL ORDER BY COALESCE(since, ''), id", (pid,))]
    if start is None and end is None:
        return rows
    return [r for r in rows
            if (r["since"] is None or end is None or r["since"] <= end)
            and (r["until"] is None or start is None or r["until"] >= start)]


def stop_listed(conn: sqlite3.Connection, table: str, person: str, which: str,
                on: str | None = None) -> dict[str, Any]:
    """Set the stop day of an entry named by id or by (unique, case-insensitive) text."""
    if table not in LIST_TABLES:
        raise ValueError(table)
    day = day_arg(on, what="--on") if on else dt.date.today().isoformat()
    key = (which or "").strip()
    if not key:
        raise InputError(f"say which {table[:-1]} to stop: its id or part of its name "
                         f"(crampcheck {'meds' if table == 'medicines' else table} list)")
    with transaction(conn):
        pid = person_id(conn, person, create=False)
        rows = conn.execute(f"SELECT id, text, since, until FROM {table} WHERE person_id = ? "
                            "AND until IS NULL AND deleted_at IS NULL", (pid,)).fetchall()
        ref = key.lower()
        ref = ref[1:] if ref[:1] == _PREFIX[table] and ref[1:].isdigit() else ref
        hits = ([r for r in rows if str(r["id"]) == ref]
                or [r for r in rows if r["text"].strip().lower() == key.lower()])
        if not hits and len(key) < MIN_SELECTOR_CHARS:
            raise InputError(f"'{key}' is too short to pick one {table[:-1]} safely: give its "
                             f"id or at least {MIN_SELECTOR_CHARS} letters of its name")
        hits = hits or [r for r in rows if key.lower() in r["text"].lower()]
        if not hits:
            raise InputError(f"no current {table[:-1]} matches '{which}'")
        if len(hits) > 1:
            raise InputError(f"'{which}' matches several: "
                             + "; ".join(f"{r['id']}: {r['text']}" for r in hits)
                             + " (give the id)")
        hit = hits[0]
        if hit["since"] and day < hit["since"]:
            raise InputError(f"--on {day} is before it started ({hit['since']})")
        conn.execute(f"UPDATE {table} SET until = ? WHERE id = ?", (day, hit["id"]))
        return {**dict(hit), "until": day}


# --- cramps, symptoms, labs ---------------------------------------------------------------------

def _when(text: str) -> dt.datetime:
    """``2026-11-20 02:30`` or a relative day and a time (``yesterday 02:30``, ``-2 23:10``)."""
    t = text.strip()
    day, _, clock = t.replace("T", " ").partition(" ")
    if clock and (day.lower() in ("today", "yesterday") or _RELATIVE.match(day)):
        t = f"{day_arg(day)}T{clock.strip()}"
    return dt.datetime.fromisoformat(t.replace(" ", "T"))


def add_cramp(conn: sqlite3.Connection, person: str, at: str | None = None,
              muscle: str | None = None, side: str | None = None, minutes: float | None = None,
              severity: float | None = None, note: str | None = None) -> str:
    """Record a cramp; ``at`` is ``YYYY-MM-DD HH:MM`` (default now). Returns the ISO time."""
    if at is None:
        when = dt.datetime.now().replace(second=0, microsecond=0)
    else:
        try:
            when = _when(at[:40])
        except (ValueError, InputError):
            raise InputError(f"--at {at[:40]!r} must be a date and time like "
                             "\"2026-11-20 02:30\" or \"yesterday 02:30\"") from None
        check_day(when.date(), what="--at")
    if minutes is not None:
        minutes = finite(minutes, "--minutes", 0, 24 * 60, "a number of minutes")
    if severity is not None:
        severity = finite(severity, "--severity", 0, 10)
    for name, text in (("--muscle", muscle), ("--side", side), ("--note", note)):
        if text is not None:
            check_text(text, name, limit=100 if name != "--note" else MAX_TEXT_CHARS)
    iso = when.isoformat(timespec="minutes")
    with transaction(conn):
        pid = person_id(conn, person)
        conn.execute("INSERT INTO cramps (person_id, at, muscle, side, minutes, severity, note, "
                     "created) VALUES (?,?,?,?,?,?,?,?)",
                     (pid, iso, muscle, side, minutes, severity, note, now()))
    return iso


def cramps(conn: sqlite3.Connection, person: str, start: str | None = None,
           end: str | None = None) -> list[dict[str, Any]]:
    pid = person_id(conn, person, create=False)
    return [dict(r) for r in conn.execute(
        "SELECT id, at, muscle, side, minutes, severity, note FROM cramps WHERE person_id = ? "
        "AND deleted_at IS NULL AND substr(at, 1, 10) >= ? AND substr(at, 1, 10) <= ? ORDER BY at",
        (pid, start or "0000", end or "9999"))]


def add_symptom(conn: sqlite3.Connection, person: str, text: str, day: str | None = None) -> None:
    day = day_arg(day, what="--date") if day else dt.date.today().isoformat()
    check_text(text, "the symptom")
    if not text.strip():
        raise InputError("describe the symptom (for example \"calf swelling on one side\")")
    with transaction(conn):
        pid = person_id(conn, person)
        conn.execute("INSERT INTO symptoms (person_id, day, text, created) VALUES (?,?,?,?)",
                     (pid, day, text.strip(), now()))


def symptoms(conn: sqlite3.Connection, person: str, start: str | None = None,
             end: str | None = None) -> list[dict[str, Any]]:
    pid = person_id(conn, person, create=False)
    return [dict(r) for r in conn.execute(
        "SELECT id, day, text FROM symptoms WHERE person_id = ? AND day >= ? AND day <= ? "
        "AND deleted_at IS NULL ORDER BY day, id", (pid, start or "0000", end or "9999"))]


def add_lab(conn: sqlite3.Connection, person: str, test: str, value: float, unit: str,
            day: str | None = None) -> None:
    day = day_arg(day, what="--date") if day else dt.date.today().isoformat()
    if not test.strip() or not unit.strip():
        raise InputError("give the test, value and unit (for example: "
                         "labs add \"serum magnesium\" 1.6 mg/dL)")
    check_text(test, "the test", limit=100)
    check_text(unit, "the unit", limit=40)
    from ..knowledge.lab_bounds import lab_problem

    problem = lab_problem(test.strip(), value, unit.strip())
    if problem is not None:
        raise InputError(problem)
    with transaction(conn):
        pid = person_id(conn, person)
        conn.execute("INSERT INTO labs (person_id, test, value, unit, date, created) "
                     "VALUES (?,?,?,?,?,?)", (pid, test.strip(), value, unit.strip(), day, now()))


def labs(conn: sqlite3.Connection, person: str, start: str | None = None,
         end: str | None = None) -> list[dict[str, Any]]:
    pid = person_id(conn, person, create=False)
    return [dict(r) for r in conn.execute(
        "SELECT id, test, value, unit, date FROM labs WHERE person_id = ? AND "
        "deleted_at IS NULL AND COALESCE(date, '') <= ? AND (date IS NULL OR date >= ?) "
        "ORDER BY date, id",
        (pid, end or "9999", start or "0000"))]
