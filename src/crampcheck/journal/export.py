"""Write a journal back out: one JSON case file per person (the whole journal span) and CSV
tables (food entries with their nutrients, daily totals, cramps, medicines, supplements,
conditions, symptoms, labs).

CSV cells are safe to open in a spreadsheet: a text cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return would be run as a formula (``=HYPERLINK(…)`` in a food name
imported from a tracker), so it is written with a leading ``'``, as the OWASP guidance on CSV
injection recommends [1]_. Numbers stay numbers (``-2.5`` is written as it is), and the JSON
case file is not changed. Existing files are not overwritten unless ``force``.

References
----------
.. [1] OWASP Foundation. CSV Injection. https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..foods.schema import NUTRIENTS
from ..limits import check_day
from . import store
from .db import people
from .window import case_dict_for_window, sum_day


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "person"


def _span(conn: sqlite3.Connection, person: str) -> tuple[str, int] | None:
    pid = store.person_id(conn, person, create=False)
    days = [d for (d,) in conn.execute(
        "SELECT MIN(day) FROM food_entries WHERE person_id = ? AND deleted_at IS NULL "
        "UNION ALL SELECT MAX(day) FROM food_entries WHERE person_id = ? AND deleted_at IS NULL "
        "UNION ALL SELECT MIN(substr(at, 1, 10)) FROM cramps WHERE person_id = ? "
        "AND deleted_at IS NULL UNION ALL SELECT MAX(substr(at, 1, 10)) FROM cramps "
        "WHERE person_id = ? AND deleted_at IS NULL UNION ALL "
        "SELECT MIN(day) FROM symptoms WHERE person_id = ? AND deleted_at IS NULL UNION ALL "
        "SELECT MAX(day) FROM symptoms WHERE person_id = ? AND deleted_at IS NULL",
        (pid,) * 6) if d]
    # a day outside 1900..next year is a typing error an older journal may hold: it stays in
    # the CSV tables but does not stretch the case file's window
    days = [d for d in days if _valid_day(d)]
    if not days:
        return None
    first, last = min(days), max(days)
    return last, (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1


def _valid_day(day: str) -> bool:
    try:
        check_day(day)
    except InputError:
        return False
    return True


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula (see the module docstring)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def _write_csv(path: Path, header: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
        w.writeheader()
        w.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)


def _targets(out: Path, names: list[str]) -> list[Path]:
    tables = ("food_entries", "daily", "cramps", "symptoms", "labs", *store.LIST_TABLES)
    return [out / f"{_safe(n)}.{suffix}" for n in names
            for suffix in ("case.json", *(f"{t}.csv" for t in tables))]


def export(conn: sqlite3.Connection, out_dir: str | Path,
           only: str | None = None, *, force: bool = False) -> list[Path]:
    """Export every person (or ``only`` one) into ``out_dir``; return the files written.

    Raises
    ------
    InputError
        ``out_dir`` is a file, or (without ``force``) an export file is already there.
    """
    out = Path(out_dir)
    names = [only] if only else people(conn)
    if only:
        store.person_id(conn, only, create=False)
    if not names:
        raise InputError("the journal has no people yet: nothing to export")
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a folder: give a folder for the exported files",
                         source=str(out))
    there = [p for p in _targets(out, names) if p.exists()]
    if there and not force:
        raise InputError(f"{there[0].name}"
                         + (f" and {len(there) - 1} more files" if len(there) > 1 else "")
                         + " already there: choose a new folder, or add --force to replace "
                         "them", source=str(out))
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in names:
        base = _safe(name)
        profile = store.get_profile(conn, name)
        span = _span(conn, name)
        if profile.get("age") is not None and profile.get("sex") is not None:
            end, days = span or (dt.date.today().isoformat(), 1)
            raw = case_dict_for_window(conn, name, days, end, capped=False)
            path = out / f"{base}.case.json"
            path.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
            written.append(path)
        entries = store.food_entries(conn, name)
        food_rows = [{**{k: e[k] for k in ("day", "time", "meal", "text", "food_id", "food_name",
                                            "grams", "source", "is_total", "note")},
                      **e["nutrients"], "estimated": ";".join(e["estimated"])} for e in entries]
        path = out / f"{base}.food_entries.csv"
        _write_csv(path, ["day", "time", "meal", "text", "food_id", "food_name", "grams",
                          "source", "is_total", "note", *NUTRIENTS, "estimated"], food_rows)
        written.append(path)
        by_day: dict[str, list[dict[str, Any]]] = {}
        for e in entries:
            by_day.setdefault(e["day"], []).append(e)
        daily = []
        for day, es in sorted(by_day.items()):
            di = sum_day(day, es)
            daily.append({"day": day, "entries": di.entries, **di.totals,
                          "missing": ";".join(f"{k}:{n}" for k, n in di.missing.items()),
                          "estimated": ";".join(di.estimated)})
        path = out / f"{base}.daily.csv"
        _write_csv(path, ["day", "entries", *NUTRIENTS, "missing", "estimated"], daily)
        written.append(path)
        tables: dict[str, tuple[list[str], list[dict[str, Any]]]] = {
            "cramps": (["at", "muscle", "side", "minutes", "severity", "note"],
                       store.cramps(conn, name)),
            "symptoms": (["day", "text"], store.symptoms(conn, name)),
            "labs": (["test", "value", "unit", "date"], store.labs(conn, name)),
        }
        for table in store.LIST_TABLES:
            tables[table] = (["id", "text", "since", "until"],
                             store.list_listed(conn, table, name))
        for table, (header, rows) in tables.items():
            path = out / f"{base}.{table}.csv"
            _write_csv(path, header, rows)
            written.append(path)
    return written
